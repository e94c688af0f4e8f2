/**
 * Child processes of `npm run bench:gateway`: each one started in its own process group (so a
 * gateway's worker processes are found, measured and stopped with it), every one stopped on exit,
 * Ctrl-C or a crash, and the resident memory of a whole group sampled from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** The last lines it wrote (stdout and stderr), for the error message when it dies. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Set<Child>();

const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

/** Signals a child's whole process group (it leads it: spawned detached), ignoring a group already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Starts `command args` in its own process group; its output is kept (last 64 KiB) and shown with BENCH_VERBOSE=1. */
export function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-65_536);
    if (process.env.BENCH_VERBOSE === '1') process.stderr.write(`[${name}] ${chunk}`);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const handle: Child = {
    name,
    process: child,
    pid: child.pid,
    output: () => tail,
    async stop() {
      running.delete(handle);
      if (!alive(child)) return signalGroup(child.pid!, 'SIGKILL');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => signalGroup(child.pid!, 'SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          // Workers that outlive their primary go with the group.
          signalGroup(child.pid!, 'SIGKILL');
          resolve();
        });
        signalGroup(child.pid!, 'SIGTERM');
      });
    },
  };
  running.add(handle);
  return handle;
}

/** Waits until `ready()` resolves true; fails early with the child's output when it exits. */
export async function waitUntil(child: Child, ready: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!alive(child.process))
      throw new Error(`${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) during start-up:\n${child.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`${child.name} not ready within ${timeoutMs} ms:\n${child.output()}`);
}

/** Waits for a line matching `pattern` on the child's output and returns the match. */
export async function waitForOutput(child: Child, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(child.output());
    if (match) return match;
    if (!alive(child.process))
      throw new Error(`${child.name} exited (${child.process.exitCode ?? child.process.signalCode}) during start-up:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${child.name}: no ${pattern} within ${timeoutMs} ms:\n${child.output()}`);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop()));
}

let installed = false;
/** Stops every child on Ctrl-C / SIGTERM (then exits 130/143) and kills what is left on any exit. */
export function installCleanup(extra: () => Promise<void> = async () => undefined): void {
  if (installed) return;
  installed = true;
  const onSignal = (signal: NodeJS.Signals, code: number) => {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench's processes...`);
      void Promise.race([Promise.all([stopAll(), extra()]), new Promise((r) => setTimeout(r, 8_000))]).finally(() => process.exit(code));
    });
  };
  onSignal('SIGINT', 130);
  onSignal('SIGTERM', 143);
  process.once('exit', () => {
    for (const child of running) signalGroup(child.pid, 'SIGKILL');
  });
}

/** The pids of a process group (the group's leader is the child we spawned). */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return members;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** CPU seconds (user + system) used so far by each process of the given groups. */
function cpuByPid(pgids: readonly number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pgids.flatMap(groupMembers)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After "pid (comm) ": state is field 0, so utime (14th of the line) is 11 and stime 12.
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / USER_HZ);
    } catch {
      // exited meanwhile
    }
  }
  return seconds;
}

/** CPU seconds (user + system) used so far by every process of the given groups. */
export function groupCpuSeconds(pgids: readonly number[]): number {
  return [...cpuByPid(pgids).values()].reduce((a, b) => a + b, 0);
}

/** Busy and total jiffies of the whole machine (/proc/stat), all CPUs together. */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return { busy: total - idle - iowait, total };
}

export type WatchedKind = 'gateway' | 'subgraph' | 'database' | 'redis';
export interface Watched {
  label: string;
  kind: WatchedKind;
  pgid: number;
}
export interface CpuUse extends Watched {
  /** CPU used, in cores (1 = one core busy the whole time), all processes of the group. */
  cores: number;
  /** The busiest single process of the group, in cores: a Node process runs JavaScript on one. */
  busiest: number;
  processes: number;
}
export interface CpuReport {
  groups: CpuUse[];
  /** This process (the load generator), in cores. */
  bench: number;
  /** The whole machine, in cores, and how many it has. */
  machine: number;
  cpus: number;
  /** Seconds measured. */
  wall: number;
}

/** Measures, from now until stop(), the CPU each watched group, this process and the machine use. */
export function measureCpu(watched: readonly Watched[]): { stop(): CpuReport } {
  const started = performance.now();
  const before = watched.map((w) => cpuByPid([w.pgid]));
  const benchBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  return {
    stop() {
      const wall = (performance.now() - started) / 1000;
      const groups = watched.map((w, i) => {
        const after = cpuByPid([w.pgid]);
        const used = [...after].map(([pid, seconds]) => (seconds - (before[i].get(pid) ?? 0)) / wall);
        return { ...w, cores: used.reduce((a, b) => a + b, 0), busiest: Math.max(0, ...used), processes: after.size };
      });
      const bench = process.cpuUsage(benchBefore);
      const machineAfter = machineTicks();
      const cpus = availableParallelism();
      return {
        groups,
        bench: (bench.user + bench.system) / 1e6 / wall,
        machine: ((machineAfter.busy - machineBefore.busy) / Math.max(1, machineAfter.total - machineBefore.total)) * cpus,
        cpus,
        wall,
      };
    },
  };
}

/** A process at this share of a core or more is counted as saturated. */
const SATURATED = 0.85;

/**
 * What held a cell back, from where the CPU went: a saturated subgraph, database or Redis process
 * first (the backend is the limit), then a saturated gateway process, then the load generator, then
 * the machine's CPUs all busy (shared by everything on it); otherwise nothing was saturated (the
 * connections spent their time waiting: latency-bound). `short` names it in a word or two.
 */
export function limitOf(report: CpuReport): { backend: boolean; short: string; text: string } {
  const pct = (cores: number) => `${Math.round(100 * cores)}%`;
  const backend = report.groups.filter((g) => g.kind !== 'gateway' && g.busiest >= SATURATED);
  if (backend.length) {
    return {
      backend: true,
      short: backend.map((g) => g.label).join(' + '),
      text: backend.map((g) => `${g.label} (${pct(g.busiest)} of a core)`).join(', '),
    };
  }
  const gateway = report.groups.find((g) => g.kind === 'gateway' && g.busiest >= SATURATED);
  if (gateway)
    return {
      backend: false,
      short: 'gateway CPU',
      text: `the gateway (${gateway.processes > 1 ? 'busiest process ' : ''}${pct(gateway.busiest)} of a core)`,
    };
  if (report.bench >= SATURATED)
    return { backend: false, short: 'load generator', text: `the load generator (${pct(report.bench)} of a core)` };
  if (report.machine >= SATURATED * report.cpus)
    return { backend: false, short: 'machine CPU', text: `the machine's CPUs (${report.machine.toFixed(1)} of ${report.cpus} busy)` };
  return { backend: false, short: 'latency', text: 'nothing saturated (latency-bound)' };
}

/** Where the CPU went, in cores: gateway / subgraphs / database / Redis / load generator / everything else. */
export function cpuSplit(report: CpuReport): string {
  const sum = (kind: WatchedKind) =>
    report.groups.some((g) => g.kind === kind)
      ? report.groups
          .filter((g) => g.kind === kind)
          .reduce((a, g) => a + g.cores, 0)
          .toFixed(2)
      : '–';
  return `${sum('gateway')} / ${sum('subgraph')} / ${sum('database')} / ${sum('redis')} / ${report.bench.toFixed(2)} / ${otherCores(report).toFixed(2)}`;
}

/** Cores used by everything on the machine that the bench neither started nor is. */
export function otherCores(report: CpuReport): number {
  return Math.max(0, report.machine - report.groups.reduce((a, g) => a + g.cores, 0) - report.bench);
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export interface MemorySample {
  /** Peak of the summed resident memory of the groups, in bytes. */
  peakBytes: number;
  /** Processes seen. */
  processes: number;
  /** Each process's own peak, in bytes, group leaders first. */
  perProcess: number[];
}

export interface MemorySampler {
  /** Stops sampling (idempotent) and returns what it saw. */
  stop(): MemorySample;
}

/**
 * Every `intervalMs`, sums VmRSS over every process of the given groups (members re-listed every
 * second: workers may come and go) and keeps the peak, and each process's own peak.
 */
export function sampleMemory(pgids: readonly number[], intervalMs = 200): MemorySampler {
  let members = pgids.flatMap(groupMembers);
  let listedAt = Date.now();
  let peak = 0;
  const perPid = new Map<number, number>();
  let stopped: MemorySample | undefined;
  const sample = () => {
    if (Date.now() - listedAt >= 1_000) {
      members = pgids.flatMap(groupMembers);
      listedAt = Date.now();
    }
    let sum = 0;
    for (const pid of members) {
      const rss = rssBytes(pid);
      sum += rss;
      perPid.set(pid, Math.max(perPid.get(pid) ?? 0, rss));
    }
    peak = Math.max(peak, sum);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      if (stopped) return stopped;
      clearInterval(timer);
      sample();
      const leaders = [...perPid].filter(([pid]) => pgids.includes(pid));
      const others = [...perPid].filter(([pid]) => !pgids.includes(pid));
      stopped = { peakBytes: peak, processes: perPid.size, perProcess: [...leaders, ...others].map(([, rss]) => rss) };
      return stopped;
    },
  };
}
