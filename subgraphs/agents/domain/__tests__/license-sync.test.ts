/**
 * The license sync's plan (domain/license-sync.ts): licenses added, changed and removed to match the
 * producer database, which differences are discrepancies and which routine news, lines of authority
 * in both vocabularies, and appointments filled in from the PDB without overruling the carriers.
 */
import {
  type LicenseSyncInput,
  type OurAppointment,
  type OurLicense,
  ourLines,
  planLicenseSync,
  type TheirAppointment,
  type TheirLicense,
} from '../license-sync';

const TODAY = '2026-06-01';
const CODES = new Map([
  ['SUMMIT', 'car_summit'],
  ['HARBOR', 'car_harborlight'],
]);

const ours = (over: Partial<OurLicense> = {}): OurLicense => ({
  id: 'lic_tx',
  state: 'TX',
  number: 'TX123',
  resident: true,
  linesOfAuthority: ['LIFE', 'ACCIDENT_HEALTH'],
  effectiveOn: '2024-01-01',
  expiresOn: '2027-01-01',
  revoked: false,
  ...over,
});
const theirs = (over: Partial<TheirLicense> = {}): TheirLicense => ({
  state: 'TX',
  number: 'TX123',
  resident: true,
  lines: ['LIFE', 'HEALTH'],
  status: 'ACTIVE',
  effectiveOn: '2024-01-01',
  expiresOn: '2027-01-01',
  ...over,
});
const appointment = (over: Partial<OurAppointment> = {}): OurAppointment => ({
  id: 'apt_1',
  carrierId: 'car_summit',
  state: 'TX',
  status: 'ACTIVE',
  source: 'BGA',
  effectiveOn: '2025-01-01',
  terminatedOn: null,
  ...over,
});
const their = (over: Partial<TheirAppointment> = {}): TheirAppointment => ({
  companyCode: 'SUMMIT',
  state: 'TX',
  status: 'ACTIVE',
  effectiveOn: '2025-01-01',
  terminatedOn: null,
  ...over,
});
const plan = (input: Partial<Omit<LicenseSyncInput, 'theirs'>> & { theirs?: Partial<LicenseSyncInput['theirs']> }) =>
  planLicenseSync({
    licenses: input.licenses ?? [],
    appointments: input.appointments ?? [],
    theirs: { licenses: input.theirs?.licenses ?? [], appointments: input.theirs?.appointments ?? [] },
    carrierIdByCompanyCode: input.carrierIdByCompanyCode ?? CODES,
    today: input.today ?? TODAY,
  });
const kinds = (p: ReturnType<typeof plan>) => p.discrepancies.map((d) => d.kind);
const types = (p: ReturnType<typeof plan>) => p.events.map((e) => e.type);

describe('licenses', () => {
  it('changes nothing when ours match, our ACCIDENT_HEALTH being the PDB HEALTH and an expired license its INACTIVE', () => {
    const p = plan({
      licenses: [
        ours(),
        ours({ id: 'lic_ok', state: 'OK', number: 'OK1', resident: false, expiresOn: '2026-03-01', linesOfAuthority: ['HEALTH'] }),
      ],
      theirs: {
        licenses: [
          theirs(),
          theirs({ state: 'OK', number: 'OK1', resident: false, status: 'INACTIVE', expiresOn: '2026-03-01', lines: ['HEALTH'] }),
        ],
      },
    });
    expect(p).toEqual({
      licenses: { added: [], changed: [], removed: [] },
      appointments: { added: [], terminated: [] },
      discrepancies: [],
      events: [],
      unknownCompanyCodes: [],
    });
  });

  it('adds every license of a first sync quietly (nothing was on file): events, no discrepancy', () => {
    const p = plan({
      theirs: { licenses: [theirs(), theirs({ state: 'OK', number: 'OK9', resident: false, lines: ['LIFE', 'ANNUITY', 'VARIABLE'] })] },
    });
    expect(p.licenses.added).toEqual([
      {
        state: 'OK',
        number: 'OK9',
        resident: false,
        linesOfAuthority: ['ANNUITY', 'LIFE', 'VARIABLE_LIFE_ANNUITY'],
        effectiveOn: '2024-01-01',
        expiresOn: '2027-01-01',
        revoked: false,
      },
      {
        state: 'TX',
        number: 'TX123',
        resident: true,
        linesOfAuthority: ['ACCIDENT_HEALTH', 'LIFE'],
        effectiveOn: '2024-01-01',
        expiresOn: '2027-01-01',
        revoked: false,
      },
    ]);
    expect(types(p)).toEqual(['LICENSE_ADDED', 'LICENSE_ADDED']);
    expect(p.discrepancies).toEqual([]);
    // Notes never carry the license number.
    expect(JSON.stringify(p.events)).not.toMatch(/OK9|TX123/);
  });

  it('adds a PDB license in a state we had none for an agent with licenses on file: LICENSE_NOT_ON_FILE', () => {
    const p = plan({
      licenses: [ours()],
      theirs: { licenses: [theirs(), theirs({ state: 'CA', number: 'CA1', resident: false, lines: ['LIFE'] })] },
    });
    expect(p.licenses.added.map((l) => l.state)).toEqual(['CA']);
    expect(p.discrepancies).toEqual([{ kind: 'LICENSE_NOT_ON_FILE', state: 'CA', carrierId: null, note: expect.stringContaining('CA') }]);
  });

  it('takes a shorter expiry from the PDB: LICENSE_CHANGED and LICENSE_EXPIRY', () => {
    const p = plan({ licenses: [ours()], theirs: { licenses: [theirs({ expiresOn: '2026-07-01' })] } });
    expect(p.licenses.changed).toEqual([
      { id: 'lic_tx', before: ours(), after: expect.objectContaining({ expiresOn: '2026-07-01', revoked: false }) },
    ]);
    expect(types(p)).toEqual(['LICENSE_CHANGED']);
    expect(p.events[0]).toMatchObject({
      state: 'TX',
      fromStatus: 'ACTIVE',
      toStatus: 'ACTIVE',
      note: expect.stringContaining('expiresOn'),
    });
    expect(kinds(p)).toEqual(['LICENSE_EXPIRY']);
  });

  it('takes a renewal (a later expiry) and a new line as routine news: changed, no discrepancy', () => {
    const p = plan({
      licenses: [ours()],
      theirs: { licenses: [theirs({ expiresOn: '2029-01-01', lines: ['LIFE', 'HEALTH', 'ANNUITY'] })] },
    });
    expect(p.licenses.changed[0].after).toMatchObject({
      expiresOn: '2029-01-01',
      linesOfAuthority: ['ACCIDENT_HEALTH', 'ANNUITY', 'LIFE'],
    });
    expect(p.discrepancies).toEqual([]);
  });

  it('revokes a license the PDB shows INACTIVE before its expiry: LICENSE_INACTIVE', () => {
    const p = plan({ licenses: [ours()], theirs: { licenses: [theirs({ status: 'INACTIVE' })] } });
    expect(p.licenses.changed[0].after.revoked).toBe(true);
    expect(p.events[0]).toMatchObject({ type: 'LICENSE_CHANGED', fromStatus: 'ACTIVE', toStatus: 'INACTIVE' });
    expect(kinds(p)).toEqual(['LICENSE_INACTIVE']);
  });

  it('reinstates a revoked license the PDB shows ACTIVE: routine', () => {
    const p = plan({ licenses: [ours({ revoked: true })], theirs: { licenses: [theirs()] } });
    expect(p.licenses.changed[0].after.revoked).toBe(false);
    expect(p.discrepancies).toEqual([]);
  });

  it('corrects a line we claimed that the PDB does not show, or another number (renumbered in place): LICENSE_DETAILS', () => {
    const lines = plan({ licenses: [ours()], theirs: { licenses: [theirs({ lines: ['LIFE'] })] } });
    expect(lines.licenses.changed[0].after.linesOfAuthority).toEqual(['LIFE']);
    expect(kinds(lines)).toEqual(['LICENSE_DETAILS']);
    const renumbered = plan({ licenses: [ours()], theirs: { licenses: [theirs({ number: 'TX999' })] } });
    expect(renumbered.licenses.changed).toEqual([
      expect.objectContaining({ id: 'lic_tx', after: expect.objectContaining({ number: 'TX999' }) }),
    ]);
    expect(renumbered.licenses.added).toEqual([]);
    expect(kinds(renumbered)).toEqual(['LICENSE_DETAILS']);
    expect(renumbered.discrepancies[0].note).not.toContain('TX999');
  });

  it('removes a license the PDB does not show: a discrepancy only when it was active on file', () => {
    const active = plan({ licenses: [ours()], theirs: { licenses: [] } });
    expect(active.licenses.removed.map((l) => l.id)).toEqual(['lic_tx']);
    expect(types(active)).toEqual(['LICENSE_REMOVED']);
    expect(kinds(active)).toEqual(['LICENSE_NOT_IN_PDB']);
    const expired = plan({ licenses: [ours({ expiresOn: '2026-01-01' })], theirs: { licenses: [] } });
    expect(expired.licenses.removed).toHaveLength(1);
    expect(expired.discrepancies).toEqual([]);
  });

  it('matches by number first when we hold two licenses in a state; the other goes', () => {
    const p = plan({
      licenses: [ours({ id: 'lic_old', number: 'TX1', expiresOn: '2026-02-01' }), ours({ id: 'lic_new', number: 'TX2' })],
      theirs: { licenses: [theirs({ number: 'TX1', expiresOn: '2028-01-01' })] },
    });
    expect(p.licenses.changed.map((c) => c.id)).toEqual(['lic_old']);
    expect(p.licenses.removed.map((l) => l.id)).toEqual(['lic_new']);
  });

  it('maps lines both ways, keeping our own name for a line we had', () => {
    expect(ourLines(['HEALTH'], ['HEALTH'])).toEqual(['HEALTH']);
    expect(ourLines(['HEALTH'], [])).toEqual(['ACCIDENT_HEALTH']);
    expect(ourLines(['VARIABLE', 'LIFE'])).toEqual(['LIFE', 'VARIABLE_LIFE_ANNUITY']);
  });
});

describe('appointments', () => {
  it('records a PDB appointment we have no row for (ACTIVE or TERMINATED), by the carrier its company code names', () => {
    const p = plan({
      theirs: { appointments: [their(), their({ companyCode: 'HARBOR', state: 'OK', status: 'TERMINATED', terminatedOn: '2026-01-01' })] },
    });
    expect(p.appointments.added).toEqual([
      { carrierId: 'car_harborlight', state: 'OK', status: 'TERMINATED', effectiveOn: '2025-01-01', terminatedOn: '2026-01-01' },
      { carrierId: 'car_summit', state: 'TX', status: 'ACTIVE', effectiveOn: '2025-01-01', terminatedOn: null },
    ]);
    expect(p.events.map((e) => [e.type, e.carrierId])).toEqual([
      ['APPOINTMENT_TERMINATED', 'car_harborlight'],
      ['APPOINTMENT_ACTIVE', 'car_summit'],
    ]);
  });

  it('leaves out company codes no carrier carries, and says which', () => {
    const p = plan({ theirs: { appointments: [their({ companyCode: 'NOPE' }), their({ companyCode: 'NOPE', state: 'OK' })] } });
    expect(p.appointments.added).toEqual([]);
    expect(p.unknownCompanyCodes).toEqual(['NOPE']);
  });

  it('agrees quietly with the carrier, and waits for the carrier on a requested or submitted one', () => {
    expect(plan({ appointments: [appointment()], theirs: { appointments: [their()] } }).events).toEqual([]);
    for (const status of ['REQUESTED', 'SUBMITTED'] as const) {
      const p = plan({ appointments: [appointment({ status })], theirs: { appointments: [their()] } });
      expect([p.events, p.discrepancies, p.appointments.added]).toEqual([[], [], []]);
    }
    // Not at the PDB yet: it lags the carriers, no news.
    expect(plan({ appointments: [appointment()], theirs: { appointments: [] } }).discrepancies).toEqual([]);
  });

  it('never overrules the carrier: a contradiction is APPOINTMENT_MISMATCH, our row untouched', () => {
    const ended = plan({
      appointments: [appointment()],
      theirs: { appointments: [their({ status: 'TERMINATED', terminatedOn: '2026-05-01' })] },
    });
    expect(ended.appointments).toEqual({ added: [], terminated: [] });
    expect(ended.discrepancies).toEqual([
      { kind: 'APPOINTMENT_MISMATCH', state: 'TX', carrierId: 'car_summit', note: expect.stringContaining('TERMINATED') },
    ]);
    const rejected = plan({ appointments: [appointment({ status: 'REJECTED' })], theirs: { appointments: [their()] } });
    expect(kinds(rejected)).toEqual(['APPOINTMENT_MISMATCH']);
    expect(rejected.appointments.added).toEqual([]);
  });

  it('follows the PDB on rows it gave us: ended there → TERMINATED; re-appointed → a new ACTIVE row', () => {
    const ended = plan({
      appointments: [appointment({ source: 'PRODUCER_DATABASE' })],
      theirs: { appointments: [their({ status: 'TERMINATED', terminatedOn: '2026-05-01' })] },
    });
    expect(ended.appointments.terminated).toEqual([{ id: 'apt_1', carrierId: 'car_summit', state: 'TX', terminatedOn: '2026-05-01' }]);
    expect(ended.events).toEqual([
      expect.objectContaining({ type: 'APPOINTMENT_TERMINATED', fromStatus: 'ACTIVE', toStatus: 'TERMINATED' }),
    ]);
    const back = plan({
      appointments: [appointment({ source: 'PRODUCER_DATABASE', status: 'TERMINATED', terminatedOn: '2026-01-01' })],
      theirs: { appointments: [their({ effectiveOn: '2026-04-01' })] },
    });
    expect(back.appointments.added).toEqual([
      { carrierId: 'car_summit', state: 'TX', status: 'ACTIVE', effectiveOn: '2026-04-01', terminatedOn: null },
    ]);
  });
});
