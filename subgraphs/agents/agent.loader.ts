import DataLoader from 'dataloader';
import type { BaseSubgraphContext } from '../shared/context';
import type { Db } from '../shared/db';
import { todayUtc } from '../../platform/dates';
import { byKey, groupBy } from '../shared/loaders';
import type { AgentRow, Appointment, License } from './agent.type';
import { licenseActive } from './eligibility';

export const AGENT_COLUMNS = `id, npn, first_name AS "firstName", last_name AS "lastName", email, resident_state AS "residentState", status,
  upline_id AS "uplineId", eo_expires_on AS "eoExpiresOn", aml_trained_on AS "amlTrainedOn"`;

/**
 * The agents subgraph's per-request loaders: one SQL statement per table per batch, whatever the
 * number of agents a query touches. Created fresh for every request so nothing leaks between callers.
 */
export function createAgentLoaders(db: Db) {
  const today = todayUtc();
  return {
    agent: new DataLoader<string, AgentRow | undefined>(async (ids) =>
      byKey(ids, await db.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents.agent WHERE id = ANY($1)`, [ids]), (r) => r.id),
    ),
    licenses: new DataLoader<string, License[]>(async (agentIds) => {
      const rows = await db.query<License>(
        `SELECT id, agent_id AS "agentId", state, number, resident, lines_of_authority AS "linesOfAuthority",
                effective_on AS "effectiveOn", expires_on AS "expiresOn", revoked
           FROM agents.license WHERE agent_id = ANY($1) ORDER BY state, expires_on DESC, id`,
        [agentIds],
      );
      for (const row of rows) row.active = licenseActive(row, today);
      return groupBy(agentIds, rows, (r) => r.agentId);
    }),
    appointments: new DataLoader<string, Appointment[]>(async (agentIds) =>
      groupBy(
        agentIds,
        await db.query<Appointment>(
          `SELECT id, agent_id AS "agentId", carrier_id AS "carrierId", state, status, writing_number AS "writingNumber",
                  effective_on AS "effectiveOn", terminated_on AS "terminatedOn"
             FROM agents.appointment WHERE agent_id = ANY($1) ORDER BY carrier_id, state, id`,
          [agentIds],
        ),
        (r) => r.agentId,
      ),
    ),
    downline: new DataLoader<string, AgentRow[]>(async (uplineIds) =>
      groupBy(
        uplineIds,
        await db.query<AgentRow>(`SELECT ${AGENT_COLUMNS} FROM agents.agent WHERE upline_id = ANY($1) ORDER BY id`, [uplineIds]),
        (r) => r.uplineId!,
      ),
    ),
    preAppointmentStates: new DataLoader<string, string[]>(async (carrierIds) => {
      const rows = await db.query<{ carrierId: string; states: string[] }>(
        `SELECT carrier_id AS "carrierId", pre_appointment_states AS states FROM agents.carrier_contracting WHERE carrier_id = ANY($1)`,
        [carrierIds],
      );
      return byKey(carrierIds, rows, (r) => r.carrierId).map((row) => row?.states ?? []);
    }),
  };
}

export type AgentLoaders = ReturnType<typeof createAgentLoaders>;

export interface AgentsContext extends BaseSubgraphContext {
  loaders: AgentLoaders;
  /** The caller's visible agent ids, computed once per request (agent-scope.ts). */
  scope?: Promise<ReadonlySet<string> | null>;
}
