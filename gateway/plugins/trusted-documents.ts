import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, print } from 'graphql';
import type { GatewayContext } from '../gateway.context';
import { Lru } from '../lru';
import type { GatewayPlugin } from './gateway-plugin';

/** Apollo's persisted query manifest (what @apollo/generate-persisted-query-manifest writes; scripts/trusted-documents.ts writes ours). */
export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** The code of an operation refused for not being in the manifest (Apollo Router's code for the same refusal). */
export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/** The manifest's operations, by id, and every hash a trusted document may arrive under. */
export interface TrustedDocuments {
  /** Manifest id (SHA-256 of the printed body) → body. */
  bodies: ReadonlyMap<string, string>;
  /** Printed bodies: a document sent with other spacing or comments is trusted when it prints to one. */
  printed: ReadonlySet<string>;
}

export function readManifest(path: string): TrustedDocuments {
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as PersistedQueryManifest;
  if (manifest.format !== 'apollo-persisted-query-manifest' || manifest.version !== 1)
    throw new Error(`${path} is not an Apollo persisted query manifest (version 1)`);
  const bodies = new Map(manifest.operations.map((operation) => [operation.id, operation.body]));
  return { bodies, printed: new Set(bodies.values()) };
}

/**
 * Trusted documents (a safelist): with TRUSTED_DOCUMENTS=required the gateway executes only the
 * operations of the manifest (schema/trusted-documents.json, from examples/operations). A client
 * sends an operation by its id alone, as an APQ hash (`extensions.persistedQuery.sha256Hash`: the
 * manifest's id, no query text needed and no registration round trip), or as full text that
 * is, or prints to, a manifest body. Anything else is refused with PERSISTED_QUERY_NOT_IN_LIST
 * (HTTP 400) before it is planned, and APQ cannot register it. Off (the default), APQ works as
 * before for development and nothing is read.
 */
export function trustedDocuments(documents: TrustedDocuments | undefined): GatewayPlugin {
  if (!documents) return {};
  // The request's query hash (SHA-256 of the text as sent) → whether it prints to a manifest body:
  // one print per distinct text, bounded.
  const verdicts = new Lru<boolean>(4_096);
  const trusted = (hash: string, print: () => string): boolean => {
    if (documents.bodies.has(hash)) return true;
    let verdict = verdicts.get(hash);
    if (verdict === undefined) {
      verdict = documents.printed.has(print());
      verdicts.set(hash, verdict);
    }
    return verdict;
  };
  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request }) {
      // An id alone: the manifest's body is the query (and the hash Apollo checks it against).
      const hash = request.extensions?.persistedQuery?.sha256Hash;
      if (request.query === undefined && typeof hash === 'string') {
        const body = documents.bodies.get(hash);
        if (body !== undefined) {
          request.query = body;
          const { persistedQuery: _resolved, ...extensions } = request.extensions ?? {};
          request.extensions = extensions;
        }
      }
      return {
        async didResolveOperation({ queryHash, document }) {
          if (!trusted(queryHash, () => print(document)))
            throw new GraphQLError('this operation is not in the trusted documents', {
              extensions: { code: NOT_IN_LIST, http: { status: 400 } },
            });
        },
      };
    },
  };
  return { apollo: [apollo] };
}
