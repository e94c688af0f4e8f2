/**
 * The application as a PDF (pdf-lib): every answer of the draft in readable sections (parties,
 * beneficiaries, coverage, existing coverage and replacement, the carrier's questions with their
 * follow-up details, financials, the agent's report, HIPAA, signatures and forms), flowing onto as
 * many pages as it needs, then the signatures' audit trail (who, when, from which IP).
 *
 * It is the document the client signs and the carrier receives, so identifiers are printed in full:
 * the PDF is personal data, stored and sent as such, never logged. The same input always gives the
 * same bytes (fixed metadata dates, no random ids), so a test or an auditor can compare hashes.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type {
  Address,
  Application,
  Beneficiary,
  EntityParty,
  Owner,
  Payor,
  PersonParty,
  QuestionAnswer,
  SignerRole,
} from '../domain/application';

export interface ApplicationPdfInput {
  applicationId: string;
  carrierName: string;
  productName: string;
  application: Application;
  auditTrail: { role: SignerRole; signedAt: string; ip: string | null }[];
}

const PAGE: [number, number] = [612, 792]; // US Letter
const MARGIN = 54;
const BODY = 10;
const LEADING = 14;
const LABEL_WIDTH = 190;
const NOT_ANSWERED = '(not answered)';

/** A cursor down the pages: each write takes the next line, and a new page when this one is full. */
class Writer {
  private page!: PDFPage;
  private y = 0;
  private readonly encodable: ReadonlySet<number>;

  constructor(
    private readonly pdf: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    private readonly footer: string,
  ) {
    this.encodable = new Set(regular.getCharacterSet());
    this.newPage();
  }

  title(text: string): void {
    this.ensure(30);
    this.draw(text, MARGIN, 16, this.bold);
    this.y -= 26;
  }

  section(text: string): void {
    this.ensure(LEADING * 3);
    this.y -= 6;
    this.draw(text, MARGIN, 12, this.bold);
    this.y -= 4;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: PAGE[0] - MARGIN, y: this.y },
      thickness: 0.5,
      color: rgb(0.4, 0.4, 0.4),
    });
    this.y -= LEADING;
  }

  /** One answer: its label on the left, its value wrapped on the right. */
  field(label: string, value: string | number | boolean | null | undefined, indent = 0): void {
    const lines = this.wrap(display(value), PAGE[0] - MARGIN * 2 - LABEL_WIDTH);
    this.ensure(LEADING);
    this.draw(label, MARGIN + indent, BODY, this.bold);
    for (const [i, line] of lines.entries()) {
      if (i > 0) this.ensure(LEADING);
      this.draw(line, MARGIN + LABEL_WIDTH, BODY, this.regular);
      this.y -= LEADING;
    }
  }

  /** A line of its own (a sub-heading inside a section). */
  line(text: string, indent = 0, font: 'regular' | 'bold' = 'regular'): void {
    for (const part of this.wrap(text, PAGE[0] - MARGIN * 2 - indent)) {
      this.ensure(LEADING);
      this.draw(part, MARGIN + indent, BODY, font === 'bold' ? this.bold : this.regular);
      this.y -= LEADING;
    }
  }

  gap(): void {
    this.y -= LEADING / 2;
  }

  /** Page numbers once every page exists ("Page 2 of 3"). */
  finish(): void {
    const pages = this.pdf.getPages();
    for (const [i, page] of pages.entries()) {
      page.drawText(this.clean(`${this.footer}  -  Page ${i + 1} of ${pages.length}`), {
        x: MARGIN,
        y: MARGIN / 2,
        size: 8,
        font: this.regular,
        color: rgb(0.35, 0.35, 0.35),
      });
    }
  }

  private draw(text: string, x: number, size: number, font: PDFFont): void {
    this.page.drawText(this.clean(text), { x, y: this.y, size, font, color: rgb(0, 0, 0) });
  }

  private ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }

  private newPage(): void {
    this.page = this.pdf.addPage(PAGE);
    this.y = PAGE[1] - MARGIN;
  }

  /** Characters the standard font cannot encode become '?' rather than failing the whole document. */
  private clean(text: string): string {
    let out = '';
    for (const char of text.replace(/[\r\n\t]+/g, ' ')) out += this.encodable.has(char.codePointAt(0)!) ? char : '?';
    return out;
  }

  private wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let current = '';
    for (const word of this.clean(text).split(' ')) {
      const candidate = current ? `${current} ${word}` : word;
      if (this.regular.widthOfTextAtSize(candidate, BODY) <= width || !current) current = candidate;
      else {
        lines.push(current);
        current = word;
      }
      // A single word wider than the column (a long id) is cut where it must be.
      while (this.regular.widthOfTextAtSize(current, BODY) > width && current.length > 1) {
        let cut = current.length - 1;
        while (cut > 1 && this.regular.widthOfTextAtSize(current.slice(0, cut), BODY) > width) cut--;
        lines.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    }
    lines.push(current);
    return lines;
  }
}

function display(value: string | number | boolean | null | undefined): string {
  if (value === undefined || value === null || value === '') return NOT_ANSWERED;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
}

const dollars = (amount: number | undefined) => (amount === undefined ? undefined : `$${amount.toLocaleString('en-US')}`);
const words = (code: string | undefined) =>
  code
    ?.replace(/_/g, ' ')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());

function address(value: Address | undefined): string | undefined {
  if (!value) return undefined;
  const cityLine = [value.city, [value.state, value.zip].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const text = [value.line1, value.line2, cityLine].filter(Boolean).join(', ');
  return text || undefined;
}

function person(w: Writer, party: Omit<PersonParty, 'kind'>, withRelationship: boolean): void {
  w.field('Full name', party.fullName);
  w.field('Date of birth', party.birthDate);
  w.field('Gender', words(party.gender));
  w.field('SSN / ITIN', party.ssn);
  w.field('Address', address(party.address));
  w.field('Phone', party.phone);
  w.field('Email', party.email);
  w.field(
    "Driver's license",
    party.driversLicense?.number ? [party.driversLicense.number, party.driversLicense.state].filter(Boolean).join(', ') : undefined,
  );
  w.field('Citizenship', words(party.citizenship));
  w.field(
    'Height',
    party.heightInches === undefined ? undefined : `${Math.floor(party.heightInches / 12)} ft ${party.heightInches % 12} in`,
  );
  w.field('Weight', party.weightPounds === undefined ? undefined : `${party.weightPounds} lb`);
  if (withRelationship) w.field('Relationship to the insured', words(party.relationshipToInsured));
}

function entity(w: Writer, party: EntityParty): void {
  w.field('Kind', words(party.kind));
  w.field('Name', party.name);
  w.field('TIN', party.tin);
  w.field(party.kind === 'TRUST' ? 'Trust dated' : 'Established on', party.establishedOn);
  w.field('Address', address(party.address));
}

function party(w: Writer, value: Owner | Payor | undefined, absent: string) {
  if (!value) return w.line(absent);
  switch (value.kind) {
    case 'INSURED':
      return w.line('The proposed insured.');
    case 'OWNER':
      return w.line('The owner.');
    case 'PERSON':
      return person(w, value, true);
    default:
      return entity(w, value);
  }
}

function beneficiary(w: Writer, b: Beneficiary, n: number): void {
  w.line(`${words(b.designation)} beneficiary ${n}`, 0, 'bold');
  w.field('Kind', words(b.kind), 12);
  w.field('Name', b.fullName, 12);
  w.field('Relationship', words(b.relationship), 12);
  w.field('Share', b.sharePercent === undefined ? undefined : `${b.sharePercent}%`, 12);
  w.field('SSN / TIN', b.ssn, 12);
  w.field('Date of birth', b.birthDate, 12);
}

function answer(w: Writer, code: string, value: QuestionAnswer): void {
  w.field(`Question ${code}`, value.yes);
  for (const [detail, text] of Object.entries(value.details ?? {}).sort(([a], [b]) => a.localeCompare(b))) w.field(`  ${detail}`, text, 12);
}

/** The application PDF; the same input gives the same bytes. */
export async function renderApplicationPdf(input: ApplicationPdfInput): Promise<Uint8Array> {
  const { application: a } = input;
  const pdf = await PDFDocument.create({ updateMetadata: false });
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  // Fixed dates: the last signature when signed (the document's moment), else the epoch. Never "now".
  const moments = input.auditTrail.map((s) => Date.parse(s.signedAt)).filter((t) => !Number.isNaN(t));
  const fixed = new Date(moments.length ? Math.max(...moments) : 0);
  pdf.setTitle(`Application ${input.applicationId}`);
  pdf.setSubject(`${input.carrierName} - ${input.productName}`);
  pdf.setProducer('bga-graph');
  pdf.setCreator('bga-graph');
  pdf.setCreationDate(fixed);
  pdf.setModificationDate(fixed);
  const w = new Writer(pdf, regular, bold, `Application ${input.applicationId}`);

  w.title('Application for life insurance');
  w.field('Application', input.applicationId);
  w.field('Carrier', input.carrierName);
  w.field('Product', input.productName);
  w.field('State of application', a.state);
  w.field('Status', words(a.status));

  w.section('Proposed insured (party role 32)');
  person(w, a.insured ?? {}, false);

  w.section('Owner (party role 8)');
  party(w, a.owner, NOT_ANSWERED);
  w.section('Payor (party role 31)');
  party(w, a.payor, 'The owner pays (no separate payor).');

  w.section('Beneficiaries (primary: party role 34, contingent: 36)');
  const beneficiaries = a.beneficiaries ?? [];
  if (beneficiaries.length === 0) w.line(NOT_ANSWERED);
  let primary = 0;
  let contingent = 0;
  for (const b of beneficiaries) beneficiary(w, b, b.designation === 'PRIMARY' ? ++primary : ++contingent);

  w.section('Coverage applied for');
  const c = a.coverage ?? {};
  w.field('Carrier code', c.carrierCode);
  w.field('Product code', c.productCode);
  w.field('Product type', words(c.productType));
  w.field('Face amount', dollars(c.faceAmount));
  w.field('Term', c.termYears === undefined ? undefined : `${c.termYears} years`);
  w.field('Guaranteed to age', c.guaranteeAge);
  w.field('Health class applied for', words(c.healthClassApplied));
  w.field('Riders', c.riders === undefined ? undefined : c.riders.length ? c.riders.map(words).join(', ') : 'None');
  w.field('Payment mode', words(c.paymentMode));
  w.field('Payment method', words(c.paymentMethod));
  if (a.bankAccount) {
    w.field('Bank routing number', a.bankAccount.routingNumber);
    w.field('Bank account number', a.bankAccount.accountNumber);
    w.field('Bank account type', words(a.bankAccount.accountType));
  }

  w.section('Existing coverage and replacement');
  const existing = a.existingCoverage ?? {};
  w.field('Has existing coverage', existing.hasExisting);
  const policies = existing.policies ?? [];
  for (const [i, p] of policies.entries()) {
    w.line(`Existing policy ${i + 1}`, 0, 'bold');
    w.field('Carrier', p.carrierName, 12);
    w.field('Policy number', p.policyNumber, 12);
    w.field('Face amount', dollars(p.faceAmount), 12);
    w.field('What happens to it', words(p.disposition), 12);
  }
  w.field('Replacement', existing.hasExisting === undefined ? undefined : policies.some((p) => p.disposition && p.disposition !== 'KEEP'));

  w.section('Medical and lifestyle questions');
  const answers = Object.entries(a.answers ?? {}).sort(([x], [y]) => x.localeCompare(y));
  if (answers.length === 0) w.line(NOT_ANSWERED);
  for (const [code, value] of answers) answer(w, code, value);
  w.field('Part B by phone interview', a.phoneInterview);

  w.section('Financial information');
  const f = a.financial ?? {};
  w.field('Annual earned income', dollars(f.annualIncome));
  w.field('Net worth', dollars(f.netWorth));
  w.field('Non-working spouse', f.nonWorkingSpouse);
  w.field("Working spouse's coverage", dollars(f.workingSpouseCoverage));
  w.field('Financial questionnaire completed', f.questionnaireCompleted);
  w.field('Third-party financials supplied', f.thirdPartyFinancials);

  w.section("Agent's report (writing agent: party role 37)");
  const r = a.agentReport ?? {};
  w.field('Agent', r.agentId);
  w.field('Knows of a replacement', r.knowsOfReplacement);
  w.field('Related to the insured', r.relatedToInsured);
  w.field('Comments', r.comments);

  w.section('HIPAA authorization');
  w.field('Authorized', a.hipaaAuthorized);

  w.section('Signatures on the application');
  const signatures = a.signatures ?? [];
  if (signatures.length === 0) w.line(NOT_ANSWERED);
  for (const s of signatures) w.field(words(s.role) ?? s.role, `signed on ${display(s.signedOn)} in ${display(s.state)}`);

  w.section('Forms attached');
  const forms = a.forms ?? [];
  if (forms.length === 0) w.line('None');
  for (const form of forms) w.field(words(form.code) ?? form.code, form.formNumber ?? 'form number not given');

  w.section('Electronic signature audit trail');
  if (input.auditTrail.length === 0) w.line('Not signed electronically yet.');
  for (const s of input.auditTrail) w.field(words(s.role) ?? s.role, `signed at ${s.signedAt} from IP ${s.ip ?? 'not recorded'}`);

  w.finish();
  return pdf.save({ useObjectStreams: false });
}
