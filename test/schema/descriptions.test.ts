/**
 * Front-end teams read the schema in their tools: every type, field, argument, input field and enum
 * value a subgraph defines carries a description (federation's own machinery aside). Every element
 * of the public API comes from some subgraph, so this holds for the public schema too.
 */
import 'reflect-metadata';
import {
  type GraphQLArgument,
  type GraphQLEnumValue,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  isIntrospectionType,
} from 'graphql';
import { SUBGRAPHS } from '../../subgraphs/registry';

/** Federation's own types and fields, which no front end calls and we do not define. */
const MACHINERY = /^(_Service|_Entity|_Any|_FieldSet|FieldSet|link__.*|federation__.*|Query\._entities|Query\._service)$/;
const described = (element: { description?: string | null }) => (element.description ?? '').trim().length > 0;

function missing(types: readonly GraphQLNamedType[]): string[] {
  const out: string[] = [];
  for (const type of types) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type) || MACHINERY.test(type.name)) continue;
    // Root types are named by convention; their fields are what front ends read.
    if (!['Query', 'Mutation', 'Subscription'].includes(type.name) && !described(type)) out.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
        const coordinate = `${type.name}.${field.name}`;
        if (MACHINERY.test(coordinate)) continue;
        if (!described(field)) out.push(coordinate);
        for (const arg of field.args as GraphQLArgument[]) if (!described(arg)) out.push(`${coordinate}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()) as GraphQLInputField[])
        if (!described(field)) out.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues() as GraphQLEnumValue[]) if (!described(value)) out.push(`${type.name}.${value.name}`);
    }
  }
  return out;
}

describe('schema descriptions', () => {
  it.each(SUBGRAPHS.map((s) => [s.name, s] as const))('every element the %s subgraph defines is described', async (_name, subgraph) => {
    const schema = await subgraph.buildSchema();
    expect(missing(Object.values(schema.getTypeMap()))).toEqual([]);
  });
});
