/**
 * The carrier push route's pieces on their own: the setting (production refuses the development
 * secret), the signature check (secret, timestamp window), and reading the carrier's reference off
 * an ACORD notification or a JSON event. The route itself runs against a real stack in
 * test/integration/carrier-status.test.ts.
 */
import { createHmac } from 'node:crypto';
import { DEV_CARRIER_PUSH_SECRET } from '../../../platform/config';
import { pushedReference, readCarrierPushConfig, verifyCarrierPush } from '../carrier-push.route';

const NOW = Date.UTC(2026, 1, 1, 12);
const body = Buffer.from('{"application":{"applicationId":"GRANITE-APP-000007"}}');
const sign = (timestamp: string, secret = 'push-secret') => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
const t = String(NOW / 1000);

describe('carrier push settings', () => {
  it('defaults to the development secret, which production refuses', () => {
    expect(readCarrierPushConfig({})).toEqual({ secret: DEV_CARRIER_PUSH_SECRET, toleranceSeconds: 300 });
    expect(() => readCarrierPushConfig({ NODE_ENV: 'production' })).toThrow(/CARRIER_PUSH_SECRET/);
    expect(readCarrierPushConfig({ NODE_ENV: 'production', CARRIER_PUSH_SECRET: 'real' }).secret).toBe('real');
  });
});

describe('carrier push signature', () => {
  const check = (timestamp: string | undefined, signature: string | undefined) => () =>
    verifyCarrierPush(body, timestamp, signature, 'push-secret', 300, NOW);

  it('accepts our secret within the window, either way', () => {
    expect(check(t, sign(t))).not.toThrow();
    const late = String(NOW / 1000 - 299);
    expect(check(late, sign(late))).not.toThrow();
  });

  it('refuses another secret, a stale or future timestamp, and a missing or malformed header', () => {
    expect(check(t, sign(t, 'other'))).toThrow('wrong webhook signature');
    const stale = String(NOW / 1000 - 301);
    expect(check(stale, sign(stale))).toThrow('outside the tolerance');
    const ahead = String(NOW / 1000 + 301);
    expect(check(ahead, sign(ahead))).toThrow('outside the tolerance');
    expect(check(undefined, sign(t))).toThrow('missing');
    expect(check('soon', sign(t))).toThrow('malformed');
    expect(check(t, 'xyz')).toThrow('wrong webhook signature');
  });
});

describe("the carrier's reference in a push", () => {
  it('reads an ACORD status notification, a REST event and a rate-book event', () => {
    const acord =
      '<?xml version="1.0"?><TXLife><TXLifeRequest><TransRefGUID>e1</TransRefGUID><TransType tc="1125">Status Notification</TransType>' +
      '<OLifE><Holding id="Holding_1"><Policy><PolicyStatus tc="26"/><ApplicationInfo><TrackingID>SUMMIT-APP-000012</TrackingID></ApplicationInfo></Policy></Holding></OLifE></TXLifeRequest></TXLife>';
    expect(pushedReference(Buffer.from(acord), 'application/xml')).toBe('SUMMIT-APP-000012');
    expect(pushedReference(body, 'application/json')).toBe('GRANITE-APP-000007');
    expect(pushedReference(Buffer.from('{"submission":{"submissionId":"LANTERN-APP-000003"}}'), 'application/json')).toBe(
      'LANTERN-APP-000003',
    );
  });

  it('refuses a push that names no readable reference', () => {
    expect(() => pushedReference(Buffer.from('{"application":{}}'), 'application/json')).toThrow('no application reference');
    expect(() => pushedReference(Buffer.from('not json'), 'application/json')).toThrow('neither XML nor JSON');
    expect(() => pushedReference(Buffer.from('{"application":{"applicationId":"a b"}}'), 'application/json')).toThrow(
      'no application reference',
    );
  });
});
