/**
 * Loads the demo world into the three schemas. Idempotent: an already seeded database is left as
 * it is unless `force` (which empties the tables first). Runs the migrations first, so it works
 * on an empty database. Used by `npm start`, `npm run seed` and the test setup.
 */
import type pg from 'pg';
import { CARRIERS, type CarrierFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { underwritingFixture } from '../../subgraphs/carriers/fixtures/requirement-grids.fixture';
import { applicationRulesFor } from '../../subgraphs/carriers/fixtures/application-rules.fixture';
import { guidelinesFor } from '../../subgraphs/carriers/fixtures/underwriting-guidelines.fixture';
import { migrateAll } from '../migrate-all';
import { seedContracts } from './contracts';
import { seedOnboarding } from './onboarding';
import { type CaseBatch, DEMO_AGENTS, DEMO_SEED, streamWorld, type WorldOptions } from './world';
import { insertProducerDatabaseCompanies } from './licensing.seed';
import { seedAppointmentFilings } from './appointments.seed';

export interface SeedOptions extends Partial<WorldOptions> {
  force?: boolean;
  log?: (message: string) => void;
  /** Cases generated and inserted per batch (5,000 unless set): what the seed holds in memory at once. */
  batchCases?: number;
}

/** Inserts rows in chunks of multi-row VALUES, staying under Postgres's 65,535 parameters. */
async function insertRows(client: pg.PoolClient, table: string, columns: string[], rows: unknown[][], suffix = ''): Promise<void> {
  const perChunk = Math.max(1, Math.floor(60_000 / columns.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params: unknown[] = [];
    const values = chunk.map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${suffix}`, params);
  }
}

/**
 * Inserts rows as one statement per call whatever their number: one array parameter per column,
 * unnested by PostgreSQL (`INSERT ... SELECT * FROM unnest($1::text[], $2::int[], ...)`), so a batch of
 * 100,000 rows is 30 parameters, not 3,000,000; each array is cast to its column's own type.
 */
async function insertColumns(client: pg.PoolClient, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const types = await columnTypes(client, table, columns);
  const arrays = columns.map((_, i) => rows.map((row) => row[i]));
  await client.query(
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT * FROM unnest(${columns.map((column, i) => `$${i + 1}::${types.get(column)}[]`).join(', ')})`,
    arrays,
  );
}

const typeCache = new WeakMap<pg.PoolClient, Map<string, Map<string, string>>>();
async function columnTypes(client: pg.PoolClient, table: string, columns: string[]): Promise<Map<string, string>> {
  let byTable = typeCache.get(client);
  if (!byTable) typeCache.set(client, (byTable = new Map()));
  let types = byTable.get(table);
  if (!types) {
    const { rows } = await client.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
      [table],
    );
    types = new Map(rows.map((row) => [row.name, row.type]));
    byTable.set(table, types);
  }
  for (const column of columns) if (!types.has(column)) throw new Error(`${table} has no column ${column}`);
  return types;
}

/**
 * The catalog rows of these carriers (carrier, products, underwriting data, contracting), each left
 * as it is when already there: the demo carriers, or generated ones a benchmark or test adds.
 */
async function insertCatalog(client: pg.PoolClient, carriers: readonly CarrierFixture[]): Promise<void> {
  await insertRows(
    client,
    'carriers.carrier',
    ['id', 'code', 'name', 'naic_code', 'am_best_rating', 'age_basis', 'protocol'],
    carriers.map((c) => [c.id, c.code, c.name, c.naicCode, c.amBestRating, c.ageBasis, c.protocol]),
    'ON CONFLICT (id) DO NOTHING',
  );
  await insertRows(
    client,
    'carriers.product',
    [
      'id',
      'carrier_id',
      'code',
      'name',
      'type',
      'terms',
      'min_issue_age',
      'max_issue_age',
      'min_face_amount',
      'max_face_amount',
      'health_classes',
      'available_states',
      'fully_underwritten',
      'guarantee_ages',
      'pay_periods',
      'final_expense_plans',
      'riders',
    ],
    carriers
      .flatMap((c) => c.products)
      .map((p) => [
        p.id,
        p.carrierId,
        p.code,
        p.name,
        p.type,
        JSON.stringify(p.terms),
        p.minIssueAge,
        p.maxIssueAge,
        p.minFaceAmount,
        p.maxFaceAmount,
        p.healthClasses,
        p.availableStates,
        p.fullyUnderwritten,
        p.guaranteeAges ?? null,
        p.payPeriods ?? null,
        p.finalExpensePlans ?? null,
        p.riders ? JSON.stringify(p.riders) : null,
      ]),
    'ON CONFLICT (id) DO NOTHING',
  );
  // The requirements grid, the accelerated program and the field-underwriting guidelines: carrier data, like rates.
  await insertRows(
    client,
    'carriers.carrier_underwriting',
    ['carrier_id', 'requirement_grid', 'accelerated_rules', 'guidelines'],
    carriers.flatMap((c) => {
      const underwriting = underwritingFixture(c.code);
      return underwriting
        ? [
            [
              c.id,
              JSON.stringify(underwriting.requirementGrid),
              JSON.stringify(underwriting.acceleratedRules),
              JSON.stringify(guidelinesFor(c)),
            ],
          ]
        : [];
    }),
    'ON CONFLICT (carrier_id) DO NOTHING',
  );
  await insertRows(
    client,
    'carriers.carrier_application_rules',
    ['carrier_id', 'rules'],
    carriers.map((c) => [c.id, JSON.stringify(applicationRulesFor(c))]),
    'ON CONFLICT (carrier_id) DO NOTHING',
  );
  await insertRows(
    client,
    'agents.carrier_contracting',
    ['carrier_id', 'pre_appointment_states'],
    carriers.map((c) => [c.id, c.preAppointmentStates]),
    'ON CONFLICT (carrier_id) DO NOTHING',
  );
  await insertProducerDatabaseCompanies(client, carriers);
}

/**
 * Adds these carriers to the catalog of an already migrated (or empty) database, without the rest of
 * the demo world: e.g. the generated carriers a benchmark compares beside the demo ones. Carriers
 * already there are left as they are. Each carrier also needs its CARRIER_<CODE>_* settings.
 */
export async function seedCarriers(pool: pg.Pool, carriers: readonly CarrierFixture[]): Promise<void> {
  await migrateAll(pool);
  await insertCatalogOnce(pool, carriers);
}

/** The catalog rows of `carriers` in one transaction, on a migrated database. */
async function insertCatalogOnce(pool: pg.Pool, carriers: readonly CarrierFixture[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await insertCatalog(client, carriers);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function seedDatabase(pool: pg.Pool, options: SeedOptions = {}): Promise<{ seeded: boolean; cases: number }> {
  const log = options.log ?? (() => undefined);
  await migrateAll(pool);
  const existing = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM agents.agent');
  if (existing.rows[0].n > 0 && !options.force) {
    // A database seeded by an earlier version still gets the demo catalog's new tables (rows already there are left alone).
    await insertCatalogOnce(pool, CARRIERS);
    await seedContracts(pool);
    return { seeded: false, cases: 0 };
  }
  const cases = options.cases ?? 3000;
  const world = streamWorld(
    {
      anchor: options.anchor ?? new Date().toISOString().slice(0, 10),
      cases,
      agents: options.agents ?? DEMO_AGENTS,
      seed: options.seed ?? DEMO_SEED,
    },
    options.batchCases,
  );
  log(`seeding ${world.people.agents.length} agents and ${cases} cases`);
  let seeded = { cases: 0, requirements: 0, events: 0 };
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    if (options.force) {
      // CASCADE: what hangs off cases (applications, documents, changes) goes with them.
      await client.query(`TRUNCATE cases.case_event, cases.requirement, cases.outbox, cases."case", cases.case_rollup, agents.appointment, agents.license,
        agents.carrier_contracting, agents.agent, carriers.carrier_application_rules, carriers.carrier_underwriting, carriers.product, carriers.carrier CASCADE`);
    }
    await insertCatalog(client, CARRIERS);
    // Agencies first: agents reference their upline.
    await insertRows(
      client,
      'agents.agent',
      ['id', 'npn', 'first_name', 'last_name', 'email', 'resident_state', 'status', 'upline_id', 'eo_expires_on', 'aml_trained_on'],
      world.people.agents.map((a) => [
        a.id,
        a.npn,
        a.firstName,
        a.lastName,
        a.email,
        a.residentState,
        a.status,
        a.uplineId,
        a.eoExpiresOn,
        a.amlTrainedOn,
      ]),
    );
    // Each ACTIVE agent's contracting packet (scripts/seed/onboarding.ts).
    await seedOnboarding(client, world.people.agents, options.anchor ?? new Date().toISOString().slice(0, 10));
    await insertRows(
      client,
      'agents.license',
      ['id', 'agent_id', 'state', 'number', 'resident', 'lines_of_authority', 'effective_on', 'expires_on'],
      world.people.licenses.map((l) => [l.id, l.agentId, l.state, l.number, l.resident, l.linesOfAuthority, l.effectiveOn, l.expiresOn]),
    );
    await insertRows(
      client,
      'agents.appointment',
      ['id', 'agent_id', 'carrier_id', 'state', 'status', 'writing_number', 'effective_on', 'terminated_on'],
      world.people.appointments.map((a) => [
        a.id,
        a.agentId,
        a.carrierId,
        a.state,
        a.status,
        a.writingNumber,
        a.effectiveOn,
        a.terminatedOn,
      ]),
    );
    await seedContracts(client);
    await seedAppointmentFilings(client, options.anchor ?? new Date().toISOString().slice(0, 10));
    // The cases in batches: one batch is inserted while the next is generated, and only those two are held.
    const insertBatch = async (batch: CaseBatch) => {
      await insertColumns(
        client,
        'cases."case"',
        [
          'id',
          'case_number',
          'agent_id',
          'carrier_id',
          'product_id',
          'product_type',
          'insured_first_name',
          'insured_last_name',
          'insured_birth_date',
          'insured_gender',
          'insured_state',
          'insured_tobacco',
          'face_amount',
          'approved_face_amount',
          'term_years',
          'applied_health_class',
          'approved_health_class',
          'table_rating',
          'payment_mode',
          'annual_premium_cents',
          'modal_premium_cents',
          'status',
          'carrier_reference',
          'policy_number',
          'submitted_at',
          'approved_at',
          'issued_at',
          'placed_at',
          'closed_at',
          'created_by',
        ],
        batch.cases.map((c) => [
          c.id,
          c.caseNumber,
          c.agentId,
          c.carrierId,
          c.productId,
          c.productType,
          c.insuredFirstName,
          c.insuredLastName,
          c.insuredBirthDate,
          c.insuredGender,
          c.insuredState,
          c.insuredTobacco,
          c.faceAmount,
          c.approvedFaceAmount,
          c.termYears,
          c.appliedHealthClass,
          c.approvedHealthClass,
          c.tableRating,
          c.paymentMode,
          c.annualPremiumCents,
          c.modalPremiumCents,
          c.status,
          c.carrierReference,
          c.policyNumber,
          c.submittedAt,
          c.approvedAt,
          c.issuedAt,
          c.placedAt,
          c.closedAt,
          c.createdBy,
        ]),
      );
      await insertColumns(
        client,
        'cases.requirement',
        ['id', 'case_id', 'code', 'status', 'ordered_at', 'received_at', 'follow_up_on'],
        batch.requirements.map((r) => [r.id, r.caseId, r.code, r.status, r.orderedAt, r.receivedAt, r.followUpOn]),
      );
      await insertColumns(
        client,
        'cases.case_event',
        ['case_id', 'at', 'type', 'from_status', 'to_status', 'requirement_code', 'actor', 'note'],
        batch.events.map((e) => [e.caseId, e.at, e.type, e.fromStatus, e.toStatus, e.requirementCode, e.actor, e.note]),
      );
      seeded = {
        cases: seeded.cases + batch.cases.length,
        requirements: seeded.requirements + batch.requirements.length,
        events: seeded.events + batch.events.length,
      };
      if (seeded.cases % 100_000 < batch.cases.length)
        log(
          `${seeded.cases} cases, ${seeded.requirements} requirements, ${seeded.events} events (rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB)`,
        );
    };
    let inserting: Promise<void> = Promise.resolve();
    for (const batch of world.batches) {
      await inserting;
      inserting = insertBatch(batch);
    }
    await inserting;
    // New cases are numbered after the seeded ones.
    await client.query(`SELECT setval('cases.case_number_seq', GREATEST($1::bigint, nextval('cases.case_number_seq')))`, [
      100000 + seeded.cases + 1,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  log(`seeded ${seeded.cases} cases, ${seeded.requirements} requirements, ${seeded.events} events`);
  return { seeded: true, cases: seeded.cases };
}
