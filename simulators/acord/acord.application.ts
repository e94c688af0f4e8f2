/**
 * A full 103 as this carrier reads it for its not-in-good-order check (../application-check.ts):
 * parties by id, relations by RelationRoleCode, ApplicationInfo's SignatureInfo, the Holding's
 * Attachments. Paths name ACORD elements by their ids (Relation[@id='Relation_4']/InterestPercent),
 * never by a value. A 103 without ApplicationInfo/OLifEExtension/FullApplicationInd true is the
 * abbreviated form (the insured's basics): not checked this way.
 */
import type { SignerRoleAtCarrier, SubmittedApplication, SubmittedParty, SubmittedRelation, SubmittedRole } from '../application-check';
import {
  ATTACHMENT_TYPE_SIGNED_APPLICATION,
  GOVT_ID,
  PARTY_TYPE,
  PAYMENT_METHOD_EFT,
  RELATION_ROLE,
  SIGNATURE_ROLE,
  TRUE,
  fromTc,
} from './acord.codes';
import { child, children, tcOf, text, type XmlNode } from './txlife';

const idOf = (node: XmlNode, fallback: string) => (typeof node['@_id'] === 'string' ? node['@_id'] : fallback);

/** The 103's application for the check, or undefined for the abbreviated 103. */
export function submittedApplication(transaction: XmlNode): SubmittedApplication | undefined {
  const olife = child(transaction, 'OLifE');
  const holdings = children(olife, 'Holding');
  const holding = holdings.find((h) => h['@_id'] === 'Holding_1') ?? holdings[0];
  const policy = child(holding, 'Policy');
  const info = child(policy, 'ApplicationInfo');
  const extension = child(info, 'OLifEExtension');
  if (tcOf(extension, 'FullApplicationInd') !== TRUE) return undefined;

  const parties = new Map<string, SubmittedParty>();
  children(olife, 'Party').forEach((party, i) => {
    const id = idOf(party, `#${i + 1}`);
    const type = tcOf(party, 'PartyTypeCode');
    const govtId = text(party, 'GovtID');
    parties.set(id, {
      path: `Party[@id='${id}']`,
      kind: type === PARTY_TYPE.PERSON ? 'PERSON' : type === PARTY_TYPE.ORGANIZATION ? 'ORGANIZATION' : 'UNKNOWN',
      named: !!(text(party, 'FullName') ?? text(child(party, 'Person'), 'LastName')),
      ...(govtId ? { govtId: `${govtId}`, govtIdType: tcOf(party, 'GovtIDTC') === GOVT_ID.TIN ? 'TIN' : 'SSN' } : {}),
    });
  });
  const relations: SubmittedRelation[] = children(olife, 'Relation').flatMap((relation, i) => {
    const role = fromTc(RELATION_ROLE, tcOf(relation, 'RelationRoleCode')) as SubmittedRole | undefined;
    if (!role) return [];
    const path = `Relation[@id='${idOf(relation, `#${i + 1}`)}']`;
    const related = relation['@_RelatedObjectID'];
    const beneficiary = role === 'PRIMARY_BENEFICIARY' || role === 'CONTINGENT_BENEFICIARY';
    return [
      {
        role,
        path,
        party: typeof related === 'string' ? related : undefined,
        ...(beneficiary ? { share: text(relation, 'InterestPercent'), sharePath: `${path}/InterestPercent` } : {}),
      },
    ];
  });
  return {
    state: text(info, 'ApplicationJurisdiction'),
    statePath: 'ApplicationInfo/ApplicationJurisdiction',
    parties,
    relations,
    relationsPath: 'OLifE/Relation',
    signatures: children(info, 'SignatureInfo').map((signature, i) => ({
      role: fromTc(SIGNATURE_ROLE, tcOf(signature, 'SignatureRoleCode')) as SignerRoleAtCarrier | undefined,
      path: `ApplicationInfo/SignatureInfo[@id='${idOf(signature, `#${i + 1}`)}']`,
      date: text(signature, 'SignatureDate'),
      state: text(signature, 'SignatureState'),
    })),
    signaturesPath: 'ApplicationInfo/SignatureInfo',
    paysByEft: tcOf(policy, 'PaymentMethod') === PAYMENT_METHOD_EFT,
    electronicallySigned: tcOf(extension, 'ElectronicSignatureInd') === TRUE,
    attachments: children(holding, 'Attachment').map((attachment, i) => ({
      path: `Holding/Attachment[@id='${idOf(attachment, `#${i + 1}`)}']`,
      signedApplication: tcOf(attachment, 'AttachmentType') === ATTACHMENT_TYPE_SIGNED_APPLICATION,
      sha256: text(child(attachment, 'OLifEExtension'), 'Sha256'),
      contentBase64: text(attachment, 'AttachmentData'),
    })),
    attachmentsPath: 'Holding/Attachment',
  };
}
