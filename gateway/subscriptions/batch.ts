import {
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLError,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type VariableDefinitionNode,
  visit,
} from 'graphql';
import type { Identity } from '../../platform/identity';
import { Lru } from '../lru';
import type { RunQuery } from './quote-comparison';

/** The most events one batched operation resolves: its document has this many copies of the root fields. */
export const MAX_BATCH = 64;

interface Waiting {
  caseId: string;
  resolve(result: ExecutionResult): void;
  reject(error: unknown): void;
}

interface Batch {
  query: string;
  variables: Record<string, unknown>;
  identity: Identity;
  waiting: Waiting[];
}

/**
 * Case events resolved together (docs/architecture.md, "Subscriptions"): the per-event queries that
 * arrive in the same turn of the event loop with the same text, the same variables but the case id,
 * and the same identity — many subscribers of one selection, as a dashboard's users are — run as one
 * operation. Its document repeats the query's root fields once per event, under aliases (`b0_<key>`,
 * `b1_<key>`, …), each with a case id variable of its own; its answer is split back into one answer
 * per event, errors by their path. One federated operation, one fetch per subgraph, and the cases
 * subgraph's loader reads every case in one statement, instead of all of that per event. Scope is
 * unchanged: the identity is part of what must be equal, and each copy is answered as it would be alone.
 */
export function batchedCaseRun(run: RunQuery, caseIdVariable: string, maxBatch = MAX_BATCH) {
  const open = new Map<string, Batch>();
  const documents = new Lru<{ text: string; keys: string[] }>(256);
  // Per query text, the most copies one operation may hold: the gateway's own limits (aliases, tokens,
  // cost) refuse a document with too many, and a refused batch is halved and remembered here.
  const caps = new Lru<number>(1_024);
  const capOf = (query: string) => caps.get(query) ?? maxBatch;

  const flush = (key: string) => {
    const batch = open.get(key);
    if (!batch) return;
    open.delete(key);
    void runBatch(batch);
  };

  const runBatch = async (batch: Batch): Promise<void> => {
    const { query, variables, identity, waiting } = batch;
    if (waiting.length === 1) {
      const [only] = waiting;
      await run(query, { ...variables, [caseIdVariable]: only.caseId }, identity).then(only.resolve, only.reject);
      return;
    }
    let answer: ExecutionResult;
    let document: { text: string; keys: string[] } | undefined;
    try {
      const cacheKey = `${waiting.length}\0${query}`;
      document = documents.get(cacheKey);
      if (!document) {
        document = repeatRootFields(query, caseIdVariable, waiting.length);
        documents.set(cacheKey, document);
      }
      const batchVariables: Record<string, unknown> = { ...variables };
      waiting.forEach((w, i) => {
        batchVariables[`${caseIdVariable}_${i}`] = w.caseId;
      });
      answer = await run(document.text, batchVariables, identity);
    } catch (error) {
      for (const w of waiting) w.reject(error);
      return;
    }
    if (answer.data == null) {
      // Refused as a whole (the copies together passed a limit one alone does not): halve it, and
      // never send this many again. One copy alone gets the answer its event would get by itself.
      const half = Math.ceil(waiting.length / 2);
      caps.set(query, Math.min(capOf(query), half));
      await Promise.all([runBatch({ ...batch, waiting: waiting.slice(0, half) }), runBatch({ ...batch, waiting: waiting.slice(half) })]);
      return;
    }
    for (const [i, w] of waiting.entries()) w.resolve(splitAnswer(answer, document.keys, i));
  };

  /** The query's answer for this case, as `run(query, { ...variables, [caseIdVariable]: caseId }, identity)` would give it. */
  return (query: string, variables: Record<string, unknown>, identity: Identity, caseId: string): Promise<ExecutionResult> =>
    new Promise((resolve, reject) => {
      const key = `${query}\0${JSON.stringify(variables)}\0${JSON.stringify(identity)}`;
      let batch = open.get(key);
      if (!batch) {
        batch = { query, variables, identity, waiting: [] };
        open.set(key, batch);
        setImmediate(() => flush(key));
      }
      batch.waiting.push({ caseId, resolve, reject });
      if (batch.waiting.length >= capOf(query)) flush(key);
    });
}

/** The query with its root fields repeated `count` times: `b<i>_<response key>`, the case id variable `$<name>_<i>`. */
export function repeatRootFields(query: string, caseIdVariable: string, count: number): { text: string; keys: string[] } {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error('a batched query needs an operation');
  const fields = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  if (fields.length !== operation.selectionSet.selections.length) throw new Error('a batched query has only fields at its root');
  const keys = fields.map((field) => field.alias?.value ?? field.name.value);
  const caseIdDefinition = operation.variableDefinitions?.find((v) => v.variable.name.value === caseIdVariable);
  if (!caseIdDefinition) throw new Error(`a batched query declares $${caseIdVariable}`);
  const others = (operation.variableDefinitions ?? []).filter((v) => v !== caseIdDefinition);
  const variableDefinitions: VariableDefinitionNode[] = [...others];
  const selections: FieldNode[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${caseIdVariable}_${i}`;
    variableDefinitions.push({ ...caseIdDefinition, variable: { ...caseIdDefinition.variable, name: { kind: Kind.NAME, value: name } } });
    fields.forEach((field, f) => {
      const renamed = visit(field, {
        Variable: (variable) =>
          variable.name.value === caseIdVariable ? { ...variable, name: { kind: Kind.NAME, value: name } } : undefined,
      });
      selections.push({ ...renamed, alias: { kind: Kind.NAME, value: `b${i}_${keys[f]}` } });
    });
  }
  const batched: DocumentNode = {
    ...document,
    definitions: document.definitions.map((d) =>
      d === operation ? { ...operation, variableDefinitions, selectionSet: { ...operation.selectionSet, selections } } : d,
    ),
  };
  return { text: print(batched), keys };
}

/** The batched answer's part for event `i`: its copies of the root fields under their own keys, and its errors. */
export function splitAnswer(answer: ExecutionResult, keys: string[], i: number): ExecutionResult {
  const prefix = `b${i}_`;
  const data = answer.data
    ? Object.fromEntries(keys.map((key) => [key, (answer.data as Record<string, unknown>)[prefix + key] ?? null]))
    : answer.data;
  const errors = (answer.errors ?? []).flatMap((error) => {
    const head = error.path?.[0];
    if (typeof head !== 'string' || !/^b\d+_/.test(head)) return [error]; // not of one copy: every event's
    if (!head.startsWith(prefix)) return [];
    const path = [head.slice(prefix.length), ...error.path!.slice(1)];
    // The federated path answers formatted errors (plain objects): the copy keeps every field but its
    // path (its own) and locations (in the batched document, which no one sent).
    const { locations: _locations, ...rest } = error as unknown as Record<string, unknown>;
    return [{ ...rest, path } as unknown as GraphQLError];
  });
  return { ...(answer.data !== undefined ? { data } : {}), ...(errors.length ? { errors: errors as GraphQLError[] } : {}) };
}
