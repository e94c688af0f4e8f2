/**
 * In good order, explained (issue #14): what an application still lacks for its carrier, product and
 * state, as `{ path, code, message }` items sorted by path. Pure and cheap: the API calls it on every
 * read of a draft. Messages name the field and the rule, never a value: no names, identifiers, dates
 * of birth or answers.
 *
 * Each rule reports a field once: a rule that depends on a missing field (the face amount, the birth
 * date, the income) says nothing, so a missing field is exactly one REQUIRED item.
 */
import { daysBetween } from '../../../platform/dates';
import type { CarrierApplicationRules, FinancialBand, FormRequirement } from '../../shared/application-rules';
import type { ProductTypeCode } from '../../shared/vocabulary';
import {
  ENTITY_RELATIONSHIPS,
  isReplacement,
  type Application,
  type Beneficiary,
  type MissingCode,
  type MissingItem,
  type PersonParty,
  type SignerRole,
} from './application';
import { validEin, validItin, validRoutingNumber, validSsn } from './identifiers';

export {
  FORM_CONDITIONS,
  type CarrierApplicationRules,
  type FinancialBand,
  type FormCondition,
  type FormRequirement,
  type QuestionRule,
} from '../../shared/application-rules';

export interface GoodOrderOptions {
  /** Today (YYYY-MM-DD, UTC): ages and the signature window are counted to it. */
  asOf: string;
  /**
   * Check the signatures too (default). False asks whether the application is ready to be signed:
   * everything but the signatures, which the e-signature ceremony or a signed paper scan supplies.
   */
  signatures?: boolean;
}

const PERMANENT_TYPES: ReadonlySet<ProductTypeCode> = new Set(['UNIVERSAL_LIFE', 'INDEXED_UNIVERSAL_LIFE', 'WHOLE_LIFE']);
const ENTITY_RELATIONS: ReadonlySet<string> = new Set(ENTITY_RELATIONSHIPS);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Everything the application still lacks for these rules, sorted by path (then code). */
export function missingItems(application: Application, rules: CarrierApplicationRules, options: GoodOrderOptions): MissingItem[] {
  const items: MissingItem[] = [];
  const add = (path: string, code: MissingCode, message: string) => items.push({ path, code, message });

  const productType = application.coverage?.productType;
  const required = productType
    ? [...rules.requiredFields.all, ...(rules.requiredFields.byProductType?.[productType] ?? [])]
    : rules.requiredFields.all;
  for (const path of required) {
    if (isBlank(valueAt(application, path))) add(path, 'REQUIRED', `${path} is required by ${rules.carrierCode}.`);
  }

  const insuredSsn = application.insured?.ssn;
  if (!isBlank(insuredSsn) && !validTaxId(insuredSsn as string))
    add('insured.ssn', 'INVALID_SSN', 'insured.ssn is not a valid SSN or ITIN.');
  const birthDate = application.insured?.birthDate;
  if (!isBlank(birthDate) && !DATE.test(birthDate as string))
    add('insured.birthDate', 'INVALID_VALUE', 'insured.birthDate is not a date (YYYY-MM-DD).');

  partiesRules(application, add);
  beneficiaryRules(application.beneficiaries ?? [], add);
  financialRules(application, rules, options, add);
  replacementRules(application, add);
  paymentRules(application, add);
  questionRules(application, rules, add);
  formRules(application, rules, add);
  if (options.signatures !== false) signatureRules(application, rules, options, add);

  return items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** In good order: nothing missing. */
export function inGoodOrder(application: Application, rules: CarrierApplicationRules, options: GoodOrderOptions): boolean {
  return missingItems(application, rules, options).length === 0;
}

type Add = (path: string, code: MissingCode, message: string) => void;

/** The value at a dotted path (`insured.address.zip`); arrays by index (`beneficiaries.0.fullName`). */
export function valueAt(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function isBlank(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

function validTaxId(value: string): boolean {
  return validSsn(value) || validItin(value);
}

/** Owner and payor: a third person needs who they are and their relation to the insured; an entity needs its TIN. */
function partiesRules(application: Application, add: Add): void {
  for (const role of ['owner', 'payor'] as const) {
    const party = application[role];
    if (!party) continue;
    if (party.kind === 'PERSON') {
      personRules(role, party, add);
      if (application.insured?.ssn && party.ssn && sameDigits(party.ssn, application.insured.ssn)) {
        add(`${role}.kind`, 'RELATION_INCONSISTENT', `${role} is the insured: choose INSURED rather than another person.`);
      }
      if (party.relationshipToInsured === 'SELF') {
        add(
          `${role}.relationshipToInsured`,
          'RELATION_INCONSISTENT',
          `${role} is another person, so cannot be related to the insured as SELF.`,
        );
      }
    } else if (party.kind === 'TRUST' || party.kind === 'BUSINESS') {
      if (isBlank(party.name)) add(`${role}.name`, 'REQUIRED', `${role}.name is required for a ${party.kind.toLowerCase()}.`);
      if (isBlank(party.tin)) add(`${role}.tin`, 'REQUIRED', `${role}.tin is required for a ${party.kind.toLowerCase()}.`);
      else if (!validEin(party.tin as string)) add(`${role}.tin`, 'INVALID_TIN', `${role}.tin is not a valid EIN.`);
      if (isBlank(party.address)) add(`${role}.address`, 'REQUIRED', `${role}.address is required for a ${party.kind.toLowerCase()}.`);
    }
  }
}

function personRules(role: string, party: PersonParty, add: Add): void {
  for (const field of ['fullName', 'birthDate', 'ssn', 'address', 'relationshipToInsured'] as const) {
    if (isBlank(party[field])) add(`${role}.${field}`, 'REQUIRED', `${role}.${field} is required when the ${role} is not the insured.`);
  }
  if (!isBlank(party.ssn) && !validTaxId(party.ssn as string)) add(`${role}.ssn`, 'INVALID_SSN', `${role}.ssn is not a valid SSN or ITIN.`);
}

function sameDigits(a: string, b: string): boolean {
  return a.replace(/[\s-]/g, '') === b.replace(/[\s-]/g, '');
}

/** What a list of beneficiaries lacks by the beneficiary rules alone (a case change names a new list; nothing else of an application). */
export function beneficiaryItems(beneficiaries: readonly Beneficiary[]): MissingItem[] {
  const items: MissingItem[] = [];
  beneficiaryRules(beneficiaries, (path, code, message) => items.push({ path, code, message }));
  return items;
}

/** Whole-percent shares: the primaries sum to 100, and the contingents too when there are any. */
function beneficiaryRules(beneficiaries: readonly Beneficiary[], add: Add): void {
  const sums = { PRIMARY: 0, CONTINGENT: 0 };
  const counts = { PRIMARY: 0, CONTINGENT: 0 };
  const complete = { PRIMARY: true, CONTINGENT: true };
  beneficiaries.forEach((beneficiary, index) => {
    const at = `beneficiaries.${index}`;
    const { designation } = beneficiary;
    counts[designation]++;
    if (isBlank(beneficiary.fullName)) add(`${at}.fullName`, 'REQUIRED', `${at}.fullName is required.`);
    if (isBlank(beneficiary.relationship)) add(`${at}.relationship`, 'REQUIRED', `${at}.relationship is required.`);
    else if (beneficiary.relationship === 'SELF') {
      add(
        `${at}.relationship`,
        'RELATION_INCONSISTENT',
        `${at}: the insured cannot be a beneficiary of their own policy (name the estate instead).`,
      );
    } else if (beneficiary.kind && (beneficiary.kind !== 'PERSON') !== ENTITY_RELATIONS.has(beneficiary.relationship as string)) {
      add(`${at}.relationship`, 'RELATION_INCONSISTENT', `${at}.relationship does not fit a beneficiary of kind ${beneficiary.kind}.`);
    }
    const share = beneficiary.sharePercent;
    if (share === undefined || share === null) {
      complete[designation] = false;
      add(`${at}.sharePercent`, 'REQUIRED', `${at}.sharePercent is required.`);
    } else if (!Number.isInteger(share) || share < 1 || share > 100) {
      complete[designation] = false;
      add(`${at}.sharePercent`, 'INVALID_VALUE', `${at}.sharePercent must be a whole percent from 1 to 100.`);
    } else sums[designation] += share;
    if (!isBlank(beneficiary.ssn) && !validTaxId(beneficiary.ssn as string))
      add(`${at}.ssn`, 'INVALID_SSN', `${at}.ssn is not a valid SSN or ITIN.`);
  });
  if (counts.PRIMARY === 0) add('beneficiaries.primary', 'NO_PRIMARY_BENEFICIARY', 'At least one primary beneficiary is required.');
  else if (complete.PRIMARY && sums.PRIMARY !== 100)
    add('beneficiaries.primary', 'SHARES_NOT_100', 'Primary beneficiary shares must sum to 100%.');
  if (counts.CONTINGENT > 0 && complete.CONTINGENT && sums.CONTINGENT !== 100) {
    add('beneficiaries.contingent', 'SHARES_NOT_100', 'Contingent beneficiary shares must sum to 100%.');
  }
}

/** Age last birthday on `asOf` (financial underwriting counts completed years). */
export function ageOn(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

/** The band that applies at this age; undefined below the first. */
export function financialBandAt(bands: readonly FinancialBand[], age: number): FinancialBand | undefined {
  let found: FinancialBand | undefined;
  for (const band of bands) if (age >= band.minAge) found = band;
  return found;
}

/** Face within the multiples of income or net worth for the age; a non-working spouse up to the working spouse's coverage; large faces need financials. */
function financialRules(application: Application, rules: CarrierApplicationRules, options: GoodOrderOptions, add: Add): void {
  const face = application.coverage?.faceAmount;
  if (face === undefined || face === null) return;
  if (!Number.isInteger(face) || face <= 0) {
    add('coverage.faceAmount', 'INVALID_VALUE', 'coverage.faceAmount must be a positive whole-dollar amount.');
    return;
  }
  const financial = application.financial ?? {};
  if (face > rules.financialQuestionnaireOver && financial.questionnaireCompleted !== true) {
    add(
      'financial.questionnaireCompleted',
      'REQUIRED',
      `A financial questionnaire is required above $${rules.financialQuestionnaireOver}.`,
    );
  }
  if (face > rules.thirdPartyFinancialsOver && financial.thirdPartyFinancials !== true) {
    add(
      'financial.thirdPartyFinancials',
      'REQUIRED',
      `Third-party financial statements are required above $${rules.thirdPartyFinancialsOver}.`,
    );
  }
  if (financial.nonWorkingSpouse === true) {
    if (financial.workingSpouseCoverage === undefined) {
      add('financial.workingSpouseCoverage', 'REQUIRED', "A non-working spouse's limit is the working spouse's coverage: it is required.");
    } else if (face > financial.workingSpouseCoverage) {
      add('coverage.faceAmount', 'FACE_EXCEEDS_FINANCIAL_LIMIT', "coverage.faceAmount exceeds the working spouse's coverage.");
    }
    return;
  }
  const birthDate = application.insured?.birthDate;
  const income = financial.annualIncome;
  if (!birthDate || !DATE.test(birthDate) || (income === undefined && financial.netWorth === undefined)) return;
  const band = financialBandAt(rules.financialBands, ageOn(birthDate, options.asOf));
  if (!band) return;
  const limit = Math.max((income ?? 0) * band.incomeMultiple, (financial.netWorth ?? 0) * band.netWorthMultiple);
  if (face > limit) {
    add(
      'coverage.faceAmount',
      'FACE_EXCEEDS_FINANCIAL_LIMIT',
      `coverage.faceAmount exceeds ${band.incomeMultiple}x income and ${band.netWorthMultiple}x net worth, the limits at the insured's age.`,
    );
  }
}

/** A replacement names each replaced policy's carrier and number. */
function replacementRules(application: Application, add: Add): void {
  const existing = application.existingCoverage;
  if (existing?.hasExisting !== true) return;
  const policies = existing.policies ?? [];
  if (policies.length === 0) add('existingCoverage.policies', 'REQUIRED', 'Existing coverage was declared: list each policy.');
  policies.forEach((policy, index) => {
    const at = `existingCoverage.policies.${index}`;
    if (isBlank(policy.disposition)) add(`${at}.disposition`, 'REQUIRED', `${at}.disposition is required: will the policy be kept?`);
    if (!policy.disposition || policy.disposition === 'KEEP') return;
    if (isBlank(policy.carrierName)) add(`${at}.carrierName`, 'REQUIRED', `${at}.carrierName is required for a replacement.`);
    if (isBlank(policy.policyNumber)) add(`${at}.policyNumber`, 'REQUIRED', `${at}.policyNumber is required for a replacement.`);
  });
}

/** Premiums drawn by EFT need the account: a routing number with a valid check digit and an account number. */
function paymentRules(application: Application, add: Add): void {
  if (application.coverage?.paymentMethod !== 'EFT') return;
  const account = application.bankAccount;
  if (isBlank(account?.routingNumber)) add('bankAccount.routingNumber', 'REQUIRED', 'bankAccount.routingNumber is required for EFT.');
  else if (!validRoutingNumber(account?.routingNumber as string))
    add('bankAccount.routingNumber', 'INVALID_VALUE', 'bankAccount.routingNumber is not a valid ABA routing number.');
  if (isBlank(account?.accountNumber)) add('bankAccount.accountNumber', 'REQUIRED', 'bankAccount.accountNumber is required for EFT.');
  else if (!/^\d{4,17}$/.test(account?.accountNumber as string))
    add('bankAccount.accountNumber', 'INVALID_VALUE', 'bankAccount.accountNumber must be 4 to 17 digits.');
}

/** Every question for the product answered; each "yes" with every follow-up's detail. */
function questionRules(application: Application, rules: CarrierApplicationRules, add: Add): void {
  const productType = application.coverage?.productType;
  for (const question of rules.questions) {
    if (question.productTypes && (!productType || !question.productTypes.includes(productType))) continue;
    const answer = application.answers?.[question.code];
    const at = `answers.${question.code}`;
    if (answer?.yes === undefined || answer.yes === null) {
      add(at, 'ANSWER_REQUIRED', `Question ${question.code} is not answered.`);
      continue;
    }
    if (!answer.yes) continue;
    for (const followUp of question.followUps) {
      if (isBlank(answer.details?.[followUp.code]))
        add(`${at}.${followUp.code}`, 'ANSWER_REQUIRED', `A "yes" to ${question.code} needs ${followUp.code}.`);
    }
  }
}

/** The catalog's forms this application needs, for its state, product, riders and replacement: one per form code. */
export function applicableForms(application: Application, rules: CarrierApplicationRules): FormRequirement[] {
  const replacing = isReplacement(application);
  const state = application.state;
  const productType = application.coverage?.productType;
  const productCode = application.coverage?.productCode;
  const riders = application.coverage?.riders ?? [];
  const seen = new Set<string>();
  const forms: FormRequirement[] = [];
  for (const form of rules.forms) {
    if (seen.has(form.code)) continue;
    if (form.states && (!state || !form.states.includes(state))) continue;
    if (form.productTypes && (!productType || !form.productTypes.includes(productType))) continue;
    if (form.productCodes && (!productCode || !form.productCodes.includes(productCode))) continue;
    if (form.rider && !riders.includes(form.rider)) continue;
    if (form.when === 'NO_PHONE_INTERVIEW' && application.phoneInterview === true) continue;
    if (form.when === 'REPLACEMENT' && !replacing) continue;
    if (form.when === 'PERMANENT_PRODUCT' && (!productType || !PERMANENT_TYPES.has(productType))) continue;
    seen.add(form.code);
    forms.push(form);
  }
  return forms;
}

/** Each applicable form attached. */
function formRules(application: Application, rules: CarrierApplicationRules, add: Add): void {
  const attached = new Set((application.forms ?? []).map((form) => form.code));
  const state = application.state;
  for (const form of applicableForms(application, rules)) {
    if (attached.has(form.code)) continue;
    if (form.states) add(`forms.${form.code}`, 'REQUIRED_IN_STATE', `Form ${form.code} (${form.formNumber}) is required in ${state}.`);
    else add(`forms.${form.code}`, 'REQUIRED', `Form ${form.code} (${form.formNumber}) is required.`);
  }
}

/** Who must sign: the insured, the owner if another party, the payor if another party paying by EFT, the agent. */
export function requiredSigners(application: Application): SignerRole[] {
  const signers: SignerRole[] = ['INSURED'];
  const ownerIsInsured = !application.owner || application.owner.kind === 'INSURED';
  if (!ownerIsInsured) signers.push('OWNER');
  const payor = application.payor;
  const payorIsOwner = !payor || payor.kind === 'OWNER' || (payor.kind === 'INSURED' && ownerIsInsured);
  if (!payorIsOwner && payor?.kind !== 'INSURED' && application.coverage?.paymentMethod === 'EFT') signers.push('PAYOR');
  signers.push('AGENT');
  return signers;
}

/** Each signer signed, dated, in the state of application, and the first signature is within the carrier's window. */
function signatureRules(application: Application, rules: CarrierApplicationRules, options: GoodOrderOptions, add: Add): void {
  const signatures = application.signatures ?? [];
  let first: string | undefined;
  for (const role of requiredSigners(application)) {
    const signature = signatures.find((candidate) => candidate.role === role);
    const at = `signatures.${role}`;
    if (!signature) {
      add(at, 'REQUIRED', `The ${role.toLowerCase()}'s signature is required.`);
      continue;
    }
    if (isBlank(signature.signedOn) || !DATE.test(signature.signedOn as string))
      add(`${at}.signedOn`, 'REQUIRED', `The ${role.toLowerCase()}'s signature date is required.`);
    else if ((signature.signedOn as string) > options.asOf)
      add(`${at}.signedOn`, 'INVALID_VALUE', `The ${role.toLowerCase()}'s signature date is in the future.`);
    else if (!first || (signature.signedOn as string) < first) first = signature.signedOn;
    if (isBlank(signature.state)) add(`${at}.state`, 'REQUIRED', `The state where the ${role.toLowerCase()} signed is required.`);
    else if (application.state && signature.state !== application.state) {
      add(
        `${at}.state`,
        'SIGNED_IN_OTHER_STATE',
        `The ${role.toLowerCase()} signed outside the state of application; ${rules.carrierCode} requires signing in it.`,
      );
    }
  }
  if (first && daysBetween(first, options.asOf) > rules.submissionWindowDays) {
    add(
      'signatures',
      'SIGNATURE_EXPIRED',
      `More than ${rules.submissionWindowDays} days since the first signature: the application must be signed again.`,
    );
  }
}
