/**
 * Writes schema/subgraphs/<name>.graphql, schema/supergraph.graphql and schema/api.graphql from the
 * code (and the typed example client's types, examples/client/generated.ts, from api.graphql, and the
 * trusted documents' manifest, schema/trusted-documents.json, from examples/operations), with @apollo/composition (no rover). `--check` writes nothing and fails when the files
 * differ: CI runs it so the committed supergraph and public schema never drift from the subgraphs.
 *
 * schema/api.graphql is the public API as clients see it through the gateway: the supergraph's API
 * schema (what the gateway serves and introspection shows), without federation's machinery
 * (`_entities`, `_service`, join and link directives) or the `@inaccessible` internal fields.
 * Front ends generate types from it, examples/ are validated against it, and `npm run
 * schema:contract` compares it with schema/baseline/api.graphql for breaking changes.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse, printSchema } from 'graphql';
import { SUBGRAPHS } from '../subgraphs/registry';
import { withSubscriptions } from '../gateway/subscriptions/schema';
import { buildManifest, printManifest, TRUSTED_DOCUMENTS_PATH } from './trusted-documents';

const ROOT = process.cwd(); // npm scripts run at the package root

/** The URL written into the supergraph: the production default; the gateway overrides it per environment. */
const DEFAULT_PORTS: Record<string, number> = { agents: 4001, cases: 4002, carriers: 4003 };

export async function composeSupergraph(): Promise<{ subgraphs: Record<string, string>; supergraph: string; api: string }> {
  const subgraphs: Record<string, string> = {};
  for (const definition of SUBGRAPHS) subgraphs[definition.name] = printSubgraphSchema(await definition.buildSchema());
  const result = composeServices(
    Object.entries(subgraphs).map(([name, sdl]) => ({
      name,
      url: `http://localhost:${DEFAULT_PORTS[name]}/graphql`,
      typeDefs: parse(sdl),
    })),
  );
  if (result.errors) throw new Error(`composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  // The gateway's own Subscription root (gateway/subscriptions/schema.ts) is part of the public API.
  const api = `${printSchema(withSubscriptions(result.schema.toAPISchema().toGraphQLJSSchema())).trim()}\n`;
  return { subgraphs, supergraph: result.supergraphSdl, api };
}

async function main() {
  const check = process.argv.includes('--check');
  const { subgraphs, supergraph, api } = await composeSupergraph();
  const files: Record<string, string> = { 'schema/supergraph.graphql': supergraph, 'schema/api.graphql': api };
  // The typed example client's types follow the public schema (loaded here only: code generation is a development tool).
  const { EXAMPLE_TYPES_PATH, generateExampleTypes } = require('./example-types') as typeof import('./example-types');
  files[EXAMPLE_TYPES_PATH] = await generateExampleTypes(ROOT, api);
  // The trusted documents' manifest follows the example operations (TRUSTED_DOCUMENTS=required runs only these).
  files[TRUSTED_DOCUMENTS_PATH] = printManifest(buildManifest(ROOT));
  for (const [name, sdl] of Object.entries(subgraphs)) files[`schema/subgraphs/${name}.graphql`] = `${sdl.trim()}\n`;
  const drifted: string[] = [];
  for (const [path, content] of Object.entries(files)) {
    const full = join(ROOT, path);
    let current = '';
    try {
      current = readFileSync(full, 'utf8');
    } catch {
      // missing counts as drift
    }
    if (current === content) continue;
    drifted.push(path);
    if (!check) {
      mkdirSync(join(full, '..'), { recursive: true });
      writeFileSync(full, content);
    }
  }
  if (check && drifted.length) {
    console.error(
      `schema/ or the example types are out of date with the code: ${drifted.join(', ')}. Run \`npm run compose\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log(
    check ? 'schema/ and the example types match the code' : drifted.length ? `wrote ${drifted.join(', ')}` : 'schema/ already up to date',
  );
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
