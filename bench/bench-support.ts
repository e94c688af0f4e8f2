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

const RESULTS_PREAMBLE =
  '# Benchmark results\n\nEach section is written by its benchmark; the command that produced it is in the section.\n';

/**
 * RESULTS.md's text with the section headed `## <title>` (the whole heading line, not a prefix of
 * another) replaced by `body`, or appended when there is none; every other section is kept as it
 * was, in its place. `replacing`: headings starting with one of these are removed too (a benchmark
 * whose title carries its settings, so that it keeps one section). A `## ` line inside a fenced
 * code block starts no section.
 */
export function withResultsSection(text: string, title: string, body: string, replacing: readonly string[] = []): string {
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const parts: { heading?: string; lines: string[] }[] = [{ lines: [] }];
  let fenced = false;
  for (const line of (text || RESULTS_PREAMBLE).split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    if (!fenced && line.startsWith('## ')) parts.push({ heading: line.trimEnd(), lines: [line] });
    else parts.at(-1)!.lines.push(line);
  }
  const ours = (part: { heading?: string }) =>
    part.heading !== undefined && (part.heading === heading || replacing.some((prefix) => part.heading!.startsWith(`## ${prefix}`)));
  const at = parts.findIndex(ours);
  const kept = parts.map((part, i) => (i === at ? section : ours(part) ? undefined : `${part.lines.join('\n').trimEnd()}\n`));
  if (at < 0) kept.push(section);
  return kept.filter((part): part is string => part !== undefined).join('\n');
}

/** Replaces (or appends) the section of bench/RESULTS.md that starts with `## <title>` (withResultsSection), leaving the others alone. */
export function writeResultsSection(title: string, body: string, replacing: readonly string[] = []): void {
  const path = join(process.cwd(), 'bench', 'RESULTS.md');
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // first benchmark to run creates the file
  }
  writeFileSync(path, withResultsSection(current, title, body, replacing));
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
