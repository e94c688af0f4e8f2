import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayConfig } from './gateway.config';

/**
 * Request-shape limits (graphql-armor): depth, aliases, tokens, cost and directives, checked during
 * validation, before any planning or subgraph fetch. The defaults admit every query this project
 * documents or benchmarks (the dashboard list of 200 cases with its references is far inside them).
 */
export function armor(config: Pick<GatewayConfig, 'limits'>) {
  const { depth, aliases, tokens, cost, directives } = config.limits;
  return new ApolloArmor({
    maxDepth: { n: depth, ignoreIntrospection: true },
    maxAliases: { n: aliases },
    maxTokens: { n: tokens },
    costLimit: { maxCost: cost },
    maxDirectives: { n: directives },
    // Field suggestions ("Did you mean …?") describe the schema to whoever probes it.
    blockFieldSuggestion: { enabled: config.limits.blockSuggestions },
  }).protect();
}

const LIMIT_MESSAGE = /(depth limit|Aliases limit|Token limit|Query Cost limit|Directives limit)/i;

/** graphql-armor reports as validation errors; the contract calls a refused shape LIMIT_EXCEEDED. */
export function limitCode(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!LIMIT_MESSAGE.test(formatted.message)) return formatted;
  return { ...formatted, message: formatted.message.replace(/^Syntax Error: /, ''), extensions: { ...formatted.extensions, code: 'LIMIT_EXCEEDED' } };
}
