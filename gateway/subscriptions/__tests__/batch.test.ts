import { buildSchema, type ExecutionResult, graphql } from 'graphql';
import type { Identity } from '../../../platform/identity';
import { batchedCaseRun, repeatRootFields } from '../batch';

/** A small graph answering case(id) (case_bad throws), executed for real: what the batcher sends is a real document. */
const schema = buildSchema(`
  type Case { id: ID! status: String! note(prefix: String!): String! }
  type Query { case(id: ID!): Case }
`);
const rootValue = {
  case: ({ id }: { id: string }) => {
    if (id === 'case_bad') throw new Error('cannot read this case');
    return { id, status: `status of ${id}`, note: ({ prefix }: { prefix: string }) => `${prefix} ${id}` };
  },
};
const QUERY = `query Event($bgaCaseId: ID!, $prefix: String!) { c: case(id: $bgaCaseId) { id status note(prefix: $prefix) } }`;
const STAFF: Identity = { sub: 'user:staff', role: 'STAFF' };
const OTHER: Identity = { sub: 'user:other', role: 'STAFF' };

/** run() as the gateway's path: executes the document, counting operations; refuses documents over `maxCopies` root fields. */
function runner(maxCopies = Number.POSITIVE_INFINITY) {
  const calls: { query: string; identity: Identity }[] = [];
  const run = async (query: string, variables: Record<string, unknown>, identity: Identity): Promise<ExecutionResult> => {
    calls.push({ query, identity });
    const copies = (query.match(/case\(id:/g) ?? []).length;
    if (copies > maxCopies) return { errors: [{ message: 'too many aliases', extensions: { code: 'LIMIT_EXCEEDED' } }] as never };
    const result = await graphql({ schema, source: query, variableValues: variables, rootValue });
    // As the federated path answers them: formatted, plain objects.
    return JSON.parse(JSON.stringify(result));
  };
  return { run, calls };
}

/** The answer of the event's query run alone (its errors' locations are in a document the subscriber never sent: not kept). */
const alone = async (caseId: string) => {
  const { run } = runner();
  const answer = await run(QUERY, { prefix: 'note for', bgaCaseId: caseId }, STAFF);
  for (const error of answer.errors ?? []) delete (error as { locations?: unknown }).locations;
  return answer;
};

test('events of one selection and identity in the same turn run as one operation, each answered as it would be alone', async () => {
  const { run, calls } = runner();
  const batched = batchedCaseRun(run, 'bgaCaseId');
  const ids = ['case_1', 'case_2', 'case_bad', 'case_4'];
  const answers = await Promise.all(ids.map((id) => batched(QUERY, { prefix: 'note for' }, STAFF, id)));
  expect(calls).toHaveLength(1);
  for (const [i, id] of ids.entries()) expect(answers[i]).toEqual(await alone(id));
  // The failing case's error is its own, with the path it would have alone.
  expect(answers[2].errors).toHaveLength(1);
  expect(answers[2].errors![0].path).toEqual(['c']);
  expect(answers[0].errors).toBeUndefined();
});

test('another identity or other variables are another operation; one event alone runs the query as it is', async () => {
  const { run, calls } = runner();
  const batched = batchedCaseRun(run, 'bgaCaseId');
  await Promise.all([
    batched(QUERY, { prefix: 'a' }, STAFF, 'case_1'),
    batched(QUERY, { prefix: 'a' }, STAFF, 'case_2'),
    batched(QUERY, { prefix: 'a' }, OTHER, 'case_3'),
    batched(QUERY, { prefix: 'b' }, STAFF, 'case_4'),
  ]);
  expect(calls).toHaveLength(3);
  expect(calls.filter((c) => c.identity === OTHER)).toHaveLength(1);
  expect(calls.filter((c) => c.query === QUERY)).toHaveLength(2); // the lone ones, unchanged
});

test('a batch the gateway refuses as a whole is halved until it passes, and that size is kept for the query', async () => {
  const { run, calls } = runner(2);
  const batched = batchedCaseRun(run, 'bgaCaseId');
  const ids = ['case_1', 'case_2', 'case_3', 'case_4'];
  const first = await Promise.all(ids.map((id) => batched(QUERY, { prefix: 'p' }, STAFF, id)));
  for (const [i, id] of ids.entries()) expect(first[i].data).toEqual({ c: { id, status: `status of ${id}`, note: `p ${id}` } });
  expect(calls).toHaveLength(3); // 4 refused, then 2 + 2
  calls.length = 0;
  await Promise.all(ids.map((id) => batched(QUERY, { prefix: 'p' }, STAFF, id)));
  expect(calls).toHaveLength(2); // sent 2 at a time from the start
});

test('at most maxBatch events per operation', async () => {
  const { run, calls } = runner();
  const batched = batchedCaseRun(run, 'bgaCaseId', 3);
  await Promise.all(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((id) => batched(QUERY, { prefix: 'p' }, STAFF, `case_${id}`)));
  expect(calls.map((c) => (c.query.match(/case\(id:/g) ?? []).length)).toEqual([3, 3, 1]);
});

test('the repeated document: the root fields under b<i>_ aliases, a case id variable each, the other variables once', () => {
  const { text, keys } = repeatRootFields(QUERY, 'bgaCaseId', 2);
  expect(keys).toEqual(['c']);
  expect(text).toContain('query Event($prefix: String!, $bgaCaseId_0: ID!, $bgaCaseId_1: ID!)');
  expect(text).toContain('b0_c: case(id: $bgaCaseId_0)');
  expect(text).toContain('b1_c: case(id: $bgaCaseId_1)');
  expect(text).not.toContain('$bgaCaseId)');
});
