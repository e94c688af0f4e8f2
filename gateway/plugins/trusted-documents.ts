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
  const trusted = documentTrust(documents);
  const apollo: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request, contextValue }) {
      // A query the gateway built itself for a subscription's event: the subscription's own document
      // was checked against the manifest when it was subscribed (subscriptions/transports.ts).
      if (contextValue.derived) return {};
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
          if (!trusted(queryHash, () => print(document))) throw notInList();
        },
      };
    },
  };
  return { apollo: [apollo] };
}

/**
 * Whether a document is trusted, by the SHA-256 of its text as sent (a manifest id, or a text seen
 * before) or else by its printed form: one print per distinct text, bounded.
 */
export function documentTrust(documents: TrustedDocuments): (hash: string, print: () => string) => boolean {
  const verdicts = new Lru<boolean>(4_096);
  return (hash, print) => {
    if (documents.bodies.has(hash)) return true;
    let verdict = verdicts.get(hash);
    if (verdict === undefined) {
      verdict = documents.printed.has(print());
      verdicts.set(hash, verdict);
    }
    return verdict;
  };
}

/** The refusal of an operation that is not in the manifest (HTTP 400 on the POST path). */
export function notInList(): GraphQLError {
  return new GraphQLError('this operation is not in the trusted documents', { extensions: { code: NOT_IN_LIST, http: { status: 400 } } });
}
