import type { Identity } from '../platform/identity';
import type { SubgraphStats } from './subgraph-datasource';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
  debugStats: boolean;
  /**
   * The operation Apollo resolved (type and name), filled in place once it has (Apollo runs a
   * shallow copy of the context): the front learns from it what a request was.
   */
  operation: { type: string | null; name: string | null };
  /** Per subgraph name, filled by SubgraphDataSource.didReceiveResponse. */
  stats: Record<string, SubgraphStats>;
}
