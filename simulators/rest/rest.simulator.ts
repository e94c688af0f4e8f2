/**
 * A REST/JSON carrier behind OAuth2 client credentials. Endpoints:
 *   POST /oauth/token                         grant_type=client_credentials (form body; credentials in
 *                                             HTTP Basic or client_id/client_secret) → bearer token
 *   GET  /v1/products                         catalog
 *   POST /v1/quotes                           price some products for one insured
 *   POST /v1/quotes/batch                     {"requests": [quote, ...]} (1 to 25): each answered as
 *                                             POST /v1/quotes would, {"results": [{status, body}, ...]}
 *   POST /v1/applications                     submit; Idempotency-Key required; a resend with the same
 *                                             key replays the first response (Idempotent-Replayed: true).
 *                                             With `application` (the full application, rest.application.ts)
 *                                             it is checked for good order first: 422 with `problems`.
 *   GET  /v1/applications/:id                 one application's status and requirements
 *   POST /v1/applications/status-inquiry      {"applicationIds": [...]}: many at once
 *   POST /v1/applications/:id/changes         {"changes": {...}} a change to a pending application;
 *                                             Idempotency-Key required, a resend replays the decision:
 *                                             201 {status, amendmentRequired, message}, 404 unknown, 422 refused
 *   POST /v1/appointments, GET /v1/appointments/:id   producer appointments (rest.appointments.ts)
 * Every /v1 call needs a valid bearer token: missing, unknown, expired or revoked → 401.
 * Amounts are decimal strings ("370.00").
 */
import { timingSafeEqual } from 'node:crypto';
import { devClientCredentials, envName } from '../environment';

/**
 * The client credentials this simulated carrier accepts: CARRIER_<CODE>_CLIENT_ID / _CLIENT_SECRET
 * from its environment (the same names the carriers subgraph reads, so one env file configures both
 * sides, e.g. in docker-compose), else the documented development pair.
 */
export function simulatorCredentials(
  code: string,
  env: Record<string, string | undefined> = process.env,
): { clientId: string; clientSecret: string } {
  const dev = devClientCredentials(code);
  const prefix = `CARRIER_${envName(code)}_`;
  return { clientId: env[`${prefix}CLIENT_ID`] || dev.clientId, clientSecret: env[`${prefix}CLIENT_SECRET`] || dev.clientSecret };
}
import { formatMoney, parseMoney } from '../../platform/money';
import type { CarrierFixture, ProductFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import type { ChangeAsk, OurRequirement, StoredApplication, SubmissionOutcome } from '../carrier-store';
import type { PushBody } from '../carrier-push';
import { json, type ProtocolHandler, type SimRequest, type SimResponse } from '../protocol';
import type { CallKind, SimulatedCarrier } from '../simulated-carrier';
import { applicationProblems, problemsMessage } from '../application-check';
import { submittedApplication } from './rest.application';
import { APPOINTMENT_PATH, APPOINTMENTS_PATH, appointmentStatus, fileAppointment } from './rest.appointments';
import { priceQuote, underwriteApplication, type QuoteAsk } from '../underwriting';
import {
  APPLICATION_STATUS,
  BILLING_MODE,
  PRODUCT_CATEGORY,
  REQUIREMENT_STATE,
  REQUIREMENT_TYPE,
  RISK_CLASS,
  fromCode,
} from './rest.codes';

const APPLICATION_PATH = /^\/v1\/applications\/([^/]+)$/;
const CHANGES_PATH = /^\/v1\/applications\/([^/]+)\/changes$/;
const MAX_INQUIRY = 200;
const MAX_QUOTE_BATCH = 25;

const invalid = (message: string) => json(400, { error: 'invalid_request', message });

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function bearer(request: SimRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? match[1] : null;
}

function parseBody(request: SimRequest): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(request.body);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const isWhole = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;
/** A non-negative JSON money string ("2.50") in cents, or null. */
/** Riders as the carrier's JSON lists them: a type, and an amount in whole dollars where the rider has one. */
function validRiders(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (rider) =>
        !!rider &&
        typeof rider === 'object' &&
        typeof rider.type === 'string' &&
        (rider.amount === undefined || rider.amount === null || isWhole(rider.amount)),
    )
  );
}

function moneyCents(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  try {
    const cents = parseMoney(value);
    return cents >= 0 ? cents : null;
  } catch {
    return null;
  }
}
const MONEY = /^\d+\.\d{2}$/;

export class RestCarrier implements ProtocolHandler {
  constructor(private readonly sim: SimulatedCarrier) {}

  private get carrier(): CarrierFixture {
    return this.sim.carrier;
  }

  classify(request: SimRequest): CallKind | null {
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /oauth/token') return 'token';
    if (route === 'GET /v1/products') return 'products';
    if (route === 'POST /v1/quotes' || route === 'POST /v1/quotes/batch') return 'quote';
    if (route === 'POST /v1/applications') return 'submit';
    if (route === 'POST /v1/applications/status-inquiry') return 'status';
    if (request.method === 'GET' && APPLICATION_PATH.test(request.path)) return 'status';
    if (request.method === 'POST' && CHANGES_PATH.test(request.path)) return 'change';
    if (route === `POST ${APPOINTMENTS_PATH}`) return 'appointment';
    if (request.method === 'GET' && APPOINTMENT_PATH.test(request.path)) return 'appointmentStatus';
    return null;
  }

  /** A status notification: a JSON event with the status report a status inquiry answers. */
  notification(application: StoredApplication, eventId: string): PushBody {
    return {
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({
        eventId,
        type: 'application.status_changed',
        occurredAt: new Date().toISOString(),
        application: statusJson(application),
      }),
    };
  }

  malformed(kind: CallKind): SimResponse {
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: kind === 'token' ? '{"access_token": "abc' : '{"data": [{"productCode": "',
    };
  }

  handle(request: SimRequest, kind: CallKind): SimResponse {
    if (kind === 'token') return this.token(request);
    if (!this.sim.tokens.isValid(bearer(request))) {
      return json(
        401,
        { error: 'invalid_token', error_description: 'missing, expired or revoked access token' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    }
    switch (kind) {
      case 'products':
        return json(200, { products: this.carrier.products.map(productJson) });
      case 'quote':
        return request.path === '/v1/quotes/batch' ? this.quoteBatch(request) : this.quote(request);
      case 'submit':
        return this.submit(request);
      case 'change':
        return this.change(request);
      case 'appointment':
        return fileAppointment(this.sim.appointments, request);
      case 'appointmentStatus':
        return appointmentStatus(this.sim.appointments, request);
      default:
        return this.status(request);
    }
  }

  private token(request: SimRequest): SimResponse {
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
    let clientId = form.get('client_id') ?? '';
    let clientSecret = form.get('client_secret') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
    const expected = simulatorCredentials(this.carrier.code);
    if (clientId !== expected.clientId || !sameSecret(clientSecret, expected.clientSecret)) {
      return json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="token"' });
    }
    const token = this.sim.tokens.issue();
    return json(
      200,
      { access_token: token.accessToken, token_type: 'Bearer', expires_in: token.expiresIn },
      { 'cache-control': 'no-store' },
    );
  }

  private quote(request: SimRequest): SimResponse {
    const answer = this.quoteAnswer(parseBody(request));
    return json(answer.status, answer.body);
  }

  /** Many quote requests in one call, each answered as POST /v1/quotes answers it alone. */
  private quoteBatch(request: SimRequest): SimResponse {
    const requests = parseBody(request)?.requests;
    if (!Array.isArray(requests) || requests.length === 0 || requests.length > MAX_QUOTE_BATCH)
      return invalid(`requests must be a list of 1 to ${MAX_QUOTE_BATCH} quote requests`);
    return json(200, { results: requests.map((one) => this.quoteAnswer(isObject(one) ? one : null)) });
  }

  private quoteAnswer(body: Record<string, unknown> | null): { status: number; body: unknown } {
    const invalid = (message: string) => ({ status: 400, body: { error: 'invalid_request', message } });
    if (!body) return invalid('the body must be a JSON object');
    const healthClass = fromCode(RISK_CLASS, body.riskClass);
    const flatExtra = body.flatExtraPerThousand === undefined ? 0 : moneyCents(body.flatExtraPerThousand);
    const problems = [
      typeof body.state !== 'string' && 'state',
      !isWhole(body.issueAge) && 'issueAge',
      body.sex !== 'M' && body.sex !== 'F' && 'sex (M or F)',
      typeof body.tobacco !== 'boolean' && 'tobacco',
      !healthClass && `riskClass (one of ${Object.values(RISK_CLASS).join(', ')})`,
      !isWhole(body.tableRating ?? 0) && 'tableRating',
      flatExtra === null && 'flatExtraPerThousand (an amount such as "2.50")',
      (flatExtra ?? 0) > 0 && !isWhole(body.flatExtraYears) && 'flatExtraYears (with flatExtraPerThousand)',
      !isWhole(body.faceAmount) && 'faceAmount',
      body.termYears !== undefined && body.termYears !== null && !isWhole(body.termYears) && 'termYears',
      body.guaranteedToAge !== undefined && !isWhole(body.guaranteedToAge) && 'guaranteedToAge',
      body.payPeriod !== undefined && typeof body.payPeriod !== 'string' && 'payPeriod',
      body.plan !== undefined && typeof body.plan !== 'string' && 'plan',
      body.riders !== undefined && !validRiders(body.riders) && 'riders (a list of { type, amount? })',
      !(Array.isArray(body.productCodes) && body.productCodes.every((c) => typeof c === 'string')) && 'productCodes',
    ].filter(Boolean);
    if (problems.length) return invalid(`invalid or missing: ${problems.join(', ')}`);
    const ask: QuoteAsk = {
      state: body.state as QuoteAsk['state'],
      issueAge: body.issueAge as number,
      gender: body.sex === 'F' ? 'FEMALE' : 'MALE',
      tobacco: body.tobacco as boolean,
      healthClass: healthClass!,
      tableRating: (body.tableRating ?? 0) as number,
      ...(flatExtra ? { flatExtraPerThousandCents: flatExtra, flatExtraYears: body.flatExtraYears as number } : {}),
      faceAmount: body.faceAmount as number,
      termYears: (body.termYears ?? null) as number | null,
      ...(body.guaranteedToAge !== undefined ? { guaranteedToAge: body.guaranteedToAge as number } : {}),
      ...(body.payPeriod !== undefined ? { payPeriod: body.payPeriod as string } : {}),
      ...(body.plan !== undefined ? { finalExpensePlan: body.plan as string } : {}),
      ...(body.riders !== undefined ? { riders: body.riders as QuoteAsk['riders'] } : {}),
      productCodes: body.productCodes as string[],
    };
    const { priced, declined } = priceQuote(this.carrier, ask);
    return {
      status: 200,
      body: {
        quotes: priced.map((price) => ({
          productCode: price.product.code,
          // The class priced: a table is rated on Standard whatever class was asked.
          riskClass: RISK_CLASS[price.healthClass],
          riskClassName: this.carrier.classNames[price.healthClass],
          issueAge: ask.issueAge,
          faceAmount: ask.faceAmount,
          termYears: ask.termYears,
          ...(ask.guaranteedToAge !== undefined ? { guaranteedToAge: ask.guaranteedToAge } : {}),
          ...(ask.payPeriod !== undefined ? { payPeriod: ask.payPeriod } : {}),
          ...(ask.finalExpensePlan !== undefined ? { plan: ask.finalExpensePlan } : {}),
          // Each rider's yearly premium (in the annual premium), or why this product does not carry it.
          riders: price.riders.map((rider) =>
            'premiumCents' in rider
              ? { type: rider.type, annualPremium: formatMoney(rider.premiumCents) }
              : { type: rider.type, declined: rider.refused },
          ),
          policyFee: formatMoney(price.policyFeeCents),
          premiums: {
            annual: formatMoney(price.modalPremiumsCents.ANNUAL),
            semiannual: formatMoney(price.modalPremiumsCents.SEMI_ANNUAL),
            quarterly: formatMoney(price.modalPremiumsCents.QUARTERLY),
            monthly: formatMoney(price.modalPremiumsCents.MONTHLY),
          },
        })),
        declined,
      },
    };
  }

  private submit(request: SimRequest): SimResponse {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !key.trim() || key.length > 255)
      return invalid('an Idempotency-Key header (1 to 255 characters) is required');
    const body = parseBody(request);
    const insured = body?.insured;
    const coverage = body?.coverage;
    const billing = body?.billing;
    if (!body || !isObject(insured) || !isObject(coverage) || !isObject(billing))
      return invalid('insured, coverage and billing are required');
    const problems = [
      typeof body.productCode !== 'string' && 'productCode',
      typeof body.applicationDate !== 'string' && 'applicationDate',
      (typeof insured.lastName !== 'string' || !insured.lastName) && 'insured.lastName',
      typeof insured.birthDate !== 'string' && 'insured.birthDate',
      insured.sex !== 'M' && insured.sex !== 'F' && 'insured.sex',
      typeof insured.state !== 'string' && 'insured.state',
      typeof insured.tobacco !== 'boolean' && 'insured.tobacco',
      !isWhole(coverage.faceAmount) && 'coverage.faceAmount',
      coverage.termYears !== null && !isWhole(coverage.termYears) && 'coverage.termYears',
      !isWhole(coverage.tableRating ?? 0) && 'coverage.tableRating',
      !(typeof billing.annualPremium === 'string' && MONEY.test(billing.annualPremium)) && 'billing.annualPremium',
    ].filter(Boolean);
    if (problems.length) return invalid(`invalid or missing: ${problems.join(', ')}`);
    // Checked inside the store's first-time callback: a resend under the key replays the same answer, rejection included.
    const { outcome, replayed } = this.sim.store.submit(
      key,
      () => {
        const full = submittedApplication(body);
        const problems = full ? applicationProblems(full) : [];
        if (problems.length) return { accepted: false, message: problemsMessage(problems), problems };
        return underwriteApplication(this.carrier, {
          productCode: body.productCode as string,
          applicationDate: body.applicationDate as string,
          birthDate: insured.birthDate as string,
          gender: insured.sex === 'F' ? 'FEMALE' : 'MALE',
          state: insured.state as string,
          tobacco: insured.tobacco as boolean,
          faceAmount: coverage.faceAmount as number,
          termYears: (coverage.termYears ?? null) as number | null,
          tableRating: (coverage.tableRating ?? 0) as number,
          healthClass: fromCode(RISK_CLASS, coverage.riskClass) ?? `risk class ${String(coverage.riskClass)}`,
          paymentMode: fromCode(BILLING_MODE, billing.mode) ?? `billing mode ${String(billing.mode)}`,
          annualPremiumCents: Math.round(Number(billing.annualPremium) * 100),
        });
      },
      ourRequirements(body.requirements),
    );
    const response = submissionResponse(outcome);
    if (replayed) response.headers = { ...response.headers, 'idempotent-replayed': 'true' };
    return response;
  }

  private change(request: SimRequest): SimResponse {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !key.trim() || key.length > 255)
      return invalid('an Idempotency-Key header (1 to 255 characters) is required');
    const id = decodeURIComponent(CHANGES_PATH.exec(request.path)![1]);
    const changes = parseBody(request)?.changes;
    if (!isObject(changes) || !Object.keys(changes).length) return invalid('changes must name at least one change');
    const ask: ChangeAsk = {};
    const problems: string[] = [];
    if (changes.faceAmount !== undefined) {
      if (isWhole(changes.faceAmount)) ask.faceAmount = changes.faceAmount;
      else problems.push('changes.faceAmount');
    }
    if (changes.productCode !== undefined) {
      if (typeof changes.productCode === 'string') ask.productCode = changes.productCode;
      else problems.push('changes.productCode');
    }
    if (changes.termYears !== undefined) {
      if (isWhole(changes.termYears)) ask.termYears = changes.termYears;
      else problems.push('changes.termYears');
    }
    if (changes.riders !== undefined) {
      if (Array.isArray(changes.riders) && changes.riders.every((r) => isObject(r) && typeof r.type === 'string'))
        ask.riders = (changes.riders as { type: string }[]).map((r) => r.type);
      else problems.push('changes.riders');
    }
    if (changes.billingMode !== undefined) {
      const mode = fromCode(BILLING_MODE, changes.billingMode);
      if (mode) ask.paymentMode = mode;
      else problems.push('changes.billingMode');
    }
    if (changes.beneficiaries !== undefined) {
      const list = changes.beneficiaries;
      if (
        Array.isArray(list) &&
        list.length > 0 &&
        list.every(
          (b) =>
            isObject(b) &&
            (b.designation === 'PRIMARY' || b.designation === 'CONTINGENT') &&
            typeof b.name === 'string' &&
            isWhole(b.sharePercent),
        )
      )
        ask.beneficiaries = (list as { designation: string; sharePercent: number }[]).map((b) => ({
          designation: b.designation,
          sharePercent: b.sharePercent,
        }));
      else problems.push('changes.beneficiaries');
    }
    if (changes.owner !== undefined) {
      const owner = changes.owner;
      const valid =
        isObject(owner) &&
        typeof owner.name === 'string' &&
        ((owner.type === 'PERSON' && typeof owner.relationship === 'string') ||
          (owner.type === 'ENTITY' && typeof owner.tin === 'string' && /^\d{9}$/.test(owner.tin)));
      if (valid) ask.owner = true;
      else problems.push('changes.owner');
    }
    if (problems.length) return invalid(`invalid: ${problems.join(', ')}`);
    const { outcome, replayed } = this.sim.store.change(key, id, ask);
    const headers: Record<string, string> = replayed ? { 'idempotent-replayed': 'true' } : {};
    if (!outcome.accepted) {
      const known = this.sim.store.find(id) !== undefined;
      return json(known ? 422 : 404, { error: known ? 'change_rejected' : 'not_found', message: outcome.message }, headers);
    }
    return json(
      201,
      { applicationId: id, status: 'ACCEPTED', amendmentRequired: outcome.amendmentRequired, message: outcome.message },
      headers,
    );
  }

  private status(request: SimRequest): SimResponse {
    const one = APPLICATION_PATH.exec(request.path);
    if (request.method === 'GET' && one) {
      const application = this.sim.store.find(decodeURIComponent(one[1]));
      return application ? json(200, statusJson(application)) : json(404, { error: 'not_found', message: 'no such application' });
    }
    const body = parseBody(request);
    const ids = body?.applicationIds;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string') || ids.length > MAX_INQUIRY) {
      return invalid(`applicationIds must be a list of at most ${MAX_INQUIRY} ids`);
    }
    const found: StoredApplication[] = [];
    const notFound: string[] = [];
    for (const id of ids as string[]) {
      const application = this.sim.store.find(id);
      if (application) found.push(application);
      else notFound.push(id);
    }
    return json(200, { applications: found.map(statusJson), notFound });
  }
}

function submissionResponse(outcome: SubmissionOutcome): SimResponse {
  if (!outcome.accepted)
    return json(422, {
      error: 'application_rejected',
      message: outcome.message,
      // One entry per not-in-good-order reason of a full application: where (a JSON path), which rule, and words without personal data.
      ...(outcome.problems ? { problems: outcome.problems } : {}),
    });
  const application = outcome.application;
  return json(201, {
    applicationId: application.carrierReference,
    status: APPLICATION_STATUS.SUBMITTED,
    annualPremium: formatMoney(application.annualPremiumCents),
    ...(outcome.message ? { message: outcome.message } : {}),
  });
}

/** `requirements: [{reference, type}]` of a submission: what the BGA already ordered, with its ids. */
function ourRequirements(value: unknown): OurRequirement[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    if (!isObject(entry) || typeof entry.reference !== 'string') return [];
    const code = fromCode(REQUIREMENT_TYPE, entry.type);
    return code ? [{ id: entry.reference, code }] : [];
  });
}

export function statusJson(application: StoredApplication) {
  const terms = application.approvedTerms;
  return {
    applicationId: application.carrierReference,
    status: application.carrierStatusCode ?? APPLICATION_STATUS[application.status],
    policyNumber: application.policyNumber,
    ...(application.statusNote ? { statusNote: application.statusNote } : {}),
    ...(terms
      ? {
          approvedTerms: {
            riskClass: terms.healthClass ? RISK_CLASS[terms.healthClass] : null,
            tableRating: terms.tableRating,
            ...(terms.flatExtraPerThousandCents > 0
              ? { flatExtraPerThousand: formatMoney(terms.flatExtraPerThousandCents), flatExtraYears: terms.flatExtraYears }
              : {}),
            faceAmount: terms.faceAmount,
          },
        }
      : {}),
    requirements: application.requirements.map((requirement) => ({
      id: requirement.id,
      reference: requirement.reference,
      description: requirement.description,
      type: requirement.carrierCode ?? REQUIREMENT_TYPE[requirement.code],
      status: REQUIREMENT_STATE[requirement.status],
      orderedOn: requirement.requestedOn,
      receivedOn: requirement.fulfilledOn,
    })),
  };
}

function productJson(product: ProductFixture) {
  return {
    productCode: product.code,
    name: product.name,
    category: PRODUCT_CATEGORY[product.type],
    underwriting: product.fullyUnderwritten ? 'full' : 'simplified',
    issueAges: { min: product.minIssueAge, max: product.maxIssueAge },
    faceAmount: { min: product.minFaceAmount, max: product.maxFaceAmount },
    terms: product.terms.map((term) => ({ years: term.years, issueAges: { min: term.minIssueAge, max: term.maxIssueAge } })),
    riskClasses: product.healthClasses.map((healthClass) => RISK_CLASS[healthClass]),
    states: [...product.availableStates],
  };
}

export const restProtocol = (sim: SimulatedCarrier): ProtocolHandler => new RestCarrier(sim);
