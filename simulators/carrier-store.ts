/**
 * The carrier side of new business: the applications one simulated carrier has received, in the
 * simulators' protocol-neutral vocabulary (each protocol renders it in its own codes).
 *
 * - Exactly once at the carrier: the first submission under a reference decides the outcome, and
 *   every resend is answered with that same outcome (accepted or rejected), as real carriers do with
 *   TransRefGUID / Idempotency-Key.
 * - Status and requirements move when the control API says so (`advance`), or on their own every
 *   `autoProgressMs` along a scripted life (computed lazily when read, so no timers run).
 * - The vocabulary is a superset of ours: REINSURANCE_REVIEW and a couple of requirements exist only
 *   at carriers, so adapters meet codes they cannot map, as they do with real carriers.
 * - Every requirement has the carrier's own id (`RQ-<carrier reference>-<n>`, stable) and our
 *   reference when the carrier knows it: from the application's list of what we already ordered
 *   (adopted when the carrier orders that code), or from a vendor's results. Requirements are
 *   upserted by id; the scripted life still orders by code.
 * - Vendors deliver results to the carrier (`vendorResults`): the requirement named by the carrier's
 *   id, else by our reference, else a new one of that code, is RECEIVED.
 * - Each change is heard by `onChange` (the carrier's push of status notifications).
 * - No personal data is kept: the insured's name and birth date are used to underwrite and dropped.
 */
import type { CarrierFixture, HealthClassCode, PaymentModeCode } from '../subgraphs/carriers/fixtures/carriers.fixture';
import type { ApplicationProblem } from './application-check';

export const SIM_CASE_STATUSES = [
  'SUBMITTED',
  'IN_UNDERWRITING',
  'REQUIREMENTS_OUTSTANDING',
  'APPROVED',
  'APPROVED_OTHER_THAN_APPLIED',
  'ISSUED',
  'DELIVERY_REQUIREMENTS',
  'PLACED',
  'DECLINED',
  'POSTPONED',
  'WITHDRAWN',
  'INCOMPLETE',
  'NOT_TAKEN',
  // Carrier-only: facultative reinsurance review, which a BGA's status list has no name for.
  'REINSURANCE_REVIEW',
] as const;
export type SimCaseStatus = (typeof SIM_CASE_STATUSES)[number];

export const SIM_REQUIREMENT_CODES = [
  'PARAMED_EXAM',
  'BLOOD_URINE',
  'APS',
  'MIB',
  'RX_CHECK',
  'MVR',
  'INSPECTION_REPORT',
  'PHONE_INTERVIEW',
  'HIPAA_AUTHORIZATION',
  'SIGNED_ILLUSTRATION',
  'DELIVERY_RECEIPT',
  'AMENDMENT',
  'GOOD_HEALTH_STATEMENT',
  // Taken at the exam; exam vendors deliver its results with the exam's.
  'EKG',
  // Carrier-only requirements.
  'FINANCIAL_QUESTIONNAIRE',
  'REPLACEMENT_FORM',
] as const;
export type SimRequirementCode = (typeof SIM_REQUIREMENT_CODES)[number];

export const SIM_REQUIREMENT_STATUSES = ['ORDERED', 'RECEIVED', 'WAIVED', 'CANCELLED'] as const;
export type SimRequirementStatus = (typeof SIM_REQUIREMENT_STATUSES)[number];

const CLOSED: ReadonlySet<SimCaseStatus> = new Set(['PLACED', 'DECLINED', 'POSTPONED', 'WITHDRAWN', 'INCOMPLETE', 'NOT_TAKEN']);

export interface SimRequirement {
  /** The carrier's own id, stable for the life of the requirement. */
  id: string;
  /** Our requirement id, when the carrier knows it (from the application or a vendor's results). */
  reference: string | null;
  /** The carrier's words for it (what it asks for), sent with every status report. */
  description: string | null;
  code: SimRequirementCode;
  /** A raw wire code sent instead of the code's own (set through the control API to simulate private codes). */
  carrierCode: string | null;
  status: SimRequirementStatus;
  requestedOn: string;
  fulfilledOn: string | null;
}

/** What the carrier agreed to underwrite: the application minus personal data. */
export interface ApplicationTerms {
  productCode: string;
  faceAmount: number;
  termYears: number | null;
  healthClass: HealthClassCode;
  tableRating: number;
  paymentMode: PaymentModeCode;
  issueAge: number;
  /** The carrier's own price for these terms. */
  annualPremiumCents: number;
}

/** The terms the carrier approved when they differ from those applied for (a counter offer). */
export interface ApprovedTerms {
  healthClass: HealthClassCode | null;
  tableRating: number;
  /** Cents per $1,000 of face a year; 0 = none. */
  flatExtraPerThousandCents: number;
  flatExtraYears: number;
  faceAmount: number;
}

/** A requirement we had already ordered, listed on the application with our id. */
export interface OurRequirement {
  id: string;
  code: string;
}

/** Its terms move only when the carrier accepts a change (`change`). */
export interface StoredApplication extends ApplicationTerms {
  /** The submission's reference (TransRefGUID / Idempotency-Key): the deduplication key. */
  readonly reference: string;
  /** The carrier's own id for the application, answered at submission and used for status. */
  readonly carrierReference: string;
  readonly submittedAt: number;
  status: SimCaseStatus;
  /** A raw wire status code sent instead of the status's own (private codes, via the control API). */
  carrierStatusCode: string | null;
  policyNumber: string | null;
  requirements: SimRequirement[];
  /** Scripted steps already applied; null once the control API has taken over this application. */
  autoStep: number | null;
  /** Set by a counter offer (or the control API): the class, table, flat extra and face the carrier will issue. */
  approvedTerms: ApprovedTerms | null;
  /** The carrier's words on the status (a hold, the conditions); null when none. */
  statusNote: string | null;
  /** What we had ordered when we applied, our ids by code: adopted as references when the carrier orders a code. */
  ourRequirements: OurRequirement[];
  /** The next requirement number (ids RQ-<carrierReference>-<n>). */
  requirementSequence: number;
}

export type SubmissionOutcome =
  | { accepted: true; application: StoredApplication; message: string | null }
  /** `problems`: each not-in-good-order reason of a full application, for protocols that list them one by one. */
  | { accepted: false; message: string; problems?: ApplicationProblem[] };

export type UnderwritingDecision =
  | { accepted: true; terms: ApplicationTerms; message?: string }
  | { accepted: false; message: string; problems?: ApplicationProblem[] };

/**
 * A requirement named by the carrier's `id` moves; without an id, `code` names the one requirement
 * of that code (none: one is added); `add: true` always adds a new one (a second APS).
 */
export interface RequirementUpdate {
  id?: string;
  code?: SimRequirementCode;
  add?: boolean;
  /** Our requirement id, which the carrier then reports with it. */
  reference?: string | null;
  description?: string | null;
  status?: SimRequirementStatus;
  /** Send this raw code on the wire instead (a private code); null clears it. */
  carrierCode?: string | null;
  requestedOn?: string;
  fulfilledOn?: string | null;
}

/** What `advance` changes; anything left out stays as it is. Requirements are upserted by code. */
export interface ApplicationUpdate {
  status?: SimCaseStatus;
  /** Send this raw status code on the wire instead of the status's own; null clears it. */
  carrierStatusCode?: string | null;
  /** Defaults to a generated number when the status first reaches ISSUED or later. */
  policyNumber?: string;
  requirements?: RequirementUpdate[];
  /** The terms approved (a counter offer); null clears them. */
  approvedTerms?: ApprovedTerms | null;
  /** The carrier's words on the status; null clears them. */
  statusNote?: string | null;
}

/** What a vendor delivers to the carrier (POST /_vendors/results). */
export interface VendorResults {
  policyReference: string;
  /** The carrier's id for the requirement, when the vendor's order named it. */
  requirementId: string | null;
  /** Our requirement id. */
  reference: string | null;
  code: SimRequirementCode;
  vendor: string;
  orderId: string;
  completedOn: string;
}

/** A change to a pending application, as every protocol reads it off its wire (names are not kept: only what decides). */
export interface ChangeAsk {
  faceAmount?: number;
  productCode?: string;
  termYears?: number;
  riders?: string[];
  /** Designations and shares only: the carrier checks the split, the names go to its paper file. */
  beneficiaries?: { designation: string; sharePercent: number }[];
  paymentMode?: PaymentModeCode;
  /** A new owner was named. */
  owner?: boolean;
}

export type ChangeOutcome = { accepted: true; amendmentRequired: boolean; message: string | null } | { accepted: false; message: string };

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A small stable hash: an application's scripted fate depends only on its carrier reference. */
function fateOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash % 20;
}

type ScriptStep = (app: StoredApplication, on: string, fate: number) => void;

/** A new requirement with the carrier's next id; our reference when the application listed one of that code not yet adopted. */
function addRequirement(
  app: StoredApplication,
  code: SimRequirementCode,
  status: SimRequirementStatus,
  on: string,
  reference?: string | null,
): SimRequirement {
  const adopted =
    reference !== undefined
      ? reference
      : (app.ourRequirements.find((ours) => ours.code === code && !app.requirements.some((r) => r.reference === ours.id))?.id ?? null);
  const requirement: SimRequirement = {
    id: `RQ-${app.carrierReference}-${++app.requirementSequence}`,
    reference: adopted,
    description: DESCRIPTIONS[code],
    code,
    carrierCode: null,
    status,
    requestedOn: on,
    fulfilledOn: status === 'ORDERED' ? null : on,
  };
  app.requirements.push(requirement);
  return requirement;
}

function setStatus(requirement: SimRequirement, status: SimRequirementStatus, on: string): void {
  requirement.status = status;
  requirement.fulfilledOn = status === 'ORDERED' ? null : (requirement.fulfilledOn ?? on);
}

/** The scripted life orders by code: the carrier's requirement of that code moves, or a new one is ordered. */
function upsertRequirement(app: StoredApplication, code: SimRequirementCode, status: SimRequirementStatus, on: string): void {
  const existing = app.requirements.find((r) => r.code === code);
  if (existing) setStatus(existing, status, on);
  else addRequirement(app, code, status, on);
}

/** The carrier's words for each requirement, sent with its reports (an adapter that does not know a code still shows these). */
const DESCRIPTIONS: Record<SimRequirementCode, string> = {
  PARAMED_EXAM: 'Paramedical exam',
  BLOOD_URINE: 'Blood and urine specimens',
  APS: "Attending physician's statement",
  MIB: 'MIB check',
  RX_CHECK: 'Prescription history check',
  MVR: 'Motor vehicle report',
  INSPECTION_REPORT: 'Inspection report',
  PHONE_INTERVIEW: 'Phone interview',
  HIPAA_AUTHORIZATION: 'HIPAA authorization',
  SIGNED_ILLUSTRATION: 'Signed illustration',
  DELIVERY_RECEIPT: 'Delivery receipt',
  AMENDMENT: 'Amendment to the application',
  GOOD_HEALTH_STATEMENT: 'Statement of good health',
  EKG: 'Electrocardiogram (EKG)',
  FINANCIAL_QUESTIONNAIRE: 'Financial questionnaire',
  REPLACEMENT_FORM: 'Replacement form',
};

const UNDERWRITING_ONLY = (r: SimRequirement) =>
  !['SIGNED_ILLUSTRATION', 'DELIVERY_RECEIPT', 'AMENDMENT', 'GOOD_HEALTH_STATEMENT'].includes(r.code);

/**
 * A typical life, one step per autoProgressMs: most cases are placed; some are declined, postponed or
 * not taken; some meet an APS, a carrier-only requirement or a reinsurance review on the way.
 */
const SCRIPT: readonly ScriptStep[] = [
  (app, on, fate) => {
    app.status = 'IN_UNDERWRITING';
    upsertRequirement(app, 'MIB', 'RECEIVED', on);
    upsertRequirement(app, 'RX_CHECK', 'RECEIVED', on);
    if (fate % 5 === 0) upsertRequirement(app, 'FINANCIAL_QUESTIONNAIRE', 'ORDERED', on);
  },
  (app, on, fate) => {
    app.status = fate % 7 === 3 ? 'REINSURANCE_REVIEW' : 'REQUIREMENTS_OUTSTANDING';
    upsertRequirement(app, 'PARAMED_EXAM', 'ORDERED', on);
    upsertRequirement(app, 'BLOOD_URINE', 'ORDERED', on);
    if (fate % 4 === 1) upsertRequirement(app, 'APS', 'ORDERED', on);
  },
  (app, on) => {
    app.status = 'IN_UNDERWRITING';
    for (const requirement of app.requirements.filter(UNDERWRITING_ONLY)) {
      if (requirement.status === 'ORDERED') upsertRequirement(app, requirement.code, 'RECEIVED', on);
    }
  },
  (app, _on, fate) => {
    app.status = fate === 19 ? 'DECLINED' : fate === 18 ? 'POSTPONED' : fate % 10 === 7 ? 'APPROVED_OTHER_THAN_APPLIED' : 'APPROVED';
    // A counter offer: rated two tables, the amount applied for.
    if (app.status === 'APPROVED_OTHER_THAN_APPLIED')
      app.approvedTerms = {
        healthClass: null,
        tableRating: 2,
        flatExtraPerThousandCents: 0,
        flatExtraYears: 0,
        faceAmount: app.faceAmount,
      };
  },
  (app) => {
    app.status = 'ISSUED';
  },
  (app, on) => {
    app.status = 'DELIVERY_REQUIREMENTS';
    upsertRequirement(app, 'DELIVERY_RECEIPT', 'ORDERED', on);
    if (app.requirements.some((r) => r.code === 'AMENDMENT') || app.tableRating > 0) upsertRequirement(app, 'AMENDMENT', 'ORDERED', on);
  },
  (app, on, fate) => {
    if (fate === 17) {
      app.status = 'NOT_TAKEN';
      return;
    }
    for (const requirement of app.requirements)
      if (requirement.status === 'ORDERED') upsertRequirement(app, requirement.code, 'RECEIVED', on);
    app.status = 'PLACED';
  },
];

export class ApplicationStore {
  private readonly byReference = new Map<string, SubmissionOutcome>();
  private readonly byCarrierReference = new Map<string, StoredApplication>();
  /** Change decisions by the change's reference: a resend is answered with the first. */
  private readonly changes = new Map<string, ChangeOutcome>();
  private sequence = 0;
  private readonly autoProgressMs: number;
  private readonly now: () => number;
  /** Hears every change of an application (status, requirements, terms): the carrier's push notifications. */
  onChange: ((application: StoredApplication) => void) | null = null;

  constructor(
    private readonly carrier: CarrierFixture,
    options: { autoProgressMs: number; now: () => number },
  ) {
    this.autoProgressMs = options.autoProgressMs;
    this.now = options.now;
  }

  /**
   * Receives a submission. `underwrite` runs only for a reference never seen before; a resend gets
   * the first outcome back, so a retry after a timeout never makes a second application.
   */
  submit(
    reference: string,
    underwrite: () => UnderwritingDecision,
    ourRequirements: readonly OurRequirement[] = [],
  ): { outcome: SubmissionOutcome; replayed: boolean } {
    const first = this.byReference.get(reference);
    if (first) return { outcome: first, replayed: true };
    const decision = underwrite();
    let outcome: SubmissionOutcome;
    if (!decision.accepted) {
      outcome = { accepted: false, message: decision.message, ...(decision.problems ? { problems: decision.problems } : {}) };
    } else {
      const submittedAt = this.now();
      const on = isoDate(submittedAt);
      const application: StoredApplication = {
        ...decision.terms,
        reference,
        carrierReference: `${this.carrier.code}-APP-${String(++this.sequence).padStart(6, '0')}`,
        submittedAt,
        status: 'SUBMITTED',
        carrierStatusCode: null,
        policyNumber: null,
        requirements: [],
        autoStep: 0,
        approvedTerms: null,
        statusNote: null,
        ourRequirements: ourRequirements.map((r) => ({ id: r.id, code: r.code })),
        requirementSequence: 0,
      };
      // The HIPAA authorization comes signed with the application; the database checks start at once.
      addRequirement(application, 'HIPAA_AUTHORIZATION', 'RECEIVED', on);
      addRequirement(application, 'MIB', 'ORDERED', on);
      addRequirement(application, 'RX_CHECK', 'ORDERED', on);
      this.byCarrierReference.set(application.carrierReference, application);
      outcome = { accepted: true, application, message: decision.message ?? null };
    }
    this.byReference.set(reference, outcome);
    return { outcome, replayed: false };
  }

  /**
   * Receives a change to an application: the first request under a reference decides, a resend gets
   * that decision back. This carrier's rules: only an open application it knows; the face amount
   * within the product's limits; primary shares (and contingent, if any) summing to 100. The client
   * signs an amendment for anything that adds risk or moves ownership or benefits — a face increase,
   * another product or term, riders, beneficiaries, the owner — never for a payment mode or a face
   * decrease alone.
   */
  change(reference: string, carrierReference: string, ask: ChangeAsk): { outcome: ChangeOutcome; replayed: boolean } {
    const first = this.changes.get(reference);
    if (first) return { outcome: first, replayed: true };
    const outcome = this.decideChange(carrierReference, ask);
    this.changes.set(reference, outcome);
    return { outcome, replayed: false };
  }

  private decideChange(carrierReference: string, ask: ChangeAsk): ChangeOutcome {
    const application = this.find(carrierReference);
    if (!application) return { accepted: false, message: `no application ${carrierReference}` };
    if (CLOSED.has(application.status))
      return { accepted: false, message: `application ${carrierReference} is closed (${application.status})` };
    const productCode = ask.productCode ?? application.productCode;
    const product = this.carrier.products.find((p) => p.code === productCode);
    if (!product) return { accepted: false, message: `no product ${productCode}` };
    const face = ask.faceAmount ?? application.faceAmount;
    if (face > product.maxFaceAmount)
      return { accepted: false, message: `face amount ${face} is beyond our limit of ${product.maxFaceAmount} for ${product.code}` };
    if (face < product.minFaceAmount)
      return { accepted: false, message: `face amount ${face} is below our minimum of ${product.minFaceAmount} for ${product.code}` };
    const termYears = ask.termYears ?? application.termYears;
    if (termYears !== null && product.terms.length && !product.terms.some((t) => t.years === termYears))
      return { accepted: false, message: `${product.code} has no ${termYears}-year term` };
    if (ask.beneficiaries) {
      const sum = (designation: string) =>
        ask.beneficiaries!.filter((b) => b.designation === designation).reduce((t, b) => t + b.sharePercent, 0);
      const contingents = ask.beneficiaries.some((b) => b.designation === 'CONTINGENT');
      if (sum('PRIMARY') !== 100 || (contingents && sum('CONTINGENT') !== 100))
        return { accepted: false, message: 'beneficiary shares must sum to 100 per designation' };
    }
    const amendmentRequired =
      (ask.faceAmount !== undefined && ask.faceAmount > application.faceAmount) ||
      (ask.productCode !== undefined && ask.productCode !== application.productCode) ||
      ask.termYears !== undefined ||
      ask.riders !== undefined ||
      ask.beneficiaries !== undefined ||
      ask.owner === true;
    const on = isoDate(this.now());
    application.productCode = productCode;
    application.faceAmount = face;
    application.termYears = termYears;
    if (ask.paymentMode) application.paymentMode = ask.paymentMode;
    if (amendmentRequired) upsertRequirement(application, 'AMENDMENT', 'ORDERED', on);
    this.changed(application);
    return { accepted: true, amendmentRequired, message: amendmentRequired ? 'amendment to be signed by the owner' : null };
  }

  /** The application as it stands now (scripted progress applied), or undefined for a reference never issued. */
  find(carrierReference: string): StoredApplication | undefined {
    const application = this.byCarrierReference.get(carrierReference);
    if (application) this.progress(application);
    return application;
  }

  all(): StoredApplication[] {
    return [...this.byCarrierReference.values()].map((application) => {
      this.progress(application);
      return application;
    });
  }

  /** Moves an application as the carrier's underwriters would; from then on only the control API moves it. */
  advance(carrierReference: string, update: ApplicationUpdate): StoredApplication {
    const application = this.find(carrierReference);
    if (!application) throw new RangeError(`${this.carrier.code} has no application ${carrierReference}`);
    if (update.status !== undefined && !SIM_CASE_STATUSES.includes(update.status)) {
      throw new RangeError(`unknown status ${String(update.status)}: expected one of ${SIM_CASE_STATUSES.join(', ')}`);
    }
    for (const requirement of update.requirements ?? []) {
      if (requirement.code !== undefined && !SIM_REQUIREMENT_CODES.includes(requirement.code))
        throw new RangeError(`unknown requirement ${String(requirement.code)}: expected one of ${SIM_REQUIREMENT_CODES.join(', ')}`);
      if (requirement.status !== undefined && !SIM_REQUIREMENT_STATUSES.includes(requirement.status))
        throw new RangeError(`unknown requirement status ${String(requirement.status)}`);
      if (requirement.id !== undefined && !application.requirements.some((r) => r.id === requirement.id))
        throw new RangeError(`${carrierReference} has no requirement ${requirement.id}`);
      if (requirement.id === undefined && requirement.code === undefined)
        throw new RangeError('a requirement update names an id or a code');
      if (
        requirement.id === undefined &&
        !requirement.add &&
        application.requirements.filter((r) => r.code === requirement.code).length > 1
      )
        throw new RangeError(`${carrierReference} has several ${requirement.code} requirements: name one by id, or add one with add: true`);
    }
    application.autoStep = null;
    const on = isoDate(this.now());
    if (update.status !== undefined) application.status = update.status;
    if (update.carrierStatusCode !== undefined) application.carrierStatusCode = update.carrierStatusCode;
    if (update.policyNumber !== undefined) application.policyNumber = update.policyNumber;
    if (update.approvedTerms !== undefined) application.approvedTerms = update.approvedTerms;
    if (update.statusNote !== undefined) application.statusNote = update.statusNote;
    for (const change of update.requirements ?? []) {
      let requirement =
        change.id !== undefined
          ? application.requirements.find((r) => r.id === change.id)
          : change.add
            ? undefined
            : application.requirements.find((r) => r.code === change.code);
      if (requirement) setStatus(requirement, change.status ?? requirement.status, on);
      else requirement = addRequirement(application, change.code!, change.status ?? 'ORDERED', on, change.reference);
      if (change.reference !== undefined) requirement.reference = change.reference;
      if (change.description !== undefined) requirement.description = change.description;
      if (change.requestedOn !== undefined) requirement.requestedOn = change.requestedOn;
      if (change.fulfilledOn !== undefined) requirement.fulfilledOn = change.fulfilledOn;
      if (change.carrierCode !== undefined) requirement.carrierCode = change.carrierCode;
    }
    this.numberWhenIssued(application);
    this.changed(application);
    return application;
  }

  /**
   * A vendor's results reach the carrier: the requirement with the carrier's id, else the one with our
   * reference, else a new requirement of that code with our reference, is RECEIVED on the day given.
   */
  vendorResults(results: VendorResults): SimRequirement {
    const application = this.find(results.policyReference);
    if (!application) throw new RangeError(`${this.carrier.code} has no application ${results.policyReference}`);
    if (!SIM_REQUIREMENT_CODES.includes(results.code)) throw new RangeError(`unknown requirement ${String(results.code)}`);
    const requirement =
      (results.requirementId ? application.requirements.find((r) => r.id === results.requirementId) : undefined) ??
      (results.reference ? application.requirements.find((r) => r.reference === results.reference) : undefined) ??
      addRequirement(application, results.code, 'ORDERED', results.completedOn, results.reference);
    if (results.reference && !requirement.reference) requirement.reference = results.reference;
    requirement.status = 'RECEIVED';
    requirement.fulfilledOn = results.completedOn;
    this.changed(application);
    return requirement;
  }

  private changed(application: StoredApplication): void {
    this.onChange?.(application);
  }

  private progress(application: StoredApplication): void {
    if (application.autoStep === null || this.autoProgressMs <= 0) return;
    const due = Math.min(Math.floor((this.now() - application.submittedAt) / this.autoProgressMs), SCRIPT.length);
    const fate = fateOf(application.carrierReference);
    const before = application.autoStep;
    while (application.autoStep < due && !CLOSED.has(application.status)) {
      const stepAt = application.submittedAt + (application.autoStep + 1) * this.autoProgressMs;
      SCRIPT[application.autoStep](application, isoDate(stepAt), fate);
      application.autoStep++;
      this.numberWhenIssued(application);
    }
    if (application.autoStep !== before) this.changed(application);
  }

  /** ISSUED carries the carrier's policy number: one is assigned when a case first gets that far. */
  private numberWhenIssued(application: StoredApplication): void {
    if (application.policyNumber || !['ISSUED', 'DELIVERY_REQUIREMENTS', 'PLACED'].includes(application.status)) return;
    application.policyNumber = `${this.carrier.code.slice(0, 3)}${application.carrierReference.slice(-6)}L`;
  }
}
