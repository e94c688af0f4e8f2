/**
 * The simulated carriers as an HTTP client without an adapter sees them: one server per carrier,
 * the HTTP control API, and protocol details (OAuth 401s, Idempotency-Key replay, ETag 304, ACORD
 * batching and failures) checked on the raw wire.
 */
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { RATE_TABLE_CSV_HEADER, rateTableCsv } from '../../subgraphs/carriers/fixtures/rate-table';
import { startSimulators, type RunningSimulators } from '../simulators';
import { rateBookTermsLines } from '../ratebook/ratebook.simulator';

let simulators: RunningSimulators;

beforeAll(async () => {
  simulators = await startSimulators();
});
afterAll(() => simulators.stop());
beforeEach(() => simulators.control.reset());

const url = (code: string, path: string) => `${simulators.endpoints[code]}${path}`;
const sendJson = (method: string, target: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(target, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function restToken(code: string): Promise<string> {
  const response = await fetch(url(code, '/oauth/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: `bga-dev-${code.toLowerCase()}`,
      client_secret: `bga-dev-secret-${code.toLowerCase()}`,
    }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

describe('startSimulators', () => {
  it('runs every fixture carrier as its own server and describes them as configuration', async () => {
    expect(Object.keys(simulators.endpoints)).toEqual(CARRIERS.map((c) => c.code));
    expect(new Set(Object.values(simulators.endpoints)).size).toBe(CARRIERS.length);
    for (const carrier of CARRIERS) {
      expect(simulators.env[`CARRIER_${carrier.code}_URL`]).toBe(simulators.endpoints[carrier.code]);
      expect(simulators.env[`CARRIER_${carrier.code}_CLIENT_SECRET`] !== undefined).toBe(carrier.protocol === 'REST');
      const health = await fetch(url(carrier.code, '/health'));
      expect(await health.json()).toEqual({ status: 'ok', carrier: carrier.code, protocol: carrier.protocol });
    }
    // Health checks are not carrier calls.
    expect(simulators.control.totalCounts()).toEqual({
      quote: 0,
      token: 0,
      rateBook: 0,
      submit: 0,
      status: 0,
      products: 0,
      change: 0,
      appointment: 0,
      appointmentStatus: 0,
      rateBookNotModified: 0,
    });
  });

  it('applies the launch latency to protocol calls', async () => {
    const slow = await startSimulators({ latencyMs: 120, carriers: CARRIERS.filter((c) => c.code === 'BIRCH') });
    try {
      const started = performance.now();
      expect((await fetch(`${slow.endpoints.BIRCH}/products`)).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    } finally {
      await slow.stop();
    }
  });
});

describe('control over HTTP', () => {
  it('sets latency and faults for the next N calls, counts by kind, and resets', async () => {
    const products = () => fetch(url('TIDEWATER', '/products'));
    expect((await sendJson('PUT', url('TIDEWATER', '/_control/latency'), { fixedMs: 100, jitterMs: 10 })).status).toBe(200);
    let started = performance.now();
    await products();
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);

    expect((await sendJson('PUT', url('TIDEWATER', '/_control/fault'), { fault: '5xx', times: 2 })).status).toBe(200);
    expect([(await products()).status, (await products()).status, (await products()).status]).toEqual([500, 500, 200]);
    expect(await (await fetch(url('TIDEWATER', '/_control/counts'))).json()).toMatchObject({ products: 4, quote: 0 });

    await sendJson('POST', url('TIDEWATER', '/_control/reset'));
    started = performance.now();
    await products();
    expect(performance.now() - started).toBeLessThan(90);
    expect(simulators.control.counts('TIDEWATER')).toMatchObject({ products: 1 });
  });

  it('answers 429 with Retry-After, and explains bad control input', async () => {
    await sendJson('PUT', url('PRAIRIE', '/_control/fault'), { fault: '429', times: 1, retryAfterSeconds: 7 });
    const limited = await fetch(url('PRAIRIE', '/products'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    const bad = await sendJson('PUT', url('PRAIRIE', '/_control/fault'), { fault: 'gremlins' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('unknown fault gremlins');
    expect((await sendJson('POST', url('PRAIRIE', '/_control/applications/PRAIRIE-APP-424242/advance'), { status: 'ISSUED' })).status).toBe(
      404,
    );
    expect((await fetch(url('PRAIRIE', '/_control/nothing'))).status).toBe(404);
  });

  it('advances an application and publishes a new rate book', async () => {
    const submitted = await sendJson('POST', url('PRAIRIE', '/submissions'), {
      submissionRef: 'http-control-1',
      productCode: 'PSM-TERM',
      signedOn: '2025-11-24',
      insured: { firstName: 'Ima', lastName: 'Fixture', birthDate: '1985-05-05', gender: 'FEMALE', state: 'KS', tobacco: false },
      faceAmount: 250_000,
      termYears: 20,
      healthClass: 'STANDARD',
      tableRating: 0,
      paymentMode: 'M',
      annualPremiumCents: 1,
    });
    const { submissionId } = (await submitted.json()) as { submissionId: string };
    const advanced = await sendJson('POST', url('PRAIRIE', `/_control/applications/${submissionId}/advance`), { status: 'DECLINED' });
    expect(await advanced.json()).toMatchObject({ carrierReference: submissionId, status: 'DECLINED' });
    const listed = (await (await fetch(url('PRAIRIE', '/_control/applications'))).json()) as { reference: string; insured?: unknown }[];
    expect(listed.map((a) => a.reference)).toContain('http-control-1');
    // The carrier keeps no personal data.
    expect(JSON.stringify(listed)).not.toContain('Fixture');

    const before = (await fetch(url('PRAIRIE', '/ratebook'))).headers.get('etag');
    const { etag } = (await (await sendJson('POST', url('PRAIRIE', '/_control/ratebook/publish'))).json()) as { etag: string };
    expect(etag).not.toBe(before);
    expect((await fetch(url('PRAIRIE', '/ratebook'), { headers: { 'if-none-match': before! } })).status).toBe(200);
  });
});

describe('ACORD carriers', () => {
  it('refuses a body that is not TXLife with ResultCode 5, without counting it as a call', async () => {
    const response = await fetch(url('IRONWOOD', '/txlife'), { method: 'POST', body: '{"not": "xml"}' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('<ResultCode tc="5">Failure</ResultCode>');
    expect(simulators.control.counts('IRONWOOD')).toMatchObject({ quote: 0, submit: 0, status: 0 });
  });

  it('answers every TXLifeRequest of a batch with its own TXLifeResponse and TransRefGUID', async () => {
    const inquiry = (guid: string, trackingId: string) =>
      `<TXLifeRequest><TransRefGUID>${guid}</TransRefGUID><TransType tc="203"/><OLifE><Holding><Policy><ApplicationInfo><TrackingID>${trackingId}</TrackingID></ApplicationInfo></Policy></Holding></OLifE></TXLifeRequest>`;
    const response = await fetch(url('IRONWOOD', '/txlife'), {
      method: 'POST',
      body: `<TXLife>${inquiry('g-1', 'NOPE-1')}${inquiry('g-2', 'NOPE-2')}</TXLife>`,
    });
    const xml = await response.text();
    expect(xml.match(/<TXLifeResponse>/g)).toHaveLength(2);
    expect(xml).toMatch(/<TransRefGUID>g-1<\/TransRefGUID>.*<ResultCode tc="5">.*no holding NOPE-1.*<TransRefGUID>g-2<\/TransRefGUID>/);
    expect(simulators.control.counts('IRONWOOD').status).toBe(1);
  });
});

describe('REST carriers', () => {
  it('issues expiring bearer tokens and refuses API calls without a valid one', async () => {
    expect((await sendJson('POST', url('CEDAR', '/v1/quotes'), {})).status).toBe(401);
    expect((await sendJson('POST', url('CEDAR', '/v1/quotes'), {}, { authorization: 'Bearer forged' })).status).toBe(401);
    const wrong = await fetch(url('CEDAR', '/oauth/token'), {
      method: 'POST',
      body: 'grant_type=client_credentials&client_id=bga-dev-cedar&client_secret=nope',
    });
    expect(wrong.status).toBe(401);
    const token = await restToken('CEDAR');
    expect((await fetch(url('CEDAR', '/v1/products'), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    simulators.control.revokeTokens('CEDAR');
    const revoked = await fetch(url('CEDAR', '/v1/products'), { headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('replays the first response for a resent Idempotency-Key and requires the key', async () => {
    const token = await restToken('NORTHWIND');
    const body = {
      productCode: 'NWL-TERM',
      applicationDate: '2025-11-24',
      externalCaseId: 'case_x',
      insured: { firstName: 'Bo', lastName: 'Testcase', birthDate: '1988-08-08', sex: 'M', state: 'OR', tobacco: false },
      coverage: { faceAmount: 600_000, termYears: 30, riskClass: 'standard_plus', tableRating: 0 },
      billing: { mode: 'monthly', annualPremium: '999.99' },
    };
    const auth = { authorization: `Bearer ${token}` };
    expect((await sendJson('POST', url('NORTHWIND', '/v1/applications'), body, auth)).status).toBe(400);
    const first = await sendJson('POST', url('NORTHWIND', '/v1/applications'), body, { ...auth, 'idempotency-key': 'idem-1' });
    const again = await sendJson('POST', url('NORTHWIND', '/v1/applications'), body, { ...auth, 'idempotency-key': 'idem-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
  });
});

describe('rate-book carriers', () => {
  it('publish every priced product in one CSV with their rider rates and an ETag, and answer 304 to If-None-Match', async () => {
    const carrier = CARRIERS.find((c) => c.code === 'TIDEWATER')!;
    const response = await fetch(url('TIDEWATER', '/ratebook'));
    const etag = response.headers.get('etag')!;
    const csv = await response.text();
    const expected = carrier.products.flatMap((p) => rateTableCsv(carrier, p).trim().split('\n').slice(1));
    expect(csv.trim().split('\n')).toEqual([...rateBookTermsLines(carrier), RATE_TABLE_CSV_HEADER, ...expected]);
    expect(rateBookTermsLines(carrier)).toEqual([
      '# policy_fee_cents=5000',
      '# modal_factor.SEMI_ANNUAL=0.53',
      '# modal_factor.QUARTERLY=0.27',
      '# modal_factor.MONTHLY=0.095',
      '# class_name.PREFERRED_PLUS=Select Preferred',
      '# class_name.PREFERRED=Preferred',
      '# class_name.STANDARD_PLUS=Select',
      '# class_name.STANDARD=Standard',
      '# rider_rate.WAIVER_OF_PREMIUM=18:60,30:72,40:92,50:118',
      '# rider_rate.ACCIDENTAL_DEATH=115',
      '# rider_rate.CHILD_TERM=590',
      '# rider_rate.RETURN_OF_PREMIUM=18:20:215,18:30:185,40:20:245,40:30:215',
      '# rider.THL-WL=WAIVER_OF_PREMIUM:18-55,ACCIDENTAL_DEATH:18-65,CHILD_TERM:18-55',
    ]);
    expect(csv).toContain('\nTHL-WL,0,TEN_PAY,35,MALE,N,PREFERRED,');
    expect(etag).toMatch(/^"tidewater-[0-9a-f]{8}-r1"$/);

    const again = await fetch(url('TIDEWATER', '/ratebook'), { headers: { 'if-none-match': `W/${etag}` } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(simulators.control.counts('TIDEWATER')).toMatchObject({ rateBook: 2, rateBookNotModified: 1 });
  });
});

describe('hanging carriers', () => {
  it('keep other carriers and other requests answering, and do not hold up stop()', async () => {
    const own = await startSimulators({ carriers: CARRIERS.filter((c) => c.code === 'SUMMIT' || c.code === 'HARBOR') });
    own.control.setFault('SUMMIT', 'hang');
    const hung = fetch(`${own.endpoints.SUMMIT}/txlife/products`).then(
      () => 'answered',
      () => 'cut off',
    );
    expect((await fetch(`${own.endpoints.HARBOR}/txlife/products`)).status).toBe(200);
    expect((await fetch(`${own.endpoints.SUMMIT}/health`)).status).toBe(200);
    const started = performance.now();
    await own.stop();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await hung).toBe('cut off');
  });
});
