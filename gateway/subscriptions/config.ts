import { type Env, int } from '../../platform/config';

/** Subscriptions' limits (README, configuration). */
export interface SubscriptionConfig {
  /** SUBSCRIPTIONS_PER_CONNECTION (default 25): open subscriptions on one WebSocket (SSE: one per request). */
  perConnection: number;
  /** SUBSCRIPTIONS_PER_CLIENT (default 100): open subscriptions of one caller (token subject) on one gateway process. */
  perClient: number;
  /** SUBSCRIPTION_IDLE_TIMEOUT_MS (default 300000): a WebSocket with no subscription this long is closed. */
  idleTimeoutMs: number;
  /** SUBSCRIPTION_QUEUE_MAX (default 100): events waiting for one subscriber; one more and the subscriber is dropped. */
  queueMax: number;
  /** SUBSCRIPTION_KEEPALIVE_MS (default 12000): WebSocket pings (and SSE comments) this often; a peer that misses one is gone. */
  keepAliveMs: number;
  /** CASE_EVENT_STREAM_MAX (default 100000): case events kept for resumption after a reconnect. */
  streamMax: number;
}

export function readSubscriptionConfig(env: Env): SubscriptionConfig {
  return {
    perConnection: int(env, 'SUBSCRIPTIONS_PER_CONNECTION', 25, { min: 1 }),
    perClient: int(env, 'SUBSCRIPTIONS_PER_CLIENT', 100, { min: 1 }),
    idleTimeoutMs: int(env, 'SUBSCRIPTION_IDLE_TIMEOUT_MS', 300_000, { min: 1_000 }),
    queueMax: int(env, 'SUBSCRIPTION_QUEUE_MAX', 100, { min: 1 }),
    keepAliveMs: int(env, 'SUBSCRIPTION_KEEPALIVE_MS', 12_000, { min: 1_000 }),
    streamMax: int(env, 'CASE_EVENT_STREAM_MAX', 100_000, { min: 100 }),
  };
}
