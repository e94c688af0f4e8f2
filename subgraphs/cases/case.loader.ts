import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../shared/context';
import type { Db } from '../shared/db';
import { byKey, groupBy } from '../shared/loaders';
import type { SupergraphClient } from '../shared/supergraph-client';
import type { CaseEventRow, CaseRow, RequirementRow } from './case.type';

export const CASE_COLUMNS = `id, case_number AS "caseNumber", agent_id AS "agentId", carrier_id AS "carrierId", product_id AS "productId",
  product_type AS "productType", insured_first_name AS "insuredFirstName", insured_last_name AS "insuredLastName",
  insured_birth_date AS "insuredBirthDate", insured_gender AS "insuredGender", insured_state AS "insuredState",
  insured_tobacco AS "insuredTobacco", face_amount AS "faceAmount", approved_face_amount AS "approvedFaceAmount",
  term_years AS "termYears", applied_health_class AS "appliedHealthClass", approved_health_class AS "approvedHealthClass",
  table_rating AS "tableRating", payment_mode AS "paymentMode", annual_premium_cents AS "annualPremiumCents",
  modal_premium_cents AS "modalPremiumCents", status, carrier_reference AS "carrierReference", policy_number AS "policyNumber",
  submitted_at AS "submittedAt", approved_at AS "approvedAt", issued_at AS "issuedAt", placed_at AS "placedAt", closed_at AS "closedAt"`;

export const REQUIREMENT_COLUMNS = `id, case_id AS "caseId", code, status, ordered_at AS "orderedAt", received_at AS "receivedAt",
  follow_up_on AS "followUpOn", note`;

/** Per-request loaders: one statement per table per batch, however many cases a query touches. */
export function createCaseLoaders(db: Db) {
  return {
    case: new DataLoader<string, CaseRow | undefined>(async (ids) =>
      byKey(ids, await db.query<CaseRow>(`SELECT ${CASE_COLUMNS} FROM cases."case" WHERE id = ANY($1)`, [ids]), (r) => r.id),
    ),
    requirements: new DataLoader<string, RequirementRow[]>(async (caseIds) =>
      groupBy(
        caseIds,
        await db.query<RequirementRow>(
          `SELECT ${REQUIREMENT_COLUMNS} FROM cases.requirement WHERE case_id = ANY($1) ORDER BY ordered_at, id`,
          [caseIds],
        ),
        (r) => r.caseId,
      ),
    ),
    events: new DataLoader<string, CaseEventRow[]>(async (caseIds) =>
      groupBy(
        caseIds,
        await db.query<CaseEventRow>(
          `SELECT case_id AS "caseId", at, type, from_status AS "fromStatus", to_status AS "toStatus", requirement_code AS "requirementCode", actor, note
             FROM cases.case_event WHERE case_id = ANY($1) ORDER BY id`,
          [caseIds],
        ),
        (r) => r.caseId,
      ),
    ),
  };
}

export type CaseLoaders = ReturnType<typeof createCaseLoaders>;

export interface CasesContext extends BaseSubgraphContext {
  loaders: CaseLoaders;
  supergraph: SupergraphClient;
  /** Asks the outbox worker to send now rather than at its next poll (no-op when it is off). */
  nudgeOutbox: () => void;
  /** The caller's visible agent ids, computed once per request (case.scope.ts). */
  scope?: Promise<ReadonlySet<string> | null>;
}
