/**
 * Full applications as drafts, for tests: a complete, signed draft for a demo carrier's product (in good order
 * by that carrier's application rules: every question answered "no", every form its rules ask for
 * attached), its signed application PDF (a real PDF, with its SHA-256), and an outbox
 * `loadApplication` that serves drafts by case id and counts what it was asked.
 */
import { createHash } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Application, CarrierAttachment } from '../../subgraphs/cases/domain/application';
import { missingItems } from '../../subgraphs/cases/domain/good-order';
import type { ApplicationLoader } from '../../subgraphs/cases/outbox.worker';
import { applicationRulesFor } from '../../subgraphs/carriers/fixtures/application-rules.fixture';
import { CARRIERS, type StateCode } from '../../subgraphs/carriers/fixtures/carriers.fixture';

export interface ApplicationTarget {
  carrierCode: string;
  productCode: string;
  state: string;
  /** As submitCase took them: the draft agrees with the case. */
  insured?: { fullName?: string; birthDate?: string; gender?: 'MALE' | 'FEMALE' };
  faceAmount?: number;
  termYears?: number;
  healthClass?: 'PREFERRED_PLUS' | 'PREFERRED' | 'STANDARD_PLUS' | 'STANDARD';
  /** The day everyone signed (YYYY-MM-DD); today by default. */
  signedOn?: string;
  agentId?: string;
}

/**
 * A complete application, e-signed (status SIGNED) by the insured and the agent in the state of
 * application; the insured owns and pays (EFT); two primary beneficiaries 60/40 and the estate as
 * contingent at 100.
 */
export function completeApplication(target: ApplicationTarget): Application {
  const carrier = CARRIERS.find((c) => c.code === target.carrierCode);
  const product = carrier?.products.find((p) => p.code === target.productCode);
  if (!carrier || !product) throw new Error(`no demo product ${target.carrierCode} ${target.productCode}`);
  const rules = applicationRulesFor(carrier);
  const state = target.state as StateCode;
  const signedOn = target.signedOn ?? new Date().toISOString().slice(0, 10);
  const draft: Application = {
    status: 'SIGNED',
    state,
    insured: {
      fullName: target.insured?.fullName ?? 'Avery Example',
      birthDate: target.insured?.birthDate ?? '1986-04-02',
      gender: target.insured?.gender ?? 'FEMALE',
      ssn: '123-45-6789',
      address: { line1: '1 Main St', city: 'Springfield', state, zip: '00001' },
      phone: '555-0100',
      email: 'avery@example.com',
      driversLicense: { number: 'D1234567', state },
      citizenship: 'US_CITIZEN',
      heightInches: 66,
      weightPounds: 140,
    },
    owner: { kind: 'INSURED' },
    beneficiaries: [
      { designation: 'PRIMARY', kind: 'PERSON', fullName: 'Sam Example', relationship: 'SPOUSE', sharePercent: 60, ssn: '219-09-9999' },
      { designation: 'PRIMARY', kind: 'PERSON', fullName: 'Kit Example', relationship: 'CHILD', sharePercent: 40, birthDate: '2015-05-05' },
      { designation: 'CONTINGENT', kind: 'ESTATE', fullName: 'Estate of the insured', relationship: 'ESTATE', sharePercent: 100 },
    ],
    coverage: {
      carrierCode: carrier.code,
      productCode: product.code,
      productType: product.type,
      faceAmount: target.faceAmount ?? 500_000,
      ...(product.type === 'TERM' ? { termYears: target.termYears ?? 20 } : {}),
      ...(product.type === 'UNIVERSAL_LIFE' || product.type === 'INDEXED_UNIVERSAL_LIFE' ? { guaranteeAge: 121 } : {}),
      healthClassApplied: target.healthClass ?? 'PREFERRED',
      riders: [],
      paymentMode: 'MONTHLY',
      paymentMethod: 'EFT',
    },
    existingCoverage: { hasExisting: false },
    answers: Object.fromEntries(rules.questions.map((question) => [question.code, { yes: false }])),
    phoneInterview: false,
    financial: { annualIncome: 150_000, netWorth: 400_000 },
    agentReport: { agentId: target.agentId ?? 'agt_test', knowsOfReplacement: false, relatedToInsured: false },
    hipaaAuthorized: true,
    signatures: [
      { role: 'INSURED', signedOn, state },
      { role: 'AGENT', signedOn, state },
    ],
  };
  // Whatever forms this carrier's rules ask for in this state and product, attached.
  const forms = missingItems(draft, rules, { asOf: signedOn })
    .filter((item) => item.path.startsWith('forms.'))
    .map((item) => ({ code: item.path.slice('forms.'.length) }));
  return { ...draft, forms };
}

/** The application with its primary beneficiaries' shares removed from the first one (a not-in-good-order draft). */
export function withoutBeneficiaryShare(application: Application): Application {
  const copy = structuredClone(application);
  const [first, ...rest] = copy.beneficiaries ?? [];
  const { sharePercent: _dropped, ...unshared } = first;
  return { ...copy, beneficiaries: [unshared, ...rest] };
}

/** A one-page PDF standing for the signed application (no personal data in it), with its SHA-256. */
export async function signedApplicationPdf(label = 'Signed application (test)'): Promise<CarrierAttachment> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([612, 792]).drawText(label, { x: 72, y: 720, size: 14, font });
  // Fixed dates keep the bytes (and so the hash) the same from run to run.
  pdf.setCreationDate(new Date('2026-01-01T00:00:00Z'));
  pdf.setModificationDate(new Date('2026-01-01T00:00:00Z'));
  const bytes = Buffer.from(await pdf.save());
  return {
    type: 'SIGNED_APPLICATION',
    fileName: 'signed-application.pdf',
    contentType: 'application/pdf',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    contentBase64: bytes.toString('base64'),
  };
}

/** An outbox loader over a map of case id → full application; `asked` lists the case ids it was asked for. */
export function applicationLoader(
  byCase: Map<string, { application: Application; attachments: CarrierAttachment[] }>,
): ApplicationLoader & {
  asked: string[];
} {
  const asked: string[] = [];
  const loader = async (_db: unknown, caseId: string) => {
    asked.push(caseId);
    return byCase.get(caseId) ?? null;
  };
  return Object.assign(loader, { asked });
}
