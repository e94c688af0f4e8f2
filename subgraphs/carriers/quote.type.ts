import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import {
  AgeBasis,
  AmBestRating,
  FinalExpensePlan,
  Gender,
  HealthClass,
  PaymentMode,
  PayPeriod,
  ProductType,
  RequirementCode,
  RiderType,
  State,
} from '../shared/enums';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../../platform/scalars';
import { Carrier, type CarrierRow } from './carrier.type';
import { HealthProfileInput, QuoteUnderwriting, type QuoteUnderwritingView } from './health-profile.type';
import { Product, type ProductRow } from './product.type';

export const CarrierOutcomeStatus = {
  OK: 'OK',
  NO_ELIGIBLE_PRODUCT: 'NO_ELIGIBLE_PRODUCT',
  TIMEOUT: 'TIMEOUT',
  ERROR: 'ERROR',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  DECLINED: 'DECLINED',
} as const;
export type CarrierOutcomeStatus = keyof typeof CarrierOutcomeStatus;
registerEnumType(CarrierOutcomeStatus, {
  name: 'CarrierOutcomeStatus',
  description: 'How one carrier answered a quote comparison.',
  valuesConfig: {
    OK: { description: 'The carrier quoted: its quotes are in the comparison.' },
    NO_ELIGIBLE_PRODUCT: {
      description: 'No product of this carrier covers the request (state, age, term, face, class, type); not an error.',
    },
    TIMEOUT: { description: "The carrier did not answer within its deadline or the comparison's." },
    ERROR: { description: 'The carrier answered with an error, an unreadable answer, or is not configured.' },
    CIRCUIT_OPEN: { description: 'The carrier failed repeatedly of late: it was not called this time.' },
    DECLINED: {
      description:
        "With QuoteInput.health: the carrier's own guidelines would likely decline this client; underwriting.reasons says why. No carrier call is made.",
    },
  },
});

@InputType({ description: 'A rider to add to each quoted policy.' })
export class RiderInput {
  @Field(() => RiderType, { description: 'Which rider; each type at most once per quote.' })
  type!: RiderType;

  @Field(() => Int, {
    nullable: true,
    description:
      'Whole dollars: required for ACCIDENTAL_DEATH (whole thousands, at most the face amount and 250,000) and CHILD_TERM (1,000 to 25,000 in whole thousands); refused for the others.',
  })
  amount?: number | null;
}

/**
 * The client and the request's terms, shared by QuoteInput (one face amount and term) and
 * QuoteMatrixInput (several of each): a field added here reaches both. Not part of the schema by
 * itself (no argument takes it): its fields are printed in each input that extends it.
 */
@InputType('QuoteClientInput')
export class QuoteClientInput {
  @Field(() => State, { description: "The insured's state of residence." })
  state!: string;

  @Field(() => DateScalar, {
    description: "The insured's birth date. Used only to compute issue age under each carrier's basis; never stored or cached.",
  })
  birthDate!: string;

  @Field(() => Gender, { description: "The insured's gender as rated." })
  gender!: Gender;

  @Field(() => Boolean, {
    description: 'True when the insured uses tobacco or nicotine. Ignored when health is given (its nicotine answers decide, per carrier).',
  })
  tobacco!: boolean;

  @Field(() => HealthClass, {
    description:
      'The health class to quote. Ignored when health is given: each carrier is then quoted at the class its own guidelines would likely give.',
  })
  healthClass!: HealthClass;

  @Field(() => HealthProfileInput, {
    nullable: true,
    description:
      "The client's health, lifestyle and history for field underwriting. Given, each carrier is quoted at the class, table and flat extra its OWN guidelines would likely give (carriers differ: Quote.underwriting and CarrierOutcome.underwriting say what each estimated and why not better), tobacco rates follow each carrier's nicotine rules, and healthClass and tobacco are ignored; tableRating and flatExtraPerThousand must then be omitted. Personal data: never stored, logged, echoed in errors or put in a cache key.",
  })
  health?: HealthProfileInput | null;

  @Field(() => Int, {
    nullable: true,
    defaultValue: 0,
    description:
      "Table rating: 0 = none; 1..8 (tables A-H), each adding 25% to the Standard rate of the insured's tobacco class. A preferred class never carries a table: with a table, any healthClass prices as STANDARD. Fully underwritten products only.",
  })
  tableRating?: number | null;

  @Field(() => MoneyScalar, {
    nullable: true,
    description:
      'Flat extra in dollars per $1,000 of face a year, more than 0.00 and at most 100.00 (two decimal places), charged for flatExtraYears. Added to the annual premium (not table-rated) before the modal factors. Fully underwritten products only. Omit for none; give it with flatExtraYears.',
  })
  flatExtraPerThousand?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "How many years the flat extra is charged: 1 to 30, and no longer than termYears for TERM. Required with flatExtraPerThousand and refused without it. The quoted premiums are those of the flat extra's years.",
  })
  flatExtraYears?: number | null;

  @Field(() => ProductType, {
    nullable: true,
    defaultValue: 'TERM',
    description:
      'Product type: TERM (with termYears), UNIVERSAL_LIFE (guaranteed, with guaranteedToAge), WHOLE_LIFE (with payPeriod) or FINAL_EXPENSE (ages 45-85, faces 5,000 to 50,000). INDEXED_UNIVERSAL_LIFE needs an illustration: its outcomes are NO_ELIGIBLE_PRODUCT saying so.',
  })
  productType?: ProductType | null;

  @Field(() => Int, {
    nullable: true,
    description: 'UNIVERSAL_LIFE only: the age the no-lapse guarantee runs to, 90, 95, 100, 105 or 121; 121 when omitted.',
  })
  guaranteedToAge?: number | null;

  @Field(() => PayPeriod, { nullable: true, description: 'WHOLE_LIFE only: how long premiums are paid; LIFE when omitted.' })
  payPeriod?: PayPeriod | null;

  @Field(() => [RiderInput], {
    nullable: true,
    description:
      "Riders to add, each type at most once. Each quote answers every rider: its premium (in the quote's premiums), or why that product does not offer it.",
  })
  riders?: RiderInput[] | null;

  @Field(() => PaymentMode, {
    nullable: true,
    defaultValue: 'MONTHLY',
    description: 'The payment mode Quote.modalPremium is given in, and the one quotes are ranked by.',
  })
  paymentMode?: PaymentMode | null;

  @Field(() => [ID], { nullable: true, description: 'Carriers to ask (car_...); every carrier when omitted.' })
  carrierIds?: string[] | null;

  @Field(() => AmBestRating, { nullable: true, description: 'Only carriers rated this or better.' })
  minAmBestRating?: AmBestRating | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day issue ages are computed on; today (UTC) when omitted.' })
  asOf?: string | null;
}

@InputType({ description: 'Who to quote and how: the inputs that price a life policy.' })
export class QuoteInput extends QuoteClientInput {
  @Field(() => Int, { description: 'Face amount in whole dollars, 1 to 100,000,000.' })
  faceAmount!: number;

  @Field(() => Int, { nullable: true, description: 'Level-premium period in years, required for TERM: 10, 15, 20, 25 or 30.' })
  termYears?: number | null;
}

/** Premiums of one quote in integer cents, by payment mode. */
export interface ModalPremiumsView {
  annual: string;
  semiAnnual: string;
  quarterly: string;
  monthly: string;
}

@ObjectType({ description: 'One premium per payment mode.' })
export class ModalPremiums implements ModalPremiumsView {
  @Field(() => MoneyScalar, { description: 'Paid once a year (includes the policy fee).' })
  annual!: string;

  @Field(() => MoneyScalar, { description: 'Each of two payments a year.' })
  semiAnnual!: string;

  @Field(() => MoneyScalar, { description: 'Each of four payments a year.' })
  quarterly!: string;

  @Field(() => MoneyScalar, { description: 'Each of twelve payments a year.' })
  monthly!: string;
}

/** A rider on a quote as the resolvers see it. */
export interface QuoteRiderView {
  type: RiderType;
  premium: string | null;
  offered: boolean;
  message: string | null;
}

@ObjectType({ description: 'A rider asked for, on one quote: its yearly premium, or why this product does not offer it.' })
export class QuoteRider implements QuoteRiderView {
  @Field(() => RiderType, { description: 'Which rider.' })
  type!: RiderType;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: "The rider's yearly premium, included in the quote's premiums; null when not offered.",
  })
  premium!: string | null;

  @Field(() => Boolean, { description: 'False when this product does not offer the rider (or not at this age or term): not an error.' })
  offered!: boolean;

  @Field(() => String, { nullable: true, description: 'Why the rider is not offered; null when it is.' })
  message!: string | null;
}

/** A quote as the resolvers see it: rows for the entities, money already formatted, cents kept for ranking. */
export interface QuoteView {
  carrier: CarrierRow;
  product: ProductRow;
  healthClass: HealthClass;
  carrierClassName: string;
  issueAge: number;
  ageBasis: AgeBasis;
  faceAmount: number;
  termYears: number | null;
  guaranteedToAge: number | null;
  payPeriod: PayPeriod | null;
  finalExpensePlan: FinalExpensePlan | null;
  riders: QuoteRiderView[];
  annualPremium: string;
  premiums: ModalPremiumsView;
  modalPremium: string;
  policyFee: string;
  annualPremiumCents: number;
  /** The premium per payment in the requested mode, in cents: what quotes are ranked by. */
  modalPremiumCents: number;
  expectedRequirements: RequirementCode[];
  acceleratedUnderwriting: boolean;
  acceleratedReasons: string[];
  underwriting: QuoteUnderwritingView | null;
}

@ObjectType({ description: "One carrier's price for one eligible product." })
export class Quote {
  @Field(() => Carrier, { description: 'The carrier that quoted.' })
  carrier!: CarrierRow;

  @Field(() => Product, { description: 'The product quoted.' })
  product!: ProductRow;

  @Field(() => HealthClass, { description: 'The health class quoted: STANDARD whenever a table rating was asked.' })
  healthClass!: HealthClass;

  @Field(() => String, { description: "The carrier's own name for the class." })
  carrierClassName!: string;

  @Field(() => Int, { description: "Issue age under this carrier's age basis on the comparison's day." })
  issueAge!: number;

  @Field(() => AgeBasis, { description: "The carrier's age basis." })
  ageBasis!: AgeBasis;

  @Field(() => Int, { description: 'Face amount in whole dollars.' })
  faceAmount!: number;

  @Field(() => Int, { nullable: true, description: 'Level-premium period in years (TERM).' })
  termYears!: number | null;

  @Field(() => Int, { nullable: true, description: 'The age the no-lapse guarantee runs to (UNIVERSAL_LIFE).' })
  guaranteedToAge!: number | null;

  @Field(() => PayPeriod, { nullable: true, description: 'How long premiums are paid (WHOLE_LIFE).' })
  payPeriod!: PayPeriod | null;

  @Field(() => FinalExpensePlan, {
    nullable: true,
    description: 'The plan quoted (FINAL_EXPENSE): LEVEL unless the health answers call for another.',
  })
  finalExpensePlan!: FinalExpensePlan | null;

  @Field(() => [QuoteRider], { description: 'One per rider asked, in the order asked: its premium or why it is not offered.' })
  riders!: QuoteRiderView[];

  @Field(() => MoneyScalar, { description: 'Annual premium, policy fee and offered riders included.' })
  annualPremium!: string;

  @Field(() => ModalPremiums, { description: 'The premium in every payment mode.' })
  premiums!: ModalPremiumsView;

  @Field(() => MoneyScalar, { description: 'The premium per payment in the requested payment mode.' })
  modalPremium!: string;

  @Field(() => MoneyScalar, { description: "The carrier's annual policy fee, included in annualPremium." })
  policyFee!: string;

  @Field(() => [RequirementCode], {
    description:
      "What this carrier will likely order before it decides, from its requirements grid for this issue age, face amount and product (MIB, Rx check, MVR always; exams, fluids, APS, EKG, financials as the grid says). Without the accelerated program's exam and fluids when acceleratedUnderwriting is true. The same answer underwritingRequirements gives.",
  })
  expectedRequirements!: RequirementCode[];

  @Field(() => Boolean, {
    description:
      "True when this client is within the carrier's accelerated (no exam, no fluids) program for this product: its age and face limits, and, with QuoteInput.health, no disqualifying condition, build within Standard and no recent DUI. Without health answers it is judged on age and face alone. Simplified-issue products are never 'accelerated': they ask no exam at all.",
  })
  acceleratedUnderwriting!: boolean;

  @Field(() => [String], { description: 'Why the client is not in the accelerated program (empty when acceleratedUnderwriting is true).' })
  acceleratedReasons!: string[];

  @Field(() => QuoteUnderwriting, {
    nullable: true,
    description:
      "This carrier's field-underwriting estimate for the client (QuoteInput.health), the class, table and flat extra this quote is priced at, with the reason for each better class it could not give; null without health.",
  })
  underwriting!: QuoteUnderwritingView | null;
}

/** An outcome as the resolvers see it. */
export interface CarrierOutcomeView {
  carrier: CarrierRow;
  status: CarrierOutcomeStatus;
  message: string | null;
  latencyMs: number;
  cached: boolean;
  quoteCount: number;
  underwriting: QuoteUnderwritingView | null;
}

@ObjectType({ description: 'How one carrier asked in a comparison answered.' })
export class CarrierOutcome {
  @Field(() => Carrier, { description: 'The carrier.' })
  carrier!: CarrierRow;

  @Field(() => CarrierOutcomeStatus, { description: 'OK, or why there are no quotes from this carrier.' })
  status!: CarrierOutcomeStatus;

  @Field(() => String, {
    nullable: true,
    description:
      'Why, for anything but OK (for OK, a note when the quotes are not what was asked: no guidelines to underwrite with); never a stack trace.',
  })
  message!: string | null;

  @Field(() => Int, { description: "Milliseconds this carrier's answer took, cache lookups included." })
  latencyMs!: number;

  @Field(() => Boolean, { description: 'True when answered without calling the carrier (a cached answer, or a rate book already held).' })
  cached!: boolean;

  @Field(() => Int, { description: 'Quotes from this carrier in the comparison.' })
  quoteCount!: number;

  @Field(() => QuoteUnderwriting, {
    nullable: true,
    description:
      "This carrier's field-underwriting estimate for the client (QuoteInput.health), also when it declines (status DECLINED); null without health, or when the catalog holds no guidelines for this carrier (message says so).",
  })
  underwriting!: QuoteUnderwritingView | null;
}

export interface QuoteComparisonView {
  quotes: QuoteView[];
  outcomes: CarrierOutcomeView[];
  generatedAt: string;
}

@ObjectType({ description: "Every asked carrier's answer to one quote request." })
export class QuoteComparison {
  @Field(() => [Quote], {
    description:
      "One per eligible product, cheapest first in the client's terms: by modalPremium, the premium per payment in the requested paymentMode (carriers' modal factors differ, so the order by annual premium is not the order by monthly premium); ties by annualPremium, then carrier name, then product code.",
  })
  quotes!: QuoteView[];

  @Field(() => [CarrierOutcome], { description: 'Exactly one per carrier asked, ordered by carrier name.' })
  outcomes!: CarrierOutcomeView[];

  @Field(() => DateTimeScalar, { description: 'When the comparison was made.' })
  generatedAt!: string;
}
