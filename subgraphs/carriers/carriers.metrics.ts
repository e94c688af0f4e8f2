import { Counter } from 'prom-client';
import { subgraphRegistry } from '../../platform/metrics';

/** Carrier outcomes of quote comparisons, served at the carriers subgraph's /metrics. Labels are ids and enum values only. */
export const carrierOutcomes = new Counter({
  name: 'bga_carrier_outcomes_total',
  help: 'Carrier outcomes of quote comparisons by carrier and status (OK, TIMEOUT, ERROR, CIRCUIT_OPEN, ...).',
  labelNames: ['carrier', 'status'],
  registers: [subgraphRegistry],
});
