import type { PGlite } from '@electric-sql/pglite';

/**
 * A replacement for pglite-socket's query queue that keeps each connection's extended-protocol
 * messages together. pglite-socket queues every protocol message on its own, so with several
 * connections one connection's Parse can land between another's Parse and Bind; in PGlite's single
 * session the unnamed statement is shared, and the second connection runs the first one's query
 * (we saw "agent not found" and wrong rows under five concurrent requests). Here Parse, Bind,
 * Describe, Execute and Close wait for their Sync and go to PGlite as one unit, and while a
 * transaction is open only its connection's units run (as pglite-socket already does).
 */
type Waiter = { resolve: (bytes: number) => void; reject: (error: unknown) => void };
interface Unit {
  handlerId: number;
  messages: Uint8Array[];
  waiters: Waiter[];
  onData: (data: Uint8Array) => void;
}

// Frontend message types that belong to an extended-protocol batch ended by Sync (or Flush).
const BATCHED = new Set(['P', 'B', 'D', 'E', 'C'].map((c) => c.charCodeAt(0)));

export class SyncGroupedQueue {
  private readonly pending = new Map<number, Unit>();
  private queue: Unit[] = [];
  private processing = false;
  private lastHandlerId: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      const unit = this.pending.get(handlerId) ?? { handlerId, messages: [], waiters: [], onData };
      unit.messages.push(message);
      unit.onData = onData;
      if (BATCHED.has(message[0])) {
        // Answered when the Sync runs the batch; the connection must keep reading its messages until then.
        this.pending.set(handlerId, unit);
        resolve(0);
        return;
      }
      unit.waiters.push({ resolve, reject });
      this.pending.delete(handlerId);
      this.queue.push(unit);
      void this.process();
    });
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        let unit: Unit | undefined;
        if (this.db.isInTransaction() && this.lastHandlerId !== null) {
          // An open transaction belongs to one connection: nobody else runs inside it.
          const index = this.queue.findIndex((u) => u.handlerId === this.lastHandlerId);
          if (index < 0) break;
          unit = this.queue.splice(index, 1)[0];
        } else {
          unit = this.queue.shift()!;
        }
        const bytes = concat(unit.messages);
        let written = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(bytes, {
              onRawData: (data: Uint8Array) => {
                written += data.length;
                unit!.onData(data);
              },
            }),
          );
        } catch (error) {
          for (const waiter of unit.waiters) waiter.reject(error);
          continue;
        }
        this.lastHandlerId = unit.handlerId;
        for (const waiter of unit.waiters) waiter.resolve(written);
      }
    } finally {
      this.processing = false;
    }
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.pending.delete(handlerId);
    this.queue = this.queue.filter((unit) => {
      if (unit.handlerId !== handlerId) return true;
      for (const waiter of unit.waiters) waiter.reject(new Error('Handler disconnected'));
      return false;
    });
  }

  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.db.isInTransaction() && this.lastHandlerId === handlerId) {
      await this.db.exec('ROLLBACK');
      this.lastHandlerId = null;
      await this.process();
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
