/**
 * The outbox worker when the database goes away in the middle of a pass (found by test:chaos): a
 * pass whose rows were claimed and whose next read fails must end quietly, leaving the rows to come
 * back when their lease expires. It used to reject, and the timer's `void runOnce()` made that an
 * unhandled rejection, which ends a Node process.
 */
import { MemoryCache } from '../../../platform/cache';
import type { Pool } from '../../shared/db';
import type { Logger } from '../../../platform/logger';
import { OutboxWorker } from '../outbox.worker';
import type { AgentsPort } from '../ports/agents.port';
import type { CarriersPort } from '../ports/carriers.port';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('OutboxWorker when the database goes away mid-pass', () => {
  it('claims a row, fails to read its case, and resolves instead of rejecting', async () => {
    const statements: string[] = [];
    // The claim answers one row; from then on the database is gone.
    const pool = {
      query: async (sql: string) => {
        statements.push(sql.trim().split(/\s+/).slice(0, 2).join(' '));
        if (statements.length === 1) return { rows: [{ id: 1, caseId: 'case_01TEST', reference: 'bga-case_01TEST', attempts: 1 }] };
        throw refused();
      },
    } as unknown as Pool;
    const logger = { warn: () => undefined, debug: () => undefined, info: () => undefined, error: () => undefined } as unknown as Logger;
    const unasked = () => Promise.reject(new Error('no one must be asked without the case'));
    const agents: AgentsPort = {
      scope: unasked,
      eligibility: unasked,
      requestAppointment: unasked,
      applicationAgent: unasked,
      contact: unasked,
      knownAgents: unasked,
      commissionChains: unasked,
    };
    const carriers: CarriersPort = {
      price: unasked,
      sendApplication: unasked,
      caseSnapshots: unasked,
      applicationCatalog: unasked,
      requestChange: unasked,
    };
    const worker = new OutboxWorker({ pool, cache: new MemoryCache(10), logger, agents, carriers, pollMs: 60_000 });

    await expect(worker.runOnce()).resolves.toBe(1);
    // The claim, the failed read of the case, then the (failed, swallowed) reschedule of the row.
    expect(statements).toEqual(['UPDATE cases.outbox', 'SELECT id,', 'UPDATE cases.outbox']);
  });
});
