import type { Migration } from '../shared/migrate';

/** Closed statuses, as SQL: a case in one of these is no longer open. */
export const CLOSED_STATUSES_SQL = `('PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN')`;

/**
 * The worklist's sort keys as SQL expressions over cases.requirement: migration 11 indexes exactly
 * these, and requirementsWorklist orders and pages by them (an expression must match the index's
 * word for word to be read from it).
 */
export const WORKLIST_URGENCY_SQL = `(CASE escalation WHEN 'AGENT' THEN 0 WHEN 'CASE_MANAGER' THEN 1 ELSE CASE WHEN overdue_since IS NULL THEN 3 ELSE 2 END END)`;
export const WORKLIST_OVERDUE_SQL = `(COALESCE(overdue_since, 'infinity'::date))`;
export const WORKLIST_FOLLOW_UP_SQL = `(COALESCE(follow_up_on, 'infinity'::date))`;
export const WORKLIST_ORDER_SQL = `${WORKLIST_URGENCY_SQL}, ${WORKLIST_OVERDUE_SQL}, ${WORKLIST_FOLLOW_UP_SQL}, ordered_at, id`;

/**
 * The vendor orders still outstanding (migration 13 indexes exactly these; claimStaleVendorOrders
 * claims from them): ordered, placed at the vendor, at a stage that is not final. And when each is
 * next worth asking about: its stage's time or the last poll, whichever is later.
 */
export const OUTSTANDING_VENDOR_ORDER_SQL = `status = 'ORDERED' AND vendor_order_id IS NOT NULL
  AND vendor_stage NOT IN ('RESULTS_SENT_TO_CARRIER', 'SENT_TO_CARRIER', 'CANCELLED')`;
export const VENDOR_LAST_NEWS_SQL = `(GREATEST(vendor_stage_at, vendor_polled_at))`;

/**
 * One case's contribution to cases.case_rollup (migration 18), as a SELECT list over a set of case
 * rows: its key (UTC submission day, carrier, product type, status) and its additive figures, each
 * multiplied by `sign` (+1 for rows that arrive, -1 for rows that leave).
 */
function rollupContribution(rows: string, sign: 1 | -1): string {
  const s = sign === 1 ? '' : '-';
  return `SELECT (submitted_at AT TIME ZONE 'UTC')::date AS day, carrier_id, product_type, status,
            ${s}1 AS cases, ${s}(approved_at IS NOT NULL)::int AS approved, ${s}(issue_seconds IS NOT NULL)::int AS issued,
            ${s}coalesce(issue_seconds, 0)::numeric AS issue_seconds, ${s}(place_seconds IS NOT NULL)::int AS placed_count,
            ${s}coalesce(place_seconds, 0)::numeric AS place_seconds, ${s}annual_premium_cents AS premium_cents,
            ${s}(coalesce(approved_at, issued_at, placed_at) IS NOT NULL)::int AS reached_approval,
            ${s}(coalesce(issued_at, placed_at) IS NOT NULL)::int AS reached_issue
       FROM ${rows}`;
}

/**
 * Adds the summed contributions of `source` (rollupContribution rows) into cases.case_rollup (by day) or
 * cases.case_rollup_month (by month: its day is the month's first), in key order (one lock order for every writer).
 */
function rollupUpsert(table: 'cases.case_rollup' | 'cases.case_rollup_month', source: string): string {
  return `INSERT INTO ${table} AS r (day, carrier_id, product_type, status, cases, approved, issued, issue_seconds,
            placed_count, place_seconds, premium_cents, reached_approval, reached_issue)
          SELECT ${table === 'cases.case_rollup' ? 'day' : `date_trunc('month', day)::date`}, carrier_id, product_type, status, sum(cases), sum(approved), sum(issued), sum(issue_seconds),
                 sum(placed_count), sum(place_seconds), sum(premium_cents), sum(reached_approval), sum(reached_issue)
            FROM (${source}) contribution
           GROUP BY 1, 2, 3, 4
          HAVING sum(cases) <> 0 OR sum(approved) <> 0 OR sum(issued) <> 0 OR sum(issue_seconds) <> 0 OR sum(placed_count) <> 0
              OR sum(place_seconds) <> 0 OR sum(premium_cents) <> 0 OR sum(reached_approval) <> 0 OR sum(reached_issue) <> 0
           ORDER BY 1, 2, 3, 4
          ON CONFLICT (day, carrier_id, product_type, status) DO UPDATE SET
            cases = r.cases + EXCLUDED.cases, approved = r.approved + EXCLUDED.approved, issued = r.issued + EXCLUDED.issued,
            issue_seconds = r.issue_seconds + EXCLUDED.issue_seconds, placed_count = r.placed_count + EXCLUDED.placed_count,
            place_seconds = r.place_seconds + EXCLUDED.place_seconds, premium_cents = r.premium_cents + EXCLUDED.premium_cents,
            reached_approval = r.reached_approval + EXCLUDED.reached_approval, reached_issue = r.reached_issue + EXCLUDED.reached_issue`;
}

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
    version: 5,
    name: 'applications: e-application drafts, their personal data sealed',
    // The parts of a draft that are not personal (coverage, forms, signatures' dates and states) are
    // jsonb, readable in SQL; everything about people (parties, beneficiaries, identifiers, answers,
    // finances, bank account) is one sealed value (platform/personal-data.ts), so the database never
    // holds an SSN, a TIN or a medical answer in clear. Idempotent starts: one application per
    // caller and key.
    sql: `
      CREATE TABLE cases.application (
        id text PRIMARY KEY,
        agent_id text NOT NULL,
        carrier_id text NOT NULL,
        product_id text NOT NULL,
        state text NOT NULL,
        status text NOT NULL CHECK (status IN ('DRAFT', 'SIGNED', 'SUBMITTED')),
        draft jsonb NOT NULL,
        personal text NOT NULL,
        case_id text,
        created_by text NOT NULL,
        idempotency_key text,
        request_hash text,
        created_at timestamptz(3) NOT NULL,
        updated_at timestamptz(3) NOT NULL,
        signed_at timestamptz(3),
        submitted_at timestamptz(3),
        UNIQUE (created_by, idempotency_key)
      );
      CREATE INDEX application_agent_idx ON cases.application (agent_id, created_at DESC, id DESC);
      CREATE INDEX application_created_idx ON cases.application (created_at DESC, id DESC);
      CREATE UNIQUE INDEX application_case_idx ON cases.application (case_id) WHERE case_id IS NOT NULL;
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
  {
    version: 7,
    name: 'documents: metadata of files attached to applications, cases and requirements, and their content when kept in PostgreSQL',
    // case_id is the case a document belongs to (the case itself, a requirement's case, later an
    // application's case once submitted): Case.documents reads one index for a page of cases.
    // Content lives apart from the metadata (the PostgreSQL store's bytea rows, or S3 objects) under
    // storage_key, which names the document id and nothing else. The idempotency key is per uploader,
    // and request_hash says whether a retry is the same upload. Milliseconds, as the API shows them.
    sql: `
      CREATE TABLE cases.document (
        id text PRIMARY KEY,
        owner_kind text NOT NULL CHECK (owner_kind IN ('APPLICATION', 'CASE', 'REQUIREMENT')),
        owner_id text NOT NULL,
        case_id text REFERENCES cases."case" (id),
        type text NOT NULL CHECK (type IN ('APPLICATION_PDF', 'SIGNED_APPLICATION', 'APPLICATION_SCAN', 'AMENDMENT', 'APS', 'EXAM_RESULTS', 'ILLUSTRATION', 'OTHER')),
        file_name text NOT NULL,
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage text NOT NULL CHECK (storage IN ('postgres', 's3')),
        storage_key text NOT NULL UNIQUE,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz(3) NOT NULL DEFAULT now(),
        idempotency_key text,
        request_hash text,
        UNIQUE (uploaded_by, idempotency_key)
      );
      CREATE INDEX document_case_idx ON cases.document (case_id, uploaded_at, id) WHERE case_id IS NOT NULL;
      CREATE INDEX document_owner_idx ON cases.document (owner_kind, owner_id, uploaded_at, id);

      CREATE TABLE cases.document_content (
        storage_key text PRIMARY KEY,
        content bytea NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'case changes after submission: the change, its sealed personal data, and its sending to the carrier',
    // The change row is its own outbox entry (attempts, next_attempt_at, decided_at): written in the
    // transaction that records the request, leased by the change worker FOR UPDATE SKIP LOCKED like
    // cases.outbox, so one row holds the change and its delivery and nothing joins the two. The
    // reference is what the carrier deduplicates on: every resend carries it. `draft` holds the
    // non-personal parts (amounts, product, term, riders, payment mode); `personal` the sealed JSON of
    // beneficiaries, owner and reason (PersonalDataVault, field case_change.personal).
    sql: `
      CREATE TABLE cases.case_change (
        id text PRIMARY KEY,
        case_id text NOT NULL REFERENCES cases."case" (id),
        kinds text[] NOT NULL CHECK (cardinality(kinds) > 0),
        status text NOT NULL CHECK (status IN ('REQUESTED', 'SENT', 'ACCEPTED', 'REJECTED')),
        draft jsonb NOT NULL,
        personal text,
        reference text NOT NULL UNIQUE,
        requested_at timestamptz(3) NOT NULL,
        requested_by text NOT NULL,
        idempotency_key text NOT NULL,
        request_hash text NOT NULL,
        carrier_message text,
        amendment_required boolean,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        last_error text,
        UNIQUE (requested_by, idempotency_key)
      );
      CREATE INDEX case_change_case_idx ON cases.case_change (case_id, requested_at, id);
      CREATE INDEX case_change_due_idx ON cases.case_change (next_attempt_at) WHERE decided_at IS NULL;
    `,
  },
  {
    version: 9,
    name: 'requirements v2: identity end to end, vendors, follow-ups, case managers',
    // A requirement keeps its own id end to end: the carrier's id for it (carrier_requirement_id,
    // unique per case) and ours (id, which orders and carrier submissions carry as our reference).
    // The vendor columns are the order at an exam or APS vendor; the row is its own outbox entry for
    // the order (vendor_due_at, vendor_attempts), leased like cases.outbox. vendor_sequence is the
    // highest vendor event applied, so an older stage never overwrites a newer one. physician is
    // sealed JSON (PersonalDataVault, field requirement.physician): who treats the insured is health
    // data. follow_up_on is the next follow-up; the follow-up job leases due rows through
    // follow_up_leased_until. Events about a requirement carry its id (its history).
    sql: `
      ALTER TABLE cases.requirement
        ADD COLUMN carrier_requirement_id text,
        ADD COLUMN description text,
        ADD COLUMN vendor text,
        ADD COLUMN vendor_order_id text,
        ADD COLUMN vendor_stage text,
        ADD COLUMN vendor_stage_at timestamptz,
        ADD COLUMN vendor_sequence integer NOT NULL DEFAULT 0,
        ADD COLUMN vendor_details jsonb,
        ADD COLUMN physician text,
        ADD COLUMN vendor_due_at timestamptz,
        ADD COLUMN vendor_attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN vendor_last_error text,
        ADD COLUMN follow_ups integer NOT NULL DEFAULT 0,
        ADD COLUMN escalation text NOT NULL DEFAULT 'NONE' CHECK (escalation IN ('NONE', 'CASE_MANAGER', 'AGENT')),
        ADD COLUMN overdue_since date,
        ADD COLUMN follow_up_leased_until timestamptz,
        ADD COLUMN requested_by text,
        ADD COLUMN idempotency_key text,
        ADD CONSTRAINT requirement_carrier_id_key UNIQUE (case_id, carrier_requirement_id),
        ADD CONSTRAINT requirement_vendor_order_key UNIQUE (vendor, vendor_order_id),
        ADD CONSTRAINT requirement_idempotency_key UNIQUE (requested_by, idempotency_key);
      CREATE INDEX requirement_vendor_due_idx ON cases.requirement (vendor_due_at) WHERE vendor_due_at IS NOT NULL;
      CREATE INDEX requirement_follow_up_due_idx ON cases.requirement (follow_up_on) WHERE status = 'ORDERED';

      ALTER TABLE cases."case" ADD COLUMN case_manager_id text;
      CREATE INDEX case_manager_idx ON cases."case" (case_manager_id) WHERE status NOT IN ${CLOSED_STATUSES_SQL};

      ALTER TABLE cases.case_event ADD COLUMN requirement_id text;
      CREATE INDEX case_event_requirement_idx ON cases.case_event (requirement_id, id) WHERE requirement_id IS NOT NULL;

      -- Vendor webhook events received: a redelivery finds its id here and changes nothing.
      CREATE TABLE cases.vendor_event (
        vendor text NOT NULL,
        event_id text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (vendor, event_id)
      );
    `,
  },
  {
    version: 11,
    name: 'the requirements worklist: outstanding requirements in order of urgency',
    // requirementsWorklist (requirement-worklist.repository.ts) reads outstanding requirements in
    // this order: told the agent, then with the case manager, then overdue (oldest first), then by
    // the next follow-up; the keyset cursor carries these expressions, so the first page and every
    // later one read an index in order and stop after a page (700,000 requirements: bench:cases).
    // The same order under a code or a vendor, for the worklist's filters. The statistics tell the
    // planner what the columns say together (outstanding APSs are CHARTWELL's; managed cases are
    // open): without them it takes a filter for rare and sorts every match instead of reading the
    // order from the index. A case manager's worklist may instead start from their open cases
    // (the planner's choice: it cannot know that open cases hold the outstanding requirements): an
    // index-only read of their case ids, then each case's outstanding requirements alone.
    sql: `
      CREATE INDEX requirement_worklist_idx ON cases.requirement (${WORKLIST_ORDER_SQL}) WHERE status = 'ORDERED';
      CREATE INDEX requirement_worklist_code_idx ON cases.requirement (code, ${WORKLIST_ORDER_SQL}) WHERE status = 'ORDERED';
      CREATE INDEX requirement_worklist_vendor_idx ON cases.requirement (vendor, ${WORKLIST_ORDER_SQL}) WHERE status = 'ORDERED';
      CREATE STATISTICS cases.requirement_status_code_vendor_stats (mcv, dependencies) ON status, code, vendor FROM cases.requirement;
      CREATE STATISTICS cases.case_manager_status_stats (mcv, dependencies) ON case_manager_id, status FROM cases."case";
      DROP INDEX cases.case_manager_idx;
      CREATE INDEX case_manager_idx ON cases."case" (case_manager_id, id) WHERE status NOT IN ${CLOSED_STATUSES_SQL};
      CREATE INDEX requirement_outstanding_case_idx ON cases.requirement (case_id) WHERE status = 'ORDERED';
    `,
  },
  {
    version: 12,
    name: 'carrier status as carriers send it: approved flat extra',
    // A counter offer (ACORD 26) may carry a temporary flat extra beside the table rating: dollars per
    // $1,000 of face a year, charged for some years. The case keeps the approved one (0 = none); its
    // premium is re-priced with it (case-sync.worker.ts). A carrier's push names its application by
    // the carrier's reference: the index finds the case without a scan (carrier-push.route.ts).
    sql: `
      ALTER TABLE cases."case"
        ADD COLUMN flat_extra_per_thousand_cents integer NOT NULL DEFAULT 0 CHECK (flat_extra_per_thousand_cents >= 0),
        ADD COLUMN flat_extra_years integer CHECK (flat_extra_years BETWEEN 0 AND 30);
      CREATE INDEX case_carrier_reference_idx ON cases."case" (carrier_id, carrier_reference) WHERE carrier_reference IS NOT NULL;
    `,
  },
  {
    version: 13,
    name: 'lost vendor webhooks caught up by polling',
    // The vendor poll worker (vendor-poll.worker.ts) asks a vendor about an outstanding order whose
    // stage has not moved and which has not been asked for a while: vendor_polled_at is when it was
    // last asked (its lease too). The partial index holds only outstanding orders, in the order the
    // claim reads them, so a claim reads the stale ones first and stops after a batch.
    sql: `
      ALTER TABLE cases.requirement ADD COLUMN vendor_polled_at timestamptz;
      CREATE INDEX requirement_vendor_poll_idx ON cases.requirement (${VENDOR_LAST_NEWS_SQL}) WHERE ${OUTSTANDING_VENDOR_ORDER_SQL};
    `,
  },
  {
    version: 14,
    name: 'writing agents and their splits; commissions expected per case, party and transaction',
    // A case's writing agents share it by split (basis points summing to 10,000; the case's own
    // agent at 100% when none are given). cases.commission holds what each party is owed, one row a
    // line: the writing agent's own level, each upline's override (the difference of levels), the
    // BGA's difference over the top agency; first-year when placed, chargebacks when not taken or
    // lapsed. Rows are only inserted: a chargeback is a negative line, never an edit.
    sql: `
      CREATE TABLE cases.case_writing_agent (
        case_id text NOT NULL REFERENCES cases."case" (id),
        agent_id text NOT NULL,
        split_basis_points integer NOT NULL CHECK (split_basis_points > 0 AND split_basis_points <= 10000),
        PRIMARY KEY (case_id, agent_id)
      );
      CREATE INDEX case_writing_agent_agent_idx ON cases.case_writing_agent (agent_id, case_id);

      CREATE TABLE cases.commission (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        case_id text NOT NULL REFERENCES cases."case" (id),
        carrier_id text NOT NULL,
        -- An agent or agency id (agt_...), or 'BGA' for the BGA's own share.
        party_id text NOT NULL,
        role text NOT NULL CHECK (role IN ('WRITING', 'OVERRIDE', 'BGA')),
        -- The writing agent whose split this line comes from.
        writing_agent_id text NOT NULL,
        transaction text NOT NULL CHECK (transaction IN ('FIRST_YEAR', 'RENEWAL', 'CHARGEBACK', 'ADJUSTMENT')),
        policy_year integer NOT NULL DEFAULT 1,
        premium_cents bigint NOT NULL,
        split_basis_points integer NOT NULL,
        -- The party's rate for this line in basis points of premium (its level, or a difference of levels).
        rate_basis_points integer NOT NULL,
        amount_cents bigint NOT NULL,
        -- YYYY-MM: the payout period the line belongs to.
        period text NOT NULL,
        level_code text,
        computed_at timestamptz NOT NULL,
        payout_batch_id text,
        UNIQUE (case_id, transaction, policy_year, role, party_id, writing_agent_id)
      );
      CREATE INDEX commission_party_period_idx ON cases.commission (party_id, period, id);
      CREATE INDEX commission_case_idx ON cases.commission (case_id);
      CREATE INDEX commission_period_idx ON cases.commission (period, carrier_id);
    `,
  },
  {
    version: 15,
    name: 'expected commissions at placement: the job on the case, the terms booked, exceptions, lapses, payout batches',
    // A PLACED case with no commission booked yet, and a NOT_TAKEN one whose commission was booked and
    // not yet reversed, are due to the commission job (commissions/commission.worker.ts): the partial
    // index holds only those, so finding them costs what they are, not what the book is.
    // commission_due_at is the job's lease (and its retry time after an exception).
    sql: `
      ALTER TABLE cases."case" ADD COLUMN commission_booked_at timestamptz;
      ALTER TABLE cases."case" ADD COLUMN commission_reversed_at timestamptz;
      ALTER TABLE cases."case" ADD COLUMN commission_due_at timestamptz;
      -- Placements before the ledger existed were paid outside it: the job never books them.
      UPDATE cases."case" SET commission_booked_at = placed_at WHERE status = 'PLACED' AND placed_at IS NOT NULL;
      CREATE INDEX case_commission_due_idx ON cases."case" (commission_due_at NULLS FIRST, id)
        WHERE (status = 'PLACED' AND commission_booked_at IS NULL)
           OR (status = 'NOT_TAKEN' AND commission_booked_at IS NOT NULL AND commission_reversed_at IS NULL);

      -- The chargeback terms of the carrier's schedule as they were when the case's lines were booked.
      CREATE TABLE cases.commission_terms (
        case_id text PRIMARY KEY REFERENCES cases."case" (id),
        as_of date NOT NULL,
        chargeback_months integer NOT NULL CHECK (chargeback_months >= 0),
        lapse_chargeback text NOT NULL CHECK (lapse_chargeback IN ('FULL', 'PRO_RATA')),
        booked_at timestamptz NOT NULL
      );

      -- A placed case whose commissions could not be computed (no contract, an unknown chain): listed
      -- for staff, retried with a growing delay, removed when its lines are booked.
      CREATE TABLE cases.commission_exception (
        case_id text PRIMARY KEY REFERENCES cases."case" (id),
        reason text NOT NULL,
        attempts integer NOT NULL DEFAULT 1,
        first_at timestamptz NOT NULL,
        last_at timestamptz NOT NULL
      );

      -- A placed policy that lapsed: recorded once, with what it charged back.
      CREATE TABLE cases.policy_lapse (
        case_id text PRIMARY KEY REFERENCES cases."case" (id),
        lapsed_on date NOT NULL,
        paid_months integer NOT NULL CHECK (paid_months >= 0),
        chargeback_cents bigint NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      );

      -- One payout batch per period: the unpaid lines of that period and earlier (never the BGA's own).
      CREATE TABLE cases.payout_batch (
        id text PRIMARY KEY,
        period text NOT NULL UNIQUE CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
        line_count integer NOT NULL,
        total_cents bigint NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX commission_unpaid_idx ON cases.commission (period) WHERE payout_batch_id IS NULL AND party_id <> 'BGA';
      CREATE INDEX commission_batch_idx ON cases.commission (payout_batch_id, case_id) WHERE payout_batch_id IS NOT NULL;
    `,
  },
  {
    version: 16,
    name: 'carrier commission statements: files, booked lines, exceptions; cases by policy number',
    // A carrier's statement file is booked once (content_sha256 is unique: the same bytes again book
    // nothing). Each line is matched to its case by (carrier_id, policy_number) and reconciled
    // against cases.commission (statements/statement.repository.ts); the insured's last name on a
    // line is compared, never stored. A line already booked (same carrier, policy, transaction,
    // period and amount) is a DUPLICATE exception, in the same file or a later one.
    sql: `
      CREATE INDEX case_policy_number_idx ON cases."case" (carrier_id, policy_number) WHERE policy_number IS NOT NULL;

      CREATE TABLE cases.statement_file (
        id text PRIMARY KEY,
        carrier_id text NOT NULL,
        file_name text NOT NULL,
        content_sha256 text NOT NULL UNIQUE,
        layout text NOT NULL,
        source text NOT NULL CHECK (source IN ('UPLOAD', 'WATCHED_FOLDER')),
        booked_by text NOT NULL,
        booked_at timestamptz NOT NULL CHECK (booked_at = date_trunc('milliseconds', booked_at)),
        line_count integer NOT NULL DEFAULT 0,
        matched_count integer NOT NULL DEFAULT 0,
        mismatched_count integer NOT NULL DEFAULT 0,
        unmatched_count integer NOT NULL DEFAULT 0,
        duplicate_count integer NOT NULL DEFAULT 0,
        invalid_count integer NOT NULL DEFAULT 0,
        received_cents bigint NOT NULL DEFAULT 0
      );
      CREATE INDEX statement_file_booked_idx ON cases.statement_file (booked_at DESC, id DESC);
      CREATE INDEX statement_file_carrier_idx ON cases.statement_file (carrier_id, booked_at DESC, id DESC);

      CREATE TABLE cases.statement_line (
        file_id text NOT NULL REFERENCES cases.statement_file (id),
        line_no integer NOT NULL,
        carrier_id text NOT NULL,
        policy_number text NOT NULL,
        case_id text REFERENCES cases."case" (id),
        transaction text NOT NULL CHECK (transaction IN ('FIRST_YEAR', 'RENEWAL', 'CHARGEBACK', 'ADJUSTMENT')),
        premium_cents bigint NOT NULL,
        rate_basis_points integer NOT NULL,
        amount_cents bigint NOT NULL,
        -- YYYY-MM: the period the carrier paid for.
        period text NOT NULL,
        expected_cents bigint,
        status text NOT NULL CHECK (status IN ('MATCHED', 'MISMATCHED', 'UNMATCHED')),
        insured_name_matches boolean,
        PRIMARY KEY (file_id, line_no)
      );
      CREATE UNIQUE INDEX statement_line_once_idx ON cases.statement_line (carrier_id, policy_number, transaction, period, amount_cents);
      CREATE INDEX statement_line_carrier_period_idx ON cases.statement_line (carrier_id, period);
      CREATE INDEX statement_line_case_idx ON cases.statement_line (case_id) WHERE case_id IS NOT NULL;

      CREATE TABLE cases.statement_exception (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        file_id text NOT NULL REFERENCES cases.statement_file (id),
        line_no integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('UNMATCHED', 'MISMATCHED', 'DUPLICATE', 'INVALID')),
        policy_number text,
        transaction text,
        expected_cents bigint,
        received_cents bigint,
        message text NOT NULL
      );
      CREATE INDEX statement_exception_file_idx ON cases.statement_exception (file_id, id);
      CREATE INDEX statement_exception_kind_idx ON cases.statement_exception (kind, id);
    `,
  },
  {
    version: 17,
    name: 'webhook subscribers: a cursor over case_event per subscriber, and their delivery attempts',
    // The outbox of webhooks is case_event itself: each subscriber keeps a cursor (tx, id) over it.
    // tx is the inserting transaction's id (the column's default, so no write path changes): a
    // worker takes only events of transactions older than every one still running
    // (pg_snapshot_xmin), so an event whose transaction commits late is never skipped by a cursor
    // that moved past its id. Existing rows keep tx NULL (no rewrite of the table): they predate
    // every subscriber. The secret is sealed (PersonalDataVault, field webhook_subscriber.secret).
    sql: `
      ALTER TABLE cases.case_event ADD COLUMN tx xid8;
      ALTER TABLE cases.case_event ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
      CREATE INDEX case_event_tx_idx ON cases.case_event (tx, id) WHERE tx IS NOT NULL;

      CREATE TABLE cases.webhook_subscriber (
        id text PRIMARY KEY,
        url text NOT NULL,
        description text,
        -- Empty: every event type.
        event_types text[] NOT NULL DEFAULT '{}',
        secret text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        -- The cursor: the last event delivered or dead-lettered (or where the subscriber started).
        cursor_tx xid8 NOT NULL,
        cursor_id bigint NOT NULL DEFAULT 0,
        last_event_id bigint,
        -- The event in flight (the head): its attempts so far and when the first was made.
        head_event_id bigint,
        attempts integer NOT NULL DEFAULT 0,
        first_attempt_at timestamptz,
        -- Lease and backoff at once: the subscriber is claimed again at this instant.
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text
      );
      CREATE INDEX webhook_subscriber_due_idx ON cases.webhook_subscriber (next_attempt_at) WHERE deleted_at IS NULL AND active;

      CREATE TABLE cases.webhook_delivery (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        subscriber_id text NOT NULL REFERENCES cases.webhook_subscriber (id),
        event_id bigint NOT NULL,
        attempt integer NOT NULL,
        status text NOT NULL CHECK (status IN ('DELIVERED', 'FAILED', 'DEAD_LETTERED')),
        http_status integer,
        error text,
        duration_ms integer NOT NULL,
        attempted_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_delivery_subscriber_idx ON cases.webhook_delivery (subscriber_id, id DESC);
      CREATE INDEX webhook_delivery_status_idx ON cases.webhook_delivery (subscriber_id, status, id DESC);
    `,
  },
  {
    version: 18,
    name: "the case rollups: additive case figures per submission day and month, carrier, product type and status, kept in the write's transaction; indexes for the medians by agent, product type and month and for the requirement aging",
    // The dashboards' whole-book questions (caseMetrics, caseMetricsSeries by submission, caseFunnel)
    // read the month rollup for the whole months of their range and the day rollup for the days at its
    // edges, instead of every case. Statement-level triggers with
    // transition tables keep it in the transaction of the write: a bulk insert (the seed) is one
    // grouped upsert, a single case's change one or two rows. Exact: counts, cents and numeric sums of
    // seconds, so a row whose cases all left is all zeros (readers skip cases = 0).
    sql: `
      CREATE TABLE cases.case_rollup (
        day date NOT NULL,
        carrier_id text NOT NULL,
        product_type text NOT NULL,
        status text NOT NULL,
        cases integer NOT NULL,
        approved integer NOT NULL,
        issued integer NOT NULL,
        issue_seconds numeric NOT NULL,
        placed_count integer NOT NULL,
        place_seconds numeric NOT NULL,
        premium_cents bigint NOT NULL,
        reached_approval integer NOT NULL,
        reached_issue integer NOT NULL,
        PRIMARY KEY (day, carrier_id, product_type, status)
      );
      -- The same by month (day: the month's first): the whole months of a range read ~50 rows a month, at any size.
      CREATE TABLE cases.case_rollup_month (LIKE cases.case_rollup INCLUDING ALL);
      ${rollupUpsert('cases.case_rollup', rollupContribution('cases."case"', 1))};
      ${rollupUpsert('cases.case_rollup_month', rollupContribution('cases."case"', 1))};

      CREATE FUNCTION cases.case_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${rollupUpsert('cases.case_rollup', rollupContribution('arrived', 1))};
        ${rollupUpsert('cases.case_rollup_month', rollupContribution('arrived', 1))};
        RETURN NULL;
      END $fn$;
      CREATE FUNCTION cases.case_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${rollupUpsert('cases.case_rollup', `${rollupContribution('arrived', 1)} UNION ALL ${rollupContribution('departed', -1)}`)};
        ${rollupUpsert('cases.case_rollup_month', `${rollupContribution('arrived', 1)} UNION ALL ${rollupContribution('departed', -1)}`)};
        RETURN NULL;
      END $fn$;
      CREATE FUNCTION cases.case_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        ${rollupUpsert('cases.case_rollup', rollupContribution('departed', -1))};
        ${rollupUpsert('cases.case_rollup_month', rollupContribution('departed', -1))};
        RETURN NULL;
      END $fn$;
      CREATE TRIGGER case_rollup_insert AFTER INSERT ON cases."case" REFERENCING NEW TABLE AS arrived
        FOR EACH STATEMENT EXECUTE FUNCTION cases.case_rollup_insert();
      CREATE TRIGGER case_rollup_update AFTER UPDATE ON cases."case" REFERENCING OLD TABLE AS departed NEW TABLE AS arrived
        FOR EACH STATEMENT EXECUTE FUNCTION cases.case_rollup_update();
      CREATE TRIGGER case_rollup_delete AFTER DELETE ON cases."case" REFERENCING OLD TABLE AS departed
        FOR EACH STATEMENT EXECUTE FUNCTION cases.case_rollup_delete();

      -- caseMetrics' medians by group, read in order (as migration 2's by carrier): no sort of the cohort.
      CREATE INDEX case_agent_issue_seconds_idx ON cases."case" (agent_id, issue_seconds) WHERE issue_seconds IS NOT NULL;
      CREATE INDEX case_product_type_issue_seconds_idx ON cases."case" (product_type, issue_seconds) WHERE issue_seconds IS NOT NULL;
      -- submitted_at included: an index-only scan needs the column the expression is computed from.
      CREATE INDEX case_month_issue_seconds_idx ON cases."case" (date_trunc('month', submitted_at AT TIME ZONE 'UTC'), issue_seconds)
        INCLUDE (submitted_at) WHERE issue_seconds IS NOT NULL;
      -- caseMetrics' requirement aging from the outstanding requirements' index alone (index-only: 294 ms -> 78 ms at a
      -- million cases, ~60,000 outstanding among 7.5 million); the same key as migration 11's, so its other readers keep it.
      DROP INDEX cases.requirement_outstanding_case_idx;
      CREATE INDEX requirement_outstanding_case_idx ON cases.requirement (case_id) INCLUDE (code, ordered_at, follow_up_on) WHERE status = 'ORDERED';
    `,
  },
  {
    version: 19,
    name: 'webhook replays: dead-lettered events queued again for their subscriber by an ADMIN',
    // One row per (subscriber, event) while it waits: queuing it again is a no-op (idempotent), and
    // the row goes once the event is delivered (or dead-lettered again). Its own lease and backoff,
    // beside the subscriber's cursor, which has moved on past the event.
    sql: `
      CREATE TABLE cases.webhook_replay (
        subscriber_id text NOT NULL REFERENCES cases.webhook_subscriber (id),
        event_id bigint NOT NULL,
        requested_by text NOT NULL,
        requested_at timestamptz NOT NULL DEFAULT now(),
        attempts integer NOT NULL DEFAULT 0,
        first_attempt_at timestamptz,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subscriber_id, event_id)
      );
      CREATE INDEX webhook_replay_due_idx ON cases.webhook_replay (next_attempt_at);
    `,
  },
];
