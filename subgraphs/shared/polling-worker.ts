import type { Logger } from '../../platform/logger';

/**
 * One leased polling worker: every `intervalMs` (and when nudged) it claims the due items and works
 * them. Claiming is a lease: one short UPDATE ... FOR UPDATE SKIP LOCKED that pushes the items' next
 * due time ahead, so replicas never take the same item and no transaction stays open while the work
 * runs; an item whose work fails or never finishes comes back when its lease runs out.
 */
export interface PollingWorkerOptions<T> {
  /** For the logs. */
  name: string;
  intervalMs: number;
  logger: Logger;
  /** Claims (leases) the due items. */
  claim(): Promise<T[]>;
  /** Works what was claimed. A failure is logged and the pass ends; the leases bring the items back. */
  work(claimed: T[]): Promise<void>;
}

export class PollingWorker<T> {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;
  /** A nudge arrived during a pass, which may have claimed before the nudged item was due: one more pass follows. */
  private again = false;

  constructor(private readonly options: PollingWorkerOptions<T>) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * One pass now, or the pass already in flight (one at a time in a process; replicas are kept apart
   * by the lease). Resolves with how many items were claimed, and never rejects: the timer's
   * `void runOnce()` would turn a rejection into an unhandled one, which ends the process.
   */
  runOnce(): Promise<number> {
    if (this.stopped) return Promise.resolve(0);
    this.running ??= this.pass().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.runOnce();
      }
    });
    return this.running;
  }

  /**
   * Asks for a pass now rather than at the next interval (after a write that made an item due). A
   * nudge during a pass is not lost in it: one more pass follows (nudges during one pass share it).
   */
  nudge(): void {
    if (this.running) this.again = true;
    else void this.runOnce();
  }

  /** No new pass starts; resolves once the pass in flight has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async pass(): Promise<number> {
    const { name, logger } = this.options;
    let claimed: T[];
    try {
      claimed = await this.options.claim();
    } catch (error) {
      logger.warn({ err: error }, `${name}: cannot claim work (database unavailable?); will try again`);
      return 0;
    }
    if (claimed.length === 0) return 0;
    try {
      await this.options.work(claimed);
    } catch (error) {
      logger.warn({ err: error, claimed: claimed.length }, `${name}: pass failed; its leases bring the work back`);
    }
    return claimed.length;
  }
}

/**
 * A background job built on one PollingWorker (the outbox, case changes, vendor orders, the vendor
 * poll, follow-ups): starting, stopping, a pass now and a nudge are the worker's; the job says what
 * it claims and how it works each item.
 */
export abstract class PollingJob<T> {
  protected abstract readonly worker: PollingWorker<T>;

  start(): void {
    this.worker.start();
  }

  /** One pass now (tests, and after a write that made an item due); resolves with how many items it claimed. */
  runOnce(): Promise<number> {
    return this.worker.runOnce();
  }

  /** A pass now rather than at the next interval. */
  nudge(): void {
    this.worker.nudge();
  }

  /** No new pass starts; resolves once the pass in flight has ended. */
  stop(): Promise<void> {
    return this.worker.stop();
  }
}
