/**
 * What the simulated producer database knows, by NPN: each producer's name and resident state, their
 * licenses per state and their appointments per carrier and state. Seeded from the demo world
 * (scripts/seed/world.ts, the same generator, seed and size `npm run seed` uses), so its NPNs,
 * license numbers and dates are ours, then three discrepancies are planted (PDB_DISCREPANCY_KINDS,
 * listed by `discrepancies`) for the licence sync to find. The store is also the control API's
 * state: tests and the `/_control/` routes change it with setProducer, setLicense, expireLicense,
 * addAppointment and terminateAppointment; reset puts the seeded data back.
 */
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { DAY_MS, dateMs, isoDate } from '../../scripts/seed/random';
import { DEMO_AGENTS, DEMO_SEED, type DemoWorld, generateWorld } from '../../scripts/seed/world';

export const PDB_LINES = ['LIFE', 'HEALTH', 'ANNUITY', 'VARIABLE'] as const;
export type PdbLine = (typeof PDB_LINES)[number];
export const PDB_LICENSE_STATUSES = ['ACTIVE', 'INACTIVE'] as const;
export type PdbLicenseStatus = (typeof PDB_LICENSE_STATUSES)[number];
export const PDB_APPOINTMENT_STATUSES = ['ACTIVE', 'TERMINATED'] as const;
export type PdbAppointmentStatus = (typeof PDB_APPOINTMENT_STATUSES)[number];
export const PDB_RESIDENCIES = ['RESIDENT', 'NON_RESIDENT'] as const;
export type PdbResidency = (typeof PDB_RESIDENCIES)[number];
/** The license class every seeded license has. */
export const PDB_LICENSE_CLASS = 'Insurance Producer';

export interface PdbLicense {
  state: string;
  number: string;
  residency: PdbResidency;
  licenseClass: string;
  lines: PdbLine[];
  status: PdbLicenseStatus;
  effectiveOn: string;
  expiresOn: string;
}

export interface PdbAppointment {
  carrierCode: string;
  carrierName: string;
  state: string;
  line: PdbLine;
  status: PdbAppointmentStatus;
  effectiveOn: string;
  terminatedOn: string | null;
}

export interface PdbProducer {
  npn: string;
  firstName: string;
  lastName: string;
  residentState: string;
  licenses: PdbLicense[];
  appointments: PdbAppointment[];
}

/**
 * The planted differences between the producer database and our seed, one agent each:
 *   EXPIRING_SOON     a license ours has expiring more than 60 days out expires in 30 days here
 *   EXTRA_STATE       a non-resident LIFE license, ACTIVE, in a state where we have none
 *   INACTIVE_LICENSE  a license ours has as active (not expired) is INACTIVE here
 */
export const PDB_DISCREPANCY_KINDS = ['EXPIRING_SOON', 'EXTRA_STATE', 'INACTIVE_LICENSE'] as const;
export type PdbDiscrepancyKind = (typeof PDB_DISCREPANCY_KINDS)[number];

export interface PdbDiscrepancy {
  kind: PdbDiscrepancyKind;
  npn: string;
  state: string;
  /** The license as the PDB now shows it. */
  license: PdbLicense;
}

export class PdbError extends Error {
  constructor(
    readonly code: 'NPN_NOT_FOUND' | 'LICENSE_NOT_FOUND' | 'APPOINTMENT_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export interface PdbWorldOptions {
  /** The day the demo world was seeded as of (YYYY-MM-DD; default today, as `npm run seed` does). */
  anchor?: string;
  seed?: number;
  agents?: number;
}

/** Our lines of authority (the agents subgraph's) as the producer database names them. */
export const PDB_LINE_OF: Record<string, PdbLine> = { LIFE: 'LIFE', ACCIDENT_HEALTH: 'HEALTH', HEALTH: 'HEALTH' };

// The states an EXTRA_STATE license is picked from, in this order: the first the agent lacks.
const EXTRA_STATES = ['CA', 'TX', 'FL', 'NY', 'PA', 'IL', 'OH', 'GA', 'NC', 'MI'];
const STATE = /^[A-Z]{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const copyLicense = (license: PdbLicense): PdbLicense => ({ ...license, lines: [...license.lines] });
const copyProducer = (producer: PdbProducer): PdbProducer => ({
  ...producer,
  licenses: producer.licenses.map(copyLicense),
  appointments: producer.appointments.map((appointment) => ({ ...appointment })),
});

/** The demo world's agents, licenses and appointments (no cases: they do not change those). */
export function pdbWorld(options: PdbWorldOptions = {}): { anchor: string; world: DemoWorld } {
  const anchor = options.anchor ?? new Date().toISOString().slice(0, 10);
  if (!DATE.test(anchor) || Number.isNaN(dateMs(anchor))) throw new RangeError('anchor must be a date, YYYY-MM-DD');
  const world = generateWorld({ anchor, cases: 0, agents: options.agents ?? DEMO_AGENTS, seed: options.seed ?? DEMO_SEED });
  return { anchor, world };
}

/**
 * The producer database as seeded: every agent of the world with their licenses (ACTIVE unless
 * expired on the anchor day) and their ACTIVE and TERMINATED appointments (a REQUESTED one is not
 * filed yet: the PDB does not know it), then the planted discrepancies.
 */
export function seedPdb(options: PdbWorldOptions = {}): { producers: Map<string, PdbProducer>; discrepancies: PdbDiscrepancy[] } {
  const { anchor, world } = pdbWorld(options);
  const anchorMs = dateMs(anchor);
  const carriers = new Map(CARRIERS.map((carrier) => [carrier.id, carrier]));
  const producers = new Map<string, PdbProducer>();
  const byAgent = new Map<string, PdbProducer>();
  for (const agent of world.agents) {
    const producer: PdbProducer = {
      npn: agent.npn,
      firstName: agent.firstName,
      lastName: agent.lastName,
      residentState: agent.residentState,
      licenses: [],
      appointments: [],
    };
    producers.set(agent.npn, producer);
    byAgent.set(agent.id, producer);
  }
  for (const license of world.licenses)
    byAgent.get(license.agentId)!.licenses.push({
      state: license.state,
      number: license.number,
      residency: license.resident ? 'RESIDENT' : 'NON_RESIDENT',
      licenseClass: PDB_LICENSE_CLASS,
      lines: [...new Set(license.linesOfAuthority.map((line) => PDB_LINE_OF[line]))],
      status: dateMs(license.expiresOn) >= anchorMs ? 'ACTIVE' : 'INACTIVE',
      effectiveOn: license.effectiveOn,
      expiresOn: license.expiresOn,
    });
  for (const appointment of world.appointments) {
    if (appointment.status === 'REQUESTED') continue;
    const carrier = carriers.get(appointment.carrierId)!;
    byAgent.get(appointment.agentId)!.appointments.push({
      carrierCode: carrier.code,
      carrierName: carrier.name,
      state: appointment.state,
      line: 'LIFE',
      status: appointment.status,
      effectiveOn: appointment.effectiveOn!,
      terminatedOn: appointment.terminatedOn,
    });
  }
  return { producers, discrepancies: plantDiscrepancies(world, byAgent, anchorMs) };
}

/** One discrepancy per kind, each on its own ACTIVE agent with an ACTIVE appointment, the first that fits in agent order. */
function plantDiscrepancies(world: DemoWorld, byAgent: Map<string, PdbProducer>, anchorMs: number): PdbDiscrepancy[] {
  const writing = new Set(world.appointments.filter((a) => a.status === 'ACTIVE').map((a) => a.agentId));
  const candidates = world.agents.filter((agent) => agent.status === 'ACTIVE' && writing.has(agent.id)).map((a) => byAgent.get(a.id)!);
  const used = new Set<string>();
  const planted: PdbDiscrepancy[] = [];
  const plant = (kind: PdbDiscrepancyKind, pick: (producer: PdbProducer) => PdbLicense | null) => {
    for (const producer of candidates) {
      if (used.has(producer.npn)) continue;
      const license = pick(producer);
      if (!license) continue;
      used.add(producer.npn);
      planted.push({ kind, npn: producer.npn, state: license.state, license: copyLicense(license) });
      return;
    }
    throw new Error(`the demo world has no agent to plant ${kind} on`);
  };
  const farOut = (license: PdbLicense) => license.status === 'ACTIVE' && dateMs(license.expiresOn) > anchorMs + 60 * DAY_MS;
  const nonResidentLife = (license: PdbLicense) => license.residency === 'NON_RESIDENT' && license.lines.includes('LIFE');
  plant('EXPIRING_SOON', (producer) => {
    const license = producer.licenses.find((l) => farOut(l) && nonResidentLife(l));
    if (license) license.expiresOn = isoDate(anchorMs + 30 * DAY_MS);
    return license ?? null;
  });
  plant('EXTRA_STATE', (producer) => {
    const state = EXTRA_STATES.find((s) => !producer.licenses.some((l) => l.state === s));
    if (!state) return null;
    const license: PdbLicense = {
      state,
      number: `${state}${producer.npn.slice(-6)}X`,
      residency: 'NON_RESIDENT',
      licenseClass: PDB_LICENSE_CLASS,
      lines: ['LIFE'],
      status: 'ACTIVE',
      effectiveOn: isoDate(anchorMs - 20 * DAY_MS),
      expiresOn: isoDate(anchorMs + 700 * DAY_MS),
    };
    producer.licenses.push(license);
    return license;
  });
  plant('INACTIVE_LICENSE', (producer) => {
    const license = producer.licenses.find((l) => farOut(l) && nonResidentLife(l));
    if (license) license.status = 'INACTIVE';
    return license ?? null;
  });
  return planted;
}

function checkState(state: string): string {
  if (typeof state !== 'string' || !STATE.test(state)) throw new RangeError('state must be a two-letter code, e.g. TX');
  return state;
}

function checkDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(dateMs(value)))
    throw new RangeError(`${field} must be a date, YYYY-MM-DD`);
  return value;
}

function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw new RangeError(`${field} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function checkText(value: unknown, field: string): string {
  if (typeof value !== 'string' || !value.trim() || value.length > 100) throw new RangeError(`${field} must be a non-empty string`);
  return value;
}

export type LicenseChange = Partial<Omit<PdbLicense, 'state'>>;

/** The producer database's data and the changes the control API makes to it. */
export class PdbStore {
  private producers = new Map<string, PdbProducer>();
  private planted: PdbDiscrepancy[] = [];

  constructor(
    private readonly world: PdbWorldOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.reset();
  }

  /** The seeded data back (every change made since is forgotten). */
  reset(): void {
    const seeded = seedPdb(this.world);
    this.producers = seeded.producers;
    this.planted = seeded.discrepancies;
  }

  /** The discrepancies planted at seeding (as seeded: later changes do not show here). */
  get discrepancies(): PdbDiscrepancy[] {
    return this.planted.map((d) => ({ ...d, license: copyLicense(d.license) }));
  }

  get size(): number {
    return this.producers.size;
  }

  /** A copy of the producer's record, or undefined for an NPN the PDB does not know. */
  producer(npn: string): PdbProducer | undefined {
    const producer = this.producers.get(npn);
    return producer ? copyProducer(producer) : undefined;
  }

  npns(): string[] {
    return [...this.producers.keys()];
  }

  /** Adds a producer (no licenses, no appointments), or renames one / moves their residence. */
  setProducer(npn: string, input: { firstName: string; lastName: string; residentState: string }): PdbProducer {
    if (!/^\d{1,10}$/.test(npn)) throw new RangeError('npn must be 1 to 10 digits');
    const fields = {
      firstName: checkText(input.firstName, 'firstName'),
      lastName: checkText(input.lastName, 'lastName'),
      residentState: checkState(input.residentState),
    };
    const existing = this.producers.get(npn);
    if (existing) Object.assign(existing, fields);
    else this.producers.set(npn, { npn, ...fields, licenses: [], appointments: [] });
    return this.producer(npn)!;
  }

  /**
   * Changes the producer's license in a state, or issues one there: a new license is ACTIVE, LIFE,
   * resident in the resident state, effective today for two years, numbered like the seed's, unless
   * the change says otherwise.
   */
  setLicense(npn: string, state: string, change: LicenseChange = {}): PdbLicense {
    const producer = this.found(npn);
    checkState(state);
    const checked: LicenseChange = {};
    if (change.number !== undefined) checked.number = checkText(change.number, 'number');
    if (change.residency !== undefined) checked.residency = checkOneOf(change.residency, PDB_RESIDENCIES, 'residency');
    if (change.licenseClass !== undefined) checked.licenseClass = checkText(change.licenseClass, 'licenseClass');
    if (change.lines !== undefined) {
      if (!Array.isArray(change.lines) || change.lines.length === 0) throw new RangeError('lines must be a non-empty list');
      checked.lines = [...new Set(change.lines.map((line) => checkOneOf(line, PDB_LINES, 'lines')))];
    }
    if (change.status !== undefined) checked.status = checkOneOf(change.status, PDB_LICENSE_STATUSES, 'status');
    if (change.effectiveOn !== undefined) checked.effectiveOn = checkDate(change.effectiveOn, 'effectiveOn');
    if (change.expiresOn !== undefined) checked.expiresOn = checkDate(change.expiresOn, 'expiresOn');
    let license = producer.licenses.find((l) => l.state === state);
    if (!license) {
      const today = this.today();
      license = {
        state,
        number: `${state}${npn.slice(-6)}N`,
        residency: state === producer.residentState ? 'RESIDENT' : 'NON_RESIDENT',
        licenseClass: PDB_LICENSE_CLASS,
        lines: ['LIFE'],
        status: 'ACTIVE',
        effectiveOn: isoDate(today),
        expiresOn: isoDate(today + 730 * DAY_MS),
      };
      producer.licenses.push(license);
    }
    Object.assign(license, checked);
    return copyLicense(license);
  }

  /** The license expired: INACTIVE, expiring on `on` (default yesterday). */
  expireLicense(npn: string, state: string, on?: string): PdbLicense {
    const license = this.found(npn).licenses.find((l) => l.state === checkState(state));
    if (!license) throw new PdbError('LICENSE_NOT_FOUND', `the producer has no license in ${state}`);
    license.status = 'INACTIVE';
    license.expiresOn = on === undefined ? isoDate(this.today() - DAY_MS) : checkDate(on, 'on');
    return copyLicense(license);
  }

  /** A carrier appointed the producer in a state: ACTIVE from `effectiveOn` (default today); it replaces one there before. */
  addAppointment(npn: string, input: { carrierCode: string; state: string; line?: PdbLine; effectiveOn?: string }): PdbAppointment {
    const producer = this.found(npn);
    const carrier = CARRIERS.find((c) => c.code === input.carrierCode);
    if (!carrier) throw new RangeError(`carrierCode must be one of ${CARRIERS.map((c) => c.code).join(', ')}`);
    const appointment: PdbAppointment = {
      carrierCode: carrier.code,
      carrierName: carrier.name,
      state: checkState(input.state),
      line: input.line === undefined ? 'LIFE' : checkOneOf(input.line, PDB_LINES, 'line'),
      status: 'ACTIVE',
      effectiveOn: input.effectiveOn === undefined ? isoDate(this.today()) : checkDate(input.effectiveOn, 'effectiveOn'),
      terminatedOn: null,
    };
    producer.appointments = producer.appointments.filter((a) => a.carrierCode !== carrier.code || a.state !== appointment.state);
    producer.appointments.push(appointment);
    return { ...appointment };
  }

  /** The carrier terminated the appointment: TERMINATED on `on` (default today). */
  terminateAppointment(npn: string, carrierCode: string, state: string, on?: string): PdbAppointment {
    const appointment = this.found(npn).appointments.find((a) => a.carrierCode === carrierCode && a.state === state);
    if (!appointment) throw new PdbError('APPOINTMENT_NOT_FOUND', `no ${carrierCode} appointment in ${state}`);
    appointment.status = 'TERMINATED';
    appointment.terminatedOn = on === undefined ? isoDate(this.today()) : checkDate(on, 'on');
    return { ...appointment };
  }

  private today(): number {
    return dateMs(isoDate(this.now()));
  }

  private found(npn: string): PdbProducer {
    const producer = this.producers.get(npn);
    if (!producer) throw new PdbError('NPN_NOT_FOUND', 'the producer database has no producer with this NPN');
    return producer;
  }
}
