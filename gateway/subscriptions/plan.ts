import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
  visit,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { type CaseEventMessage, formatPosition } from '../../platform/case-event-bus';

export type SubscriptionField = 'caseUpdated' | 'caseEvents' | 'requirementUpdated';

interface CaseFilterValue {
  statuses?: string[] | null;
  carrierIds?: string[] | null;
  agentIds?: string[] | null;
  caseManagerIds?: string[] | null;
  submittedFrom?: string | null;
  submittedTo?: string | null;
  open?: boolean | null;
}

/** What the federated query answers, per event, before it is shaped into the subscriber's selection. */
type Answer = Record<string, unknown> | null | undefined;

/**
 * How one subscription is served: which events it wants (a test on the event itself, before any
 * query), the federated query run per event with the subscriber's identity, and how the query's
 * answer becomes the subscription's root value (null: the subscriber may not see it, or it does not
 * match; the event is skipped).
 */
export interface SubscriptionPlan {
  field: SubscriptionField;
  /** The query text (one per subscription, the same for all its events) and its variables but the case id. */
  query: string;
  variables: Record<string, unknown>;
  /** The one case it is about (a caseId argument), when it is: the hub hands it that case's events only. */
  caseId?: string;
  wants(event: CaseEventMessage): boolean;
  rootValue(event: CaseEventMessage, data: Answer): Record<string, unknown> | null;
}

/** Statuses a case is closed in (CaseFilter.open), as the cases subgraph reads them. */
const CLOSED = new Set(['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN']);

/** The variable that carries the event's case id in every per-event query. */
const CASE_ID_VARIABLE = 'bgaEventCaseId';

const selectionSet = (text: string): SelectionSetNode => (parse(text).definitions[0] as OperationDefinitionNode).selectionSet;
const GATE = selectionSet('{ status submittedAt caseManagerId agent { id } carrier { id } }');
const REQUIREMENT_IDS = selectionSet('{ requirements { id } }');

/** `alias: case(id: $bgaEventCaseId) { selection }` */
function caseField(alias: string, selection: SelectionSetNode): FieldNode {
  return {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: alias },
    name: { kind: Kind.NAME, value: 'case' },
    arguments: [
      {
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: 'id' },
        value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: CASE_ID_VARIABLE } },
      },
    ],
    selectionSet: selection,
  };
}

const responseKey = (field: FieldNode) => field.alias?.value ?? field.name.value;

/** The `case` fields of a CaseEventNotice selection (through fragments), merged per response key. */
function noticeCaseFields(set: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): Map<string, SelectionNode[]> {
  const found = new Map<string, SelectionNode[]>();
  const walk = (selections: readonly SelectionNode[]) => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === 'case' && selection.selectionSet) {
          const key = responseKey(selection);
          found.set(key, [...(found.get(key) ?? []), ...selection.selectionSet.selections]);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet.selections);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet.selections);
      }
    }
  };
  walk(set.selections);
  return found;
}

function matchesFilter(filter: CaseFilterValue, gate: Record<string, unknown>): boolean {
  const status = gate.status as string;
  const within = (list: string[] | null | undefined, value: unknown) => !list || list.includes(value as string);
  if (!within(filter.statuses, status)) return false;
  if (!within(filter.carrierIds, (gate.carrier as { id?: string } | null)?.id)) return false;
  if (!within(filter.agentIds, (gate.agent as { id?: string } | null)?.id)) return false;
  if (!within(filter.caseManagerIds, gate.caseManagerId)) return false;
  const submitted = String(gate.submittedAt ?? '').slice(0, 10);
  if (filter.submittedFrom && submitted < filter.submittedFrom) return false;
  if (filter.submittedTo && submitted > filter.submittedTo) return false;
  if (filter.open !== undefined && filter.open !== null && filter.open === CLOSED.has(status)) return false;
  return true;
}

/**
 * The plan of a validated subscription operation (one root field, as validation ensures). The
 * subscriber's own selection is sent as it is (fragments, variables, directives), under a `case(id)`
 * query: the gateway's planner, the subgraphs' scoping and the query limits treat it as any query.
 */
export function planSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variableValues: Record<string, unknown>,
): SubscriptionPlan {
  const operation = getOperationAST(document, operationName);
  const root = operation?.selectionSet.selections[0];
  if (operation?.operation !== 'subscription' || root?.kind !== Kind.FIELD) {
    throw new Error('a subscription operation with one root field is required');
  }
  const field = root.name.value as SubscriptionField;
  const definition = schema.getSubscriptionType()?.getFields()[field];
  if (!definition) throw new Error(`unknown subscription field ${field}`);
  const args = getArgumentValues(definition, root, variableValues) as { caseId?: string | null; filter?: CaseFilterValue | null };
  const key = responseKey(root);
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const own = root.selectionSet!;
  const fields: FieldNode[] =
    field === 'caseUpdated'
      ? [caseField(key, own)]
      : field === 'requirementUpdated'
        ? [caseField('bgaRequirementIds', REQUIREMENT_IDS), caseField(key, { kind: Kind.SELECTION_SET, selections: [requirementsOf(own)] })]
        : [
            caseField('bgaGate', GATE),
            ...[...noticeCaseFields(own, fragments)].map(([k, s]) => caseField(k, { kind: Kind.SELECTION_SET, selections: s })),
          ];
  const query = federatedQuery(operation, fields, fragments);
  const used = new Set(query.variableDefinitions.map((v) => v.variable.name.value));
  const variables = Object.fromEntries(Object.entries(variableValues).filter(([name]) => used.has(name)));
  const caseId = args.caseId ?? undefined;
  const filter = args.filter ?? undefined;
  return {
    field,
    query: query.text,
    variables,
    caseId,
    wants: (event) => (!caseId || event.caseId === caseId) && (field !== 'requirementUpdated' || event.requirementId !== null),
    rootValue(event, data) {
      if (!data) return null;
      if (field === 'caseUpdated') return data[key] ? { [key]: data[key] } : null;
      if (field === 'requirementUpdated') {
        const ids = (data.bgaRequirementIds as { requirements?: { id: string }[] } | null)?.requirements ?? [];
        const index = ids.findIndex((r) => r.id === event.requirementId);
        const requirement = (data[key] as { requirements?: unknown[] } | null)?.requirements?.[index];
        return index >= 0 && requirement ? { [key]: requirement } : null;
      }
      const gate = data.bgaGate as Record<string, unknown> | null;
      if (!gate || (filter && !matchesFilter(filter, gate))) return null;
      const { bgaGate: _gate, ...cases } = data;
      return { [key]: { eventId: formatPosition(event), caseId: event.caseId, event, ...cases } };
    },
  };
}

/** `{ requirements { <own selection> } }` as one field node. */
function requirementsOf(own: SelectionSetNode): FieldNode {
  return { kind: Kind.FIELD, name: { kind: Kind.NAME, value: 'requirements' }, selectionSet: own };
}

/** The query text: the fields, the fragments they use, and the operation's variables they use. */
function federatedQuery(
  operation: OperationDefinitionNode,
  fields: FieldNode[],
  fragments: Map<string, FragmentDefinitionNode>,
): { text: string; variableDefinitions: VariableDefinitionNode[] } {
  const caseIdDefinition: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: CASE_ID_VARIABLE } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  };
  const name = operation.name ? `${operation.name.value}Event` : 'SubscriptionEvent';
  return derivedQuery(name, operation, fields, fragments, [caseIdDefinition]);
}

/**
 * A query the gateway runs for a subscription: `fields` (from the subscriber's operation) at its root,
 * the fragments they use, the operation's variables they use, and the gateway's own variables (`ours`,
 * first; an operation variable of the same name is theirs). Returns the text and the operation's
 * variable definitions kept.
 */
export function derivedQuery(
  name: string,
  operation: OperationDefinitionNode,
  fields: FieldNode[],
  fragments: Map<string, FragmentDefinitionNode>,
  ours: VariableDefinitionNode[],
): { text: string; variableDefinitions: VariableDefinitionNode[] } {
  const usedFragments = new Map<string, FragmentDefinitionNode>();
  const usedVariables = new Set<string>();
  const scan = (node: FieldNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const fragment = fragments.get(spread.name.value);
        if (fragment && !usedFragments.has(fragment.name.value)) {
          usedFragments.set(fragment.name.value, fragment);
          scan(fragment);
        }
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  for (const field of fields) scan(field);
  for (const own of ours) usedVariables.delete(own.variable.name.value);
  const variableDefinitions = (operation.variableDefinitions ?? []).filter((v) => usedVariables.has(v.variable.name.value));
  const document: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as never,
        name: { kind: Kind.NAME, value: name },
        variableDefinitions: [...ours, ...variableDefinitions],
        selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
      },
      ...usedFragments.values(),
    ],
  };
  return { text: print(document), variableDefinitions };
}

export const CASE_ID_VARIABLE_NAME = CASE_ID_VARIABLE;
