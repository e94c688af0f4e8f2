/**
 * The carrier's own rules, shared by the three protocol simulators: what it will quote and at what
 * price, and which applications it accepts. Every simulated carrier sells exactly its fixture
 * products, prices from its fixture rate table with its own arithmetic (pricing.ts) and rules
 * (product-rules.ts), so the numbers an adapter gets back can be checked by hand.
 */
import {
  ALL_STATES,
  HEALTH_CLASSES,
  PAYMENT_MODES,
  type CarrierFixture,
  type HealthClassCode,
  type PaymentModeCode,
  type ProductFixture,
  type StateCode,
} from '../subgraphs/carriers/fixtures/carriers.fixture';
import { rateFor } from '../subgraphs/carriers/fixtures/rate-table';
import type { UnderwritingDecision } from './carrier-store';
import { ageOn, annualPremium, basePremium, type ModalPremiumSet, modalPremiums, ratedClass, riderPremium } from './pricing';
import { type RiderAskAtCarrier, riderRate, ruleBroken } from './product-rules';

/** A quote as a carrier receives it, already decoded from the protocol. */
export interface QuoteAsk {
  state: StateCode;
  issueAge: number;
  gender: 'MALE' | 'FEMALE';
  tobacco: boolean;
  healthClass: HealthClassCode;
  tableRating: number;
  /** Cents per $1,000 a year; 0 or absent = none. */
  flatExtraPerThousandCents?: number;
  /** Present exactly when the flat extra is. */
  flatExtraYears?: number;
  faceAmount: number;
  /** TERM only; null for the other types. */
  termYears: number | null;
  /** UNIVERSAL_LIFE: the guarantee age (121 when absent). */
  guaranteedToAge?: number;
  /** WHOLE_LIFE: LIFE, TEN_PAY, TWENTY_PAY or TO_AGE_65 (LIFE when absent). */
  payPeriod?: string;
  /** FINAL_EXPENSE: LEVEL, GRADED, MODIFIED or GUARANTEED_ISSUE (LEVEL when absent). */
  finalExpensePlan?: string;
  riders?: RiderAskAtCarrier[];
  productCodes: string[];
}

/** A rider on a priced product: its yearly premium (in the annual premium), or why the carrier does not sell it here. */
export type PricedRider = { type: string; premiumCents: number } | { type: string; refused: string };

export interface PricedProduct {
  product: ProductFixture;
  /** The class priced: Standard whenever a table was asked. */
  healthClass: HealthClassCode;
  rateThousandths: number;
  annualPremiumCents: number;
  policyFeeCents: number;
  modalPremiumsCents: ModalPremiumSet;
  /** One per asked rider, in the order asked. */
  riders: PricedRider[];
}

export interface QuoteAnswer {
  priced: PricedProduct[];
  /** Products asked for and not quoted, with the carrier's reason. */
  declined: { productCode: string; reason: string }[];
}

/** An application as a carrier receives it, already decoded from the protocol. */
export interface ApplicationAsk {
  productCode: string;
  state: string;
  birthDate: string;
  gender: 'MALE' | 'FEMALE';
  tobacco: boolean;
  healthClass: string;
  tableRating: number;
  faceAmount: number;
  termYears: number | null;
  paymentMode: string;
  /** The premium the BGA quoted: checked against the carrier's own price. */
  annualPremiumCents: number | null;
  /** The day the issue age is computed on (the signing date). */
  applicationDate: string;
}

/** Prices each asked product the carrier may quote for this request; the others are declined with a reason. */
export function priceQuote(carrier: CarrierFixture, ask: QuoteAsk): QuoteAnswer {
  const answer: QuoteAnswer = { priced: [], declined: [] };
  for (const productCode of ask.productCodes) {
    const product = carrier.products.find((p) => p.code === productCode);
    if (!product) {
      answer.declined.push({ productCode, reason: `unknown product ${productCode}` });
      continue;
    }
    const broken = ruleBroken(product, ask);
    if (broken) {
      answer.declined.push({ productCode, reason: broken });
      continue;
    }
    // Final expense has plans, not classes: it is rated on its one Standard class.
    const healthClass = product.type === 'FINAL_EXPENSE' ? 'STANDARD' : ratedClass(ask.healthClass, ask.tableRating);
    const rate = rateFor(carrier, product, {
      age: ask.issueAge,
      gender: ask.gender,
      tobacco: ask.tobacco,
      healthClass,
      termYears: ask.termYears,
      guaranteedToAge: (ask.guaranteedToAge ?? null) as 121 | null,
      payPeriod: (ask.payPeriod ?? null) as 'LIFE' | null,
      finalExpensePlan: (ask.finalExpensePlan ?? null) as 'LEVEL' | null,
      faceAmount: ask.faceAmount,
    });
    if (rate === undefined) {
      answer.declined.push({ productCode, reason: `${product.name} has no rate for this request` });
      continue;
    }
    const baseCents = basePremium(rate, ask.faceAmount, ask.tableRating);
    const riders = (ask.riders ?? []).map((rider): PricedRider => {
      const priced = riderRate(carrier, product, rider, ask.issueAge, ask.termYears);
      if ('refused' in priced) return { type: rider.type, refused: priced.refused };
      return { type: rider.type, premiumCents: riderPremium(rider.type, { baseCents, amount: rider.amount ?? 0, rate: priced.rate }) };
    });
    const riderCents = riders.reduce((sum, rider) => sum + ('premiumCents' in rider ? rider.premiumCents : 0), 0);
    const annual = annualPremium(
      rate,
      ask.faceAmount,
      ask.tableRating,
      carrier.policyFeeCents,
      ask.flatExtraPerThousandCents ?? 0,
      riderCents,
    );
    answer.priced.push({
      product,
      healthClass,
      rateThousandths: rate,
      annualPremiumCents: annual,
      policyFeeCents: carrier.policyFeeCents,
      modalPremiumsCents: modalPremiums(annual, carrier.modalFactors),
      riders,
    });
  }
  return answer;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/**
 * Accepts or rejects an application as the carrier's new-business intake would: an impossible one
 * (unknown product, face or age outside the limits under the carrier's OWN age basis, state not
 * approved, class not offered) is rejected with a message that names the problem and no personal
 * data. A premium that differs from the carrier's own is accepted with a note, as carriers re-rate.
 */
export function underwriteApplication(carrier: CarrierFixture, ask: ApplicationAsk): UnderwritingDecision {
  const product = carrier.products.find((p) => p.code === ask.productCode);
  if (!product) return { accepted: false, message: `unknown product ${ask.productCode}` };
  if (!ALL_STATES.includes(ask.state as StateCode)) return { accepted: false, message: `unknown state ${ask.state}` };
  if (!HEALTH_CLASSES.includes(ask.healthClass as HealthClassCode)) return { accepted: false, message: 'unknown underwriting class' };
  if (!PAYMENT_MODES.includes(ask.paymentMode as PaymentModeCode)) return { accepted: false, message: 'unknown payment mode' };
  if (!ISO_DATE.test(ask.birthDate) || !ISO_DATE.test(ask.applicationDate))
    return { accepted: false, message: 'birth date and application date must be YYYY-MM-DD' };
  let age: number;
  try {
    age = ageOn(carrier.ageBasis, ask.birthDate, ask.applicationDate);
  } catch {
    return { accepted: false, message: 'the birth date is not a possible date before the application date' };
  }
  const broken = ruleBroken(product, { ...ask, issueAge: age });
  if (broken) return { accepted: false, message: broken };

  const terms = {
    productCode: product.code,
    faceAmount: ask.faceAmount,
    termYears: ask.termYears,
    healthClass: ask.healthClass as HealthClassCode,
    tableRating: ask.tableRating,
    paymentMode: ask.paymentMode as PaymentModeCode,
    issueAge: age,
    annualPremiumCents: ask.annualPremiumCents ?? 0,
  };
  if (product.type !== 'TERM' || ask.termYears === null) return { accepted: true, terms };
  const rate = rateFor(carrier, product, {
    age,
    gender: ask.gender,
    tobacco: ask.tobacco,
    healthClass: ratedClass(terms.healthClass, ask.tableRating),
    termYears: ask.termYears,
    faceAmount: ask.faceAmount,
  });
  if (rate === undefined) return { accepted: false, message: `${product.name} has no rate for these terms` };
  const own = annualPremium(rate, ask.faceAmount, ask.tableRating, carrier.policyFeeCents);
  const note =
    ask.annualPremiumCents !== null && ask.annualPremiumCents !== own
      ? `premium recalculated to ${dollars(own)} a year at issue age ${age}`
      : undefined;
  return { accepted: true, terms: { ...terms, annualPremiumCents: own }, message: note };
}
