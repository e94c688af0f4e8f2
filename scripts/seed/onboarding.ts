/**
 * Demo onboarding: every seeded ACTIVE agent (and agency) has its contracting packet on file, so
 * Agent.onboarding agrees with its standing; a few PENDING agents are part-way through, so the
 * onboarding metrics show every stage. Personal data (TIN, bank account, background answers) is
 * sealed with the same vault and field as the agents subgraph (fake numbers, never real ones).
 *
 * An ACTIVE agent whose seeded E&O is expired or missing gets every step but EO_COVERAGE: the
 * lapse job watches coverage recorded through onboarding, so the demo data is left as generated
 * and shows such agents with E&O missing (docs/domain.md, "Onboarding to ACTIVE").
 */
import type pg from 'pg';
import { PersonalDataVault } from '../../platform/personal-data';
import type { OnboardingStepCode } from '../../subgraphs/agents/domain/onboarding';
import { sealStep } from '../../subgraphs/agents/onboarding/onboarding.service';
import type { SeedAgent } from './world';

const EO_CARRIERS = ['Markel', 'Lloyd\u2019s Syndicate 2623', 'CNA', 'Hanover', 'Great American'];
const DAY_MS = 86_400_000;

interface StepRow {
  agentId: string;
  step: OnboardingStepCode;
  completedAt: string;
  details: Record<string, unknown>;
  sealed: string | null;
  expiresOn: string | null;
}

export async function seedOnboarding(client: pg.PoolClient, agents: readonly SeedAgent[], anchor: string): Promise<number> {
  const vault = PersonalDataVault.fromEnv();
  const anchorMs = Date.parse(`${anchor}T00:00:00.000Z`);
  const rows: StepRow[] = [];
  agents.forEach((agent, index) => {
    const pendingSteps = agent.status === 'PENDING' ? index % 4 : 0; // 0 to 3 steps done
    if (agent.status !== 'ACTIVE' && pendingSteps === 0) return;
    const completedAt = new Date(anchorMs - (60 + (index % 300)) * DAY_MS).toISOString();
    const add = (
      step: OnboardingStepCode,
      details: Record<string, unknown>,
      sealed: string | null = null,
      expiresOn: string | null = null,
    ) => rows.push({ agentId: agent.id, step, completedAt, details, sealed, expiresOn });
    const steps: (() => void)[] = [
      () => add('BGA_AGREEMENT', { agreementVersion: '2026-01', method: 'ESIGN', envelopeId: `env_seed_${agent.id}` }),
      () =>
        add(
          'W9',
          { taxClassification: index % 5 === 0 ? 'LLC' : 'INDIVIDUAL' },
          sealStep(vault, 'W9', { tin: String(900_000_000 + index), legalName: `${agent.firstName} ${agent.lastName}` }),
        ),
      () =>
        add(
          'DIRECT_DEPOSIT',
          { accountType: 'CHECKING' },
          sealStep(vault, 'DIRECT_DEPOSIT', {
            routingNumber: '021000021',
            accountNumber: String(4_000_000_000 + index * 7919),
            accountType: 'CHECKING',
          }),
        ),
      () =>
        add(
          'BACKGROUND_QUESTIONS',
          {},
          sealStep(vault, 'BACKGROUND_QUESTIONS', {
            felony: false,
            regulatoryAction: false,
            bankruptcy: false,
            terminatedForCause: false,
            explanation: null,
          }),
        ),
    ];
    if (agent.status === 'PENDING') {
      for (const step of steps.slice(0, pendingSteps)) step();
      return;
    }
    for (const step of steps) step();
    if (agent.eoExpiresOn && agent.eoExpiresOn >= anchor) {
      add(
        'EO_COVERAGE',
        {
          carrierName: EO_CARRIERS[index % EO_CARRIERS.length],
          policyNumber: `EO-${agent.npn}`,
          perClaimLimit: index % 3 === 0 ? 2_000_000 : 1_000_000,
          expiresOn: agent.eoExpiresOn,
        },
        null,
        agent.eoExpiresOn,
      );
    }
    if (agent.amlTrainedOn) add('AML_TRAINING', { completedOn: agent.amlTrainedOn, provider: 'LIMRA' });
  });
  const perChunk = 5_000;
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    await client.query(
      `INSERT INTO agents.onboarding_step (agent_id, step, status, completed_at, recorded_by, details, sealed, expires_on)
       SELECT agent_id, step, 'COMPLETE', completed_at, 'seed', details, sealed, expires_on
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::jsonb[], $5::text[], $6::date[])
         AS r(agent_id, step, completed_at, details, sealed, expires_on)`,
      [
        chunk.map((r) => r.agentId),
        chunk.map((r) => r.step),
        chunk.map((r) => r.completedAt),
        chunk.map((r) => JSON.stringify(r.details)),
        chunk.map((r) => r.sealed),
        chunk.map((r) => r.expiresOn),
      ],
    );
  }
  return rows.length;
}
