/** The carrier-sync plan on its own: the carrier wins, one step per change, unknown codes noted once. */
import { eventsOf, planSync } from '../carrier-sync';

const NOW = '2026-02-01T10:00:00.000Z';
const SUBMITTED = { status: 'SUBMITTED', approvedAt: null, issuedAt: null, placedAt: null, closedAt: null, policyNumber: null } as const;

describe('planSync', () => {
  it('jumps to the carrier status with its stamps, adds and moves requirements, and notes unknown codes', () => {
    const steps = planSync(
      SUBMITTED,
      [{ id: 'req_1', code: 'MIB', status: 'ORDERED' }],
      new Set(),
      {
        status: 'ISSUED',
        carrierStatusCode: '25',
        policyNumber: 'P-1',
        requirements: [
          { code: 'MIB', carrierCode: 'MIB', status: 'RECEIVED', requestedOn: null, fulfilledOn: '2026-01-20' },
          { code: 'APS', carrierCode: 'APS', status: null, requestedOn: '2026-01-07', fulfilledOn: null },
          { code: null, carrierCode: 'X-77', status: null, requestedOn: null, fulfilledOn: null },
        ],
      },
      NOW,
    );
    expect(steps).toEqual([
      { kind: 'status', from: 'SUBMITTED', to: 'ISSUED', stamps: { issuedAt: NOW }, policyNumber: 'P-1', note: 'carrier status 25' },
      { kind: 'requirementStatus', requirementId: 'req_1', code: 'MIB', status: 'RECEIVED', note: 'requirement received at the carrier' },
      {
        kind: 'newRequirement',
        code: 'APS',
        carrierCode: 'APS',
        status: 'ORDERED',
        orderedAt: '2026-01-07T00:00:00.000Z',
        receivedAt: null,
        followUpOn: '2026-01-28',
        note: 'requirement ordered at the carrier',
      },
      { kind: 'note', note: 'unknown carrier requirement code X-77' },
    ]);
    expect(eventsOf(steps)).toBe(4);
  });

  it('notes an unknown code once, and a new policy number alone writes no event', () => {
    const report = { status: null, carrierStatusCode: '99', policyNumber: null, requirements: [] };
    expect(planSync(SUBMITTED, [], new Set(['unknown carrier status code 99']), report, NOW)).toEqual([]);
    const renumbered = planSync(SUBMITTED, [], new Set(), { ...report, status: 'SUBMITTED', policyNumber: 'P-2' }, NOW);
    expect(renumbered).toEqual([{ kind: 'policyNumber', policyNumber: 'P-2' }]);
    expect(eventsOf(renumbered)).toBe(0);
  });
});
