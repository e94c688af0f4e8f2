/**
 * The full application as an ACORD 103's OLifE: a Holding with its Policy (coverage and riders,
 * ApplicationInfo with the signatures, the signed PDF as an Attachment), one Party per person or
 * entity, one Relation per role (insured 32, owner 8, payor 31, primary beneficiary 34 with its
 * InterestPercent, contingent 36, writing agent 37), the replaced policies as Holdings of their own,
 * and the answers as FormInstance/FormResponse. Codes not fixed by ACORD's core lists are numbered
 * as our ACORD carriers' implementation guide numbers them (private codes from 1,000,000,000 up).
 * Personal data goes to the carrier and nowhere else: nothing here logs.
 */
import {
  type Application,
  type Beneficiary,
  type CarrierAttachment,
  type EntityParty,
  type ExistingPolicy,
  isElectronicallySigned,
  isReplacement,
  type PersonParty,
  type Relationship,
  type SignerRole,
} from '../../../shared/application';
import type { ApplicationRequest } from '../carrier-adapter.port';
import { tc, type XmlNode } from './txlife.xml';

/** RelationRoleCode tc of every role a party plays on an application. */
export const ROLE = {
  INSURED: '32',
  OWNER: '8',
  PAYOR: '31',
  PRIMARY_BENEFICIARY: '34',
  CONTINGENT_BENEFICIARY: '36',
  WRITING_AGENT: '37',
  /** A policy this application replaces (Holding to Holding); private code of the implementation guide. */
  REPLACED_POLICY: '1000500059',
} as const;
const ROLE_NAMES: Record<string, string> = {
  '32': 'Insured',
  '8': 'Owner',
  '31': 'Payor',
  '34': 'Primary Beneficiary',
  '36': 'Contingent Beneficiary',
  '37': 'Primary Writing Agent',
  '1000500059': 'Replaced Policy',
};

/** GovtIDTC: 1 SSN (or ITIN), 2 TIN (EIN). */
export const GOVT_ID = { SSN: '1', TIN: '2' } as const;
/** PartyTypeCode: 1 person, 2 organization. */
export const PARTY_TYPE = { PERSON: '1', ORGANIZATION: '2' } as const;
/** Organization/OrgForm of an entity owner, payor or beneficiary. */
export const ORG_FORM: Readonly<Record<'TRUST' | 'BUSINESS' | 'ESTATE', string>> = { BUSINESS: '2', TRUST: '8', ESTATE: '9' };
/** Relation/RelationDescription tc: how a party is related to the insured. */
export const RELATION_DESCRIPTION: Readonly<Record<Relationship, string>> = {
  SPOUSE: '1',
  CHILD: '2',
  PARENT: '3',
  SIBLING: '4',
  GRANDCHILD: '5',
  OTHER_RELATIVE: '6',
  BUSINESS_PARTNER: '7',
  EMPLOYER: '8',
  FRIEND: '9',
  SELF: '10',
  DOMESTIC_PARTNER: '11',
  TRUST: '12',
  ESTATE: '13',
  BUSINESS: '14',
};
/** SignatureRoleCode: the signer's RelationRoleCode. */
export const SIGNATURE_ROLE: Readonly<Record<SignerRole, string>> = { INSURED: '32', OWNER: '8', PAYOR: '31', AGENT: '37' };
const GENDER = { MALE: '1', FEMALE: '2' } as const;
const BOOLEAN = (value: boolean) => tc(value ? '1' : '0', value ? 'True' : 'False');
export const PAYMENT_METHOD = { EFT: '7', CHECK: '2', CREDIT_CARD: '9' } as const;
export const CITIZENSHIP = { US_CITIZEN: '1', PERMANENT_RESIDENT: '2', VISA_HOLDER: '3', OTHER: '4' } as const;
/** What happens to a replaced policy (its Policy/OLifEExtension/ReplacementDisposition). */
export const DISPOSITION = { KEEP: '1', LAPSE: '2', SURRENDER: '3', REDUCE: '4', BORROW: '5' } as const;
/** Attachment codes: AttachmentBasicType 2 (file), AttachmentType of a signed application, MimeTypeTC, TransferEncodingTypeTC 4 (base64). */
export const ATTACHMENT = { BASIC_FILE: '2', SIGNED_APPLICATION: '30', OTHER: '2147483647', BASE64: '4' } as const;
export const MIME_TYPE: Readonly<Record<string, string>> = { 'application/pdf': '17', 'image/tiff': '9', 'image/png': '21' };
/** FormInstance/FormName of the questionnaires that carry answers. */
export const FORM_NAME = { MEDICAL: 'MEDICAL_LIFESTYLE', AGENT_REPORT: 'AGENT_REPORT', FINANCIAL: 'FINANCIAL' } as const;

/** "Jo Ann Example": first names and the last name, as ACORD's Person splits them. */
function splitName(fullName: string | undefined): { FirstName?: string; LastName?: string } {
  const words = (fullName ?? '').trim().split(/\s+/).filter(Boolean);
  if (!words.length) return {};
  if (words.length === 1) return { LastName: words[0] };
  return { FirstName: words.slice(0, -1).join(' '), LastName: words[words.length - 1] };
}

const digits = (value: string | undefined) => value?.replace(/\D/g, '');

function address(value: PersonParty['address']): XmlNode {
  if (!value) return {};
  return {
    Address: {
      AddressTypeCode: tc('1', 'Residence'),
      ...(value.line1 ? { Line1: value.line1 } : {}),
      ...(value.line2 ? { Line2: value.line2 } : {}),
      ...(value.city ? { City: value.city } : {}),
      ...(value.state ? { AddressState: value.state } : {}),
      ...(value.zip ? { Zip: value.zip } : {}),
    },
  };
}

function personParty(id: string, person: Omit<PersonParty, 'kind'>, extra: XmlNode = {}): XmlNode {
  const ssn = digits(person.ssn);
  return {
    '@_id': id,
    PartyTypeCode: tc(PARTY_TYPE.PERSON, 'Person'),
    ...(person.fullName ? { FullName: person.fullName } : {}),
    ...(ssn ? { GovtID: ssn, GovtIDTC: tc(GOVT_ID.SSN, 'Social Security Number') } : {}),
    Person: {
      ...splitName(person.fullName),
      ...(person.gender ? { Gender: tc(GENDER[person.gender]) } : {}),
      ...(person.birthDate ? { BirthDate: person.birthDate } : {}),
      ...(person.citizenship ? { Citizenship: tc(CITIZENSHIP[person.citizenship], person.citizenship) } : {}),
      ...(person.heightInches ? { Height2: { MeasureUnits: tc('2', 'Inches'), MeasureValue: String(person.heightInches) } } : {}),
      ...(person.weightPounds ? { Weight2: { MeasureUnits: tc('2', 'Pounds'), MeasureValue: String(person.weightPounds) } } : {}),
      ...(person.driversLicense?.number ? { DriversLicenseNum: person.driversLicense.number } : {}),
      ...(person.driversLicense?.state ? { DriversLicenseState: person.driversLicense.state } : {}),
      ...extra,
    },
    ...address(person.address),
    ...(person.phone ? { Phone: { PhoneTypeCode: tc('1', 'Home'), DialNumber: person.phone } } : {}),
    ...(person.email ? { EMailAddress: { EMailType: tc('1', 'Personal'), AddrLine: person.email } } : {}),
  };
}

function entityParty(id: string, entity: Pick<EntityParty, 'name' | 'tin' | 'establishedOn' | 'address'>, form: keyof typeof ORG_FORM) {
  const tin = digits(entity.tin);
  return {
    '@_id': id,
    PartyTypeCode: tc(PARTY_TYPE.ORGANIZATION, 'Organization'),
    ...(entity.name ? { FullName: entity.name } : {}),
    ...(tin ? { GovtID: tin, GovtIDTC: tc(GOVT_ID.TIN, 'Tax Identification Number') } : {}),
    Organization: {
      OrgForm: tc(ORG_FORM[form], form),
      ...(entity.name ? { DBA: entity.name } : {}),
      ...(entity.establishedOn ? { EstabDate: entity.establishedOn } : {}),
    },
    ...address(entity.address),
  };
}

function beneficiaryParty(id: string, beneficiary: Beneficiary): XmlNode {
  const kind = beneficiary.kind ?? 'PERSON';
  if (kind === 'PERSON') return personParty(id, { fullName: beneficiary.fullName, ssn: beneficiary.ssn, birthDate: beneficiary.birthDate });
  return entityParty(id, { name: beneficiary.fullName, tin: beneficiary.ssn }, kind);
}

interface RelationSpec {
  role: string;
  party: string;
  from?: string;
  interestPercent?: number;
  description?: Relationship;
}

function relation(spec: RelationSpec, index: number): XmlNode {
  return {
    '@_id': `Relation_${index + 1}`,
    '@_OriginatingObjectID': spec.from ?? 'Holding_1',
    '@_RelatedObjectID': spec.party,
    RelationRoleCode: tc(spec.role, ROLE_NAMES[spec.role]),
    ...(spec.description ? { RelationDescription: tc(RELATION_DESCRIPTION[spec.description], spec.description) } : {}),
    ...(spec.interestPercent !== undefined ? { InterestPercent: String(spec.interestPercent) } : {}),
  };
}

/** The party id a role resolves to: the insured's own, a party of its own, or the owner's (payor absent). */
function roleParties(application: Application): { parties: XmlNode[]; owner: string; payor: string } {
  const parties: XmlNode[] = [];
  const owner = application.owner ?? { kind: 'INSURED' as const };
  let ownerId = 'Party_Insured';
  if (owner.kind === 'PERSON') {
    ownerId = 'Party_Owner';
    parties.push(personParty(ownerId, owner));
  } else if (owner.kind === 'TRUST' || owner.kind === 'BUSINESS') {
    ownerId = 'Party_Owner';
    parties.push(entityParty(ownerId, owner, owner.kind));
  }
  const payor = application.payor ?? { kind: 'OWNER' as const };
  let payorId = ownerId;
  if (payor.kind === 'INSURED') payorId = 'Party_Insured';
  else if (payor.kind === 'PERSON') {
    payorId = 'Party_Payor';
    parties.push(personParty(payorId, payor));
  } else if (payor.kind === 'TRUST' || payor.kind === 'BUSINESS') {
    payorId = 'Party_Payor';
    parties.push(entityParty(payorId, payor, payor.kind));
  }
  return { parties, owner: ownerId, payor: payorId };
}

function replacedHolding(policy: ExistingPolicy, i: number): XmlNode {
  return {
    '@_id': `Holding_Replaced_${i + 1}`,
    HoldingTypeCode: tc('2', 'Policy'),
    Policy: {
      ...(policy.policyNumber ? { PolNumber: policy.policyNumber } : {}),
      ...(policy.carrierName ? { CarrierName: policy.carrierName } : {}),
      ...(policy.faceAmount !== undefined ? { Life: { FaceAmt: String(policy.faceAmount) } } : {}),
      ...(policy.disposition
        ? { OLifEExtension: { ReplacementDisposition: tc(DISPOSITION[policy.disposition], policy.disposition) } }
        : {}),
    },
  };
}

function attachment(document: CarrierAttachment, i: number): XmlNode {
  return {
    '@_id': `Attachment_${i + 1}`,
    AttachmentBasicType: tc(ATTACHMENT.BASIC_FILE, 'File'),
    Description: document.fileName,
    AttachmentType:
      document.type === 'SIGNED_APPLICATION'
        ? tc(ATTACHMENT.SIGNED_APPLICATION, 'Signed Application')
        : tc(ATTACHMENT.OTHER, document.type),
    MimeTypeTC: tc(MIME_TYPE[document.contentType] ?? ATTACHMENT.OTHER, document.contentType),
    TransferEncodingTypeTC: tc(ATTACHMENT.BASE64, 'Base64'),
    AttachmentData: document.contentBase64,
    OLifEExtension: { Sha256: document.sha256 },
  };
}

function forms(application: Application): XmlNode[] {
  const instances: XmlNode[] = [];
  const answers = Object.entries(application.answers ?? {});
  if (answers.length)
    instances.push({
      '@_id': 'Form_Medical',
      FormName: FORM_NAME.MEDICAL,
      '@_RelatedObjectID': 'Party_Insured',
      FormResponse: answers.flatMap(([code, answer]) => [
        { QuestionNumber: code, ...(answer.yes !== undefined ? { ResponseCode: BOOLEAN(answer.yes) } : {}) },
        ...Object.entries(answer.details ?? {}).map(([followUp, detail]) => ({
          QuestionNumber: `${code}.${followUp}`,
          ResponseText: detail,
        })),
      ]),
    });
  const report = application.agentReport;
  if (report)
    instances.push({
      '@_id': 'Form_AgentReport',
      FormName: FORM_NAME.AGENT_REPORT,
      FormResponse: [
        ...(report.knowsOfReplacement !== undefined
          ? [{ QuestionNumber: 'KNOWS_OF_REPLACEMENT', ResponseCode: BOOLEAN(report.knowsOfReplacement) }]
          : []),
        ...(report.relatedToInsured !== undefined
          ? [{ QuestionNumber: 'RELATED_TO_INSURED', ResponseCode: BOOLEAN(report.relatedToInsured) }]
          : []),
        ...(report.comments ? [{ QuestionNumber: 'COMMENTS', ResponseText: report.comments }] : []),
      ],
    });
  const financial = application.financial;
  if (financial)
    instances.push({
      '@_id': 'Form_Financial',
      FormName: FORM_NAME.FINANCIAL,
      FormResponse: [
        ...(financial.nonWorkingSpouse !== undefined
          ? [{ QuestionNumber: 'NON_WORKING_SPOUSE', ResponseCode: BOOLEAN(financial.nonWorkingSpouse) }]
          : []),
        ...(financial.workingSpouseCoverage !== undefined
          ? [{ QuestionNumber: 'WORKING_SPOUSE_COVERAGE', ResponseText: String(financial.workingSpouseCoverage) }]
          : []),
        ...(financial.questionnaireCompleted !== undefined
          ? [{ QuestionNumber: 'QUESTIONNAIRE_COMPLETED', ResponseCode: BOOLEAN(financial.questionnaireCompleted) }]
          : []),
        ...(financial.thirdPartyFinancials !== undefined
          ? [{ QuestionNumber: 'THIRD_PARTY_FINANCIALS', ResponseCode: BOOLEAN(financial.thirdPartyFinancials) }]
          : []),
      ],
    });
  for (const [i, form] of (application.forms ?? []).entries())
    instances.push({ '@_id': `Form_${i + 1}`, FormName: form.code, ...(form.formNumber ? { ProviderFormNumber: form.formNumber } : {}) });
  return instances;
}

/** Everything but the envelope: what `applicationTransaction` sends as OLifE for a full application. */
export function fullApplicationOLifE(
  request: ApplicationRequest,
  policyBasics: XmlNode,
  baseCoverage: XmlNode,
  riderCoverage: (type: string) => XmlNode,
  agentParty: XmlNode,
): XmlNode {
  const application = request.application!;
  const insured = application.insured ?? {};
  const { parties, owner, payor } = roleParties(application);
  const beneficiaries = application.beneficiaries ?? [];
  const replaced = (application.existingCoverage?.policies ?? []).filter((policy) => policy.disposition && policy.disposition !== 'KEEP');
  const signatures = application.signatures ?? [];
  const firstSigned = signatures
    .map((s) => s.signedOn)
    .filter((d): d is string => !!d)
    .sort()[0];
  const partyOfSigner: Record<SignerRole, string> = { INSURED: 'Party_Insured', OWNER: owner, PAYOR: payor, AGENT: 'Party_Agent' };
  const coverage = application.coverage ?? {};
  const relations: RelationSpec[] = [
    { role: ROLE.INSURED, party: 'Party_Insured' },
    {
      role: ROLE.OWNER,
      party: owner,
      ...(application.owner?.kind === 'PERSON' && application.owner.relationshipToInsured
        ? { description: application.owner.relationshipToInsured }
        : application.owner?.kind === 'TRUST' || application.owner?.kind === 'BUSINESS'
          ? { description: application.owner.kind }
          : {}),
    },
    { role: ROLE.PAYOR, party: payor },
    ...beneficiaries.map((beneficiary, i) => ({
      role: beneficiary.designation === 'CONTINGENT' ? ROLE.CONTINGENT_BENEFICIARY : ROLE.PRIMARY_BENEFICIARY,
      party: `Party_Beneficiary_${i + 1}`,
      ...(beneficiary.sharePercent !== undefined ? { interestPercent: beneficiary.sharePercent } : {}),
      ...(beneficiary.relationship ? { description: beneficiary.relationship } : {}),
    })),
    { role: ROLE.WRITING_AGENT, party: 'Party_Agent', interestPercent: 100 },
    ...replaced.map((_, i) => ({ role: ROLE.REPLACED_POLICY, party: `Holding_Replaced_${i + 1}` })),
  ];
  const documents = request.attachments ?? [];
  const formInstances = forms(application);
  return {
    Holding: [
      {
        '@_id': 'Holding_1',
        HoldingTypeCode: tc('2', 'Policy'),
        Policy: {
          ...policyBasics,
          ...(coverage.paymentMethod ? { PaymentMethod: tc(PAYMENT_METHOD[coverage.paymentMethod], coverage.paymentMethod) } : {}),
          ApplicationInfo: {
            HOAssignedAppNumber: request.caseId,
            ...(firstSigned ? { SignedDate: firstSigned } : {}),
            ...(application.state ? { ApplicationJurisdiction: application.state } : {}),
            ReplacementInd: BOOLEAN(isReplacement(application)),
            ...(application.hipaaAuthorized !== undefined ? { HIPAAInd: BOOLEAN(application.hipaaAuthorized) } : {}),
            ...(application.phoneInterview !== undefined ? { PhoneInterviewInd: BOOLEAN(application.phoneInterview) } : {}),
            SignatureInfo: signatures.map((signature, i) => ({
              '@_id': `Signature_${i + 1}`,
              SignaturePartyID: partyOfSigner[signature.role],
              SignatureRoleCode: tc(SIGNATURE_ROLE[signature.role], signature.role),
              ...(signature.signedOn ? { SignatureDate: signature.signedOn } : {}),
              ...(signature.state ? { SignatureState: signature.state } : {}),
              SignatureOK: BOOLEAN(true),
            })),
            // FullApplicationInd: this 103 is the whole application, to be checked in full (the abbreviated 103 of a case without one is not).
            OLifEExtension: { FullApplicationInd: BOOLEAN(true), ElectronicSignatureInd: BOOLEAN(isElectronicallySigned(application)) },
          },
          Life: {
            FaceAmt: String(request.faceAmount),
            Coverage: [baseCoverage, ...(coverage.riders ?? []).map(riderCoverage)],
          },
        },
        ...(documents.length ? { Attachment: documents.map(attachment) } : {}),
      },
      ...replaced.map(replacedHolding),
    ],
    Party: [
      personParty(
        'Party_Insured',
        {
          ...insured,
          fullName: insured.fullName ?? `${request.insured.firstName} ${request.insured.lastName}`,
          birthDate: insured.birthDate ?? request.insured.birthDate,
          gender: insured.gender ?? request.insured.gender,
          address: { ...insured.address, state: insured.address?.state ?? request.insured.state },
        },
        {
          ...(application.financial?.annualIncome !== undefined ? { EstSalary: String(application.financial.annualIncome) } : {}),
          ...(application.financial?.netWorth !== undefined ? { EstNetWorth: String(application.financial.netWorth) } : {}),
        },
      ),
      ...parties,
      ...beneficiaries.map((beneficiary, i) => beneficiaryParty(`Party_Beneficiary_${i + 1}`, beneficiary)),
      agentParty,
    ],
    Relation: relations.map(relation),
    ...(formInstances.length ? { FormInstance: formInstances } : {}),
  };
}
