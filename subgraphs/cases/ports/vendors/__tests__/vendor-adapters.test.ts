/**
 * The two vendor adapters' wire mapping, without a network: an order as PULSE's JSON and as
 * CHARTWELL's ACORD 121 (checked by each simulator's own intake rules, so the two sides cannot
 * drift apart), answers and pushes read back into our stages and details, and webhook signatures
 * verified: right, wrong, missing, old, future, and a body that is not an event.
 */
import { XMLParser } from 'fast-xml-parser';
import { signWebhook, WebhookRefusal } from '../../../../../platform/webhook-signature';
import { chartwellOrderProblems, chartwellPushXml } from '../../../../../simulators/aps/chartwell.simulator';
import { pulseOrderProblems, pulseSignatureHeader } from '../../../../../simulators/exam/pulse.simulator';
import type { VendorOrderRequest } from '../../requirement-vendor.port';
import { VendorError } from '../../requirement-vendor.port';
import {
  CHARTWELL_STAGE_CODES,
  ChartwellAdapter,
  chartwellEventOf,
  chartwellOrderRequestXml,
  chartwellOrderXml,
  chartwellStatusOf,
} from '../chartwell.adapter';
import { PulseAdapter, pulseEventOf, pulseOrderBody, pulseStatusOf } from '../pulse.adapter';

const ORDER: VendorOrderRequest = {
  reference: 'req_01TESTEXAM',
  code: 'PARAMED_EXAM',
  applicant: {
    firstName: 'Dana',
    lastName: 'Insured',
    birthDate: '1980-05-06',
    gender: 'FEMALE',
    phone: '512-555-0147',
    email: 'dana@example.test',
    address: { line1: '1 Elm St', city: 'Austin', state: 'TX', postalCode: '78701' },
  },
  carrier: { code: 'SUMMIT', policyReference: 'SUM-000123', requirementId: 'RQ-SUM-000123-1', kit: 'KIT-PARAMED_EXAM' },
  callbackUrl: 'http://127.0.0.1:4002/webhooks/vendors/pulse',
};
const APS: VendorOrderRequest = {
  ...ORDER,
  reference: 'req_01TESTAPS',
  code: 'APS',
  carrier: { ...ORDER.carrier, requirementId: null },
  physician: {
    name: 'Alex J Morgan',
    phone: '(512) 555-0101',
    practice: 'Austin Family Medicine',
    address: { line1: '200 Congress Ave', city: 'Austin', state: 'TX', postalCode: '78701' },
    treatedFrom: '2019-01-01',
    treatedTo: '2024-06-30',
  },
  callbackUrl: 'http://127.0.0.1:4002/webhooks/vendors/chartwell',
};
const SETTINGS = { baseUrl: 'http://127.0.0.1:9', apiKey: 'k', webhookSecret: 'secret', webhookToleranceSeconds: 300 };
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

describe('PULSE', () => {
  test('an order is the JSON PULSE takes, one service per requirement', () => {
    const body = pulseOrderBody(ORDER);
    expect(body).toEqual({
      reference: 'req_01TESTEXAM',
      services: ['PARAMED'],
      applicant: {
        firstName: 'Dana',
        lastName: 'Insured',
        birthDate: '1980-05-06',
        gender: 'FEMALE',
        phone: '512-555-0147',
        email: 'dana@example.test',
        address: { line1: '1 Elm St', city: 'Austin', state: 'TX', postalCode: '78701' },
      },
      carrier: { code: 'SUMMIT', policyReference: 'SUM-000123', requirementId: 'RQ-SUM-000123-1', kit: 'KIT-PARAMED_EXAM' },
      callbackUrl: 'http://127.0.0.1:4002/webhooks/vendors/pulse',
    });
    expect(pulseOrderProblems(body)).toEqual([]);
    expect(pulseOrderBody({ ...ORDER, code: 'EKG' }).services).toEqual(['EKG']);
    expect(pulseOrderBody({ ...ORDER, code: 'BLOOD_URINE' }).services).toEqual(['BLOOD_URINE']);
    expect(() => pulseOrderBody({ ...ORDER, code: 'APS' })).toThrow(VendorError);
    // Without contact data PULSE's intake names what is missing.
    const bare = pulseOrderBody({ ...ORDER, applicant: { ...ORDER.applicant, phone: null, address: null, email: null } });
    expect(pulseOrderProblems(bare).map((p) => p.field)).toEqual(['applicant.phone', 'applicant.address']);
  });

  test('answers and webhooks read back as our stage, sequence and details; anything else is refused', () => {
    expect(
      pulseStatusOf({
        orderId: 'PX-ABCDEFGH',
        reference: 'req_01TESTEXAM',
        status: 'SCHEDULED',
        sequence: 2,
        updatedAt: '2030-01-10T10:00:00Z',
        appointment: { at: '2030-01-15T14:30:00Z', place: 'Pulse Center' },
      }),
    ).toEqual({
      orderId: 'PX-ABCDEFGH',
      reference: 'req_01TESTEXAM',
      stage: 'SCHEDULED',
      sequence: 2,
      at: '2030-01-10T10:00:00.000Z',
      details: { appointmentAt: '2030-01-15T14:30:00.000Z', appointmentPlace: 'Pulse Center' },
    });
    expect(() => pulseStatusOf({ orderId: 'PX-1', status: 'LOST', sequence: 1, updatedAt: '2030-01-10T10:00:00Z' })).toThrow(
      /unknown order status/,
    );
    expect(() => pulseStatusOf({ orderId: 'PX-1', status: 'ORDERED', updatedAt: '2030-01-10T10:00:00Z' })).toThrow(/sequence/);
    const event = pulseEventOf(
      Buffer.from(
        JSON.stringify({
          eventId: 'evt_1',
          type: 'order.status_changed',
          orderId: 'PX-1',
          reference: 'req_1',
          status: 'NO_SHOW',
          sequence: 3,
          occurredAt: '2030-01-15T15:00:00Z',
          appointment: null,
        }),
      ),
    );
    expect(event).toEqual({
      eventId: 'evt_1',
      orderId: 'PX-1',
      reference: 'req_1',
      stage: 'NO_SHOW',
      sequence: 3,
      occurredAt: '2030-01-15T15:00:00.000Z',
      details: {},
    });
    expect(() => pulseEventOf(Buffer.from('{"eventId":'))).toThrow(WebhookRefusal);
    expect(() => pulseEventOf(Buffer.from('{"orderId":"PX-1","status":"ORDERED","sequence":1}'))).toThrow(WebhookRefusal);
  });

  test('a webhook is believed only when signed with our secret within the tolerance, either way', () => {
    const adapter = new PulseAdapter(SETTINGS);
    const body = JSON.stringify({
      eventId: 'evt_2',
      type: 'order.status_changed',
      orderId: 'PX-2',
      reference: 'req_2',
      status: 'COMPLETED',
      sequence: 4,
      occurredAt: '2030-01-15T15:00:00Z',
      appointment: null,
    });
    const now = 1_900_000_000_000;
    const t = now / 1000;
    const deliver = (header: string | undefined, at = now) =>
      adapter.parseWebhook({ rawBody: Buffer.from(body), headers: header === undefined ? {} : { 'pulse-signature': header } }, at);
    expect(deliver(pulseSignatureHeader('secret', t, body)).stage).toBe('COMPLETED');
    const status = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as WebhookRefusal).status;
      }
      return 200;
    };
    expect(status(() => deliver(pulseSignatureHeader('other', t, body)))).toBe(401);
    expect(status(() => deliver(undefined))).toBe(401);
    expect(status(() => deliver(`t=${t},v1=${'0'.repeat(64)}`))).toBe(401);
    expect(status(() => deliver(pulseSignatureHeader('secret', t - 301, body)))).toBe(401);
    expect(status(() => deliver(pulseSignatureHeader('secret', t + 301, body)))).toBe(401);
    expect(status(() => deliver(pulseSignatureHeader('secret', t - 299, body)))).toBe(200);
    // A body changed after signing.
    expect(
      status(() =>
        adapter.parseWebhook(
          {
            rawBody: Buffer.from(body.replace('COMPLETED', 'CANCELLED')),
            headers: { 'pulse-signature': pulseSignatureHeader('secret', t, body) },
          },
          now,
        ),
      ),
    ).toBe(401);
  });
});

describe('CHARTWELL', () => {
  test('an APS order is an ACORD 121 that CHARTWELL takes: our id as TransRefGUID, the insured and the physician related by role', () => {
    const text = chartwellOrderXml(APS);
    const request = xml.parse(text).TXLife.TXLifeRequest;
    expect(request.TransRefGUID).toBe('req_01TESTAPS');
    expect(request.TransType['@_tc']).toBe('121');
    expect(request.OLifEExtension.CallbackURL).toBe('http://127.0.0.1:4002/webhooks/vendors/chartwell');
    const policy = request.OLifE.Holding.Policy;
    expect(policy).toMatchObject({ PolNumber: 'SUM-000123', CarrierCode: 'SUMMIT' });
    expect(policy.RequirementInfo.ReqCode['@_tc']).toBe('1');
    expect(policy.RequirementInfo.RequirementInfoUniqueID).toBeUndefined();
    expect(policy.RequirementInfo.OLifEExtension).toEqual({ TreatmentStartDate: '2019-01-01', TreatmentEndDate: '2024-06-30' });
    const [insured, physician] = request.OLifE.Party;
    expect(insured.Person).toMatchObject({ FirstName: 'Dana', LastName: 'Insured', BirthDate: '1980-05-06', Gender: { '@_tc': '2' } });
    expect(physician.Person).toEqual({ FirstName: 'Alex J', LastName: 'Morgan' });
    expect(physician.Organization.DBA).toBe('Austin Family Medicine');
    expect(physician.Phone.DialNumber).toBe('(512) 555-0101');
    expect(request.OLifE.Relation.map((r: Record<string, { '@_tc': string }>) => r.RelationRoleCode['@_tc'])).toEqual(['32', '49']);
    // The simulator's intake, on the parsed request exactly as it reads one.
    const simParser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      isArray: (name) => ['TXLifeRequest', 'Party', 'Relation', 'RequirementInfo', 'Holding'].includes(name),
    });
    expect(chartwellOrderProblems(simParser.parse(text).TXLife.TXLifeRequest[0])).toEqual([]);
    const withCarrierId = xml.parse(chartwellOrderXml({ ...APS, carrier: { ...APS.carrier, requirementId: 'RQ-9' } })).TXLife.TXLifeRequest;
    expect(withCarrierId.OLifE.Holding.Policy.RequirementInfo.RequirementInfoUniqueID).toBe('RQ-9');
    expect(() => chartwellOrderXml({ ...APS, code: 'EKG' })).toThrow(VendorError);
  });

  test('status and cancel requests name the vendor order', () => {
    const status = xml.parse(chartwellOrderRequestXml('STATUS', 'CW-000000123', 'g1')).TXLife.TXLifeRequest;
    expect(status.TransType['@_tc']).toBe('1122');
    expect(status.OLifE.RequirementInfo.ProviderOrderNumber).toBe('CW-000000123');
    const cancel = xml.parse(chartwellOrderRequestXml('CANCEL', 'CW-000000123', 'g2')).TXLife.TXLifeRequest;
    expect(cancel.TransType['@_tc']).toBe('121');
    expect(cancel.TransSubType['@_tc']).toBe('12102');
  });

  test('a pushed 1122 (as the simulator writes it) reads back as our event; every private stage code maps', () => {
    const push = chartwellPushXml({
      eventId: 'evt_cw_1',
      orderId: 'CW-000000123',
      reference: 'req_01TESTAPS',
      stage: 'REQUESTED_FROM_PROVIDER',
      sequence: 3,
      occurredAt: '2030-01-12T08:15:00.000Z',
      details: { providerExpectedOn: '2030-01-26', providerFee: null },
      carrier: { code: 'SUMMIT', policyReference: 'SUM-000123', requirementId: null },
    });
    expect(chartwellEventOf(Buffer.from(push))).toEqual({
      eventId: 'evt_cw_1',
      orderId: 'CW-000000123',
      reference: 'req_01TESTAPS',
      stage: 'REQUESTED_FROM_PROVIDER',
      sequence: 3,
      occurredAt: '2030-01-12T08:15:00.000Z',
      details: { providerExpectedOn: '2030-01-26' },
    });
    for (const [stage, tc] of Object.entries(CHARTWELL_STAGE_CODES)) {
      const info = { ProviderOrderNumber: 'CW-1', ReqStatus: { '@_tc': tc }, StatusDate: '2030-01-01', OLifEExtension: { Sequence: '2' } };
      expect(chartwellStatusOf(info).stage).toBe(stage);
    }
    expect(() => chartwellStatusOf({ ProviderOrderNumber: 'CW-1', ReqStatus: { '@_tc': '99' }, StatusDate: '2030-01-01' })).toThrow(
      VendorError,
    );
    expect(() => chartwellEventOf(Buffer.from('<nope/>'))).toThrow(WebhookRefusal);
  });

  test('a push is believed only with its own signature headers', () => {
    const adapter = new ChartwellAdapter(SETTINGS);
    const push = chartwellPushXml({
      eventId: 'evt_cw_2',
      orderId: 'CW-2',
      reference: 'req_2',
      stage: 'SENT_TO_CARRIER',
      sequence: 6,
      occurredAt: '2030-01-12T08:15:00.000Z',
      details: { providerExpectedOn: null, providerFee: '25.00' },
      carrier: { code: 'SUMMIT', policyReference: 'SUM-1', requirementId: null },
    });
    const now = 1_900_000_000_000;
    const t = String(now / 1000);
    const headers = (secret: string, at = t) => ({ 'x-chartwell-timestamp': at, 'x-chartwell-signature': signWebhook(secret, at, push) });
    expect(adapter.parseWebhook({ rawBody: Buffer.from(push), headers: headers('secret') }, now)).toMatchObject({
      stage: 'SENT_TO_CARRIER',
      details: { providerFee: '25.00' },
    });
    expect(() => adapter.parseWebhook({ rawBody: Buffer.from(push), headers: headers('other') }, now)).toThrow(WebhookRefusal);
    expect(() => adapter.parseWebhook({ rawBody: Buffer.from(push), headers: headers('secret', String(now / 1000 - 600)) }, now)).toThrow(
      /tolerance/,
    );
    expect(() => adapter.parseWebhook({ rawBody: Buffer.from(push), headers: {} }, now)).toThrow(/missing/);
  });
});
