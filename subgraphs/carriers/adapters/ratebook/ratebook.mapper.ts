/**
 * Our normalized carrier types to and from the rate-book carriers: prices from a held rate book
 * (the book's rates and terms, through the domain's premium functions), and the JSON of their catalog,
 * submission and status endpoints with every code map in one place. Unknown codes map to null with
 * the raw code kept, and `report` hears of them; a body we cannot read is CARRIER.MALFORMED.
 */
import type { CaseStatus, RequirementCode } from '../../../shared/enums';
import { basePremiumCents, modalPremiumsCents, ratedAnnualPremium } from '../../domain/premium';
import { priceRiders, riderPremiumsTotalCents } from '../../domain/riders';
import { STATE_CODES, HEALTH_CLASSES, PRODUCT_TYPES } from '../../../shared/vocabulary';
import type { CarrierProfile, HealthClassCode, PaymentModeCode, Product, ProductTypeCode, StateCode } from '../../domain/carrier';
import {
  CarrierFailure,
  type ApplicationRequest,
  type ApplicationResult,
  type CarrierCaseStatus,
  type ChangeDecision,
  type ChangeRequest,
  type CarrierQuote,
  type CarrierRequirementStatus,
  type CarrierStatusQualifier,
  type QuoteRequest,
} from '../carrier-adapter.port';
import type { RateBook } from './rate-book';

export type ReportUnknown = (field: string, code: string) => void;

export const SUBMISSION_STATUS: Readonly<Record<string, CaseStatus>> = {
  RCVD: 'SUBMITTED',
  UW: 'IN_UNDERWRITING',
  REQ: 'REQUIREMENTS_OUTSTANDING',
  APPR: 'APPROVED',
  APMD: 'APPROVED_OTHER_THAN_APPLIED',
  ISSD: 'ISSUED',
  DLVR: 'DELIVERY_REQUIREMENTS',
  INFC: 'PLACED',
  DECL: 'DECLINED',
  POST: 'POSTPONED',
  WDRN: 'WITHDRAWN',
  INCP: 'INCOMPLETE',
  NTKN: 'NOT_TAKEN',
  // Statuses that say more than ours: each has its qualifier below.
  APCN: 'APPROVED',
  APHD: 'APPROVED',
  RCAP: 'APPROVED',
  FLKC: 'NOT_TAKEN',
};

/** What a submission status says beyond our CaseStatus (as the ACORD codes 53, 103, 26, 97 and 50 do). */
export const SUBMISSION_STATUS_QUALIFIER: Readonly<Record<string, CarrierStatusQualifier>> = {
  APCN: 'CONDITIONAL_APPROVAL',
  APHD: 'ISSUE_HOLD',
  APMD: 'COUNTER_OFFER',
  RCAP: 'RECONSIDERED',
  FLKC: 'FREE_LOOK',
};

export const REQUIREMENT: Readonly<Record<string, RequirementCode>> = {
  EXAM: 'PARAMED_EXAM',
  LABS: 'BLOOD_URINE',
  APS: 'APS',
  MIB: 'MIB',
  RX: 'RX_CHECK',
  MVR: 'MVR',
  INSP: 'INSPECTION_REPORT',
  PHI: 'PHONE_INTERVIEW',
  HIPAA: 'HIPAA_AUTHORIZATION',
  ILLUS: 'SIGNED_ILLUSTRATION',
  DREC: 'DELIVERY_RECEIPT',
  AMND: 'AMENDMENT',
  GHS: 'GOOD_HEALTH_STATEMENT',
  EKG: 'EKG',
  FINQ: 'FINANCIAL_QUESTIONNAIRE',
  REPL: 'REPLACEMENT_FORM',
};

export const REQUIREMENT_STATUS: Readonly<Record<string, NonNullable<CarrierRequirementStatus['status']>>> = {
  O: 'ORDERED',
  R: 'RECEIVED',
  W: 'WAIVED',
  C: 'CANCELLED',
};

export const PAYMENT_MODE: Readonly<Record<PaymentModeCode, string>> = { ANNUAL: 'A', SEMI_ANNUAL: 'S', QUARTERLY: 'Q', MONTHLY: 'M' };

const STATES = new Set<string>(STATE_CODES);
const CLASSES = new Set<string>(HEALTH_CLASSES);
const TYPES = new Set<string>(PRODUCT_TYPES);

const malformed = (what: string) => new CarrierFailure('CARRIER.MALFORMED', `unreadable carrier response: ${what}`);

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => !!value && typeof value === 'object' && !Array.isArray(value);

function object(value: unknown, what: string): Json {
  if (!isObject(value)) throw malformed(`${what} is not an object`);
  return value;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw malformed(`${what} is not a list`);
  return value;
}

function range(value: unknown, what: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((n) => Number.isInteger(n) && n >= 0))
    throw malformed(`${what} is not a [min, max] pair`);
  return [value[0] as number, value[1] as number];
}

const optionalText = (value: unknown) => (typeof value === 'string' && value ? value : null);

// ---------------------------------------------------------------- local pricing

/** The book's rate basis of a permanent product for this request (the `rate_basis` column); undefined for TERM. */
function rateBasis(request: QuoteRequest): string | undefined {
  switch (request.productType) {
    case 'UNIVERSAL_LIFE':
      return String(request.guaranteedToAge ?? 121);
    case 'WHOLE_LIFE':
      return request.payPeriod ?? 'LIFE';
    case 'FINAL_EXPENSE':
      return request.finalExpensePlan ?? 'LEVEL';
    default:
      return undefined;
  }
}

/**
 * Prices every asked product the book has a row for; a product without one is not quoted (not
 * offered). Prices with the book's rates AND the book's terms (fee, modal factors, class names,
 * rider rates and each product's riders): all of it is the carrier's word.
 */
export function quotesFromBook(book: RateBook, carrier: CarrierProfile, request: QuoteRequest): CarrierQuote[] {
  const { terms } = book;
  if (!terms) throw new CarrierFailure('CARRIER.MALFORMED', `the rate book of ${carrier.code} states no policy fee or modal factors`);
  return request.productIds.flatMap((productId) => {
    const product = carrier.products.find((p) => p.id === productId);
    // The caller passes only this carrier's eligible products: anything else is a bug upstream.
    if (!product) throw new Error(`product ${productId} is not a product of ${carrier.id}`);
    const basis = rateBasis(request);
    const rateOf = (healthClass: HealthClassCode) =>
      book.rate({
        productCode: product.code,
        termYears: request.termYears,
        ...(basis ? { basis } : {}),
        age: request.issueAge,
        gender: request.gender,
        tobacco: request.tobacco,
        healthClass,
        faceAmount: request.faceAmount,
      });
    // A table prices off the Standard row of the book whatever class was asked (pricingClass); final expense has only Standard.
    const rated = ratedAnnualPremium({
      healthClass: request.healthClass,
      productType: product.type,
      tableRating: request.tableRating,
      flatExtraPerThousandCents: request.flatExtraPerThousandCents ?? 0,
      faceAmount: request.faceAmount,
      policyFeeCents: terms.policyFeeCents,
      rateOf,
    });
    if (!rated) return [];
    const riders = priceRiders({
      asks: request.riders ?? [],
      offers: book.ridersOf(product.code),
      rates: book.riderRates,
      productType: product.type,
      issueAge: request.issueAge,
      basePremiumCents: basePremiumCents({
        rateThousandths: rated.rateThousandths,
        faceAmount: request.faceAmount,
        tableRating: request.tableRating,
      }),
      termYears: request.termYears,
    });
    const annual = rated.annualPremiumCents + riderPremiumsTotalCents(riders);
    return [
      {
        productId,
        healthClass: rated.healthClass,
        carrierClassName: terms.classNames[rated.healthClass],
        issueAge: request.issueAge,
        ageBasis: carrier.ageBasis,
        faceAmount: request.faceAmount,
        termYears: product.type === 'TERM' ? request.termYears : null,
        guaranteedToAge: request.guaranteedToAge ?? null,
        payPeriod: request.payPeriod ?? null,
        finalExpensePlan: request.finalExpensePlan ?? null,
        riders,
        annualPremiumCents: annual,
        policyFeeCents: terms.policyFeeCents,
        modalPremiumsCents: modalPremiumsCents(annual, terms.modalFactors),
      },
    ];
  });
}

// ---------------------------------------------------------------- submissions

const REQUIREMENT_BY_CODE = Object.fromEntries(Object.entries(REQUIREMENT).map(([short, code]) => [code, short])) as Record<string, string>;

export function submissionBody(carrier: CarrierProfile, application: ApplicationRequest, signedOn: string) {
  const product = carrier.products.find((p) => p.id === application.productId);
  if (!product) throw new Error(`product ${application.productId} is not a product of ${carrier.id}`);
  const { insured, agent } = application;
  return {
    submissionRef: application.reference,
    productCode: product.code,
    signedOn,
    insured: {
      firstName: insured.firstName,
      lastName: insured.lastName,
      birthDate: insured.birthDate,
      gender: insured.gender,
      state: insured.state,
      tobacco: insured.tobacco,
    },
    faceAmount: application.faceAmount,
    termYears: application.termYears,
    healthClass: application.healthClass,
    tableRating: application.tableRating,
    paymentMode: PAYMENT_MODE[application.paymentMode],
    annualPremiumCents: application.annualPremiumCents,
    agent: { npn: agent.npn, writingNumber: agent.writingNumber },
    // The requirements we already ordered, with our ids: the carrier keeps each as its requirement's reference.
    ...(application.requirements?.length
      ? {
          requirements: application.requirements.flatMap((r) =>
            REQUIREMENT_BY_CODE[r.code] ? [{ ref: r.id, code: REQUIREMENT_BY_CODE[r.code] }] : [],
          ),
        }
      : {}),
    // The full application when the case has one: this carrier's submission speaks our vocabulary (as gender and
    // health class above), so the draft goes as it is, with the signed PDF; without one, the basics above as before.
    ...(application.application ? { application: application.application, attachments: application.attachments ?? [] } : {}),
  };
}

export function submissionResultFrom(body: unknown): ApplicationResult {
  const json = object(body, 'submission response');
  if (json.accepted === false) return { accepted: false, message: optionalText(json.reason) ?? 'rejected by the carrier without a reason' };
  const carrierReference = optionalText(json.submissionId);
  if (json.accepted !== true || !carrierReference) throw malformed('a submission answer that is neither accepted with an id nor rejected');
  const notes = Array.isArray(json.notes) ? json.notes.filter((n): n is string => typeof n === 'string') : [];
  return { accepted: true, carrierReference, ...(notes.length ? { message: notes.join('; ') } : {}) };
}

// ---------------------------------------------------------------- changes

/** POST /submissions/{id}/changes: `changeRef` is the carrier's deduplication key; only what changes is sent. */
export function changeBody(carrier: CarrierProfile, change: ChangeRequest) {
  const product = change.productId === null ? undefined : carrier.products.find((p) => p.id === change.productId);
  if (change.productId !== null && !product) throw new Error(`product ${change.productId} is not a product of ${carrier.id}`);
  return {
    changeRef: change.reference,
    ...(change.faceAmount !== null ? { faceAmount: change.faceAmount } : {}),
    ...(product ? { productCode: product.code } : {}),
    ...(change.termYears !== null ? { termYears: change.termYears } : {}),
    ...(change.riders !== null ? { riders: change.riders } : {}),
    ...(change.beneficiaries !== null ? { beneficiaries: change.beneficiaries } : {}),
    ...(change.paymentMode !== null ? { paymentMode: PAYMENT_MODE[change.paymentMode] } : {}),
    ...(change.owner !== null ? { owner: change.owner } : {}),
  };
}

/** `amendment` names the requirement the client signs (AMND), or null when none is needed. */
export function changeDecisionFrom(body: unknown): ChangeDecision {
  const json = object(body, 'change response');
  if (json.accepted === false)
    return { accepted: false, message: optionalText(json.reason) ?? 'the carrier refused the change without a reason' };
  if (json.accepted !== true) throw malformed('a change answer that is neither accepted nor refused');
  const notes = Array.isArray(json.notes) ? json.notes.filter((n): n is string => typeof n === 'string') : [];
  const amendmentRequired = typeof json.amendment === 'string' && REQUIREMENT[json.amendment] === 'AMENDMENT';
  return { accepted: true, amendmentRequired, ...(notes.length ? { message: notes.join('; ') } : {}) };
}

// ---------------------------------------------------------------- status

/**
 * The approved terms of a submission the carrier approved, when it states them (in our class
 * names, as its submissions are): `approved: {class, table, flatExtraCents, flatExtraYears, face}`.
 */
function approvedTermsFrom(value: unknown, report: ReportUnknown): CarrierCaseStatus['approvedTerms'] {
  if (value === undefined || value === null) return null;
  const terms = object(value, 'approved');
  const named = optionalText(terms.class);
  const healthClass = named && CLASSES.has(named) ? (named as HealthClassCode) : null;
  if (named && !healthClass) report('approved.class', named);
  const whole = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
  const flatExtraPerThousandCents = whole(terms.flatExtraCents) ?? 0;
  return {
    healthClass,
    tableRating: whole(terms.table) ?? 0,
    flatExtraPerThousandCents,
    flatExtraYears: flatExtraPerThousandCents > 0 ? (whole(terms.flatExtraYears) ?? 0) : 0,
    faceAmount: whole(terms.face),
  };
}

export function caseStatusFrom(entry: unknown, report: ReportUnknown): CarrierCaseStatus {
  const json = object(entry, 'submission status');
  const carrierReference = optionalText(json.submissionId);
  const carrierStatusCode = optionalText(json.status);
  if (!carrierReference || !carrierStatusCode) throw malformed('a submission without submissionId or status');
  const status = SUBMISSION_STATUS[carrierStatusCode] ?? null;
  if (!status) report('status', carrierStatusCode);
  return {
    carrierReference,
    carrierStatusCode,
    status,
    qualifier: SUBMISSION_STATUS_QUALIFIER[carrierStatusCode] ?? null,
    statusNote: optionalText(json.note),
    approvedTerms: approvedTermsFrom(json.approved, report),
    policyNumber: optionalText(json.policyNumber),
    requirements: list(json.requirements ?? [], 'requirements').map((r, i) => {
      const requirement = object(r, `requirements[${i}]`);
      const carrierCode = String(requirement.code ?? '');
      const code = REQUIREMENT[carrierCode] ?? null;
      if (!code) report('requirement.code', carrierCode);
      const state = optionalText(requirement.status);
      const requirementStatus = state ? (REQUIREMENT_STATUS[state] ?? null) : null;
      if (state && !requirementStatus) report('requirement.status', state);
      return {
        carrierRequirementId: optionalText(requirement.id),
        reference: optionalText(requirement.ref),
        description: optionalText(requirement.desc),
        carrierCode,
        code,
        status: requirementStatus,
        requestedOn: optionalText(requirement.requested),
        fulfilledOn: optionalText(requirement.fulfilled),
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
    const code = optionalText(product.code);
    if (!code) throw malformed(`products[${i}] has no code`);
    const known = carrier.products.find((p) => p.code === code);
    if (!known) {
      report('product code', code);
      return [];
    }
    if (!TYPES.has(String(product.type))) {
      report('product type', String(product.type));
      return [];
    }
    const [minIssueAge, maxIssueAge] = range(product.issueAge, `${code}.issueAge`);
    const [minFaceAmount, maxFaceAmount] = range(product.faceAmount, `${code}.faceAmount`);
    const healthClasses = list(product.healthClasses ?? [], `${code}.healthClasses`).flatMap((value) => {
      if (!CLASSES.has(String(value))) report('health class', String(value));
      return CLASSES.has(String(value)) ? [value as HealthClassCode] : [];
    });
    return [
      {
        id: known.id,
        carrierId: carrier.id,
        code,
        name: optionalText(product.name) ?? code,
        type: product.type as ProductTypeCode,
        terms: list(product.terms ?? [], `${code}.terms`).map((t, j) => {
          const term = object(t, `${code}.terms[${j}]`);
          const [min, max] = range(term.issueAge, `${code}.terms[${j}].issueAge`);
          if (!Number.isInteger(term.years)) throw malformed(`${code}.terms[${j}].years is not a whole number`);
          return { years: term.years as number, minIssueAge: min, maxIssueAge: max };
        }),
        minIssueAge,
        maxIssueAge,
        minFaceAmount,
        maxFaceAmount,
        healthClasses,
        availableStates: list(product.states ?? [], `${code}.states`).filter((s): s is StateCode => typeof s === 'string' && STATES.has(s)),
        fullyUnderwritten: product.fullyUnderwritten === true,
      },
    ];
  });
}
