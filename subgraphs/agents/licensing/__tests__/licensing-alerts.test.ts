/** How an alert row reads to people: days left (negative when past), overdue filings, and a discrepancy's own note. */
import type { AlertRow } from '../license-sync.repository';
import { alertOf } from '../licensing.resolver';

const row = (over: Partial<AlertRow>): AlertRow => ({
  id: 'alert_x',
  kind: 'LICENSE_EXPIRING',
  agentId: 'agt_1',
  state: 'TX',
  carrierId: null,
  discrepancy: null,
  dueOn: null,
  detectedAt: null,
  note: null,
  ...over,
});

it('counts the days to an expiry and names the state, never a number', () => {
  expect(alertOf(row({ dueOn: '2026-07-01' }), '2026-06-01')).toMatchObject({
    daysLeft: 30,
    message: 'the license in TX expires on 2026-07-01 (in 30 days)',
  });
  expect(alertOf(row({ dueOn: '2026-06-01' }), '2026-06-01').message).toMatch(/\(today\)$/);
});

it('says a past filing deadline is overdue, with negative days left', () => {
  const overdue = alertOf(row({ kind: 'APPOINTMENT_FILING_DUE', dueOn: '2026-05-30', carrierId: 'car_summit' }), '2026-06-01');
  expect(overdue).toMatchObject({ daysLeft: -2, carrierId: 'car_summit' });
  expect(overdue.message).toBe('the just-in-time appointment filing in TX is due 2026-05-30 (overdue: due 2 days ago)');
  expect(alertOf(row({ kind: 'APPOINTMENT_FILING_DUE', dueOn: '2026-06-02' }), '2026-06-01').message).toMatch(/\(in 1 day\)$/);
});

it("shows a discrepancy's note, with no days left", () => {
  const alert = alertOf(
    row({
      kind: 'DISCREPANCY',
      discrepancy: 'LICENSE_EXPIRY',
      note: 'the license in TX expires earlier',
      detectedAt: '2026-06-01T10:00:00.000Z',
    }),
    '2026-06-01',
  );
  expect(alert).toMatchObject({ daysLeft: null, dueOn: null, message: 'the license in TX expires earlier', discrepancy: 'LICENSE_EXPIRY' });
});
