/**
 * A simulated carrier's not-in-good-order check of a full application, in the simulators' own code
 * (nothing of the product's domain): each protocol decodes its wire format into the neutral shape
 * below, naming every element by its path on that wire, and gets back one problem per fault, each
 * naming that path and never a value (no names, SSNs or dates in a rejection).
 *
 * What the carriers check: the insured, the owner and a writing agent are present and each relation
 * names a party that is there; at least one primary beneficiary, shares whole percents from 1 to 100
 * that sum to 100 among the primaries and among the contingents if any; SSNs and TINs of issuable
 * form; the insured's, the owner's (when not the insured), the payor's (when another party pays by
 * EFT) and the agent's signatures, dated and signed in the state of application; and, when the
 * application says it was signed electronically, the signed application attached with a SHA-256
 * that matches its bytes.
 */
import { createHash } from 'node:crypto';

export type SubmittedRole = 'INSURED' | 'OWNER' | 'PAYOR' | 'PRIMARY_BENEFICIARY' | 'CONTINGENT_BENEFICIARY' | 'WRITING_AGENT';
export type SignerRoleAtCarrier = 'INSURED' | 'OWNER' | 'PAYOR' | 'AGENT';

export interface SubmittedParty {
  /** Where the party is on the wire (Party[@id='Party_Owner'], owner ...). */
  path: string;
  kind: 'PERSON' | 'ORGANIZATION' | 'UNKNOWN';
  named: boolean;
  /** The government id as sent (digits, dashes allowed), with its kind. */
  govtId?: string;
  govtIdType?: 'SSN' | 'TIN';
}

export interface SubmittedRelation {
  role: SubmittedRole;
  path: string;
  /** The key of the party it names in `parties`; undefined when it names none. */
  party: string | undefined;
  /** The beneficiary's share as sent (a number or its text); undefined when not sent. */
  share?: unknown;
  sharePath?: string;
}

export interface SubmittedSignature {
  role: SignerRoleAtCarrier | undefined;
  path: string;
  date: string | undefined;
  state: string | undefined;
}

export interface SubmittedAttachment {
  path: string;
  signedApplication: boolean;
  sha256: string | undefined;
  contentBase64: string | undefined;
}

export interface SubmittedApplication {
  /** The state of application. */
  state: string | undefined;
  statePath: string;
  parties: ReadonlyMap<string, SubmittedParty>;
  relations: readonly SubmittedRelation[];
  /** Where relations or roles are listed, for "no party in this role". */
  relationsPath: string;
  signatures: readonly SubmittedSignature[];
  signaturesPath: string;
  paysByEft: boolean;
  electronicallySigned: boolean;
  attachments: readonly SubmittedAttachment[];
  attachmentsPath: string;
}

export const PROBLEM_CODES = [
  'PARTY_MISSING',
  'RELATION_INCONSISTENT',
  'SHARE_INVALID',
  'SHARES_NOT_100',
  'NO_PRIMARY_BENEFICIARY',
  'INVALID_SSN',
  'INVALID_TIN',
  'SIGNATURE_MISSING',
  'SIGNED_IN_OTHER_STATE',
  'ATTACHMENT_MISSING',
  'ATTACHMENT_DIGEST_MISMATCH',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One reason the application is not in good order: where, which rule, and words without personal data. */
export interface ApplicationProblem {
  path: string;
  code: ProblemCode;
  message: string;
}

const ROLE_WORDS: Record<SubmittedRole, string> = {
  INSURED: 'insured',
  OWNER: 'owner',
  PAYOR: 'payor',
  PRIMARY_BENEFICIARY: 'primary beneficiary',
  CONTINGENT_BENEFICIARY: 'contingent beneficiary',
  WRITING_AGENT: 'writing agent',
};

/** An SSN as issued: 9 digits; never area 000, 666 or 900-999, group 00 or serial 0000. */
export function ssnIssuable(value: string): boolean {
  const digits = value.replace(/-/g, '');
  if (!/^\d{9}$/.test(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

/** An EIN: 9 digits, never starting 00. */
export function tinIssuable(value: string): boolean {
  const digits = value.replace(/-/g, '');
  return /^\d{9}$/.test(digits) && !digits.startsWith('00');
}

function shareOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : undefined;
}

function checkShares(relations: SubmittedRelation[], group: string, groupPath: string, problems: ApplicationProblem[]): void {
  let sum = 0;
  let complete = true;
  for (const relation of relations) {
    const share = shareOf(relation.share);
    if (share === undefined) {
      complete = false;
      problems.push({
        path: relation.sharePath ?? relation.path,
        code: 'SHARE_INVALID',
        message: relation.share === undefined ? `${group} share is required` : `${group} share must be a whole percent from 1 to 100`,
      });
    } else sum += share;
  }
  if (complete && sum !== 100)
    problems.push({ path: groupPath, code: 'SHARES_NOT_100', message: `${group} shares sum to ${sum}, not 100` });
}

export function applicationProblems(application: SubmittedApplication): ApplicationProblem[] {
  const problems: ApplicationProblem[] = [];
  const { parties, relations } = application;
  const inRole = (role: SubmittedRole) => relations.filter((r) => r.role === role);

  for (const relation of relations)
    if (relation.party === undefined || !parties.has(relation.party))
      problems.push({
        path: relation.path,
        code: 'RELATION_INCONSISTENT',
        message: `the ${ROLE_WORDS[relation.role]} relation names no party sent`,
      });

  for (const role of ['INSURED', 'OWNER', 'WRITING_AGENT'] as const) {
    const found = inRole(role);
    if (!found.length) problems.push({ path: application.relationsPath, code: 'PARTY_MISSING', message: `no ${ROLE_WORDS[role]}` });
    if (found.length > 1 && role !== 'WRITING_AGENT')
      problems.push({ path: application.relationsPath, code: 'RELATION_INCONSISTENT', message: `more than one ${ROLE_WORDS[role]}` });
  }
  if (inRole('PAYOR').length > 1)
    problems.push({ path: application.relationsPath, code: 'RELATION_INCONSISTENT', message: 'more than one payor' });

  const insured = inRole('INSURED')[0];
  const insuredParty = insured?.party !== undefined ? parties.get(insured.party) : undefined;
  if (insuredParty && insuredParty.kind !== 'PERSON')
    problems.push({ path: insuredParty.path, code: 'RELATION_INCONSISTENT', message: 'the insured must be a person' });
  if (insuredParty && !insuredParty.govtId)
    problems.push({ path: insuredParty.path, code: 'INVALID_SSN', message: "the insured's SSN is required" });

  const primaries = inRole('PRIMARY_BENEFICIARY');
  if (!primaries.length)
    problems.push({
      path: application.relationsPath,
      code: 'NO_PRIMARY_BENEFICIARY',
      message: 'at least one primary beneficiary is required',
    });
  else checkShares(primaries, 'primary beneficiary', `${application.relationsPath} (primary beneficiaries)`, problems);
  const contingents = inRole('CONTINGENT_BENEFICIARY');
  if (contingents.length)
    checkShares(contingents, 'contingent beneficiary', `${application.relationsPath} (contingent beneficiaries)`, problems);

  for (const party of parties.values()) {
    if (!party.govtId) continue;
    if (party.govtIdType === 'TIN' ? !tinIssuable(party.govtId) : !ssnIssuable(party.govtId))
      problems.push({
        path: party.path,
        code: party.govtIdType === 'TIN' ? 'INVALID_TIN' : 'INVALID_SSN',
        message: party.govtIdType === 'TIN' ? 'the TIN is not of a form ever issued' : 'the SSN is not of a form ever issued',
      });
  }

  const owner = inRole('OWNER')[0]?.party;
  const payor = inRole('PAYOR')[0]?.party ?? owner;
  const needed: SignerRoleAtCarrier[] = ['INSURED', 'AGENT'];
  if (owner !== undefined && owner !== insured?.party) needed.push('OWNER');
  if (payor !== owner && application.paysByEft) needed.push('PAYOR');
  for (const role of needed) {
    const signature = application.signatures.find((s) => s.role === role);
    if (!signature)
      problems.push({
        path: application.signaturesPath,
        code: 'SIGNATURE_MISSING',
        message: `the ${role.toLowerCase()}'s signature is missing`,
      });
    else if (!signature.date)
      problems.push({ path: signature.path, code: 'SIGNATURE_MISSING', message: `the ${role.toLowerCase()}'s signature has no date` });
  }
  for (const signature of application.signatures)
    if (signature.state && application.state && signature.state !== application.state)
      problems.push({ path: signature.path, code: 'SIGNED_IN_OTHER_STATE', message: 'signed outside the state of application' });

  if (application.electronicallySigned && !application.attachments.some((a) => a.signedApplication))
    problems.push({
      path: application.attachmentsPath,
      code: 'ATTACHMENT_MISSING',
      message: 'the application was signed electronically but the signed application is not attached',
    });
  for (const attachment of application.attachments) {
    const digest = attachment.contentBase64
      ? createHash('sha256').update(Buffer.from(attachment.contentBase64, 'base64')).digest('hex')
      : undefined;
    if (!digest || !attachment.sha256 || digest !== attachment.sha256.toLowerCase())
      problems.push({
        path: attachment.path,
        code: 'ATTACHMENT_DIGEST_MISMATCH',
        message: 'the SHA-256 does not match the attached bytes',
      });
  }
  return problems;
}

/** The rejection's one-line message: every problem, path first. */
export const problemsMessage = (problems: readonly ApplicationProblem[]): string =>
  problems.map((problem) => `${problem.path}: ${problem.message}`).join('; ');
