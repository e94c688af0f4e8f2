import { deepFreeze, url } from '../shared/config';

export interface CasesConfig {
  /** GATEWAY_URL: where this subgraph asks the rest of the graph, as SERVICE (default http://127.0.0.1:4000/graphql). */
  gatewayUrl: string;
}

export function readCasesConfig(env: Record<string, string | undefined> = process.env): Readonly<CasesConfig> {
  return deepFreeze({ gatewayUrl: url(env, 'GATEWAY_URL', 'http://127.0.0.1:4000/graphql')! });
}
