/**
 * Shared by the benchmarks: timing loops, percentiles, and writing one section of bench/RESULTS.md
 * (each benchmark owns the section under its own heading and leaves the others alone). Benchmarks
 * compare side by side in one run and report ratios: these machines are noisy, absolute times drift.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export interface Timing {
  samples: number[];
  p50: number;
  p99: number;
  mean: number;
}

export function summarize(samples: number[]): Timing {
  return { samples, p50: percentile(samples, 50), p99: percentile(samples, 99), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

/** Runs fn `iterations` times one after another (after `warmup` unmeasured runs) and times each run in ms. */
export async function timeSequential(iterations: number, fn: (i: number) => Promise<unknown>, warmup = 0): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return summarize(samples);
}

export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;

/** Replaces (or appends) the section of bench/RESULTS.md that starts with `## <title>`. */
export function writeResultsSection(title: string, body: string): void {
  const path = join(process.cwd(), 'bench', 'RESULTS.md');
  let current = '# Benchmark results\n\nEach section is written by its benchmark; the command that produced it is in the section.\n';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // first benchmark to run creates the file
  }
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = current.indexOf(heading);
  let next: string;
  if (start < 0) {
    next = `${current.trimEnd()}\n\n${section}`;
  } else {
    const after = current.indexOf('\n## ', start + heading.length);
    next = `${current.slice(0, start)}${section}${after < 0 ? '' : `\n${current.slice(after + 1)}`}`;
  }
  writeFileSync(path, next.endsWith('\n') ? next : `${next}\n`);
}

/** A markdown table from rows of cells. */
export function table(header: string[], rows: (string | number)[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function machineLine(): string {
  return `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`;
}

/** Milliseconds of CPU (user + system, every thread of this process) used since the call, read by the returned function. */
export function cpuStopwatch(): () => number {
  const before = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
}
