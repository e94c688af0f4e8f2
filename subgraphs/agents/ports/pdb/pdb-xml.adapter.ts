/**
 * The ProducerDatabase port over the national producer database's entity-info report: XML over HTTP
 * (`GET /pdb/entity-info?npn=<npn>`, HTTP Basic with the customer id and password; the simulator in
 * simulators/pdb/ speaks it, and its header is the API guide). Every call has a per-attempt timeout;
 * failures worth repeating (no answer, 429, 5xx, an answer that does not parse) are retried with
 * exponential backoff under one overall deadline (cockatiel, as the e-signature adapter does). The
 * producer's name in the report is never read past this file.
 */
import { ExponentialBackoff, handleWhen, type IPolicy, retry, TimeoutStrategy, timeout, wrap } from 'cockatiel';
import { XMLParser } from 'fast-xml-parser';
import {
  PDB_LINES,
  type PdbAppointmentRecord,
  type PdbLicenseRecord,
  type PdbLineCode,
  type PdbProducerReport,
  type ProducerDatabase,
  ProducerDatabaseError,
} from '../producer-database.port';

export interface PdbXmlAdapterSettings {
  baseUrl: string;
  user: string;
  password: string;
  /** One attempt's limit (default 5000 ms). */
  attemptTimeoutMs?: number;
  /** Everything, retries included (default 15000 ms). */
  deadlineMs?: number;
  /** Extra attempts after a transient failure (default 2). */
  retries?: number;
  /** First backoff (default 100 ms), doubled per retry. */
  retryInitialDelayMs?: number;
}

type XmlNode = { [name: string]: unknown };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => ['STATE', 'LICENSE', 'DETAIL', 'APPOINTMENT'].includes(name),
});

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const STATE = /^[A-Z]{2}$/;

const unreadable = (what: string) =>
  new ProducerDatabaseError('PDB.UNAVAILABLE', `the producer database answered a report we cannot read (${what})`);

function node(value: unknown): XmlNode | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as XmlNode) : undefined;
}

function list(value: unknown): XmlNode[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}

function text(parent: XmlNode | undefined, name: string): string | undefined {
  const value = parent?.[name];
  const raw = typeof value === 'string' ? value : node(value)?.['#text'];
  return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
}

function date(parent: XmlNode, name: string, required: true): string;
function date(parent: XmlNode, name: string, required: false): string | null;
function date(parent: XmlNode, name: string, required: boolean): string | null {
  const value = text(parent, name);
  if (value === undefined) {
    if (required) throw unreadable(`${name} missing`);
    return null;
  }
  if (!DATE.test(value)) throw unreadable(`${name} is not a date`);
  return value;
}

function stateOf(element: XmlNode): string {
  const state = element['@_name'];
  if (typeof state !== 'string' || !STATE.test(state)) throw unreadable('a STATE without a two-letter name');
  return state;
}

function line(value: string | undefined): PdbLineCode {
  if (!value || !(PDB_LINES as readonly string[]).includes(value)) throw unreadable('an unknown line of authority');
  return value as PdbLineCode;
}

/** The entity-info XML as our report (exported for the unit tests of the mapping). */
export function parseEntityInfo(xml: string): PdbProducerReport {
  let root: XmlNode | undefined;
  try {
    root = node((parser.parse(xml, true) as XmlNode).PDB);
  } catch {
    throw unreadable('not XML');
  }
  const individual = node(node(root?.PRODUCER)?.INDIVIDUAL);
  if (!individual) throw unreadable('no PRODUCER/INDIVIDUAL');
  const biographic = node(node(individual.ENTITY_BIOGRAPHIC)?.BIOGRAPHIC);
  const npn = text(biographic, 'ID_ENTITY');
  if (!npn) throw unreadable('no ID_ENTITY');
  const licensing = node(individual.PRODUCER_LICENSING);
  const licenses: PdbLicenseRecord[] = list(node(licensing?.LICENSE_INFORMATION)?.STATE).flatMap((state) =>
    list(state.LICENSE).map((license) => {
      const status = text(license, 'STATUS');
      const residency = text(license, 'RESIDENCY_STATUS');
      const number = text(license, 'LICENSE_NUM');
      if (!number) throw unreadable('a LICENSE without LICENSE_NUM');
      if (status !== 'ACTIVE' && status !== 'INACTIVE') throw unreadable('an unknown license STATUS');
      if (residency !== 'RESIDENT' && residency !== 'NON_RESIDENT') throw unreadable('an unknown RESIDENCY_STATUS');
      return {
        state: stateOf(state),
        number,
        resident: residency === 'RESIDENT',
        licenseClass: text(license, 'LICENSE_CLASS') ?? '',
        lines: [...new Set(list(node(license.DETAILS)?.DETAIL).map((detail) => line(text(detail, 'LOA'))))],
        status,
        effectiveOn: date(license, 'DATE_EFFECTIVE', true),
        expiresOn: date(license, 'DATE_EXPIRE_LICENSE', true),
      };
    }),
  );
  const appointments: PdbAppointmentRecord[] = list(node(licensing?.APPOINTMENT_INFORMATION)?.STATE).flatMap((state) =>
    list(state.APPOINTMENT).map((appointment) => {
      const status = text(appointment, 'STATUS');
      const companyCode = text(appointment, 'COMPANY_CODE');
      if (!companyCode) throw unreadable('an APPOINTMENT without COMPANY_CODE');
      if (status !== 'ACTIVE' && status !== 'TERMINATED') throw unreadable('an unknown appointment STATUS');
      return {
        companyCode,
        state: stateOf(state),
        line: line(text(appointment, 'LINE_OF_AUTHORITY') ?? 'LIFE'),
        status,
        effectiveOn: date(appointment, 'DATE_EFFECTIVE', false),
        terminatedOn: date(appointment, 'DATE_TERMINATED', false),
      };
    }),
  );
  const residentState = text(biographic, 'STATE_RESIDENT');
  return { npn, residentState: residentState && STATE.test(residentState) ? residentState : null, licenses, appointments };
}

/** The error document's code (`<PDB><ERROR><CODE/>`), or undefined. */
function errorCode(xml: string): string | undefined {
  try {
    return text(node(node((parser.parse(xml) as XmlNode).PDB)?.ERROR), 'CODE');
  } catch {
    return undefined;
  }
}

export class PdbXmlAdapter implements ProducerDatabase {
  /** Attempts made (retries included): tests count them. */
  calls = 0;
  private readonly policy: IPolicy;
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly attemptTimeoutMs: number;

  constructor(settings: PdbXmlAdapterSettings) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${settings.user}:${settings.password}`).toString('base64')}`;
    this.attemptTimeoutMs = settings.attemptTimeoutMs ?? 5_000;
    const retries = retry(
      handleWhen((error) => error instanceof ProducerDatabaseError && error.retryable),
      {
        maxAttempts: settings.retries ?? 2,
        backoff: new ExponentialBackoff({ initialDelay: settings.retryInitialDelayMs ?? 100, maxDelay: 2_000 }),
      },
    );
    this.policy = wrap(timeout(settings.deadlineMs ?? 15_000, TimeoutStrategy.Aggressive), retries);
  }

  async producer(npn: string): Promise<PdbProducerReport> {
    if (!/^\d{1,10}$/.test(npn)) throw new ProducerDatabaseError('PDB.REJECTED', 'an NPN is 1 to 10 digits');
    try {
      return await this.policy.execute(({ signal }) => this.attempt(npn, signal));
    } catch (error) {
      if (error instanceof ProducerDatabaseError) throw error;
      // cockatiel's deadline (TaskCancelledError) or an abort: no answer in time.
      throw new ProducerDatabaseError('PDB.UNAVAILABLE', 'no answer from the producer database in time');
    }
  }

  private async attempt(npn: string, deadline: AbortSignal): Promise<PdbProducerReport> {
    if (deadline.aborted) throw new ProducerDatabaseError('PDB.UNAVAILABLE', 'no answer from the producer database in time');
    this.calls++;
    const signal = AbortSignal.any([deadline, AbortSignal.timeout(this.attemptTimeoutMs)]);
    let response: Response;
    let body: string;
    try {
      response = await fetch(`${this.baseUrl}/pdb/entity-info?npn=${encodeURIComponent(npn)}`, {
        headers: { authorization: this.authorization, accept: 'application/xml' },
        signal,
      });
      body = await response.text();
    } catch {
      throw new ProducerDatabaseError('PDB.UNAVAILABLE', `the producer database did not answer${signal.aborted ? ' in time' : ''}`);
    }
    if (response.ok) return parseEntityInfo(body);
    const code = errorCode(body);
    if (response.status === 404 && code === 'NPN_NOT_FOUND')
      throw new ProducerDatabaseError('PDB.NPN_NOT_FOUND', 'the producer database has no producer with this NPN');
    if (response.status === 429 || response.status >= 500)
      throw new ProducerDatabaseError('PDB.UNAVAILABLE', `the producer database answered ${response.status}`);
    // 400, 401, another 404: our request or our credentials are wrong. Its code only: never the NPN.
    throw new ProducerDatabaseError('PDB.REJECTED', `the producer database refused the request: ${response.status} ${code ?? 'unknown'}`);
  }
}
