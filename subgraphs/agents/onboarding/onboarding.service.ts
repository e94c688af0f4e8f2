import { todayUtc } from '../../../platform/dates';
import { failedPrecondition, notFound } from '../../../platform/errors';
import type { PersonalDataVault } from '../../../platform/personal-data';
import type { Db } from '../../shared/db';
import {
  EO_LAPSE_ACTOR,
  missingSteps,
  type OnboardingStepCode,
  statusAfterEoLapse,
  statusAfterStep,
  type StoredStepStatus,
  stepViews,
} from '../domain/onboarding';
import { appendAgentEvents, type NewAgentEvent } from '../events/agent-event.repository';
import {
  lastStatusChangeActor,
  lockAgent,
  lockStep,
  type OnboardingStepRow,
  setAgentStatus,
  setStepStatus,
  stepsByAgentIds,
  upsertStep,
} from './onboarding.repository';

/**
 * The vault's field for agents.onboarding_step.sealed (the authenticated data binding a sealed value
 * to its column; scripts/personal-data/rotate.ts lists it). The plaintext is the step's JSON.
 */
export const ONBOARDING_SEALED_FIELD = 'onboarding_step.sealed';

export function sealStep(vault: PersonalDataVault, step: OnboardingStepCode, value: Record<string, unknown>): string {
  return vault.seal(ONBOARDING_SEALED_FIELD, JSON.stringify({ step, ...value }));
}

export function openStep<T>(vault: PersonalDataVault, sealed: string): T {
  return JSON.parse(vault.open(ONBOARDING_SEALED_FIELD, sealed).plaintext) as T;
}

/** What a recording decides once it sees the step as stored before (null: never recorded). */
export interface StepDecision {
  status: StoredStepStatus;
  details: Record<string, unknown>;
  sealed: string | null;
  expiresOn?: string | null;
  /** The day the step was done when it is not now (a paper agreement signed earlier). */
  completedOn?: string;
}

/**
 * Records one step for an agent in one transaction, with its events: the step's row, then
 * ONBOARDING_STEP_COMPLETED (or ONBOARDING_STEP_REOPENED when a complete step goes back to review),
 * then, when every required step is complete, the agent's STATUS_CHANGED to ACTIVE. The agent's row
 * is locked first, so two steps recorded at once cannot both miss the activation.
 */
export async function recordStep(
  db: Db,
  input: {
    agentId: string;
    step: OnboardingStepCode;
    actor: string;
    decide: (previous: OnboardingStepRow | undefined) => StepDecision;
    /** More writes in the same transaction (the agent row's E&O or AML day). */
    also?: (tx: Db) => Promise<void>;
  },
): Promise<void> {
  await db.transaction(async (tx) => {
    const agent = await lockAgent(tx, input.agentId);
    if (!agent) throw notFound('agent');
    if (agent.status === 'TERMINATED') throw failedPrecondition('the agent is TERMINATED: onboarding is closed');
    const previous = await lockStep(tx, input.agentId, input.step);
    const decision = input.decide(previous);
    const now = new Date().toISOString();
    const completedAt = decision.status === 'COMPLETE' ? (decision.completedOn ? `${decision.completedOn}T00:00:00.000Z` : now) : null;
    await upsertStep(tx, {
      agentId: input.agentId,
      step: input.step,
      status: decision.status,
      completedAt,
      recordedBy: input.actor,
      details: decision.details,
      sealed: decision.sealed,
      expiresOn: decision.expiresOn ?? null,
    });
    await input.also?.(tx);
    const events: NewAgentEvent[] = [];
    if (decision.status === 'COMPLETE') {
      events.push({ agentId: input.agentId, type: 'ONBOARDING_STEP_COMPLETED', actor: input.actor, note: input.step });
    } else if (decision.status === 'IN_REVIEW' && previous?.status === 'COMPLETE') {
      events.push({
        agentId: input.agentId,
        type: 'ONBOARDING_STEP_REOPENED',
        actor: input.actor,
        note: `${input.step}: needs staff review`,
      });
    }
    events.push(...(await activationEvents(tx, agent, input.actor)));
    await appendAgentEvents(tx, events);
  });
}

/**
 * An ADMIN's approval of background answers in review: COMPLETE, its event, and the activation
 * when it was the last step missing. FAILED_PRECONDITION when nothing waits for review.
 */
export async function approveBackground(db: Db, agentId: string, actor: string): Promise<void> {
  await db.transaction(async (tx) => {
    const agent = await lockAgent(tx, agentId);
    if (!agent) throw notFound('agent');
    const step = await lockStep(tx, agentId, 'BACKGROUND_QUESTIONS');
    if (step?.status !== 'IN_REVIEW') throw failedPrecondition('the background questions are not waiting for review');
    await setStepStatus(tx, agentId, 'BACKGROUND_QUESTIONS', 'COMPLETE', new Date().toISOString());
    const events: NewAgentEvent[] = [
      { agentId, type: 'ONBOARDING_STEP_COMPLETED', actor, note: 'BACKGROUND_QUESTIONS: approved after review' },
    ];
    events.push(...(await activationEvents(tx, agent, actor)));
    await appendAgentEvents(tx, events);
  });
}

/** The STATUS_CHANGED event (and the status write) when the agent's steps are now all complete; none otherwise. */
async function activationEvents(tx: Db, agent: { id: string; status: string }, actor: string): Promise<NewAgentEvent[]> {
  const steps = await stepsByAgentIds(tx, [agent.id]);
  const complete = missingSteps(stepViews(steps, todayUtc())).length === 0;
  const suspendedForEoLapse = agent.status === 'SUSPENDED' && (await lastStatusChangeActor(tx, agent.id)) === EO_LAPSE_ACTOR;
  const next = statusAfterStep({ status: agent.status, suspendedForEoLapse }, complete);
  if (!next) return [];
  await setAgentStatus(tx, agent.id, next);
  const note = agent.status === 'PENDING' ? 'every required onboarding step complete' : 'E&O coverage on file again';
  return [{ agentId: agent.id, type: 'STATUS_CHANGED', actor, fromStatus: agent.status, toStatus: next, note }];
}

/**
 * The E&O lapse for one agent (the lapse job's work, one transaction): the step EXPIRED with
 * ONBOARDING_STEP_REOPENED, and an ACTIVE agent SUSPENDED with STATUS_CHANGED. Re-checked under
 * the locks: coverage recorded again since the claim is left alone. True when it lapsed.
 */
export async function lapseEoCoverage(db: Db, agentId: string, today: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const agent = await lockAgent(tx, agentId);
    const step = await lockStep(tx, agentId, 'EO_COVERAGE');
    if (!agent || step?.status !== 'COMPLETE' || !step.expiresOn || step.expiresOn >= today) return false;
    await setStepStatus(tx, agentId, 'EO_COVERAGE', 'EXPIRED', null);
    const events: NewAgentEvent[] = [
      { agentId, type: 'ONBOARDING_STEP_REOPENED', actor: EO_LAPSE_ACTOR, note: 'EO_COVERAGE: coverage expired' },
    ];
    const next = statusAfterEoLapse(agent.status);
    if (next) {
      await setAgentStatus(tx, agentId, next);
      events.push({
        agentId,
        type: 'STATUS_CHANGED',
        actor: EO_LAPSE_ACTOR,
        fromStatus: agent.status,
        toStatus: next,
        note: 'E&O coverage lapsed',
      });
    }
    await appendAgentEvents(tx, events);
    return true;
  });
}

/** The events' actor when the provider's webhook completes the agreement. */
export const ESIGN_ACTOR = 'system:esign';

/**
 * The provider says the agreement's envelope is signed (its verified webhook): the step COMPLETE at
 * the signing time, ONBOARDING_STEP_COMPLETED, and the activation when it was the last step, in one
 * transaction. A redelivery, or an envelope the step no longer waits for, changes nothing: false.
 */
export async function completeAgreementSignature(db: Db, envelopeId: string, signedAt: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const found = await tx.one<{ agentId: string }>(
      `SELECT agent_id AS "agentId" FROM agents.onboarding_step WHERE step = 'BGA_AGREEMENT' AND details ->> 'envelopeId' = $1`,
      [envelopeId],
    );
    if (!found) return false;
    const agent = await lockAgent(tx, found.agentId);
    const step = await lockStep(tx, found.agentId, 'BGA_AGREEMENT');
    if (!agent || step?.status !== 'AWAITING_SIGNATURE' || step.details.envelopeId !== envelopeId) return false;
    await setStepStatus(tx, found.agentId, 'BGA_AGREEMENT', 'COMPLETE', signedAt);
    const events: NewAgentEvent[] = [
      { agentId: found.agentId, type: 'ONBOARDING_STEP_COMPLETED', actor: ESIGN_ACTOR, note: 'BGA_AGREEMENT: signed electronically' },
    ];
    events.push(...(await activationEvents(tx, agent, ESIGN_ACTOR)));
    await appendAgentEvents(tx, events);
    return true;
  });
}

/**
 * The provider says the agreement's envelope was declined or expired: the step waiting on it is
 * removed (NOT_STARTED again), so the next requestBgaAgreementSignature sends a new envelope. An
 * envelope the step no longer waits for changes nothing: false.
 */
export async function abandonAgreementSignature(db: Db, envelopeId: string): Promise<boolean> {
  const removed = await db.query<{ agentId: string }>(
    `DELETE FROM agents.onboarding_step WHERE step = 'BGA_AGREEMENT' AND status = 'AWAITING_SIGNATURE' AND details ->> 'envelopeId' = $1
     RETURNING agent_id AS "agentId"`,
    [envelopeId],
  );
  return removed.length > 0;
}
