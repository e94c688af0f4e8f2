/**
 * .dockerignore keeps the build context small and free of local state (node_modules, the embedded
 * database, git history, env files), and leaves in everything the Dockerfile's build stage uses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));

/** Whether a top-level path is left out by a pattern (the file uses plain names and `*.ext` / `.env.*` only). */
const leftOut = (path: string) =>
  ignored.some(
    (pattern) =>
      pattern === path || (pattern.includes('*') && new RegExp(`^${pattern.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`).test(path)),
  );

describe('.dockerignore', () => {
  it('leaves out local state and secrets', () => {
    for (const path of ['node_modules', '.git', '.data', 'dist', '.env', '.env.local', 'gateway.log', 'coverage'])
      expect([path, leftOut(path)]).toEqual([path, true]);
  });

  it('keeps what the build stage copies and compiles', () => {
    const build = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.build as string;
    // `swc <folders...> -d dist ...`: every folder it compiles must be in the context.
    const folders = build.split(' -d ')[0].split(' ').slice(1);
    expect(folders.length).toBeGreaterThan(3);
    for (const path of [
      ...folders.map((folder) => folder.split('/')[0]),
      'schema',
      'package.json',
      'package-lock.json',
      '.swcrc',
      'tsconfig.json',
    ])
      expect([path, leftOut(path)]).toEqual([path, false]);
  });
});
