/**
 * The application PDF: a valid PDF (pdf-lib loads it back), every answer of a full draft on it,
 * the signatures' audit trail, pages added as the answers need, and the same bytes for the same
 * input. Text is read back from the decoded page content streams (each line is one hex string
 * shown with Tj), not from our own rendering code.
 */
import { createHash } from 'node:crypto';
import { decodePDFRawStream, PDFArray, PDFDocument, PDFName, type PDFRawStream, type PDFObject } from 'pdf-lib';
import type { Application } from '../../domain/application';
import { completeApplication } from '../../domain/__tests__/application.builders';
import { type ApplicationPdfInput, renderApplicationPdf } from '../application-pdf';

/** The text of every page, one string per page, lines joined by spaces. */
async function pageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdf = await PDFDocument.load(bytes);
  return pdf.getPages().map((page) => {
    const contents = page.node.get(PDFName.of('Contents')) as PDFObject;
    const resolved = pdf.context.lookup(contents);
    const streams = (
      resolved instanceof PDFArray ? resolved.asArray().map((ref) => pdf.context.lookup(ref)) : [resolved]
    ) as PDFRawStream[];
    const operators = streams.map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1')).join('\n');
    return [...operators.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)].map((m) => Buffer.from(m[1], 'hex').toString('latin1')).join(' ');
  });
}

/** Every part of the draft answered, and then some: a trust owns, a person pays, a replacement, reflexive details. */
function fullApplication(): Application {
  const base = completeApplication();
  return {
    ...base,
    id: 'app_01TESTPDF',
    owner: {
      kind: 'TRUST',
      name: 'Example Family Trust',
      tin: '12-3456789',
      establishedOn: '2019-04-02',
      address: { line1: '9 Trust Way', city: 'Dallas', state: 'TX', zip: '75201' },
    },
    payor: {
      kind: 'PERSON',
      fullName: 'Jordan Payor',
      birthDate: '1970-02-03',
      gender: 'MALE',
      ssn: '234-56-7890',
      address: { line1: '5 Pay St', line2: 'Apt 2', city: 'Houston', state: 'TX', zip: '77002' },
      phone: '713-555-0199',
      email: 'jordan@example.com',
      relationshipToInsured: 'PARENT',
    },
    beneficiaries: [
      ...(base.beneficiaries ?? []),
      {
        designation: 'CONTINGENT',
        kind: 'PERSON',
        fullName: 'Robin Contingent',
        relationship: 'SIBLING',
        sharePercent: 50,
        ssn: '345-67-8901',
        birthDate: '1990-07-08',
      },
    ],
    coverage: { ...base.coverage, riders: ['WAIVER_OF_PREMIUM', 'CHILD_TERM'] },
    existingCoverage: {
      hasExisting: true,
      policies: [
        { carrierName: 'Old Mutual Life', policyNumber: 'OM-778899', faceAmount: 250_000, disposition: 'SURRENDER' },
        { carrierName: 'Keeper Assurance', policyNumber: 'KA-112233', faceAmount: 100_000, disposition: 'KEEP' },
      ],
    },
    answers: {
      HEART: { yes: true, details: { DIAGNOSIS: 'Mild arrhythmia, monitored yearly', DIAGNOSED_ON: '2021-03' } },
      TOBACCO: { yes: false },
    },
    phoneInterview: true,
    financial: {
      annualIncome: 100_000,
      netWorth: 750_000,
      nonWorkingSpouse: false,
      workingSpouseCoverage: 300_000,
      questionnaireCompleted: true,
      thirdPartyFinancials: false,
    },
    agentReport: {
      agentId: 'agent-1',
      knowsOfReplacement: true,
      relatedToInsured: false,
      comments: 'Client replacing an older policy with a lower premium; met in person twice.',
    },
    forms: [...(base.forms ?? []), { code: 'REPLACEMENT_NOTICE', formNumber: 'TYP-RN' }],
  } as Application;
}

const AUDIT: ApplicationPdfInput['auditTrail'] = [
  { role: 'INSURED', signedAt: '2026-06-10T15:04:05.000Z', ip: '203.0.113.10' },
  { role: 'OWNER', signedAt: '2026-06-10T16:00:00.000Z', ip: '198.51.100.20' },
  { role: 'AGENT', signedAt: '2026-06-11T09:30:00.000Z', ip: null },
];
const input = (application: Application = fullApplication()): ApplicationPdfInput => ({
  applicationId: 'app_01TESTPDF',
  carrierName: 'Typical Life',
  productName: 'Typical Term 20',
  application,
  auditTrail: AUDIT,
});

/** Every leaf of the draft: [path, value]. */
function leaves(value: unknown, path = ''): [string, unknown][] {
  if (value === null || typeof value !== 'object') return [[path, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => leaves(inner, path ? `${path}.${key}` : key));
}
const words = (code: string) => code.replace(/_/g, ' ').toLowerCase();

test('a valid PDF that carries every answer of the draft', async () => {
  const bytes = await renderApplicationPdf(input());
  const pdf = await PDFDocument.load(bytes);
  const texts = await pageTexts(bytes);
  expect(texts).toHaveLength(pdf.getPageCount());
  const text = texts.join(' ');
  const lower = text.toLowerCase();
  const application = fullApplication();
  const unchecked: string[] = [];
  for (const [path, value] of leaves(application)) {
    if (typeof value === 'string') {
      if (!text.includes(value) && !lower.includes(words(value))) unchecked.push(`${path}=${value}`);
    } else if (typeof value === 'number') {
      if (path.endsWith('heightInches')) expect(text).toContain('5 ft 6 in');
      else if (!text.includes(String(value)) && !text.includes(value.toLocaleString('en-US'))) unchecked.push(`${path}=${value}`);
    }
  }
  expect(unchecked).toEqual([]);
  // Yes/no answers, each on its own labelled line.
  expect(text).toContain('Question HEART Yes');
  expect(text).toContain('DIAGNOSIS Mild arrhythmia, monitored yearly');
  expect(text).toContain('Question TOBACCO No');
  expect(text).toContain('Has existing coverage Yes');
  expect(text).toContain('Replacement Yes');
  expect(text).toContain('Part B by phone interview Yes');
  expect(text).toContain('Authorized Yes');
  expect(text).toContain('Knows of a replacement Yes');
  expect(text).toContain('Financial questionnaire completed Yes');
  expect(text).toContain('Third-party financials supplied No');
  expect(text).toContain('Face amount $500,000');
  expect(text).toContain('Riders Waiver of premium, Child term');
  expect(text).toContain('Typical Life');
  expect(text).toContain('Typical Term 20');
});

test("the signatures' audit trail: who, when, from which IP", async () => {
  const text = (await pageTexts(await renderApplicationPdf(input()))).join(' ');
  const trail = text.slice(text.indexOf('Electronic signature audit trail'));
  expect(trail).toContain('Insured signed at 2026-06-10T15:04:05.000Z from IP 203.0.113.10');
  expect(trail).toContain('Owner signed at 2026-06-10T16:00:00.000Z from IP 198.51.100.20');
  expect(trail).toContain('Agent signed at 2026-06-11T09:30:00.000Z from IP not recorded');
});

test('answers flow onto as many pages as they need, each page numbered', async () => {
  const many = fullApplication();
  const answers: Record<string, { yes: boolean; details?: Record<string, string> }> = {};
  for (let i = 1; i <= 120; i++)
    answers[`Q${String(i).padStart(3, '0')}`] = { yes: i % 2 === 0, details: i % 2 === 0 ? { WHEN: `answer number ${i}` } : undefined };
  const bytes = await renderApplicationPdf(input({ ...many, answers }));
  const texts = await pageTexts(bytes);
  expect(texts.length).toBeGreaterThanOrEqual(5);
  for (const [i, page] of texts.entries()) expect(page).toContain(`Page ${i + 1} of ${texts.length}`);
  const all = texts.join(' ');
  for (let i = 1; i <= 120; i++) expect(all).toContain(`Question Q${String(i).padStart(3, '0')} ${i % 2 === 0 ? 'Yes' : 'No'}`);
  expect(all).toContain('WHEN answer number 120');
  // The audit trail is still there, after all of them.
  expect(texts.at(-1)).toContain('Electronic signature audit trail');
});

test('the same input gives the same bytes; a changed answer gives others', async () => {
  const hash = async (i: ApplicationPdfInput) =>
    createHash('sha256')
      .update(await renderApplicationPdf(i))
      .digest('hex');
  const first = await hash(input());
  expect(await hash(input())).toBe(first);
  const changed = fullApplication();
  expect(await hash(input({ ...changed, hipaaAuthorized: false }))).not.toBe(first);
  const pdf = await PDFDocument.load(await renderApplicationPdf(input()));
  expect(pdf.getCreationDate()?.toISOString()).toBe('2026-06-11T09:30:00.000Z');
  expect(pdf.getTitle()).toBe('Application app_01TESTPDF');
});

test('an empty draft renders, saying what is not answered; characters the font lacks do not break it', async () => {
  const bytes = await renderApplicationPdf({ ...input({ insured: { fullName: 'Zoë Ł. 山田' } }), auditTrail: [] });
  const text = (await pageTexts(bytes)).join(' ');
  expect(text).toContain('Full name Zoë ?. ??');
  expect(text).toContain('(not answered)');
  expect(text).toContain('Not signed electronically yet.');
});
