/** Where webhooks may go (SSRF care) and how long they wait between attempts. */
import { backoffMs, readWebhookConfig } from '../webhook.config';
import { checkSubscriberUrl, isInternalAddress, publicOnlyLookup } from '../webhook-url';

const refuse = { refuseInternal: true };
const allow = { refuseInternal: false };
const code = (fn: () => unknown) => {
  try {
    fn();
    return 'OK';
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
};

describe('isInternalAddress', () => {
  it.each([
    '127.0.0.1',
    '127.9.9.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('%s is internal', (address) => expect(isInternalAddress(address)).toBe(true));

  it.each(['8.8.8.8', '172.32.0.1', '93.184.216.34', '2606:4700::1111', '::ffff:8.8.8.8', 'example.com'])('%s is not', (address) =>
    expect(isInternalAddress(address)).toBe(false),
  );
});

describe('checkSubscriberUrl', () => {
  it('takes http and https only, without credentials', () => {
    expect(checkSubscriberUrl('https://partner.example.com/hooks#x', refuse)).toBe('https://partner.example.com/hooks');
    expect(code(() => checkSubscriberUrl('ftp://partner.example.com/', allow))).toBe('BAD_USER_INPUT');
    expect(code(() => checkSubscriberUrl('javascript:alert(1)', allow))).toBe('BAD_USER_INPUT');
    expect(code(() => checkSubscriberUrl('https://a:b@partner.example.com/', allow))).toBe('BAD_USER_INPUT');
    expect(code(() => checkSubscriberUrl('nonsense', allow))).toBe('BAD_USER_INPUT');
  });

  it('refuses loopback and private addresses when told to (production), allows them otherwise', () => {
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://localhost/',
      'http://api.localhost/',
      'http://[::1]/',
      'http://169.254.169.254/latest/',
      'http://10.0.0.5/',
    ])
      expect([url, code(() => checkSubscriberUrl(url, refuse))]).toEqual([url, 'BAD_USER_INPUT']);
    expect(checkSubscriberUrl('http://127.0.0.1:8080/hooks', allow)).toBe('http://127.0.0.1:8080/hooks');
  });

  it('refuses, at the socket, a name that resolves inward', async () => {
    const resolved = await new Promise<{ error: NodeJS.ErrnoException | null }>((resolve) =>
      publicOnlyLookup('localhost', {}, (error) => resolve({ error })),
    );
    expect(resolved.error?.code).toBe('EADDRNOTALLOWED');
  });
});

describe('webhook configuration and backoff', () => {
  it('reads its defaults and names a bad variable', () => {
    expect(readWebhookConfig({})).toEqual({
      pollMs: 1_000,
      timeoutMs: 10_000,
      maxAttempts: 30,
      deadLetterAfterSeconds: 86_400,
      backoffBaseMs: 1_000,
      backoffMaxMs: 900_000,
      allowPrivateUrls: false,
      production: false,
    });
    expect(() => readWebhookConfig({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow(/WEBHOOK_MAX_ATTEMPTS/);
    expect(() => readWebhookConfig({ WEBHOOK_BACKOFF_BASE_MS: '5000', WEBHOOK_BACKOFF_MAX_MS: '1000' })).toThrow(/WEBHOOK_BACKOFF_MAX_MS/);
  });

  it('doubles from the base up to the cap, jittered between half and all of it', () => {
    const config = { backoffBaseMs: 1_000, backoffMaxMs: 900_000 };
    expect([1, 2, 3, 4, 11, 12, 40].map((n) => backoffMs(config, n, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 900_000, 900_000, 900_000,
    ]);
    expect([1, 2, 3].map((n) => backoffMs(config, n, () => 0))).toEqual([500, 1_000, 2_000]);
    // Enough attempts at the defaults to ride out a receiver down for an hour, and more.
    let waited = 0;
    for (let n = 1; n < 30; n++) waited += backoffMs(config, n, () => 0);
    expect(waited).toBeGreaterThan(3_600_000);
  });
});
