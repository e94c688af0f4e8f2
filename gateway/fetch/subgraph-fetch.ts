import type { GatewayGraphQLRequest, GatewayGraphQLRequestContext, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { OperationTypeNode } from 'graphql';
import type { GatewayContext } from '../gateway.context';

/**
 * The subgraph fetch path's two kinds of steps, and what they pass each other. A step may answer a
 * fetch itself, change it, or hand it to the next step; `composeFetch` and `composeWire` chain them
 * in the order given (gateway/pipeline.ts lists them, top to bottom).
 *
 * A fetch step works on the GraphQL request and response (each caller gets response objects of its
 * own: gateway-js merges later fetches into them). A wire step works on the bytes one fetch sends and
 * receives, which callers may share; the exchange between the two levels is graphql-exchange.ts.
 */
export interface SubgraphFetch {
  readonly subgraph: string;
  readonly url: string;
  /**
   * What the fetch does, from the query plan's own document for it (operation-kind.ts), never from
   * its text. Only a query may be shared with another caller's, answered from a cache or sent twice:
   * a mutation is sent once, as asked, by every step.
   */
  readonly kind: OperationTypeNode;
  readonly request: GatewayGraphQLRequest;
  /** The client request this fetch is part of; absent for gateway-js's own fetches (health checks). */
  readonly caller?: Caller;
  /** What is sent besides the body: set by the signing step, the one place headers are passed on. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Caller {
  readonly context: GatewayContext;
  /** The client request's state in Apollo Server: its operation and its overall cache policy. */
  readonly incoming: GatewayGraphQLRequestContext<GatewayContext>;
  /** Where in the client's response the fetched fields go ('@' for every item of a list). */
  readonly path?: readonly (string | number)[];
}

export type FetchNext = (fetch: SubgraphFetch) => Promise<GatewayGraphQLResponse>;
export type FetchStep = (fetch: SubgraphFetch, next: FetchNext) => Promise<GatewayGraphQLResponse>;

/** One HTTP exchange with a subgraph: a POST of a JSON body. */
export interface WireRequest {
  readonly url: string;
  /** The fetch's operation kind (SubgraphFetch.kind): only a query's exchange may be shared. */
  readonly kind: OperationTypeNode;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Called by the transport once the exchange can be cut short, with the function that does it (the deadline's). */
  readonly onAbortable?: (abort: (reason: Error) => void) => void;
}

/** An answer as received: its text is parsed by each caller (graphql-exchange.ts), never shared parsed. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
}

export type WireNext = (request: WireRequest) => Promise<WireResponse>;
export type WireStep = (request: WireRequest, next: WireNext) => Promise<WireResponse>;

/** Steps chained in order, ending at `last`: the first step is the first to see a fetch. */
export function composeFetch(steps: readonly FetchStep[], last: FetchNext): FetchNext {
  return steps.reduceRight<FetchNext>((next, step) => (fetch) => step(fetch, next), last);
}

/** Wire steps chained in order, ending at the transport. */
export function composeWire(steps: readonly WireStep[], last: WireNext): WireNext {
  return steps.reduceRight<WireNext>((next, step) => (request) => step(request, next), last);
}
