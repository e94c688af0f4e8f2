/**
 * Hive Gateway's configuration for `npm run bench:gateway` (passed with `-c`): its defaults, plus the
 * bench's fixed signed identity headers on every subgraph request (our subgraphs refuse unsigned
 * calls), from BENCH_IDENTITY_HEADERS (a JSON object). The supergraph file the bench passes on the
 * command line already points at the bench's subgraphs. Logging at warn, as the other gateways.
 */
import type { GatewayCLIConfig } from '@graphql-hive/gateway';

const identityHeaders = JSON.parse(process.env.BENCH_IDENTITY_HEADERS ?? '{}') as Record<string, string>;

export const gatewayConfig: GatewayCLIConfig = {
  logging: 'warn',
  propagateHeaders: {
    fromClientToSubgraphs: () => identityHeaders,
  },
};
