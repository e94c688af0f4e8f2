/**
 * The `application` and `attachments` of a rate-book submission, as this carrier reads them for its
 * not-in-good-order check (../application-check.ts). This carrier takes the BGA's own draft as it
 * is (its API guide publishes the shape: insured, owner and payor by `kind`, beneficiaries with
 * `designation` and `sharePercent`, signatures by `role`, `status` SIGNED for an e-signed one) and
 * the signed application as `{type: "SIGNED_APPLICATION", sha256, contentBase64}`.
 * Paths are JSON paths (application.beneficiaries[1].sharePercent): never a value.
 */
import type { SignerRoleAtCarrier, SubmittedApplication, SubmittedParty, SubmittedRelation } from '../application-check';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);
const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function partyOf(path: string, value: Json): SubmittedParty {
  const kind = str(value.kind) ?? 'PERSON';
  const person = kind === 'PERSON';
  const id = person ? str(value.ssn) : (str(value.tin) ?? str(value.ssn));
  return {
    path,
    kind: person ? 'PERSON' : 'ORGANIZATION',
    named: !!(str(value.fullName) ?? str(value.name)),
    ...(id ? { govtId: id, govtIdType: person ? ('SSN' as const) : ('TIN' as const) } : {}),
  };
}

const SIGNERS = new Set<string>(['INSURED', 'OWNER', 'PAYOR', 'AGENT']);

/** The submission's full application for the check, or undefined when the body has none (the basics only). */
export function submittedApplication(body: Json): SubmittedApplication | undefined {
  const application = body.application;
  if (!isObject(application)) return undefined;
  const parties = new Map<string, SubmittedParty>();
  const relations: SubmittedRelation[] = [];
  if (isObject(application.insured)) {
    parties.set('INSURED', { ...partyOf('application.insured', application.insured), kind: 'PERSON' });
    relations.push({ role: 'INSURED', path: 'application.insured', party: 'INSURED' });
  }
  // `kind` INSURED or OWNER: the role is played by that party; otherwise the role's own object is the party.
  const roleParty = (name: 'OWNER' | 'PAYOR', value: unknown): string | undefined => {
    if (!isObject(value)) return undefined;
    if (value.kind === 'INSURED' || value.kind === 'OWNER') return value.kind;
    parties.set(name, partyOf(`application.${name.toLowerCase()}`, value));
    return name;
  };
  const owner = roleParty('OWNER', application.owner ?? { kind: 'INSURED' });
  relations.push({ role: 'OWNER', path: 'application.owner', party: owner });
  const payor = roleParty('PAYOR', application.payor ?? { kind: 'OWNER' });
  relations.push({ role: 'PAYOR', path: 'application.payor', party: payor === 'OWNER' ? owner : payor });
  list(application.beneficiaries).forEach((entry, i) => {
    const path = `application.beneficiaries[${i}]`;
    if (!isObject(entry)) {
      relations.push({ role: 'PRIMARY_BENEFICIARY', path, party: undefined });
      return;
    }
    parties.set(path, partyOf(path, entry));
    relations.push({
      role: entry.designation === 'CONTINGENT' ? 'CONTINGENT_BENEFICIARY' : 'PRIMARY_BENEFICIARY',
      path,
      party: path,
      share: entry.sharePercent,
      sharePath: `${path}.sharePercent`,
    });
  });
  const agent = isObject(body.agent) ? body.agent : undefined;
  if (agent && str(agent.npn)) {
    parties.set('AGENT', { path: 'agent', kind: 'PERSON', named: true });
    relations.push({ role: 'WRITING_AGENT', path: 'agent', party: 'AGENT' });
  }
  const coverage = isObject(application.coverage) ? application.coverage : {};
  const signatures = list(application.signatures);
  return {
    state: str(application.state),
    statePath: 'application.state',
    parties,
    relations,
    relationsPath: 'application',
    signatures: signatures.map((entry, i) => {
      const signature = isObject(entry) ? entry : {};
      const role = str(signature.role);
      return {
        role: role && SIGNERS.has(role) ? (role as SignerRoleAtCarrier) : undefined,
        path: `application.signatures[${i}]`,
        date: str(signature.signedOn),
        state: str(signature.state),
      };
    }),
    signaturesPath: 'application.signatures',
    paysByEft: coverage.paymentMethod === 'EFT',
    electronicallySigned: (application.status === 'SIGNED' || application.status === 'SUBMITTED') && signatures.length > 0,
    attachments: list(body.attachments).map((entry, i) => {
      const attachment = isObject(entry) ? entry : {};
      return {
        path: `attachments[${i}]`,
        signedApplication: attachment.type === 'SIGNED_APPLICATION',
        sha256: str(attachment.sha256),
        contentBase64: str(attachment.contentBase64),
      };
    }),
    attachmentsPath: 'attachments',
  };
}
