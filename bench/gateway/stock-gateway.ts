/**
 * The stock peer of `npm run bench:gateway`: @apollo/gateway inside @apollo/server with its defaults,
 * no plugins, no cache settings, startStandaloneServer. The only addition is what any deployment
 * over our subgraphs needs: the bench's fixed signed identity headers on every subgraph request
 * (the subgraphs refuse unsigned calls).
 *
 * Env: SUPERGRAPH_PATH (subgraph URLs already rewritten by the bench), PORT, HOST,
 * BENCH_IDENTITY_HEADERS (a JSON object of header name to value).
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

async function main(): Promise<void> {
  const headers = JSON.parse(process.env.BENCH_IDENTITY_HEADERS ?? '{}') as Record<string, string>;
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? 'schema/supergraph.graphql', 'utf8'),
    buildService: ({ url }) =>
      new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          for (const [name, value] of Object.entries(headers)) request.http?.headers.set(name, value);
        },
      }),
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT ?? 4000), host: process.env.HOST ?? '127.0.0.1' },
  });
  console.log(`listening ${url}`);
  const stop = () => void server.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
