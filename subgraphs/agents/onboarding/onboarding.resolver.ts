import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { todayUtc } from '../../../platform/dates';
import { randomUUID } from 'node:crypto';
import { badInput, coded, failedPrecondition, forbidden, notFound } from '../../../platform/errors';
import { parseId } from '../../../platform/ids';
import { mask } from '../../../platform/personal-data';
import { requireRole, requireSignedIn } from '../../shared/auth';
import { agentsByIds } from '../agent.repository';
import { Agent, type AgentRow } from '../agent.type';
import type { AgentsContext } from '../agents.context';
import {
  agreementProblems,
  anyYes,
  BGA_AGREEMENT_VERSION,
  backgroundProblems,
  backgroundStatusAfterAnswers,
  directDepositProblems,
  eoCoverageProblems,
  type InputProblem,
  missingSteps,
  normalizeBankAccount,
  normalizeTin,
  ONBOARDING_STAGES,
  onboardingStage,
  pastDayProblems,
  requiredSteps,
  stepViews,
  summarize,
  w9Problems,
} from '../domain/onboarding';
import { AgreementSignatureError } from './agreement-signature.port';
import { agreementPdf } from './agreement-pdf';
import { setAgentAmlTrainedOn, setAgentEoExpiresOn, stageSummaries } from './onboarding.repository';
import { approveBackground, openStep, recordStep, sealStep } from './onboarding.service';
import {
  AmlTrainingInput,
  BackgroundAnswersInput,
  BgaAgreementInput,
  BgaAgreementSignatureRequest,
  DirectDepositInput,
  type EoCoverage,
  EoCoverageInput,
  Onboarding,
  OnboardingStageCount,
  W9Input,
} from './onboarding.type';

/** Every broken rule at once, as BAD_USER_INPUT naming the fields (never their values). */
function refuse(problems: readonly InputProblem[]): void {
  if (problems.length)
    throw badInput(
      problems.map((p) => p.message).join('; '),
      problems.map((p) => p.field),
    );
}

/** An ADMIN, or the agent themself: who may record an agent's own contracting steps. */
function requireSelfOrAdmin(ctx: AgentsContext, agentId: string): void {
  requireSignedIn(ctx.identity);
  if (ctx.identity.role === 'ADMIN') return;
  if (ctx.identity.role === 'AGENT' && ctx.identity.agentId === agentId) return;
  throw forbidden('only an ADMIN or the agent themself may record their onboarding');
}

/** True when the caller may see this agent's masked bank account: an ADMIN or the agent themself. */
function maySeeOwnData(ctx: AgentsContext, agentId: string): boolean {
  return ctx.identity.role === 'ADMIN' || (ctx.identity.role === 'AGENT' && ctx.identity.agentId === agentId);
}

function deps(ctx: AgentsContext) {
  if (!ctx.onboarding) throw new Error('the agents context has no onboarding dependencies');
  return ctx.onboarding;
}

/** The agent as it stands after a change (the request's loaders forget what they had). */
async function reloaded(ctx: AgentsContext, agentId: string): Promise<AgentRow> {
  const [row] = await agentsByIds(ctx.db, [agentId]);
  if (!row) throw notFound('agent');
  ctx.loaders.agent.clear(agentId).prime(agentId, row);
  ctx.loaders.onboardingSteps.clear(agentId);
  return row;
}

const agentIdArg = (id: string) => parseId('agent', id, 'agentId');

/** Agent.onboarding, the step mutations, approveBackgroundReview and onboardingMetrics. */
@Resolver(() => Agent)
export class OnboardingResolver {
  @FieldResolver(() => Onboarding, {
    description: "The agent's contracting packet: each step's status today (UTC) and what is missing before the agent can be ACTIVE.",
  })
  async onboarding(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<Onboarding> {
    const rows = await ctx.loaders.onboardingSteps.load(agent.id);
    const views = stepViews(rows, todayUtc());
    const eo = rows.find((row) => row.step === 'EO_COVERAGE');
    const deposit = rows.find((row) => row.step === 'DIRECT_DEPOSIT');
    const onboarding = {
      steps: views,
      missing: missingSteps(views),
      stage: onboardingStage(summarize(views)),
      eoCoverage: eo ? (eo.details as unknown as EoCoverage) : null,
    } as Onboarding;
    // A getter: the account is opened only when a caller allowed to see it selects the field.
    const vault = deps(ctx).vault;
    const allowed = maySeeOwnData(ctx, agent.id);
    Object.defineProperty(onboarding, 'directDepositAccountMasked', {
      enumerable: true,
      get: () =>
        deposit?.sealed && allowed ? mask('BANK_ACCOUNT', openStep<{ accountNumber: string }>(vault, deposit.sealed).accountNumber) : null,
    });
    return onboarding;
  }

  @Mutation(() => BgaAgreementSignatureRequest, {
    description:
      'Sends the BGA agreement to the agent for e-signature (the provider emails the link; the link is returned too). The step is AWAITING_SIGNATURE until the provider says it is signed, then COMPLETE. Asking again while it waits gives back the same envelope. The agent themself or an ADMIN.',
  })
  async requestBgaAgreementSignature(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<BgaAgreementSignatureRequest> {
    agentIdArg(agentId);
    requireSelfOrAdmin(ctx, agentId);
    const agent = await ctx.loaders.agent.load(agentId);
    if (!agent) throw notFound('agent');
    if (agent.status === 'TERMINATED') throw failedPrecondition('the agent is TERMINATED: onboarding is closed');
    const previous = (await ctx.loaders.onboardingSteps.load(agentId)).find((row) => row.step === 'BGA_AGREEMENT');
    if (previous?.status === 'COMPLETE') throw failedPrecondition('the BGA agreement is signed already');
    // While an envelope waits, the same reference: the provider gives back the same envelope.
    const waiting = previous?.status === 'AWAITING_SIGNATURE' ? (previous.details as { reference?: string }) : undefined;
    const reference = waiting?.reference ?? `bga-agreement-${agentId}-${randomUUID()}`;
    const { signatures, esignCallbackUrl } = deps(ctx);
    let envelope: { envelopeId: string; signingUrl: string };
    try {
      envelope = await signatures.requestSignature({
        reference,
        pdf: await agreementPdf(BGA_AGREEMENT_VERSION, agentId),
        signer: { name: `${agent.firstName} ${agent.lastName}`, email: agent.email },
        callbackUrl: esignCallbackUrl,
        expiresInDays: 30,
      });
    } catch (error) {
      if (error instanceof AgreementSignatureError) throw coded('SERVICE_UNAVAILABLE', `${error.message}: ask again later`);
      throw error;
    }
    await recordStep(ctx.db, {
      agentId,
      step: 'BGA_AGREEMENT',
      actor: ctx.identity.sub,
      decide: (current) => {
        if (current?.status === 'COMPLETE') throw failedPrecondition('the BGA agreement is signed already');
        return {
          status: 'AWAITING_SIGNATURE',
          details: {
            agreementVersion: BGA_AGREEMENT_VERSION,
            method: 'ESIGN',
            envelopeId: envelope.envelopeId,
            reference,
            requestedBy: ctx.identity.sub,
          },
          sealed: null,
        };
      },
    });
    ctx.loaders.onboardingSteps.clear(agentId);
    return { ...envelope, agreementVersion: BGA_AGREEMENT_VERSION };
  }

  @Mutation(() => Agent, { description: 'Records a copy of the BGA agreement signed on paper, with its day. ADMIN only.' })
  async signBgaAgreement(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Arg('input', () => BgaAgreementInput, { description: 'The agreement signed.' }) input: BgaAgreementInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    agentIdArg(agentId);
    requireRole(ctx.identity, ['ADMIN']);
    refuse([...agreementProblems(input), ...pastDayProblems('input.signedOn', input.signedOn, todayUtc())]);
    await recordStep(ctx.db, {
      agentId,
      step: 'BGA_AGREEMENT',
      actor: ctx.identity.sub,
      decide: () => ({
        status: 'COMPLETE',
        details: { agreementVersion: input.agreementVersion, method: 'PAPER', recordedBy: ctx.identity.sub },
        sealed: null,
        completedOn: input.signedOn,
      }),
    });
    return reloaded(ctx, agentId);
  }

  @Mutation(() => Agent, {
    description: "Records the agent's W-9 (the TIN is sealed at rest and never shown). The agent themself or an ADMIN.",
  })
  async recordW9(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Arg('input', () => W9Input, { description: 'The W-9.' }) input: W9Input,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    agentIdArg(agentId);
    requireSelfOrAdmin(ctx, agentId);
    refuse(w9Problems(input));
    const sealed = sealStep(deps(ctx).vault, 'W9', { tin: normalizeTin(input.tin), legalName: input.legalName.trim() });
    await recordStep(ctx.db, {
      agentId,
      step: 'W9',
      actor: ctx.identity.sub,
      decide: () => ({ status: 'COMPLETE', details: { taxClassification: input.taxClassification }, sealed }),
    });
    return reloaded(ctx, agentId);
  }

  @Mutation(() => Agent, {
    description:
      'Records the bank account commissions are paid to (sealed at rest; only its last 4 digits are ever shown, to ADMIN and the agent). The agent themself or an ADMIN.',
  })
  async recordDirectDeposit(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Arg('input', () => DirectDepositInput, { description: 'The bank account.' }) input: DirectDepositInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    agentIdArg(agentId);
    requireSelfOrAdmin(ctx, agentId);
    refuse(directDepositProblems(input));
    const sealed = sealStep(deps(ctx).vault, 'DIRECT_DEPOSIT', { ...normalizeBankAccount(input), accountType: input.accountType });
    await recordStep(ctx.db, {
      agentId,
      step: 'DIRECT_DEPOSIT',
      actor: ctx.identity.sub,
      decide: () => ({ status: 'COMPLETE', details: { accountType: input.accountType }, sealed }),
    });
    return reloaded(ctx, agentId);
  }

  @Mutation(() => Agent, {
    description:
      "Records E&O coverage (limit per claim at least the BGA's minimum, not expired); sets Agent.eoExpiresOn, and makes an agent suspended for a lapse ACTIVE again. The agent themself or an ADMIN.",
  })
  async recordEoCoverage(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Arg('input', () => EoCoverageInput, { description: 'The coverage.' }) input: EoCoverageInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    agentIdArg(agentId);
    requireSelfOrAdmin(ctx, agentId);
    refuse(eoCoverageProblems(input, todayUtc(), deps(ctx).eoMinimumPerClaim));
    const details = {
      carrierName: input.carrierName.trim(),
      policyNumber: input.policyNumber,
      perClaimLimit: input.perClaimLimit,
      expiresOn: input.expiresOn,
    };
    await recordStep(ctx.db, {
      agentId,
      step: 'EO_COVERAGE',
      actor: ctx.identity.sub,
      decide: () => ({ status: 'COMPLETE', details, sealed: null, expiresOn: input.expiresOn }),
      also: (tx) => setAgentEoExpiresOn(tx, agentId, input.expiresOn),
    });
    return reloaded(ctx, agentId);
  }

  @Mutation(() => Agent, {
    description:
      'Records an anti-money-laundering training certificate (needed only for annuities, which v1 does not sell: optional); sets Agent.amlTrainedOn. The agent themself or an ADMIN.',
  })
  async recordAmlTraining(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Arg('input', () => AmlTrainingInput, { description: 'The certificate.' }) input: AmlTrainingInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    agentIdArg(agentId);
    requireSelfOrAdmin(ctx, agentId);
    const problems = pastDayProblems('input.completedOn', input.completedOn, todayUtc());
    if ((input.provider?.length ?? 0) > 100)
      problems.push({ field: 'input.provider', message: 'input.provider takes at most 100 characters' });
    refuse(problems);
    await recordStep(ctx.db, {
      agentId,
      step: 'AML_TRAINING',
      actor: ctx.identity.sub,
      decide: () => ({
        status: 'COMPLETE',
        details: { completedOn: input.completedOn, provider: input.provider?.trim() || null },
        sealed: null,
        completedOn: input.completedOn,
      }),
      also: (tx) => setAgentAmlTrainedOn(tx, agentId, input.completedOn),
    });
    return reloaded(ctx, agentId);
  }

  @Mutation(() => Agent, {
    description:
      'Answers the background questions (sealed at rest). Any "yes" puts the step IN_REVIEW until an ADMIN approves it (approveBackgroundReview). The agent themself or an ADMIN.',
  })
  async answerBackgroundQuestions(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Arg('input', () => BackgroundAnswersInput, { description: 'The answers.' }) input: BackgroundAnswersInput,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    agentIdArg(agentId);
    requireSelfOrAdmin(ctx, agentId);
    refuse(backgroundProblems(input));
    const answers = {
      felony: input.felony,
      regulatoryAction: input.regulatoryAction,
      bankruptcy: input.bankruptcy,
      terminatedForCause: input.terminatedForCause,
      explanation: input.explanation?.trim() || null,
    };
    const sealed = sealStep(deps(ctx).vault, 'BACKGROUND_QUESTIONS', answers);
    await recordStep(ctx.db, {
      agentId,
      step: 'BACKGROUND_QUESTIONS',
      actor: ctx.identity.sub,
      decide: (previous) => ({ status: backgroundStatusAfterAnswers(previous?.status ?? null, anyYes(answers)), details: {}, sealed }),
    });
    return reloaded(ctx, agentId);
  }

  @Mutation(() => Agent, {
    description:
      'Approves background answers waiting for review: the step is COMPLETE (and the agent ACTIVE when it was the last step missing). ADMIN only.',
  })
  async approveBackgroundReview(
    @Arg('agentId', () => ID, { description: 'The agent (agt_...).' }) agentId: string,
    @Ctx() ctx: AgentsContext,
  ): Promise<AgentRow> {
    agentIdArg(agentId);
    requireRole(ctx.identity, ['ADMIN']);
    await approveBackground(ctx.db, agentId, ctx.identity.sub);
    return reloaded(ctx, agentId);
  }

  @Query(() => [OnboardingStageCount], {
    description: 'How many agents (not TERMINATED) are at each onboarding stage today (UTC), every stage listed. ADMIN only.',
  })
  async onboardingMetrics(@Ctx() ctx: AgentsContext): Promise<OnboardingStageCount[]> {
    requireRole(ctx.identity, ['ADMIN']);
    const required = requiredSteps();
    const counts = new Map(ONBOARDING_STAGES.map((stage) => [stage, 0]));
    for (const row of await stageSummaries(ctx.db, todayUtc(), required)) {
      const stage = onboardingStage(row, required.length);
      counts.set(stage, (counts.get(stage) ?? 0) + row.agents);
    }
    return ONBOARDING_STAGES.map((stage) => ({ stage, count: counts.get(stage) ?? 0 }));
  }
}
