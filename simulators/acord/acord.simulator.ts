/**
 * An ACORD TXLife carrier. Endpoints:
 *   POST /txlife           one TXLife holding one or more TXLifeRequest elements, each answered by its
 *                          own TXLifeResponse (TransRefGUID echoed): that is how ACORD batches, and
 *                          how the adapter asks for many holdings' status in one call.
 *                          TransType 111 illustration (a quote), 103 new business (or, with TransSubType
 *                          application change, a change to a pending application), 203 holding inquiry,
 *                          1201 producer appointment request and 1202 appointment inquiry (acord.appointments.ts).
 *   GET  /txlife/products  the product profile: one PolicyProduct per product the carrier sells.
 * A request is counted by the TransType of its first TXLifeRequest.
 */
import { ageOn } from '../pricing';
import type { CarrierFixture, HealthClassCode, PaymentModeCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import type { ChangeAsk, ChangeOutcome, OurRequirement, StoredApplication, SubmissionOutcome } from '../carrier-store';
import type { PushBody } from '../carrier-push';
import type { ProtocolHandler, SimRequest, SimResponse } from '../protocol';
import type { CallKind, SimulatedCarrier } from '../simulated-carrier';
import { priceQuote, underwriteApplication, type QuoteAsk } from '../underwriting';
import {
  BENEFIT_PLAN,
  COVERAGE_INDICATOR,
  GENDER,
  PAY_PERIOD,
  RIDER_COV_TYPE,
  PAYMENT_MODE,
  POLICY_STATUS,
  POLICY_STATUS_PROPOSED,
  PRODUCT_TYPE,
  RELATION_ROLE,
  REQ_CODE,
  REQ_STATUS,
  RESULT_CODE,
  RESULT_CODE_NAMES,
  RESULT_INFO,
  SMOKER_STATUS,
  CHANGE_TC,
  TRANS_SUB_TYPE_APPLICATION_CHANGE,
  TRANS_TYPE,
  TRANS_TYPE_NAMES,
  UNDERWRITING_APPROACH,
  UNDERWRITING_CLASS,
  UNDERWRITING_CLASS_RATED,
  fromTc,
} from './acord.codes';
import { applicationProblems, problemsMessage } from '../application-check';
import { submittedApplication } from './acord.application';
import { appointmentInquiry, appointmentRequest } from './acord.appointments';
import { amount, buildTxLife, child, children, parseTxLife, tc, tcOf, text, type XmlNode } from './txlife';

/** TransType of the carrier's pushed status notification. */
const TRANS_TYPE_STATUS_NOTIFICATION = '1125';

const KIND_BY_TRANS_TYPE: Record<string, CallKind> = {
  [TRANS_TYPE.QUOTE]: 'quote',
  [TRANS_TYPE.NEW_BUSINESS]: 'submit',
  [TRANS_TYPE.HOLDING_INQUIRY]: 'status',
  [TRANS_TYPE.APPOINTMENT_REQUEST]: 'appointment',
  [TRANS_TYPE.APPOINTMENT_INQUIRY]: 'appointmentStatus',
};

const xml = (status: number, body: string): SimResponse => ({
  status,
  headers: { 'content-type': 'application/xml; charset=utf-8' },
  body,
});

interface Info {
  code: string;
  /** The code's name, as ACORD writes it beside the tc. */
  name?: string;
  description: string;
}

function transResult(code: string, infos: Info[] = []): XmlNode {
  return {
    ResultCode: tc(code, RESULT_CODE_NAMES[code]),
    ...(infos.length
      ? { ResultInfo: infos.map((info) => ({ ResultInfoCode: tc(info.code, info.name), ResultInfoDesc: info.description })) }
      : {}),
  };
}

const today = () => new Date().toISOString().slice(0, 10);
const nowTime = () => new Date().toISOString().slice(11, 19);
const DOLLARS = /^\d+(\.\d{1,2})?$/;
const toCents = (value: string | undefined) => (value && DOLLARS.test(value) ? Math.round(Number(value) * 100) : null);
const wholeNumber = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined);

/** The Party related to the holding in this role (RelationRoleCode tc), or undefined. */
function partyInRole(olife: XmlNode | undefined, role: string): XmlNode | undefined {
  const relation = children(olife, 'Relation').find((r) => tcOf(r, 'RelationRoleCode') === role);
  const id = relation?.['@_RelatedObjectID'];
  return children(olife, 'Party').find((p) => p['@_id'] === id);
}

/** The participant's class: rated (tc 3) is Standard with its PermTableRating; undefined for a tc this guide does not list. */
function classOf(participant: XmlNode | undefined): HealthClassCode | undefined {
  const code = tcOf(participant, 'UnderwritingClass');
  return code === UNDERWRITING_CLASS_RATED ? 'STANDARD' : fromTc(UNDERWRITING_CLASS, code);
}

/** The pieces of a holding every transaction reads. */
function holdingParts(request: XmlNode) {
  const olife = child(request, 'OLifE');
  const policy = child(child(olife, 'Holding'), 'Policy');
  const coverage = child(child(policy, 'Life'), 'Coverage');
  const participant = child(coverage, 'LifeParticipant');
  const insured = partyInRole(olife, RELATION_ROLE.INSURED) ?? child(olife, 'Party');
  return { olife, policy, coverage, participant, insured, person: child(insured, 'Person') };
}

export class AcordCarrier implements ProtocolHandler {
  // classify() and handle() both need the parsed body: parse it once per request.
  private readonly parsed = new WeakMap<SimRequest, XmlNode | null>();

  constructor(private readonly sim: SimulatedCarrier) {}

  private get carrier(): CarrierFixture {
    return this.sim.carrier;
  }

  private document(request: SimRequest): XmlNode | null {
    if (!this.parsed.has(request)) this.parsed.set(request, parseTxLife(request.body) ?? null);
    return this.parsed.get(request)!;
  }

  classify(request: SimRequest): CallKind | null {
    if (request.method === 'GET' && request.path === '/txlife/products') return 'products';
    if (request.method !== 'POST' || request.path !== '/txlife') return null;
    const first = children(this.document(request) ?? undefined, 'TXLifeRequest')[0];
    if (isChange(first)) return 'change';
    return KIND_BY_TRANS_TYPE[tcOf(first, 'TransType') ?? ''] ?? null;
  }

  unclassified(request: SimRequest): SimResponse {
    if (request.path !== '/txlife')
      return xml(
        404,
        buildTxLife({
          TXLifeResponse: {
            TransResult: transResult(RESULT_CODE.FAILURE, [
              { code: RESULT_INFO.UNSUPPORTED, description: `no endpoint ${request.method} ${request.path}` },
            ]),
          },
        }),
      );
    return xml(
      400,
      buildTxLife({
        TXLifeResponse: {
          TransResult: transResult(RESULT_CODE.FAILURE, [
            {
              code: RESULT_INFO.UNSUPPORTED,
              description: 'expected a TXLife document whose TXLifeRequest has TransType 111, 103, 203, 1201 or 1202',
            },
          ]),
        },
      }),
    );
  }

  /**
   * A status notification: TXLifeRequest TransType 1125 (this guide's status notification; TransRefGUID
   * the event id) carrying the holding as a 203 answers it.
   */
  notification(application: StoredApplication, eventId: string): PushBody {
    return {
      contentType: 'application/xml; charset=utf-8',
      body: buildTxLife({
        TXLifeRequest: {
          TransRefGUID: eventId,
          TransType: tc(TRANS_TYPE_STATUS_NOTIFICATION, 'Status Notification'),
          TransExeDate: today(),
          TransExeTime: nowTime(),
          OLifE: { Holding: [holdingOf(application)] },
        },
      }),
    };
  }

  malformed(): SimResponse {
    return xml(200, '<?xml version="1.0" encoding="UTF-8"?><TXLife Version="2.43.00"><TXLifeResponse><TransResult><ResultCode tc="1">Succ');
  }

  handle(request: SimRequest, kind: CallKind): SimResponse {
    if (kind === 'products')
      return xml(
        200,
        buildTxLife({
          TXLifeResponse: {
            TransResult: transResult(RESULT_CODE.SUCCESS),
            OLifE: { PolicyProduct: this.carrier.products.map(policyProduct) },
          },
        }),
      );
    const responses = children(this.document(request) ?? undefined, 'TXLifeRequest').map((transaction) => this.answer(transaction));
    return xml(200, buildTxLife({ TXLifeResponse: responses }));
  }

  private answer(transaction: XmlNode): XmlNode {
    const type = tcOf(transaction, 'TransType') ?? '';
    const envelope = {
      TransRefGUID: text(transaction, 'TransRefGUID') ?? '',
      TransType: tc(type, TRANS_TYPE_NAMES[type]),
      TransExeDate: today(),
      TransExeTime: nowTime(),
    };
    switch (type) {
      case TRANS_TYPE.QUOTE:
        return { ...envelope, ...this.illustrate(transaction) };
      case TRANS_TYPE.NEW_BUSINESS:
        if (isChange(transaction))
          return {
            ...envelope,
            TransSubType: tc(TRANS_SUB_TYPE_APPLICATION_CHANGE, 'Application Change'),
            ...this.applicationChange(transaction, envelope.TransRefGUID),
          };
        return { ...envelope, ...this.newBusiness(transaction, envelope.TransRefGUID) };
      case TRANS_TYPE.HOLDING_INQUIRY:
        return { ...envelope, ...this.inquiry(transaction) };
      case TRANS_TYPE.APPOINTMENT_REQUEST:
        return { ...envelope, ...appointmentRequest(this.sim.appointments, transaction, envelope.TransRefGUID) };
      case TRANS_TYPE.APPOINTMENT_INQUIRY:
        return { ...envelope, ...appointmentInquiry(this.sim.appointments, transaction) };
      default:
        return {
          ...envelope,
          TransResult: transResult(RESULT_CODE.FAILURE, [
            { code: RESULT_INFO.UNSUPPORTED, description: `TransType ${type} is not supported` },
          ]),
        };
    }
  }

  /** TransType 111: one illustration per request; an ineligible product is a failure with the reason. */
  private illustrate(transaction: XmlNode): XmlNode {
    const ask = this.readQuoteAsk(transaction);
    if (typeof ask === 'string')
      return { TransResult: transResult(RESULT_CODE.FAILURE, [{ code: RESULT_INFO.DATA_ERROR, description: ask }]) };
    const { priced, declined } = priceQuote(this.carrier, ask);
    if (!priced.length)
      return {
        TransResult: transResult(
          RESULT_CODE.FAILURE,
          declined.map((d) => ({ code: RESULT_INFO.DATA_ERROR, description: d.reason })),
        ),
      };
    const price = priced[0];
    const modes = Object.entries(price.modalPremiumsCents) as [PaymentModeCode, number][];
    return {
      TransResult: transResult(RESULT_CODE.SUCCESS),
      OLifE: {
        Holding: [
          {
            '@_id': 'Holding_1',
            HoldingTypeCode: tc('2', 'Policy'),
            Policy: {
              ProductCode: price.product.code,
              PolicyStatus: tc(POLICY_STATUS_PROPOSED, 'Proposed'),
              PaymentMode: tc(PAYMENT_MODE.ANNUAL, 'Annual'),
              PaymentAmt: amount(price.annualPremiumCents),
              Life: {
                FaceAmt: String(ask.faceAmount),
                Coverage: [
                  {
                    IndicatorCode: tc('1', 'Base'),
                    CurrentAmt: String(ask.faceAmount),
                    ...this.periodElements(ask),
                    LifeParticipant: [
                      {
                        LifeParticipantRoleCode: tc('1', 'Primary Insured'),
                        IssueAge: String(ask.issueAge),
                        // Rated business answers as rated (3), named as the carrier names its Standard class.
                        UnderwritingClass: tc(
                          ask.tableRating ? UNDERWRITING_CLASS_RATED : UNDERWRITING_CLASS[price.healthClass],
                          this.carrier.classNames[price.healthClass],
                        ),
                        TobaccoPremiumBasis: tc(ask.tobacco ? SMOKER_STATUS.CURRENT : SMOKER_STATUS.NEVER),
                        ...(ask.tableRating ? { PermTableRating: String(ask.tableRating) } : {}),
                        ...(ask.flatExtraPerThousandCents
                          ? { TempFlatExtraAmt: amount(ask.flatExtraPerThousandCents), TempFlatExtraDuration: String(ask.flatExtraYears) }
                          : {}),
                      },
                    ],
                  },
                  // Each rider is a Coverage of its own, with its yearly premium or why it is not sold here.
                  ...price.riders.map((rider) => ({
                    IndicatorCode: tc(COVERAGE_INDICATOR.RIDER, 'Rider'),
                    LifeCovTypeCode: tc(RIDER_COV_TYPE[rider.type] ?? rider.type),
                    ...('premiumCents' in rider
                      ? { AnnualPremAmt: amount(rider.premiumCents) }
                      : { OLifEExtension: { '@_VendorCode': this.carrier.code, RiderDeclinedReason: rider.refused } }),
                  })),
                ],
              },
              // ACORD's extension point carries what a single PaymentAmt cannot: every mode, and the fee.
              OLifEExtension: {
                '@_VendorCode': this.carrier.code,
                PolicyFeeAmt: amount(price.policyFeeCents),
                ModalPremium: modes.map(([mode, cents]) => ({ PaymentMode: tc(PAYMENT_MODE[mode]), PaymentAmt: amount(cents) })),
              },
            },
          },
        ],
      },
    };
  }

  /** The base coverage's period as the ask gave it: the level period, the no-lapse guarantee age, the pay period or the plan. */
  private periodElements(ask: QuoteAsk): XmlNode {
    return {
      ...(ask.termYears !== null ? { LevelPremiumPeriod: String(ask.termYears) } : {}),
      ...(ask.guaranteedToAge !== undefined ? { NoLapseGuarAge: String(ask.guaranteedToAge) } : {}),
      ...(ask.payPeriod !== undefined ? { PremiumPayingPeriod: PAY_PERIOD[ask.payPeriod] } : {}),
      ...(ask.finalExpensePlan !== undefined ? { BenefitPlanType: tc(BENEFIT_PLAN[ask.finalExpensePlan]) } : {}),
    };
  }

  /** The riders asked: every Coverage after the base with IndicatorCode 2; a code this guide does not list is refused. */
  private readRiders(policy: XmlNode | undefined): QuoteAsk['riders'] | string {
    const riders: NonNullable<QuoteAsk['riders']> = [];
    for (const coverage of children(child(policy, 'Life'), 'Coverage')) {
      if (tcOf(coverage, 'IndicatorCode') !== COVERAGE_INDICATOR.RIDER) continue;
      const type = fromTc(RIDER_COV_TYPE, tcOf(coverage, 'LifeCovTypeCode'));
      if (!type) return `rider LifeCovTypeCode tc ${tcOf(coverage, 'LifeCovTypeCode') ?? '(missing)'} is not one this carrier sells`;
      const amountText = text(coverage, 'CurrentAmt');
      const riderAmount = amountText === undefined ? undefined : wholeNumber(amountText);
      if (amountText !== undefined && riderAmount === undefined) return 'a rider CurrentAmt must be a whole number of dollars';
      riders.push({ type, ...(riderAmount !== undefined ? { amount: riderAmount } : {}) });
    }
    return riders;
  }

  private readQuoteAsk(transaction: XmlNode): QuoteAsk | string {
    const { policy, coverage, participant, insured, person } = holdingParts(transaction);
    const productCode = text(policy, 'ProductCode');
    const faceAmount = wholeNumber(text(coverage, 'CurrentAmt'));
    const termYears = wholeNumber(text(coverage, 'LevelPremiumPeriod')) ?? null;
    const guarantee = text(coverage, 'NoLapseGuarAge');
    const guaranteedToAge = guarantee === undefined ? undefined : wholeNumber(guarantee);
    const payPeriodCode = text(coverage, 'PremiumPayingPeriod');
    const payPeriod = payPeriodCode === undefined ? undefined : fromTc(PAY_PERIOD, payPeriodCode);
    const planTc = tcOf(coverage, 'BenefitPlanType');
    const finalExpensePlan = planTc === undefined ? undefined : fromTc(BENEFIT_PLAN, planTc);
    const riders = this.readRiders(policy);
    if (typeof riders === 'string') return riders;
    if (guarantee !== undefined && guaranteedToAge === undefined) return 'Coverage/NoLapseGuarAge must be a whole age';
    if (payPeriodCode !== undefined && !payPeriod) return `Coverage/PremiumPayingPeriod ${payPeriodCode} is not a pay period`;
    if (planTc !== undefined && !finalExpensePlan) return `Coverage/BenefitPlanType tc ${planTc} is not a plan`;
    const gender = fromTc(GENDER, tcOf(participant, 'IssueGender') ?? tcOf(person, 'Gender'));
    const healthClass = classOf(participant);
    const state = text(child(insured, 'Address'), 'AddressState');
    const tableRating = wholeNumber(text(participant, 'PermTableRating') ?? '0');
    const flatExtraAmount = text(participant, 'TempFlatExtraAmt');
    const flatExtraPerThousandCents = flatExtraAmount === undefined ? 0 : toCents(flatExtraAmount);
    const flatExtraYears = wholeNumber(text(participant, 'TempFlatExtraDuration'));
    if (!productCode) return 'Policy/ProductCode is required';
    if (faceAmount === undefined) return 'Coverage/CurrentAmt must be a whole number of dollars';
    if (!gender) return 'LifeParticipant/IssueGender tc must be 1 or 2';
    if (!healthClass) return `UnderwritingClass tc ${tcOf(participant, 'UnderwritingClass') ?? '(missing)'} is not offered`;
    if (!state) return 'the insured Party needs Address/AddressState';
    if (tableRating === undefined) return 'PermTableRating must be a whole number';
    if (tcOf(participant, 'UnderwritingClass') === UNDERWRITING_CLASS_RATED && tableRating === 0)
      return 'UnderwritingClass tc 3 (rated) needs a PermTableRating of 1 to 8';
    if (flatExtraPerThousandCents === null) return 'TempFlatExtraAmt must be an amount such as 2.50';
    if (flatExtraPerThousandCents > 0 && flatExtraYears === undefined) return 'TempFlatExtraAmt needs TempFlatExtraDuration in years';
    let age = wholeNumber(text(participant, 'IssueAge'));
    const birthDate = text(person, 'BirthDate');
    if (age === undefined && birthDate) {
      try {
        age = ageOn(this.carrier.ageBasis, birthDate, text(transaction, 'TransExeDate') ?? today());
      } catch {
        return 'Person/BirthDate is not a possible date';
      }
    }
    if (age === undefined) return 'LifeParticipant/IssueAge or Person/BirthDate is required';
    return {
      productCodes: [productCode],
      faceAmount,
      termYears,
      ...(guaranteedToAge !== undefined ? { guaranteedToAge } : {}),
      ...(payPeriod ? { payPeriod } : {}),
      ...(finalExpensePlan ? { finalExpensePlan } : {}),
      ...(riders?.length ? { riders } : {}),
      gender,
      healthClass,
      state: state as QuoteAsk['state'],
      tableRating,
      ...(flatExtraPerThousandCents > 0 ? { flatExtraPerThousandCents, flatExtraYears } : {}),
      issueAge: age,
      tobacco: tcOf(participant, 'TobaccoPremiumBasis') === SMOKER_STATUS.CURRENT,
    };
  }

  /** TransType 103: deduplicated on TransRefGUID; an impossible application is ResultCode 5. */
  private newBusiness(transaction: XmlNode, reference: string): XmlNode {
    if (!reference)
      return { TransResult: transResult(RESULT_CODE.FAILURE, [{ code: RESULT_INFO.DATA_ERROR, description: 'TransRefGUID is required' }]) };
    const { policy, coverage, participant, insured, person } = holdingParts(transaction);
    const missing = [
      ['Policy/ProductCode', text(policy, 'ProductCode')],
      ['Coverage/CurrentAmt', wholeNumber(text(coverage, 'CurrentAmt'))],
      ['insured Person/BirthDate', text(person, 'BirthDate')],
      ['insured Person/LastName', text(person, 'LastName')],
      ['insured Person/Gender tc 1 or 2', fromTc(GENDER, tcOf(person, 'Gender'))],
      ['insured Address/AddressState', text(child(insured, 'Address'), 'AddressState')],
    ]
      .filter(([, value]) => value === undefined || value === '')
      .map(([name]) => name);
    if (missing.length)
      return {
        TransResult: transResult(
          RESULT_CODE.FAILURE,
          missing.map((name) => ({ code: RESULT_INFO.DATA_ERROR, description: `${name} is required` })),
        ),
      };

    // Checked inside the store's first-time callback: a resend under the reference gets the same answer, rejection included.
    const { outcome } = this.sim.store.submit(
      reference,
      () => {
        const full = submittedApplication(transaction);
        const problems = full ? applicationProblems(full) : [];
        if (problems.length) return { accepted: false, message: problemsMessage(problems), problems };
        return underwriteApplication(this.carrier, {
          productCode: text(policy, 'ProductCode')!,
          state: text(child(insured, 'Address'), 'AddressState')!,
          birthDate: text(person, 'BirthDate')!,
          gender: fromTc(GENDER, tcOf(person, 'Gender'))!,
          tobacco: tcOf(participant, 'TobaccoPremiumBasis') === SMOKER_STATUS.CURRENT,
          healthClass: classOf(participant) ?? `tc ${tcOf(participant, 'UnderwritingClass') ?? 'missing'}`,
          tableRating: wholeNumber(text(participant, 'PermTableRating') ?? '0') ?? -1,
          faceAmount: wholeNumber(text(coverage, 'CurrentAmt'))!,
          termYears: wholeNumber(text(coverage, 'LevelPremiumPeriod')) ?? null,
          paymentMode: fromTc(PAYMENT_MODE, tcOf(policy, 'PaymentMode')) ?? `tc ${tcOf(policy, 'PaymentMode') ?? 'missing'}`,
          annualPremiumCents: toCents(text(policy, 'AnnualPaymentAmt')),
          applicationDate: text(child(policy, 'ApplicationInfo'), 'SignedDate') ?? text(transaction, 'TransExeDate') ?? today(),
        });
      },
      ourRequirements(policy),
    );
    return submissionAnswer(outcome);
  }

  /**
   * TransType 103, sub-type application change: deduplicated on TransRefGUID; the holding named by
   * TrackingID; what changes read from the ChangeSubType list and the elements it names. Accepted:
   * ResultCode 1 with the holding, and an ordered RequirementInfo 44 (amendment) when the client must sign.
   */
  private applicationChange(transaction: XmlNode, reference: string): XmlNode {
    const fail = (code: string, description: string) => ({ TransResult: transResult(RESULT_CODE.FAILURE, [{ code, description }]) });
    if (!reference) return fail(RESULT_INFO.DATA_ERROR, 'TransRefGUID is required');
    const olife = child(transaction, 'OLifE');
    const policy = child(child(olife, 'Holding'), 'Policy');
    const trackingId = text(child(policy, 'ApplicationInfo'), 'TrackingID');
    if (!trackingId) return fail(RESULT_INFO.DATA_ERROR, 'ApplicationInfo/TrackingID is required');
    const kinds = new Set(children(policy, 'ChangeSubType').map((c) => tcOf(c, 'ChangeTC')));
    if (!kinds.size) return fail(RESULT_INFO.DATA_ERROR, 'at least one ChangeSubType is required');
    const coverages = children(child(policy, 'Life'), 'Coverage');
    const base = coverages.find((c) => tcOf(c, 'IndicatorCode') === COVERAGE_INDICATOR.BASE);
    const ask: ChangeAsk = {};
    if (kinds.has(CHANGE_TC.FACE_AMOUNT)) {
      const face = wholeNumber(text(base, 'CurrentAmt'));
      if (face === undefined) return fail(RESULT_INFO.DATA_ERROR, 'a face amount change needs Coverage/CurrentAmt');
      ask.faceAmount = face;
    }
    if (kinds.has(CHANGE_TC.PRODUCT)) ask.productCode = text(policy, 'ProductCode') ?? '';
    if (kinds.has(CHANGE_TC.TERM)) ask.termYears = wholeNumber(text(base, 'LevelPremiumPeriod')) ?? -1;
    if (kinds.has(CHANGE_TC.RIDERS))
      ask.riders = coverages
        .filter((c) => tcOf(c, 'IndicatorCode') === COVERAGE_INDICATOR.RIDER)
        .map((c) => tcOf(c, 'LifeCovTypeCode') ?? '');
    if (kinds.has(CHANGE_TC.PAYMENT_MODE)) {
      const mode = fromTc(PAYMENT_MODE, tcOf(policy, 'PaymentMode'));
      if (!mode) return fail(RESULT_INFO.DATA_ERROR, 'a payment mode change needs a PaymentMode this guide lists');
      ask.paymentMode = mode;
    }
    const relations = children(olife, 'Relation');
    if (kinds.has(CHANGE_TC.BENEFICIARIES)) {
      ask.beneficiaries = relations
        .filter((r) =>
          [RELATION_ROLE.PRIMARY_BENEFICIARY, RELATION_ROLE.CONTINGENT_BENEFICIARY].includes(tcOf(r, 'RelationRoleCode') as '34'),
        )
        .map((r) => ({
          designation: tcOf(r, 'RelationRoleCode') === RELATION_ROLE.PRIMARY_BENEFICIARY ? 'PRIMARY' : 'CONTINGENT',
          sharePercent: wholeNumber(text(r, 'InterestPercent')) ?? 0,
        }));
      if (!ask.beneficiaries.length) return fail(RESULT_INFO.DATA_ERROR, 'a beneficiary change needs a Relation 34 or 36 per beneficiary');
    }
    if (kinds.has(CHANGE_TC.OWNER)) {
      if (!relations.some((r) => tcOf(r, 'RelationRoleCode') === RELATION_ROLE.OWNER))
        return fail(RESULT_INFO.DATA_ERROR, 'an owner change needs a Relation 8 to the new owner');
      ask.owner = true;
    }
    const { outcome } = this.sim.store.change(reference, trackingId, ask);
    return changeAnswer(outcome, trackingId, this.sim.store.find(trackingId));
  }

  /** TransType 203: the holding's status and requirements; an unknown holding is ResultCode 5. */
  private inquiry(transaction: XmlNode): XmlNode {
    const policy = child(child(child(transaction, 'OLifE'), 'Holding'), 'Policy');
    const trackingId = text(child(policy, 'ApplicationInfo'), 'TrackingID') ?? text(policy, 'PolNumber');
    const application = trackingId ? this.sim.store.find(trackingId) : undefined;
    if (!application) {
      return {
        TransResult: transResult(RESULT_CODE.FAILURE, [
          { code: RESULT_INFO.NOT_FOUND, description: `no holding ${trackingId ?? '(no TrackingID)'}` },
        ]),
      };
    }
    return { TransResult: transResult(RESULT_CODE.SUCCESS), OLifE: { Holding: [holdingOf(application)] } };
  }
}

/** The requirements a 103 lists as already ordered by the BGA: ReqCode and our id in OLifEExtension/BgaReference. */
function ourRequirements(policy: XmlNode | undefined): OurRequirement[] {
  return children(policy, 'RequirementInfo').flatMap((info) => {
    const code = fromTc(REQ_CODE, tcOf(info, 'ReqCode'));
    const id = text(child(info, 'OLifEExtension'), 'BgaReference');
    return code && id ? [{ id, code }] : [];
  });
}

/**
 * The approved terms on the base coverage's LifeParticipant (UnderwritingClass, or 3 rated with
 * PermTableRating; TempFlatExtraAmt/Duration) and its CurrentAmt: sent once the carrier approved other
 * than applied.
 */
function approvedLife(application: StoredApplication): XmlNode {
  const terms = application.approvedTerms;
  if (!terms) return {};
  const rated = terms.tableRating > 0 || !terms.healthClass;
  return {
    Life: {
      FaceAmt: String(terms.faceAmount),
      Coverage: [
        {
          IndicatorCode: tc(COVERAGE_INDICATOR.BASE, 'Base'),
          CurrentAmt: String(terms.faceAmount),
          LifeParticipant: [
            {
              LifeParticipantRoleCode: tc('1', 'Primary Insured'),
              UnderwritingClass: tc(rated ? UNDERWRITING_CLASS_RATED : UNDERWRITING_CLASS[terms.healthClass!]),
              ...(terms.tableRating > 0 ? { PermTableRating: String(terms.tableRating) } : {}),
              ...(terms.flatExtraPerThousandCents > 0
                ? { TempFlatExtraAmt: amount(terms.flatExtraPerThousandCents), TempFlatExtraDuration: String(terms.flatExtraYears) }
                : {}),
            },
          ],
        },
      ],
    },
  };
}

/** A 103 that changes a pending application rather than submitting one. */
function isChange(transaction: XmlNode | undefined): boolean {
  return (
    tcOf(transaction, 'TransType') === TRANS_TYPE.NEW_BUSINESS && tcOf(transaction, 'TransSubType') === TRANS_SUB_TYPE_APPLICATION_CHANGE
  );
}

function changeAnswer(outcome: ChangeOutcome, trackingId: string, application: StoredApplication | undefined): XmlNode {
  if (!outcome.accepted) {
    const code = application ? RESULT_INFO.DATA_ERROR : RESULT_INFO.NOT_FOUND;
    return { TransResult: transResult(RESULT_CODE.FAILURE, [{ code, description: outcome.message }]) };
  }
  const infos = outcome.message ? [{ code: RESULT_INFO.INFORMATION, description: outcome.message }] : [];
  return {
    TransResult: transResult(infos.length ? RESULT_CODE.SUCCESS_WITH_INFO : RESULT_CODE.SUCCESS, infos),
    OLifE: {
      Holding: [
        {
          '@_id': 'Holding_1',
          Policy: {
            ApplicationInfo: { TrackingID: trackingId },
            ...(outcome.amendmentRequired
              ? {
                  RequirementInfo: [
                    {
                      '@_id': 'Requirement_Amendment',
                      ReqCode: tc(REQ_CODE.AMENDMENT, 'Amendment'),
                      ReqStatus: tc(REQ_STATUS.ORDERED, 'Ordered'),
                    },
                  ],
                }
              : {}),
          },
        },
      ],
    },
  };
}

function submissionAnswer(outcome: SubmissionOutcome): XmlNode {
  if (!outcome.accepted && outcome.problems?.length)
    // One ResultInfo per not-in-good-order reason, named by its problem code, described by its path.
    return {
      TransResult: transResult(
        RESULT_CODE.FAILURE,
        outcome.problems.map((problem) => ({
          code: RESULT_INFO.DATA_ERROR,
          name: problem.code,
          description: `${problem.path}: ${problem.message}`,
        })),
      ),
    };
  if (!outcome.accepted)
    return { TransResult: transResult(RESULT_CODE.FAILURE, [{ code: RESULT_INFO.DATA_ERROR, description: outcome.message }]) };
  const infos = outcome.message ? [{ code: RESULT_INFO.INFORMATION, description: outcome.message }] : [];
  const application = outcome.application;
  return {
    TransResult: transResult(infos.length ? RESULT_CODE.SUCCESS_WITH_INFO : RESULT_CODE.SUCCESS, infos),
    OLifE: {
      Holding: [
        {
          '@_id': 'Holding_1',
          Policy: {
            ProductCode: application.productCode,
            PolicyStatus: tc(POLICY_STATUS.SUBMITTED, 'Applied For'),
            AnnualPaymentAmt: amount(application.annualPremiumCents),
            ApplicationInfo: { TrackingID: application.carrierReference },
          },
        },
      ],
    },
  };
}

function holdingOf(application: StoredApplication): XmlNode {
  return {
    '@_id': 'Holding_1',
    Policy: {
      ...(application.policyNumber ? { PolNumber: application.policyNumber } : {}),
      ProductCode: application.productCode,
      PolicyStatus: tc(application.carrierStatusCode ?? POLICY_STATUS[application.status]),
      ...approvedLife(application),
      ApplicationInfo: { TrackingID: application.carrierReference },
      RequirementInfo: application.requirements.map((requirement, i) => ({
        '@_id': `Requirement_${i + 1}`,
        RequirementInfoUniqueID: requirement.id,
        ReqCode: tc(requirement.carrierCode ?? REQ_CODE[requirement.code]),
        ReqStatus: tc(REQ_STATUS[requirement.status]),
        ...(requirement.description ? { RequirementDetails: requirement.description } : {}),
        RequestedDate: requirement.requestedOn,
        ...(requirement.fulfilledOn ? { FulfilledDate: requirement.fulfilledOn } : {}),
        ...(requirement.reference ? { OLifEExtension: { BgaReference: requirement.reference } } : {}),
      })),
      ...(application.statusNote ? { OLifEExtension: { StatusNote: application.statusNote } } : {}),
    },
  };
}

function policyProduct(product: CarrierFixture['products'][number]): XmlNode {
  return {
    '@_id': `Product_${product.code}`,
    ProductCode: product.code,
    PlanName: product.name,
    ProductType: tc(PRODUCT_TYPE[product.type]),
    UnderwritingApproach: tc(product.fullyUnderwritten ? UNDERWRITING_APPROACH.FULL : UNDERWRITING_APPROACH.SIMPLIFIED),
    LifeProductInfo: {
      MinIssueAge: String(product.minIssueAge),
      MaxIssueAge: String(product.maxIssueAge),
      MinFaceAmt: String(product.minFaceAmount),
      MaxFaceAmt: String(product.maxFaceAmount),
      DurationDesign: product.terms.map((term) => ({
        LevelPremiumPeriod: String(term.years),
        MinIssueAge: String(term.minIssueAge),
        MaxIssueAge: String(term.maxIssueAge),
      })),
      UnderwritingClassProduct: product.healthClasses.map((healthClass) => ({ UnderwritingClass: tc(UNDERWRITING_CLASS[healthClass]) })),
    },
    JurisdictionApproval: product.availableStates.map((state) => ({ Jurisdiction: state })),
  };
}

export const acordProtocol = (sim: SimulatedCarrier): ProtocolHandler => new AcordCarrier(sim);
