/**
 * Our normalized carrier types to and from ACORD TXLife, with every code map in one place (the tc
 * values of docs/domain.md "Carrier protocols" and of our ACORD carriers' implementation guide).
 * Unknown codes never throw: a status or requirement we cannot name maps to null with the raw code
 * kept, and `report` hears about it. A response we cannot read at all is CARRIER.MALFORMED.
 */
import type { CaseStatus, RequirementCode } from '../../../shared/enums';
import { STATE_CODES } from '../../../shared/vocabulary';
import type {
  CarrierProfile,
  FinalExpensePlanCode,
  HealthClassCode,
  PaymentModeCode,
  PayPeriodCode,
  Product,
  ProductTypeCode,
  RiderTypeCode,
  StateCode,
} from '../../domain/carrier';
import type { RiderQuote } from '../../domain/riders';
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
  type ApprovedTerms,
  type QuoteRequest,
} from '../carrier-adapter.port';
import { formatMoney, pricingClass } from '../../domain/premium';
import { fullApplicationOLifE } from './acord.application';
import { child, children, tc, tcOf, text, type XmlNode } from './txlife.xml';

/** Hears each code the maps below do not know: the adapter logs it (once per code). */
export type ReportUnknown = (field: string, code: string) => void;

export const TRANS_TYPE = { QUOTE: '111', NEW_BUSINESS: '103', HOLDING_INQUIRY: '203' } as const;
const RESULT = { SUCCESS: '1', SUCCESS_WITH_INFO: '2', FAILURE: '5' } as const;

/** What one PolicyStatus tc means for a case: our status (null: no change), what qualifies it, and the words we note. */
export interface PolicyStatusMeaning {
  status: CaseStatus | null;
  qualifier: CarrierStatusQualifier | null;
  /** What we note when the code says more than the status (the hold, the reconsideration). */
  note: string | null;
}

const meaning = (status: CaseStatus | null, qualifier: CarrierStatusQualifier | null = null, note: string | null = null) => ({
  status,
  qualifier,
  note,
});

/**
 * PolicyStatus tc → what it means for a case: the code list of docs/domain.md "Carrier status as carriers send it". 12
 * (proposed) is not yet submitted: no status, no change, and not unknown. 97 reopens an INCOMPLETE
 * case as APPROVED and 50 cancels a PLACED policy in its free-look period: carrier moves out of a
 * closed state, allowed only with these qualifiers (cases domain/case-status.ts carrierMayMove).
 */
export const POLICY_STATUS: Readonly<Record<string, PolicyStatusMeaning>> = {
  '12': meaning(null, 'PROPOSED', 'proposed: not yet submitted'),
  '21': meaning('SUBMITTED'),
  '22': meaning('SUBMITTED', 'PENDING_TRANSMISSION', 'pending transmission to the carrier'),
  '8': meaning('IN_UNDERWRITING'),
  '54': meaning('IN_UNDERWRITING'),
  '23': meaning('INCOMPLETE'),
  '24': meaning('APPROVED'),
  '53': meaning('APPROVED', 'CONDITIONAL_APPROVAL', 'conditional approval: the conditions are requirements'),
  '58': meaning('APPROVED', 'TENTATIVE_OFFER', 'approved: tentative offer'),
  '103': meaning('APPROVED', 'ISSUE_HOLD', 'approved: issue hold'),
  '26': meaning('APPROVED_OTHER_THAN_APPLIED', 'COUNTER_OFFER', 'counter offer: approved other than applied'),
  '25': meaning('ISSUED'),
  '44': meaning('DELIVERY_REQUIREMENTS'),
  '43': meaning('ISSUED', 'NON_MATERIAL_CHANGES', 'issued with non-material changes'),
  '1': meaning('PLACED'),
  '27': meaning('DECLINED'),
  '35': meaning('DECLINED', 'NOT_ELIGIBLE', 'declined: not eligible'),
  '29': meaning('POSTPONED'),
  '59': meaning('WITHDRAWN', 'HOME_OFFICE_WITHDREW', 'withdrawn by the home office'),
  '60': meaning('WITHDRAWN'),
  '39': meaning('WITHDRAWN', 'CUSTOMER_CANCELLED', 'the customer cancelled the application'),
  '98': meaning('INCOMPLETE', 'FURTHER_INFORMATION_UNOBTAINABLE', 'closed: further information unobtainable'),
  '97': meaning('APPROVED', 'RECONSIDERED', 'reconsidered and approved'),
  '7': meaning('NOT_TAKEN'),
  '65': meaning('NOT_TAKEN'),
  '51': meaning('NOT_TAKEN', 'NOT_PLACED', 'not placed'),
  '50': meaning('NOT_TAKEN', 'FREE_LOOK', 'free-look cancellation'),
};

/** UnderwritingClass tc. 3 (rated) names no class of ours: a table rating travels separately. */
export const UNDERWRITING_CLASS: Readonly<Record<HealthClassCode, string>> = {
  PREFERRED_PLUS: '19',
  PREFERRED: '2',
  STANDARD_PLUS: '6',
  STANDARD: '1',
};
/** UnderwritingClass tc 3: rated (substandard), priced off Standard with the PermTableRating beside it. */
export const UNDERWRITING_CLASS_RATED = '3';

/**
 * A life participant's rating as ACORD carries it: UnderwritingClass 3 (rated) with PermTableRating
 * when a table is given (a table prices off Standard, so the class asked is not sent), and a
 * temporary flat extra as TempFlatExtraAmt (dollars per $1,000 a year) for TempFlatExtraDuration years.
 */
export function participantRating(rating: {
  healthClass: HealthClassCode;
  tableRating: number;
  flatExtraPerThousandCents?: number;
  flatExtraYears?: number;
}): XmlNode {
  const flatExtra = rating.flatExtraPerThousandCents ?? 0;
  return {
    UnderwritingClass: tc(rating.tableRating > 0 ? UNDERWRITING_CLASS_RATED : UNDERWRITING_CLASS[rating.healthClass]),
    ...(rating.tableRating > 0 ? { PermTableRating: String(rating.tableRating) } : {}),
    ...(flatExtra > 0 ? { TempFlatExtraAmt: formatMoney(flatExtra), TempFlatExtraDuration: String(rating.flatExtraYears ?? 0) } : {}),
  };
}

/** ReqCode tc → RequirementCode, as the carriers' implementation guide numbers them. */
export const REQ_CODE: Readonly<Record<string, RequirementCode>> = {
  '1': 'APS',
  '3': 'PARAMED_EXAM',
  '5': 'BLOOD_URINE',
  '9': 'MIB',
  '11': 'MVR',
  '12': 'INSPECTION_REPORT',
  '16': 'PHONE_INTERVIEW',
  '39': 'SIGNED_ILLUSTRATION',
  '43': 'DELIVERY_RECEIPT',
  '44': 'AMENDMENT',
  '52': 'GOOD_HEALTH_STATEMENT',
  '84': 'HIPAA_AUTHORIZATION',
  '181': 'RX_CHECK',
  // The guide's private code for the EKG taken at the exam (ACORD keeps tc values from 1,000,000,000 up for a carrier's own use).
  '1000500031': 'EKG',
};

/** ReqStatus tc → our requirement status: 1 (added, not yet sent) and 3 (sent to the vendor) are still outstanding. */
export const REQ_STATUS: Readonly<Record<string, CarrierRequirementStatus['status']>> = {
  '1': 'ORDERED',
  '2': 'ORDERED',
  '3': 'ORDERED',
  '4': 'RECEIVED',
  '6': 'RECEIVED',
  '5': 'WAIVED',
  '7': 'CANCELLED',
};

export const PAYMENT_MODE: Readonly<Record<PaymentModeCode, string>> = { ANNUAL: '1', SEMI_ANNUAL: '2', QUARTERLY: '3', MONTHLY: '4' };
const GENDER = { MALE: '1', FEMALE: '2' } as const;
/** Smoker status: 1 never, 2 prior, 3 current. We quote tobacco users as current smokers, everyone else as never. */
const SMOKER = { NEVER: '1', CURRENT: '3' } as const;
const RELATION_ROLE = { INSURED: '32', OWNER: '8', PRIMARY_BENEFICIARY: '34', CONTINGENT_BENEFICIARY: '36', WRITING_AGENT: '37' } as const;
const PRODUCT_TYPE: Readonly<Record<string, ProductTypeCode>> = {
  '1': 'WHOLE_LIFE',
  '2': 'TERM',
  '3': 'UNIVERSAL_LIFE',
  '4': 'INDEXED_UNIVERSAL_LIFE',
  '9': 'FINAL_EXPENSE',
};
const UNDERWRITING_APPROACH_FULL = '1';
/** Coverage/IndicatorCode: the base coverage, and each rider as a Coverage of its own. */
const COVERAGE_INDICATOR = { BASE: '1', RIDER: '2' } as const;
/** A rider's Coverage/LifeCovTypeCode tc, as the carriers' implementation guide numbers them. */
export const RIDER_COV_TYPE: Readonly<Record<RiderTypeCode, string>> = {
  WAIVER_OF_PREMIUM: '9',
  ACCIDENTAL_DEATH: '5',
  CHILD_TERM: '26',
  RETURN_OF_PREMIUM: '40',
};
/** Coverage/PremiumPayingPeriod of a whole life. */
export const PAY_PERIOD: Readonly<Record<PayPeriodCode, string>> = { LIFE: 'L', TEN_PAY: '10', TWENTY_PAY: '20', TO_AGE_65: 'A65' };
/** Coverage/BenefitPlanType tc of a final expense policy. */
export const BENEFIT_PLAN: Readonly<Record<FinalExpensePlanCode, string>> = {
  LEVEL: '1',
  GRADED: '2',
  MODIFIED: '3',
  GUARANTEED_ISSUE: '4',
};

const malformed = (what: string) => new CarrierFailure('CARRIER.MALFORMED', `unreadable TXLife response: ${what}`);

const invert = <K extends string>(table: Readonly<Record<K, string>>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k])) as Record<string, K>;
const CLASS_BY_TC = invert(UNDERWRITING_CLASS);
const RIDER_BY_TC = invert(RIDER_COV_TYPE);
const MODE_BY_TC = invert(PAYMENT_MODE);

const AMOUNT = /^\d+(\.\d{1,2})?$/;
/** An ACORD amount ("370.00") in cents, exactly: never through a float. */
function cents(value: string | undefined, what: string): number {
  if (!value || !AMOUNT.test(value)) throw malformed(`${what} is not an amount`);
  const [whole, fraction = ''] = value.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

function wholeNumber(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

interface Envelope {
  guid: string;
  type: string;
  date: string;
  time: string;
}

function transaction(envelope: Envelope, olife: XmlNode): XmlNode {
  return {
    TransRefGUID: envelope.guid,
    TransType: tc(envelope.type),
    TransExeDate: envelope.date,
    TransExeTime: envelope.time,
    OLifE: olife,
  };
}

/** One TXLifeResponse's outcome: succeeded or not, and the carrier's messages. */
export function resultOf(response: XmlNode): { ok: boolean; code: string; messages: string[] } {
  const result = child(response, 'TransResult');
  const code = tcOf(result, 'ResultCode');
  if (!code) throw malformed('TransResult/ResultCode is missing');
  const messages = children(result, 'ResultInfo')
    .map((info) => text(info, 'ResultInfoDesc'))
    .filter((m): m is string => !!m);
  return { ok: code === RESULT.SUCCESS || code === RESULT.SUCCESS_WITH_INFO, code, messages };
}

/** Every TXLifeResponse of a document; none at all is unreadable. */
export function responsesOf(root: XmlNode): XmlNode[] {
  const responses = children(root, 'TXLifeResponse');
  if (!responses.length) throw malformed('no TXLifeResponse');
  return responses;
}

// ---------------------------------------------------------------- 111 illustration (quote)

/**
 * One TXLifeRequest per product, all in one TXLife (one HTTP call): ACORD illustrates one policy
 * per transaction and batches transactions in a document.
 */
export function quoteTransactions(carrier: CarrierProfile, request: QuoteRequest, envelopes: Envelope[]): XmlNode {
  const products = request.productIds.map((id) => productOf(carrier, id));
  return {
    TXLifeRequest: products.map((product, i) =>
      transaction(envelopes[i], {
        Holding: [
          {
            '@_id': 'Holding_1',
            HoldingTypeCode: tc('2', 'Policy'),
            Policy: {
              ProductCode: product.code,
              CarrierCode: carrier.naicCode,
              Life: {
                Coverage: [
                  {
                    IndicatorCode: tc('1', 'Base'),
                    CurrentAmt: String(request.faceAmount),
                    ...(request.termYears !== null ? { LevelPremiumPeriod: String(request.termYears) } : {}),
                    ...(request.guaranteedToAge ? { NoLapseGuarAge: String(request.guaranteedToAge) } : {}),
                    ...(request.payPeriod ? { PremiumPayingPeriod: PAY_PERIOD[request.payPeriod] } : {}),
                    ...(request.finalExpensePlan ? { BenefitPlanType: tc(BENEFIT_PLAN[request.finalExpensePlan]) } : {}),
                    LifeParticipant: [
                      {
                        '@_PartyID': 'Party_1',
                        LifeParticipantRoleCode: tc('1', 'Primary Insured'),
                        IssueAge: String(request.issueAge),
                        IssueGender: tc(GENDER[request.gender]),
                        ...participantRating(request),
                        TobaccoPremiumBasis: tc(request.tobacco ? SMOKER.CURRENT : SMOKER.NEVER),
                      },
                    ],
                  },
                  ...(request.riders ?? []).map((rider) => ({
                    IndicatorCode: tc(COVERAGE_INDICATOR.RIDER, 'Rider'),
                    LifeCovTypeCode: tc(RIDER_COV_TYPE[rider.type]),
                    ...(rider.amount ? { CurrentAmt: String(rider.amount) } : {}),
                  })),
                ],
              },
            },
          },
        ],
        Party: [
          {
            '@_id': 'Party_1',
            PartyTypeCode: tc('1', 'Person'),
            Person: { Gender: tc(GENDER[request.gender]) },
            Address: { AddressState: request.state },
          },
        ],
        Relation: [
          {
            '@_id': 'Relation_1',
            '@_OriginatingObjectID': 'Holding_1',
            '@_RelatedObjectID': 'Party_1',
            RelationRoleCode: tc(RELATION_ROLE.INSURED, 'Insured'),
          },
        ],
      }),
    ),
  };
}

function productOf(carrier: CarrierProfile, productId: string): Product {
  const product = carrier.products.find((p) => p.id === productId);
  // The caller passes only this carrier's eligible products: anything else is a bug upstream.
  if (!product) throw new Error(`product ${productId} is not a product of ${carrier.id}`);
  return product;
}

/**
 * The priced products of a 111 batch. A failed illustration (ResultCode 5) means the carrier will
 * not quote that product for this request: it is left out, as an empty list means no eligible product.
 */
export function quotesFrom(responses: XmlNode[], carrier: CarrierProfile, request: QuoteRequest, report: ReportUnknown): CarrierQuote[] {
  const asked = new Set(request.productIds);
  const quotes: CarrierQuote[] = [];
  for (const response of responses) {
    if (!resultOf(response).ok) continue;
    const policy = child(child(child(response, 'OLifE'), 'Holding'), 'Policy');
    if (!policy) throw malformed('a successful illustration without Holding/Policy');
    const productCode = text(policy, 'ProductCode');
    const product = carrier.products.find((p) => p.code === productCode);
    if (!product || !asked.has(product.id)) {
      report('ProductCode', productCode ?? '(none)');
      continue;
    }
    const coverages = children(child(policy, 'Life'), 'Coverage');
    const coverage = coverages.find((c) => tcOf(c, 'IndicatorCode') !== COVERAGE_INDICATOR.RIDER);
    const participant = child(coverage, 'LifeParticipant');
    const classTc = tcOf(participant, 'UnderwritingClass');
    // Rated (3) is Standard with a table: only a price we asked a table for can be shown as one.
    const rated = classTc === UNDERWRITING_CLASS_RATED && request.tableRating > 0 ? 'STANDARD' : undefined;
    const healthClass = classTc ? (rated ?? CLASS_BY_TC[classTc]) : pricingClass(request.healthClass, request.tableRating);
    if (!healthClass) {
      // A price for a class we cannot name cannot be shown as the class asked for.
      report('UnderwritingClass', classTc!);
      continue;
    }
    const extension = child(policy, 'OLifEExtension');
    const modal: Partial<Record<PaymentModeCode, number>> = {};
    for (const entry of children(extension, 'ModalPremium')) {
      const mode = MODE_BY_TC[tcOf(entry, 'PaymentMode') ?? ''];
      if (mode) modal[mode] = cents(text(entry, 'PaymentAmt'), 'ModalPremium/PaymentAmt');
    }
    const annual =
      modal.ANNUAL ??
      (tcOf(policy, 'PaymentMode') === PAYMENT_MODE.ANNUAL ? cents(text(policy, 'PaymentAmt'), 'Policy/PaymentAmt') : undefined);
    if (annual === undefined) throw malformed('no annual premium in the illustration');
    // The carrier prices every mode itself: its modal factors are its own, and we hold no copy of them.
    const missing = (['SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY'] as const).filter((mode) => modal[mode] === undefined);
    if (missing.length) throw malformed(`no ${missing.join(', ')} premium in the illustration`);
    const feeAmount = text(extension, 'PolicyFeeAmt');
    if (!feeAmount) throw malformed('no PolicyFeeAmt in the illustration');
    quotes.push({
      productId: product.id,
      healthClass,
      // A carrier that does not name its class shows ours.
      carrierClassName: text(participant, 'UnderwritingClass') ?? healthClass,
      issueAge: wholeNumber(text(participant, 'IssueAge')) ?? request.issueAge,
      ageBasis: carrier.ageBasis,
      faceAmount: wholeNumber(text(coverage, 'CurrentAmt')) ?? request.faceAmount,
      termYears: request.productType === 'TERM' ? (wholeNumber(text(coverage, 'LevelPremiumPeriod')) ?? request.termYears) : null,
      guaranteedToAge: request.guaranteedToAge ?? null,
      payPeriod: request.payPeriod ?? null,
      finalExpensePlan: request.finalExpensePlan ?? null,
      riders: ridersFrom(coverages, request),
      annualPremiumCents: annual,
      policyFeeCents: cents(feeAmount, 'PolicyFeeAmt'),
      modalPremiumsCents: { ANNUAL: annual, SEMI_ANNUAL: modal.SEMI_ANNUAL!, QUARTERLY: modal.QUARTERLY!, MONTHLY: modal.MONTHLY! },
    });
  }
  return quotes;
}

/**
 * The riders asked, in the order asked, from the rider Coverages of an illustration: the yearly
 * premium (AnnualPremAmt, already in the annual premium) or the carrier's reason it does not sell
 * the rider here. A rider the carrier left out is stated as not priced.
 */
function ridersFrom(coverages: XmlNode[], request: QuoteRequest): RiderQuote[] {
  const answered = new Map<string, XmlNode>();
  for (const coverage of coverages) {
    if (tcOf(coverage, 'IndicatorCode') !== COVERAGE_INDICATOR.RIDER) continue;
    const type = RIDER_BY_TC[tcOf(coverage, 'LifeCovTypeCode') ?? ''];
    if (type) answered.set(type, coverage);
  }
  return (request.riders ?? []).map((rider): RiderQuote => {
    const coverage = answered.get(rider.type);
    const premium = text(coverage, 'AnnualPremAmt');
    if (coverage && premium !== undefined) return { type: rider.type, offered: true, premiumCents: cents(premium, 'rider AnnualPremAmt') };
    const reason = text(child(coverage, 'OLifEExtension'), 'RiderDeclinedReason');
    return { type: rider.type, offered: false, reason: reason ?? 'the carrier did not price this rider' };
  });
}

// ---------------------------------------------------------------- 103 new business

/**
 * The application as a 103; TransRefGUID is the stable per-case reference the carrier deduplicates on.
 * With the full application (parties, beneficiaries, answers, signatures, the signed PDF) the 103
 * carries all of it (acord.application.ts); without, the insured's basics as before.
 */
export function applicationTransaction(
  carrier: CarrierProfile,
  application: ApplicationRequest,
  envelope: Omit<Envelope, 'guid'>,
): XmlNode {
  const product = productOf(carrier, application.productId);
  const { insured, agent } = application;
  const policyBasics = {
    ProductCode: product.code,
    CarrierCode: carrier.naicCode,
    PaymentMode: tc(PAYMENT_MODE[application.paymentMode]),
    AnnualPaymentAmt: formatAmount(application.annualPremiumCents),
    // The requirements we already ordered, each with our id: the carrier keeps it as its requirement's reference.
    ...(orderedRequirements(application.requirements).length ? { RequirementInfo: orderedRequirements(application.requirements) } : {}),
  };
  const baseCoverage = {
    IndicatorCode: tc('1', 'Base'),
    CurrentAmt: String(application.faceAmount),
    ...(application.termYears ? { LevelPremiumPeriod: String(application.termYears) } : {}),
    LifeParticipant: [
      {
        '@_PartyID': 'Party_Insured',
        LifeParticipantRoleCode: tc('1', 'Primary Insured'),
        ...participantRating(application),
        TobaccoPremiumBasis: tc(insured.tobacco ? SMOKER.CURRENT : SMOKER.NEVER),
      },
    ],
  };
  const agentParty = {
    '@_id': 'Party_Agent',
    PartyTypeCode: tc('1', 'Person'),
    Producer: {
      NIPRNumber: agent.npn,
      ...(agent.writingNumber ? { CarrierAppointment: { CompanyProducerID: agent.writingNumber } } : {}),
    },
  };
  if (application.application) {
    const rider = (type: string) => ({
      IndicatorCode: tc(COVERAGE_INDICATOR.RIDER, 'Rider'),
      LifeCovTypeCode: tc(RIDER_COV_TYPE[type as RiderTypeCode] ?? type, type),
    });
    return {
      TXLifeRequest: [
        transaction(
          { ...envelope, guid: application.reference },
          fullApplicationOLifE(application, policyBasics, baseCoverage, rider, agentParty),
        ),
      ],
    };
  }
  const relations = [
    { role: RELATION_ROLE.INSURED, name: 'Insured', party: 'Party_Insured' },
    // The insured owns the policy: a case without a full application names no separate owner.
    { role: RELATION_ROLE.OWNER, name: 'Owner', party: 'Party_Insured' },
    { role: RELATION_ROLE.WRITING_AGENT, name: 'Primary Writing Agent', party: 'Party_Agent' },
  ];
  return {
    TXLifeRequest: [
      transaction(
        { ...envelope, guid: application.reference },
        {
          Holding: [
            {
              '@_id': 'Holding_1',
              HoldingTypeCode: tc('2', 'Policy'),
              Policy: {
                ...policyBasics,
                ApplicationInfo: { HOAssignedAppNumber: application.caseId, SignedDate: envelope.date },
                Life: { FaceAmt: String(application.faceAmount), Coverage: [baseCoverage] },
              },
            },
          ],
          Party: [
            {
              '@_id': 'Party_Insured',
              PartyTypeCode: tc('1', 'Person'),
              Person: {
                FirstName: insured.firstName,
                LastName: insured.lastName,
                Gender: tc(GENDER[insured.gender]),
                BirthDate: insured.birthDate,
              },
              Address: { AddressState: insured.state },
            },
            agentParty,
          ],
          Relation: relations.map((relation, i) => ({
            '@_id': `Relation_${i + 1}`,
            '@_OriginatingObjectID': 'Holding_1',
            '@_RelatedObjectID': relation.party,
            RelationRoleCode: tc(relation.role, relation.name),
          })),
        },
      ),
    ],
  };
}

const REQ_TC_BY_CODE = invert(REQ_CODE);

/**
 * Our ordered requirements as RequirementInfo of a 103: ReqCode, ReqStatus 2 (ordered) and our id
 * in OLifEExtension/BgaReference (a code with no tc in the guide, such as OTHER, is not listed).
 */
function orderedRequirements(requirements: ApplicationRequest['requirements']): XmlNode[] {
  return (requirements ?? []).flatMap((requirement, i) => {
    const reqTc = REQ_TC_BY_CODE[requirement.code];
    if (!reqTc) return [];
    return [
      {
        '@_id': `Requirement_Ours_${i + 1}`,
        ReqCode: tc(reqTc),
        ReqStatus: tc('2', 'Ordered'),
        OLifEExtension: { BgaReference: requirement.id },
      },
    ];
  });
}

function formatAmount(centsValue: number): string {
  return `${Math.floor(centsValue / 100)}.${String(centsValue % 100).padStart(2, '0')}`;
}

/** ResultCode 1/2: accepted, with the carrier's TrackingID; 5: rejected with the carrier's message. */
export function applicationResultFrom(responses: XmlNode[]): ApplicationResult {
  const response = responses[0];
  const result = resultOf(response);
  if (!result.ok) {
    if (result.code !== RESULT.FAILURE) throw malformed(`ResultCode ${result.code} is neither success nor failure`);
    return { accepted: false, message: result.messages.join('; ') || 'rejected by the carrier without a reason' };
  }
  const policy = child(child(child(response, 'OLifE'), 'Holding'), 'Policy');
  const carrierReference = text(child(policy, 'ApplicationInfo'), 'TrackingID') ?? text(policy, 'PolNumber');
  if (!carrierReference) throw malformed('an accepted application without ApplicationInfo/TrackingID');
  return { accepted: true, carrierReference, ...(result.messages.length ? { message: result.messages.join('; ') } : {}) };
}

// ---------------------------------------------------------------- 103 change to a pending application

/**
 * A change to an application the carrier holds goes as a 103 on the existing holding, named by the
 * carrier's TrackingID, with TransSubType "application change" and one ChangeSubType per kind of
 * change. Why 103 and not 181 or 1203: those change an in-force policy, and a pending case has none
 * yet; the carrier amends the application it is underwriting, which is what a 103 describes. The
 * sub-type and ChangeTC values are private codes of our carriers' implementation guide (ACORD keeps
 * tc values from 1,000,000,000 up for a carrier's own use); the simulator publishes the same table.
 * TransRefGUID is the change's stable reference: a resend is answered with the first decision.
 */
export const TRANS_SUB_TYPE_APPLICATION_CHANGE = '1000500103';
export const CHANGE_TC = {
  FACE_AMOUNT: '1000500201',
  PRODUCT: '1000500202',
  TERM: '1000500203',
  RIDERS: '1000500204',
  BENEFICIARIES: '1000500205',
  PAYMENT_MODE: '1000500206',
  OWNER: '1000500207',
} as const;
/** GovtIDTC of a taxpayer identification number (an EIN). */
const GOVT_ID_TIN = '2';

export function changeTransaction(carrier: CarrierProfile, change: ChangeRequest, envelope: Omit<Envelope, 'guid'>): XmlNode {
  const kinds: (keyof typeof CHANGE_TC)[] = [];
  if (change.faceAmount !== null) kinds.push('FACE_AMOUNT');
  if (change.productId !== null) kinds.push('PRODUCT');
  if (change.termYears !== null) kinds.push('TERM');
  if (change.riders !== null) kinds.push('RIDERS');
  if (change.beneficiaries !== null) kinds.push('BENEFICIARIES');
  if (change.paymentMode !== null) kinds.push('PAYMENT_MODE');
  if (change.owner !== null) kinds.push('OWNER');
  const coverages: XmlNode[] = [];
  if (change.faceAmount !== null || change.termYears !== null)
    coverages.push({
      IndicatorCode: tc(COVERAGE_INDICATOR.BASE, 'Base'),
      ...(change.faceAmount !== null ? { CurrentAmt: String(change.faceAmount) } : {}),
      ...(change.termYears !== null ? { LevelPremiumPeriod: String(change.termYears) } : {}),
    });
  for (const rider of change.riders ?? [])
    coverages.push({ IndicatorCode: tc(COVERAGE_INDICATOR.RIDER, 'Rider'), LifeCovTypeCode: tc(RIDER_COV_TYPE[rider]) });
  const parties: XmlNode[] = [];
  const relations: XmlNode[] = [];
  const relate = (party: string, role: string, name: string, extra: XmlNode = {}) =>
    relations.push({
      '@_id': `Relation_${relations.length + 1}`,
      '@_OriginatingObjectID': 'Holding_1',
      '@_RelatedObjectID': party,
      RelationRoleCode: tc(role, name),
      ...extra,
    });
  (change.beneficiaries ?? []).forEach((beneficiary, i) => {
    const id = `Party_Beneficiary_${i + 1}`;
    parties.push({ '@_id': id, FullName: beneficiary.fullName });
    const primary = beneficiary.designation === 'PRIMARY';
    relate(
      id,
      primary ? RELATION_ROLE.PRIMARY_BENEFICIARY : RELATION_ROLE.CONTINGENT_BENEFICIARY,
      primary ? 'Primary Beneficiary' : 'Contingent Beneficiary',
      {
        InterestPercent: String(beneficiary.sharePercent),
        RelationDescription: beneficiary.relationship,
      },
    );
  });
  if (change.owner) {
    const owner = change.owner;
    parties.push(
      owner.kind === 'PERSON'
        ? { '@_id': 'Party_Owner', PartyTypeCode: tc('1', 'Person'), FullName: owner.fullName }
        : {
            '@_id': 'Party_Owner',
            PartyTypeCode: tc('2', 'Organization'),
            FullName: owner.name,
            GovtID: owner.tin,
            GovtIDTC: tc(GOVT_ID_TIN, 'Tax ID'),
          },
    );
    relate('Party_Owner', RELATION_ROLE.OWNER, 'Owner', owner.kind === 'PERSON' ? { RelationDescription: owner.relationship } : {});
  }
  const subType = tc(TRANS_SUB_TYPE_APPLICATION_CHANGE, 'Application Change');
  return {
    TXLifeRequest: [
      {
        // TransSubType right after TransType, where the schema puts it (later keys keep their first place).
        TransRefGUID: change.reference,
        TransType: tc(envelope.type),
        TransSubType: subType,
        ...transaction(
          { ...envelope, guid: change.reference },
          {
            Holding: [
              {
                '@_id': 'Holding_1',
                Policy: {
                  ...(change.productId !== null ? { ProductCode: productOf(carrier, change.productId).code } : {}),
                  ...(change.paymentMode !== null ? { PaymentMode: tc(PAYMENT_MODE[change.paymentMode]) } : {}),
                  ApplicationInfo: { TrackingID: change.carrierReference, HOAssignedAppNumber: change.caseId },
                  ChangeSubType: kinds.map((kind) => ({ ChangeTC: tc(CHANGE_TC[kind]) })),
                  ...(coverages.length
                    ? { Life: { ...(change.faceAmount !== null ? { FaceAmt: String(change.faceAmount) } : {}), Coverage: coverages } }
                    : {}),
                },
              },
            ],
            ...(parties.length ? { Party: parties, Relation: relations } : {}),
          },
        ),
      },
    ],
  };
}

/**
 * ResultCode 1/2: accepted; the amendment the client must sign comes as an ordered RequirementInfo
 * with ReqCode 44 (amendment) on the holding. ResultCode 5: rejected with the carrier's messages.
 */
export function changeDecisionFrom(responses: XmlNode[]): ChangeDecision {
  const response = responses[0];
  const result = resultOf(response);
  if (!result.ok) {
    if (result.code !== RESULT.FAILURE) throw malformed(`ResultCode ${result.code} is neither success nor failure`);
    return { accepted: false, message: result.messages.join('; ') || 'the carrier refused the change without a reason' };
  }
  const policy = child(child(child(response, 'OLifE'), 'Holding'), 'Policy');
  const amendmentRequired = children(policy, 'RequirementInfo').some(
    (info) => REQ_CODE[tcOf(info, 'ReqCode') ?? ''] === 'AMENDMENT' && REQ_STATUS[tcOf(info, 'ReqStatus') ?? ''] === 'ORDERED',
  );
  return { accepted: true, amendmentRequired, ...(result.messages.length ? { message: result.messages.join('; ') } : {}) };
}

// ---------------------------------------------------------------- 203 holding inquiry (status)

/** One 203 per holding, batched in one TXLife. */
export function statusTransactions(carrierReferences: string[], envelopes: Envelope[]): XmlNode {
  return {
    TXLifeRequest: carrierReferences.map((reference, i) =>
      transaction(envelopes[i], { Holding: [{ '@_id': 'Holding_1', Policy: { ApplicationInfo: { TrackingID: reference } } }] }),
    ),
  };
}

/**
 * The status of one holding; a holding the carrier does not know (ResultCode 5) is undefined. The
 * PolicyStatus tc is read through POLICY_STATUS (12 proposed is no change, not unknown); the
 * carrier's own words on it (a hold, the conditions) come in Policy/OLifEExtension/StatusNote; the
 * approved terms in the base coverage's LifeParticipant (UnderwritingClass, PermTableRating,
 * TempFlatExtraAmt/TempFlatExtraDuration) and CurrentAmt, once the carrier has approved. Each
 * RequirementInfo carries the carrier's id (RequirementInfoUniqueID), ours when it knows it
 * (OLifEExtension/BgaReference) and its words (RequirementDetails).
 */
export function caseStatusFrom(response: XmlNode, report: ReportUnknown): CarrierCaseStatus | undefined {
  if (!resultOf(response).ok) return undefined;
  const policy = child(child(child(response, 'OLifE'), 'Holding'), 'Policy');
  const reference = text(child(policy, 'ApplicationInfo'), 'TrackingID') ?? text(policy, 'PolNumber');
  const statusTc = tcOf(policy, 'PolicyStatus');
  if (!policy || !reference || !statusTc) throw malformed('a holding without TrackingID or PolicyStatus');
  const known = POLICY_STATUS[statusTc];
  if (!known) report('PolicyStatus', statusTc);
  const carrierNote = text(child(policy, 'OLifEExtension'), 'StatusNote') ?? null;
  const notes = [known?.note, carrierNote].filter((n): n is string => !!n);
  return {
    carrierReference: reference,
    carrierStatusCode: statusTc,
    status: known?.status ?? null,
    qualifier: known?.qualifier ?? null,
    statusNote: notes.length ? notes.join(': ') : null,
    approvedTerms: known?.status && APPROVED_OR_LATER.has(known.status) ? approvedTermsFrom(policy, report) : null,
    policyNumber: text(policy, 'PolNumber') ?? null,
    requirements: children(policy, 'RequirementInfo').map((info) => {
      const carrierCode = tcOf(info, 'ReqCode') ?? '';
      const code = REQ_CODE[carrierCode] ?? null;
      if (!code) report('ReqCode', carrierCode);
      const statusCode = tcOf(info, 'ReqStatus');
      const requirementStatus = statusCode ? (REQ_STATUS[statusCode] ?? null) : null;
      if (statusCode && !requirementStatus) report('ReqStatus', statusCode);
      return {
        carrierRequirementId: text(info, 'RequirementInfoUniqueID') ?? null,
        reference: text(child(info, 'OLifEExtension'), 'BgaReference') ?? null,
        description: text(info, 'RequirementDetails') ?? null,
        carrierCode,
        code,
        status: requirementStatus,
        requestedOn: text(info, 'RequestedDate') ?? null,
        fulfilledOn: text(info, 'FulfilledDate') ?? null,
      };
    }),
  };
}

const APPROVED_OR_LATER = new Set<string>(['APPROVED', 'APPROVED_OTHER_THAN_APPLIED', 'ISSUED', 'DELIVERY_REQUIREMENTS', 'PLACED']);

/**
 * The terms the carrier approved, from the base Coverage of the holding: none when it sends no
 * LifeParticipant with an UnderwritingClass (it keeps the terms applied for). Rated (3) names no
 * class: the table says it, and it prices off Standard.
 */
function approvedTermsFrom(policy: XmlNode, report: ReportUnknown): ApprovedTerms | null {
  const coverage = children(child(policy, 'Life'), 'Coverage').find((c) => tcOf(c, 'IndicatorCode') !== COVERAGE_INDICATOR.RIDER);
  const participant = child(coverage, 'LifeParticipant');
  const classTc = tcOf(participant, 'UnderwritingClass');
  if (!classTc) return null;
  const healthClass = classTc === UNDERWRITING_CLASS_RATED ? null : (CLASS_BY_TC[classTc] ?? null);
  if (classTc !== UNDERWRITING_CLASS_RATED && !healthClass) report('UnderwritingClass', classTc);
  const flatExtra = text(participant, 'TempFlatExtraAmt');
  const flatExtraPerThousandCents = flatExtra ? cents(flatExtra, 'TempFlatExtraAmt') : 0;
  return {
    healthClass,
    tableRating: wholeNumber(text(participant, 'PermTableRating')) ?? 0,
    flatExtraPerThousandCents,
    flatExtraYears: flatExtraPerThousandCents > 0 ? (wholeNumber(text(participant, 'TempFlatExtraDuration')) ?? 0) : 0,
    faceAmount: wholeNumber(text(coverage, 'CurrentAmt')) ?? null,
  };
}

// ---------------------------------------------------------------- product profile (catalog)

const STATES = new Set<string>(STATE_CODES);

/**
 * Each PolicyProduct as a catalog product with our id, matched on the carrier's product code. A code
 * the catalog does not list has no id of ours yet (ids are catalog data): reported and skipped.
 */
export function productsFrom(root: XmlNode, carrier: CarrierProfile, report: ReportUnknown): Product[] {
  const response = responsesOf(root)[0];
  if (!resultOf(response).ok) throw malformed('the product profile failed');
  return children(child(response, 'OLifE'), 'PolicyProduct').flatMap((node) => {
    const code = text(node, 'ProductCode');
    const typeTc = tcOf(node, 'ProductType') ?? '';
    const type = PRODUCT_TYPE[typeTc];
    if (!code) throw malformed('a PolicyProduct without ProductCode');
    const known = carrier.products.find((p) => p.code === code);
    if (!known) {
      report('ProductCode', code);
      return [];
    }
    if (!type) {
      report('ProductType', typeTc);
      return [];
    }
    const info = child(node, 'LifeProductInfo');
    const number = (name: string, from: XmlNode | undefined = info) => {
      const value = wholeNumber(text(from, name));
      if (value === undefined) throw malformed(`${code} has no ${name}`);
      return value;
    };
    const healthClasses = children(info, 'UnderwritingClassProduct').flatMap((entry) => {
      const classTc = tcOf(entry, 'UnderwritingClass') ?? '';
      const healthClass = CLASS_BY_TC[classTc];
      if (!healthClass) report('UnderwritingClass', classTc);
      return healthClass ? [healthClass] : [];
    });
    return [
      {
        id: known.id,
        carrierId: carrier.id,
        code,
        name: text(node, 'PlanName') ?? code,
        type,
        terms: children(info, 'DurationDesign').map((design) => ({
          years: number('LevelPremiumPeriod', design),
          minIssueAge: number('MinIssueAge', design),
          maxIssueAge: number('MaxIssueAge', design),
        })),
        minIssueAge: number('MinIssueAge'),
        maxIssueAge: number('MaxIssueAge'),
        minFaceAmount: number('MinFaceAmt'),
        maxFaceAmount: number('MaxFaceAmt'),
        healthClasses,
        availableStates: children(node, 'JurisdictionApproval')
          .map((j) => text(j, 'Jurisdiction') ?? '')
          .filter((s): s is StateCode => STATES.has(s)),
        fullyUnderwritten: tcOf(node, 'UnderwritingApproach') === UNDERWRITING_APPROACH_FULL,
      },
    ];
  });
}
