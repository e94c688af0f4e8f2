import { isScalarType, type GraphQLSchema } from 'graphql';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../../platform/scalars';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * The supergraph knows our scalars by name only, so the gateway would pass "2025-02-30" on to a
 * subgraph. Giving the API schema the same parse functions as the subgraphs makes a malformed Date
 * in variables BAD_USER_INPUT (and in a literal GRAPHQL_VALIDATION_FAILED) before any fetch.
 */
export function validateCustomScalars(schema: GraphQLSchema): void {
  for (const scalar of [DateScalar, DateTimeScalar, MoneyScalar]) {
    const type = schema.getType(scalar.name);
    if (isScalarType(type)) Object.assign(type, { parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral });
  }
}

/** The custom-scalars plugin: every supergraph the gateway loads gets the subgraphs' scalar checks. */
export function customScalars(): GatewayPlugin {
  return { onSchema: validateCustomScalars };
}
