/**
 * The chaos run's child processes: each service of the graph is its own OS process so that it can be
 * killed for real (SIGKILL, no goodbye) and started again with the same command, port and data.
 * Nothing outlives the run: every child is killed on exit, on failure and on SIGINT, and a detached
 * watchdog kills the ones still listed if this process itself dies without running its handlers
 * (SIGKILL from a CI timeout).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls probe until it answers a value (not undefined) or the deadline passes; a probe that throws stops the wait. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

export function portOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** One service process: started, killed and started again from the same spec; output goes to a log file. */
export class ManagedProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  /** Every pid this service has had, in order (a restart adds one). */
  readonly pids: number[] = [];
  readonly logPath: string;

  constructor(
    readonly spec: ProcessSpec,
    logDir: string,
    private readonly onChange: () => void,
  ) {
    this.logPath = join(logDir, `${spec.name}.log`);
  }

  get pid(): number | undefined {
    return this.alive ? this.child?.pid : undefined;
  }

  get alive(): boolean {
    return Boolean(this.child && this.child.exitCode === null && this.child.signalCode === null);
  }

  start(): void {
    if (this.alive) throw new Error(`${this.spec.name} is already running (pid ${this.child!.pid})`);
    // Appending: a restarted service's log follows its first life's.
    const log = openSync(this.logPath, 'a');
    writeFileSync(this.logPath, `\n--- ${new Date().toISOString()} start ${this.spec.name}\n`, { flag: 'a' });
    const child = spawn(this.spec.command, this.spec.args, { env: this.spec.env, stdio: ['ignore', log, log] });
    closeSync(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => this.onChange());
    if (child.pid) this.pids.push(child.pid);
    this.onChange();
  }

  /** Sends the signal and waits for the process to be gone (SIGKILL after graceMs for anything gentler). */
  async kill(signal: NodeJS.Signals = 'SIGKILL', graceMs = 5_000): Promise<void> {
    const child = this.child;
    if (!child || !this.alive) return;
    child.kill(signal);
    if (signal !== 'SIGKILL') {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    } else {
      await this.exited;
    }
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void {
    if (this.alive) this.child!.kill('SIGKILL');
  }

  tail(lines = 30): string {
    try {
      return readFileSync(this.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

/** Every process of the run, and the watchdog that cleans up after us if we die hard. */
export class ProcessGroup {
  readonly processes: ManagedProcess[] = [];
  private readonly pidFile: string;
  private watchdog?: ChildProcess;

  constructor(
    private readonly logDir: string,
    watchdogScript: string,
  ) {
    this.pidFile = join(logDir, 'children.pids');
    this.writePids();
    // Detached and unreferenced: it survives a SIGKILL of this process, notices, and kills what is listed.
    this.watchdog = spawn(process.execPath, [watchdogScript, String(process.pid), this.pidFile], { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }

  add(spec: ProcessSpec): ManagedProcess {
    const managed = new ManagedProcess(spec, this.logDir, () => this.writePids());
    this.processes.push(managed);
    return managed;
  }

  private writePids(): void {
    const pids = this.processes.map((p) => p.pid).filter((pid): pid is number => pid !== undefined);
    try {
      writeFileSync(this.pidFile, JSON.stringify(pids));
    } catch {
      // the log folder is gone: we are past cleanup
    }
  }

  /** Gentle first (services drain), then SIGKILL; the watchdog goes last. */
  async stopAll(graceMs = 3_000): Promise<void> {
    await Promise.all([...this.processes].reverse().map((p) => p.kill('SIGTERM', graceMs)));
    this.dismissWatchdog();
  }

  /** For process 'exit': no awaiting possible, so SIGKILL everything still alive. */
  killAllNow(): void {
    for (const p of this.processes) p.killNow();
    this.dismissWatchdog();
  }

  private dismissWatchdog(): void {
    // Removing the pid file tells the watchdog to leave quietly; the kill makes sure of it.
    rmSync(this.pidFile, { force: true });
    if (this.watchdog?.pid && this.watchdog.exitCode === null) {
      try {
        process.kill(this.watchdog.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.watchdog = undefined;
  }
}
