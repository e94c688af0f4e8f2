import { createHash } from 'node:crypto';
import { todayUtc } from '../../platform/dates';
import type { FinalExpensePlan, Gender, HealthClass, PaymentMode, PayPeriod, ProductType, StateCode } from '../shared/enums';
import { badInput } from '../../platform/errors';
import { AM_BEST_RATINGS, GUARANTEE_AGES, type GuaranteeAgeCode } from '../shared/vocabulary';
import { riderAmountProblem, type RiderAsk, type RiderQuote } from './domain/riders';
import { carrierOutcomes } from './carriers.metrics';
import { isId } from '../../platform/ids';
import { centsToMoney, isIsoDate } from '../../platform/scalars';
import { CarrierFailure, type CarrierQuote, type QuoteRequest } from './adapters/carrier-adapter.port';
import type { CarriersContext } from './carriers.context';
import { catalogOf, type Catalog } from './catalog.snapshot';
import type { CarrierRow } from './carrier.type';
import type { ProductRow } from './product.type';
import { formatMoney, issueAge, MAX_FLAT_EXTRA_PER_THOUSAND_CENTS, MAX_FLAT_EXTRA_YEARS, parseMoney, pricingClass } from './domain/premium';
import { MAX_TABLE_RATING, productEligibilityAtAge, type ProductRequestAtAge } from './domain/product-eligibility';
import { rankQuotes } from './domain/quote-ranking';
import { finalExpenseSeverity, validateHealthProfile, type HealthProfile } from './domain/health-profile';
import { finalExpensePlan, GUARANTEED_ISSUE_MAX_AGE, GUARANTEED_ISSUE_MAX_FACE, GUARANTEED_ISSUE_MIN_AGE } from './domain/final-expense';
import { estimateUnderwriting, pricingOf, requirementHealthFacts } from './domain/underwriting';
import { quoteUnderwritingView, type QuoteUnderwritingView } from './health-profile.type';
import { quoteRequirements, type CarrierUnderwriting, type HealthFacts, type QuoteRequirements } from './domain/requirements-grid';
import { TERM_YEARS } from './domain/carrier';
import type { CarrierOutcomeStatus, CarrierOutcomeView, QuoteComparisonView, QuoteInput, QuoteView } from './quote.type';
import { withSpan } from '../../platform/tracing';

/**
 * compareQuotes: every asked carrier in parallel, each through the cache (single-flight) and then
 * its adapter under its policy; one outcome per carrier, whatever happens to the others; quotes
 * ranked by the premium in the requested payment mode (domain/quote-ranking.ts). Validation and the cache key are exported for tests.
 */

/** Larger faces are not life insurance a BGA quotes online: refused as input, not as an outcome. */
export const MAX_FACE_AMOUNT = 100_000_000;
/** Nobody is insured past this age: an earlier birth date is a typo. */
const MAX_AGE_YEARS = 120;

const RATING_ORDER: readonly string[] = AM_BEST_RATINGS;

/** QuoteInput with defaults applied and every field checked. */
export interface NormalizedQuoteInput {
  state: StateCode;
  birthDate: string;
  gender: Gender;
  tobacco: boolean;
  /** The class asked for (pricingClass makes it STANDARD when a table is given). */
  healthClass: HealthClass;
  tableRating: number;
  /** Cents per $1,000 a year; 0 = none. */
  flatExtraPerThousandCents: number;
  /** 0 exactly when there is no flat extra. */
  flatExtraYears: number;
  faceAmount: number;
  termYears: number | null;
  productType: ProductType;
  /** UNIVERSAL_LIFE: the guarantee age (121 when not given); null for other types. */
  guaranteedToAge: GuaranteeAgeCode | null;
  /** WHOLE_LIFE: the pay period (LIFE when not given); null for other types. */
  payPeriod: PayPeriod | null;
  /** FINAL_EXPENSE: the plan (LEVEL: without health answers every knock-out question counts as no); null for other types. */
  finalExpensePlan: FinalExpensePlan | null;
  /** Riders asked, each type once, in the order asked. */
  riders: RiderAsk[];
  paymentMode: PaymentMode;
  /** The client's health answers, normalized (dates as months before asOf); null without QuoteInput.health. */
  health: HealthProfile | null;
  /** The carriers to ask, after carrierIds and minAmBestRating, ordered by name. */
  carriers: CarrierRow[];
  asOf: string;
}

/**
 * Checks everything at once and answers BAD_USER_INPUT with every reason in extensions.reasons,
 * each naming its field. An age outside every product of the type asked is refused too; other valid
 * inputs no carrier can cover are not errors: they become outcomes.
 */
export function validateQuoteInput(
  input: QuoteInput,
  catalog: { carriers: readonly CarrierRow[]; products: readonly ProductRow[] },
  today = todayUtc(),
): NormalizedQuoteInput {
  const reasons: string[] = [];
  const asOf = input.asOf ?? today;
  if (!isIsoDate(asOf)) reasons.push('asOf must be a calendar date written YYYY-MM-DD');
  if (!isIsoDate(input.birthDate)) reasons.push('birthDate must be a calendar date written YYYY-MM-DD');
  else if (input.birthDate > today) reasons.push('birthDate is in the future');
  else if (isIsoDate(asOf) && input.birthDate > asOf) reasons.push('birthDate is after asOf');
  else if (isIsoDate(asOf) && Number(asOf.slice(0, 4)) - Number(input.birthDate.slice(0, 4)) > MAX_AGE_YEARS) {
    reasons.push(`birthDate is more than ${MAX_AGE_YEARS} years before asOf`);
  }
  const agesKnown = reasons.length === 0;

  if (!Number.isInteger(input.faceAmount) || input.faceAmount <= 0) reasons.push('faceAmount must be a positive whole number of dollars');
  else if (input.faceAmount > MAX_FACE_AMOUNT) reasons.push(`faceAmount must be at most ${MAX_FACE_AMOUNT}`);

  const tableRating = input.tableRating ?? 0;
  if (!Number.isInteger(tableRating) || tableRating < 0 || tableRating > MAX_TABLE_RATING)
    reasons.push(`tableRating must be between 0 and ${MAX_TABLE_RATING}`);

  const productType = input.productType ?? 'TERM';
  const termYears = input.termYears ?? null;
  if (termYears !== null) {
    if (!(TERM_YEARS as readonly number[]).includes(termYears)) reasons.push(`termYears must be one of ${TERM_YEARS.join(', ')}`);
    else if (!catalog.products.some((p) => p.type === 'TERM' && p.termYears.includes(termYears)))
      reasons.push(`termYears ${termYears} is offered by no carrier`);
  } else if (productType === 'TERM') {
    reasons.push('termYears is required for TERM');
  }
  const flatExtra = validFlatExtra(input, termYears, reasons);
  let health: HealthProfile | null = null;
  if (input.health) {
    if (tableRating > 0) reasons.push("tableRating comes from each carrier's estimate when health is given: omit it");
    if (input.flatExtraPerThousand != null)
      reasons.push("flatExtraPerThousand comes from each carrier's estimate when health is given: omit it");
    if (isIsoDate(asOf)) {
      const checked = validateHealthProfile(input.health, asOf);
      reasons.push(...checked.reasons.map((reason) => reason.message));
      health = checked.profile;
    }
  }
  const permanent = validPermanent(input, productType, reasons);

  let carriers = [...catalog.carriers];
  if (input.carrierIds) {
    if (input.carrierIds.length === 0) reasons.push('carrierIds must name at least one carrier (omit it to ask every carrier)');
    const known = new Map(catalog.carriers.map((c) => [c.id, c]));
    // Well-formed ids are opaque and safe to name; anything else is the caller's text and is never echoed.
    const malformed = input.carrierIds.filter((id) => !isId('carrier', id)).length;
    if (malformed) reasons.push(`carrierIds has ${malformed} malformed ${malformed === 1 ? 'id' : 'ids'} (expected car_...)`);
    const unknown = input.carrierIds.filter((id) => isId('carrier', id) && !known.has(id));
    if (unknown.length) reasons.push(`carrierIds has unknown carriers: ${[...new Set(unknown)].slice(0, 5).join(', ')}`.slice(0, 300));
    const asked = new Set(input.carrierIds);
    carriers = carriers.filter((c) => asked.has(c.id));
  }
  if (input.minAmBestRating) {
    const floor = RATING_ORDER.indexOf(input.minAmBestRating);
    carriers = carriers.filter((c) => RATING_ORDER.indexOf(c.amBestRating) <= floor);
  }
  if (agesKnown) {
    const outside = ageOutsideEveryProduct(input.birthDate, asOf, productType, carriers, catalog.products);
    if (outside) reasons.push(outside);
  }
  if (reasons.length) throw badInput(reasons.length === 1 ? reasons[0] : `invalid quote input: ${reasons.join('; ')}`, reasons);

  return {
    state: input.state as StateCode,
    birthDate: input.birthDate,
    gender: input.gender,
    tobacco: input.tobacco,
    healthClass: input.healthClass,
    tableRating,
    ...flatExtra,
    faceAmount: input.faceAmount,
    termYears,
    productType,
    ...permanent,
    paymentMode: input.paymentMode ?? 'MONTHLY',
    health,
    carriers: carriers.sort(byName),
    asOf,
  };
}

/**
 * An issue age that no product of the type asked takes, at any carrier asked, is the caller's to
 * fix, not every carrier's outcome: said (naming birthDate, never its value) before any carrier is
 * called. Each carrier's own age basis decides its issue age.
 */
function ageOutsideEveryProduct(
  birthDate: string,
  asOf: string,
  productType: ProductType,
  carriers: readonly CarrierRow[],
  products: readonly ProductRow[],
): string | null {
  const basisOf = new Map(carriers.map((c) => [c.id, c.ageBasis]));
  const ages = { NEAREST: issueAge('NEAREST', birthDate, asOf), LAST: issueAge('LAST', birthDate, asOf) };
  // Runs on every comparison: the first product that takes the age ends the search.
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const product of products) {
    const basis = product.type === productType ? basisOf.get(product.carrierId) : undefined;
    if (!basis) continue;
    const age = ages[basis];
    if (age >= product.minIssueAge && age <= product.maxIssueAge) return null;
    min = Math.min(min, product.minIssueAge);
    max = Math.max(max, product.maxIssueAge);
  }
  if (min > max) return null;
  return `birthDate gives issue age ${ages.LAST}, outside every ${productType} product's issue ages (${min}-${max}) at the carriers asked`;
}

const FLAT_EXTRA_MONEY = /^\d+\.\d{2}$/;
const MAX_FLAT_EXTRA = formatMoney(MAX_FLAT_EXTRA_PER_THOUSAND_CENTS);

/** The flat extra in cents per $1,000 and its years, both 0 when there is none; each problem names its field in `reasons`. */
function validFlatExtra(
  input: Pick<QuoteInput, 'flatExtraPerThousand' | 'flatExtraYears'>,
  termYears: number | null,
  reasons: string[],
): { flatExtraPerThousandCents: number; flatExtraYears: number } {
  const amount = input.flatExtraPerThousand ?? null;
  const years = input.flatExtraYears ?? null;
  let cents = 0;
  if (amount !== null) {
    // The Money scalar already refuses other shapes; a negative amount is Money too, and a caller may skip the scalar.
    if (typeof amount !== 'string' || !FLAT_EXTRA_MONEY.test(amount))
      reasons.push('flatExtraPerThousand must be a non-negative amount of dollars with two decimal places, such as "2.50"');
    else {
      cents = parseMoney(amount);
      if (cents <= 0) reasons.push('flatExtraPerThousand must be more than 0.00 (omit it for no flat extra)');
      else if (cents > MAX_FLAT_EXTRA_PER_THOUSAND_CENTS) reasons.push(`flatExtraPerThousand must be at most ${MAX_FLAT_EXTRA} per $1,000`);
    }
    if (years === null) reasons.push('flatExtraYears is required with flatExtraPerThousand');
  }
  if (years !== null) {
    if (amount === null) reasons.push('flatExtraYears needs flatExtraPerThousand (omit both for no flat extra)');
    if (!Number.isInteger(years) || years < 1 || years > MAX_FLAT_EXTRA_YEARS)
      reasons.push(`flatExtraYears must be between 1 and ${MAX_FLAT_EXTRA_YEARS}`);
    else if (termYears !== null && years > termYears) reasons.push(`flatExtraYears must be at most termYears (${termYears})`);
  }
  return amount !== null && years !== null
    ? { flatExtraPerThousandCents: cents, flatExtraYears: years }
    : { flatExtraPerThousandCents: 0, flatExtraYears: 0 };
}

/**
 * What the product type adds: a guarantee age only for UNIVERSAL_LIFE (one of GUARANTEE_AGES, 121
 * when omitted), a pay period only for WHOLE_LIFE (LIFE when omitted), the final expense plan, and
 * the riders (each type once, amounts by riderAmountProblem). Each problem names its field in
 * `reasons`; an amount is named, never a birth date or health answer.
 */
function validPermanent(
  input: Pick<QuoteInput, 'guaranteedToAge' | 'payPeriod' | 'riders' | 'faceAmount'>,
  productType: ProductType,
  reasons: string[],
): Pick<NormalizedQuoteInput, 'guaranteedToAge' | 'payPeriod' | 'finalExpensePlan' | 'riders'> {
  const guarantee = input.guaranteedToAge ?? null;
  if (guarantee !== null) {
    if (!(GUARANTEE_AGES as readonly number[]).includes(guarantee))
      reasons.push(`guaranteedToAge must be one of ${GUARANTEE_AGES.join(', ')}`);
    else if (productType !== 'UNIVERSAL_LIFE') reasons.push('guaranteedToAge applies to UNIVERSAL_LIFE only');
  }
  const payPeriod = input.payPeriod ?? null;
  if (payPeriod !== null && productType !== 'WHOLE_LIFE') reasons.push('payPeriod applies to WHOLE_LIFE only');
  const riders = input.riders ?? [];
  const types = riders.map((rider) => rider.type);
  const repeated = [...new Set(types.filter((type, i) => types.indexOf(type) !== i))];
  if (repeated.length) reasons.push(`riders may name each type once: ${repeated.join(', ')} repeated`);
  for (const rider of riders) {
    const problem = Number.isInteger(input.faceAmount) ? riderAmountProblem(rider, input.faceAmount) : null;
    if (problem) reasons.push(problem);
  }
  return {
    guaranteedToAge: productType === 'UNIVERSAL_LIFE' ? ((guarantee ?? 121) as GuaranteeAgeCode) : null,
    payPeriod: productType === 'WHOLE_LIFE' ? (payPeriod ?? 'LIFE') : null,
    // Without health answers every knock-out question counts as "no": LEVEL. With them, each carrier
    // decides at its own issue age (quoteCarrier), since guaranteed issue has an age band.
    finalExpensePlan: productType === 'FINAL_EXPENSE' ? 'LEVEL' : null,
    riders: riders.map((rider) => ({ type: rider.type, ...(rider.amount != null ? { amount: rider.amount } : {}) })),
  };
}

function byName(a: CarrierRow, b: CarrierRow): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The quote cache key: carrier + a hash of the normalized request that prices it. The request holds
 * the issue age under that carrier's basis, never a birth date or a name, so the key carries no PII,
 * and two people of the same age and class share an entry. Fields are written in a fixed order. The
 * class is the one priced (a table prices off Standard, so "Preferred, table 2" shares "Standard,
 * table 2"'s entry); the table and the flat extra (amount and years) are part of the key, as are
 * the product type, guarantee age, pay period, plan and the riders (in the order asked, which is
 * the order they are answered in).
 */
export function quoteCacheKey(carrierId: string, request: QuoteRequest): string {
  const canonical = JSON.stringify([
    request.state,
    request.issueAge,
    request.gender,
    request.tobacco,
    pricingClass(request.healthClass, request.tableRating),
    request.tableRating,
    request.flatExtraPerThousandCents ?? 0,
    request.flatExtraYears ?? 0,
    request.faceAmount,
    request.termYears,
    request.productType,
    request.guaranteedToAge ?? null,
    request.payPeriod ?? null,
    request.finalExpensePlan ?? null,
    (request.riders ?? []).map((rider) => [rider.type, rider.amount ?? null]),
    [...request.productIds].sort(),
  ]);
  return `quote:v1:${carrierId}:${createHash('sha256').update(canonical).digest('hex')}`;
}

const MODE_KEYS = { ANNUAL: 'annual', SEMI_ANNUAL: 'semiAnnual', QUARTERLY: 'quarterly', MONTHLY: 'monthly' } as const;

export function toQuoteView(
  quote: CarrierQuote,
  carrier: CarrierRow,
  product: ProductRow,
  paymentMode: PaymentMode,
  requirements: QuoteRequirements,
  underwriting: QuoteUnderwritingView | null = null,
): QuoteView {
  const premiums = {
    annual: centsToMoney(quote.modalPremiumsCents.ANNUAL ?? quote.annualPremiumCents),
    semiAnnual: centsToMoney(quote.modalPremiumsCents.SEMI_ANNUAL),
    quarterly: centsToMoney(quote.modalPremiumsCents.QUARTERLY),
    monthly: centsToMoney(quote.modalPremiumsCents.MONTHLY),
  };
  return {
    carrier,
    product,
    healthClass: quote.healthClass,
    carrierClassName: quote.carrierClassName,
    issueAge: quote.issueAge,
    ageBasis: quote.ageBasis,
    faceAmount: quote.faceAmount,
    termYears: quote.termYears ?? null,
    guaranteedToAge: quote.guaranteedToAge ?? null,
    payPeriod: quote.payPeriod ?? null,
    finalExpensePlan: quote.finalExpensePlan ?? null,
    riders: (quote.riders ?? []).map((rider: RiderQuote) =>
      rider.offered
        ? { type: rider.type, premium: centsToMoney(rider.premiumCents), offered: true, message: null }
        : { type: rider.type, premium: null, offered: false, message: clip(rider.reason) },
    ),
    annualPremium: centsToMoney(quote.annualPremiumCents),
    premiums,
    modalPremium: premiums[MODE_KEYS[paymentMode]],
    policyFee: centsToMoney(quote.policyFeeCents),
    annualPremiumCents: quote.annualPremiumCents,
    modalPremiumCents: paymentMode === 'ANNUAL' ? quote.annualPremiumCents : quote.modalPremiumsCents[paymentMode],
    ...requirements,
    underwriting,
  };
}

/** A quote we can show: every amount a non-negative whole number of cents, for a product we asked about. */
function usable(quote: CarrierQuote, asked: ReadonlySet<string>): boolean {
  const cents = [
    quote.annualPremiumCents,
    quote.policyFeeCents,
    quote.modalPremiumsCents?.SEMI_ANNUAL,
    quote.modalPremiumsCents?.QUARTERLY,
    quote.modalPremiumsCents?.MONTHLY,
  ];
  const riders = (quote.riders ?? []).map((rider) => (rider.offered ? rider.premiumCents : 0));
  return asked.has(quote.productId) && [...cents, ...riders].every((c) => Number.isSafeInteger(c) && (c as number) >= 0);
}

type CatalogGuidelines = Catalog['guidelinesOf'] extends ReadonlyMap<string, infer V> ? V : never;

/** What one carrier is asked to price: the class, tobacco rates, table and flat extra. */
type PricingTerms = Pick<NormalizedQuoteInput, 'healthClass' | 'tobacco' | 'tableRating' | 'flatExtraPerThousandCents' | 'flatExtraYears'>;

interface Underwritten {
  /** Null when the carrier's guidelines would likely decline the client. */
  terms: PricingTerms | null;
  /** Quote.underwriting and CarrierOutcome.underwriting. */
  view: QuoteUnderwritingView | null;
  /** For the requirements grid and the accelerated program; empty without health answers. */
  facts: { health?: HealthFacts; treated?: boolean };
  /** Said on the outcome when the quotes are not what was asked. */
  note: string | null;
}

/**
 * Field underwriting at one carrier: without health answers, the terms asked for; with them, the
 * class, tobacco rates, table and flat extra this carrier's own guidelines would likely give (the
 * flat extra never longer than the term). Pure and per carrier: nothing of it is cached, so two
 * clients whose answers differ never share an estimate, though they share a cached price when
 * their estimates price alike (the cache key holds the priced terms, never the answers).
 */
function underwriteAt(input: NormalizedQuoteInput, guidelines: CatalogGuidelines | undefined, age: number): Underwritten {
  const asked: PricingTerms = input;
  if (!input.health) return { terms: asked, view: null, facts: {}, note: null };
  if (input.productType === 'FINAL_EXPENSE') {
    // Simplified issue: no class to estimate (the health answers choose the plan instead), only
    // whether this carrier's nicotine rules put the client on tobacco rates.
    const estimate =
      guidelines && !('unreadable' in guidelines)
        ? estimateUnderwriting(guidelines, input.health, { issueAge: age, asOf: input.asOf })
        : null;
    return { terms: { ...asked, tobacco: estimate ? estimate.tobacco : asked.tobacco }, view: null, facts: {}, note: null };
  }
  if (!guidelines || 'unreadable' in guidelines) {
    const facts = requirementHealthFacts(null, input.health);
    const note = guidelines
      ? "this carrier's underwriting guidelines in the catalog are unreadable: quoted at the healthClass and tobacco asked"
      : 'the catalog holds no underwriting guidelines for this carrier: quoted at the healthClass and tobacco asked';
    return { terms: asked, view: null, facts: { health: facts, treated: facts.treated }, note };
  }
  const estimate = estimateUnderwriting(guidelines, input.health, { issueAge: age, asOf: input.asOf });
  const facts = requirementHealthFacts(guidelines, input.health);
  return {
    terms: pricingOf(estimate, input.termYears),
    view: quoteUnderwritingView(estimate),
    facts: { health: facts, treated: facts.treated },
    note: null,
  };
}

/** The final-expense plan at this carrier's issue age: LEVEL without health answers, else by the answers' severity. */
function finalExpensePlanAt(input: NormalizedQuoteInput, age: number): FinalExpensePlan | null {
  if (input.productType !== 'FINAL_EXPENSE') return null;
  if (!input.health) return input.finalExpensePlan;
  return finalExpensePlan(finalExpenseSeverity(input.health), age, input.faceAmount);
}

interface CarrierResult {
  outcome: CarrierOutcomeView;
  quotes: QuoteView[];
}

const MESSAGE_LIMIT = 300;
const clip = (message: string) => (message.length > MESSAGE_LIMIT ? `${message.slice(0, MESSAGE_LIMIT - 1)}…` : message);

/** One carrier's part of a comparison. Never throws: every failure becomes its outcome. */
async function quoteCarrier(
  ctx: CarriersContext,
  carrier: CarrierRow,
  products: readonly ProductRow[],
  input: NormalizedQuoteInput,
  underwriting: Readonly<CarrierUnderwriting> | undefined,
  guidelines: CatalogGuidelines | undefined,
): Promise<CarrierResult> {
  const started = performance.now();
  const age = issueAge(carrier.ageBasis, input.birthDate, input.asOf);
  const underwritten = underwriteAt(input, guidelines, age);
  const outcome = (
    status: CarrierOutcomeStatus,
    extra: { message?: string | null; cached?: boolean; quotes?: QuoteView[] } = {},
  ): CarrierResult => {
    carrierOutcomes.inc({ carrier: carrier.id, status });
    const message = extra.message ?? underwritten.note;
    return {
      outcome: {
        carrier,
        status,
        message: message ? clip(message) : null,
        latencyMs: Math.round(performance.now() - started),
        cached: extra.cached ?? false,
        quoteCount: extra.quotes?.length ?? 0,
        underwriting: underwritten.view,
      },
      quotes: extra.quotes ?? [],
    };
  };

  const terms = underwritten.terms;
  if (!terms)
    return outcome('DECLINED', { message: "this carrier's guidelines would likely decline the client: see underwriting.reasons" });
  const plan = finalExpensePlanAt(input, age);
  if (input.productType === 'FINAL_EXPENSE' && plan === null)
    return outcome('NO_ELIGIBLE_PRODUCT', {
      message: `the health answers leave only guaranteed issue, which takes issue ages ${GUARANTEED_ISSUE_MIN_AGE}-${GUARANTEED_ISSUE_MAX_AGE} and at most $${GUARANTEED_ISSUE_MAX_FACE.toLocaleString('en-US')}`,
    });
  const ineligible: string[] = [];
  const ofType = products.filter((product) => product.type === input.productType);
  if (ofType.length === 0) return outcome('NO_ELIGIBLE_PRODUCT', { message: `no ${input.productType} product in this carrier's catalog` });
  // One request for every product of this carrier (the normalized input is wide: not spread per product).
  const atAge: ProductRequestAtAge & { finalExpensePlan: FinalExpensePlan | null } = {
    state: input.state,
    issueAge: age,
    healthClass: terms.healthClass,
    tableRating: terms.tableRating,
    flatExtraPerThousandCents: terms.flatExtraPerThousandCents,
    faceAmount: input.faceAmount,
    termYears: input.termYears,
    productType: input.productType,
    guaranteedToAge: input.guaranteedToAge,
    payPeriod: input.payPeriod,
    finalExpensePlan: plan,
  };
  const eligible = ofType.filter((product) => {
    const verdict = productEligibilityAtAge(product, atAge);
    if (!verdict.eligible) ineligible.push(verdict.reason);
    return verdict.eligible;
  });
  if (eligible.length === 0) {
    return outcome('NO_ELIGIBLE_PRODUCT', { message: [...new Set(ineligible)].join('; ') });
  }
  const { runtime } = ctx;
  if (!runtime.adapter(carrier.id))
    return outcome('ERROR', { message: 'carrier not configured: no endpoint or no adapter for its protocol' });

  const request: QuoteRequest = {
    state: input.state,
    issueAge: age,
    gender: input.gender,
    tobacco: terms.tobacco,
    // A table prices off Standard whatever class was asked: the carrier is asked for what it will price.
    healthClass: pricingClass(terms.healthClass, terms.tableRating, input.productType),
    tableRating: terms.tableRating,
    ...(terms.flatExtraYears > 0
      ? { flatExtraPerThousandCents: terms.flatExtraPerThousandCents, flatExtraYears: terms.flatExtraYears }
      : {}),
    faceAmount: input.faceAmount,
    productType: input.productType,
    termYears: input.productType === 'TERM' ? input.termYears : null,
    ...(input.guaranteedToAge !== null ? { guaranteedToAge: input.guaranteedToAge } : {}),
    ...(input.payPeriod !== null ? { payPeriod: input.payPeriod } : {}),
    ...(plan !== null ? { finalExpensePlan: plan } : {}),
    ...(input.riders.length ? { riders: input.riders } : {}),
    productIds: eligible.map((p) => p.id).sort(),
  };
  let leader = false;
  let networkCalls = 0;
  try {
    const { value, cached } = await ctx.cached.get(
      quoteCacheKey(carrier.id, request),
      runtime.config.ttlSeconds.quote,
      () => {
        leader = true;
        // Carriers whose protocol carries many requests in one exchange are asked once for every cell of a matrix.
        if (ctx.quoteBatches.batches(carrier.id))
          return ctx.quoteBatches.load(carrier.id, { request, onNetworkCall: () => networkCalls++ });
        return runtime.call(
          carrier.id,
          'quote',
          (adapter, options) => adapter.quote(request, options),
          () => {
            networkCalls++;
            ctx.stats.carrierCalls++;
          },
        );
      },
      ctx.stats,
    );
    const asked = new Set(request.productIds);
    const byId = new Map(eligible.map((p) => [p.id, p]));
    const quotes = (Array.isArray(value) ? value : [])
      .filter((q) => usable(q, asked))
      .map((q) => {
        const product = byId.get(q.productId)!;
        // What the carrier will likely order is ours to say (its grid in the catalog): never cached with the price.
        const requirements = quoteRequirements(underwriting, {
          issueAge: q.issueAge,
          faceAmount: q.faceAmount,
          productType: product.type,
          fullyUnderwritten: product.fullyUnderwritten,
          ...underwritten.facts,
        });
        return toQuoteView(q, carrier, product, input.paymentMode, requirements, underwritten.view);
      });
    // "cached": answered without calling the carrier — from the cache, or priced from a rate book already held.
    const answeredLocally = cached || (leader && networkCalls === 0);
    if (quotes.length === 0)
      return outcome('NO_ELIGIBLE_PRODUCT', {
        message: 'the carrier quoted none of its products for these inputs',
        cached: answeredLocally,
      });
    return outcome('OK', { cached: answeredLocally, quotes });
  } catch (error) {
    if (error instanceof CarrierFailure) {
      if (error.code === 'CARRIER.CIRCUIT_OPEN') return outcome('CIRCUIT_OPEN', { message: error.message });
      if (error.code === 'CARRIER.TIMEOUT') return outcome('TIMEOUT', { message: error.message });
      return outcome('ERROR', { message: `${error.code}: ${error.message}` });
    }
    ctx.logger.error({ err: error, carrierId: carrier.id }, 'unexpected error while quoting');
    return outcome('ERROR', { message: 'unexpected error while quoting this carrier' });
  }
}

/**
 * One deadline for a whole request (a comparison, or every cell of a matrix): a carrier still out
 * when it passes is a TIMEOUT outcome. Its call goes on under its own deadline and fills the cache
 * for the next request. `clear` must be called when the request is answered.
 */
export function comparisonDeadline(ctx: CarriersContext, started: number): { passed: Promise<'deadline'>; clear(): void } {
  const remaining = Math.max(0, ctx.runtime.config.compareTimeoutMs - (performance.now() - started));
  let timer: NodeJS.Timeout | undefined;
  const passed = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), remaining);
  });
  return { passed, clear: () => clearTimeout(timer) };
}

/** Every asked carrier for one validated request, each racing the shared deadline; never throws for a carrier's sake. */
export async function runComparison(
  ctx: CarriersContext,
  catalog: Catalog,
  normalized: NormalizedQuoteInput,
  deadline: Promise<'deadline'>,
): Promise<QuoteComparisonView> {
  const results = await Promise.all(
    normalized.carriers.map((carrier) =>
      // One span per carrier (its HTTP calls under it), ended with the carrier's outcome.
      withSpan('carriers.quote', { 'bga.carrier.id': carrier.id }, async (span) => {
        const result = await quoteOrTimeout(ctx, catalog, normalized, deadline, carrier);
        span?.setAttribute('bga.carrier.outcome', result.outcome.status);
        return result;
      }),
    ),
  );
  return {
    quotes: rankQuotes(results.flatMap((r) => r.quotes)),
    outcomes: results.map((r) => r.outcome),
    generatedAt: new Date().toISOString(),
  };
}

/** One carrier's result, or its TIMEOUT outcome once the comparison's deadline passes. */
async function quoteOrTimeout(
  ctx: CarriersContext,
  catalog: Catalog,
  normalized: NormalizedQuoteInput,
  deadline: Promise<'deadline'>,
  carrier: CarrierRow,
): Promise<CarrierResult> {
  const carrierStarted = performance.now();
  const result = await Promise.race([
    quoteCarrier(
      ctx,
      carrier,
      catalog.productsOf.get(carrier.id) ?? [],
      normalized,
      catalog.underwritingOf.get(carrier.id),
      catalog.guidelinesOf.get(carrier.id),
    ),
    deadline,
  ]);
  if (result !== 'deadline') return result;
  return {
    outcome: {
      carrier,
      status: 'TIMEOUT' as const,
      message: `no answer within the comparison deadline of ${ctx.runtime.config.compareTimeoutMs} ms`,
      latencyMs: Math.round(performance.now() - carrierStarted),
      cached: false,
      quoteCount: 0,
      underwriting: null,
    },
    quotes: [],
  } satisfies CarrierResult;
}

/** Quote.product.carrier then resolves from memory. */
export function primeCarriers(ctx: CarriersContext, carriers: readonly CarrierRow[]): void {
  for (const carrier of carriers) ctx.loaders.carrier.prime(carrier.id, carrier);
}

/** The whole comparison. Validation errors throw BAD_USER_INPUT; nothing a carrier does fails it. */
export async function compareQuotes(ctx: CarriersContext, input: QuoteInput): Promise<QuoteComparisonView> {
  const started = performance.now();
  // Warm comparisons read the catalog from this process's copy: no SQL, no carrier call.
  const catalog = await catalogOf(ctx);
  const normalized = validateQuoteInput(input, catalog);
  primeCarriers(ctx, normalized.carriers);
  const deadline = comparisonDeadline(ctx, started);
  try {
    return await runComparison(ctx, catalog, normalized, deadline.passed);
  } finally {
    deadline.clear();
  }
}

/**
 * The carriers compareQuotes(input) asks, ordered by name: the input validated exactly as
 * compareQuotes validates it (the same BAD_USER_INPUT errors), carrierIds and minAmBestRating
 * applied. No carrier is called. The gateway's quoteComparison subscription starts here.
 */
export async function quoteCarriers(ctx: CarriersContext, input: QuoteInput): Promise<CarrierRow[]> {
  const catalog = await catalogOf(ctx);
  const normalized = validateQuoteInput(input, catalog);
  primeCarriers(ctx, normalized.carriers);
  return normalized.carriers;
}

/**
 * One carrier's part of compareQuotes(input): the input validated against the whole set of carriers
 * compareQuotes would ask (so an issue age only this carrier does not take is its NO_ELIGIBLE_PRODUCT
 * outcome, as in the whole comparison, not an input error), then only `carrierId` priced, under the
 * same deadline: its quotes and exactly one outcome. A carrier outside that set is BAD_USER_INPUT.
 */
export async function compareQuotesAt(ctx: CarriersContext, input: QuoteInput, carrierId: string): Promise<QuoteComparisonView> {
  const started = performance.now();
  const catalog = await catalogOf(ctx);
  const normalized = validateQuoteInput(input, catalog);
  const carrier = normalized.carriers.find((c) => c.id === carrierId);
  // Never echoed: a well-formed id is opaque, but the caller's text may be anything.
  if (!carrier) throw badInput('carrierId is not one of the carriers compareQuotes asks for this input (quoteCarriers lists them)');
  primeCarriers(ctx, [carrier]);
  const deadline = comparisonDeadline(ctx, started);
  try {
    return await runComparison(ctx, catalog, { ...normalized, carriers: [carrier] }, deadline.passed);
  } finally {
    deadline.clear();
  }
}
