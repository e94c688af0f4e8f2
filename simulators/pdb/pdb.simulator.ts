/**
 * A simulated national producer database (in the style of NIPR's PDB web services and their
 * entity-info report) as a real HTTP server answering by NPN in XML. This header is its API guide.
 *
 * Authentication: HTTP Basic with the customer id and password (`Authorization: Basic
 * base64(<customer id>:<password>)`) on every /pdb call; otherwise 401 with
 * `WWW-Authenticate: Basic realm="PDB"` and an UNAUTHORIZED error document.
 *
 *   GET /pdb/entity-info?npn=<npn>   → 200 application/xml, the producer's entity-info report:
 *     <PDB>
 *       <PRODUCER><INDIVIDUAL>
 *         <ENTITY_BIOGRAPHIC><BIOGRAPHIC>
 *           <NAME_FIRST/><NAME_LAST/><ID_ENTITY>npn</ID_ENTITY><STATE_RESIDENT>TX</STATE_RESIDENT>
 *         </BIOGRAPHIC></ENTITY_BIOGRAPHIC>
 *         <PRODUCER_LICENSING>
 *           <LICENSE_INFORMATION>
 *             <STATE name="TX"><LICENSE>                     one STATE per licensed state, one LICENSE in it
 *               <LICENSE_NUM/> <LICENSE_CLASS>Insurance Producer</LICENSE_CLASS>
 *               <RESIDENCY_STATUS>RESIDENT|NON_RESIDENT</RESIDENCY_STATUS> <STATUS>ACTIVE|INACTIVE</STATUS>
 *               <DATE_EFFECTIVE>YYYY-MM-DD</DATE_EFFECTIVE> <DATE_EXPIRE_LICENSE>YYYY-MM-DD</DATE_EXPIRE_LICENSE>
 *               <DETAILS><DETAIL><LOA>LIFE|HEALTH|ANNUITY|VARIABLE</LOA><STATUS/></DETAIL>…</DETAILS>
 *             </LICENSE></STATE>…
 *           </LICENSE_INFORMATION>
 *           <APPOINTMENT_INFORMATION>
 *             <STATE name="TX"><APPOINTMENT>…</APPOINTMENT>…</STATE>…  one per carrier appointed there:
 *               <COMPANY_CODE/> <COMPANY_NAME/> <LINE_OF_AUTHORITY>LIFE</LINE_OF_AUTHORITY>
 *               <STATUS>ACTIVE|TERMINATED</STATUS> <DATE_EFFECTIVE/> <DATE_TERMINATED/> (only when TERMINATED)
 *           </APPOINTMENT_INFORMATION>
 *         </PRODUCER_LICENSING>
 *       </INDIVIDUAL></PRODUCER>
 *     </PDB>
 *   GET /health
 * Errors are `<PDB><ERROR><CODE/><DESCRIPTION/></ERROR></PDB>` (descriptions never repeat the
 * values sent): 400 INVALID_NPN (an NPN is 1 to 10 digits), 401 UNAUTHORIZED, 404 NPN_NOT_FOUND (an
 * NPN the database does not know), 404 NOT_FOUND (another path), 405 METHOD_NOT_ALLOWED, 503
 * SERVICE_UNAVAILABLE (the `5xx` fault), 500 INTERNAL_ERROR.
 *
 * Data (pdb.store.ts): every agent of the demo world `npm run seed` makes (same generator, seed and
 * size; the anchor day is the option `world.anchor`, default today), with their licenses (our
 * ACCIDENT_HEALTH line is HEALTH here; ACTIVE unless expired on the anchor day) and their ACTIVE and
 * TERMINATED appointments (REQUESTED ones are not filed yet). Three discrepancies are planted, one
 * agent each (`control.discrepancies`, GET /_control/discrepancies): EXPIRING_SOON (a license ours
 * has expiring later expires in 30 days here), EXTRA_STATE (an ACTIVE non-resident LIFE license in
 * a state where we have none), INACTIVE_LICENSE (a license active in ours is INACTIVE here). An NPN
 * the seed has no agent for is NPN_NOT_FOUND until setProducer adds it.
 *
 * The simulator logs nothing: no name or NPN is written anywhere but in the answers.
 *
 * Control API (in process: `PdbControl`; over HTTP under /_control/, JSON, no authentication):
 *   GET    /_control/producers/<npn>                                the producer's record (404 when unknown)
 *   PUT    /_control/producers/<npn>                                {"firstName", "lastName", "residentState"}: add or change a producer
 *   PUT    /_control/producers/<npn>/licenses/<state>               {"number"?, "residency"?, "licenseClass"?, "lines"?, "status"?,
 *                                                                     "effectiveOn"?, "expiresOn"?}: change, or issue, the license there
 *   POST   /_control/producers/<npn>/licenses/<state>/expire        {"on"?}: INACTIVE, expired on `on` (default yesterday)
 *   POST   /_control/producers/<npn>/appointments                   {"carrierCode", "state", "line"?, "effectiveOn"?}: ACTIVE
 *   POST   /_control/producers/<npn>/appointments/<code>/<state>/terminate  {"on"?}: TERMINATED on `on` (default today)
 *   GET    /_control/discrepancies                                  the planted discrepancies
 *   GET    /_control/counts | DELETE                                API calls past authentication, by kind
 *   GET    /_control/calls                                          the call log: kind, HTTP status, error code (no NPN, no name)
 *   PUT    /_control/latency                                        {"fixedMs", "jitterMs"?}
 *   PUT    /_control/fault                                          {"fault": "hang"|"5xx"|"malformed", "times"?}
 *   DELETE /_control/fault
 *   POST   /_control/reset                                          the seeded data, latency, fault, counts and log back
 */
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { XMLBuilder } from 'fast-xml-parser';
import { parseJsonObject, readBody, type SimAnswer, sendAnswer } from '../http-support';
import { API_FAULTS, type ApiFault } from '../vendor-control';
import {
  type LicenseChange,
  type PdbAppointment,
  type PdbDiscrepancy,
  type PdbLicense,
  type PdbLine,
  PdbError,
  type PdbProducer,
  PdbStore,
  type PdbWorldOptions,
} from './pdb.store';

export const PDB_CALL_KINDS = ['entityInfo'] as const;
export type PdbCallKind = (typeof PDB_CALL_KINDS)[number];
export const PDB_ERROR_CODES = [
  'INVALID_NPN',
  'UNAUTHORIZED',
  'NPN_NOT_FOUND',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const;
export type PdbErrorCode = (typeof PDB_ERROR_CODES)[number];
/** An NPN as the database takes it: 1 to 10 digits. */
export const NPN_PATTERN = /^\d{1,10}$/;

export interface PdbCall {
  at: string;
  kind: PdbCallKind;
  status: number;
  code: PdbErrorCode | null;
}

export interface PdbSimulatorOptions {
  host?: string;
  port?: number;
  user: string;
  password: string;
  latency?: { fixedMs: number; jitterMs?: number };
  /** The demo world the data is seeded from (default: the one `npm run seed` makes today). */
  world?: PdbWorldOptions;
  /** The clock the control's default dates (today, yesterday) read. */
  now?: () => number;
}

export interface RunningPdbSimulator {
  url: string;
  user: string;
  password: string;
  control: PdbControl;
  stop(): Promise<void>;
}

const writer = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true, format: false });
const XML_TYPE = 'application/xml; charset=utf-8';

const xmlDocument = (root: object): string => `<?xml version="1.0" encoding="UTF-8"?>${writer.build({ PDB: root })}`;

/** The XML error document. */
export const pdbErrorXml = (code: PdbErrorCode, description: string): string =>
  xmlDocument({ ERROR: { CODE: code, DESCRIPTION: description } });

const byState = <T extends { state: string }>(items: readonly T[]): Map<string, T[]> => {
  const states = new Map<string, T[]>();
  for (const item of [...items].sort((a, b) => a.state.localeCompare(b.state)))
    states.set(item.state, [...(states.get(item.state) ?? []), item]);
  return states;
};

const licenseXml = (license: PdbLicense) => ({
  LICENSE_NUM: license.number,
  LICENSE_CLASS: license.licenseClass,
  RESIDENCY_STATUS: license.residency,
  STATUS: license.status,
  DATE_EFFECTIVE: license.effectiveOn,
  DATE_EXPIRE_LICENSE: license.expiresOn,
  DETAILS: { DETAIL: license.lines.map((line: PdbLine) => ({ LOA: line, STATUS: license.status })) },
});

const appointmentXml = (appointment: PdbAppointment) => ({
  COMPANY_CODE: appointment.carrierCode,
  COMPANY_NAME: appointment.carrierName,
  LINE_OF_AUTHORITY: appointment.line,
  STATUS: appointment.status,
  DATE_EFFECTIVE: appointment.effectiveOn,
  DATE_TERMINATED: appointment.terminatedOn ?? undefined,
});

/** The entity-info report of one producer. */
export function entityInfoXml(producer: PdbProducer): string {
  return xmlDocument({
    PRODUCER: {
      INDIVIDUAL: {
        ENTITY_BIOGRAPHIC: {
          BIOGRAPHIC: {
            NAME_FIRST: producer.firstName,
            NAME_LAST: producer.lastName,
            ID_ENTITY: producer.npn,
            STATE_RESIDENT: producer.residentState,
          },
        },
        PRODUCER_LICENSING: {
          LICENSE_INFORMATION: {
            STATE: [...byState(producer.licenses)].map(([state, licenses]) => ({ '@_name': state, LICENSE: licenses.map(licenseXml) })),
          },
          APPOINTMENT_INFORMATION: {
            STATE: [...byState(producer.appointments)].map(([state, appointments]) => ({
              '@_name': state,
              APPOINTMENT: appointments.map(appointmentXml),
            })),
          },
        },
      },
    },
  });
}

/** The producer database's data and its control: latency, faults, counts and the call log over the store. */
export class PdbControl {
  readonly store: PdbStore;
  counts: Record<PdbCallKind, number> = { entityInfo: 0 };
  latency: { fixedMs: number; jitterMs: number };
  private log: PdbCall[] = [];
  private fault: { fault: ApiFault; remaining: number | null } | null = null;
  private readonly defaultLatency: { fixedMs: number; jitterMs: number };

  constructor(options: { world?: PdbWorldOptions; latency?: { fixedMs: number; jitterMs?: number }; now?: () => number } = {}) {
    this.store = new PdbStore(options.world, options.now);
    this.defaultLatency = { fixedMs: options.latency?.fixedMs ?? 0, jitterMs: options.latency?.jitterMs ?? 0 };
    this.latency = { ...this.defaultLatency };
  }

  get discrepancies(): PdbDiscrepancy[] {
    return this.store.discrepancies;
  }

  producer(npn: string): PdbProducer | undefined {
    return this.store.producer(npn);
  }

  setProducer(npn: string, input: { firstName: string; lastName: string; residentState: string }): PdbProducer {
    return this.store.setProducer(npn, input);
  }

  setLicense(npn: string, state: string, change: LicenseChange = {}): PdbLicense {
    return this.store.setLicense(npn, state, change);
  }

  expireLicense(npn: string, state: string, on?: string): PdbLicense {
    return this.store.expireLicense(npn, state, on);
  }

  addAppointment(npn: string, input: { carrierCode: string; state: string; line?: PdbLine; effectiveOn?: string }): PdbAppointment {
    return this.store.addAppointment(npn, input);
  }

  terminateAppointment(npn: string, carrierCode: string, state: string, on?: string): PdbAppointment {
    return this.store.terminateAppointment(npn, carrierCode, state, on);
  }

  setLatency(latency: { fixedMs: number; jitterMs?: number }): void {
    if (!(latency.fixedMs >= 0) || !((latency.jitterMs ?? 0) >= 0)) throw new RangeError('latency must be non-negative milliseconds');
    this.latency = { fixedMs: latency.fixedMs, jitterMs: latency.jitterMs ?? 0 };
  }

  delayMs(): number {
    const { fixedMs, jitterMs } = this.latency;
    return fixedMs + (jitterMs > 0 ? Math.random() * jitterMs : 0);
  }

  /** A fault on the next API calls (all of them without `times`); null heals. */
  setFault(fault: ApiFault | null, options: { times?: number } = {}): void {
    if (fault === null) {
      this.fault = null;
      return;
    }
    if (!API_FAULTS.includes(fault)) throw new RangeError(`fault must be one of ${API_FAULTS.join(', ')}`);
    if (options.times !== undefined && (!Number.isInteger(options.times) || options.times < 1))
      throw new RangeError('times must be a positive integer');
    this.fault = { fault, remaining: options.times ?? null };
  }

  takeFault(): ApiFault | null {
    const active = this.fault;
    if (!active) return null;
    if (active.remaining !== null && --active.remaining <= 0) this.fault = null;
    return active.fault;
  }

  record(call: Omit<PdbCall, 'at'>): void {
    this.counts[call.kind]++;
    this.log.push({ at: new Date().toISOString(), ...call });
  }

  /** Every API call answered so far (a hung one is logged with status 0). */
  calls(): PdbCall[] {
    return [...this.log];
  }

  resetCounts(): void {
    this.counts = { entityInfo: 0 };
  }

  /** The seeded data, latency, fault, counts and the call log back to their start values. */
  reset(): void {
    this.store.reset();
    this.latency = { ...this.defaultLatency };
    this.fault = null;
    this.resetCounts();
    this.log = [];
  }
}

type Reply = SimAnswer;

const MAX_BODY_BYTES = 64 * 1024;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const json = (status: number, body: unknown): Reply => ({
  status,
  contentType: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});
const xmlError = (status: number, code: PdbErrorCode, description: string, headers?: Record<string, string>): Reply => ({
  status,
  contentType: XML_TYPE,
  body: pdbErrorXml(code, description),
  headers,
});

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Whether the request carries the customer id and password (HTTP Basic). */
function authorized(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, whatever the first gives: the time says nothing of which was wrong.
  const userOk = sameSecret(decoded.slice(0, colon), user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

const str = (value: unknown): string | undefined => (value === undefined ? undefined : String(value));

/** The HTTP form of the control API (the routes are listed in this file's header). */
export function handlePdbControl(control: PdbControl, method: string, pathname: string, body: string): Reply {
  const route = `${method} ${pathname.replace(/\/+$/, '')}`;
  const parts = (pattern: RegExp) => pattern.exec(route)?.slice(1).map(decodeURIComponent);
  try {
    const input = method === 'GET' || method === 'DELETE' ? {} : parseJsonObject(body);
    let m = parts(/^GET \/_control\/producers\/([^/]+)$/);
    if (m) {
      const producer = control.producer(m[0]);
      return producer ? json(200, producer) : json(404, { error: 'NPN_NOT_FOUND', message: 'no producer with this NPN' });
    }
    m = parts(/^PUT \/_control\/producers\/([^/]+)$/);
    if (m) return json(200, control.setProducer(m[0], input as { firstName: string; lastName: string; residentState: string }));
    m = parts(/^PUT \/_control\/producers\/([^/]+)\/licenses\/([^/]+)$/);
    if (m) return json(200, control.setLicense(m[0], m[1], input as LicenseChange));
    m = parts(/^POST \/_control\/producers\/([^/]+)\/licenses\/([^/]+)\/expire$/);
    if (m) return json(200, control.expireLicense(m[0], m[1], str(input.on)));
    m = parts(/^POST \/_control\/producers\/([^/]+)\/appointments$/);
    if (m)
      return json(
        200,
        control.addAppointment(m[0], {
          carrierCode: String(input.carrierCode),
          state: String(input.state),
          line: input.line as PdbLine | undefined,
          effectiveOn: str(input.effectiveOn),
        }),
      );
    m = parts(/^POST \/_control\/producers\/([^/]+)\/appointments\/([^/]+)\/([^/]+)\/terminate$/);
    if (m) return json(200, control.terminateAppointment(m[0], m[1], m[2], str(input.on)));
    switch (route) {
      case 'GET /_control/discrepancies':
        return json(200, control.discrepancies);
      case 'GET /_control/counts':
        return json(200, control.counts);
      case 'DELETE /_control/counts':
        control.resetCounts();
        return json(200, { ok: true });
      case 'GET /_control/calls':
        return json(200, control.calls());
      case 'PUT /_control/latency':
        control.setLatency({ fixedMs: Number(input.fixedMs ?? 0), jitterMs: Number(input.jitterMs ?? 0) });
        return json(200, control.latency);
      case 'PUT /_control/fault':
        control.setFault(input.fault as ApiFault, { times: input.times === undefined ? undefined : Number(input.times) });
        return json(200, { ok: true });
      case 'DELETE /_control/fault':
        control.setFault(null);
        return json(200, { ok: true });
      case 'POST /_control/reset':
        control.reset();
        return json(200, { ok: true });
      default:
        return json(404, { error: 'not_found', message: `${route} is not a control endpoint` });
    }
  } catch (error) {
    if (error instanceof PdbError) return json(404, { error: error.code, message: error.message });
    // Bad control input is the caller's mistake: say what was wrong.
    return json(400, { error: 'bad_request', message: (error as Error).message });
  }
}

/** Starts the producer database on its own HTTP server. */
export async function startPdbSimulator(options: PdbSimulatorOptions): Promise<RunningPdbSimulator> {
  const host = options.host ?? '127.0.0.1';
  const control = new PdbControl({ world: options.world, latency: options.latency, now: options.now });
  const answer = (call: Omit<PdbCall, 'at' | 'kind'>, reply: Reply): Reply => {
    control.record({ kind: 'entityInfo', ...call });
    return reply;
  };
  const entityInfo = async (req: IncomingMessage, url: URL): Promise<Reply | null> => {
    if (!authorized(req.headers.authorization, options.user, options.password))
      return xmlError(401, 'UNAUTHORIZED', 'a valid customer id and password are required', { 'www-authenticate': 'Basic realm="PDB"' });
    const delay = control.delayMs();
    if (delay > 0) await sleep(delay);
    const fault = control.takeFault();
    if (fault === 'hang') {
      control.record({ kind: 'entityInfo', status: 0, code: null });
      return null;
    }
    if (fault === '5xx')
      return answer(
        { status: 503, code: 'SERVICE_UNAVAILABLE' },
        xmlError(503, 'SERVICE_UNAVAILABLE', 'the producer database is unavailable, try again later'),
      );
    if (fault === 'malformed')
      return answer(
        { status: 200, code: null },
        { status: 200, contentType: XML_TYPE, body: '<?xml version="1.0"?><PDB><PRODUCER><INDIV' },
      );
    const npn = url.searchParams.get('npn') ?? '';
    if (!NPN_PATTERN.test(npn))
      return answer({ status: 400, code: 'INVALID_NPN' }, xmlError(400, 'INVALID_NPN', 'npn must be 1 to 10 digits'));
    const producer = control.producer(npn);
    if (!producer)
      return answer(
        { status: 404, code: 'NPN_NOT_FOUND' },
        xmlError(404, 'NPN_NOT_FOUND', 'the producer database has no producer with this NPN'),
      );
    return answer({ status: 200, code: null }, { status: 200, contentType: XML_TYPE, body: entityInfoXml(producer) });
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://pdb');
      const method = req.method ?? 'GET';
      if (url.pathname === '/health') return sendAnswer(res, json(200, { status: 'ok', service: 'pdb' }));
      if (url.pathname.startsWith('/_control/')) {
        const body = method === 'GET' || method === 'DELETE' ? '' : await readBody(req, MAX_BODY_BYTES);
        return sendAnswer(res, handlePdbControl(control, method, url.pathname, body));
      }
      if (url.pathname.replace(/\/+$/, '') !== '/pdb/entity-info')
        return sendAnswer(res, xmlError(404, 'NOT_FOUND', 'no such report: GET /pdb/entity-info?npn=<npn>'));
      if (method !== 'GET')
        return sendAnswer(res, xmlError(405, 'METHOD_NOT_ALLOWED', 'the entity-info report is a GET', { allow: 'GET' }));
      const reply = await entityInfo(req, url);
      if (reply) sendAnswer(res, reply);
    })().catch(() => {
      // A bug or an oversized control body: an answer the caller can see, never a hung socket, and nothing logged.
      sendAnswer(res, xmlError(500, 'INTERNAL_ERROR', 'the producer database could not answer'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    user: options.user,
    password: options.password,
    control,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
