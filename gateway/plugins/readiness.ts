import type { Cache } from '../../platform/cache';
import { sendJson } from '../../platform/http';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * What /ready answers: whether the supergraph is loaded, and which subgraphs and which cache the
 * gateway can reach right now. One subgraph down is "degraded", not "unavailable": the gateway
 * still serves everything else (references are nullable), so it should stay in the load balancer.
 */
export interface Readiness {
  status: 'ready' | 'degraded' | 'unavailable';
  supergraph: boolean;
  subgraphs: Record<string, 'up' | 'down'>;
  cache: { kind: 'redis' | 'memory' | 'none'; ok: boolean };
}

/** The /health URL next to a subgraph's /graphql URL. */
const healthUrl = (graphqlUrl: string) => new URL('/health', graphqlUrl).toString();

export async function readiness(options: {
  supergraphLoaded: boolean;
  subgraphs: ReadonlyMap<string, string>;
  cache?: Cache;
  timeoutMs?: number;
}): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const checks = await Promise.all(
    [...options.subgraphs].map(async ([name, url]) => {
      const up = await fetch(healthUrl(url), { signal: AbortSignal.timeout(timeoutMs) }).then(
        (r) => r.ok,
        () => false,
      );
      return [name, up ? 'up' : 'down'] as const;
    }),
  );
  const subgraphs = Object.fromEntries(checks);
  const cacheOk = options.cache ? await options.cache.ping() : true;
  const down = checks.filter(([, state]) => state === 'down').length;
  const status =
    !options.supergraphLoaded || (checks.length > 0 && down === checks.length)
      ? 'unavailable'
      : down > 0 || !cacheOk
        ? 'degraded'
        : 'ready';
  return { status, supergraph: options.supergraphLoaded, subgraphs, cache: { kind: options.cache?.kind ?? 'none', ok: cacheOk } };
}

/**
 * The health plugin: /health (the process answers) and /ready (readiness above; 503 when
 * unavailable). The supergraph counts as loaded from the first schema the gateway reports.
 */
export function health(options: { subgraphs: ReadonlyMap<string, string>; cache?: Cache }): GatewayPlugin {
  let supergraphLoaded = false;
  return {
    onSchema() {
      supergraphLoaded = true;
    },
    routes: {
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
      '/ready': async (_req, res) => {
        const state = await readiness({ supergraphLoaded, subgraphs: options.subgraphs, cache: options.cache });
        sendJson(res, state.status === 'unavailable' ? 503 : 200, state);
      },
    },
  };
}
