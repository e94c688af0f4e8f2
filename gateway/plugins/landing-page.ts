import type { ServerResponse } from 'node:http';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GatewayPlugin } from './gateway-plugin';

/**
 * What the explorer's editor shows on a first visit: how to get a development token and where to
 * put it, then a query that needs one. GraphQL comments, so the page explains itself offline.
 */
export const EXPLORER_DEFAULT_QUERY = `# bga-graph explorer (development only; served by the gateway, works offline).
#
# Carriers and products are public: the first query below runs without a token.
# Everything else (agents, cases, applications, requirements) needs a development token:
#
#   1. In a terminal, in the project folder:
#        npm run token -- --role staff        (or --role admin, or --agent agt_0013)
#   2. Open "Headers" at the bottom of this editor and paste:
#        { "authorization": "Bearer <the token printed>" }
#   3. Run CaseList with the ▶ button (or Ctrl-Enter).
#
# Tokens are HS256, signed with JWT_SECRET (the documented development secret unless set), and last
# 12 hours (--hours N to change). An agent token sees its own and its downline's cases only.
# The schema is in the Docs pane (book icon) and in schema/api.graphql; more operations in examples/.

query Carriers {
  carriers {
    id
    name
    amBestRating
  }
}

query CaseList {
  cases(first: 5, filter: { open: true }) {
    totalCount
    edges {
      node {
        caseNumber
        status
        agent { npn lastName }
        carrier { name }
      }
    }
  }
}
`;

/** The explorer page: GraphiQL with every script, style and worker inlined (no CDN), rendered once. */
function explorerPage(): (res: ServerResponse) => void {
  let page: Buffer | undefined;
  return (res) => {
    // Loaded on the first browser visit only: the renderer carries GraphiQL's whole bundle (~9 MB).
    const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as typeof import('@graphql-yoga/render-graphiql');
    page ??= Buffer.from(
      renderGraphiQL({
        title: 'bga-graph explorer',
        endpoint: '/graphql',
        defaultQuery: EXPLORER_DEFAULT_QUERY,
        defaultEditorToolsVisibility: 'headers',
        shouldPersistHeaders: false,
      }),
    );
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length, 'cache-control': 'no-store' });
    res.end(page);
  };
}

/**
 * A browser's GET /graphql: in development the offline explorer (GraphiQL from
 * @graphql-yoga/render-graphiql, which inlines its assets, instead of Apollo's landing page, which
 * loads from a CDN); in production no page at all.
 */
export function landingPage(production: boolean): GatewayPlugin {
  if (production) return { apollo: [ApolloServerPluginLandingPageDisabled()] };
  const serve = explorerPage();
  return { browserPage: (_req, res) => serve(res) };
}
