/**
 * What a simulated carrier's server and its protocol handlers (and the control API) exchange: a
 * buffered request, an answer, and the handler contract. Kept apart from the server so that the
 * handlers and the control API depend on these shapes, not on the server that calls them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { PushBody } from './carrier-push';
import type { StoredApplication } from './carrier-store';
import type { CallKind } from './simulated-carrier';

export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** One protocol, as seen by the server: which kind of call a request is, and how to answer it. */
export interface ProtocolHandler {
  /** The kind of call, for counting and faults; null when the request is none of this protocol's calls. */
  classify(request: SimRequest): CallKind | null;
  /** The answer to a request classify() could not place (default 404); such requests are not counted. */
  unclassified?(request: SimRequest): SimResponse;
  handle(request: SimRequest, kind: CallKind): SimResponse | Promise<SimResponse>;
  /** A 200 answer whose body a client cannot read, in this protocol's content type. */
  malformed(kind: CallKind): SimResponse;
  /** A status notification of this application in this protocol's shape, pushed to the BGA's webhook. */
  notification(application: StoredApplication, eventId: string): PushBody;
}

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body),
});
