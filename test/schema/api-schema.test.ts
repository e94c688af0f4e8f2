/**
 * schema/api.graphql, the public schema front ends generate types from: what the gateway serves,
 * without federation's machinery or the @inaccessible internal fields, every element described,
 * and in step with the code (npm run compose writes it; compose:check fails on drift).
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildSchema,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  Kind,
  parse,
  visit,
} from 'graphql';
import { composeSupergraph } from '../../scripts/compose';

const ROOT = join(__dirname, '..', '..');
const apiText = readFileSync(join(ROOT, 'schema/api.graphql'), 'utf8');
const api = buildSchema(apiText);

/** Schema coordinates (Type.field, Type.field(arg), Enum.VALUE, Type) marked @inaccessible in the supergraph. */
function inaccessibleCoordinates(supergraph: string): string[] {
  const out: string[] = [];
  const marked = (node: { directives?: readonly { name: { value: string } }[] }) =>
    node.directives?.some((d) => d.name.value === 'inaccessible');
  const typeKinds = [
    Kind.OBJECT_TYPE_DEFINITION,
    Kind.INTERFACE_TYPE_DEFINITION,
    Kind.INPUT_OBJECT_TYPE_DEFINITION,
    Kind.ENUM_TYPE_DEFINITION,
  ];
  for (const definition of parse(supergraph).definitions) {
    if (!typeKinds.includes(definition.kind as (typeof typeKinds)[number])) continue;
    const type = definition as {
      name: { value: string };
      directives?: [];
      fields?: { name: { value: string }; directives?: []; arguments?: { name: { value: string }; directives?: [] }[] }[];
      values?: { name: { value: string }; directives?: [] }[];
    };
    if (marked(type)) out.push(type.name.value);
    for (const field of type.fields ?? []) {
      if (marked(field)) out.push(`${type.name.value}.${field.name.value}`);
      for (const arg of field.arguments ?? []) if (marked(arg)) out.push(`${type.name.value}.${field.name.value}(${arg.name.value})`);
    }
    for (const value of type.values ?? []) if (marked(value)) out.push(`${type.name.value}.${value.name.value}`);
  }
  return out;
}

function hasCoordinate(coordinate: string): boolean {
  const [, typeName, member, arg] = /^(\w+)(?:\.(\w+)(?:\((\w+)\))?)?$/.exec(coordinate)!;
  const type = api.getType(typeName);
  if (!type || !member) return Boolean(type);
  if (isEnumType(type)) return Boolean(type.getValue(member));
  if (!(isObjectType(type) || isInterfaceType(type) || isInputObjectType(type))) return false;
  const field = type.getFields()[member];
  if (!field || !arg) return Boolean(field);
  return 'args' in field && field.args.some((a) => a.name === arg);
}

const described = (element: { description?: string | null }) => (element.description ?? '').trim().length > 0;

/** Every type, field, argument, input field and enum value of the public schema without a description. */
function undescribed(types: readonly GraphQLNamedType[]): string[] {
  const out: string[] = [];
  for (const type of types) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!['Query', 'Mutation', 'Subscription'].includes(type.name) && !described(type)) out.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!described(field)) out.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (!described(arg)) out.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (!described(field)) out.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (!described(value)) out.push(`${type.name}.${value.name}`);
    }
  }
  return out;
}

describe('schema/api.graphql', () => {
  it('is what the code composes (run `npm run compose` and commit schema/ when this fails)', async () => {
    const { api: composed } = await composeSupergraph();
    expect(apiText).toBe(composed);
  });

  it("has none of federation's machinery", () => {
    const query = api.getQueryType()!.getFields();
    expect(query._entities).toBeUndefined();
    expect(query._service).toBeUndefined();
    for (const name of ['_Entity', '_Service', '_Any', 'join__Graph', 'join__FieldSet', 'link__Import', 'link__Purpose'])
      expect([name, api.getType(name)]).toEqual([name, undefined]);
    const directives: string[] = [];
    visit(parse(apiText), { Directive: (node) => void directives.push(node.name.value) });
    // Only the standard directives are applied (@deprecated, @specifiedBy, @oneOf); no @join__*, @link, @inaccessible, @key.
    expect([...new Set(directives)].filter((name) => !['deprecated', 'specifiedBy', 'oneOf'].includes(name))).toEqual([]);
    expect(api.getDirectives().map((d) => d.name)).not.toEqual(expect.arrayContaining(['inaccessible']));
  });

  it('has none of the @inaccessible internal fields of the supergraph', () => {
    const internal = inaccessibleCoordinates(readFileSync(join(ROOT, 'schema/supergraph.graphql'), 'utf8'));
    expect(internal).toEqual(expect.arrayContaining(['Query.agentScope']));
    expect(internal.filter(hasCoordinate)).toEqual([]);
  });

  it('describes every type, field, argument, input field and enum value', () => {
    expect(undescribed(Object.values(api.getTypeMap()))).toEqual([]);
  });
});
