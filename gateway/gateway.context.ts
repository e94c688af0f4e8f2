import type { Identity } from '../subgraphs/shared/identity';
import type { SubgraphStats } from './subgraph-datasource';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
  debugStats: boolean;
  /** Per subgraph name, filled by SubgraphDataSource.didReceiveResponse. */
  stats: Record<string, SubgraphStats>;
}
