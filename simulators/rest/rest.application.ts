/**
 * The `application` and `documents` of a REST submission, as this carrier reads them for its
 * not-in-good-order check (../application-check.ts). The schema, published in the carrier's API
 * guide:
 *   application.stateOfApplication      state code
 *   application.insured                 {type: "person", name, birthDate, sex, ssn, address, phone, email, ...}
 *   application.owner, application.payor {sameAs: "insured" | "owner"} or a person, or
 *                                       {type: "trust" | "business", name, tin, establishedOn, address}
 *   application.beneficiaries[]         {designation: "primary" | "contingent", type: "person" | "trust" |
 *                                       "estate" | "business", name, relationship, sharePercent, ssn | tin}
 *   application.paymentMethod           "eft" | "check" | "credit_card"
 *   application.signatures[]            {signer: "insured" | "owner" | "payor" | "agent", signedOn, state}
 *   application.signatureMethod         "electronic" | "wet"
 *   application.answers[], replacement, financial, agentReport, forms[], riders[] (read by underwriting, not checked here)
 *   documents[]                         {type: "signed_application", fileName, contentType, sha256, contentBase64}
 * Paths are JSON paths (application.beneficiaries[1].sharePercent): never a value.
 */
import type { SignerRoleAtCarrier, SubmittedApplication, SubmittedParty, SubmittedRelation } from '../application-check';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function partyOf(path: string, value: Json): SubmittedParty {
  const type = str(value.type);
  const tin = str(value.tin);
  const ssn = str(value.ssn);
  return {
    path,
    kind: type === 'person' ? 'PERSON' : type ? 'ORGANIZATION' : 'UNKNOWN',
    named: !!str(value.name),
    ...(tin ? { govtId: tin, govtIdType: 'TIN' as const } : ssn ? { govtId: ssn, govtIdType: 'SSN' as const } : {}),
  };
}

const SIGNERS: Record<string, SignerRoleAtCarrier> = { insured: 'INSURED', owner: 'OWNER', payor: 'PAYOR', agent: 'AGENT' };

/** The submission's full application for the check, or undefined when the body has none (the basics only). */
export function submittedApplication(body: Json): SubmittedApplication | undefined {
  const application = body.application;
  if (!isObject(application)) return undefined;
  const parties = new Map<string, SubmittedParty>();
  const relations: SubmittedRelation[] = [];
  if (isObject(application.insured)) {
    parties.set('insured', partyOf('application.insured', application.insured));
    relations.push({ role: 'INSURED', path: 'application.insured', party: 'insured' });
  }
  // A role played by another party ({sameAs}) names that party; otherwise the role's own object is the party.
  const roleParty = (name: 'owner' | 'payor', value: unknown): string | undefined => {
    if (!isObject(value)) return undefined;
    const same = str(value.sameAs);
    if (same) return same;
    parties.set(name, partyOf(`application.${name}`, value));
    return name;
  };
  const owner = roleParty('owner', application.owner);
  if (application.owner !== undefined) relations.push({ role: 'OWNER', path: 'application.owner', party: owner });
  const payorValue = application.payor ?? { sameAs: 'owner' };
  const payor = roleParty('payor', payorValue);
  relations.push({ role: 'PAYOR', path: 'application.payor', party: payor === 'owner' ? owner : payor });
  list(application.beneficiaries).forEach((entry, i) => {
    const path = `application.beneficiaries[${i}]`;
    if (!isObject(entry)) {
      relations.push({ role: 'PRIMARY_BENEFICIARY', path, party: undefined });
      return;
    }
    parties.set(path, partyOf(path, entry));
    relations.push({
      role: entry.designation === 'contingent' ? 'CONTINGENT_BENEFICIARY' : 'PRIMARY_BENEFICIARY',
      path,
      party: path,
      share: entry.sharePercent,
      sharePath: `${path}.sharePercent`,
    });
  });
  const agent = isObject(body.agent) ? body.agent : undefined;
  if (agent && str(agent.npn)) {
    parties.set('agent', { path: 'agent', kind: 'PERSON', named: true });
    relations.push({ role: 'WRITING_AGENT', path: 'agent', party: 'agent' });
  }
  return {
    state: str(application.stateOfApplication),
    statePath: 'application.stateOfApplication',
    parties,
    relations,
    relationsPath: 'application',
    signatures: list(application.signatures).map((entry, i) => {
      const signature = isObject(entry) ? entry : {};
      return {
        role: SIGNERS[str(signature.signer) ?? ''],
        path: `application.signatures[${i}]`,
        date: str(signature.signedOn),
        state: str(signature.state),
      };
    }),
    signaturesPath: 'application.signatures',
    paysByEft: application.paymentMethod === 'eft',
    electronicallySigned: application.signatureMethod === 'electronic',
    attachments: list(body.documents).map((entry, i) => {
      const document = isObject(entry) ? entry : {};
      return {
        path: `documents[${i}]`,
        signedApplication: document.type === 'signed_application',
        sha256: str(document.sha256),
        contentBase64: str(document.contentBase64),
      };
    }),
    attachmentsPath: 'documents',
  };
}
