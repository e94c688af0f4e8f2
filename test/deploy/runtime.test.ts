/**
 * One Node everywhere: the version npm scripts run (the pinned `node` dev dependency), the engines
 * range, the image every container runs and the process running this test agree on the major.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const major = (version: string) => Number(/(\d+)/.exec(version)?.[1]);

describe('runtime: one Node LTS everywhere', () => {
  const pinned = major(pkg.devDependencies.node);

  it('pins an even (LTS line) Node that is not past end of life', () => {
    expect(pinned % 2).toBe(0);
    expect(pinned).toBeGreaterThanOrEqual(24);
  });

  it('asks the same major in engines, the Dockerfile and the test process itself', () => {
    expect(pkg.engines.node).toBe(`>=${pinned}`);
    const images = [...readFileSync(join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(images.length).toBeGreaterThanOrEqual(1);
    expect(new Set(images)).toEqual(new Set([pinned]));
    expect(major(process.version)).toBe(pinned);
  });
});
