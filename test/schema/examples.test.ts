/**
 * examples/operations/: one named operation per file (`<Name>.graphql`, its variables in
 * `<Name>.json`), each valid against the public schema (schema/api.graphql) with its variables
 * accepted as the gateway would coerce them, and an example for every root field README names.
 * (The typed client's types, examples/client/generated.ts, are generated from these by `npm run
 * compose`; compose:check fails when they drift, and tsc compiles the client against them.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getVariableValues, Kind, type OperationDefinitionNode, parse, validate } from 'graphql';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'examples/operations');
const schema = buildSchema(readFileSync(join(ROOT, 'schema/api.graphql'), 'utf8'));
const files = readdirSync(DIR);
const operations = files.filter((file) => file.endsWith('.graphql')).map((file) => file.slice(0, -'.graphql'.length));

function operationOf(name: string): OperationDefinitionNode {
  const document = parse(readFileSync(join(DIR, `${name}.graphql`), 'utf8'));
  const definitions = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  expect(definitions).toHaveLength(1);
  return definitions[0];
}

describe('examples/operations', () => {
  it('has examples, and every variables file belongs to one', () => {
    expect(operations.length).toBeGreaterThan(20);
    for (const file of files.filter((f) => !f.endsWith('.graphql')))
      expect([file, operations.includes(file.replace(/\.json$/, ''))]).toEqual([file, true]);
  });

  it.each(operations)('%s is one operation named for its file, valid against schema/api.graphql', (name) => {
    const operation = operationOf(name);
    expect(operation.name?.value).toBe(name);
    const errors = validate(schema, parse(readFileSync(join(DIR, `${name}.graphql`), 'utf8')));
    expect(errors.map((e) => e.message)).toEqual([]);
  });

  it.each(operations)("%s's variables are accepted by its variable definitions", (name) => {
    const operation = operationOf(name);
    const definitions = operation.variableDefinitions ?? [];
    const hasFile = files.includes(`${name}.json`);
    expect([name, hasFile]).toEqual([name, definitions.length > 0]);
    if (!hasFile) return;
    const inputs = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Record<string, unknown>;
    const declared = definitions.map((d) => d.variable.name.value);
    expect(Object.keys(inputs).filter((key) => !declared.includes(key))).toEqual([]);
    const coerced = getVariableValues(schema, definitions, inputs);
    expect(coerced.errors?.map((e) => e.message)).toBeUndefined();
  });

  it('covers every query and mutation README names', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const roots = [schema.getQueryType()!, schema.getMutationType()!].flatMap((type) => Object.keys(type.getFields()));
    // Named in code spans: `compareQuotes`, `startApplication(input: ...)`, `requirementsWorklist(filter: ...)`.
    const named = roots.filter((field) => new RegExp(`\`${field}[\`(]`).test(readme) || new RegExp(`\\{ ?${field}[ (]`).test(readme));
    expect(named.length).toBeGreaterThan(10);
    const used = new Set<string>();
    for (const name of operations) {
      const operation = operationOf(name);
      for (const selection of operation.selectionSet.selections) if (selection.kind === Kind.FIELD) used.add(selection.name.value);
    }
    expect(named.filter((field) => !used.has(field))).toEqual([]);
  });
});
