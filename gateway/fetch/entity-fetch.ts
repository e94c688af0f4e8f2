import { Kind, parse, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionNode } from 'graphql';

/**
 * What an entity fetch is: a planner query of exactly `_entities(representations: $representations)`
 * and nothing else, with the representations as its only variable. Entity batching merges such
 * fetches and the entity cache keeps their entities; every other fetch passes both untouched.
 * Parsed once per query text (a memo of a pure function, bounded).
 */
const parsed = new Map<string, readonly SelectionNode[] | null>();

/** The `_entities` selections of a planner fetch, or null when the fetch is anything else. */
export function entitySelections(query: string, variables: Record<string, unknown> | undefined): readonly SelectionNode[] | null {
  if (!variables || Object.keys(variables).length !== 1 || !Array.isArray(variables.representations)) return null;
  let selections = parsed.get(query);
  if (selections === undefined) {
    selections = null;
    try {
      const document: DocumentNode = parse(query);
      const operation = document.definitions[0] as OperationDefinitionNode;
      const field = operation.selectionSet.selections[0] as FieldNode;
      if (
        document.definitions.length === 1 &&
        operation.kind === Kind.OPERATION_DEFINITION &&
        operation.operation === 'query' &&
        operation.selectionSet.selections.length === 1 &&
        field.kind === Kind.FIELD &&
        field.name.value === '_entities' &&
        !field.alias &&
        field.arguments?.length === 1 &&
        field.arguments[0].value.kind === Kind.VARIABLE &&
        field.arguments[0].value.name.value === 'representations'
      ) {
        selections = field.selectionSet!.selections;
      }
    } catch {
      selections = null;
    }
    if (parsed.size > 5_000) parsed.clear(); // planner queries are few; bound the memo anyway
    parsed.set(query, selections);
  }
  return selections;
}
