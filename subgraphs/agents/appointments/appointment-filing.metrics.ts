import { Counter } from 'prom-client';
import { subgraphRegistry } from '../../../platform/metrics';

/** What the filing worker wrote, served at the agents subgraph's /metrics. Labels are ids and enum values only. */
export const appointmentTransitions = new Counter({
  name: 'bga_appointment_transitions_total',
  help: 'Appointment transitions the filing worker wrote, by carrier and new status (SUBMITTED, ACTIVE, REJECTED, TERMINATED).',
  labelNames: ['carrier', 'status'],
  registers: [subgraphRegistry],
});

/** Alert on its rate: a just-in-time filing missed its 15-day deadline (counted once per appointment). */
export const appointmentFilingsLate = new Counter({
  name: 'bga_appointment_filings_late_total',
  help: 'Just-in-time appointment filings not at the carrier by their due date (once per appointment), by carrier.',
  labelNames: ['carrier'],
  registers: [subgraphRegistry],
});
