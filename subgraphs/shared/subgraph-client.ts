import { readFileSync } from 'node:fs';
import { type GraphQLFormattedError, parse, print, separateOperations } from 'graphql';
import { coded, type ErrorCode } from '../../platform/errors';
import { identitySigner, serviceIdentity } from '../../platform/identity';

/**
 * How a subgraph asks another one: straight to the owning subgraph's own URL (never through the
 * public gateway, which does not expose internal fields), as role SERVICE, with the identity signed
 * by the shared secret like the gateway's own calls, so no token has to be minted or stored.
 */
export interface SubgraphClientOptions {
  /** Who calls (the SERVICE identity's name: service:<service>). */
  service: string;
  /** Who is called, for error messages and logs. */
  target: string;
  url: string;
  identitySecret: string;
  timeoutMs?: number;
}

/**
 * Codes the owning subgraph answers for what the caller asked (the input, the thing asked for, a
 * carrier that cannot answer now): they reach our caller as they are, with the owner's message.
 * Anything else (our operation is invalid, our identity refused, the owner's bug) is an outage of
 * the dependency for our caller: SERVICE_UNAVAILABLE.
 */
const PASSED_THROUGH: ReadonlySet<string> = new Set<ErrorCode>(['BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT', 'CARRIER_UNAVAILABLE']);

export class SubgraphClient {
  private readonly sign: ReturnType<typeof identitySigner>;

  constructor(private readonly options: SubgraphClientOptions) {
    this.sign = identitySigner(options.identitySecret);
  }

  /** The data of an operation; the owner's client errors pass through, every other failure is SERVICE_UNAVAILABLE. */
  async request<T>(query: string, variables: Record<string, unknown>, requestId?: string): Promise<T> {
    const { target } = this.options;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...this.sign(serviceIdentity(this.options.service)),
          ...(requestId ? { 'x-request-id': requestId } : {}),
        },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
      });
    } catch {
      throw coded('SERVICE_UNAVAILABLE', `the ${target} subgraph is unreachable from this service`);
    }
    const body = (await response.json().catch(() => ({}))) as { data?: T | null; errors?: GraphQLFormattedError[] };
    const first = body.errors?.[0];
    if (first) {
      const { code, stacktrace: _dropped, ...extensions } = (first.extensions ?? {}) as Record<string, unknown>;
      if (typeof code === 'string' && PASSED_THROUGH.has(code)) throw coded(code as ErrorCode, first.message, extensions);
      throw coded('SERVICE_UNAVAILABLE', `the ${target} subgraph failed: ${typeof code === 'string' ? code : response.status}`);
    }
    if (!response.ok || !body.data) throw coded('SERVICE_UNAVAILABLE', `the ${target} subgraph failed: HTTP ${response.status}`);
    return body.data;
  }
}

/**
 * The named operations of a .graphql file, each printed alone (with the fragments it uses), so a
 * request carries one operation. Read once, at start; an unnamed operation is a mistake in the file.
 */
export function readOperations<Name extends string>(path: string, names: readonly Name[]): Readonly<Record<Name, string>> {
  const operations = separateOperations(parse(readFileSync(path, 'utf8')));
  const missing = names.filter((name) => !operations[name]);
  if (missing.length) throw new Error(`${path} has no operation named ${missing.join(', ')}`);
  return Object.freeze(Object.fromEntries(names.map((name) => [name, print(operations[name])]))) as Readonly<Record<Name, string>>;
}
