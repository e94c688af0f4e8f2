/**
 * Sends submitted applications to their carriers. At-least-once from here, exactly-once at the
 * carrier: every send of a case carries the same reference, which carriers deduplicate.
 * Rows are claimed with FOR UPDATE SKIP LOCKED inside one short UPDATE that also leases them (pushes
 * next_attempt_at ahead), so replicas never send the same row at once and no transaction stays open
 * while the carrier is called. A carrier that is down means backoff and retry, never a lost case.
 */
import type { Cache } from '../../platform/cache';
import { Db, type Pool } from '../shared/db';
import type { Logger } from '../../platform/logger';
import type { SupergraphClient } from '../shared/supergraph-client';
import { centsToMoney } from '../../platform/scalars';
import { appendEvent, bumpMetricsGeneration, nowIso } from './case.history';
import { CASE_COLUMNS } from './case.loader';
import type { CaseRow } from './case.type';

export interface OutboxOptions {
  pool: Pool;
  cache: Cache;
  logger: Logger;
  supergraph: () => SupergraphClient;
  /** How often to look for due rows (ms). */
  pollMs: number;
  /** How long a claimed row stays leased to this worker before another may retry it (s). */
  leaseSeconds?: number;
  batchSize?: number;
}

interface Claimed {
  id: number;
  caseId: string;
  reference: string;
  attempts: number;
}

/** Exponential backoff: 2 s, 4 s, 8 s … capped at 5 minutes. */
export const backoffSeconds = (attempts: number) => Math.min(300, 2 ** Math.min(attempts, 9));

const AGENT = `query OutboxAgent($id: ID!) { agent(id: $id) { npn appointments { state status writingNumber carrier { id } } } }`;
const REQUEST_APPOINTMENT = `mutation Jit($agentId: ID!, $carrierId: ID!, $state: State!) { requestAppointment(agentId: $agentId, carrierId: $carrierId, state: $state) { status } }`;
const SEND = `mutation Send($input: CarrierApplicationInput!) { submitApplicationToCarrier(input: $input) { accepted carrierReference message retryable failureCode } }`;

interface SendResult {
  accepted: boolean;
  carrierReference: string | null;
  message: string | null;
  retryable: boolean;
  failureCode: string | null;
}

export class OutboxWorker {
  private readonly db: Db;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(private readonly options: OutboxOptions) {
    this.db = new Db(options.pool);
  }

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.options.pollMs);
    this.timer.unref();
  }

  /** Sends every due row once (for tests and for a nudge after a submission). Resolves with rows handled. */
  runOnce(): Promise<number> {
    // One pass at a time in this process; other replicas are kept apart by SKIP LOCKED.
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async pass(): Promise<number> {
    let claimed: Claimed[];
    try {
      claimed = await this.db.query<Claimed>(
        `UPDATE cases.outbox o SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
          WHERE o.id IN (SELECT id FROM cases.outbox WHERE sent_at IS NULL AND next_attempt_at <= now()
                          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          RETURNING o.id, o.case_id AS "caseId", o.reference, o.attempts`,
        [this.options.leaseSeconds ?? 60, this.options.batchSize ?? 20],
      );
    } catch (error) {
      this.options.logger.warn({ err: (error as Error).message }, 'outbox: cannot claim rows (database unavailable?)');
      return 0;
    }
    for (const row of claimed) await this.send(row);
    return claimed.length;
  }

  private async send(row: Claimed): Promise<void> {
    const { logger } = this.options;
    const supergraph = this.options.supergraph();
    try {
      // Inside the try: a database gone between the claim and this read used to reject the whole
      // pass, and the timer's `void runOnce()` turned that into an unhandled rejection that ended
      // the process (found by test:chaos). The row's lease brings it back.
      const caseRow = await this.db.one<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE id = $1`, [row.caseId]);
      if (!caseRow) return;
      const jit = await this.db.one(`SELECT 1 FROM cases.case_event WHERE case_id = $1 AND type = 'APPOINTMENT_REQUESTED'`, [row.caseId]);
      // Idempotent at the agents subgraph: asking again after a crash is harmless.
      if (jit)
        await supergraph.request(REQUEST_APPOINTMENT, {
          agentId: caseRow.agentId,
          carrierId: caseRow.carrierId,
          state: caseRow.insuredState,
        });
      const { agent } = await supergraph.request<{
        agent: {
          npn: string;
          appointments: { state: string; status: string; writingNumber: string | null; carrier: { id: string } | null }[];
        } | null;
      }>(AGENT, { id: caseRow.agentId });
      const appointment = agent?.appointments.find(
        (a) => a.carrier?.id === caseRow.carrierId && a.state === caseRow.insuredState && a.status !== 'TERMINATED',
      );
      const { submitApplicationToCarrier: result } = await supergraph.request<{ submitApplicationToCarrier: SendResult }>(SEND, {
        input: {
          reference: row.reference,
          caseId: caseRow.id,
          carrierId: caseRow.carrierId,
          productId: caseRow.productId,
          insured: {
            firstName: caseRow.insuredFirstName,
            lastName: caseRow.insuredLastName,
            birthDate: caseRow.insuredBirthDate,
            gender: caseRow.insuredGender,
            state: caseRow.insuredState,
            tobacco: caseRow.insuredTobacco,
          },
          faceAmount: caseRow.faceAmount,
          termYears: caseRow.termYears,
          healthClass: caseRow.appliedHealthClass,
          tableRating: caseRow.tableRating,
          paymentMode: caseRow.paymentMode,
          annualPremium: centsToMoney(caseRow.annualPremiumCents),
          agent: { id: caseRow.agentId, npn: agent?.npn ?? '0', writingNumber: appointment?.writingNumber ?? null },
        },
      });
      if (result.accepted) await this.accepted(row, result.carrierReference!, result.message);
      else if (result.retryable) await this.retryLater(row, `${result.failureCode}: ${result.message ?? ''}`);
      else await this.rejected(row, caseRow, result.message ?? 'rejected by the carrier');
    } catch (error) {
      // The graph or the carrier is unreachable: keep the row and try again later with the same reference.
      await this.retryLater(row, (error as Error).message);
    }
    logger.debug({ caseId: row.caseId, attempts: row.attempts }, 'outbox: row handled');
  }

  private async accepted(row: Claimed, carrierReference: string, message: string | null): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(`UPDATE cases."case" SET carrier_reference = $2, updated_at = now() WHERE id = $1`, [row.caseId, carrierReference]);
      await appendEvent(tx, {
        caseId: row.caseId,
        at: nowIso(),
        type: 'SUBMITTED_TO_CARRIER',
        actor: 'system:outbox',
        note: message ? `${carrierReference}: ${message}`.slice(0, 500) : carrierReference,
      });
      await tx.query(`UPDATE cases.outbox SET sent_at = now(), last_error = NULL WHERE id = $1`, [row.id]);
    });
  }

  private async rejected(row: Claimed, caseRow: CaseRow, message: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const at = nowIso();
      const closes = caseRow.status === 'SUBMITTED';
      if (closes)
        await tx.query(
          `UPDATE cases."case" SET status = 'INCOMPLETE', closed_at = COALESCE(closed_at, $2), updated_at = $2 WHERE id = $1`,
          [row.caseId, at],
        );
      await appendEvent(tx, {
        caseId: row.caseId,
        at,
        type: 'SUBMISSION_REJECTED',
        actor: `carrier:${caseRow.carrierId}`,
        fromStatus: closes ? caseRow.status : null,
        toStatus: closes ? 'INCOMPLETE' : null,
        note: message.slice(0, 500),
      });
      await tx.query(`UPDATE cases.outbox SET sent_at = now(), last_error = $2 WHERE id = $1`, [row.id, message.slice(0, 500)]);
    });
    await bumpMetricsGeneration(this.options.cache);
  }

  private async retryLater(row: Claimed, reason: string): Promise<void> {
    await this.db
      .query(`UPDATE cases.outbox SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`, [
        row.id,
        backoffSeconds(row.attempts),
        reason.slice(0, 500),
      ])
      .catch(() => undefined); // if even this fails, the lease expires and the row comes back
  }
}
