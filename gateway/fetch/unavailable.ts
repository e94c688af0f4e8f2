import { GraphQLError } from 'graphql';
import type { FetchStep } from './subgraph-fetch';

/**
 * A subgraph that cannot be reached (refused, reset, timed out, an answer that is not JSON) is
 * SERVICE_UNAVAILABLE naming it, with the path of the fields it would have filled: the rest of the
 * response still arrives. A GraphQLError (a subgraph's own non-2xx answer) passes as it is.
 */
export const unavailable: FetchStep = async (fetch, next) => {
  try {
    return await next(fetch);
  } catch (error) {
    if (error instanceof GraphQLError) throw error;
    // The planner writes list positions as '@': point at the first item, which stands for all.
    const at = fetch.caller?.path;
    const path = at?.length ? at.map((key) => (key === '@' ? 0 : key)) : undefined;
    throw new GraphQLError(`the ${fetch.subgraph} service is unavailable`, {
      path,
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: fetch.subgraph },
    });
  }
};
