import { coded } from '../../platform/errors';
import { serviceIdentity, signIdentity } from '../../platform/identity';

/**
 * How a subgraph asks the rest of the graph: through the gateway, as role SERVICE, never through
 * another subgraph's database. The identity is signed with the shared secret, like the gateway's
 * own calls to subgraphs, so no token has to be minted or stored.
 */
export interface SupergraphClientOptions {
  service: string;
  /** Where the gateway is; a function so tests can start the gateway after the subgraphs. */
  url: () => string;
  identitySecret: string;
  timeoutMs?: number;
}

export class SupergraphClient {
  constructor(private readonly options: SupergraphClientOptions) {}

  /** The data of a query; a GraphQL error or an unreachable gateway becomes SERVICE_UNAVAILABLE. */
  async request<T>(query: string, variables: Record<string, unknown>, requestId?: string): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.options.url(), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...signIdentity(serviceIdentity(this.options.service), this.options.identitySecret),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch {
      throw coded('SERVICE_UNAVAILABLE', 'the graph is unreachable from this service');
    }
    const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length || !body.data) {
      const first = body.errors?.[0];
      throw coded('SERVICE_UNAVAILABLE', `a dependency failed: ${first?.extensions?.code ?? response.status}`);
    }
    return body.data;
  }
}
