/**
 * The trusted documents' manifest: every example operation (examples/operations/*.graphql, one named
 * operation per file) in Apollo's persisted query manifest format, the one
 * @apollo/generate-persisted-query-manifest writes and GraphOS and the Router read:
 * `{ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id, name, type, body }] }`,
 * where `body` is the operation printed by graphql-js and `id` the hex SHA-256 of `body`. Written by
 * `npm run compose` to schema/trusted-documents.json (schema/ is what the image ships) and
 * drift-checked by `npm run compose:check`. With TRUSTED_DOCUMENTS=required the gateway runs only
 * these (gateway/plugins/trusted-documents.ts).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, type OperationDefinitionNode, parse, print } from 'graphql';
import type { PersistedQueryManifest } from '../gateway/plugins/trusted-documents';

export const TRUSTED_DOCUMENTS_PATH = 'schema/trusted-documents.json';
export const OPERATIONS_DIR = 'examples/operations';

type ManifestOperation = PersistedQueryManifest['operations'][number];

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** One manifest entry per example operation file, sorted by name. */
export function buildManifest(root: string): PersistedQueryManifest {
  const dir = join(root, OPERATIONS_DIR);
  const operations: ManifestOperation[] = [];
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.graphql'))
    .sort()) {
    const document = parse(readFileSync(join(dir, file), 'utf8'));
    const definitions = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    if (definitions.length !== 1 || !definitions[0].name)
      throw new Error(`${OPERATIONS_DIR}/${file}: one named operation per file (found ${definitions.length})`);
    const body = print(document);
    operations.push({ id: sha256(body), name: definitions[0].name.value, type: definitions[0].operation, body });
  }
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

export const printManifest = (manifest: PersistedQueryManifest) => `${JSON.stringify(manifest, null, 2)}\n`;
