import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { parseId } from '../../platform/ids';
import { canSeeInFull, mask, type PersonalDataKind } from '../../platform/personal-data';
import { requireSignedIn } from '../shared/auth';
import { decodeCursor, keysetPage, pageSize } from '../shared/pagination';
import { Agent } from './agent/agent.type';
import { type ApplicationRow, applicationPage, applicationsByIds } from './application.repository';
import {
  applicationOf,
  catalogFor,
  missingOf,
  recordFullRead,
  startApplication,
  updateApplication,
  visibleApplication,
} from './application.service';
import {
  Application,
  ApplicationAgentReport,
  ApplicationAnswer,
  ApplicationBankAccount,
  ApplicationBeneficiary,
  ApplicationConnection,
  ApplicationCoverage,
  ApplicationFilter,
  ApplicationFinancials,
  ApplicationForm,
  ApplicationInsured,
  ApplicationParty,
  ApplicationPatch,
  ApplicationQuestion,
  ApplicationReplacement,
  ApplicationSignature,
  DriversLicense,
  MissingItem,
  StartApplicationInput,
} from './application.type';
import { recordPaperSignatures, requestSignatures } from './application-signing.service';
import { PaperSignaturesInput, SignatureRequest } from './application-signing.type';
import { visibleAgentIds } from './case.scope';
import { envelopesOfApplication, type SignatureEnvelopeRecord } from './signature-envelope.repository';
import type { CasesContext } from './cases.context';
import { type Beneficiary, isReplacement, type PersonParty } from './domain/application';
import { applicableForms } from './domain/good-order';

const MAX_APPLICATIONS_PAGE = 200;

/** Whose personal data a nested object shows: carried on it so its identifier fields can mask or reveal (and log). */
interface Subject {
  id: string;
  agentId: string;
}
type WithSubject<T> = T & { subject: Subject };
type InsuredView = WithSubject<ApplicationInsured & { rawSsn?: string; rawLicense?: { number?: string; state?: string } }>;
type PartyView = WithSubject<ApplicationParty & { rawTaxId?: string; taxKind: PersonalDataKind }>;
type BeneficiaryView = WithSubject<ApplicationBeneficiary & { rawSsn?: string }>;
type BankAccountView = WithSubject<ApplicationBankAccount & { rawAccount?: string }>;

/** The value in full (and the read logged) for the case's agent and staff; its mask for everyone else. */
async function reveal(
  ctx: CasesContext,
  subject: Subject,
  field: string,
  value: string | undefined,
  kind: PersonalDataKind,
): Promise<string | undefined> {
  if (value === undefined) return undefined;
  if (!canSeeInFull(ctx.identity, { agentId: subject.agentId })) return mask(kind, value);
  await recordFullRead(ctx, subject.id, field);
  return value;
}

async function loadVisible(ctx: CasesContext, id: string): Promise<ApplicationRow | undefined> {
  requireSignedIn(ctx.identity);
  return visibleApplication(ctx, (await applicationsByIds(ctx.db, [parseId('application', id, 'id')]))[0]);
}

@Resolver(() => Application)
export class ApplicationResolver {
  @Query(() => Application, { nullable: true, description: 'An application by id; null when unknown or not visible to the caller.' })
  async application(
    @Arg('id', () => ID, { description: 'The application id (app_...).' }) id: string,
    @Ctx() ctx: CasesContext,
  ): Promise<ApplicationRow | undefined> {
    return loadVisible(ctx, id);
  }

  @Query(() => ApplicationConnection, { description: "Applications the caller may see (an agent's own and downline's), newest first." })
  async applications(
    @Ctx() ctx: CasesContext,
    @Arg('filter', () => ApplicationFilter, { nullable: true, description: 'Which applications; all visible when omitted.' })
    filter?: ApplicationFilter,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_APPLICATIONS_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<ApplicationConnection> {
    requireSignedIn(ctx.identity);
    const limit = pageSize(first, MAX_APPLICATIONS_PAGE);
    const scope = await visibleAgentIds(ctx);
    let agentIds: string[] | null = scope ? [...scope] : null;
    if (filter?.agentId) {
      parseId('agent', filter.agentId, 'filter.agentId');
      agentIds = !scope || scope.has(filter.agentId) ? [filter.agentId] : [];
    }
    if (filter?.carrierId) parseId('carrier', filter.carrierId, 'filter.carrierId');
    const cursor = after ? (decodeCursor(after, ['string', 'string']) as [string, string]) : null;
    const rows =
      agentIds?.length === 0 || limit === 0
        ? []
        : await applicationPage(ctx.db, {
            agentIds,
            statuses: filter?.status?.length ? filter.status : null,
            carrierId: filter?.carrierId ?? null,
            after: cursor,
            limit,
          });
    return keysetPage(rows, limit, after, (row) => [new Date(row.createdAt).toISOString(), row.id]) as unknown as ApplicationConnection;
  }

  @Mutation(() => Application, {
    description:
      "Starts an e-application from a chosen quote (carrier, product, amount, term, class). Agents start their own and their downline's; idempotent on idempotencyKey.",
  })
  startApplication(
    @Arg('input', () => StartApplicationInput, { description: 'The coverage chosen.' }) input: StartApplicationInput,
    @Ctx() ctx: CasesContext,
  ): Promise<ApplicationRow> {
    return startApplication(ctx, input);
  }

  @Mutation(() => Application, {
    description:
      'Changes a draft application: any parts, in any order, as many times as needed (one transaction each). FAILED_PRECONDITION once it is signed.',
  })
  updateApplication(
    @Arg('id', () => ID, { description: 'The application (app_...).' }) id: string,
    @Arg('patch', () => ApplicationPatch, { description: 'The parts to change.' }) patch: ApplicationPatch,
    @Ctx() ctx: CasesContext,
  ): Promise<ApplicationRow> {
    return updateApplication(ctx, id, patch);
  }

  @Mutation(() => SignatureRequest, {
    description:
      'Sends a draft in good order for e-signature: the application PDF to the signature provider, with a signing link for each signer it needs (insured, owner and payor when others, agent). FAILED_PRECONDITION with `extensions.missing` when not ready; asking again while it is out answers the same request.',
  })
  async requestSignatures(
    @Arg('applicationId', () => ID, { description: 'The application (app_...).' }) applicationId: string,
    @Ctx() ctx: CasesContext,
  ): Promise<SignatureRequest> {
    const sent = await requestSignatures(ctx, applicationId);
    const links = new Map(sent.signingLinks.map((link) => [link.role, link.signingUrl]));
    return { ...signatureRequestOf(sent.envelope), signers: sent.envelope.signers.map((s) => ({ ...s, signingUrl: links.get(s.role) })) };
  }

  @Mutation(() => Application, {
    description:
      'Records the signatures of a paper application from its signed scan (uploaded first as an APPLICATION_SCAN document of the application). Staff only; the application is then SIGNED and checked for submission.',
  })
  recordPaperSignatures(
    @Arg('applicationId', () => ID, { description: 'The application (app_...).' }) applicationId: string,
    @Arg('input', () => PaperSignaturesInput, { description: 'The signatures and the scan.' }) input: PaperSignaturesInput,
    @Ctx() ctx: CasesContext,
  ): Promise<ApplicationRow> {
    return recordPaperSignatures(ctx, applicationId, input);
  }

  @FieldResolver(() => [SignatureRequest], { description: 'Its e-signature requests, newest first (signing links are never shown here).' })
  async signatureRequests(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): Promise<SignatureRequest[]> {
    return (await envelopesOfApplication(ctx.db, row.id)).map(signatureRequestOf);
  }

  @FieldResolver(() => Agent, { description: 'The writing agent.' })
  agent(@Root() row: ApplicationRow): Agent {
    return { id: row.agentId };
  }

  @FieldResolver(() => [MissingItem], {
    description:
      'What the application still lacks for its carrier, product and state, sorted by path. A draft is checked for signing (everything but the signatures); a signed one for submission.',
  })
  missing(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): Promise<MissingItem[]> {
    return missingOf(ctx, row);
  }

  @FieldResolver(() => Boolean, { description: 'Nothing is missing: a draft may be sent for signatures, a signed application submitted.' })
  async inGoodOrder(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): Promise<boolean> {
    return (await missingOf(ctx, row)).length === 0;
  }

  @FieldResolver(() => Boolean, {
    description: 'The caller sees identifiers and medical answers in full (the writing agent, staff); otherwise they are masked or hidden.',
  })
  personalDataInFull(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): boolean {
    return canSeeInFull(ctx.identity, { agentId: row.agentId });
  }

  @FieldResolver(() => ApplicationInsured, { nullable: true, description: 'The proposed insured; null until any of it is given.' })
  insured(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): InsuredView | undefined {
    const insured = applicationOf(ctx, row).insured;
    if (!insured) return undefined;
    const { ssn, driversLicense, ...rest } = insured;
    return { ...rest, rawSsn: ssn, rawLicense: driversLicense, subject: { id: row.id, agentId: row.agentId } };
  }

  @FieldResolver(() => ApplicationParty, { nullable: true, description: 'The owner; null until given (the insured is the usual owner).' })
  owner(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): PartyView | undefined {
    return partyView(applicationOf(ctx, row).owner, row);
  }

  @FieldResolver(() => ApplicationParty, { nullable: true, description: 'The payor; null means the owner pays.' })
  payor(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): PartyView | undefined {
    return partyView(applicationOf(ctx, row).payor, row);
  }

  @FieldResolver(() => [ApplicationBeneficiary], { description: 'Every beneficiary, primary and contingent.' })
  beneficiaries(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): BeneficiaryView[] {
    return (applicationOf(ctx, row).beneficiaries ?? []).map(({ ssn, ...rest }: Beneficiary) => ({
      ...rest,
      rawSsn: ssn,
      subject: { id: row.id, agentId: row.agentId },
    }));
  }

  @FieldResolver(() => ApplicationCoverage, { description: 'The coverage applied for.' })
  coverage(@Root() row: ApplicationRow): ApplicationCoverage {
    const c = row.draft.coverage;
    return {
      carrier: { id: row.carrierId },
      product: { id: row.productId },
      productType: c.productType,
      faceAmount: c.faceAmount,
      termYears: c.termYears,
      guaranteeAge: c.guaranteeAge,
      healthClass: c.healthClassApplied,
      riders: [...(c.riders ?? [])],
      paymentMode: c.paymentMode,
      paymentMethod: c.paymentMethod,
    };
  }

  @FieldResolver(() => ApplicationReplacement, { nullable: true, description: 'Existing coverage and replacement; null until answered.' })
  replacement(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): ApplicationReplacement | undefined {
    const application = applicationOf(ctx, row);
    const existing = application.existingCoverage;
    if (!existing) return undefined;
    return { hasExisting: existing.hasExisting, policies: [...(existing.policies ?? [])], replacing: isReplacement(application) };
  }

  @FieldResolver(() => [ApplicationQuestion], {
    description: "The carrier's medical and lifestyle questions for this product, with their follow-ups.",
  })
  async questions(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): Promise<ApplicationQuestion[]> {
    const { rules, product } = await catalogFor(ctx, row.carrierId, row.productId);
    return rules.questions
      .filter((q) => !q.productTypes || q.productTypes.includes(product.type))
      .map((q) => ({ code: q.code, text: q.text, followUps: q.followUps.map((f) => ({ ...f })) }));
  }

  @FieldResolver(() => [ApplicationAnswer], {
    nullable: true,
    description: 'The answers to the carrier questions: null for callers who may not see medical answers (every read in full is logged).',
  })
  async answers(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): Promise<ApplicationAnswer[] | null> {
    if (!canSeeInFull(ctx.identity, { agentId: row.agentId })) return null;
    const answers = applicationOf(ctx, row).answers ?? {};
    await recordFullRead(ctx, row.id, 'answers');
    return Object.entries(answers).map(([code, answer]) => ({
      code,
      yes: answer.yes,
      details: Object.entries(answer.details ?? {}).map(([detail, text]) => ({ code: detail, answer: text })),
    }));
  }

  @FieldResolver(() => ApplicationFinancials, { nullable: true, description: 'Financial information; null until given.' })
  financials(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): ApplicationFinancials | undefined {
    return applicationOf(ctx, row).financial;
  }

  @FieldResolver(() => ApplicationAgentReport, { nullable: true, description: "The agent's report; null until given." })
  agentReport(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): ApplicationAgentReport | undefined {
    return applicationOf(ctx, row).agentReport;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: 'The insured signed the HIPAA authorization.' })
  hipaaAuthorized(@Root() row: ApplicationRow): boolean | undefined {
    return row.draft.hipaaAuthorized;
  }

  @FieldResolver(() => Boolean, { nullable: true, description: "Part B (medical) is taken by the carrier's phone interview." })
  phoneInterview(@Root() row: ApplicationRow): boolean | undefined {
    return row.draft.phoneInterview;
  }

  @FieldResolver(() => ApplicationBankAccount, { nullable: true, description: 'The bank account for EFT; null until given.' })
  bankAccount(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): BankAccountView | undefined {
    const account = applicationOf(ctx, row).bankAccount;
    if (!account) return undefined;
    const { accountNumber, ...rest } = account;
    return { ...rest, rawAccount: accountNumber, subject: { id: row.id, agentId: row.agentId } };
  }

  @FieldResolver(() => [ApplicationForm], {
    description:
      "The forms this application needs from the carrier's catalog (for its state, product, riders and replacement), and whether each is attached.",
  })
  async forms(@Root() row: ApplicationRow, @Ctx() ctx: CasesContext): Promise<ApplicationForm[]> {
    const { rules } = await catalogFor(ctx, row.carrierId, row.productId);
    const attached = new Set((row.draft.forms ?? []).map((form) => form.code));
    return applicableForms(applicationOf(ctx, row), rules).map((form) => ({
      code: form.code,
      formNumber: form.formNumber,
      stateForm: Boolean(form.states),
      attached: attached.has(form.code),
    }));
  }

  @FieldResolver(() => [ApplicationSignature], { description: 'The signatures collected so far.' })
  signatures(@Root() row: ApplicationRow): ApplicationSignature[] {
    return (row.draft.signatures ?? []).map((signature) => ({ ...signature }));
  }
}

function signatureRequestOf(envelope: SignatureEnvelopeRecord): SignatureRequest {
  return {
    envelopeId: envelope.envelopeId,
    status: envelope.status,
    signers: envelope.signers.map((signer) => ({ ...signer, signingUrl: null })),
    createdAt: new Date(envelope.createdAt).toISOString(),
  };
}

function partyView(
  party: ReturnType<typeof applicationOf>['owner'] | ReturnType<typeof applicationOf>['payor'],
  row: ApplicationRow,
): PartyView | undefined {
  if (!party) return undefined;
  const subject = { id: row.id, agentId: row.agentId };
  switch (party.kind) {
    case 'INSURED':
    case 'OWNER':
      return { kind: party.kind, taxKind: 'SSN', subject };
    case 'PERSON': {
      const person = party as PersonParty;
      return {
        kind: 'PERSON',
        name: person.fullName,
        birthDate: person.birthDate,
        rawTaxId: person.ssn,
        taxKind: 'SSN',
        relationshipToInsured: person.relationshipToInsured,
        address: person.address,
        phone: person.phone,
        email: person.email,
        subject,
      };
    }
    default:
      return {
        kind: party.kind,
        name: party.name,
        birthDate: party.establishedOn,
        rawTaxId: party.tin,
        taxKind: 'TIN',
        address: party.address,
        email: party.email,
        subject,
      };
  }
}

@Resolver(() => ApplicationInsured)
export class ApplicationInsuredResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: 'SSN or ITIN: `***-**-1234` unless the caller may see it in full; every full read is logged.',
  })
  ssn(@Root() insured: InsuredView, @Ctx() ctx: CasesContext): Promise<string | undefined> {
    return reveal(ctx, insured.subject, 'insured.ssn', insured.rawSsn, 'SSN');
  }

  @FieldResolver(() => DriversLicense, {
    nullable: true,
    description: "Driver's license; the number masked unless the caller may see it in full.",
  })
  async driversLicense(@Root() insured: InsuredView, @Ctx() ctx: CasesContext): Promise<DriversLicense | undefined> {
    const license = insured.rawLicense;
    if (!license) return undefined;
    return {
      state: license.state,
      number: await reveal(ctx, insured.subject, 'insured.driversLicense.number', license.number, 'DRIVERS_LICENSE'),
    };
  }
}

@Resolver(() => ApplicationParty)
export class ApplicationPartyResolver {
  @FieldResolver(() => String, {
    nullable: true,
    description: "A person's SSN or an entity's TIN, masked unless the caller may see it in full.",
  })
  taxId(@Root() party: PartyView, @Ctx() ctx: CasesContext): Promise<string | undefined> {
    return reveal(ctx, party.subject, `party.${party.taxKind === 'TIN' ? 'tin' : 'ssn'}`, party.rawTaxId, party.taxKind);
  }
}

@Resolver(() => ApplicationBeneficiary)
export class ApplicationBeneficiaryResolver {
  @FieldResolver(() => String, { nullable: true, description: 'SSN, masked unless the caller may see it in full.' })
  ssn(@Root() beneficiary: BeneficiaryView, @Ctx() ctx: CasesContext): Promise<string | undefined> {
    return reveal(ctx, beneficiary.subject, 'beneficiaries.ssn', beneficiary.rawSsn, 'SSN');
  }
}

@Resolver(() => ApplicationBankAccount)
export class ApplicationBankAccountResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Account number, `****1234` unless the caller may see it in full.' })
  accountNumber(@Root() account: BankAccountView, @Ctx() ctx: CasesContext): Promise<string | undefined> {
    return reveal(ctx, account.subject, 'bankAccount.accountNumber', account.rawAccount, 'BANK_ACCOUNT');
  }
}
