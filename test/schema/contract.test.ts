/**
 * The contract check (scripts/schema-contract.ts, `npm run schema:contract`, run by CI): the
 * committed schema keeps the baseline's contract, and a breaking change in a copy — a removed
 * field, a removed enum value, a newly required argument — fails it, while an added field passes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASELINE_PATH, CURRENT_PATH, checkContract } from '../../scripts/schema-contract';

const ROOT = join(__dirname, '..', '..');
const current = readFileSync(join(ROOT, CURRENT_PATH), 'utf8');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bga-contract-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The check of `changed` (schema/api.graphql edited in a temp copy) against the committed api.graphql as baseline. */
async function check(changed: string) {
  const baseline = join(dir, 'baseline.graphql');
  const edited = join(dir, 'api.graphql');
  writeFileSync(baseline, current);
  writeFileSync(edited, changed);
  return checkContract(baseline, edited);
}

/** The schema text with the member matching `pattern` (inside `typeName`'s block) removed, its description with it. */
function withoutLine(text: string, typeName: string, pattern: RegExp): string {
  const start = text.indexOf(`\ntype ${typeName} `) >= 0 ? text.indexOf(`\ntype ${typeName} `) : text.indexOf(`\nenum ${typeName} `);
  expect(start).toBeGreaterThan(0);
  const end = text.indexOf('\n}', start);
  const block = text.slice(start, end);
  const lines = block.split('\n');
  const i = lines.findIndex((line) => pattern.test(line));
  expect(i).toBeGreaterThan(0);
  let first = i;
  while (first > 1 && lines[first - 1].trim() !== '') first--;
  lines.splice(first, i - first + 1);
  return text.slice(0, start) + lines.join('\n') + text.slice(end);
}

describe('schema contract', () => {
  it('holds for the committed schema against the committed baseline', async () => {
    const { code, lines } = await checkContract(join(ROOT, BASELINE_PATH), join(ROOT, CURRENT_PATH));
    expect([code, lines.at(-1)]).toEqual([0, expect.stringContaining('keeps the contract')]);
  });

  it('fails on a removed field', async () => {
    const { code, lines } = await check(withoutLine(current, 'Carrier', /^\s+amBestRating\b/));
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/BREAKING\s+Carrier\.amBestRating: Field 'amBestRating' .*removed/);
  });

  it('fails on a removed enum value', async () => {
    const { code, lines } = await check(withoutLine(current, 'Gender', /^\s+FEMALE\b/));
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/BREAKING\s+Gender\.FEMALE/);
  });

  it('passes an added field', async () => {
    const added = current.replace(/\ntype Carrier ([^{]*)\{\n/, (all) => `${all}  """A new field."""\n  slogan: String\n`);
    expect(added).not.toBe(current);
    const { code } = await check(added);
    expect(code).toBe(0);
  });
});
