import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { coerceInputValue, GraphQLError, isInputType, typeFromAST, type GraphQLFormattedError, type ParseOptions } from 'graphql';
import type { GatewayConfig } from '../gateway.config';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * Request-shape limits (graphql-armor): depth, aliases, tokens, cost and directives, checked during
 * validation, before any planning or subgraph fetch. The defaults admit every query this project
 * documents or benchmarks (the dashboard list of 200 cases with its references is far inside them).
 *
 * The token limit is graphql-js's own (parseOptions.maxTokens), not graphql-armor's plugin: that one
 * parses the document a second time in a plugin hook, outside Apollo's handling of syntax errors,
 * so every malformed document (and every token flood) was answered 500.
 */
export function armor(config: Pick<GatewayConfig, 'limits'>) {
  const { depth, aliases, tokens, cost, directives } = config.limits;
  const protection = new ApolloArmor({
    maxDepth: { n: depth, ignoreIntrospection: true },
    maxAliases: { n: aliases },
    maxTokens: { enabled: false },
    costLimit: { maxCost: cost },
    maxDirectives: { n: directives },
    // Field suggestions ("Did you mean …?") describe the schema to whoever probes it.
    blockFieldSuggestion: { enabled: config.limits.blockSuggestions },
  }).protect();
  const parseOptions: ParseOptions = { maxTokens: tokens };
  return { ...protection, plugins: [...protection.plugins, operationChecks], parseOptions };
}

/** Errors in the variables past which a request is refused without listing them. */
export const MAX_VARIABLE_ERRORS = 20;

/**
 * Variables smaller than this (values plus string lengths) are not pre-counted: the most errors they
 * can make, each printing them whole, is a few hundred KB of messages, not gigabytes.
 */
const SMALL_VARIABLES = 256;

/** Whether a JSON value has fewer than `budget` values and characters of strings, without walking past it. */
function smallerThan(value: unknown, budget: number): boolean {
  let left = budget;
  const walk = (v: unknown): boolean => {
    left -= typeof v === 'string' ? 1 + v.length : 1;
    if (left <= 0) return false;
    if (Array.isArray(v)) return v.every(walk);
    if (v !== null && typeof v === 'object') return Object.entries(v).every(([key, item]) => (left -= key.length) > 0 && walk(item));
    return true;
  };
  return walk(value);
}

/**
 * Checks of the resolved operation, before planning (one plugin: every hook is a promise per request):
 *
 * - An operationName that names no operation of the document (or none where the document has
 *   several): Apollo leaves the operation unresolved and hands the document to the gateway's executor
 *   anyway, which throws, and the client got a 500. Refused here as the malformed request it is. The
 *   name is not repeated back.
 * - The gateway coerces the variables without graphql-js's error limit, and each error's message
 *   prints the whole offending value: an input object with 20,000 unknown keys made 20,000 errors of
 *   700 KB each, gigabytes in quadratic time, and one request of 600 KB took the process down (found
 *   by the gateway fuzz suite). Unless the variables are small, they are counted here first, cheaply
 *   (no message is built), and refused past MAX_VARIABLE_ERRORS; below that the gateway reports each
 *   error as before.
 */
export const operationChecks: ApolloServerPlugin<BaseContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ operation, request, schema }) {
        if (!operation) {
          const message =
            request.operationName != null
              ? 'operationName names no operation of the document'
              : 'the document has several operations: operationName must name one';
          throw new GraphQLError(message, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } });
        }
        const definitions = operation.variableDefinitions;
        if (!definitions?.length) return;
        const values = request.variables ?? {};
        if (smallerThan(values, SMALL_VARIABLES)) return;
        const tooMany = new Error('too many variable errors');
        let errors = 0;
        try {
          for (const definition of definitions) {
            const type = typeFromAST(schema, definition.type);
            const name = definition.variable.name.value;
            if (!type || !isInputType(type) || !Object.hasOwn(values, name)) continue;
            coerceInputValue(values[name], type, () => {
              if (++errors > MAX_VARIABLE_ERRORS) throw tooMany;
            });
          }
        } catch (error) {
          if (error !== tooMany) throw error;
          throw new GraphQLError(`the variables have more than ${MAX_VARIABLE_ERRORS} errors`, {
            extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
          });
        }
      },
    };
  },
};

const LIMIT_MESSAGE =
  /(depth limit|Aliases limit|Token limit|Query Cost limit|Directives limit|Document contains more th(?:at|an) \d+ tokens)/i;
const TOKENS_MESSAGE = /^(?:Syntax Error: )?Document contains more th(?:at|an) (\d+) tokens\. Parsing aborted\.[\s\S]*$/;

/**
 * graphql-armor reports as validation errors, the parser's token limit as a syntax error; the
 * contract calls a refused shape LIMIT_EXCEEDED. Other syntax errors are GRAPHQL_VALIDATION_FAILED:
 * the contract has one code for a malformed document (Apollo would say GRAPHQL_PARSE_FAILED).
 */
export function limitCode(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!LIMIT_MESSAGE.test(formatted.message)) {
    if (formatted.extensions?.code !== 'GRAPHQL_PARSE_FAILED') return formatted;
    return { ...formatted, extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' } };
  }
  const message = formatted.message.replace(TOKENS_MESSAGE, 'Token limit of $1 exceeded.').replace(/^Syntax Error: /, '');
  return { ...formatted, message, extensions: { ...formatted.extensions, code: 'LIMIT_EXCEEDED' } };
}

/**
 * The limits plugin: the request-shape limits (armor) during parsing and validation, the operation
 * checks once the operation is resolved, and the contract's LIMIT_EXCEEDED for what they refuse.
 */
export function limits(config: Pick<GatewayConfig, 'limits'>): GatewayPlugin {
  const { validationRules, parseOptions, plugins } = armor(config);
  return { server: { validationRules, parseOptions }, apollo: plugins, formatError: limitCode };
}
