/** The one leased polling worker the outbox and the carrier sync are made of: passes, nudges, errors and stop. */
import type { Logger } from '../../../platform/logger';
import { PollingWorker } from '../polling-worker';

const logger = () => {
  const warnings: string[] = [];
  return { warnings, logger: { warn: (_: unknown, message: string) => warnings.push(message) } as unknown as Logger };
};

/** A promise and the function that settles it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('PollingWorker', () => {
  it('claims, works what it claimed, and answers how many it claimed', async () => {
    const worked: number[][] = [];
    const worker = new PollingWorker<number>({
      name: 'test',
      intervalMs: 60_000,
      logger: logger().logger,
      claim: async () => [1, 2, 3],
      work: async (items) => void worked.push(items),
    });
    await expect(worker.runOnce()).resolves.toBe(3);
    expect(worked).toEqual([[1, 2, 3]]);
  });

  it('runs one pass at a time: a runOnce during a pass joins it, a nudge during it is followed by one more pass', async () => {
    const held = gate();
    let claims = 0;
    const worker = new PollingWorker<number>({
      name: 'test',
      intervalMs: 60_000,
      logger: logger().logger,
      claim: async () => [++claims],
      work: () => held.opened,
    });
    const first = worker.runOnce();
    worker.nudge();
    worker.nudge();
    const second = worker.runOnce();
    expect(claims).toBe(1);
    held.open();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 1]);
    // The nudged item may have become due after the first pass claimed: one more pass (both nudges share it), then none.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(claims).toBe(2);
    await worker.runOnce();
    expect(claims).toBe(3);
  });

  it('logs a failed claim or a failed pass and resolves, never rejects', async () => {
    const { warnings, logger: log } = logger();
    const unclaimable = new PollingWorker<number>({
      name: 'outbox',
      intervalMs: 60_000,
      logger: log,
      claim: () => Promise.reject(new Error('connect ECONNREFUSED')),
      work: async () => undefined,
    });
    await expect(unclaimable.runOnce()).resolves.toBe(0);
    const failing = new PollingWorker<number>({
      name: 'sync',
      intervalMs: 60_000,
      logger: log,
      claim: async () => [1, 2],
      work: () => Promise.reject(new Error('carrier down')),
    });
    await expect(failing.runOnce()).resolves.toBe(2);
    expect(warnings).toEqual([
      'outbox: cannot claim work (database unavailable?); will try again',
      'sync: pass failed; its leases bring the work back',
    ]);
  });

  it('passes on its interval once started, and stop waits for the pass in flight, then starts none', async () => {
    jest.useFakeTimers();
    try {
      const held = gate();
      let claims = 0;
      let finished = false;
      const worker = new PollingWorker<number>({
        name: 'test',
        intervalMs: 1_000,
        logger: logger().logger,
        claim: async () => [++claims],
        work: async () => {
          await held.opened;
          finished = true;
        },
      });
      worker.start();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(claims).toBe(1);
      let stopped = false;
      const stopping = worker.stop().then(() => (stopped = true));
      await jest.advanceTimersByTimeAsync(0);
      expect(stopped).toBe(false);
      held.open();
      await stopping;
      expect(finished).toBe(true);
      await jest.advanceTimersByTimeAsync(5_000);
      await expect(worker.runOnce()).resolves.toBe(0);
      expect(claims).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
