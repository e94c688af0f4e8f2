import type { IncomingMessage } from 'node:http';
import type { ApolloServerOptionsWithGateway, ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { GraphqlAnswer, GraphqlHttpRequest, Route } from '../../platform/http';
import type { GatewayContext } from '../gateway.context';

/** The Apollo Server options a request concern may own. */
export type ServerOptions = Pick<
  ApolloServerOptionsWithGateway<GatewayContext>,
  'validationRules' | 'parseOptions' | 'documentStore' | 'persistedQueries'
>;

/**
 * One request-level concern of the gateway, in the style of Hive Gateway's and Yoga's plugins: an
 * object with the hooks it needs. gateway/pipeline.ts lists the plugins; at every phase of a request
 * their hooks run in the list's order:
 *
 *   onRequest (before the body is read) → onContext (after it) → around (the GraphQL execution,
 *   inside which Apollo Server runs the `apollo` plugins' hooks) → formatError (each error answered).
 *
 * Hooks are called as plain functions (never with the plugin as `this`).
 */
export interface GatewayPlugin {
  /** Before the body is read, for every GraphQL request: may refuse it by throwing an HttpError (the rate limit's 429). */
  onRequest?(req: IncomingMessage): Promise<void> | void;
  /** Fills the request's context once the body is read (the caller's identity); may refuse with an HttpError (401). */
  onContext?(req: IncomingMessage, context: GatewayContext): Promise<void> | void;
  /** Around the GraphQL execution of an authenticated request: may answer without calling `run`, or share one run's answer. */
  around?(request: GraphqlHttpRequest<GatewayContext>, run: () => Promise<GraphqlAnswer>): Promise<GraphqlAnswer>;
  /** Hooks inside Apollo Server's execution (validation, the resolved operation, the response). */
  apollo?: readonly ApolloServerPlugin<GatewayContext>[];
  /** Apollo Server options this concern owns (each option set by one plugin only). */
  server?: ServerOptions;
  /** Rewrites one error of an answer; the plugins' rewrites run in order. */
  formatError?(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** Each time the gateway loads a supergraph: its API schema. */
  onSchema?(apiSchema: GraphQLSchema): void;
  /** Plain HTTP routes beside /graphql (/health, /ready, /metrics). */
  routes?: Readonly<Record<string, Route>>;
  /** A browser's GET /graphql (Accept: text/html, no query): a page instead of GraphQL (the explorer). */
  browserPage?: Route;
}

/** The plugins' hooks, each phase's chained in order: what Apollo Server and the HTTP server are given. */
export interface CombinedPlugins {
  onRequest?: (req: IncomingMessage) => Promise<void> | void;
  onContext: (req: IncomingMessage, context: GatewayContext) => Promise<void>;
  around?: (request: GraphqlHttpRequest<GatewayContext>, run: () => Promise<GraphqlAnswer>) => Promise<GraphqlAnswer>;
  apollo: ApolloServerPlugin<GatewayContext>[];
  server: ServerOptions;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  onSchema: (apiSchema: GraphQLSchema) => void;
  routes: Record<string, Route>;
  browserPage?: Route;
}

/**
 * The hooks of every phase in one function (or none): a phase with one hook calls it directly, so
 * the chain costs a request nothing over calling the concern itself.
 */
export function combinePlugins(plugins: readonly GatewayPlugin[]): CombinedPlugins {
  const onRequest = plugins.flatMap((p) => (p.onRequest ? [p.onRequest] : []));
  const onContext = plugins.flatMap((p) => (p.onContext ? [p.onContext] : []));
  const around = plugins.flatMap((p) => (p.around ? [p.around] : []));
  const formatError = plugins.flatMap((p) => (p.formatError ? [p.formatError] : []));
  const onSchema = plugins.flatMap((p) => (p.onSchema ? [p.onSchema] : []));
  const server: ServerOptions = {};
  const routes: Record<string, Route> = {};
  let browserPage: Route | undefined;
  for (const plugin of plugins) {
    if (plugin.browserPage) {
      if (browserPage) throw new Error('two gateway plugins serve the browser page');
      browserPage = plugin.browserPage;
    }
    for (const [name, value] of Object.entries(plugin.server ?? {}) as [keyof ServerOptions, never][]) {
      if (name in server) throw new Error(`two gateway plugins set Apollo Server's ${name}`);
      server[name] = value;
    }
    for (const [path, route] of Object.entries(plugin.routes ?? {})) {
      if (path in routes) throw new Error(`two gateway plugins serve ${path}`);
      routes[path] = route;
    }
  }
  return {
    onRequest:
      onRequest.length <= 1
        ? onRequest[0]
        : async (req) => {
            for (const hook of onRequest) await hook(req);
          },
    onContext: async (req, context) => {
      for (const hook of onContext) await hook(req, context);
    },
    around: around.reduceRight<CombinedPlugins['around']>(
      (inner, hook) => (inner ? (request, run) => hook(request, () => inner(request, run)) : hook),
      undefined,
    ),
    apollo: plugins.flatMap((p) => p.apollo ?? []),
    server,
    formatError: (formatted, error) => formatError.reduce((current, rewrite) => rewrite(current, error), formatted),
    onSchema: (apiSchema) => {
      for (const hook of onSchema) hook(apiSchema);
    },
    routes,
    browserPage,
  };
}
