/**
 * Hive Gateway's configuration for `npm run bench:gateway` (passed with `--config-path`), set up as the
 * Guild's own federation benchmark sets up its two Hive Gateway entries (the public repository
 * graphql-hive/graphql-gateways-benchmark, files gateways/hive-gateway/{package.json,gateway.config.ts,run.sh}
 * and gateways/hive-gateway-router-runtime/{package.json,gateway.config.ts,run.sh}):
 *  - BENCH_HIVE_SETUP=jit (default): `NODE_ENV=production hive-gateway supergraph … --jit` with
 *    `inboundInflightRequestDeduplication: true`;
 *  - BENCH_HIVE_SETUP=router-runtime: `NODE_ENV=production hive-gateway supergraph …` (no --jit) with
 *    `unifiedGraphHandler` from @graphql-hive/router-runtime (the Rust query planner) and
 *    `inboundInflightRequestDeduplication: true`.
 * The bench passes NODE_ENV and --jit on the command line (bench/gateway.bench.ts startHive).
 *
 * Added to both, as to every peer: the bench's fixed signed identity headers on every subgraph request
 * (our subgraphs refuse unsigned calls), from BENCH_IDENTITY_HEADERS (a JSON object), and logging at
 * warn, as the other gateways. The supergraph file on the command line already points at the bench's
 * subgraphs.
 *
 * Why router-runtime refuses --jit (found on the first try, HIVE_ROUTER_RUNTIME=true JIT=true): the JIT
 * plugin replaces the execute function with graphql-jit's compiled query over the supergraph schema,
 * after the gateway runtime has set it to the router-runtime's executor. Under router-runtime that schema
 * has no resolvers that call subgraphs (the query plan does), so the compiled query reads every root
 * field from an empty root value: no request reaches any subgraph (counted: 0) and every non-null root
 * field fails with "Cannot return null for non-nullable field Query.agents". The identity headers were
 * never the fault: without --jit, every subgraph request carries them. The Guild's benchmark runs
 * router-runtime without --jit too.
 */
import type { GatewayCLIConfig } from '@graphql-hive/gateway';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';

export type HiveSetup = 'jit' | 'router-runtime';

const setup = (process.env.BENCH_HIVE_SETUP ?? 'jit') as HiveSetup;
if (setup !== 'jit' && setup !== 'router-runtime') throw new Error(`BENCH_HIVE_SETUP: unknown setup "${setup}" (jit, router-runtime)`);
const jitAsked = process.argv.includes('--jit') || /^(1|true|t|yes|y|on)$/i.test(process.env.JIT ?? '');
if (setup === 'router-runtime' && jitAsked)
  throw new Error(
    'Hive Gateway with @graphql-hive/router-runtime must run without --jit/JIT: graphql-jit would execute the supergraph schema, which has no resolvers under router-runtime, and answer null without calling any subgraph',
  );

const identityHeaders = JSON.parse(process.env.BENCH_IDENTITY_HEADERS ?? '{}') as Record<string, string>;

export const gatewayConfig: GatewayCLIConfig = {
  logging: 'warn',
  inboundInflightRequestDeduplication: true,
  ...(setup === 'router-runtime' ? { unifiedGraphHandler } : {}),
  propagateHeaders: {
    fromClientToSubgraphs: () => identityHeaders,
  },
};
