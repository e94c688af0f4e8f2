import { maskError } from '../../platform/errors';
import type { Logger } from '../../platform/logger';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * The error-masking plugin, last of the error rewrites: client errors keep their code and message,
 * anything else is logged and answered as an internal error (platform/errors.ts). Unreachable
 * subgraphs arrive here already as SERVICE_UNAVAILABLE (the fetch path's unavailable step).
 */
export function errorMasking(logger: Logger): GatewayPlugin {
  return { formatError: maskError(logger) };
}
