import { statsPlugin } from '../../platform/stats';
import type { GatewayContext } from '../gateway.context';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * The debug-stats plugin: with DEBUG_STATS on, a caller sending `x-debug-stats: 1` gets, in
 * extensions.stats, what its request cost each subgraph (counted by the fetch path's stats step).
 */
export function debugStats(): GatewayPlugin {
  return { apollo: [statsPlugin<GatewayContext>()] };
}
