/**
 * `npm run lint` must fail on a violation of each of its rules, not only pass on today's tree: this
 * plants one violation per rule in a scratch tree laid out like ours, runs the real tools with the
 * repo's own configuration files, and expects exactly the planted violations and nothing on the
 * allowed imports beside them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
let dir: string;

function plant(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bga-lint-'));
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  copyFileSync(join(ROOT, 'biome.json'), join(dir, 'biome.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // Biome reads .gitignore through its VCS settings; the scratch tree is its own repository.
  execFileSync('git', ['init', '-q'], { cwd: dir });
  plant({
    '.gitignore': 'node_modules/\n',
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'node16', moduleResolution: 'node16', strict: true } }),
    // Allowed imports, which must raise nothing.
    'platform/money.ts': 'export const cents = (n: number) => Math.round(n * 100);\n',
    'subgraphs/shared/db.ts': "import { cents } from '../../platform/money';\nexport const db = cents(1);\n",
    'subgraphs/carriers/domain/premium.ts': "import { cents } from '../../../platform/money';\nexport const premium = cents(2);\n",
    'subgraphs/carriers/domain/rank.ts': "import { premium } from './premium';\nexport const rank = [premium];\n",
    'subgraphs/carriers/fixtures/carriers.fixture.ts': 'export const CARRIERS = [];\n',
    'subgraphs/carriers/carrier.resolver.ts':
      "import { rank } from './domain/rank';\nimport { db } from '../shared/db';\nexport const resolver = [rank, db];\n",
    'simulators/sim.ts': "import { CARRIERS } from '../subgraphs/carriers/fixtures/carriers.fixture';\nexport const sim = CARRIERS;\n",
    'test/seed.test.ts': "import { CARRIERS } from '../subgraphs/carriers/fixtures/carriers.fixture';\nexport const t = CARRIERS;\n",
    // One violation of each rule.
    'subgraphs/cases/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
    'subgraphs/cases/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
    'gateway/front.ts': 'export const front = 1;\n',
    'platform/leak.ts': "import { front } from '../gateway/front';\nexport const leak = front;\n",
    'gateway/reach.ts': "import { db } from '../subgraphs/shared/db';\nexport const reach = db;\n",
    'subgraphs/agents/agent.resolver.ts': 'export const agent = 1;\n',
    'subgraphs/cases/peek.ts': "import { agent } from '../agents/agent.resolver';\nexport const peek = agent;\n",
    'subgraphs/shared/knows.ts': "import { resolver } from '../carriers/carrier.resolver';\nexport const knows = resolver;\n",
    'subgraphs/carriers/domain/impure.ts':
      "import { GraphQLError } from 'graphql';\nimport { resolver } from '../carrier.resolver';\nexport const impure = [GraphQLError, resolver];\n",
    'subgraphs/carriers/catalog.ts': "import { CARRIERS } from './fixtures/carriers.fixture';\nexport const catalog = CARRIERS;\n",
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run lint on planted violations', () => {
  it('dependency-cruiser reports each planted violation under its rule, and nothing else', () => {
    const run = spawnSync(
      join(BIN, 'depcruise'),
      ['platform', 'gateway', 'subgraphs', 'simulators', 'test', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'],
      { cwd: dir, encoding: 'utf8' },
    );
    const result = JSON.parse(run.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    // node_modules is a symlink to the repo's: its modules resolve to their real paths.
    const found = result.summary.violations
      .map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*?node_modules\//, 'node_modules/')}`)
      .sort();
    expect(found).toEqual(
      [
        'domain-is-pure: subgraphs/carriers/domain/impure.ts -> node_modules/graphql/index.js',
        'domain-is-pure: subgraphs/carriers/domain/impure.ts -> subgraphs/carriers/carrier.resolver.ts',
        'fixtures-are-data-only: subgraphs/carriers/catalog.ts -> subgraphs/carriers/fixtures/carriers.fixture.ts',
        'gateway-imports-no-subgraph: gateway/reach.ts -> subgraphs/shared/db.ts',
        'no-circular: subgraphs/cases/a.ts -> subgraphs/cases/b.ts',
        'platform-is-a-leaf: platform/leak.ts -> gateway/front.ts',
        'shared-knows-no-subgraph: subgraphs/shared/knows.ts -> subgraphs/carriers/carrier.resolver.ts',
        'subgraphs-are-separate: subgraphs/cases/peek.ts -> subgraphs/agents/agent.resolver.ts',
      ].sort(),
    );
    // And the way `npm run lint` calls it fails the run.
    const lint = spawnSync(
      join(BIN, 'depcruise'),
      ['platform', 'gateway', 'subgraphs', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(lint.status).not.toBe(0);
  });

  it("Biome fails on an import of a package's dist/ internals and on unformatted code", () => {
    plant({
      'gateway/deep.ts':
        "import { GraphQLDataSourceRequestKind } from '@apollo/gateway/dist/datasources/types';\nexport const kind = GraphQLDataSourceRequestKind;\n",
      'gateway/ugly.ts': 'export const   ugly = {a:1,\n b:2}\n',
    });
    const run = spawnSync(join(BIN, 'biome'), ['ci', '--reporter=github', 'gateway/deep.ts', 'gateway/ugly.ts'], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.status).not.toBe(0);
    const output = run.stdout + run.stderr;
    expect(output).toMatch(/noRestrictedImports,file=[^,]*gateway\/deep\.ts/);
    expect(output).toMatch(/format,file=[^,]*gateway\/ugly\.ts/);
    // The clean files of the scratch tree pass the same check.
    const clean = spawnSync(join(BIN, 'biome'), ['ci', 'subgraphs/carriers/domain/premium.ts'], { cwd: dir, encoding: 'utf8' });
    expect(clean.status).toBe(0);
  });
});
