/** The cases subgraph's e-signature settings: development defaults the simulator shares, refused in production. */
import {
  DEV_ESIGN_API_KEY,
  DEV_ESIGN_WEBHOOK_SECRET,
  DEV_VENDOR_CHARTWELL_API_KEY,
  DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET,
  DEV_VENDOR_PULSE_API_KEY,
  DEV_VENDOR_PULSE_WEBHOOK_SECRET,
} from '../../../platform/config';
import { readCasesConfig } from '../cases.config';

test('defaults are the development pair the simulator uses, a 300 s tolerance and the webhook on the cases port', () => {
  expect(readCasesConfig({}).esign).toEqual({
    url: 'http://127.0.0.1:4090',
    apiKey: DEV_ESIGN_API_KEY,
    webhookSecret: DEV_ESIGN_WEBHOOK_SECRET,
    callbackUrl: 'http://127.0.0.1:4002/webhooks/esign',
    webhookToleranceSeconds: 300,
  });
});

test('in production the development key and secret are refused, each by name; real ones are taken', () => {
  // The documents' link secret is real in each: only the e-signature settings are under test here.
  const production = {
    NODE_ENV: 'production',
    DOCUMENT_URL_SECRET: 'real-document-secret',
    VENDOR_PULSE_API_KEY: 'real-pulse-key',
    VENDOR_PULSE_WEBHOOK_SECRET: 'real-pulse-secret',
    VENDOR_CHARTWELL_API_KEY: 'real-chartwell-key',
    VENDOR_CHARTWELL_WEBHOOK_SECRET: 'real-chartwell-secret',
  };
  expect(() => readCasesConfig({ ...production, ESIGN_WEBHOOK_SECRET: 'real-secret' })).toThrow(/ESIGN_API_KEY/);
  expect(() => readCasesConfig({ ...production, ESIGN_API_KEY: 'real-key' })).toThrow(/ESIGN_WEBHOOK_SECRET/);
  const esign = readCasesConfig({
    ...production,
    ESIGN_URL: 'https://esign.example.test',
    ESIGN_API_KEY: 'real-key',
    ESIGN_WEBHOOK_SECRET: 'real-secret',
    ESIGN_WEBHOOK_TOLERANCE_S: '120',
  }).esign;
  expect(esign).toMatchObject({
    url: 'https://esign.example.test',
    apiKey: 'real-key',
    webhookSecret: 'real-secret',
    webhookToleranceSeconds: 120,
  });
});

test('a tolerance that is not a positive whole number of seconds is refused', () => {
  expect(() => readCasesConfig({ ESIGN_WEBHOOK_TOLERANCE_S: '0' })).toThrow(/ESIGN_WEBHOOK_TOLERANCE_S/);
  expect(() => readCasesConfig({ ESIGN_WEBHOOK_TOLERANCE_S: 'soon' })).toThrow(/ESIGN_WEBHOOK_TOLERANCE_S/);
  expect(() => readCasesConfig({ ESIGN_URL: 'not a url' })).toThrow(/ESIGN_URL/);
});

test('the vendors: development keys and secrets by default, each refused by name in production', () => {
  const vendors = readCasesConfig({}).vendors;
  expect(vendors).toEqual({
    pulse: { url: 'http://127.0.0.1:4091', apiKey: DEV_VENDOR_PULSE_API_KEY, webhookSecret: DEV_VENDOR_PULSE_WEBHOOK_SECRET },
    chartwell: { url: 'http://127.0.0.1:4092', apiKey: DEV_VENDOR_CHARTWELL_API_KEY, webhookSecret: DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET },
    webhookToleranceSeconds: 300,
    callbackBaseUrl: 'http://127.0.0.1:4002',
    pollIntervalMs: 60_000,
    pollStaleSeconds: 21_600,
  });
  const production = { NODE_ENV: 'production', DOCUMENT_URL_SECRET: 'd', ESIGN_API_KEY: 'k', ESIGN_WEBHOOK_SECRET: 's' };
  const real = {
    VENDOR_PULSE_API_KEY: 'pk',
    VENDOR_PULSE_WEBHOOK_SECRET: 'ps',
    VENDOR_CHARTWELL_API_KEY: 'ck',
    VENDOR_CHARTWELL_WEBHOOK_SECRET: 'cs',
  };
  for (const name of Object.keys(real)) {
    const { [name as keyof typeof real]: _left, ...others } = real;
    expect(() => readCasesConfig({ ...production, ...others })).toThrow(new RegExp(name));
  }
  expect(readCasesConfig({ ...production, ...real, VENDOR_CALLBACK_BASE_URL: 'https://cases.example.test/' }).vendors).toMatchObject({
    pulse: { apiKey: 'pk', webhookSecret: 'ps' },
    chartwell: { apiKey: 'ck', webhookSecret: 'cs' },
    callbackBaseUrl: 'https://cases.example.test',
  });
  expect(() => readCasesConfig({ VENDOR_WEBHOOK_TOLERANCE_SECONDS: '0' })).toThrow(/VENDOR_WEBHOOK_TOLERANCE_SECONDS/);
});

test('the vendor poll: every minute for orders with no news for 6 h by default; 0 turns it off; a bad value is refused by name', () => {
  expect(readCasesConfig({ VENDOR_POLL_INTERVAL_MS: '0', VENDOR_POLL_STALE_SECONDS: '3' }).vendors).toMatchObject({
    pollIntervalMs: 0,
    pollStaleSeconds: 3,
  });
  expect(() => readCasesConfig({ VENDOR_POLL_INTERVAL_MS: '-1' })).toThrow(/VENDOR_POLL_INTERVAL_MS/);
  expect(() => readCasesConfig({ VENDOR_POLL_INTERVAL_MS: 'often' })).toThrow(/VENDOR_POLL_INTERVAL_MS/);
  expect(() => readCasesConfig({ VENDOR_POLL_STALE_SECONDS: '0' })).toThrow(/VENDOR_POLL_STALE_SECONDS/);
});
