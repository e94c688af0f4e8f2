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
    version: 3,
    name: 'onboarding steps',
    sql: `
      -- One row per agent and contracting step once the step is recorded (docs/domain.md, "Onboarding to ACTIVE").
      -- details: what may be shown (E&O carrier, policy number, limit; agreement version; AML day);
      -- sealed: personal data as one PersonalDataVault value (field onboarding_step.<STEP>): the TIN,
      -- the bank account and routing number, the background answers. Never in clear.
      CREATE TABLE agents.onboarding_step (
        agent_id text NOT NULL REFERENCES agents.agent (id),
        step text NOT NULL CHECK (step IN ('BGA_AGREEMENT', 'W9', 'DIRECT_DEPOSIT', 'EO_COVERAGE', 'AML_TRAINING', 'BACKGROUND_QUESTIONS')),
        status text NOT NULL CHECK (status IN ('COMPLETE', 'IN_REVIEW', 'EXPIRED', 'AWAITING_SIGNATURE')),
        completed_at timestamptz,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        sealed text,
        -- E&O only: the coverage's last day; the lapse job watches complete coverage that ends.
        expires_on date,
        -- The lapse job's lease on the row (PollingJob): replicas never work the same lapse.
        lease_until timestamptz,
        -- One key column for npm run personal-data:rotate (scripts/personal-data/rotate.ts).
        id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        PRIMARY KEY (agent_id, step)
      );
      -- The agreement's envelope, found when the provider's webhook says it is signed.
      CREATE UNIQUE INDEX onboarding_envelope_idx ON agents.onboarding_step ((details ->> 'envelopeId')) WHERE step = 'BGA_AGREEMENT';
      CREATE INDEX onboarding_eo_due_idx ON agents.onboarding_step (expires_on) WHERE step = 'EO_COVERAGE' AND status = 'COMPLETE';
    `,
  },
  {
    version: 4,
    name: 'license sync from the national producer database: sync state, discrepancies, company codes, license source',
    sql: `
      -- Each agent's last sync with the producer database, and the lease of a sync in flight (one replica at a time).
      CREATE TABLE agents.license_sync (
        agent_id text PRIMARY KEY REFERENCES agents.agent (id),
        synced_at timestamptz,
        outcome text CHECK (outcome IN ('SYNCED', 'NPN_NOT_FOUND', 'FAILED')),
        attempted_at timestamptz,
        lease_until timestamptz
      );
      CREATE INDEX license_sync_synced_idx ON agents.license_sync (synced_at NULLS FIRST);

      -- Where ours and the producer database disagreed: open (resolved_at null) until staff resolve it,
      -- or, for appointment mismatches and unknown NPNs, until a later sync finds them agreeing.
      CREATE TABLE agents.licensing_discrepancy (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        agent_id text NOT NULL REFERENCES agents.agent (id),
        kind text NOT NULL CHECK (kind IN ('LICENSE_INACTIVE', 'LICENSE_EXPIRY', 'LICENSE_DETAILS', 'LICENSE_NOT_IN_PDB',
          'LICENSE_NOT_ON_FILE', 'APPOINTMENT_MISMATCH', 'NPN_NOT_FOUND')),
        state text,
        carrier_id text,
        note text NOT NULL,
        detected_at timestamptz NOT NULL,
        resolved_at timestamptz,
        resolved_by text
      );
      -- One open discrepancy per agent, kind, state and carrier: a sync that finds it again adds nothing.
      CREATE UNIQUE INDEX licensing_discrepancy_open_idx ON agents.licensing_discrepancy (agent_id, kind, (coalesce(state, '')), (coalesce(carrier_id, '')))
        WHERE resolved_at IS NULL;
      CREATE INDEX licensing_discrepancy_detected_idx ON agents.licensing_discrepancy (detected_at) WHERE resolved_at IS NULL;

      -- Contracting data: the code the producer database knows each carrier by (its appointments name carriers so).
      CREATE TABLE agents.producer_database_company (
        company_code text PRIMARY KEY,
        carrier_id text NOT NULL UNIQUE
      );

      -- Where a license came from: typed in (BGA) or brought or corrected by the sync (PRODUCER_DATABASE).
      ALTER TABLE agents.license ADD COLUMN source text NOT NULL DEFAULT 'BGA' CHECK (source IN ('BGA', 'PRODUCER_DATABASE'));
      CREATE INDEX license_expiring_idx ON agents.license (expires_on) WHERE NOT revoked;
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
  {
    version: 6,
    name: 'contract levels, contracts, commission schedules, dated hierarchy',
    sql: `
      -- Each carrier's contract levels (commission schedules), ordered: a higher rank is a higher level.
      CREATE TABLE agents.contract_level (
        carrier_id text NOT NULL,
        code text NOT NULL,
        rank integer NOT NULL,
        PRIMARY KEY (carrier_id, code),
        UNIQUE (carrier_id, rank)
      );

      -- The BGA's own contract with each carrier: the level the carrier pays the BGA at.
      CREATE TABLE agents.bga_contract (
        carrier_id text PRIMARY KEY,
        level_code text NOT NULL,
        effective_on date NOT NULL,
        FOREIGN KEY (carrier_id, level_code) REFERENCES agents.contract_level (carrier_id, code)
      );

      -- Each agent's or agency's contract with a carrier: its current level, since effective_on
      -- (earlier levels are in agents.agent_event, CONTRACT_LEVEL_SET).
      CREATE TABLE agents.agent_contract (
        agent_id text NOT NULL REFERENCES agents.agent (id),
        carrier_id text NOT NULL,
        level_code text NOT NULL,
        effective_on date NOT NULL,
        PRIMARY KEY (agent_id, carrier_id),
        FOREIGN KEY (carrier_id, level_code) REFERENCES agents.contract_level (carrier_id, code)
      );
      CREATE INDEX agent_contract_carrier_idx ON agents.agent_contract (carrier_id, level_code);

      -- Commission schedules: per carrier, product and level, first-year and renewal rates in basis
      -- points of premium (85% = 8500), renewals in years 2..renewal_years, and the chargeback rule.
      CREATE TABLE agents.commission_schedule (
        carrier_id text NOT NULL,
        product_id text NOT NULL,
        level_code text NOT NULL,
        first_year_basis_points integer NOT NULL CHECK (first_year_basis_points >= 0),
        renewal_basis_points integer NOT NULL CHECK (renewal_basis_points >= 0),
        renewal_years integer NOT NULL CHECK (renewal_years >= 1),
        chargeback_months integer NOT NULL CHECK (chargeback_months >= 0),
        lapse_chargeback text NOT NULL CHECK (lapse_chargeback IN ('FULL', 'PRO_RATA')),
        PRIMARY KEY (carrier_id, product_id, level_code),
        FOREIGN KEY (carrier_id, level_code) REFERENCES agents.contract_level (carrier_id, code)
      );

      -- The dated hierarchy: who each agent was under, from valid_from (inclusive; '-infinity' for
      -- "since the agent was added") to valid_to (exclusive; NULL while current). NULL upline_id: directly
      -- under the BGA. agents.agent.upline_id stays the current upline. An agent with no rows here has
      -- always been under agents.agent.upline_id; the first move writes that period, closed.
      CREATE TABLE agents.agent_hierarchy (
        agent_id text NOT NULL REFERENCES agents.agent (id),
        upline_id text REFERENCES agents.agent (id),
        valid_from date NOT NULL,
        valid_to date,
        PRIMARY KEY (agent_id, valid_from),
        CHECK (valid_to IS NULL OR valid_to > valid_from),
        CHECK (upline_id IS NULL OR upline_id <> agent_id)
      );
      CREATE UNIQUE INDEX agent_hierarchy_current_idx ON agents.agent_hierarchy (agent_id) WHERE valid_to IS NULL;
      CREATE INDEX agent_hierarchy_upline_idx ON agents.agent_hierarchy (upline_id);
    `,
  },
];
