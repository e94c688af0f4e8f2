/**
 * The demo world's contracting for commissions (docs/domain.md, "Contract levels and commissions"):
 * every demo carrier's contract levels, the BGA's contract with it, a commission schedule for each of
 * its products at each level, and each agent's and agency's contracts, nested down the hierarchy.
 * Deterministic: the same agents and appointments give the same rows.
 */
import type pg from 'pg';
import { CARRIERS, type CarrierFixture, type ProductFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';

/** The level ladder every demo carrier uses: a level's number is its first-year percent on term (L85: 85%). */
export const DEMO_LEVELS = [130, 125, 120, 115, 110, 105, 100, 95, 90, 85, 80, 75, 70, 60, 50] as const;
const code = (level: number) => `L${level}`;

/** The demo contracts start here: before any demo case. */
export const DEMO_CONTRACTS_EFFECTIVE_ON = '2020-01-01';

/** A small stable hash of a string, to spread demo choices without touching the world's random stream. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The BGA's level with a demo carrier: mostly L120 (the worked example's), a few L125 or L115. */
export function demoBgaLevel(carrierIndex: number): number {
  return [120, 120, 125, 120, 115][carrierIndex % 5];
}

/**
 * A product's rates at a level: first-year = the level's percent on term, a little less on permanent
 * and final expense products; renewals a few percent for years 2-10 (proportional to the level, so a
 * higher level never pays less); chargebacks over 12 months, pro-rated but at every fourth carrier.
 */
export function demoScheduleTerms(product: Pick<ProductFixture, 'type'>, level: number, carrierIndex: number) {
  const firstYear = product.type === 'TERM' ? 1 : product.type === 'FINAL_EXPENSE' ? 0.8 : 0.9;
  const renewal = product.type === 'TERM' ? 0.02 : 0.03;
  return {
    firstYearBasisPoints: Math.round(level * 100 * firstYear),
    renewalBasisPoints: Math.round(level * 100 * renewal),
    renewalYears: 10,
    chargebackMonths: 12,
    lapseChargeback: carrierIndex % 4 === 3 ? 'FULL' : 'PRO_RATA',
  } as const;
}

async function insert(client: Pick<pg.PoolClient, 'query'>, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perChunk = Math.floor(60_000 / columns.length);
  for (let start = 0; start < rows.length; start += perChunk) {
    const params: unknown[] = [];
    const values = rows.slice(start, start + perChunk).map((row) => `(${row.map((value) => `$${params.push(value)}`).join(', ')})`);
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT DO NOTHING`, params);
  }
}

/** Who is under whom, and who is appointed where: what demo contracts are derived from. */
export interface ContractingWorld {
  agents: readonly { id: string; uplineId: string | null }[];
  appointments: readonly { agentId: string; carrierId: string }[];
}

/**
 * Agents' levels, nested: an agency (no upline) L100-L110 under the BGA's level, an agent with a
 * downline L90-L95, any other agent L70-L85, each capped at its upline's level. Agencies and agents
 * with a downline hold a contract with every carrier; other agents with the carriers they hold an
 * appointment with (PENDING agents, who have none, hold no contract yet).
 */
export function demoAgentContracts(world: ContractingWorld, carriers: readonly CarrierFixture[]) {
  const bgaLevel = new Map(carriers.map((c, i) => [c.id, demoBgaLevel(i)]));
  const uplineOf = new Map(world.agents.map((a) => [a.id, a.uplineId]));
  const hasDownline = new Set(world.agents.flatMap((a) => (a.uplineId ? [a.uplineId] : [])));
  const appointed = new Map<string, Set<string>>();
  for (const appointment of world.appointments) {
    const set = appointed.get(appointment.agentId) ?? new Set<string>();
    set.add(appointment.carrierId);
    appointed.set(appointment.agentId, set);
  }
  // Uplines first: by depth in the hierarchy (bounded, should links ever loop), then id.
  const depth = (id: string) => {
    let n = 0;
    for (let up = uplineOf.get(id); up && n < 20; up = uplineOf.get(up)) n++;
    return n;
  };
  const ordered = world.agents
    .map((a) => ({ agent: a, depth: depth(a.id) }))
    .sort((a, b) => a.depth - b.depth || a.agent.id.localeCompare(b.agent.id));
  const levels = new Map<string, number>(); // `${agentId}|${carrierId}` -> level
  const contracts: { agentId: string; carrierId: string; level: number }[] = [];
  for (const { agent } of ordered) {
    const carrierIds =
      agent.uplineId === null || hasDownline.has(agent.id) ? carriers.map((c) => c.id) : [...(appointed.get(agent.id) ?? [])];
    const h = hash(agent.id);
    const wanted =
      agent.uplineId === null ? [100, 105, 110][h % 3] : hasDownline.has(agent.id) ? [95, 90][h % 2] : [85, 85, 80, 75, 70][h % 5];
    for (const carrierId of carrierIds) {
      const cap = agent.uplineId === null ? bgaLevel.get(carrierId) : levels.get(`${agent.uplineId}|${carrierId}`);
      if (cap === undefined) continue; // the upline holds no contract there (or the carrier is no demo carrier): neither can the agent
      const level = Math.min(wanted, cap);
      levels.set(`${agent.id}|${carrierId}`, level);
      contracts.push({ agentId: agent.id, carrierId, level });
    }
  }
  return contracts;
}

type Queryable = Pick<pg.PoolClient, 'query'>;

/**
 * Writes the demo carriers' levels, schedules and the BGA's contracts, then the agents' contracts
 * (derived from the agents and appointments in the database), once: a database where any agent holds
 * a contract is left alone. Inside the seed's transaction for a new world; on its own for a database
 * seeded before contracts existed (rows already there stay; the agents' contracts, written last, mark it done).
 */
export async function seedContracts(db: Queryable): Promise<void> {
  const done = await db.query(`SELECT 1 FROM agents.agent_contract LIMIT 1`);
  if (done.rows.length > 0) return;
  const agents = await db.query<{ id: string; uplineId: string | null }>(`SELECT id, upline_id AS "uplineId" FROM agents.agent`);
  const appointments = await db.query<{ agentId: string; carrierId: string }>(
    `SELECT DISTINCT agent_id AS "agentId", carrier_id AS "carrierId" FROM agents.appointment`,
  );
  await insert(
    db,
    'agents.contract_level',
    ['carrier_id', 'code', 'rank'],
    CARRIERS.flatMap((c) => DEMO_LEVELS.map((level) => [c.id, code(level), level])),
  );
  await insert(
    db,
    'agents.commission_schedule',
    [
      'carrier_id',
      'product_id',
      'level_code',
      'first_year_basis_points',
      'renewal_basis_points',
      'renewal_years',
      'chargeback_months',
      'lapse_chargeback',
    ],
    CARRIERS.flatMap((c, i) =>
      c.products.flatMap((p) =>
        DEMO_LEVELS.map((level) => {
          const t = demoScheduleTerms(p, level, i);
          return [
            c.id,
            p.id,
            code(level),
            t.firstYearBasisPoints,
            t.renewalBasisPoints,
            t.renewalYears,
            t.chargebackMonths,
            t.lapseChargeback,
          ];
        }),
      ),
    ),
  );
  await insert(
    db,
    'agents.bga_contract',
    ['carrier_id', 'level_code', 'effective_on'],
    CARRIERS.map((c, i) => [c.id, code(demoBgaLevel(i)), DEMO_CONTRACTS_EFFECTIVE_ON]),
  );
  await insert(
    db,
    'agents.agent_contract',
    ['agent_id', 'carrier_id', 'level_code', 'effective_on'],
    demoAgentContracts({ agents: agents.rows, appointments: appointments.rows }, CARRIERS).map((k) => [
      k.agentId,
      k.carrierId,
      code(k.level),
      DEMO_CONTRACTS_EFFECTIVE_ON,
    ]),
  );
}
