/**
 * The demo world, generated deterministically from a seed and an anchor day (docs/domain.md "Demo data"):
 * agencies and agents with licenses and appointments, and cases over two years whose requirements
 * and events add up. Pure: no I/O, so the same inputs always give the same rows.
 */
import { CARRIERS, type CarrierFixture, type ProductFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { rateFor } from '../../subgraphs/carriers/fixtures/rate-table';
import { annualPremiumCents, issueAge, modalPremiumsCents } from '../../subgraphs/carriers/domain/premium';
import { FOLLOW_UP_DAYS } from '../../subgraphs/cases/domain/requirement.rules';
import { AGENCY_NAMES, FIRST_NAMES, LAST_NAMES } from './names';
import { DAY_MS, dateMs, isoDate, isoInstant, Random } from './random';

export interface SeedAgent {
  id: string;
  npn: string;
  firstName: string;
  lastName: string;
  email: string;
  residentState: string;
  status: 'PENDING' | 'ACTIVE' | 'SUSPENDED' | 'TERMINATED';
  uplineId: string | null;
  eoExpiresOn: string | null;
  amlTrainedOn: string | null;
}
export interface SeedLicense {
  id: string;
  agentId: string;
  state: string;
  number: string;
  resident: boolean;
  linesOfAuthority: string[];
  effectiveOn: string;
  expiresOn: string;
}
export interface SeedAppointment {
  id: string;
  agentId: string;
  carrierId: string;
  state: string;
  status: 'REQUESTED' | 'ACTIVE' | 'TERMINATED';
  writingNumber: string | null;
  effectiveOn: string | null;
  terminatedOn: string | null;
}
export interface SeedCase {
  id: string;
  caseNumber: string;
  agentId: string;
  carrierId: string;
  productId: string;
  productType: string;
  insuredFirstName: string;
  insuredLastName: string;
  insuredBirthDate: string;
  insuredGender: 'MALE' | 'FEMALE';
  insuredState: string;
  insuredTobacco: boolean;
  faceAmount: number;
  approvedFaceAmount: number | null;
  termYears: number | null;
  appliedHealthClass: string;
  approvedHealthClass: string | null;
  tableRating: number;
  paymentMode: string;
  annualPremiumCents: number;
  modalPremiumCents: number;
  status: string;
  carrierReference: string | null;
  policyNumber: string | null;
  submittedAt: string;
  approvedAt: string | null;
  issuedAt: string | null;
  placedAt: string | null;
  closedAt: string | null;
  createdBy: string;
}
export interface SeedRequirement {
  id: string;
  caseId: string;
  code: string;
  status: 'ORDERED' | 'RECEIVED' | 'WAIVED' | 'CANCELLED';
  orderedAt: string;
  receivedAt: string | null;
  followUpOn: string;
}
export interface SeedEvent {
  caseId: string;
  at: string;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  requirementCode: string | null;
  actor: string;
  note: string | null;
}
export interface DemoWorld {
  agents: SeedAgent[];
  licenses: SeedLicense[];
  appointments: SeedAppointment[];
  cases: SeedCase[];
  requirements: SeedRequirement[];
  events: SeedEvent[];
}

/** The demo world's seed and size when none is asked for (npm run seed, and the producer-database simulator). */
export const DEMO_SEED = 20251124;
export const DEMO_AGENTS = 300;

export interface WorldOptions {
  /** The day the world is seen from (YYYY-MM-DD): cases span the two years before it. */
  anchor: string;
  cases: number;
  agents: number;
  seed: number;
}

// Populous states come up more often, as they would in a real book of business.
const STATE_WEIGHTS: readonly (readonly [string, number])[] = [
  ['CA', 12],
  ['TX', 10],
  ['FL', 9],
  ['NY', 6],
  ['PA', 5],
  ['IL', 5],
  ['OH', 5],
  ['GA', 4],
  ['NC', 4],
  ['MI', 4],
  ['NJ', 3],
  ['VA', 3],
  ['WA', 3],
  ['AZ', 3],
  ['TN', 3],
  ['MA', 3],
  ['IN', 2],
  ['MO', 2],
  ['MD', 2],
  ['WI', 2],
  ['CO', 2],
  ['MN', 2],
  ['SC', 2],
  ['AL', 2],
  ['LA', 2],
  ['KY', 2],
  ['OR', 1],
  ['OK', 1],
  ['CT', 1],
  ['UT', 1],
  ['IA', 1],
  ['NV', 1],
  ['AR', 1],
  ['MS', 1],
  ['KS', 1],
  ['NM', 1],
  ['NE', 1],
  ['ID', 1],
  ['WV', 1],
  ['HI', 1],
  ['NH', 1],
  ['ME', 1],
  ['MT', 1],
  ['RI', 1],
  ['DE', 1],
  ['SD', 1],
  ['ND', 1],
  ['AK', 1],
  ['DC', 1],
  ['VT', 1],
  ['WY', 1],
];
const STATES = STATE_WEIGHTS.map(([s]) => s);
const STAFF = ['usr_staff_01', 'usr_staff_02', 'usr_staff_03', 'usr_staff_04', 'usr_staff_05'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The cases of the world with their requirements and events: one batch of the stream. */
export type CaseBatch = Pick<DemoWorld, 'cases' | 'requirements' | 'events'>;

/** The people of the world (held whole: a few thousand rows) and its cases as a stream of batches. */
export interface WorldStream {
  people: Pick<DemoWorld, 'agents' | 'licenses' | 'appointments'>;
  /** Batches of up to `batchCases` cases, generated as they are asked for: memory stays one batch deep at any size. */
  batches: Generator<CaseBatch>;
}

/** The same world as generateWorld, with its cases streamed in batches (`npm run seed -- --cases 1000000`). */
export function streamWorld(options: WorldOptions, batchCases = 5_000): WorldStream {
  const rng = new Random(options.seed);
  const anchorMs = dateMs(options.anchor);
  const world: DemoWorld = { agents: [], licenses: [], appointments: [], cases: [], requirements: [], events: [] };
  generateAgents(rng, options, anchorMs, world);
  return {
    people: { agents: world.agents, licenses: world.licenses, appointments: world.appointments },
    batches: generateCases(rng, options, anchorMs, world, batchCases),
  };
}

export function generateWorld(options: WorldOptions): DemoWorld {
  const { people, batches } = streamWorld(options);
  const world: DemoWorld = { ...people, cases: [], requirements: [], events: [] };
  for (const batch of batches) {
    for (const c of batch.cases) world.cases.push(c);
    for (const r of batch.requirements) world.requirements.push(r);
    for (const e of batch.events) world.events.push(e);
  }
  return world;
}

function generateAgents(rng: Random, options: WorldOptions, anchorMs: number, world: DemoWorld): void {
  const agencyCount = Math.min(AGENCY_NAMES.length, Math.max(1, Math.round(options.agents / 25)));
  for (let i = 1; i <= options.agents; i++) {
    const id = `agt_${pad(i, 4)}`;
    const isAgency = i <= agencyCount;
    const firstName = rng.pick(FIRST_NAMES);
    const lastName = rng.pick(LAST_NAMES);
    // Agencies sit under the BGA; agents under an agency, some under a senior agent of it.
    let uplineId: string | null = null;
    if (!isAgency) {
      const agency = rng.int(1, agencyCount);
      const seniors = world.agents.filter((a) => a.uplineId === `agt_${pad(agency, 4)}`);
      uplineId = seniors.length > 3 && rng.chance(0.2) ? rng.pick(seniors).id : `agt_${pad(agency, 4)}`;
    }
    const status = isAgency
      ? 'ACTIVE'
      : rng.weighted([
          ['ACTIVE', 88],
          ['PENDING', 5],
          ['SUSPENDED', 4],
          ['TERMINATED', 3],
        ] as const);
    const eo = rng.weighted([
      ['current', 91],
      ['expired', 6],
      ['none', 3],
    ] as const);
    const agent: SeedAgent = {
      id,
      npn: String(10_000_000 + i * 7919),
      firstName,
      lastName,
      email: `${firstName}.${lastName}.${i}@example.com`.toLowerCase(),
      residentState: isAgency ? rng.weighted(STATE_WEIGHTS) : rng.weighted(STATE_WEIGHTS),
      status,
      uplineId,
      eoExpiresOn: eo === 'none' ? null : isoDate(anchorMs + (eo === 'current' ? rng.int(30, 400) : -rng.int(1, 200)) * DAY_MS),
      amlTrainedOn: rng.chance(0.6) ? isoDate(anchorMs - rng.int(10, 700) * DAY_MS) : null,
    };
    world.agents.push(agent);
    generateLicensesAndAppointments(rng, agent, anchorMs, world);
  }
}

function generateLicensesAndAppointments(rng: Random, agent: SeedAgent, anchorMs: number, world: DemoWorld): void {
  const nonResident = rng.sample(
    STATES.filter((s) => s !== agent.residentState),
    rng.int(2, 8),
  );
  const licensed: string[] = [];
  for (const state of [agent.residentState, ...nonResident]) {
    const expired = rng.chance(0.07);
    const lines = rng.chance(0.95) ? (rng.chance(0.5) ? ['LIFE', 'ACCIDENT_HEALTH'] : ['LIFE']) : ['HEALTH'];
    world.licenses.push({
      id: `lic_${agent.id.slice(4)}_${state.toLowerCase()}`,
      agentId: agent.id,
      state,
      number: `${state}${agent.npn.slice(-6)}${world.licenses.length % 10}`,
      resident: state === agent.residentState,
      linesOfAuthority: lines,
      effectiveOn: isoDate(anchorMs - rng.int(400, 3600) * DAY_MS),
      expiresOn: isoDate(anchorMs + (expired ? -rng.int(1, 300) : rng.int(60, 730)) * DAY_MS),
    });
    if (!expired && lines.includes('LIFE')) licensed.push(state);
  }
  if (agent.status === 'PENDING' || licensed.length === 0) return;
  for (const carrier of rng.sample(CARRIERS, rng.int(3, 7))) {
    for (const state of rng.sample(licensed, rng.int(1, licensed.length))) {
      const status = rng.weighted([
        ['ACTIVE', 85],
        ['REQUESTED', 10],
        ['TERMINATED', 5],
      ] as const);
      world.appointments.push({
        id: `apt_${agent.id.slice(4)}_${carrier.code.toLowerCase()}_${state.toLowerCase()}`,
        agentId: agent.id,
        carrierId: carrier.id,
        state,
        status,
        writingNumber: status === 'REQUESTED' ? null : `${carrier.code.slice(0, 3)}${agent.npn.slice(-5)}`,
        effectiveOn: status === 'REQUESTED' ? null : isoDate(anchorMs - rng.int(100, 1500) * DAY_MS),
        terminatedOn: status === 'TERMINATED' ? isoDate(anchorMs - rng.int(1, 90) * DAY_MS) : null,
      });
    }
  }
}

const HEALTH_CLASSES = [
  ['PREFERRED_PLUS', 15],
  ['PREFERRED', 35],
  ['STANDARD_PLUS', 25],
  ['STANDARD', 25],
] as const;
const FACE_AMOUNTS = [
  [100_000, 10],
  [250_000, 25],
  [500_000, 30],
  [750_000, 10],
  [1_000_000, 15],
  [1_500_000, 5],
  [2_000_000, 5],
] as const;
const UNDERWRITING_REQUIREMENTS = new Set(['PARAMED_EXAM', 'BLOOD_URINE', 'APS', 'INSPECTION_REPORT', 'PHONE_INTERVIEW']);

function* generateCases(rng: Random, options: WorldOptions, anchorMs: number, world: DemoWorld, batchCases: number): Generator<CaseBatch> {
  // Writers: some agents write far more than others (a long tail), as in a real BGA.
  const writers = world.agents
    .filter((a) => a.status === 'ACTIVE')
    .map((agent) => ({
      agent,
      weight: 1 / (1 + rng.int(0, 20)),
      appointments: world.appointments.filter((p) => p.agentId === agent.id && p.status === 'ACTIVE'),
    }))
    .filter((w) => w.appointments.length > 0);
  const writerWeights = writers.map((w) => [w, w.weight] as const);
  const carriersById = new Map(CARRIERS.map((c) => [c.id, c]));
  let made = 0;
  let attempts = 0;
  let batch: CaseBatch = { cases: [], requirements: [], events: [] };
  while (made < options.cases && attempts < options.cases * 20) {
    attempts++;
    const writer = rng.weighted(writerWeights);
    const appointment = rng.pick(writer.appointments);
    const carrier = carriersById.get(appointment.carrierId)!;
    const products = carrier.products.filter((p) => p.availableStates.includes(appointment.state as never));
    if (products.length === 0) continue;
    const product = rng.chance(0.9) ? (products.find((p) => p.type === 'TERM') ?? rng.pick(products)) : rng.pick(products);
    const priced = priceCase(rng, carrier, product, appointment.state, anchorMs);
    if (!priced) continue;
    made++;
    buildCase(rng, made, writer.agent.id, carrier, product, priced, anchorMs, batch);
    if (batch.cases.length >= batchCases) {
      yield batch;
      batch = { cases: [], requirements: [], events: [] };
    }
  }
  if (batch.cases.length > 0) yield batch;
}

interface PricedCase {
  submittedMs: number;
  birthDate: string;
  gender: 'MALE' | 'FEMALE';
  tobacco: boolean;
  healthClass: string;
  faceAmount: number;
  termYears: number | null;
  tableRating: number;
  paymentMode: string;
  annualCents: number;
  modalCents: number;
  state: string;
}

function priceCase(rng: Random, carrier: CarrierFixture, product: ProductFixture, state: string, anchorMs: number): PricedCase | undefined {
  const submittedMs = anchorMs - rng.int(1, 730) * DAY_MS + rng.int(8 * 3600, 20 * 3600) * 1000;
  const submittedDay = isoDate(submittedMs);
  const age = rng.int(Math.max(product.minIssueAge, 22), Math.min(product.maxIssueAge, 70));
  const birthDate = isoDate(submittedMs - age * 365.25 * DAY_MS - rng.int(0, 364) * DAY_MS);
  const gender = rng.chance(0.55) ? 'MALE' : 'FEMALE';
  const tobacco = rng.chance(0.12);
  const healthClass = rng.weighted(HEALTH_CLASSES.filter(([c]) => product.healthClasses.includes(c)));
  if (!healthClass) return undefined;
  const faceAmount = Math.min(Math.max(rng.weighted(FACE_AMOUNTS), product.minFaceAmount), product.maxFaceAmount);
  const paymentMode = rng.weighted([
    ['MONTHLY', 70],
    ['ANNUAL', 20],
    ['QUARTERLY', 5],
    ['SEMI_ANNUAL', 5],
  ] as const);
  const tableRating = product.fullyUnderwritten && rng.chance(0.06) ? rng.int(1, 4) : 0;
  const ageAtIssue = issueAge(carrier.ageBasis, birthDate, submittedDay);
  let termYears: number | null = null;
  let rate: number | undefined;
  if (product.type === 'TERM') {
    const terms = product.terms.filter((t) => ageAtIssue >= t.minIssueAge && ageAtIssue <= t.maxIssueAge);
    if (terms.length === 0) return undefined;
    termYears = rng.pick(terms).years;
    rate = rateFor(carrier, product, { age: ageAtIssue, gender, tobacco, healthClass, termYears, faceAmount });
    if (rate === undefined) return undefined;
  } else {
    // Permanent products are not priced by v1 quoting; the demo gives them a plausible level premium.
    rate = Math.round((ageAtIssue * 450 + 4000) * (tobacco ? 2 : 1));
  }
  const annualCents = annualPremiumCents({ rateThousandths: rate, faceAmount, tableRating, policyFeeCents: carrier.policyFeeCents });
  const modal = modalPremiumsCents(annualCents, carrier.modalFactors);
  return {
    submittedMs,
    birthDate,
    gender,
    tobacco,
    healthClass,
    faceAmount,
    termYears,
    tableRating,
    paymentMode,
    annualCents,
    modalCents: modal[paymentMode as keyof typeof modal],
    state,
  };
}

type Outcome = 'INCOMPLETE' | 'WITHDRAWN' | 'DECLINED' | 'POSTPONED' | 'NOT_TAKEN_BEFORE_ISSUE' | 'NOT_TAKEN' | 'PLACED';

function buildCase(
  rng: Random,
  n: number,
  agentId: string,
  carrier: CarrierFixture,
  product: ProductFixture,
  p: PricedCase,
  anchorMs: number,
  world: CaseBatch,
): void {
  const id = `case_${pad(n, 6)}`;
  const staff = rng.pick(STAFF);
  const carrierActor = `carrier:${carrier.id}`;
  const events: SeedEvent[] = [];
  const requirements: SeedRequirement[] = [];
  const stamps: { approvedAt?: number; issuedAt?: number; placedAt?: number; closedAt?: number } = {};
  let status = 'SUBMITTED';
  const event = (at: number, type: string, fields: Partial<SeedEvent> = {}) =>
    events.push({
      caseId: id,
      at: isoInstant(at),
      type,
      fromStatus: null,
      toStatus: null,
      requirementCode: null,
      actor: staff,
      note: null,
      ...fields,
    });
  const move = (at: number, to: string, actor = carrierActor) => {
    event(at, actor === carrierActor ? 'CARRIER_SYNC' : 'STATUS_CHANGED', { fromStatus: status, toStatus: to, actor });
    status = to;
  };
  const order = (code: string, at: number, turnaroundDays: number) => {
    const receivedAt = at + turnaroundDays * DAY_MS + rng.int(0, 8 * 3600) * 1000;
    requirements.push({
      id: `req_${id.slice(5)}_${pad(requirements.length + 1, 2)}`,
      caseId: id,
      code,
      status: 'RECEIVED',
      orderedAt: isoInstant(at),
      receivedAt: isoInstant(receivedAt),
      followUpOn: isoDate(at + FOLLOW_UP_DAYS[code as keyof typeof FOLLOW_UP_DAYS] * DAY_MS),
    });
    event(at, 'REQUIREMENT_ORDERED', { requirementCode: code });
    event(receivedAt, 'REQUIREMENT_RECEIVED', { requirementCode: code });
    return receivedAt;
  };

  const s = p.submittedMs;
  event(s, 'STATUS_CHANGED', { toStatus: 'SUBMITTED', actor: `user:${agentId}` });
  event(s + 5 * 60_000, 'SUBMITTED_TO_CARRIER', { actor: 'system:outbox', note: 'application accepted by the carrier' });
  let t = s + rng.int(1, 3) * DAY_MS;
  move(t, 'IN_UNDERWRITING');
  // Requirements ordered at the start of underwriting; exams and an APS keep the case waiting.
  let lastUnderwriting = t;
  for (const code of ['HIPAA_AUTHORIZATION', 'MIB', 'RX_CHECK', 'MVR'])
    lastUnderwriting = Math.max(lastUnderwriting, order(code, t, code === 'HIPAA_AUTHORIZATION' ? 0 : rng.int(0, 1)));
  const exams = p.faceAmount >= 250_000 || (p.faceAmount >= 100_000 && rng.chance(0.4));
  const slow: [string, number][] = [];
  if (exams) slow.push(['PARAMED_EXAM', rng.int(4, 14)], ['BLOOD_URINE', rng.int(7, 18)]);
  if (rng.chance(0.3)) slow.push(['APS', rng.int(14, 45)]);
  if (rng.chance(0.5)) slow.push(['PHONE_INTERVIEW', rng.int(2, 7)]);
  if (p.faceAmount >= 1_000_000) slow.push(['INSPECTION_REPORT', rng.int(5, 15)]);
  if (slow.length) {
    move(t + DAY_MS, 'REQUIREMENTS_OUTSTANDING');
    for (const [code, days] of slow) lastUnderwriting = Math.max(lastUnderwriting, order(code, t + DAY_MS, days));
    t = lastUnderwriting + rng.int(0, 2) * DAY_MS + 3600_000;
    move(t, 'IN_UNDERWRITING');
  }
  const outcome = rng.weighted<Outcome>([
    ['INCOMPLETE', 5],
    ['WITHDRAWN', 5],
    ['DECLINED', 8],
    ['POSTPONED', 3],
    ['NOT_TAKEN_BEFORE_ISSUE', 3],
    ['NOT_TAKEN', 9],
    ['PLACED', 67],
  ]);
  t = Math.max(t, lastUnderwriting) + rng.int(2, 12) * DAY_MS;
  let approvedClass: string | null = null;
  let approvedFace: number | null = null;
  let policyNumber: string | null = null;
  if (['INCOMPLETE', 'WITHDRAWN', 'DECLINED', 'POSTPONED'].includes(outcome)) {
    move(t, outcome, outcome === 'WITHDRAWN' || outcome === 'INCOMPLETE' ? staff : carrierActor);
    stamps.closedAt = t;
  } else {
    const counter = rng.chance(0.1);
    approvedClass = counter ? 'STANDARD' : p.healthClass;
    approvedFace = counter && rng.chance(0.3) ? Math.round(p.faceAmount * 0.75) : null;
    move(t, counter ? 'APPROVED_OTHER_THAN_APPLIED' : 'APPROVED');
    stamps.approvedAt = t;
    if (outcome === 'NOT_TAKEN_BEFORE_ISSUE') {
      t += rng.int(10, 40) * DAY_MS;
      move(t, 'NOT_TAKEN', staff);
      stamps.closedAt = t;
    } else {
      t += rng.int(2, 10) * DAY_MS;
      policyNumber = `${carrier.code.slice(0, 3)}${pad(n, 7)}`;
      move(t, 'ISSUED');
      stamps.issuedAt = t;
      if (rng.chance(0.6)) {
        t += DAY_MS;
        move(t, 'DELIVERY_REQUIREMENTS', staff);
        const codes = rng.chance(0.3) ? ['DELIVERY_RECEIPT', 'AMENDMENT'] : ['DELIVERY_RECEIPT'];
        let last = t;
        for (const code of codes) last = Math.max(last, order(code, t, rng.int(5, 25)));
        t = last + DAY_MS;
      } else {
        t += rng.int(7, 30) * DAY_MS;
      }
      if (outcome === 'PLACED') {
        move(t, 'PLACED', staff);
        stamps.placedAt = t;
      } else {
        move(t, 'NOT_TAKEN', staff);
      }
      stamps.closedAt = t;
    }
  }

  // Cut the story at the anchor: what has not happened yet is not in the data.
  const now = anchorMs;
  const seen = events.filter((e) => Date.parse(e.at) <= now).sort((a, b) => a.at.localeCompare(b.at));
  const lastStatus = [...seen].reverse().find((e) => e.toStatus)?.toStatus ?? 'SUBMITTED';
  const closed = ['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN'].includes(lastStatus);
  const closedAtMs = closed ? stamps.closedAt : undefined;
  for (const r of requirements) {
    if (Date.parse(r.orderedAt) > now) continue;
    if (r.receivedAt && Date.parse(r.receivedAt) > now) {
      r.receivedAt = null;
      // A case that closed with it outstanding no longer needs it.
      r.status = closed && UNDERWRITING_REQUIREMENTS.has(r.code) ? 'CANCELLED' : 'ORDERED';
    }
    if (closed && r.status === 'RECEIVED' && closedAtMs !== undefined && Date.parse(r.receivedAt!) > closedAtMs) {
      r.status = 'CANCELLED';
      r.receivedAt = null;
    }
    world.requirements.push(r);
  }
  const at = (ms: number | undefined) => (ms !== undefined && ms <= now ? isoInstant(ms) : null);
  for (const e of seen) world.events.push(e);
  const approvedSeen = at(stamps.approvedAt);
  world.cases.push({
    id,
    caseNumber: `BGA-${pad(100000 + n, 7)}`,
    agentId,
    carrierId: carrier.id,
    productId: product.id,
    productType: product.type,
    insuredFirstName: rng.pick(FIRST_NAMES),
    insuredLastName: rng.pick(LAST_NAMES),
    insuredBirthDate: p.birthDate,
    insuredGender: p.gender,
    insuredState: p.state,
    insuredTobacco: p.tobacco,
    faceAmount: p.faceAmount,
    approvedFaceAmount: approvedSeen ? approvedFace : null,
    termYears: p.termYears,
    appliedHealthClass: p.healthClass,
    approvedHealthClass: approvedSeen ? approvedClass : null,
    tableRating: p.tableRating,
    paymentMode: p.paymentMode,
    annualPremiumCents: p.annualCents,
    modalPremiumCents: p.modalCents,
    status: lastStatus,
    carrierReference: `${carrier.code}-${pad(n, 8)}`,
    policyNumber: at(stamps.issuedAt) ? policyNumber : null,
    submittedAt: isoInstant(s),
    approvedAt: approvedSeen,
    issuedAt: at(stamps.issuedAt),
    placedAt: at(stamps.placedAt),
    closedAt: closed ? at(closedAtMs) : null,
    createdBy: `user:${agentId}`,
  });
}
