import { Counter, Histogram } from 'prom-client';
import { subgraphRegistry } from '../../../platform/metrics';

/** Webhook delivery attempts by how they ended (DELIVERED, FAILED, DEAD_LETTERED): no subscriber or URL in a label. */
export const webhookAttempts = new Counter({
  name: 'bga_webhook_attempts_total',
  help: 'Webhook delivery attempts by status (DELIVERED, FAILED, DEAD_LETTERED).',
  labelNames: ['status'],
  registers: [subgraphRegistry],
});

/** From the event's commit time to its delivery: how far behind the subscribers are. */
export const webhookDeliveryLag = new Histogram({
  name: 'bga_webhook_delivery_lag_seconds',
  help: 'Seconds from an event (its case history time) to its delivery (2xx) to a webhook subscriber.',
  buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14_400, 86_400],
  registers: [subgraphRegistry],
});
