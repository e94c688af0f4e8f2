/**
 * The watched folder: carriers (or the BGA's file transfer) drop statement files into
 * `<COMMISSION_STATEMENTS_DIR>/<carrier id>/`; this leased job books each one (statement.service.ts)
 * and moves it to `processed/<carrier id>/`, or to `failed/<carrier id>/` with a `.error.txt` beside
 * it saying why (an unknown layout, an unknown carrier). A file already booked (same bytes) is moved
 * to processed too: nothing is booked twice.
 *
 * Claiming is a lease on the file system: the file is renamed into `.working/<carrier id>/` (one
 * replica wins the rename, the others no longer see the file) and its modification time stamped; a
 * claim older than `leaseMs` (a replica died mid-file: its transaction rolled back) is put back to be
 * claimed again. A file is taken only once it has not changed for `settleMs` (still being written
 * otherwise), and never a dot file or a `.part`/`.tmp` one. The file is streamed, never read whole.
 */
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { int, str } from '../../../platform/config';
import type { Logger } from '../../../platform/logger';
import { Db, type Pool } from '../../shared/db';
import { PollingJob, PollingWorker } from '../../shared/polling-worker';
import { bookStatement } from './statement.service';

export interface StatementFolderConfig {
  /** COMMISSION_STATEMENTS_DIR: the watched folder (unset: no watched folder). */
  dir?: string;
  /** COMMISSION_STATEMENTS_POLL_MS: how often it is looked at (default 60000; 0 turns the job off). */
  pollMs: number;
  /** COMMISSION_STATEMENTS_LEASE_MS: how long a claimed file may take before another pass takes it back (default 600000). */
  leaseMs: number;
  /** COMMISSION_STATEMENTS_SETTLE_MS: how long a file must be unchanged before it is taken (default 2000). */
  settleMs: number;
}

export function readStatementFolderConfig(env: Record<string, string | undefined> = process.env): StatementFolderConfig {
  return {
    dir: str(env, 'COMMISSION_STATEMENTS_DIR'),
    pollMs: int(env, 'COMMISSION_STATEMENTS_POLL_MS', 60_000, { min: 0 }),
    leaseMs: int(env, 'COMMISSION_STATEMENTS_LEASE_MS', 600_000, { min: 1_000 }),
    settleMs: int(env, 'COMMISSION_STATEMENTS_SETTLE_MS', 2_000, { min: 0 }),
  };
}

export interface StatementFolderOptions {
  pool: Pool;
  logger: Logger;
  dir: string;
  intervalMs: number;
  leaseMs?: number;
  settleMs?: number;
  /** Files claimed per pass. */
  batchSize?: number;
}

interface ClaimedFile {
  carrierId: string;
  name: string;
  path: string;
}

const CARRIER_DIR = /^car_[a-z0-9_]{1,64}$/;
const SKIPPED = /^\.|\.(part|tmp)$/i;
const WORKING = '.working';

export class StatementFolderWorker extends PollingJob<ClaimedFile> {
  protected readonly worker: PollingWorker<ClaimedFile>;
  private readonly db: Db;

  constructor(private readonly options: StatementFolderOptions) {
    super();
    this.db = new Db(options.pool);
    this.worker = new PollingWorker<ClaimedFile>({
      name: 'statement-folder',
      intervalMs: options.intervalMs,
      logger: options.logger,
      claim: () => this.claim(),
      // One file at a time: each is one (possibly large) transaction.
      work: async (files) => {
        for (const file of files) await this.book(file);
      },
    });
  }

  private async claim(): Promise<ClaimedFile[]> {
    const { dir, leaseMs = 600_000, settleMs = 2_000, batchSize = 10 } = this.options;
    const now = Date.now();
    const claimed: ClaimedFile[] = [];
    await this.releaseStaleClaims(now - leaseMs);
    for (const carrierId of await directories(dir)) {
      for (const name of await files(join(dir, carrierId))) {
        if (claimed.length >= batchSize) return claimed;
        const from = join(dir, carrierId, name);
        const info = await stat(from).catch(() => undefined);
        if (!info?.isFile() || now - info.mtimeMs < settleMs) continue;
        const working = join(dir, WORKING, carrierId);
        await mkdir(working, { recursive: true });
        const path = join(working, name);
        try {
          await rename(from, path); // the lease: one replica wins
        } catch {
          continue; // another replica took it
        }
        const stamp = new Date();
        await utimes(path, stamp, stamp);
        claimed.push({ carrierId, name, path });
      }
    }
    return claimed;
  }

  /** Claims older than the lease go back to the carrier's folder, to be claimed again. */
  private async releaseStaleClaims(before: number): Promise<void> {
    const { dir, logger } = this.options;
    for (const carrierId of await directories(join(dir, WORKING))) {
      for (const name of await files(join(dir, WORKING, carrierId))) {
        const path = join(dir, WORKING, carrierId, name);
        const info = await stat(path).catch(() => undefined);
        if (!info || info.mtimeMs >= before) continue;
        await mkdir(join(dir, carrierId), { recursive: true });
        await rename(path, join(dir, carrierId, name)).catch(() => undefined);
        logger.warn({ carrierId, file: name }, 'statement-folder: a claimed file outlived its lease; it will be booked again');
      }
    }
  }

  private async book(file: ClaimedFile): Promise<void> {
    const { logger } = this.options;
    try {
      const booked = await bookStatement(this.db, {
        carrierId: file.carrierId,
        fileName: file.name,
        source: 'WATCHED_FOLDER',
        bookedBy: 'job:statement-folder',
        open: () => createReadStream(file.path, { highWaterMark: 64 * 1024 }),
      });
      await this.move(file, 'processed');
      logger.info(
        {
          statementId: booked.statement.id,
          carrierId: file.carrierId,
          alreadyBooked: booked.alreadyBooked,
          lines: booked.statement.lineCount,
        },
        booked.alreadyBooked ? 'statement-folder: file already booked; nothing booked again' : 'statement-folder: statement booked',
      );
    } catch (error) {
      const { code, reason } = ((error as { extensions?: Record<string, unknown> }).extensions ?? {}) as { code?: string; reason?: string };
      if (code !== 'BAD_USER_INPUT') {
        // The database or the disk: the lease brings the file back.
        logger.warn(
          { carrierId: file.carrierId, err: (error as Error).message },
          'statement-folder: booking failed; the file will be tried again',
        );
        return;
      }
      const target = await this.move(file, 'failed');
      await writeFile(`${target}.error.txt`, `${reason ?? code}: ${(error as Error).message}\n`);
      logger.warn({ carrierId: file.carrierId, reason }, 'statement-folder: file refused, moved to failed');
    }
  }

  private async move(file: ClaimedFile, to: 'processed' | 'failed'): Promise<string> {
    const folder = join(this.options.dir, to, file.carrierId);
    await mkdir(folder, { recursive: true });
    const target = join(folder, `${new Date().toISOString().replace(/[-:.]/g, '')}-${file.name}`);
    await rename(file.path, target);
    return target;
  }
}

async function directories(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isDirectory() && CARRIER_DIR.test(entry.name)).map((entry) => entry.name);
}

async function files(path: string): Promise<string[]> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile() && !SKIPPED.test(entry.name)).map((entry) => entry.name);
}
