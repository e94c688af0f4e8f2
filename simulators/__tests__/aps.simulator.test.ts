/**
 * CHARTWELL, the APS retrieval vendor simulator, on the raw wire (ACORD TXLife XML): API-key auth,
 * 121 orders (one physician each, idempotent by TransRefGUID, ResultCode 5 with a ResultInfo per
 * problem), 1122 status polls, 12102 cancels, every stage by advance and by auto progress, the
 * provider's expected date and fee, signed 1122 pushes checked against the HMAC by a real receiver,
 * retries, webhook and API faults, the HTTP control API, and the results POSTed to a carrier.
 */
import { createHmac } from 'node:crypto';
import { buildTxLife, child, children, parseTxLife, tc, tcOf, text, type XmlNode } from '../acord/txlife';
import { REQ_STATUS, stageOfReqStatus } from '../aps/chartwell.codes';
import { chartwellSignature, type RunningChartwellSimulator, startChartwellSimulator } from '../aps/chartwell.simulator';
import { startSimulators } from '../simulators';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { DEV_VENDOR_CHARTWELL_API_KEY } from '../../platform/config';
import { eventually, HttpReceiver } from './http-receiver';

const API_KEY = 'test-chartwell-key';
const SECRET = 'test-chartwell-webhook-secret';
const HOOK = '/webhooks/vendors/chartwell';
const RESULTS = '/carrier-summit/_vendors/results';

let chartwell: RunningChartwellSimulator;
let receiver: HttpReceiver;
let counter = 0;

beforeAll(async () => {
  receiver = await new HttpReceiver().start();
  chartwell = await startChartwellSimulator({
    apiKey: API_KEY,
    webhookSecret: SECRET,
    webhookRetry: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 5, timeoutMs: 2_000 },
    carrierUrl: (code) => (code === 'SUMMIT' ? `${receiver.url}/carrier-summit` : undefined),
  });
});
afterAll(async () => {
  await chartwell.stop();
  await receiver.stop();
});
beforeEach(async () => {
  // Nothing of an earlier test may still be on its way (it would take a failure meant for this one).
  chartwell.control.setAutoProgress(0);
  await chartwell.control.idle();
  chartwell.control.reset();
  receiver.clear();
});

interface Physician {
  firstName?: string;
  lastName?: string;
  phone?: string;
}

/** A 121 order as the BGA's adapter would send it. */
function orderRequest(reference: string, options: { physicians?: Physician[]; reqCode?: string; carrierCode?: string } = {}): XmlNode {
  const physicians = options.physicians ?? [{ firstName: 'Ada', lastName: 'Lovelace', phone: '555-010-4477' }];
  return {
    TransRefGUID: reference,
    TransType: tc('121', 'General Requirement Order Request'),
    OLifE: {
      Holding: {
        '@_id': 'Holding_1',
        Policy: {
          PolNumber: 'SUM-APP-9',
          CarrierCode: options.carrierCode ?? 'SUMMIT',
          RequirementInfo: {
            ReqCode: tc(options.reqCode ?? '1', 'Attending Physician Statement'),
            RequirementInfoUniqueID: 'RQ-SUM-APP-9-2',
            OLifEExtension: { TreatmentStartDate: '2019-01-01', TreatmentEndDate: '2024-06-30' },
          },
        },
      },
      Party: [
        { '@_id': 'Party_Insured', Person: { FirstName: 'Pat', LastName: 'Insured', BirthDate: '1975-07-08', Gender: tc('2', 'Female') } },
        ...physicians.map((p, i) => ({
          '@_id': `Party_Physician_${i}`,
          Person: { FirstName: p.firstName, LastName: p.lastName },
          Organization: { DBA: 'Riverside Clinic' },
          ...(p.phone ? { Phone: { DialNumber: p.phone } } : {}),
          Address: { Line1: '9 River Road', City: 'Springfield', AddressState: 'IL', Zip: '62701' },
        })),
      ],
      Relation: [
        { '@_OriginatingObjectID': 'Holding_1', '@_RelatedObjectID': 'Party_Insured', RelationRoleCode: tc('32', 'Insured') },
        ...physicians.map((_, i) => ({
          '@_OriginatingObjectID': 'Holding_1',
          '@_RelatedObjectID': `Party_Physician_${i}`,
          RelationRoleCode: tc('49', 'Physician'),
        })),
      ],
    },
    OLifEExtension: { '@_VendorCode': 'BGA', CallbackURL: `${receiver.url}${HOOK}` },
  };
}

const byOrderNumber = (transType: string, orderId: string, subType?: string): XmlNode => ({
  TransRefGUID: `q_${++counter}`,
  TransType: tc(transType),
  ...(subType ? { TransSubType: tc(subType) } : {}),
  OLifE: { Holding: { Policy: { RequirementInfo: { ProviderOrderNumber: orderId } } } },
});

async function post(requests: XmlNode[], key = API_KEY): Promise<{ status: number; responses: XmlNode[]; raw: string }> {
  const response = await fetch(`${chartwell.url}/acord`, {
    method: 'POST',
    headers: { 'content-type': 'application/xml', 'x-api-key': key },
    body: buildTxLife({ TXLifeRequest: requests }),
  });
  const raw = await response.text();
  return { status: response.status, responses: children(parseTxLife(raw), 'TXLifeResponse'), raw };
}

/** What a response or push says of the order. */
function orderOf(node: XmlNode) {
  const requirement = child(child(child(child(node, 'OLifE'), 'Holding'), 'Policy'), 'RequirementInfo');
  const extension = child(requirement, 'OLifEExtension');
  return {
    orderId: text(requirement, 'ProviderOrderNumber'),
    stage: stageOfReqStatus(tcOf(requirement, 'ReqStatus')),
    sequence: Number(text(extension, 'Sequence')),
    reference: text(extension, 'BgaReference'),
    carrierRequirementId: text(requirement, 'RequirementInfoUniqueID'),
    expectedOn: text(extension, 'ProviderExpectedDate'),
    fee: text(extension, 'ProviderFee'),
    statusDate: text(requirement, 'StatusDate'),
  };
}

const resultOf = (response: XmlNode) => ({
  code: tcOf(child(response, 'TransResult'), 'ResultCode'),
  infos: children(child(response, 'TransResult'), 'ResultInfo').map((i) => [tcOf(i, 'ResultInfoCode'), text(i, 'ResultInfoDesc')]),
});

async function order(reference = `req_aps_${++counter}`) {
  const { status, responses } = await post([orderRequest(reference)]);
  expect(status).toBe(200);
  expect(resultOf(responses[0]).code).toBe('1');
  const facts = orderOf(responses[0]);
  return { ...facts, orderId: facts.orderId ?? '', reference };
}

/** The pushes the receiver accepted for one order, with the signature checked as a receiver must. */
function pushesFor(orderId: string) {
  return receiver
    .at(HOOK)
    .map((r) => {
      const timestamp = String(r.headers['x-chartwell-timestamp']);
      const expected = createHmac('sha256', SECRET).update(`${timestamp}.${r.raw}`).digest('hex');
      const request = children(parseTxLife(r.raw), 'TXLifeRequest')[0];
      return {
        eventId: text(request, 'TransRefGUID'),
        transType: tcOf(request, 'TransType'),
        contentType: r.headers['content-type'],
        validSignature: r.headers['x-chartwell-signature'] === expected,
        raw: r.raw,
        timestamp,
        ...orderOf(request),
      };
    })
    .filter((p) => p.orderId === orderId);
}

describe('orders (121), polls (1122) and cancels (121/12102)', () => {
  test('refuses calls without the API key, and does not count them', async () => {
    const { status, responses } = await post([orderRequest('req_nokey')], 'wrong');
    expect(status).toBe(401);
    expect(resultOf(responses[0]).code).toBe('5');
    expect(chartwell.control.counts).toEqual({ order: 0, status: 0, cancel: 0 });
    expect(chartwell.control.orderByReference('req_nokey')).toBeUndefined();
  });

  test('an order answers the vendor order number at ORDERED, sequence 1; the same GUID answers the same order, with no second one', async () => {
    const placed = await order();
    expect(placed).toMatchObject({ stage: 'ORDERED', sequence: 1, reference: placed.reference, carrierRequirementId: 'RQ-SUM-APP-9-2' });
    expect(placed.orderId).toMatch(/^CW-\d{9}$/);
    const again = await post([orderRequest(placed.reference)]);
    expect(resultOf(again.responses[0]).code).toBe('1');
    expect(orderOf(again.responses[0])).toMatchObject({ orderId: placed.orderId, reference: placed.reference });
    expect(text(again.responses[0], 'TransRefGUID')).toBe(placed.reference);
    expect(tcOf(again.responses[0], 'TransType')).toBe('121');
    expect(chartwell.control.counts.order).toBe(2);
    expect(chartwell.control.all().filter((o) => o.reference === placed.reference)).toHaveLength(1);
    // Nothing of the insured or the physician is kept.
    expect(JSON.stringify(chartwell.control.all())).not.toMatch(/Pat|Insured|1975-07-08|Ada|Lovelace|555-010-4477|Riverside|River Road/);
    expect(chartwell.control.order(placed.orderId)).toMatchObject({
      carrier: { code: 'SUMMIT', policyReference: 'SUM-APP-9', requirementId: 'RQ-SUM-APP-9-2' },
      resultsCode: 'APS',
    });
  });

  test('a physician without name or phone is ResultCode 5 with one ResultInfo 200 per problem, and no order', async () => {
    const reference = `req_bad_${++counter}`;
    const { responses } = await post([orderRequest(reference, { physicians: [{}] })]);
    const result = resultOf(responses[0]);
    expect(result.code).toBe('5');
    expect(result.infos).toEqual([
      ['200', expect.stringMatching(/physician name/)],
      ['200', expect.stringMatching(/physician phone/)],
    ]);
    expect(chartwell.control.orderByReference(reference)).toBeUndefined();
    // Two physicians are two orders; not an APS, an unknown carrier: refused, each named.
    const two = await post([
      orderRequest(`req_two_${++counter}`, {
        physicians: [
          { firstName: 'A', lastName: 'B', phone: '5550101234' },
          { firstName: 'C', lastName: 'D', phone: '5550105678' },
        ],
      }),
      orderRequest(`req_mib_${++counter}`, { reqCode: '8', carrierCode: 'NOBODY' }),
    ]);
    expect(two.responses.map((r) => resultOf(r).infos.map(([, d]) => d))).toEqual([
      [expect.stringMatching(/one physician per order/)],
      [expect.stringMatching(/CarrierCode is not a carrier/), expect.stringMatching(/ReqCode must be tc="1"/)],
    ]);
    expect(two.raw).not.toMatch(/NOBODY/);
  });

  test('a status poll answers the current stage, sequence and dates; an unknown order is ResultCode 5 / 300', async () => {
    const placed = await order();
    chartwell.control.advance(placed.orderId, 'REQUESTED_FROM_PROVIDER', { providerExpectedOn: '2030-02-03' });
    const { responses } = await post([byOrderNumber('1122', placed.orderId), byOrderNumber('1122', 'CW-000000000')]);
    expect(responses).toHaveLength(2);
    expect(resultOf(responses[0]).code).toBe('1');
    expect(tcOf(responses[0], 'TransType')).toBe('1122');
    expect(orderOf(responses[0])).toMatchObject({
      orderId: placed.orderId,
      stage: 'REQUESTED_FROM_PROVIDER',
      sequence: 2,
      reference: placed.reference,
      expectedOn: '2030-02-03',
      statusDate: new Date().toISOString().slice(0, 10),
    });
    expect(resultOf(responses[1])).toEqual({ code: '5', infos: [['300', expect.any(String)]] });
    expect(chartwell.control.counts.status).toBe(1);
  });

  test('a cancel makes the order CANCELLED with its push; cancelling a final order is ResultCode 5 with the order', async () => {
    const placed = await order();
    const first = await post([byOrderNumber('121', placed.orderId, '12102')]);
    expect(resultOf(first.responses[0]).code).toBe('1');
    expect(orderOf(first.responses[0])).toMatchObject({ stage: 'CANCELLED', sequence: 2 });
    const again = await post([byOrderNumber('121', placed.orderId, '12102')]);
    expect(resultOf(again.responses[0])).toEqual({ code: '5', infos: [['200', expect.stringMatching(/CANCELLED/)]] });
    expect(orderOf(again.responses[0]).stage).toBe('CANCELLED');
    expect(chartwell.control.counts.cancel).toBe(2);
    await chartwell.control.idle();
    expect(pushesFor(placed.orderId).map((p) => [p.stage, p.sequence])).toEqual([['CANCELLED', 2]]);
  });

  test('a body that is not TXLife, or a transaction CHARTWELL does not take, is 400', async () => {
    const notXml = await fetch(`${chartwell.url}/acord`, { method: 'POST', headers: { 'x-api-key': API_KEY }, body: 'hello' });
    expect(notXml.status).toBe(400);
    const other = await post([{ TransRefGUID: 'x', TransType: tc('103') }]);
    expect(other.status).toBe(400);
    expect(resultOf(other.responses[0]).infos[0][0]).toBe('400');
  });
});

describe('stages and pushes', () => {
  test('advance walks every stage; each change is one signed 1122 push; the records go to the carrier at the end', async () => {
    const placed = await order();
    const stages = ['AUTHORIZATION_SENT', 'REQUESTED_FROM_PROVIDER', 'PROVIDER_FEE_PAID', 'RECEIVED_BY_VENDOR', 'SENT_TO_CARRIER'];
    for (const stage of stages) expect(chartwell.control.advance(placed.orderId).stage).toBe(stage);
    expect(() => chartwell.control.advance(placed.orderId)).toThrow(/moves no more/);
    await chartwell.control.idle();
    const pushes = pushesFor(placed.orderId);
    expect(pushes.map((p) => [p.stage, p.sequence])).toEqual(stages.map((stage, i) => [stage, i + 2]));
    expect(pushes.every((p) => p.validSignature && p.transType === '1122' && p.contentType === 'application/xml')).toBe(true);
    expect(pushes[0].raw).toContain(`<ReqStatus tc="${REQ_STATUS.AUTHORIZATION_SENT}">Authorization Sent</ReqStatus>`);
    expect(pushes[0].raw).toContain('<PolNumber>SUM-APP-9</PolNumber>');
    expect(new Set(pushes.map((p) => p.eventId)).size).toBe(5);
    expect(pushes.every((p) => p.reference === placed.reference)).toBe(true);
    expect(receiver.at(HOOK)[0].headers['x-chartwell-signature']).toBe(chartwellSignature(SECRET, pushes[0].timestamp, pushes[0].raw));
    // The provider's expected date from the request on, the fee once paid.
    const today = Date.now();
    expect(pushes[0].expectedOn).toBeUndefined();
    expect(Date.parse(pushes[1].expectedOn!)).toBeGreaterThan(today + 13 * 86_400_000);
    expect(pushes[2].fee).toBe('25.00');
    const results = receiver.at(RESULTS);
    expect(results.map((r) => JSON.parse(r.raw))).toEqual([
      {
        policyReference: 'SUM-APP-9',
        requirementId: 'RQ-SUM-APP-9-2',
        reference: placed.reference,
        code: 'APS',
        vendor: 'CHARTWELL',
        orderId: placed.orderId,
        completedOn: new Date().toISOString().slice(0, 10),
      },
    ]);
    expect(JSON.stringify(receiver.received)).not.toMatch(/Pat|Insured|1975-07-08|Ada|Lovelace|555-010-4477|Riverside/);
  });

  test('auto progress takes an order from ORDERED to SENT_TO_CARRIER on its own', async () => {
    const placed = await order();
    chartwell.control.setAutoProgress(15);
    await eventually(() => chartwell.control.order(placed.orderId)!.stage === 'SENT_TO_CARRIER', 'auto progress to the carrier');
    chartwell.control.setAutoProgress(0);
    await chartwell.control.idle();
    expect(pushesFor(placed.orderId).map((p) => p.sequence)).toEqual([2, 3, 4, 5, 6]);
    expect(receiver.at(RESULTS).filter((r) => JSON.parse(r.raw).orderId === placed.orderId)).toHaveLength(1);
  });

  test('a failing receiver gets the same push again until it answers 2xx; a failing carrier gets the records again', async () => {
    const placed = await order();
    receiver.failNext = 2;
    chartwell.control.advance(placed.orderId);
    await chartwell.control.idle();
    expect(chartwell.control.deliveries().map((d) => [d.sequence, d.attempt, d.status])).toEqual([
      [2, 1, 503],
      [2, 2, 503],
      [2, 3, 200],
    ]);
    chartwell.control.setWebhookFault('drop', { times: 1 });
    receiver.failNext = 1;
    chartwell.control.advance(placed.orderId, 'SENT_TO_CARRIER');
    await chartwell.control.idle();
    expect(chartwell.control.resultsDeliveries().map((d) => [d.attempt, d.status])).toEqual([
      [1, 503],
      [2, 200],
    ]);
    expect(receiver.at(RESULTS)).toHaveLength(1);
  });

  test('webhook faults: duplicate (same event id twice), reorder (after the next), drop (the poll still knows)', async () => {
    const placed = await order();
    chartwell.control.setWebhookFault('duplicate', { times: 1 });
    chartwell.control.advance(placed.orderId);
    chartwell.control.setWebhookFault('reorder', { times: 1 });
    chartwell.control.advance(placed.orderId);
    chartwell.control.advance(placed.orderId);
    chartwell.control.setWebhookFault('drop', { times: 1 });
    chartwell.control.advance(placed.orderId);
    await chartwell.control.idle();
    const pushes = pushesFor(placed.orderId);
    expect(pushes.map((p) => p.sequence)).toEqual([2, 2, 4, 3]);
    expect(pushes[0].eventId).toBe(pushes[1].eventId);
    const { responses } = await post([byOrderNumber('1122', placed.orderId)]);
    expect(orderOf(responses[0])).toMatchObject({ stage: 'RECEIVED_BY_VENDOR', sequence: 5 });
  });
});

describe('API faults and the HTTP control API', () => {
  test('5xx, malformed and hang, then healthy', async () => {
    const placed = await order();
    chartwell.control.setFault('5xx', { times: 1, kinds: ['status'] });
    expect((await post([byOrderNumber('1122', placed.orderId)])).status).toBe(503);
    chartwell.control.setFault('malformed', { times: 1 });
    const malformed = await post([byOrderNumber('1122', placed.orderId)]);
    expect(malformed.status).toBe(200);
    expect(malformed.responses).toEqual([]);
    chartwell.control.setFault('hang', { times: 1 });
    await expect(
      fetch(`${chartwell.url}/acord`, {
        method: 'POST',
        headers: { 'x-api-key': API_KEY },
        body: buildTxLife({ TXLifeRequest: [byOrderNumber('1122', placed.orderId)] }),
        signal: AbortSignal.timeout(150),
      }),
    ).rejects.toThrow();
    expect(resultOf((await post([byOrderNumber('1122', placed.orderId)])).responses[0]).code).toBe('1');
    expect(chartwell.control.counts.status).toBe(4);
  });

  test('over HTTP: advance with details, orders by reference, counts, reset', async () => {
    const placed = await order();
    const control = (method: string, path: string, body?: unknown) =>
      fetch(`${chartwell.url}/_control${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    const advanced = await control('POST', `/orders/${placed.orderId}/advance`, {
      stage: 'REQUESTED_FROM_PROVIDER',
      details: { providerExpectedOn: '2031-01-15' },
    });
    expect(advanced.status).toBe(200);
    expect(await advanced.json()).toMatchObject({ stage: 'REQUESTED_FROM_PROVIDER', details: { providerExpectedOn: '2031-01-15' } });
    expect((await control('POST', `/orders/${placed.orderId}/advance`, { details: { providerFee: 'free' } })).status).toBe(400);
    expect((await control('POST', `/orders/${placed.orderId}/advance`, { stage: 'ORDERED' })).status).toBe(409);
    const found = (await (await control('GET', `/orders?reference=${placed.reference}`)).json()) as { orderId: string }[];
    expect(found.map((o) => o.orderId)).toEqual([placed.orderId]);
    expect(await (await control('GET', '/counts')).json()).toEqual({ order: 1, status: 0, cancel: 0 });
    expect((await control('POST', '/reset', {})).status).toBe(200);
    expect(chartwell.control.counts).toEqual({ order: 0, status: 0, cancel: 0 });
    expect((await fetch(`${chartwell.url}/health`)).status).toBe(200);
  });
});

describe('startSimulators', () => {
  test('starts CHARTWELL with its env; the development key works', async () => {
    const sims = await startSimulators({ carriers: [CARRIERS[0]] });
    try {
      expect(sims.env.VENDOR_CHARTWELL_API_KEY).toBe(DEV_VENDOR_CHARTWELL_API_KEY);
      expect(sims.env.VENDOR_CHARTWELL_WEBHOOK_SECRET).toBeTruthy();
      const response = await fetch(`${sims.env.VENDOR_CHARTWELL_URL}/acord`, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', 'x-api-key': sims.env.VENDOR_CHARTWELL_API_KEY },
        body: buildTxLife({ TXLifeRequest: [orderRequest('req_wired', { carrierCode: CARRIERS[0].code })] }),
      });
      const answer = children(parseTxLife(await response.text()), 'TXLifeResponse')[0];
      expect(resultOf(answer).code).toBe('1');
      expect(sims.vendors.chartwell.orderByReference('req_wired')?.orderId).toBe(orderOf(answer).orderId);
      expect(sims.vendors.chartwell.knowsCarrier(CARRIERS[0].code)).toBe(true);
      expect(sims.vendors.chartwell.knowsCarrier('NOBODY')).toBe(false);
    } finally {
      await sims.stop();
    }
  });
});
