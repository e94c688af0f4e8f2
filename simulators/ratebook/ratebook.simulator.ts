/**
 * A rate-book carrier: it publishes its rates and lets the BGA price locally, so it is called only
 * for the book itself, the catalog, submissions and status. Endpoints:
 *   GET  /ratebook             every priced product's rate table as one CSV (RATE_TABLE_CSV_HEADER),
 *                              after the terms it prices with (`# name=value` lines: policy fee,
 *                              modal factors, class names, rider rates and each product's riders), with an ETag; If-None-Match with the
 *                              current ETag answers 304
 *   GET  /products             catalog (JSON)
 *   POST /submissions          JSON application; `submissionRef` is the deduplication key. With
 *                              `application` (the full draft, ratebook.application.ts) it is checked
 *                              for good order first: `accepted: false` with `problems`
 *   GET  /submissions?ids=a,b  status and requirements of several submissions at once
 *   POST /submissions/:id/changes  JSON change to a pending submission; `changeRef` is the deduplication
 *                              key; {accepted, amendment (the requirement code to sign, or null)} or {accepted: false, reason}
 *   POST /appointments, GET /appointments?ids=a,b  producer appointments (ratebook.appointments.ts)
 */
import type { CarrierFixture, ProductFixture } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { RATE_TABLE_CSV_HEADER, rateTableCsv } from '../../subgraphs/carriers/fixtures/rate-table';
import type { ChangeAsk, OurRequirement, StoredApplication, SubmissionOutcome } from '../carrier-store';
import type { PushBody } from '../carrier-push';
import { json, type ProtocolHandler, type SimRequest, type SimResponse } from '../protocol';
import type { CallKind, SimulatedCarrier } from '../simulated-carrier';
import { underwriteApplication } from '../underwriting';
import { applicationProblems, problemsMessage } from '../application-check';
import { submittedApplication } from './ratebook.application';
import { APPOINTMENTS_PATH, appointmentStatuses, fileAppointment } from './ratebook.appointments';
import { PAYMENT_MODE, REQUIREMENT, REQUIREMENT_STATUS, SUBMISSION_STATUS } from './ratebook.codes';

const MAX_IDS = 200;
const CHANGES_PATH = /^\/submissions\/([^/]+)\/changes$/;

// A book is about 1 MB and takes ~200 ms of CPU to generate: once per carrier per process.
const books = new Map<string, string>();

/**
 * The carrier's whole rate book as CSV. startSimulators builds it before listening: generated on
 * the first request instead, it would block the event loop (of the simulators, and of any tests
 * or services sharing their process) long enough to time out every carrier at once.
 */
export function rateBookCsv(carrier: CarrierFixture): string {
  let csv = books.get(carrier.id);
  if (!csv) {
    const rows = carrier.products
      .filter((p) => p.type !== 'INDEXED_UNIVERSAL_LIFE')
      .flatMap((product) => rateTableCsv(carrier, product).split('\n').slice(1).filter(Boolean));
    csv = `${[...rateBookTermsLines(carrier), RATE_TABLE_CSV_HEADER, ...rows].join('\n')}\n`;
    books.set(carrier.id, csv);
  }
  return csv;
}

/**
 * The terms this carrier prices with besides its rates, as the book's `# name=value` lines before
 * the header: the BGA prices a rate-book carrier with exactly these, never with its own copy.
 */
export function rateBookTermsLines(carrier: CarrierFixture): string[] {
  return [
    `# policy_fee_cents=${carrier.policyFeeCents}`,
    ...(['SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY'] as const).map((mode) => `# modal_factor.${mode}=${carrier.modalFactors[mode]}`),
    ...Object.entries(carrier.classNames).map(([healthClass, name]) => `# class_name.${healthClass}=${name}`),
    ...riderLines(carrier),
  ];
}

/**
 * The rider rates and which product carries which rider, as `# name=value` lines:
 * `rider_rate.WAIVER_OF_PREMIUM=<from age>:<permille>,...`, `rider_rate.ACCIDENTAL_DEATH=<cents per $1,000>`,
 * `rider_rate.CHILD_TERM=<cents per unit>`, `rider_rate.RETURN_OF_PREMIUM=<from age>:<term>:<hundredths>,...`,
 * and `rider.<product code>=<type>:<min age>-<max age>,...`.
 */
function riderLines(carrier: CarrierFixture): string[] {
  const rates = carrier.riderRates;
  if (!rates) return [];
  return [
    `# rider_rate.WAIVER_OF_PREMIUM=${rates.waiverPermilleByAge.map((r) => `${r.fromAge}:${r.permille}`).join(',')}`,
    `# rider_rate.ACCIDENTAL_DEATH=${rates.accidentalDeathCentsPerThousand}`,
    `# rider_rate.CHILD_TERM=${rates.childTermCentsPerUnit}`,
    `# rider_rate.RETURN_OF_PREMIUM=${rates.returnOfPremiumByAge
      .flatMap((r) => Object.entries(r.hundredthsByTerm).map(([term, hundredths]) => `${r.fromAge}:${term}:${hundredths}`))
      .join(',')}`,
    ...carrier.products
      .filter((p) => p.riders?.length)
      .map((p) => `# rider.${p.code}=${p.riders!.map((r) => `${r.type}:${r.minIssueAge}-${r.maxIssueAge}`).join(',')}`),
  ];
}

/** True when If-None-Match names the current ETag (or is *): weak and strong forms compare alike. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const bare = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

const isWhole = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0;

export class RateBookCarrier implements ProtocolHandler {
  constructor(private readonly sim: SimulatedCarrier) {}

  private get carrier(): CarrierFixture {
    return this.sim.carrier;
  }

  classify(request: SimRequest): CallKind | null {
    const route = `${request.method} ${request.path}`;
    if (route === 'GET /ratebook') return 'rateBook';
    if (route === 'GET /products') return 'products';
    if (route === 'POST /submissions') return 'submit';
    if (route === 'GET /submissions') return 'status';
    if (request.method === 'POST' && CHANGES_PATH.test(request.path)) return 'change';
    if (route === `POST ${APPOINTMENTS_PATH}`) return 'appointment';
    if (route === `GET ${APPOINTMENTS_PATH}`) return 'appointmentStatus';
    return null;
  }

  /** A status notification: a JSON event with the status report a status inquiry answers. */
  notification(application: StoredApplication, eventId: string): PushBody {
    return {
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({
        eventId,
        type: 'submission.updated',
        occurredAt: new Date().toISOString(),
        submission: statusJson(application),
      }),
    };
  }

  malformed(kind: CallKind): SimResponse {
    // What a misconfigured CDN in front of a carrier really serves: an HTML error page with a 200.
    if (kind === 'rateBook')
      return {
        status: 200,
        headers: { 'content-type': 'text/csv', etag: '"broken"' },
        body: '<html><body><h1>Maintenance</h1></body></html>\n',
      };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"submissions": [{"submissionId": ' };
  }

  handle(request: SimRequest, kind: CallKind): SimResponse {
    switch (kind) {
      case 'rateBook':
        return this.rateBook(request);
      case 'products':
        return json(200, { carrier: this.carrier.code, products: this.carrier.products.map(productJson) });
      case 'submit':
        return this.submit(request);
      case 'change':
        return this.change(request);
      case 'appointment':
        return fileAppointment(this.sim.appointments, request);
      case 'appointmentStatus':
        return appointmentStatuses(this.sim.appointments, request);
      default:
        return this.status(request);
    }
  }

  private rateBook(request: SimRequest): SimResponse {
    const etag = this.sim.rateBookEtag();
    const headers = { etag, 'cache-control': 'no-cache' };
    if (matches(request.headers['if-none-match'], etag)) {
      this.sim.counts.rateBookNotModified++;
      return { status: 304, headers };
    }
    return { status: 200, headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' }, body: rateBookCsv(this.carrier) };
  }

  private submit(request: SimRequest): SimResponse {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return json(400, { error: 'invalid_json' });
    }
    const insured = (body?.insured ?? {}) as Record<string, unknown>;
    const problems = [
      (typeof body?.submissionRef !== 'string' || !body.submissionRef) && 'submissionRef',
      typeof body?.productCode !== 'string' && 'productCode',
      typeof body?.signedOn !== 'string' && 'signedOn',
      typeof insured.birthDate !== 'string' && 'insured.birthDate',
      (typeof insured.lastName !== 'string' || !insured.lastName) && 'insured.lastName',
      insured.gender !== 'MALE' && insured.gender !== 'FEMALE' && 'insured.gender',
      typeof insured.state !== 'string' && 'insured.state',
      typeof insured.tobacco !== 'boolean' && 'insured.tobacco',
      !isWhole(body?.faceAmount) && 'faceAmount',
      body?.termYears !== null && !isWhole(body?.termYears) && 'termYears',
      !isWhole(body?.annualPremiumCents) && 'annualPremiumCents',
    ].filter(Boolean);
    if (problems.length) return json(400, { error: 'invalid_request', message: `invalid or missing: ${problems.join(', ')}` });
    const mode = Object.entries(PAYMENT_MODE).find(([, code]) => code === body.paymentMode)?.[0];
    // Checked inside the store's first-time callback: a resend under the reference gets the same answer, rejection included.
    const { outcome } = this.sim.store.submit(
      body.submissionRef as string,
      () => {
        const full = submittedApplication(body);
        const problems = full ? applicationProblems(full) : [];
        if (problems.length) return { accepted: false, message: problemsMessage(problems), problems };
        return underwriteApplication(this.carrier, {
          productCode: body.productCode as string,
          applicationDate: body.signedOn as string,
          birthDate: insured.birthDate as string,
          gender: insured.gender as 'MALE' | 'FEMALE',
          state: insured.state as string,
          tobacco: insured.tobacco as boolean,
          healthClass: String(body.healthClass),
          tableRating: isWhole(body.tableRating) ? body.tableRating : 0,
          faceAmount: body.faceAmount as number,
          termYears: (body.termYears ?? null) as number | null,
          paymentMode: mode ?? `payment mode ${String(body.paymentMode)}`,
          annualPremiumCents: body.annualPremiumCents as number,
        });
      },
      ourRequirements(body.requirements),
    );
    return json(200, submissionJson(outcome));
  }

  private change(request: SimRequest): SimResponse {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(request.body) as Record<string, unknown>;
    } catch {
      return json(400, { error: 'invalid_json' });
    }
    if (typeof body?.changeRef !== 'string' || !body.changeRef)
      return json(400, { error: 'invalid_request', message: 'changeRef is required' });
    const ask: ChangeAsk = {};
    if (isWhole(body.faceAmount)) ask.faceAmount = body.faceAmount;
    if (typeof body.productCode === 'string') ask.productCode = body.productCode;
    if (isWhole(body.termYears)) ask.termYears = body.termYears;
    if (Array.isArray(body.riders)) ask.riders = body.riders.map(String);
    const mode = Object.entries(PAYMENT_MODE).find(([, code]) => code === body.paymentMode)?.[0];
    if (mode) ask.paymentMode = mode as ChangeAsk['paymentMode'];
    if (Array.isArray(body.beneficiaries))
      ask.beneficiaries = (body.beneficiaries as Record<string, unknown>[]).map((b) => ({
        designation: String(b?.designation),
        sharePercent: isWhole(b?.sharePercent) ? b.sharePercent : 0,
      }));
    if (body.owner && typeof body.owner === 'object') ask.owner = true;
    if (!Object.keys(ask).length) return json(400, { error: 'invalid_request', message: 'the change names nothing to change' });
    const id = decodeURIComponent(CHANGES_PATH.exec(request.path)![1]);
    const { outcome } = this.sim.store.change(body.changeRef, id, ask);
    if (!outcome.accepted) return json(200, { accepted: false, reason: outcome.message });
    return json(200, {
      accepted: true,
      amendment: outcome.amendmentRequired ? REQUIREMENT.AMENDMENT : null,
      notes: outcome.message ? [outcome.message] : [],
    });
  }

  private status(request: SimRequest): SimResponse {
    const ids = (request.query.get('ids') ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (!ids.length || ids.length > MAX_IDS)
      return json(400, { error: 'invalid_request', message: `ids must list 1 to ${MAX_IDS} submission ids` });
    const submissions = ids
      .map((id) => this.sim.store.find(id))
      .filter((a): a is StoredApplication => !!a)
      .map(statusJson);
    return json(200, { submissions });
  }
}

function submissionJson(outcome: SubmissionOutcome) {
  // `problems`: one per not-in-good-order reason of a full application; `reason` lists them all.
  if (!outcome.accepted) return { accepted: false, reason: outcome.message, ...(outcome.problems ? { problems: outcome.problems } : {}) };
  return {
    accepted: true,
    submissionId: outcome.application.carrierReference,
    status: SUBMISSION_STATUS.SUBMITTED,
    annualPremiumCents: outcome.application.annualPremiumCents,
    notes: outcome.message ? [outcome.message] : [],
  };
}

/** `requirements: [{ref, code}]` of a submission: what the BGA already ordered, with its ids. */
function ourRequirements(value: unknown): OurRequirement[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry) => {
    const { ref, code } = (entry ?? {}) as { ref?: unknown; code?: unknown };
    const ours = Object.entries(REQUIREMENT).find(([, short]) => short === code)?.[0];
    return typeof ref === 'string' && ours ? [{ id: ref, code: ours }] : [];
  });
}

export function statusJson(application: StoredApplication) {
  const terms = application.approvedTerms;
  return {
    submissionId: application.carrierReference,
    status: application.carrierStatusCode ?? SUBMISSION_STATUS[application.status],
    policyNumber: application.policyNumber,
    ...(application.statusNote ? { note: application.statusNote } : {}),
    ...(terms
      ? {
          approved: {
            class: terms.healthClass,
            table: terms.tableRating,
            ...(terms.flatExtraPerThousandCents > 0
              ? { flatExtraCents: terms.flatExtraPerThousandCents, flatExtraYears: terms.flatExtraYears }
              : {}),
            face: terms.faceAmount,
          },
        }
      : {}),
    requirements: application.requirements.map((requirement) => ({
      id: requirement.id,
      ref: requirement.reference,
      desc: requirement.description,
      code: requirement.carrierCode ?? REQUIREMENT[requirement.code],
      status: REQUIREMENT_STATUS[requirement.status],
      requested: requirement.requestedOn,
      fulfilled: requirement.fulfilledOn,
    })),
  };
}

function productJson(product: ProductFixture) {
  return {
    code: product.code,
    name: product.name,
    type: product.type,
    fullyUnderwritten: product.fullyUnderwritten,
    issueAge: [product.minIssueAge, product.maxIssueAge],
    faceAmount: [product.minFaceAmount, product.maxFaceAmount],
    terms: product.terms.map((term) => ({ years: term.years, issueAge: [term.minIssueAge, term.maxIssueAge] })),
    healthClasses: [...product.healthClasses],
    states: [...product.availableStates],
  };
}

export const rateBookProtocol = (sim: SimulatedCarrier): ProtocolHandler => new RateBookCarrier(sim);
