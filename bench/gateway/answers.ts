/**
 * The answer check of `npm run bench:gateway`: every operation once through every gateway before any
 * load, each answer compared with the reference gateway's (stock @apollo/gateway). A gateway that
 * answers any operation with an error, a non-200 or other data is named in `wrong`, and the bench
 * does not measure it.
 */
import { body, type Operation } from './workloads';

/** What the check needs of a gateway. */
export interface AnsweringGateway {
  key: string;
  label: string;
  url: string;
}

/** POSTs a JSON body; the answer parsed, or its first 300 characters under `raw` when it is not JSON. */
export async function post(url: string, headers: Record<string, string>, payload: string): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text.slice(0, 300) };
  }
  return { status: response.status, json };
}

/**
 * Every operation once through every gateway: no errors, and the same data as the stock gateway's.
 * Returns one line per problem, and the size of each answer (the stock gateway's JSON, in bytes).
 */
export async function checkAnswers(
  gateways: readonly AnsweringGateway[],
  operations: Operation[],
  headers: Record<string, string>,
  referenceKey = 'stock',
): Promise<{ problems: string[]; bytes: number[]; wrong: Set<string> }> {
  const problems: string[] = [];
  /** Keys of the gateways that answered any operation with errors or other data than the reference. */
  const wrong = new Set<string>();
  const bytes: number[] = [];
  for (const op of operations) {
    const payload = body(op);
    const answers = await Promise.all(gateways.map(async (g) => ({ g, ...(await post(g.url, headers, payload)) })));
    const reference = answers.find((a) => a.g.key === referenceKey) ?? answers[0];
    bytes.push(JSON.stringify(reference.json).length);
    for (const a of answers) {
      if (a.status !== 200 || a.json.errors || !a.json.data) {
        wrong.add(a.g.key);
        problems.push(
          `${a.g.label}, ${op.name} ${JSON.stringify(op.variables)}: HTTP ${a.status} ${JSON.stringify(a.json.errors ?? a.json).slice(0, 300)}`,
        );
      } else if (a !== reference && JSON.stringify(a.json.data) !== JSON.stringify(reference.json.data)) {
        wrong.add(a.g.key);
        problems.push(`${a.g.label}, ${op.name} ${JSON.stringify(op.variables)}: data differs from ${reference.g.label}'s`);
      }
    }
  }
  return { problems, bytes, wrong };
}
