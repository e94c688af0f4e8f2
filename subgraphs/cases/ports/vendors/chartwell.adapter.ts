/**
 * CHARTWELL, the APS retrieval vendor, behind the RequirementVendor port: ACORD TXLife XML over
 * HTTP (`POST /acord`, `X-Api-Key`; the simulator in simulators/aps/ speaks it). An order is a
 * TransType 121 whose TransRefGUID is our requirement id, so the same GUID again answers the same
 * order; a status poll is a 1122 naming the vendor's ProviderOrderNumber; a cancel is a 121 with
 * TransSubType 12102. Its webhooks are the same 1122 shape pushed to us (TransRefGUID = the event
 * id), signed with `X-Chartwell-Timestamp` / `X-Chartwell-Signature`. Stages travel as CHARTWELL's
 * private ReqStatus codes: this adapter keeps its own copy of the table (CHARTWELL_STAGE_CODES), as
 * the carrier adapters keep theirs. One attempt per call, with a timeout; the worker retries.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { headerValue, verifyWebhookSignature, WebhookRefusal } from '../../../../platform/webhook-signature';
import type { VendorDetails, VendorStage } from '../../domain/requirement-vendors';
import {
  type Physician,
  type RequirementVendor,
  type VendorEvent,
  VendorError,
  type VendorOrderRequest,
  type VendorOrderStatus,
  type WebhookDelivery,
  vendorEventOf,
} from '../requirement-vendor.port';

export const CHARTWELL_TIMESTAMP_HEADER = 'x-chartwell-timestamp';
export const CHARTWELL_SIGNATURE_HEADER = 'x-chartwell-signature';

/** CHARTWELL's ReqStatus codes (its private extension range), our copy of simulators/aps/chartwell.codes.ts. */
export const CHARTWELL_STAGE_CODES = Object.freeze({
  ORDERED: '1000700001',
  AUTHORIZATION_SENT: '1000700002',
  REQUESTED_FROM_PROVIDER: '1000700003',
  PROVIDER_FEE_PAID: '1000700004',
  RECEIVED_BY_VENDOR: '1000700005',
  SENT_TO_CARRIER: '1000700006',
  CANCELLED: '1000700007',
} as const);
const STAGE_OF_CODE = new Map<string, VendorStage>(Object.entries(CHARTWELL_STAGE_CODES).map(([stage, tc]) => [tc, stage as VendorStage]));

/** ACORD codes this adapter sends or reads. */
const TRANS_ORDER = '121';
const TRANS_STATUS = '1122';
const SUB_CANCEL = '12102';
const REQ_APS = '1';
const ROLE_INSURED = '32';
const ROLE_PHYSICIAN = '49';
const RESULT_SUCCESS = new Set(['1', '2']);
const INFO_MISSING_DATA = '200';
const INFO_NOT_FOUND = '300';

export interface ChartwellSettings {
  baseUrl: string;
  apiKey: string;
  webhookSecret: string;
  webhookToleranceSeconds: number;
  /** One call's limit (default 5000 ms). */
  timeoutMs?: number;
}

type XmlNode = { [name: string]: unknown };

const REPEATABLE = new Set(['TXLifeRequest', 'TXLifeResponse', 'Holding', 'Party', 'Relation', 'RequirementInfo', 'ResultInfo']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATABLE.has(name),
});
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

const buildTxLife = (content: XmlNode) =>
  `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ TXLife: { '@_Version': '2.43.00', ...content } })}`;

function parseTxLife(xml: string): XmlNode | undefined {
  try {
    const root = (parser.parse(xml, true) as XmlNode).TXLife;
    return root && typeof root === 'object' ? (root as XmlNode) : undefined;
  } catch {
    return undefined;
  }
}

function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as XmlNode) : undefined;
}

function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}

function text(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  const raw = typeof first === 'string' ? first : first && typeof first === 'object' ? (first as XmlNode)['#text'] : undefined;
  return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
}

function tcOf(node: XmlNode | undefined, name: string): string | undefined {
  const tc = child(node, name)?.['@_tc'];
  return typeof tc === 'string' && tc.trim() ? tc.trim() : undefined;
}

const tc = (code: string, name?: string): XmlNode => (name ? { '@_tc': code, '#text': name } : { '@_tc': code });

/** The first element of that name anywhere under `node` (RequirementInfo sits under Policy in an order, on its own in a status). */
function find(node: unknown, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = find(item, name);
      if (found) return found;
    }
    return undefined;
  }
  const direct = child(node as XmlNode, name);
  if (direct) return direct;
  for (const [key, value] of Object.entries(node as XmlNode)) {
    if (key.startsWith('@_') || key === '#text') continue;
    const found = find(value, name);
    if (found) return found;
  }
  return undefined;
}

/** "Dr. Maria Lopez Garcia" → first "Dr. Maria Lopez", last "Garcia": ACORD wants the two, we take one name. */
function splitName(name: string): { FirstName?: string; LastName: string } {
  const parts = name.trim().split(/\s+/);
  const last = parts.pop()!;
  return parts.length ? { FirstName: parts.join(' '), LastName: last } : { LastName: last };
}

const today = () => new Date().toISOString().slice(0, 10);

function physicianParty(physician: Physician): XmlNode {
  return {
    '@_id': 'Party_Physician',
    Person: splitName(physician.name),
    ...(physician.practice ? { Organization: { DBA: physician.practice } } : {}),
    Phone: { PhoneTypeCode: tc('2', 'Business'), DialNumber: physician.phone },
    ...(physician.address
      ? {
          Address: {
            Line1: physician.address.line1,
            City: physician.address.city,
            AddressStateTC: { '@_tc': physician.address.state, '#text': physician.address.state },
            Zip: physician.address.postalCode,
          },
        }
      : {}),
  };
}

/** The 121 order document: exported for the unit tests of the mapping. */
export function chartwellOrderXml(order: VendorOrderRequest): string {
  if (order.code !== 'APS') throw new VendorError('VENDOR.REJECTED', `CHARTWELL takes no ${order.code}`);
  const { applicant, carrier, physician } = order;
  const treatment = {
    ...(physician?.treatedFrom ? { TreatmentStartDate: physician.treatedFrom } : {}),
    ...(physician?.treatedTo ? { TreatmentEndDate: physician.treatedTo } : {}),
  };
  return buildTxLife({
    TXLifeRequest: {
      TransRefGUID: order.reference,
      TransType: tc(TRANS_ORDER, 'General Requirement Order Request'),
      TransExeDate: today(),
      OLifE: {
        Holding: {
          '@_id': 'Holding_1',
          Policy: {
            ...(carrier.policyReference ? { PolNumber: carrier.policyReference } : {}),
            CarrierCode: carrier.code,
            RequirementInfo: {
              ReqCode: tc(REQ_APS, 'Attending Physician Statement'),
              ...(carrier.requirementId ? { RequirementInfoUniqueID: carrier.requirementId } : {}),
              ...(Object.keys(treatment).length ? { OLifEExtension: treatment } : {}),
            },
          },
        },
        Party: [
          {
            '@_id': 'Party_Insured',
            Person: {
              FirstName: applicant.firstName,
              LastName: applicant.lastName,
              BirthDate: applicant.birthDate,
              Gender: applicant.gender === 'FEMALE' ? tc('2', 'Female') : tc('1', 'Male'),
            },
          },
          ...(physician ? [physicianParty(physician)] : []),
        ],
        Relation: [
          {
            '@_OriginatingObjectID': 'Holding_1',
            '@_RelatedObjectID': 'Party_Insured',
            RelationRoleCode: tc(ROLE_INSURED, 'Insured'),
          },
          ...(physician
            ? [
                {
                  '@_OriginatingObjectID': 'Party_Insured',
                  '@_RelatedObjectID': 'Party_Physician',
                  RelationRoleCode: tc(ROLE_PHYSICIAN, 'Physician'),
                },
              ]
            : []),
        ],
      },
      OLifEExtension: { CallbackURL: order.callbackUrl },
    },
  });
}

/** A 1122 status request, or a 121/12102 cancel, naming the vendor's order. */
export function chartwellOrderRequestXml(kind: 'STATUS' | 'CANCEL', orderId: string, guid: string): string {
  return buildTxLife({
    TXLifeRequest: {
      TransRefGUID: guid,
      TransType: kind === 'STATUS' ? tc(TRANS_STATUS, 'Requirement Status Inquiry') : tc(TRANS_ORDER, 'General Requirement Order Request'),
      ...(kind === 'CANCEL' ? { TransSubType: tc(SUB_CANCEL, 'Cancel Requirement Order') } : {}),
      TransExeDate: today(),
      OLifE: { RequirementInfo: { ProviderOrderNumber: orderId } },
    },
  });
}

/** When the stage was reached: OLifEExtension/StatusDateTime (ISO 8601), else StatusDate (+ StatusTime) as UTC. */
function statusAt(info: XmlNode | undefined): string | undefined {
  const precise = text(child(info, 'OLifEExtension'), 'StatusDateTime');
  if (precise && !Number.isNaN(Date.parse(precise))) return new Date(precise).toISOString();
  const date = text(info, 'StatusDate');
  if (!date) return undefined;
  const time = text(info, 'StatusTime');
  const candidate = date.includes('T')
    ? date
    : time
      ? `${date}T${time}${/[zZ]|[+-]\d\d:?\d\d$/.test(time) ? '' : 'Z'}`
      : `${date}T00:00:00Z`;
  return Number.isNaN(Date.parse(candidate)) ? undefined : new Date(candidate).toISOString();
}

/** A RequirementInfo of a 121 or 1122 answer (or a pushed 1122) in our words: exported for the unit tests of the mapping. */
export function chartwellStatusOf(info: XmlNode | undefined, fallbackAt?: string): VendorOrderStatus {
  const orderId = text(info, 'ProviderOrderNumber');
  if (!orderId) throw new VendorError('VENDOR.UNAVAILABLE', 'CHARTWELL answered no ProviderOrderNumber');
  const stage = STAGE_OF_CODE.get(tcOf(info, 'ReqStatus') ?? '');
  if (!stage) throw new VendorError('VENDOR.UNAVAILABLE', 'CHARTWELL answered an unknown ReqStatus');
  const extension = child(info, 'OLifEExtension');
  const sequence = Number(text(extension, 'Sequence') ?? (stage === 'ORDERED' ? '1' : Number.NaN));
  if (!Number.isInteger(sequence)) throw new VendorError('VENDOR.UNAVAILABLE', 'CHARTWELL answered no Sequence');
  const at = statusAt(info) ?? fallbackAt;
  if (!at) throw new VendorError('VENDOR.UNAVAILABLE', 'CHARTWELL answered no StatusDate');
  const expected = text(extension, 'ProviderExpectedDate');
  const fee = text(extension, 'ProviderFee');
  const details: VendorDetails = {
    ...(expected && /^\d{4}-\d{2}-\d{2}$/.test(expected.slice(0, 10)) ? { providerExpectedOn: expected.slice(0, 10) } : {}),
    ...(fee && /^\d+(\.\d+)?$/.test(fee) ? { providerFee: fee } : {}),
  };
  return { orderId, reference: text(extension, 'BgaReference') ?? null, stage, sequence, at, details };
}

export class ChartwellAdapter implements RequirementVendor {
  readonly code = 'CHARTWELL' as const;
  private readonly baseUrl: string;
  private calls = 0;

  constructor(private readonly settings: ChartwellSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
  }

  async placeOrder(order: VendorOrderRequest): Promise<VendorOrderStatus> {
    const response = await this.call(chartwellOrderXml(order));
    this.failIfRefused(response);
    return chartwellStatusOf(find(response, 'RequirementInfo'), new Date().toISOString());
  }

  async orderStatus(orderId: string): Promise<VendorOrderStatus> {
    const response = await this.call(chartwellOrderRequestXml('STATUS', orderId, this.guid()));
    this.failIfRefused(response);
    return chartwellStatusOf(find(response, 'RequirementInfo'));
  }

  async cancelOrder(orderId: string, _reason: string): Promise<VendorOrderStatus> {
    const response = await this.call(chartwellOrderRequestXml('CANCEL', orderId, this.guid()));
    // Refused for anything but an unknown order: the order is already final there.
    this.failIfRefused(response, 'CANCEL');
    return chartwellStatusOf(find(response, 'RequirementInfo'), new Date().toISOString());
  }

  parseWebhook(delivery: WebhookDelivery, nowMs: number): VendorEvent {
    verifyWebhookSignature(
      {
        rawBody: delivery.rawBody,
        timestamp: headerValue(delivery, CHARTWELL_TIMESTAMP_HEADER),
        signature: headerValue(delivery, CHARTWELL_SIGNATURE_HEADER),
      },
      this.settings.webhookSecret,
      this.settings.webhookToleranceSeconds,
      nowMs,
    );
    return chartwellEventOf(delivery.rawBody);
  }

  private guid(): string {
    return `bga-${Date.now().toString(36)}-${++this.calls}`;
  }

  /**
   * ResultCode 1/2 passes; 5 is refused: an unknown order (300) is NOT_FOUND; for a cancel, anything
   * else means the order is already final (CONFLICT); for an order, missing data (200) is REJECTED.
   */
  private failIfRefused(response: XmlNode, kind: 'ORDER' | 'CANCEL' = 'ORDER'): void {
    const result = child(response, 'TransResult');
    const code = tcOf(result, 'ResultCode');
    if (code && RESULT_SUCCESS.has(code)) return;
    if (!code) throw new VendorError('VENDOR.UNAVAILABLE', 'CHARTWELL answered no ResultCode');
    const infos = children(result, 'ResultInfo').map((info) => tcOf(info, 'ResultInfoCode'));
    if (infos.includes(INFO_NOT_FOUND)) throw new VendorError('VENDOR.NOT_FOUND', 'CHARTWELL does not know the order');
    if (kind === 'CANCEL') throw new VendorError('VENDOR.CONFLICT', 'the order is already final at CHARTWELL');
    const missing = infos.filter((info) => info === INFO_MISSING_DATA).length;
    throw new VendorError(
      'VENDOR.REJECTED',
      `CHARTWELL refused the order (ResultCode ${code}${missing ? `, ${missing} data problem(s)` : ''})`,
    );
  }

  /** POSTs a TXLife document; answers the TXLifeResponse, or throws VENDOR.UNAVAILABLE. */
  private async call(xml: string): Promise<XmlNode> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/acord`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', accept: 'application/xml', 'x-api-key': this.settings.apiKey },
        body: xml,
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 5_000),
      });
    } catch (error) {
      throw new VendorError('VENDOR.UNAVAILABLE', `CHARTWELL unreachable: ${(error as Error).name}`);
    }
    const body = await response.text().catch(() => '');
    if (response.status >= 300) throw new VendorError('VENDOR.UNAVAILABLE', `CHARTWELL answered HTTP ${response.status}`);
    const answer = child(parseTxLife(body), 'TXLifeResponse');
    if (!answer) throw new VendorError('VENDOR.UNAVAILABLE', 'CHARTWELL answered something that is not a TXLifeResponse');
    return answer;
  }
}

/** A verified pushed 1122 as our event; a 400 refusal when it is not one. */
export function chartwellEventOf(rawBody: Buffer): VendorEvent {
  const request = child(parseTxLife(rawBody.toString('utf8')), 'TXLifeRequest');
  if (!request) throw new WebhookRefusal(400, 'BAD_REQUEST', 'the webhook body is not a TXLifeRequest');
  const eventId = text(request, 'TransRefGUID');
  if (!eventId || eventId.length > 200) throw new WebhookRefusal(400, 'BAD_REQUEST', 'the webhook has no TransRefGUID');
  try {
    return vendorEventOf(eventId, chartwellStatusOf(find(request, 'RequirementInfo')));
  } catch (error) {
    if (error instanceof VendorError) throw new WebhookRefusal(400, 'BAD_REQUEST', `the webhook is not a status event (${error.message})`);
    throw error;
  }
}
