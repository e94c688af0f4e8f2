/**
 * Our normalized carrier types to and from the REST carriers' JSON, with every code map in one
 * place. Bodies are checked field by field: anything we cannot read is CARRIER.MALFORMED; a status
 * or requirement code we do not know maps to null with the raw code kept, and `report` hears of it.
 */
import type { CaseStatus, RequirementCode } from '../../../shared/enums';
import { formatMoney, parseMoney } from '../../domain/premium';
import { STATE_CODES } from '../../../shared/vocabulary';
import type { CarrierProfile, HealthClassCode, PaymentModeCode, Product, ProductTypeCode, StateCode } from '../../domain/carrier';
import type { RiderQuote } from '../../domain/riders';
import {
  CarrierFailure,
  type ApplicationRequest,
  type ApplicationResult,
  type ChangeDecision,
  type ChangeRequest,
  type CarrierCaseStatus,
  type CarrierQuote,
  type CarrierRequirementStatus,
  type CarrierStatusQualifier,
  type QuoteRequest,
} from '../carrier-adapter.port';

import { fullApplicationJson } from './rest.application';

export type ReportUnknown = (field: string, code: string) => void;

export const RISK_CLASS: Readonly<Record<HealthClassCode, string>> = {
  PREFERRED_PLUS: 'preferred_best',
  PREFERRED: 'preferred',
  STANDARD_PLUS: 'standard_plus',
  STANDARD: 'standard',
};

export const APPLICATION_STATUS: Readonly<Record<string, CaseStatus>> = {
  received: 'SUBMITTED',
  in_underwriting: 'IN_UNDERWRITING',
  awaiting_requirements: 'REQUIREMENTS_OUTSTANDING',
  approved: 'APPROVED',
  approved_modified: 'APPROVED_OTHER_THAN_APPLIED',
  issued: 'ISSUED',
  pending_delivery: 'DELIVERY_REQUIREMENTS',
  in_force: 'PLACED',
  declined: 'DECLINED',
  postponed: 'POSTPONED',
  withdrawn: 'WITHDRAWN',
  closed_incomplete: 'INCOMPLETE',
  not_taken: 'NOT_TAKEN',
  // Statuses that say more than ours: each has its qualifier below.
  approved_conditional: 'APPROVED',
  approved_on_hold: 'APPROVED',
  reconsidered_approved: 'APPROVED',
  free_look_cancelled: 'NOT_TAKEN',
};

/** What a REST status says beyond our CaseStatus (as the ACORD codes 53, 103, 26, 97 and 50 do). */
export const APPLICATION_STATUS_QUALIFIER: Readonly<Record<string, CarrierStatusQualifier>> = {
  approved_conditional: 'CONDITIONAL_APPROVAL',
  approved_on_hold: 'ISSUE_HOLD',
  approved_modified: 'COUNTER_OFFER',
  reconsidered_approved: 'RECONSIDERED',
  free_look_cancelled: 'FREE_LOOK',
};

export const REQUIREMENT_TYPE: Readonly<Record<string, RequirementCode>> = {
  paramed_exam: 'PARAMED_EXAM',
  lab_specimens: 'BLOOD_URINE',
  aps: 'APS',
  mib: 'MIB',
  rx_history: 'RX_CHECK',
  mvr: 'MVR',
  inspection: 'INSPECTION_REPORT',
  phone_interview: 'PHONE_INTERVIEW',
  hipaa_authorization: 'HIPAA_AUTHORIZATION',
  signed_illustration: 'SIGNED_ILLUSTRATION',
  delivery_receipt: 'DELIVERY_RECEIPT',
  amendment: 'AMENDMENT',
  good_health_statement: 'GOOD_HEALTH_STATEMENT',
  ekg: 'EKG',
  financial_questionnaire: 'FINANCIAL_QUESTIONNAIRE',
  replacement_form: 'REPLACEMENT_FORM',
};

export const REQUIREMENT_STATE: Readonly<Record<string, NonNullable<CarrierRequirementStatus['status']>>> = {
  open: 'ORDERED',
  received: 'RECEIVED',
  waived: 'WAIVED',
  cancelled: 'CANCELLED',
};

export const BILLING_MODE: Readonly<Record<PaymentModeCode, string>> = {
  ANNUAL: 'annual',
  SEMI_ANNUAL: 'semiannual',
  QUARTERLY: 'quarterly',
  MONTHLY: 'monthly',
};

const PRODUCT_CATEGORY: Readonly<Record<string, ProductTypeCode>> = {
  term: 'TERM',
  whole_life: 'WHOLE_LIFE',
  universal_life: 'UNIVERSAL_LIFE',
  indexed_ul: 'INDEXED_UNIVERSAL_LIFE',
  final_expense: 'FINAL_EXPENSE',
};

const CLASS_BY_CODE = Object.fromEntries(Object.entries(RISK_CLASS).map(([k, v]) => [v, k])) as Record<string, HealthClassCode>;
const STATES = new Set<string>(STATE_CODES);

const malformed = (what: string) => new CarrierFailure('CARRIER.MALFORMED', `unreadable carrier response: ${what}`);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);
const isCount = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw malformed(`${what} is not an object`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(`${what} is not a list`);
  return value;
}

function count(value: unknown, what: string): number {
  if (!isCount(value)) throw malformed(`${what} is not a whole number`);
  return value;
}

function money(value: unknown, what: string): number {
  try {
    const cents = parseMoney(String(value));
    if (typeof value === 'string' && cents >= 0) return cents;
  } catch {
    // reported below
  }
  throw malformed(`${what} is not an amount such as "370.00"`);
}

const optionalText = (value: unknown) => (typeof value === 'string' && value ? value : null);

// ---------------------------------------------------------------- quotes

export function quoteBody(carrier: CarrierProfile, request: QuoteRequest) {
  return {
    state: request.state,
    issueAge: request.issueAge,
    sex: request.gender === 'FEMALE' ? 'F' : 'M',
    tobacco: request.tobacco,
    riskClass: RISK_CLASS[request.healthClass],
    tableRating: request.tableRating,
    // Dollars per $1,000 a year, as the carrier's JSON writes money ("2.50"); absent when there is none.
    ...((request.flatExtraPerThousandCents ?? 0) > 0
      ? { flatExtraPerThousand: formatMoney(request.flatExtraPerThousandCents!), flatExtraYears: request.flatExtraYears }
      : {}),
    faceAmount: request.faceAmount,
    termYears: request.termYears,
    ...(request.guaranteedToAge ? { guaranteedToAge: request.guaranteedToAge } : {}),
    ...(request.payPeriod ? { payPeriod: request.payPeriod } : {}),
    ...(request.finalExpensePlan ? { plan: request.finalExpensePlan } : {}),
    ...(request.riders?.length ? { riders: request.riders.map((r) => ({ type: r.type, ...(r.amount ? { amount: r.amount } : {}) })) } : {}),
    productCodes: request.productIds.map((id) => productOf(carrier, id).code),
  };
}

function productOf(carrier: CarrierProfile, productId: string): Product {
  const product = carrier.products.find((p) => p.id === productId);
  // The caller passes only this carrier's eligible products: anything else is a bug upstream.
  if (!product) throw new Error(`product ${productId} is not a product of ${carrier.id}`);
  return product;
}

/** A batch's answers, one {status, body} per request in request order: any other shape is unreadable. */
export function batchResultsFrom(body: unknown, expected: number): { status: number; body: unknown }[] {
  const results = list(object(body, 'batch response').results, 'results');
  if (results.length !== expected) throw malformed(`${results.length} batch results for ${expected} requests`);
  return results.map((entry, i) => {
    const result = object(entry, `results[${i}]`);
    return { status: count(result.status, `results[${i}].status`), body: result.body };
  });
}

/** The carrier's quotes for the products asked; `declined` products are simply absent. */
export function quotesFrom(body: unknown, carrier: CarrierProfile, request: QuoteRequest, report: ReportUnknown): CarrierQuote[] {
  const asked = new Set(request.productIds);
  return list(object(body, 'quote response').quotes, 'quotes').flatMap((entry, i) => {
    const quote = object(entry, `quotes[${i}]`);
    const product = carrier.products.find((p) => p.code === quote.productCode);
    if (!product || !asked.has(product.id)) {
      report('productCode', String(quote.productCode));
      return [];
    }
    const healthClass = CLASS_BY_CODE[String(quote.riskClass)];
    if (!healthClass) {
      // A price for a class we cannot name cannot be shown as the class asked for.
      report('riskClass', String(quote.riskClass));
      return [];
    }
    const premiums = object(quote.premiums, `quotes[${i}].premiums`);
    const annual = money(premiums.annual, 'premiums.annual');
    return [
      {
        productId: product.id,
        healthClass,
        // A carrier that does not name its class shows ours.
        carrierClassName: optionalText(quote.riskClassName) ?? healthClass,
        issueAge: count(quote.issueAge, 'issueAge'),
        ageBasis: carrier.ageBasis,
        faceAmount: count(quote.faceAmount, 'faceAmount'),
        termYears: request.productType === 'TERM' ? count(quote.termYears, 'termYears') : null,
        guaranteedToAge: request.guaranteedToAge ?? null,
        payPeriod: request.payPeriod ?? null,
        finalExpensePlan: request.finalExpensePlan ?? null,
        riders: ridersFrom(quote.riders, request, i),
        annualPremiumCents: annual,
        policyFeeCents: money(quote.policyFee, 'policyFee'),
        modalPremiumsCents: {
          ANNUAL: annual,
          SEMI_ANNUAL: money(premiums.semiannual, 'premiums.semiannual'),
          QUARTERLY: money(premiums.quarterly, 'premiums.quarterly'),
          MONTHLY: money(premiums.monthly, 'premiums.monthly'),
        },
      },
    ];
  });
}

// ---------------------------------------------------------------- applications

/**
 * The riders asked, in the order asked, from a quote's `riders`: each one's annualPremium (already
 * in the annual premium) or the carrier's `declined` reason; one the carrier left out is stated as not priced.
 */
function ridersFrom(value: unknown, request: QuoteRequest, index: number): RiderQuote[] {
  const asked = request.riders ?? [];
  if (!asked.length) return [];
  const answered = new Map<string, Json>();
  list(value, `quotes[${index}].riders`).forEach((entry, j) => {
    const rider = object(entry, `quotes[${index}].riders[${j}]`);
    if (typeof rider.type === 'string') answered.set(rider.type, rider);
  });
  return asked.map((ask): RiderQuote => {
    const rider = answered.get(ask.type);
    if (rider?.annualPremium !== undefined)
      return { type: ask.type, offered: true, premiumCents: money(rider.annualPremium, 'riders.annualPremium') };
    return { type: ask.type, offered: false, reason: optionalText(rider?.declined) ?? 'the carrier did not price this rider' };
  });
}

export function applicationBody(carrier: CarrierProfile, application: ApplicationRequest, applicationDate: string) {
  const { insured, agent } = application;
  return {
    productCode: productOf(carrier, application.productId).code,
    applicationDate,
    externalCaseId: application.caseId,
    insured: {
      firstName: insured.firstName,
      lastName: insured.lastName,
      birthDate: insured.birthDate,
      sex: insured.gender === 'FEMALE' ? 'F' : 'M',
      state: insured.state,
      tobacco: insured.tobacco,
    },
    coverage: {
      faceAmount: application.faceAmount,
      termYears: application.termYears,
      riskClass: RISK_CLASS[application.healthClass],
      tableRating: application.tableRating,
    },
    billing: { mode: BILLING_MODE[application.paymentMode], annualPremium: formatMoney(application.annualPremiumCents) },
    agent: { npn: agent.npn, writingNumber: agent.writingNumber },
    // The requirements we already ordered, with our ids: the carrier keeps each as its requirement's reference.
    ...(application.requirements?.length
      ? {
          requirements: application.requirements.flatMap((r) =>
            REQUIREMENT_TYPE_BY_CODE[r.code] ? [{ reference: r.id, type: REQUIREMENT_TYPE_BY_CODE[r.code] }] : [],
          ),
        }
      : {}),
    // The full application when the case has one (rest.application.ts); a case without it sends the basics above, as before.
    ...(application.application ? fullApplicationJson(application.application, application.attachments ?? []) : {}),
  };
}

/** A 422's problem list as one message: each problem's path and words, as the carrier wrote them. */
function problemsOf(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!entry || typeof entry !== 'object') return [];
    const { path, message } = entry as { path?: unknown; message?: unknown };
    const words = optionalText(message);
    if (!words) return [];
    const where = optionalText(path);
    return [where ? `${where}: ${words}` : words];
  });
}

/** 201: accepted with the carrier's application id; 422: rejected with its message, or each of its problems when it lists them. */
export function applicationResultFrom(status: number, body: unknown): ApplicationResult {
  const json = object(body, 'application response');
  if (status === 422) {
    const problems = problemsOf(json.problems);
    if (problems.length) return { accepted: false, message: problems.join('; ') };
    return { accepted: false, message: optionalText(json.message) ?? 'rejected by the carrier without a reason' };
  }
  const carrierReference = optionalText(json.applicationId);
  if (!carrierReference) throw malformed('an accepted application without applicationId');
  const message = optionalText(json.message);
  return { accepted: true, carrierReference, ...(message ? { message } : {}) };
}

// ---------------------------------------------------------------- changes to a pending application

/** POST /v1/applications/{id}/changes: only what changes, in the carrier's own codes. */
export function changeBody(carrier: CarrierProfile, change: ChangeRequest) {
  const owner = change.owner;
  return {
    externalCaseId: change.caseId,
    changes: {
      ...(change.faceAmount !== null ? { faceAmount: change.faceAmount } : {}),
      ...(change.productId !== null ? { productCode: productOf(carrier, change.productId).code } : {}),
      ...(change.termYears !== null ? { termYears: change.termYears } : {}),
      ...(change.riders !== null ? { riders: change.riders.map((type) => ({ type })) } : {}),
      ...(change.beneficiaries !== null
        ? {
            beneficiaries: change.beneficiaries.map((b) => ({
              designation: b.designation,
              name: b.fullName,
              relationship: b.relationship,
              sharePercent: b.sharePercent,
            })),
          }
        : {}),
      ...(change.paymentMode !== null ? { billingMode: BILLING_MODE[change.paymentMode] } : {}),
      ...(owner
        ? {
            owner:
              owner.kind === 'PERSON'
                ? { type: 'PERSON', name: owner.fullName, relationship: owner.relationship }
                : { type: 'ENTITY', name: owner.name, tin: owner.tin },
          }
        : {}),
    },
  };
}

/** 201: accepted, `amendmentRequired` saying whether the client signs an amendment; 404 and 422: refused with the carrier's message. */
export function changeDecisionFrom(status: number, body: unknown): ChangeDecision {
  const json = object(body, 'change response');
  if (status === 404 || status === 422)
    return { accepted: false, message: optionalText(json.message) ?? 'the carrier refused the change without a reason' };
  if (typeof json.amendmentRequired !== 'boolean') throw malformed('an accepted change without amendmentRequired');
  const message = optionalText(json.message);
  return { accepted: true, amendmentRequired: json.amendmentRequired, ...(message ? { message } : {}) };
}

// ---------------------------------------------------------------- status

const REQUIREMENT_TYPE_BY_CODE = Object.fromEntries(Object.entries(REQUIREMENT_TYPE).map(([type, code]) => [code, type])) as Record<
  string,
  string
>;
const CLASS_BY_RISK = Object.fromEntries(Object.entries(RISK_CLASS).map(([code, risk]) => [risk, code])) as Record<string, HealthClassCode>;

/**
 * The approved terms of an application the carrier approved, when it states them:
 * `approvedTerms: {riskClass, tableRating, flatExtraPerThousand: "2.50", flatExtraYears, faceAmount}`.
 */
function approvedTermsFrom(value: unknown, report: ReportUnknown): CarrierCaseStatus['approvedTerms'] {
  if (value === undefined || value === null) return null;
  const terms = object(value, 'approvedTerms');
  const risk = optionalText(terms.riskClass);
  const healthClass = risk ? (CLASS_BY_RISK[risk] ?? null) : null;
  if (risk && !healthClass) report('approvedTerms.riskClass', risk);
  const flatExtra = optionalText(terms.flatExtraPerThousand);
  let flatExtraPerThousandCents = 0;
  if (flatExtra) {
    try {
      flatExtraPerThousandCents = parseMoney(flatExtra);
    } catch {
      throw malformed('approvedTerms.flatExtraPerThousand is not an amount');
    }
  }
  const whole = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
  return {
    healthClass,
    tableRating: whole(terms.tableRating) ?? 0,
    flatExtraPerThousandCents,
    flatExtraYears: flatExtraPerThousandCents > 0 ? (whole(terms.flatExtraYears) ?? 0) : 0,
    faceAmount: whole(terms.faceAmount),
  };
}

export function caseStatusFrom(body: unknown, report: ReportUnknown): CarrierCaseStatus {
  const json = object(body, 'application status');
  const carrierReference = optionalText(json.applicationId);
  const carrierStatusCode = optionalText(json.status);
  if (!carrierReference || !carrierStatusCode) throw malformed('an application without applicationId or status');
  const status = APPLICATION_STATUS[carrierStatusCode] ?? null;
  if (!status) report('status', carrierStatusCode);
  return {
    carrierReference,
    carrierStatusCode,
    status,
    qualifier: APPLICATION_STATUS_QUALIFIER[carrierStatusCode] ?? null,
    statusNote: optionalText(json.statusNote),
    approvedTerms: approvedTermsFrom(json.approvedTerms, report),
    policyNumber: optionalText(json.policyNumber),
    requirements: list(json.requirements ?? [], 'requirements').map((entry, i) => {
      const requirement = object(entry, `requirements[${i}]`);
      const carrierCode = String(requirement.type ?? '');
      const code = REQUIREMENT_TYPE[carrierCode] ?? null;
      if (!code) report('requirement.type', carrierCode);
      const state = optionalText(requirement.status);
      const requirementStatus = state ? (REQUIREMENT_STATE[state] ?? null) : null;
      if (state && !requirementStatus) report('requirement.status', state);
      return {
        carrierRequirementId: optionalText(requirement.id),
        reference: optionalText(requirement.reference),
        description: optionalText(requirement.description),
        carrierCode,
        code,
        status: requirementStatus,
        requestedOn: optionalText(requirement.orderedOn),
        fulfilledOn: optionalText(requirement.receivedOn),
      };
    }),
  };
}

// ---------------------------------------------------------------- catalog

/**
 * The catalog with our ids, matched on the carrier's product code. A code the catalog does not list
 * has no id of ours yet (ids are catalog data): reported and skipped.
 */
export function productsFrom(body: unknown, carrier: CarrierProfile, report: ReportUnknown): Product[] {
  return list(object(body, 'products response').products, 'products').flatMap((entry, i) => {
    const product = object(entry, `products[${i}]`);
    const code = optionalText(product.productCode);
    if (!code) throw malformed(`products[${i}] has no productCode`);
    const known = carrier.products.find((p) => p.code === code);
    if (!known) {
      report('productCode', code);
      return [];
    }
    const type = PRODUCT_CATEGORY[String(product.category)];
    if (!type) {
      report('category', String(product.category));
      return [];
    }
    const ages = object(product.issueAges, `${code}.issueAges`);
    const face = object(product.faceAmount, `${code}.faceAmount`);
    const healthClasses = list(product.riskClasses ?? [], `${code}.riskClasses`).flatMap((riskClass) => {
      const healthClass = CLASS_BY_CODE[String(riskClass)];
      if (!healthClass) report('riskClass', String(riskClass));
      return healthClass ? [healthClass] : [];
    });
    return [
      {
        id: known.id,
        carrierId: carrier.id,
        code,
        name: optionalText(product.name) ?? code,
        type,
        terms: list(product.terms ?? [], `${code}.terms`).map((t, j) => {
          const term = object(t, `${code}.terms[${j}]`);
          const termAges = object(term.issueAges, `${code}.terms[${j}].issueAges`);
          return { years: count(term.years, 'years'), minIssueAge: count(termAges.min, 'min'), maxIssueAge: count(termAges.max, 'max') };
        }),
        minIssueAge: count(ages.min, `${code}.issueAges.min`),
        maxIssueAge: count(ages.max, `${code}.issueAges.max`),
        minFaceAmount: count(face.min, `${code}.faceAmount.min`),
        maxFaceAmount: count(face.max, `${code}.faceAmount.max`),
        healthClasses,
        availableStates: list(product.states ?? [], `${code}.states`).filter((s): s is StateCode => typeof s === 'string' && STATES.has(s)),
        fullyUnderwritten: product.underwriting === 'full',
      },
    ];
  });
}
