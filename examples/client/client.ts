/**
 * A tiny typed GraphQL client: send any example operation (a TypedDocumentNode of generated.ts) and
 * get its result typed, or an error carrying the GraphQL error codes. Front ends do the same with
 * their own client (urql, Apollo Client, graphql-request all take TypedDocumentNode).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

export class GraphqlRequestError extends Error {
  constructor(
    readonly status: number,
    readonly codes: string[],
    message: string,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** The gateway's /graphql, e.g. http://localhost:4000/graphql. */
  url: string;
  /** A bearer token (npm run token -- --role staff); none for public data. */
  token?: string;
}

export async function request<TResult, TVariables extends Record<string, unknown>>(
  options: ClientOptions,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const response = await fetch(options.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as { data?: TResult | null; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length || !body.data) {
    const codes = (body.errors ?? []).map((error) => String(error.extensions?.code ?? 'UNKNOWN'));
    throw new GraphqlRequestError(
      response.status,
      codes,
      body.errors?.map((error) => error.message).join('; ') ?? `HTTP ${response.status}`,
    );
  }
  return body.data;
}
