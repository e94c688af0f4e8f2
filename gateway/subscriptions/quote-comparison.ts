import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  type FieldNode,
  GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values';
import { todayUtc } from '../../platform/dates';
import type { Identity } from '../../platform/identity';
import type { Logger } from '../../platform/logger';
import { derivedQuery } from './plan';

/**
 * quoteComparison (docs/architecture.md, "Subscriptions", quoteComparison): the carriers'
 * answers one by one as they come. Two public queries of the carriers subgraph run through the
 * gateway's federated path with the subscriber's identity: `quoteCarriers(input)` (the input checked
 * exactly as compareQuotes checks it, and the carriers compareQuotes asks), then per carrier, all at
 * once, `compareQuotesAt(input, carrierId)` with the subscriber's own selection of the outcome, its
 * carrier and its quotes. Each answer is one event as soon as it arrives; a last event says done.
 */

/** One query through the gateway's own federated path, as `identity` (gateway.ts: Apollo Server's executeOperation). */
export type RunQuery = (query: string, variables: Record<string, unknown>, identity: Identity) => Promise<ExecutionResult>;

export const QUOTE_COMPARISON_FIELD = 'quoteComparison';

const INPUT_VARIABLE = 'bgaQuoteInput';
const CARRIER_VARIABLE = 'bgaCarrierId';
const PART = 'bgaPart';

/** The event's fields the federated path answers (the rest — done and the counts — the gateway knows). */
type Resolved = 'carrier' | 'outcome' | 'quotes';

export interface QuoteComparisonPlan {
  /** `quoteCarriers(input: $bgaQuoteInput) { id }`: validation and the carriers to ask. */
  carriersQuery: string;
  /** `compareQuotesAt(input: $bgaQuoteInput, carrierId: $bgaCarrierId) { … the subscriber's selection … }`. */
  carrierQuery: string;
  /** The subscriber's variables the selection uses, and the input (asOf pinned to one day for every carrier). */
  variables: Record<string, unknown>;
  /** The subscription's response key (an alias, or quoteComparison). */
  key: string;
  /** Every field of the event selection by response key, with its field name. */
  fields: Map<string, string>;
}

const name = (value: string) => ({ kind: Kind.NAME, value }) as const;
const variable = (value: string) => ({ kind: Kind.VARIABLE, name: name(value) }) as const;
const field = (fieldName: string, selections: readonly SelectionNode[], alias?: string): FieldNode => ({
  kind: Kind.FIELD,
  ...(alias !== undefined ? { alias: name(alias) } : {}),
  name: name(fieldName),
  selectionSet: { kind: Kind.SELECTION_SET, selections },
});
const responseKey = (node: FieldNode) => node.alias?.value ?? node.name.value;

/** True when the operation's one root field is quoteComparison. */
export function isQuoteComparison(document: DocumentNode, operationName: string | null | undefined): boolean {
  const root = getOperationAST(document, operationName)?.selectionSet.selections[0];
  return root?.kind === Kind.FIELD && root.name.value === QUOTE_COMPARISON_FIELD;
}

/**
 * The plan of a validated quoteComparison operation. The input is the argument as coerced against
 * the schema (a literal or the subscriber's variable), with asOf set to today (UTC) when omitted, as
 * compareQuotes would set it: every carrier is then priced on the same day even across midnight.
 * The input (birth date, health answers) is only ever a variable of these queries: never logged,
 * never part of a key.
 */
export function planQuoteComparison(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variableValues: Record<string, unknown>,
  today = todayUtc(),
): QuoteComparisonPlan {
  const operation = getOperationAST(document, operationName);
  const root = operation?.selectionSet.selections[0];
  const definition = schema.getSubscriptionType()?.getFields()[QUOTE_COMPARISON_FIELD];
  if (!operation || root?.kind !== Kind.FIELD || !root.selectionSet || !definition) {
    throw new Error('a quoteComparison subscription with a selection is required');
  }
  // The subscriber's variables coerced as an operation's are (the transports hand them over raw).
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variableValues);
  if (coerced.errors) throw redacted(coerced.errors[0]);
  let input: Record<string, unknown>;
  try {
    input = { ...(getArgumentValues(definition, root, coerced.coerced).input as Record<string, unknown>) };
  } catch (error) {
    throw redacted(error as GraphQLError);
  }
  input.asOf ??= today;
  const fragments = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  // The event's fields through fragments, by response key; the resolved ones' selections merged per key.
  const fields = new Map<string, string>();
  const selections = new Map<string, { name: Resolved; selections: SelectionNode[] }>();
  const walk = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = responseKey(selection);
        fields.set(key, selection.name.value);
        const fieldName = selection.name.value;
        if ((fieldName === 'carrier' || fieldName === 'outcome' || fieldName === 'quotes') && selection.selectionSet) {
          const merged = selections.get(key) ?? { name: fieldName, selections: [] };
          merged.selections.push(...selection.selectionSet.selections);
          selections.set(key, merged);
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) walk(fragment.selectionSet);
      }
    }
  };
  walk(root.selectionSet);
  // Directives on these fields are applied when the answer is shaped: the query asks for each.
  const asked: FieldNode[] = [field('outcomes', [field('status', [])].map(leaf), 'bgaOutcome')];
  for (const [key, { name: fieldName, selections: merged }] of selections) {
    if (fieldName === 'outcome') asked.push(field('outcomes', merged, key));
    else if (fieldName === 'carrier') asked.push(field('outcomes', [field('carrier', merged)], key));
    else asked.push(field('quotes', merged, key));
  }
  const part: FieldNode = {
    ...field('compareQuotesAt', asked, PART),
    arguments: [
      { kind: Kind.ARGUMENT, name: name('input'), value: variable(INPUT_VARIABLE) },
      { kind: Kind.ARGUMENT, name: name('carrierId'), value: variable(CARRIER_VARIABLE) },
    ],
  };
  const carriers: FieldNode = {
    ...field('quoteCarriers', [leaf(field('id', []))]),
    arguments: [{ kind: Kind.ARGUMENT, name: name('input'), value: variable(INPUT_VARIABLE) }],
  };
  const base = operation.name ? operation.name.value : 'QuoteComparison';
  const carrierQuery = derivedQuery(`${base}Carrier`, operation, [part], fragments, [
    definitionOf(INPUT_VARIABLE, 'QuoteInput'),
    definitionOf(CARRIER_VARIABLE, 'ID'),
  ]);
  const used = new Set(carrierQuery.variableDefinitions.map((v) => v.variable.name.value));
  return {
    carriersQuery: derivedQuery(`${base}Carriers`, operation, [carriers], fragments, [definitionOf(INPUT_VARIABLE, 'QuoteInput')]).text,
    carrierQuery: carrierQuery.text,
    variables: { ...Object.fromEntries(Object.entries(variableValues).filter(([v]) => used.has(v))), [INPUT_VARIABLE]: input },
    key: responseKey(root),
    fields,
  };
}

/**
 * A variable the schema refuses, as BAD_USER_INPUT naming the variable and where in it, never the
 * value (graphql-js's messages repeat it: a birth date or a health answer). Only the shape can be
 * wrong here: the custom scalars pass through, and compareQuotes checks them with its own errors.
 */
function redacted(error: GraphQLError): GraphQLError {
  const message = error.message;
  const missing = /^(Variable "\$[^"]+" of required type "[^"]+" was not provided\.)$/.exec(message)?.[1];
  const invalid =
    /^(Variable "\$[^"]+") got invalid value .*?( at "[^"]+")?; (Field "[^"]+" of required type "[^"]+" was not provided\.|Field "[^"]+" is not defined by type "[^"]+"\.)?/.exec(
      message,
    );
  const said =
    missing ??
    (invalid
      ? `${invalid[1]} got an invalid value${invalid[2] ?? ''}${invalid[3] ? `: ${invalid[3]}` : ''}`
      : "the subscription's input is invalid");
  return new GraphQLError(said, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** A field without a selection set (graphql's printer wants none on a leaf). */
function leaf(node: FieldNode): FieldNode {
  const { selectionSet: _none, ...rest } = node;
  return rest;
}

function definitionOf(variableName: string, type: string): VariableDefinitionNode {
  return {
    kind: Kind.VARIABLE_DEFINITION,
    variable: variable(variableName),
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: name(type) } },
  };
}

/** Reads a field by its response key in data the federated path already resolved, else by its name. */
const byResponseKey: GraphQLFieldResolver<unknown, unknown> = (source, _args, _context, info) => {
  if (source === null || typeof source !== 'object') return null;
  const record = source as Record<string, unknown>;
  const key = info.path.key;
  return typeof key === 'string' && key in record ? record[key] : record[info.fieldName];
};

const coded = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/**
 * The federated path's errors (already formatted: plain objects) as GraphQLErrors, which graphql-ws
 * serializes with toJSON: message, path and extensions (the code) kept; locations, which point into
 * the gateway's own query, left out.
 */
export function asGraphQLErrors(errors: ExecutionResult['errors']): GraphQLError[] {
  return (errors ?? []).map(
    (error) =>
      new GraphQLError(error.message, {
        path: error.path,
        extensions: (error.extensions ?? {}) as Record<string, unknown>,
      }),
  );
}

export interface QuoteComparisonRequest {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues: Record<string, unknown>;
  identity: Identity;
  expiresAt?: number;
}

/**
 * One quoteComparison: every carrier's query starts at once; each answer becomes an event in the
 * order the answers arrive (at most one per carrier, so the queue is bounded by the carriers asked),
 * then the completion event, then the iterator ends. The client closing it early drops what is still
 * out (the carriers' answers still fill the quote cache for the next comparison).
 */
export class QuoteComparisonStream implements AsyncIterableIterator<ExecutionResult> {
  private readonly queue: Promise<ExecutionResult | null>[] = [];
  private wake?: () => void;
  private final?: GraphQLError;
  private done = false;
  private answered = 0;
  private finished = false;

  constructor(
    private readonly options: {
      run: RunQuery;
      logger: Logger;
      plan: QuoteComparisonPlan;
      request: QuoteComparisonRequest;
      carrierIds: string[];
      onDelivered(): void;
      onClose(): void;
    },
  ) {
    const { plan, request, carrierIds, run } = options;
    const parts = carrierIds.map((carrierId) =>
      run(plan.carrierQuery, { ...plan.variables, [CARRIER_VARIABLE]: carrierId }, request.identity).then(
        (answer) => this.enqueue(this.carrierEvent(carrierId, answer, ++this.answered)),
        (error: unknown) => {
          this.answered++;
          options.logger.error({ err: error, carrierId }, 'quoteComparison: the per-carrier query failed');
          this.enqueue(
            Promise.resolve({ errors: [coded('this carrier could not be resolved', 'INTERNAL_SERVER_ERROR')], extensions: { carrierId } }),
          );
        },
      ),
    );
    void Promise.all(parts).then(() => {
      this.enqueue(this.shape({ carrier: null, outcome: null, quotes: [] }, true, carrierIds.length));
      this.finished = true;
      this.wake?.();
    });
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** Case events are not this subscription's. */
  wants(): boolean {
    return false;
  }

  push(): void {}

  private enqueue(event: Promise<ExecutionResult | null>): void {
    if (this.done) return;
    // Delivered in order of arrival: the promise is queued now, its count already fixed.
    this.queue.push(
      event.catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'quoteComparison: an event could not be shaped');
        return { errors: [coded('this event could not be resolved', 'INTERNAL_SERVER_ERROR')] };
      }),
    );
    this.wake?.();
  }

  private carrierEvent(carrierId: string, answer: ExecutionResult, answered: number): Promise<ExecutionResult | null> {
    const part = (answer.data as Record<string, Record<string, unknown> | null> | null | undefined)?.[PART];
    if (!part) {
      return Promise.resolve({
        errors: answer.errors?.length
          ? asGraphQLErrors(answer.errors)
          : [coded('this carrier could not be resolved', 'INTERNAL_SERVER_ERROR')],
        extensions: { carrierId },
      } as ExecutionResult);
    }
    const resolved: Record<Resolved, (key: string) => unknown> = {
      outcome: (key) => (part[key] as unknown[] | null)?.[0] ?? null,
      carrier: (key) => ((part[key] as { carrier?: unknown }[] | null)?.[0]?.carrier ?? null) as unknown,
      quotes: (key) => (part[key] as unknown[] | null) ?? [],
    };
    return this.shape(resolved, false, answered, answer.errors);
  }

  /** The event in the subscriber's selection: every field by its response key. */
  private async shape(
    resolved: Record<Resolved, unknown>,
    done: boolean,
    answered: number,
    errors?: ExecutionResult['errors'],
  ): Promise<ExecutionResult | null> {
    const { plan, request, carrierIds } = this.options;
    const event: Record<string, unknown> = {};
    for (const [key, fieldName] of plan.fields) {
      const value = resolved[fieldName as Resolved];
      if (value !== undefined) event[key] = typeof value === 'function' ? value(key) : value;
      else if (fieldName === 'done') event[key] = done;
      else if (fieldName === 'carriersAnswered') event[key] = answered;
      else if (fieldName === 'carriersAsked') event[key] = carrierIds.length;
    }
    const shaped = await execute({
      schema: request.schema,
      document: request.document,
      operationName: request.operationName,
      variableValues: request.variableValues,
      rootValue: { [plan.key]: event },
      fieldResolver: byResponseKey,
    });
    return errors?.length ? { ...shaped, errors: [...(shaped.errors ?? []), ...asGraphQLErrors(errors)] } : shaped;
  }

  /** Ends the subscription: the error (if any) is its last result. */
  end(error?: GraphQLError): void {
    if (this.done) return;
    this.final = error;
    this.close();
  }

  private close(): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    this.options.onClose();
    this.wake?.();
  }

  async next(): Promise<IteratorResult<ExecutionResult>> {
    for (;;) {
      if (this.done) {
        const final = this.final;
        this.final = undefined;
        return final ? { value: { errors: [final] }, done: false } : { value: undefined, done: true };
      }
      const next = this.queue.shift();
      if (!next) {
        if (this.finished) {
          this.close();
          continue;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      const { expiresAt } = this.options.request;
      if (expiresAt !== undefined && Date.now() >= expiresAt) {
        this.end(coded('token expired', 'UNAUTHENTICATED'));
        continue;
      }
      const result = await next;
      if (this.done) continue;
      if (result) {
        this.options.onDelivered();
        return { value: result, done: false };
      }
    }
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.final = undefined;
    this.close();
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    throw error;
  }
}
