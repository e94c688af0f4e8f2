/**
 * How a draft is kept and changed: split into the part that is not personal (stored as jsonb) and the
 * personal part (sealed as one value), joined back into the domain's Application, and changed by an
 * ApplicationPatch — parts left out stay, null clears, lists replace. What is wrong in form (a date in
 * the future, shares over 100, an unknown question) is refused here as BAD_USER_INPUT; what is merely
 * not there yet is the good-order check's business (`missing`).
 */
import { todayUtc } from '../../platform/dates';
import { badInput } from '../../platform/errors';
import { isIsoDate } from '../../platform/scalars';
import type { CarrierApplicationRules } from '../shared/application-rules';
import type { HealthClassCode, PaymentModeCode, RiderTypeCode, StateCode } from '../shared/vocabulary';
import type { AddressInput, ApplicationPatch, PartyInput } from './application.type';
import type {
  Address,
  AgentReport,
  Application,
  AttachedForm,
  BankAccount,
  Beneficiary,
  Coverage,
  ExistingCoverage,
  Financial,
  Owner,
  Payor,
  QuestionAnswer,
  Signature,
} from './domain/application';

/** The part of a draft that is not personal: readable in SQL, never sealed. */
export interface DraftPart {
  coverage: Coverage;
  forms?: AttachedForm[];
  signatures?: Signature[];
  phoneInterview?: boolean;
  hipaaAuthorized?: boolean;
}

/** Everything about people: sealed as one value. */
export interface PersonalPart {
  insured?: Application['insured'];
  owner?: Owner;
  payor?: Payor;
  beneficiaries?: Beneficiary[];
  existingCoverage?: ExistingCoverage;
  answers?: Record<string, QuestionAnswer>;
  financial?: Financial;
  agentReport?: AgentReport;
  bankAccount?: BankAccount;
}

/** The domain's Application from the stored parts. */
export function joinDraft(
  row: { id: string; status: Application['status']; state: string },
  draft: DraftPart,
  personal: PersonalPart,
): Application {
  return { id: row.id, status: row.status, state: row.state as StateCode, ...draft, ...personal };
}

const MAX_TEXT = 200;
const MAX_LONG_TEXT = 2_000;

/** Collects what is wrong in a patch, so one error lists every problem. */
class Reasons {
  readonly list: string[] = [];
  add(reason: string): void {
    this.list.push(reason);
  }
  throwIfAny(): void {
    if (this.list.length) throw badInput(`the application change is not valid: ${this.list.join('; ')}`, this.list);
  }
}

/** Trimmed text, undefined when cleared; a reason when too long. */
function text(value: string | null | undefined, field: string, reasons: Reasons, max = MAX_TEXT): string | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.length > max) reasons.add(`${field} must be at most ${max} characters`);
  return trimmed || undefined;
}

function pastDate(value: string | null | undefined, field: string, reasons: Reasons): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!isIsoDate(value) || value > todayUtc()) reasons.add(`${field} must be a date that is not in the future`);
  return value;
}

function wholeNumber(value: number | null | undefined, field: string, reasons: Reasons, min: number, max: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!Number.isInteger(value) || value < min || value > max) reasons.add(`${field} must be a whole number from ${min} to ${max}`);
  return value;
}

/** Only the fields the patch names: a field present with null clears it, absent leaves it. */
function merge<T extends object>(current: T | undefined, changes: Partial<Record<keyof T, unknown>>): T {
  const merged: Record<string, unknown> = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged as T;
}

/** Keys the input object carries (GraphQL leaves absent fields out, gives null for explicit nulls). */
function given<T extends object>(input: T, keys: readonly (keyof T)[]): Partial<Record<keyof T, true>> {
  return Object.fromEntries(keys.filter((key) => key in input).map((key) => [key, true])) as Partial<Record<keyof T, true>>;
}

function address(input: AddressInput | null | undefined, field: string, reasons: Reasons): Address | undefined {
  if (!input) return undefined;
  const zip = text(input.zip, `${field}.zip`, reasons);
  if (zip && !/^\d{5}(-?\d{4})?$/.test(zip)) reasons.add(`${field}.zip must be 5 digits or ZIP+4`);
  const result: Address = {
    line1: text(input.line1, `${field}.line1`, reasons),
    line2: text(input.line2, `${field}.line2`, reasons),
    city: text(input.city, `${field}.city`, reasons),
    state: (input.state ?? undefined) as StateCode | undefined,
    zip,
  };
  return stripUndefined(result);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[A-Za-z]{2,}$/;

function party(input: PartyInput, role: 'owner' | 'payor', reasons: Reasons): Owner | Payor {
  switch (input.kind) {
    case 'INSURED':
      return { kind: 'INSURED' };
    case 'OWNER':
      if (role === 'owner') reasons.add('owner.kind OWNER is for the payor only');
      return { kind: 'OWNER' };
    case 'PERSON': {
      const email = text(input.email, `${role}.email`, reasons);
      if (email && !EMAIL.test(email)) reasons.add(`${role}.email is not an email address`);
      return stripUndefined({
        kind: 'PERSON' as const,
        fullName: text(input.name, `${role}.name`, reasons),
        birthDate: pastDate(input.birthDate, `${role}.birthDate`, reasons),
        ssn: text(input.taxId, `${role}.taxId`, reasons, 20),
        relationshipToInsured: (input.relationshipToInsured ?? undefined) as never,
        address: address(input.address, `${role}.address`, reasons),
        phone: text(input.phone, `${role}.phone`, reasons, 30),
        email,
      });
    }
    default: {
      const entityEmail = text(input.email, `${role}.email`, reasons);
      if (entityEmail && !EMAIL.test(entityEmail)) reasons.add(`${role}.email is not an email address`);
      if (input.relationshipToInsured && !['TRUST', 'BUSINESS'].includes(input.relationshipToInsured))
        reasons.add(`${role}.relationshipToInsured is for people only`);
      return stripUndefined({
        kind: input.kind,
        name: text(input.name, `${role}.name`, reasons),
        tin: text(input.taxId, `${role}.taxId`, reasons, 20),
        establishedOn: pastDate(input.birthDate, `${role}.birthDate`, reasons),
        address: address(input.address, `${role}.address`, reasons),
        email: entityEmail,
      });
    }
  }
}

function beneficiaries(input: NonNullable<ApplicationPatch['beneficiaries']>, reasons: Reasons): Beneficiary[] {
  if (input.length > 20) reasons.add('beneficiaries: at most 20');
  const totals = new Map<string, number>();
  const list = input.map((b, index) => {
    const at = `beneficiaries.${index}`;
    if (!Number.isInteger(b.sharePercent) || b.sharePercent < 1 || b.sharePercent > 100) reasons.add(`${at}.sharePercent must be 1 to 100`);
    totals.set(b.designation, (totals.get(b.designation) ?? 0) + b.sharePercent);
    const fullName = text(b.fullName, `${at}.fullName`, reasons);
    if (!fullName) reasons.add(`${at}.fullName is required`);
    return stripUndefined({
      designation: b.designation as Beneficiary['designation'],
      kind: (b.kind ?? 'PERSON') as Beneficiary['kind'],
      fullName,
      relationship: (b.relationship ?? undefined) as Beneficiary['relationship'],
      sharePercent: b.sharePercent,
      ssn: text(b.ssn, `${at}.ssn`, reasons, 20),
      birthDate: pastDate(b.birthDate, `${at}.birthDate`, reasons),
    });
  });
  for (const [designation, total] of totals)
    if (total > 100) reasons.add(`beneficiaries: ${designation.toLowerCase()} shares add up to more than 100 percent`);
  return list;
}

function answers(
  current: Record<string, QuestionAnswer> | undefined,
  input: NonNullable<ApplicationPatch['answers']>,
  rules: CarrierApplicationRules,
  reasons: Reasons,
): Record<string, QuestionAnswer> {
  const merged: Record<string, QuestionAnswer> = { ...(current ?? {}) };
  for (const answer of input) {
    const question = rules.questions.find((q) => q.code === answer.code);
    if (!question) {
      reasons.add(`answers: ${answer.code.slice(0, 40)} is not one of the carrier's questions`);
      continue;
    }
    const details: Record<string, string> = {};
    for (const detail of answer.details ?? []) {
      if (!question.followUps.some((f) => f.code === detail.code))
        reasons.add(`answers.${question.code}: ${detail.code.slice(0, 40)} is not one of its follow-ups`);
      const value = text(detail.answer, `answers.${question.code}.${detail.code}`, reasons, MAX_LONG_TEXT);
      if (value) details[detail.code] = value;
    }
    // A "no" closes the follow-ups: details given with it are dropped.
    merged[question.code] = answer.yes ? { yes: true, details } : { yes: false };
  }
  return merged;
}

/** What the product allows, for checks on coverage changes. */
export interface ProductLimits {
  terms: readonly number[];
  minFaceAmount: number;
  maxFaceAmount: number;
  type: string;
}

export function coverageChange(
  current: Coverage,
  input: NonNullable<ApplicationPatch['coverage']>,
  product: ProductLimits,
  reasons: Reasons,
): Coverage {
  const face = wholeNumber(input.faceAmount, 'coverage.faceAmount', reasons, product.minFaceAmount, product.maxFaceAmount);
  if (input.termYears != null && product.type === 'TERM' && !product.terms.includes(input.termYears))
    reasons.add(`coverage.termYears must be one of ${product.terms.join(', ')}`);
  if (input.termYears != null && product.type !== 'TERM') reasons.add('coverage.termYears is for term products only');
  if (input.guaranteeAge != null && product.type !== 'UNIVERSAL_LIFE' && product.type !== 'INDEXED_UNIVERSAL_LIFE')
    reasons.add('coverage.guaranteeAge is for universal life products only');
  return merge(current, {
    faceAmount: face ?? (input.faceAmount === null ? null : undefined),
    termYears: input.termYears,
    guaranteeAge:
      wholeNumber(input.guaranteeAge, 'coverage.guaranteeAge', reasons, 65, 121) ?? (input.guaranteeAge === null ? null : undefined),
    healthClassApplied: input.healthClass as HealthClassCode | null | undefined,
    riders: input.riders === null ? null : (input.riders as RiderTypeCode[] | undefined),
    paymentMode: input.paymentMode as PaymentModeCode | null | undefined,
    paymentMethod: input.paymentMethod as Coverage['paymentMethod'] | null | undefined,
  });
}

/**
 * The draft with the patch applied. BAD_USER_INPUT listing every problem of form; nothing is applied
 * unless the whole patch is valid.
 */
export function applyPatch(
  application: { agentId: string; draft: DraftPart; personal: PersonalPart },
  patch: ApplicationPatch,
  rules: CarrierApplicationRules,
  product: ProductLimits,
): { draft: DraftPart; personal: PersonalPart } {
  const reasons = new Reasons();
  const draft: DraftPart = { ...application.draft };
  const personal: PersonalPart = { ...application.personal };
  const keys = Object.keys(patch).filter((key) => (patch as Record<string, unknown>)[key] !== undefined);
  if (keys.length === 0) reasons.add('patch: change at least one part');

  if (patch.insured) {
    const i = patch.insured;
    const email = text(i.email, 'insured.email', reasons);
    if (email && !EMAIL.test(email)) reasons.add('insured.email is not an email address');
    const present = given(i, [
      'firstName',
      'lastName',
      'birthDate',
      'gender',
      'ssn',
      'address',
      'phone',
      'email',
      'driversLicense',
      'citizenship',
      'heightInches',
      'weightPounds',
    ]);
    const orNull = <V>(key: keyof typeof present, value: V) => (present[key] ? (value === undefined ? null : value) : undefined);
    const insured = merge(personal.insured, {
      firstName: orNull('firstName', text(i.firstName, 'insured.firstName', reasons)),
      lastName: orNull('lastName', text(i.lastName, 'insured.lastName', reasons)),
      birthDate: orNull('birthDate', pastDate(i.birthDate, 'insured.birthDate', reasons)),
      gender: orNull('gender', i.gender ?? undefined),
      ssn: orNull('ssn', text(i.ssn, 'insured.ssn', reasons, 20)),
      address: orNull('address', address(i.address, 'insured.address', reasons)),
      phone: orNull('phone', text(i.phone, 'insured.phone', reasons, 30)),
      email: orNull('email', email),
      driversLicense: orNull(
        'driversLicense',
        i.driversLicense
          ? stripUndefined({
              number: text(i.driversLicense.number, 'insured.driversLicense.number', reasons, 30),
              state: (i.driversLicense.state ?? undefined) as StateCode | undefined,
            })
          : undefined,
      ),
      citizenship: orNull('citizenship', i.citizenship ?? undefined),
      heightInches: orNull('heightInches', wholeNumber(i.heightInches, 'insured.heightInches', reasons, 36, 96)),
      weightPounds: orNull('weightPounds', wholeNumber(i.weightPounds, 'insured.weightPounds', reasons, 50, 700)),
    } as never) as NonNullable<PersonalPart['insured']>;
    // The carriers' field is the full name; the application takes it name by name.
    const fullName = [insured.firstName, insured.lastName].filter(Boolean).join(' ');
    if (fullName) insured.fullName = fullName;
    else delete insured.fullName;
    personal.insured = insured;
  }
  if (patch.owner !== undefined) personal.owner = patch.owner === null ? undefined : (party(patch.owner, 'owner', reasons) as Owner);
  if (patch.payor !== undefined) personal.payor = patch.payor === null ? undefined : (party(patch.payor, 'payor', reasons) as Payor);
  if (patch.beneficiaries !== undefined)
    personal.beneficiaries = patch.beneficiaries === null ? undefined : beneficiaries(patch.beneficiaries, reasons);
  if (patch.coverage) draft.coverage = coverageChange(draft.coverage, patch.coverage, product, reasons);
  if (patch.answers) personal.answers = answers(personal.answers, patch.answers, rules, reasons);
  if (patch.replacement !== undefined) {
    personal.existingCoverage =
      patch.replacement === null
        ? undefined
        : {
            hasExisting: patch.replacement.hasExisting,
            policies: (patch.replacement.policies ?? []).map((p, index) =>
              stripUndefined({
                carrierName: text(p.carrierName, `replacement.policies.${index}.carrierName`, reasons),
                policyNumber: text(p.policyNumber, `replacement.policies.${index}.policyNumber`, reasons, 40),
                faceAmount: wholeNumber(p.faceAmount, `replacement.policies.${index}.faceAmount`, reasons, 1, 100_000_000),
                disposition: (p.disposition ?? undefined) as never,
              }),
            ),
          };
    if ((patch.replacement?.policies?.length ?? 0) > 20) reasons.add('replacement.policies: at most 20');
  }
  if (patch.financials) {
    const f = patch.financials;
    personal.financial = merge(personal.financial, {
      annualIncome: f.annualIncome === null ? null : wholeNumber(f.annualIncome, 'financials.annualIncome', reasons, 0, 1_000_000_000),
      netWorth: f.netWorth === null ? null : wholeNumber(f.netWorth, 'financials.netWorth', reasons, -1_000_000_000, 10_000_000_000),
      nonWorkingSpouse: f.nonWorkingSpouse,
      workingSpouseCoverage:
        f.workingSpouseCoverage === null
          ? null
          : wholeNumber(f.workingSpouseCoverage, 'financials.workingSpouseCoverage', reasons, 0, 100_000_000),
      questionnaireCompleted: f.questionnaireCompleted,
      thirdPartyFinancials: f.thirdPartyFinancials,
    });
  }
  if (patch.agentReport) {
    const r = patch.agentReport;
    // Completing any part of the report makes it the writing agent's.
    personal.agentReport = merge(personal.agentReport, {
      agentId: application.agentId,
      knowsOfReplacement: r.knowsOfReplacement,
      relatedToInsured: r.relatedToInsured,
      comments: r.comments === null ? null : text(r.comments, 'agentReport.comments', reasons, MAX_LONG_TEXT),
    });
  }
  if (patch.hipaaAuthorized !== undefined) draft.hipaaAuthorized = patch.hipaaAuthorized ?? undefined;
  if (patch.phoneInterview !== undefined) draft.phoneInterview = patch.phoneInterview ?? undefined;
  if (patch.bankAccount !== undefined) {
    personal.bankAccount =
      patch.bankAccount === null
        ? undefined
        : {
            routingNumber: text(patch.bankAccount.routingNumber, 'bankAccount.routingNumber', reasons, 20),
            accountNumber: text(patch.bankAccount.accountNumber, 'bankAccount.accountNumber', reasons, 30),
            accountType: (patch.bankAccount.accountType ?? 'CHECKING') as BankAccount['accountType'],
          };
  }
  if (patch.forms !== undefined) {
    const known = new Set(rules.forms.map((form) => form.code));
    const forms = (patch.forms ?? []).filter((form) => {
      if (known.has(form.code)) return true;
      reasons.add(`forms: ${form.code.slice(0, 40)} is not in the carrier's forms catalog`);
      return false;
    });
    draft.forms = [...new Set(forms.map((form) => form.code))].map((code) => ({ code }));
  }
  reasons.throwIfAny();
  return { draft: stripUndefined(draft), personal: stripUndefined(personal) };
}
