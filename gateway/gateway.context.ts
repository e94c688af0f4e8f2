import type { Identity } from '../platform/identity';
import type { RequestStats } from '../platform/stats';

/** What the gateway reports per subgraph in extensions.stats: fetches plus the subgraph's own counts. */
export type SubgraphStats = RequestStats & { fetches: number };

/** The context of one client request, shared by the request plugins and the subgraph fetch path. */
export interface GatewayContext {
  identity: Identity;
  requestId: string;
  debugStats: boolean;
  /**
   * The operation Apollo resolved (type and name), filled in place once it has (Apollo runs a
   * shallow copy of the context): the front learns from it what a request was.
   */
  operation: { type: string | null; name: string | null };
  /** Per subgraph name, filled by the fetch path's stats step (fetch/fetch-stats.ts). */
  stats: Record<string, SubgraphStats>;
  /**
   * True for a query the gateway built itself to resolve a subscription's event: it runs with the
   * subscriber's identity and limits, but the trusted-documents check was made on the subscription.
   */
  derived?: boolean;
}
