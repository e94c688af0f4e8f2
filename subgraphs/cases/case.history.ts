import type { Cache } from '../../platform/cache';
import type { Db } from '../shared/db';
import type { CaseStatus, RequirementCode } from '../shared/enums';
import type { CaseEventType } from './case.type';

/** The one key every case write bumps: cached metrics live under its value, so a write makes them all unreachable. */
export const METRICS_GENERATION_KEY = 'metrics:gen';

/** Now, at the millisecond precision the case timestamps keep (cursors carry them exactly). */
export const nowIso = (): string => new Date().toISOString();

export interface NewEvent {
  caseId: string;
  at: string;
  type: CaseEventType;
  actor: string;
  fromStatus?: CaseStatus | null;
  toStatus?: CaseStatus | null;
  requirementCode?: RequirementCode | null;
  note?: string | null;
}

/** Appends to a case's history (rows are never updated or deleted) and returns the event as written. */
export async function appendEvent(tx: Db, event: NewEvent) {
  const row = await tx.one<{ at: string }>(
    `INSERT INTO cases.case_event (case_id, at, type, from_status, to_status, requirement_code, actor, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING at`,
    [
      event.caseId,
      event.at,
      event.type,
      event.fromStatus ?? null,
      event.toStatus ?? null,
      event.requirementCode ?? null,
      event.actor,
      event.note ?? null,
    ],
  );
  return { fromStatus: null, toStatus: null, requirementCode: null, note: null, ...event, at: row!.at };
}

/** After a committed case write: every cached metrics entry becomes unreachable at once. */
export async function bumpMetricsGeneration(cache: Cache): Promise<void> {
  await cache.incr(METRICS_GENERATION_KEY);
}
