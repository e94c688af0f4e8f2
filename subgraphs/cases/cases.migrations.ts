import type { Migration } from '../shared/migrate';

/** Closed statuses, as SQL: a case in one of these is no longer open. */
export const CLOSED_STATUSES_SQL = `('PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN')`;

export const casesMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'cases, requirements, events, outbox',
    sql: `
      CREATE SEQUENCE cases.case_number_seq START 900000;

      CREATE TABLE cases."case" (
        id text PRIMARY KEY,
        case_number text NOT NULL UNIQUE,
        agent_id text NOT NULL,
        carrier_id text NOT NULL,
        product_id text NOT NULL,
        product_type text NOT NULL,
        insured_first_name text NOT NULL,
        insured_last_name text NOT NULL,
        insured_birth_date date NOT NULL,
        insured_gender text NOT NULL,
        insured_state text NOT NULL,
        insured_tobacco boolean NOT NULL,
        face_amount integer NOT NULL CHECK (face_amount > 0),
        approved_face_amount integer,
        term_years integer,
        applied_health_class text NOT NULL,
        approved_health_class text,
        table_rating integer NOT NULL DEFAULT 0,
        payment_mode text NOT NULL,
        annual_premium_cents bigint NOT NULL,
        modal_premium_cents bigint NOT NULL,
        status text NOT NULL,
        carrier_reference text,
        policy_number text,
        -- Millisecond precision: cursors carry it as an ISO instant, and must match it exactly.
        submitted_at timestamptz NOT NULL CHECK (submitted_at = date_trunc('milliseconds', submitted_at)),
        approved_at timestamptz,
        issued_at timestamptz,
        placed_at timestamptz,
        closed_at timestamptz,
        created_by text NOT NULL,
        idempotency_key text,
        request_hash text,
        last_synced_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (created_by, idempotency_key)
      );
      -- Keyset pagination on (submitted_at, id), alone and under the common filters.
      CREATE INDEX case_submitted_idx ON cases."case" (submitted_at, id);
      CREATE INDEX case_agent_idx ON cases."case" (agent_id, submitted_at, id);
      CREATE INDEX case_carrier_idx ON cases."case" (carrier_id, submitted_at, id);
      CREATE INDEX case_status_idx ON cases."case" (status, submitted_at, id);
      CREATE INDEX case_open_idx ON cases."case" (submitted_at, id) WHERE status NOT IN ${CLOSED_STATUSES_SQL};

      CREATE TABLE cases.requirement (
        id text PRIMARY KEY,
        case_id text NOT NULL REFERENCES cases."case" (id),
        code text NOT NULL,
        status text NOT NULL CHECK (status IN ('ORDERED', 'RECEIVED', 'WAIVED', 'CANCELLED')),
        ordered_at timestamptz NOT NULL,
        received_at timestamptz,
        follow_up_on date,
        note text,
        carrier_code text
      );
      CREATE INDEX requirement_case_idx ON cases.requirement (case_id);
      CREATE INDEX requirement_outstanding_idx ON cases.requirement (code, case_id) WHERE status = 'ORDERED';

      -- Append-only history: rows are inserted, never updated or deleted.
      CREATE TABLE cases.case_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id text NOT NULL REFERENCES cases."case" (id),
        at timestamptz NOT NULL,
        type text NOT NULL,
        from_status text,
        to_status text,
        requirement_code text,
        actor text NOT NULL,
        note text
      );
      CREATE INDEX case_event_case_idx ON cases.case_event (case_id, id);

      -- Durable outbox of applications to send to carriers; workers claim rows FOR UPDATE SKIP LOCKED.
      CREATE TABLE cases.outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id text NOT NULL UNIQUE REFERENCES cases."case" (id),
        reference text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX outbox_due_idx ON cases.outbox (next_attempt_at) WHERE sent_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'seconds to issue and to place, stored, for caseMetrics',
    // Stored once per write instead of computed per case per dashboard read; the indexes give the
    // medians (not additive: percentile_cont) their values in order, per carrier and overall, so
    // the whole-book dashboard reads an index instead of sorting every issued case twice.
    sql: `
      ALTER TABLE cases."case"
        ADD COLUMN issue_seconds float8 GENERATED ALWAYS AS (date_part('epoch', issued_at - submitted_at)) STORED,
        ADD COLUMN place_seconds float8 GENERATED ALWAYS AS (date_part('epoch', placed_at - submitted_at)) STORED;
      CREATE INDEX case_issue_seconds_idx ON cases."case" (issue_seconds) WHERE issue_seconds IS NOT NULL;
      CREATE INDEX case_carrier_issue_seconds_idx ON cases."case" (carrier_id, issue_seconds) WHERE issue_seconds IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'the agent on each queued application, as the submission named them',
    // Recorded by the eligibility check at submission, so sending an application is one call to the
    // carriers subgraph instead of a read of the agent first. Rows queued before stay NULL: the
    // outbox asks the agents subgraph for those.
    sql: `
      ALTER TABLE cases.outbox ADD COLUMN agent_npn text, ADD COLUMN writing_number text;
    `,
  },
  {
    version: 4,
    name: 'the personal data access log: who read which personal data in full, when, in which request',
    // Append-only: a trigger refuses UPDATE and DELETE, so the log cannot be edited by the service
    // that writes it. Values are never stored here, only the field's name. The indexes serve the
    // admin's reads: newest first, overall, per subject and per actor. Milliseconds, as the cursor
    // carries them: a finer instant would fall between two pages.
    sql: `
      CREATE TABLE cases.personal_data_access (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz(3) NOT NULL DEFAULT now(),
        actor_sub text NOT NULL,
        actor_role text NOT NULL,
        subject_kind text NOT NULL CHECK (subject_kind IN ('APPLICATION', 'CASE')),
        subject_id text NOT NULL,
        field text NOT NULL,
        request_id text NOT NULL,
        reason text
      );
      CREATE INDEX personal_data_access_at_idx ON cases.personal_data_access (at DESC, id DESC);
      CREATE INDEX personal_data_access_subject_idx ON cases.personal_data_access (subject_id, at DESC, id DESC);
      CREATE INDEX personal_data_access_actor_idx ON cases.personal_data_access (actor_sub, at DESC, id DESC);
      CREATE FUNCTION cases.personal_data_access_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'cases.personal_data_access is append-only';
        END;
      $$;
      CREATE TRIGGER personal_data_access_append_only BEFORE UPDATE OR DELETE ON cases.personal_data_access
        FOR EACH STATEMENT EXECUTE FUNCTION cases.personal_data_access_append_only();
    `,
  },
  {
    version: 6,
    name: 'e-signature envelopes and the webhook events received',
    // signature_event's key makes a second delivery of one event a no-op (the provider retries until
    // we answer 2xx). signature_envelope keeps an envelope's progress as the webhooks bring it, with
    // no personal data: per signer only the role, status, time and IP (the audit trail). No foreign
    // key to the application: its table is another migration's, and an envelope row is written in
    // the same transaction as the application's move to signing.
    sql: `
      CREATE TABLE cases.signature_envelope (
        envelope_id text PRIMARY KEY,
        application_id text NOT NULL,
        reference text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('SENT', 'COMPLETED', 'DECLINED', 'EXPIRED', 'VOIDED')),
        signers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX signature_envelope_application_idx ON cases.signature_envelope (application_id, created_at DESC);

      CREATE TABLE cases.signature_event (
        event_id text PRIMARY KEY,
        envelope_id text NOT NULL,
        type text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
