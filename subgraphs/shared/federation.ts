import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

/** The resolver map @apollo/subgraph takes, from its public signature (the type itself is not exported). */
type SubgraphResolvers = Extract<Parameters<typeof buildSubgraphSchema>[0], { resolvers?: unknown }>['resolvers'] & object;

export type ReferenceResolvers = Record<string, { __resolveReference: (reference: never, context: never) => unknown }>;

/**
 * type-graphql classes in, a Federation 2 subgraph schema out (type-graphql's federation recipe):
 * build with type-graphql, print with the directives kept, and hand SDL + resolvers to
 * @apollo/subgraph, adding each entity's __resolveReference.
 */
export async function buildFederatedSchema(
  options: Omit<BuildSchemaOptions, 'skipCheck'>,
  referenceResolvers: ReferenceResolvers = {},
): Promise<GraphQLSchema> {
  const schema = await buildSchema({ ...options, skipCheck: true, validate: false });
  const resolvers = createResolversMap(schema) as SubgraphResolvers;
  for (const [typeName, reference] of Object.entries(referenceResolvers)) {
    resolvers[typeName] = { ...(resolvers[typeName] as object), ...reference } as never;
  }
  return buildSubgraphSchema({
    typeDefs: gql(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`),
    resolvers,
  });
}
