/**
 * The demo appointments as the filing rules see them (docs/domain.md "Appointments filed with
 * carriers"): each one's filing from its carrier's contracting data, and for the requests still to
 * send in just-in-time states an application date a few days before the anchor and the 15-day
 * deadline after it (none overdue). Run inside the seed's transaction, after the appointments.
 */
import type pg from 'pg';

export async function seedAppointmentFilings(client: pg.PoolClient, anchor: string): Promise<void> {
  await client.query(
    `UPDATE agents.appointment a SET filing = 'JUST_IN_TIME'
       FROM agents.carrier_contracting c
      WHERE c.carrier_id = a.carrier_id AND NOT (a.state = ANY(c.pre_appointment_states))`,
  );
  await client.query(
    `UPDATE agents.appointment SET application_on = $1::date - (abs(hashtext(id)) % 12),
       filing_due_on = $1::date - (abs(hashtext(id)) % 12) + 15
      WHERE filing = 'JUST_IN_TIME' AND status = 'REQUESTED'`,
    [anchor],
  );
}
