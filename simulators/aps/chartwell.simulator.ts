/**
 * CHARTWELL, a simulated APS (attending physician statement) retrieval vendor, as a real HTTP
 * server speaking ACORD TXLife XML. This header is the vendor's implementation guide; its code
 * lists are in chartwell.codes.ts.
 *
 *   POST /acord   Content-Type application/xml, header `X-Api-Key: <api key>` (401 otherwise).
 *                 One TXLife holding one or more TXLifeRequest, each answered by its own
 *                 TXLifeResponse (TransRefGUID and TransType echoed, TransResult/ResultCode 1 success
 *                 or 5 failure with ResultInfo: 200 data error, one per problem; 300 not found; 400
 *                 unsupported). A body that is not TXLife → 400. Counted by the first request's kind.
 *   GET  /health
 *
 * Order, TransType 121, one physician per order:
 *   TXLifeRequest/TransRefGUID                    the BGA's reference (its requirement id); the same GUID
 *                                                 again answers the same order (ResultCode 1, no second order)
 *   OLifE/Holding/Policy/PolNumber                the carrier's application reference
 *   OLifE/Holding/Policy/CarrierCode              the carrier the records go to
 *   OLifE/Holding/Policy/RequirementInfo          ReqCode tc="1" (APS); RequirementInfoUniqueID = the carrier's
 *                                                 requirement id when known; OLifEExtension/TreatmentStartDate,
 *                                                 TreatmentEndDate (YYYY-MM-DD) optional
 *   OLifE/Party (insured)                         Person FirstName, LastName, BirthDate, Gender tc 1|2
 *   OLifE/Party (physician)                       Person FirstName/LastName, Organization/DBA (the practice),
 *                                                 Phone/DialNumber (AreaCode optional), Address optional
 *   OLifE/Relation                                RelationRoleCode tc="32" insured, tc="49" physician
 *                                                 (RelatedObjectID = the Party's id)
 *   TXLifeRequest/OLifEExtension/CallbackURL      where status pushes go
 *   → ResultCode 1 with OLifE/Holding/Policy/RequirementInfo (below); a missing physician name or phone,
 *     or any other problem → ResultCode 5 with one ResultInfo (ResultInfoCode 200) per problem.
 * Cancel, TransType 121 with TransSubType tc="12102" naming RequirementInfo/ProviderOrderNumber
 *   → ResultCode 1 and the order, CANCELLED; ResultCode 5 / 200 with the order when it is already final;
 *     5 / 300 for an unknown order.
 * Status, TransType 1122 naming RequirementInfo/ProviderOrderNumber → the order; 5 / 300 when unknown.
 *
 * An order as every answer and push writes it, at OLifE/Holding/Policy/RequirementInfo:
 *   ReqCode tc="1", RequirementInfoUniqueID (the carrier's id, when given), ProviderOrderNumber (CW-…),
 *   ReqStatus tc (the stage, chartwell.codes.ts REQ_STATUS), StatusDate (YYYY-MM-DD), and
 *   OLifEExtension: Sequence (1 at ORDERED, one more per stage change), BgaReference (the BGA's
 *   reference), StatusDateTime (ISO 8601), ProviderExpectedDate (YYYY-MM-DD, from
 *   REQUESTED_FROM_PROVIDER), ProviderFee (dollars, once paid).
 * The requirement ReqCode is looked for there, and also directly under Holding or OLifE, for partners
 * who place it so.
 *
 * Stages: ORDERED → AUTHORIZATION_SENT → REQUESTED_FROM_PROVIDER → PROVIDER_FEE_PAID →
 * RECEIVED_BY_VENDOR → SENT_TO_CARRIER; CANCELLED from any stage not final.
 *
 * Pushes: every stage change is POSTed to the callback URL as a TXLifeRequest 1122 (TransRefGUID =
 * the event id, unique per change) holding the order as above, with headers
 * `X-Chartwell-Timestamp: <unix seconds>` and `X-Chartwell-Signature: <hex HMAC-SHA256(webhook secret,
 * "<timestamp>.<raw body>")>`, retried with doubling backoff until the receiver answers 2xx.
 *
 * Results: at SENT_TO_CARRIER, CHARTWELL POSTs to the carrier's `/_vendors/results`
 * {"policyReference", "requirementId", "reference", "code": "APS", "vendor": "CHARTWELL", "orderId",
 * "completedOn" (the day the records were received)}. CHARTWELL keeps none of the insured's or the
 * physician's data: it is checked, then forgotten (the simulator calls no doctor).
 *
 * Control: vendor-control.ts (in process, and over HTTP under /_control/).
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import { buildTxLife, child, children, parseTxLife, tc, tcOf, text, type XmlNode } from '../acord/txlife';
import { type VendorControl, type VendorEvent, type VendorOrder, VendorOrderError, type VendorSpec } from '../vendor-control';
import {
  startVendorSimulator,
  type RunningVendorSimulator,
  type VendorSimulatorOptions,
  type VendorProtocol,
  type VendorReply,
  type VendorRequest,
} from '../vendor-server';
import { hmacSignature } from '../webhook-sender';
import {
  CHARTWELL_STAGES,
  type ChartwellStage,
  GENDER,
  RELATION_ROLE,
  REQ_CODE_APS,
  REQ_CODE_APS_NAME,
  REQ_STATUS,
  REQ_STATUS_NAMES,
  RESULT_CODE,
  RESULT_CODE_NAMES,
  RESULT_INFO,
  TRANS_SUB_TYPE_CANCEL,
  TRANS_TYPE,
  TRANS_TYPE_NAMES,
} from './chartwell.codes';

export const CHARTWELL_CALL_KINDS = ['order', 'status', 'cancel'] as const;
export type ChartwellCallKind = (typeof CHARTWELL_CALL_KINDS)[number];

export const CHARTWELL_TIMESTAMP_HEADER = 'x-chartwell-timestamp';
export const CHARTWELL_SIGNATURE_HEADER = 'x-chartwell-signature';
export const CHARTWELL_API_KEY_HEADER = 'x-api-key';

/** The hex `X-Chartwell-Signature` of a body sent at unix second `timestamp`. */
export const chartwellSignature = (secret: string, timestamp: string | number, rawBody: string): string =>
  hmacSignature(secret, String(timestamp), rawBody);

/** What CHARTWELL tells beyond the stage. */
export interface ChartwellDetails {
  /** The day the provider (the physician's office) is expected to send the records, YYYY-MM-DD. */
  providerExpectedOn: string | null;
  /** The provider's fee in dollars ("25.00"), once paid. */
  providerFee: string | null;
}

export type ChartwellOrder = VendorOrder<ChartwellStage, ChartwellDetails>;
export type ChartwellEvent = VendorEvent<ChartwellStage, ChartwellDetails>;
export type ChartwellControl = VendorControl<ChartwellStage, ChartwellDetails, ChartwellCallKind>;

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (value: string) => DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;

/** What every answer and push says of an order (the guide's "An order as every answer and push writes it"). */
interface OrderFacts {
  orderId: string;
  reference: string;
  stage: ChartwellStage;
  sequence: number;
  at: string;
  details: ChartwellDetails;
  carrier: { code: string; policyReference: string; requirementId: string | null };
}

const factsOfOrder = (order: ChartwellOrder): OrderFacts => ({
  orderId: order.orderId,
  reference: order.reference,
  stage: order.stage,
  sequence: order.sequence,
  at: order.updatedAt,
  details: order.details,
  carrier: order.carrier,
});

function holdingOf(facts: OrderFacts): XmlNode {
  const extension: XmlNode = {
    '@_VendorCode': 'CHARTWELL',
    Sequence: String(facts.sequence),
    BgaReference: facts.reference,
    StatusDateTime: facts.at,
  };
  if (facts.details.providerExpectedOn) extension.ProviderExpectedDate = facts.details.providerExpectedOn;
  if (facts.details.providerFee) extension.ProviderFee = facts.details.providerFee;
  const requirement: XmlNode = { '@_id': 'Requirement_1', ReqCode: tc(REQ_CODE_APS, REQ_CODE_APS_NAME) };
  if (facts.carrier.requirementId) requirement.RequirementInfoUniqueID = facts.carrier.requirementId;
  Object.assign(requirement, {
    ProviderOrderNumber: facts.orderId,
    ReqStatus: tc(REQ_STATUS[facts.stage], REQ_STATUS_NAMES[facts.stage]),
    StatusDate: facts.at.slice(0, 10),
    OLifEExtension: extension,
  });
  return {
    Holding: {
      '@_id': 'Holding_1',
      Policy: { PolNumber: facts.carrier.policyReference, CarrierCode: facts.carrier.code, RequirementInfo: requirement },
    },
  };
}

const exeDateTime = (at: string) => ({ TransExeDate: at.slice(0, 10), TransExeTime: at.slice(11, 19) });

/** The push CHARTWELL POSTs for a stage change: a TXLifeRequest 1122 whose TransRefGUID is the event id. */
export function chartwellPushXml(event: ChartwellEvent): string {
  return buildTxLife({
    TXLifeRequest: {
      TransRefGUID: event.eventId,
      TransType: tc(TRANS_TYPE.STATUS, TRANS_TYPE_NAMES[TRANS_TYPE.STATUS]),
      ...exeDateTime(event.occurredAt),
      OLifE: holdingOf({
        orderId: event.orderId,
        reference: event.reference,
        stage: event.stage,
        sequence: event.sequence,
        at: event.occurredAt,
        details: event.details,
        carrier: event.carrier,
      }),
    },
  });
}

export const CHARTWELL_SPEC: VendorSpec<ChartwellStage, ChartwellDetails, ChartwellCallKind> = {
  vendor: 'CHARTWELL',
  stages: CHARTWELL_STAGES,
  path: ['ORDERED', 'AUTHORIZATION_SENT', 'REQUESTED_FROM_PROVIDER', 'PROVIDER_FEE_PAID', 'RECEIVED_BY_VENDOR', 'SENT_TO_CARRIER'],
  cancelled: 'CANCELLED',
  sideMoves: {},
  sideNext: {},
  completedStage: 'RECEIVED_BY_VENDOR',
  callKinds: CHARTWELL_CALL_KINDS,
  initialDetails: () => ({ providerExpectedOn: null, providerFee: null }),
  defaultDetails(stage, order, now) {
    // The provider promises the records in two weeks when asked; most charge a fee.
    if (stage === 'REQUESTED_FROM_PROVIDER' && !order.details.providerExpectedOn)
      return { providerExpectedOn: new Date(now.getTime() + 14 * DAY_MS).toISOString().slice(0, 10) };
    if (stage === 'PROVIDER_FEE_PAID' && !order.details.providerFee) return { providerFee: '25.00' };
    return {};
  },
  checkDetails(details) {
    const out: Partial<ChartwellDetails> = {};
    if (details.providerExpectedOn !== undefined) {
      if (typeof details.providerExpectedOn !== 'string' || !isDate(details.providerExpectedOn))
        throw new RangeError('details.providerExpectedOn must be a date, YYYY-MM-DD');
      out.providerExpectedOn = details.providerExpectedOn;
    }
    if (details.providerFee !== undefined) {
      if (typeof details.providerFee !== 'string' || !/^\d+\.\d{2}$/.test(details.providerFee))
        throw new RangeError('details.providerFee must be dollars with two decimals, e.g. "25.00"');
      out.providerFee = details.providerFee;
    }
    return out;
  },
  encode: (event) => ({ body: chartwellPushXml(event), contentType: 'application/xml' }),
  sign: (secret, timestamp, body) => ({
    [CHARTWELL_TIMESTAMP_HEADER]: timestamp,
    [CHARTWELL_SIGNATURE_HEADER]: chartwellSignature(secret, timestamp, body),
  }),
};

const xml = (status: number, body: string): VendorReply => ({ status, contentType: 'application/xml; charset=utf-8', body });

interface Info {
  code: string;
  description: string;
}

function transResult(code: string, infos: Info[] = []): XmlNode {
  return {
    ResultCode: tc(code, RESULT_CODE_NAMES[code]),
    ...(infos.length ? { ResultInfo: infos.map((info) => ({ ResultInfoCode: tc(info.code), ResultInfoDesc: info.description })) } : {}),
  };
}

/** The RequirementInfo of a request: under Holding/Policy as the guide says, or directly under Holding or OLifE. */
function requirementInfoOf(request: XmlNode | undefined): XmlNode | undefined {
  const olife = child(request, 'OLifE');
  const holding = child(olife, 'Holding');
  return child(child(holding, 'Policy'), 'RequirementInfo') ?? child(holding, 'RequirementInfo') ?? child(olife, 'RequirementInfo');
}

/** The Parties related in this role. */
function partiesInRole(olife: XmlNode | undefined, role: string): XmlNode[] {
  const ids = children(olife, 'Relation')
    .filter((relation) => tcOf(relation, 'RelationRoleCode') === role)
    .map((relation) => relation['@_RelatedObjectID']);
  return children(olife, 'Party').filter((party) => ids.includes(party['@_id']));
}

const isHttpUrl = (value: string | undefined) => {
  try {
    const protocol = value ? new URL(value).protocol : '';
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
};

/** Checks a 121 order field by field; the problems name elements, never values. */
export function chartwellOrderProblems(request: XmlNode, knowsCarrier: (code: string) => boolean = () => true): string[] {
  const problems: string[] = [];
  if (!text(request, 'TransRefGUID')) problems.push('TransRefGUID is required (the BGA reference)');
  const olife = child(request, 'OLifE');
  const policy = child(child(olife, 'Holding'), 'Policy');
  if (!text(policy, 'PolNumber')) problems.push('Holding/Policy/PolNumber is required (the carrier application reference)');
  const carrierCode = text(policy, 'CarrierCode');
  if (!carrierCode) problems.push('Holding/Policy/CarrierCode is required');
  else if (!knowsCarrier(carrierCode)) problems.push('Holding/Policy/CarrierCode is not a carrier CHARTWELL delivers records to');
  const requirement = requirementInfoOf(request);
  if (!requirement) problems.push('RequirementInfo is required');
  else {
    if (tcOf(requirement, 'ReqCode') !== REQ_CODE_APS)
      problems.push('RequirementInfo/ReqCode must be tc="1" (APS): CHARTWELL retrieves APSs only');
    const extension = child(requirement, 'OLifEExtension');
    const start = text(extension, 'TreatmentStartDate');
    const end = text(extension, 'TreatmentEndDate');
    if (start !== undefined && !isDate(start)) problems.push('TreatmentStartDate must be a date, YYYY-MM-DD');
    if (end !== undefined && !isDate(end)) problems.push('TreatmentEndDate must be a date, YYYY-MM-DD');
    if (start && end && isDate(start) && isDate(end) && start > end) problems.push('TreatmentStartDate must not be after TreatmentEndDate');
  }
  const insured = partiesInRole(olife, RELATION_ROLE.INSURED);
  if (insured.length !== 1) problems.push('one insured Party (RelationRoleCode 32) is required');
  else {
    const person = child(insured[0], 'Person');
    if (!text(person, 'FirstName') || !text(person, 'LastName')) problems.push('the insured Person/FirstName and LastName are required');
    const birthDate = text(person, 'BirthDate');
    if (!birthDate || !isDate(birthDate)) problems.push('the insured Person/BirthDate is required, YYYY-MM-DD');
    const gender = tcOf(person, 'Gender');
    if (gender !== undefined && gender !== GENDER.MALE && gender !== GENDER.FEMALE)
      problems.push('the insured Person/Gender must be tc 1 or 2');
  }
  const physicians = partiesInRole(olife, RELATION_ROLE.PHYSICIAN);
  if (physicians.length > 1) problems.push('one physician per order: send an order per physician');
  const physician = physicians[0];
  const person = child(physician, 'Person');
  if (!text(person, 'LastName') && !text(person, 'FirstName'))
    problems.push('the physician name is required (Party with RelationRoleCode 49, Person/FirstName and LastName)');
  const phone = child(physician, 'Phone');
  const digits = `${text(phone, 'AreaCode') ?? ''}${text(phone, 'DialNumber') ?? ''}`.replace(/\D/g, '');
  if (digits.length < 7) problems.push('the physician phone is required (Party with RelationRoleCode 49, Phone/DialNumber)');
  if (!isHttpUrl(text(child(request, 'OLifEExtension'), 'CallbackURL')))
    problems.push('TXLifeRequest/OLifEExtension/CallbackURL must be an http(s) URL');
  return problems;
}

/** A CW- order number: nine digits, as CHARTWELL's tracking system issues them. */
const orderNumber = () => `CW-${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;

class ChartwellProtocol implements VendorProtocol<ChartwellCallKind> {
  readonly service = 'chartwell';
  private readonly expectedKey: Buffer;

  constructor(
    private readonly control: ChartwellControl,
    apiKey: string,
  ) {
    this.expectedKey = Buffer.from(apiKey);
  }

  classify(request: VendorRequest): ChartwellCallKind | null {
    if (request.method !== 'POST' || request.path !== '/acord') return null;
    return kindOf(children(parseTxLife(request.body), 'TXLifeRequest')[0]);
  }

  authorized(request: VendorRequest): boolean {
    const header = request.headers[CHARTWELL_API_KEY_HEADER];
    const given = Buffer.from((Array.isArray(header) ? header[0] : header) ?? '');
    return given.length === this.expectedKey.length && timingSafeEqual(given, this.expectedKey);
  }

  unauthorized(): VendorReply {
    return xml(
      401,
      buildTxLife({
        TXLifeResponse: {
          TransResult: transResult(RESULT_CODE.FAILURE, [{ code: RESULT_INFO.DATA_ERROR, description: 'a valid X-Api-Key is required' }]),
        },
      }),
    );
  }

  notFound(request: VendorRequest): VendorReply {
    const onAcord = request.method === 'POST' && request.path === '/acord';
    const description = !onAcord
      ? `no endpoint ${request.method} ${request.path}`
      : parseTxLife(request.body)
        ? 'unsupported transaction: CHARTWELL takes TransType 121 and 1122'
        : 'the body is not TXLife XML';
    return xml(
      onAcord ? 400 : 404,
      buildTxLife({ TXLifeResponse: { TransResult: transResult(RESULT_CODE.FAILURE, [{ code: RESULT_INFO.UNSUPPORTED, description }]) } }),
    );
  }

  unavailable(): VendorReply {
    return { status: 503, contentType: 'text/html; charset=utf-8', body: '<html><body><h1>503 Service Unavailable</h1></body></html>' };
  }

  malformed(): VendorReply {
    return xml(200, '<?xml version="1.0" encoding="UTF-8"?><TXLife Version="2.43.00"><TXLifeResponse><TransResult><ResultCode tc="1"');
  }

  handle(_kind: ChartwellCallKind, request: VendorRequest): VendorReply {
    const requests = children(parseTxLife(request.body), 'TXLifeRequest');
    return xml(200, buildTxLife({ TXLifeResponse: requests.map((one) => this.answer(one)) }));
  }

  private answer(request: XmlNode): XmlNode {
    const kind = kindOf(request);
    const head = (transType: string) => ({
      TransRefGUID: text(request, 'TransRefGUID') ?? '',
      TransType: tc(transType, TRANS_TYPE_NAMES[transType]),
      ...exeDateTime(new Date().toISOString()),
    });
    const failure = (transType: string, infos: Info[], order?: ChartwellOrder) => ({
      ...head(transType),
      TransResult: transResult(RESULT_CODE.FAILURE, infos),
      ...(order ? { OLifE: holdingOf(factsOfOrder(order)) } : {}),
    });
    const success = (transType: string, order: ChartwellOrder) => ({
      ...head(transType),
      TransResult: transResult(RESULT_CODE.SUCCESS),
      OLifE: holdingOf(factsOfOrder(order)),
    });
    if (kind === null)
      return failure(tcOf(request, 'TransType') ?? '', [
        { code: RESULT_INFO.UNSUPPORTED, description: 'CHARTWELL takes TransType 121 and 1122' },
      ]);
    if (kind === 'order') {
      const problems = chartwellOrderProblems(request, (code) => this.control.knowsCarrier(code));
      // A GUID seen before answers its order even if this copy is incomplete: it is a retry.
      const known = this.control.orderByReference(text(request, 'TransRefGUID') ?? '');
      if (known) return success(TRANS_TYPE.ORDER, known);
      if (problems.length > 0)
        return failure(
          TRANS_TYPE.ORDER,
          problems.map((description) => ({ code: RESULT_INFO.DATA_ERROR, description })),
        );
      const policy = child(child(child(request, 'OLifE'), 'Holding'), 'Policy');
      const reference = text(request, 'TransRefGUID')!;
      const { order } = this.control.create(
        {
          reference,
          callbackUrl: text(child(request, 'OLifEExtension'), 'CallbackURL')!,
          carrier: {
            code: text(policy, 'CarrierCode')!,
            policyReference: text(policy, 'PolNumber')!,
            requirementId: text(requirementInfoOf(request), 'RequirementInfoUniqueID') ?? null,
          },
          resultsCode: 'APS',
          idempotencyKey: reference,
        },
        orderNumber,
      );
      return success(TRANS_TYPE.ORDER, order);
    }
    const transType = kind === 'status' ? TRANS_TYPE.STATUS : TRANS_TYPE.ORDER;
    const orderId = text(requirementInfoOf(request), 'ProviderOrderNumber');
    const order = orderId ? this.control.order(orderId) : undefined;
    if (!order)
      return failure(transType, [
        {
          code: RESULT_INFO.NOT_FOUND,
          description: orderId ? 'no order with this ProviderOrderNumber' : 'RequirementInfo/ProviderOrderNumber is required',
        },
      ]);
    if (kind === 'status') return success(transType, order);
    try {
      return success(transType, this.control.cancel(order.orderId));
    } catch (error) {
      if (!(error instanceof VendorOrderError)) throw error;
      return failure(
        transType,
        [{ code: RESULT_INFO.DATA_ERROR, description: `the order is ${order.stage}: it cannot be cancelled` }],
        order,
      );
    }
  }
}

function kindOf(request: XmlNode | undefined): ChartwellCallKind | null {
  const transType = tcOf(request, 'TransType');
  if (transType === TRANS_TYPE.STATUS) return 'status';
  if (transType !== TRANS_TYPE.ORDER) return null;
  return tcOf(request, 'TransSubType') === TRANS_SUB_TYPE_CANCEL ? 'cancel' : 'order';
}

export type ChartwellSimulatorOptions = VendorSimulatorOptions;
export type RunningChartwellSimulator = RunningVendorSimulator<ChartwellControl>;

export const startChartwellSimulator = (options: ChartwellSimulatorOptions): Promise<RunningChartwellSimulator> =>
  startVendorSimulator(CHARTWELL_SPEC, (control, apiKey) => new ChartwellProtocol(control, apiKey), options);
