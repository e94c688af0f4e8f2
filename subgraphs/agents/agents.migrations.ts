import type { Migration } from '../shared/migrate';

export const agentsMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'agents, licenses, appointments, contracting',
    sql: `
      CREATE TABLE agents.agent (
        id text PRIMARY KEY,
        npn text NOT NULL UNIQUE,
        first_name text NOT NULL,
        last_name text NOT NULL,
        email text NOT NULL,
        resident_state text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUSPENDED', 'TERMINATED')),
        upline_id text REFERENCES agents.agent (id),
        eo_expires_on date,
        aml_trained_on date,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX agent_upline_idx ON agents.agent (upline_id);
      CREATE INDEX agent_status_idx ON agents.agent (status, id);

      CREATE TABLE agents.license (
        id text PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agents.agent (id),
        state text NOT NULL,
        number text NOT NULL,
        resident boolean NOT NULL,
        lines_of_authority text[] NOT NULL,
        effective_on date NOT NULL,
        expires_on date NOT NULL,
        revoked boolean NOT NULL DEFAULT false,
        UNIQUE (agent_id, state, number)
      );
      CREATE INDEX license_agent_idx ON agents.license (agent_id);

      CREATE TABLE agents.appointment (
        id text PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agents.agent (id),
        carrier_id text NOT NULL,
        state text NOT NULL,
        status text NOT NULL CHECK (status IN ('REQUESTED', 'ACTIVE', 'TERMINATED')),
        writing_number text,
        effective_on date,
        terminated_on date,
        requested_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX appointment_agent_idx ON agents.appointment (agent_id);
      -- At most one live (requested or active) appointment per agent, carrier and state.
      CREATE UNIQUE INDEX appointment_live_idx ON agents.appointment (agent_id, carrier_id, state) WHERE status <> 'TERMINATED';

      -- Contracting data: where each carrier needs the appointment before the application.
      CREATE TABLE agents.carrier_contracting (
        carrier_id text PRIMARY KEY,
        pre_appointment_states text[] NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'agent events; appointments filed with carriers',
    sql: `
      -- Append-only history of an agent: rows are inserted, never updated or deleted.
      CREATE TABLE agents.agent_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agents.agent (id),
        at timestamptz NOT NULL,
        type text NOT NULL,
        actor text NOT NULL,
        carrier_id text,
        state text,
        from_status text,
        to_status text,
        note text
      );
      CREATE INDEX agent_event_agent_idx ON agents.agent_event (agent_id, id);

      -- An appointment now travels to the carrier and back: SUBMITTED when the carrier has it,
      -- REJECTED (with a reason) or ACTIVE when it decides. Rejected and terminated ones are history.
      ALTER TABLE agents.appointment DROP CONSTRAINT appointment_status_check;
      ALTER TABLE agents.appointment ADD CONSTRAINT appointment_status_check
        CHECK (status IN ('REQUESTED', 'SUBMITTED', 'ACTIVE', 'REJECTED', 'TERMINATED'));
      DROP INDEX agents.appointment_live_idx;
      CREATE UNIQUE INDEX appointment_live_idx ON agents.appointment (agent_id, carrier_id, state)
        WHERE status IN ('REQUESTED', 'SUBMITTED', 'ACTIVE');
      ALTER TABLE agents.appointment
        ADD COLUMN filing text NOT NULL DEFAULT 'PRE_APPOINTMENT' CHECK (filing IN ('PRE_APPOINTMENT', 'JUST_IN_TIME')),
        ADD COLUMN application_on date,
        ADD COLUMN filing_due_on date,
        ADD COLUMN carrier_reference text,
        ADD COLUMN submitted_at timestamptz,
        ADD COLUMN decided_at timestamptz,
        ADD COLUMN rejection_reason text,
        ADD COLUMN source text NOT NULL DEFAULT 'BGA' CHECK (source IN ('BGA', 'PRODUCER_DATABASE'));
      -- Requests still to send, and just-in-time filings whose deadline is near.
      CREATE INDEX appointment_unsent_idx ON agents.appointment (requested_at) WHERE status = 'REQUESTED';
      CREATE INDEX appointment_filing_due_idx ON agents.appointment (filing_due_on) WHERE filing = 'JUST_IN_TIME' AND status IN ('REQUESTED', 'SUBMITTED');
    `,
  },
  {
    version: 5,
    name: 'appointment filing worker: lease and attempts, late-filing alert',
    sql: `
      -- The filing worker's lease: a REQUESTED or SUBMITTED appointment (or an ACTIVE one the carrier
      -- knows, for terminations) is due when next_check_at has passed (null: now). Claiming pushes it
      -- ahead, so replicas never take the same row. attempts counts the claims; last_error the last
      -- trouble reaching the carrier; filing_late_at when the late-filing alert was raised (once).
      ALTER TABLE agents.appointment
        ADD COLUMN next_check_at timestamptz,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN last_error text,
        ADD COLUMN filing_late_at timestamptz;
      CREATE INDEX appointment_filing_work_idx ON agents.appointment (next_check_at NULLS FIRST)
        WHERE source = 'BGA' AND (status IN ('REQUESTED', 'SUBMITTED') OR (status = 'ACTIVE' AND carrier_reference IS NOT NULL));
    `,
  },
];
