/**
 * The dashboard's only way to its data: POST /graphql with the signed-in token, sending the example
 * operations (examples/operations/Dashboard*.graphql, the same text the trusted documents' manifest
 * holds), which the gateway serves beside the page. Every failure becomes a GraphError carrying the
 * error's `extensions.code`, as the README's error table says a front end should decide by.
 */

/** A failed request, by the code the gateway answered (or NETWORK_ERROR / BAD_RESPONSE when it gave none). */
export class GraphError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

interface GraphqlBody<T> {
  data?: T | null;
  errors?: { message?: string; extensions?: { code?: string } }[];
}

const documents = new Map<string, Promise<string>>();

/** The operation's text, fetched once from the gateway (examples/operations/<name>.graphql). */
function documentOf(name: string): Promise<string> {
  let text = documents.get(name);
  if (!text) {
    text = fetch(`/dashboard/operations/${name}.graphql`).then(async (response) => {
      if (!response.ok) throw new GraphError('BAD_RESPONSE', `the operation ${name} could not be loaded (HTTP ${response.status})`);
      return response.text();
    });
    text.catch(() => documents.delete(name));
    documents.set(name, text);
  }
  return text;
}

/** Runs the named example operation with the token; the data, or a GraphError with the first error's code. */
export async function runOperation<T>(name: string, variables: Record<string, unknown>, token: string): Promise<T> {
  const query = await documentOf(name);
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ operationName: name, query, variables }),
    });
  } catch {
    throw new GraphError('NETWORK_ERROR', 'the gateway could not be reached');
  }
  let body: GraphqlBody<T>;
  try {
    body = (await response.json()) as GraphqlBody<T>;
  } catch {
    throw new GraphError('BAD_RESPONSE', `the gateway answered HTTP ${response.status} without a GraphQL body`, response.status);
  }
  const first = body.errors?.[0];
  // A partial answer is shown as an error: a dashboard figure with a hole in it would mislead.
  if (first) throw new GraphError(first.extensions?.code ?? 'UNKNOWN', first.message ?? 'request failed', response.status);
  if (!body.data) throw new GraphError('BAD_RESPONSE', `the gateway answered HTTP ${response.status} without data`, response.status);
  return body.data;
}
