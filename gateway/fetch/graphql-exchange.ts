import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import type { FetchNext, WireNext, WireResponse } from './subgraph-fetch';

/** Only the headers of the fetch (the signing step's) are sent; a fetch that skipped it still says what it sends. */
const JSON_ONLY: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

/** The few things of an answer's headers the steps above read (Cache-Control), in the shape gateway-js's responses have. */
function headersOf(response: WireResponse) {
  const get = (name: string) => {
    const value = response.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(', ') : (value ?? null);
  };
  return { get, has: (name: string) => get(name) !== null };
}

function bodyOf(response: WireResponse, contentType: string | null): unknown {
  if (contentType && (contentType.startsWith('application/json') || contentType.startsWith('application/graphql-response+json')))
    return JSON.parse(response.text);
  return response.text;
}

/**
 * Where the fetch path meets the wire: the GraphQL request as a JSON body (query first), and the
 * answer's text parsed for this caller alone (wire steps may share one answer among callers, and
 * gateway-js merges later fetches into the objects it is given). A non-2xx answer is a GraphQLError
 * carrying it (401 UNAUTHENTICATED, 403 FORBIDDEN), as gateway-js's RemoteGraphQLDataSource makes it;
 * an answer that is not a JSON object is an error. Automatic persisted queries to subgraphs are not used.
 */
export function graphqlExchange(wire: WireNext): FetchNext {
  return async (fetch) => {
    const { query, variables, operationName, extensions } = fetch.request;
    if (!query) throw new Error('Missing query');
    const answer = await wire({
      url: fetch.url,
      kind: fetch.kind,
      headers: fetch.headers ?? JSON_ONLY,
      body: JSON.stringify({ query, variables, operationName, extensions }),
    });
    const headers = headersOf(answer);
    const body = bodyOf(answer, headers.get('content-type'));
    if (answer.status < 200 || answer.status >= 300) {
      const code = answer.status === 401 ? 'UNAUTHENTICATED' : answer.status === 403 ? 'FORBIDDEN' : undefined;
      throw new GraphQLError(`${answer.status}: `, {
        extensions: { response: { url: fetch.url, status: answer.status, statusText: '', body }, ...(code ? { code } : {}) },
      });
    }
    if (typeof body !== 'object' || body === null)
      throw new Error(`Expected JSON response body, but received: ${String(body).slice(0, 100)}`);
    return { ...body, http: { headers, status: answer.status } } as GatewayGraphQLResponse;
  };
}
