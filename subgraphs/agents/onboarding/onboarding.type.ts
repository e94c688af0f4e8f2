import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../../platform/scalars';
import { enumOf, register } from '../../shared/enums';
import {
  ONBOARDING_STAGES,
  ONBOARDING_STEP_STATUSES,
  ONBOARDING_STEPS,
  type OnboardingStageCode,
  type OnboardingStepCode,
  type OnboardingStepStatusCode,
} from '../domain/onboarding';

export const OnboardingStep = register(
  enumOf(ONBOARDING_STEPS),
  'OnboardingStep',
  'A step of the contracting packet an agent completes before writing business.',
  {
    BGA_AGREEMENT: 'The BGA agreement, signed by the agent.',
    W9: "The agent's W-9 (taxpayer identification number, kept sealed).",
    DIRECT_DEPOSIT: 'The bank account commissions are paid to (kept sealed; only its last 4 digits are ever shown).',
    EO_COVERAGE: "Errors-and-omissions coverage on file: carrier, policy number, per-claim limit at least the BGA's minimum, not expired.",
    AML_TRAINING:
      'Anti-money-laundering training certificate: needed only for annuity products, which v1 does not sell (so never required yet).',
    BACKGROUND_QUESTIONS: 'Felonies, regulatory actions, bankruptcies, terminations for cause: any "yes" needs staff review.',
  },
);
export type OnboardingStep = OnboardingStepCode;

export const OnboardingStepStatus = register(
  enumOf(ONBOARDING_STEP_STATUSES),
  'OnboardingStepStatus',
  'Where one onboarding step stands.',
  {
    NOT_STARTED: 'Nothing recorded yet (a required step).',
    AWAITING_SIGNATURE: 'Sent to the agent for e-signature (requestBgaAgreementSignature), not signed yet.',
    IN_REVIEW: 'Recorded, waiting for staff review (a "yes" to a background question) until an ADMIN approves it.',
    COMPLETE: 'Done.',
    EXPIRED: 'Was complete but has lapsed (E&O coverage past its last day): record it again.',
    NOT_REQUIRED: 'Optional for this agent and not recorded (AML training while no annuities are sold).',
  },
);

export const OnboardingStage = register(enumOf(ONBOARDING_STAGES), 'OnboardingStage', "Where an agent's onboarding stands as a whole.", {
  NOT_STARTED: 'No step recorded yet.',
  IN_PROGRESS: 'Some required steps recorded, others missing.',
  IN_REVIEW: 'Waiting for staff to review the background answers.',
  COMPLETE: 'Every required step complete.',
  LAPSED: 'A required step has lapsed (E&O coverage expired): the agent is suspended until it is recorded again.',
});

@ObjectType({ description: "One step of an agent's onboarding and where it stands." })
export class OnboardingStepProgress {
  @Field(() => OnboardingStep, { description: 'The step.' })
  step!: OnboardingStepCode;

  @Field(() => OnboardingStepStatus, { description: 'Where it stands today (UTC).' })
  status!: OnboardingStepStatusCode;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was completed (or last completed); null when never.' })
  completedAt!: string | null;
}

@ObjectType({ description: 'The errors-and-omissions coverage on file (not personal data).' })
export class EoCoverage {
  @Field(() => String, { description: 'The insurer of the coverage.' })
  carrierName!: string;

  @Field(() => String, { description: 'The policy number.' })
  policyNumber!: string;

  @Field(() => Int, { description: 'The limit per claim, in whole US dollars.' })
  perClaimLimit!: number;

  @Field(() => DateScalar, { description: 'Last day of coverage.' })
  expiresOn!: string;
}

@ObjectType({ description: "An agent's contracting packet: each step's status and what is still missing before the agent can be ACTIVE." })
export class Onboarding {
  @Field(() => [OnboardingStepProgress], { description: 'Every step of the packet, in order, required or not.' })
  steps!: OnboardingStepProgress[];

  @Field(() => [OnboardingStep], { description: 'The required steps not yet complete (empty when the agent may be ACTIVE).' })
  missing!: OnboardingStepCode[];

  @Field(() => OnboardingStage, { description: 'Where the onboarding stands as a whole.' })
  stage!: OnboardingStageCode;

  @Field(() => EoCoverage, { nullable: true, description: 'The E&O coverage last recorded; null when none.' })
  eoCoverage!: EoCoverage | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The direct-deposit account masked to its last 4 digits (****1234); shown only to ADMIN and the agent themself, null to anyone else or when none is on file.',
  })
  directDepositAccountMasked!: string | null;
}

@ObjectType({ description: 'How many agents are at one onboarding stage.' })
export class OnboardingStageCount {
  @Field(() => OnboardingStage, { description: 'The stage.' })
  stage!: OnboardingStageCode;

  @Field(() => Int, { description: 'Agents (not TERMINATED) at this stage.' })
  count!: number;
}

@InputType({ description: 'A copy of the BGA agreement signed on paper, recorded by an ADMIN.' })
export class BgaAgreementInput {
  @Field(() => String, { description: 'The version of the agreement signed, as printed on it (e.g. "2026-01").' })
  agreementVersion!: string;

  @Field(() => DateScalar, { description: 'The day it was signed: not in the future.' })
  signedOn!: string;
}

@ObjectType({ description: 'The BGA agreement sent to the agent for e-signature.' })
export class BgaAgreementSignatureRequest {
  @Field(() => String, { description: "The provider's envelope id." })
  envelopeId!: string;

  @Field(() => String, { description: "The agent's signing link: a secret, for the agent only." })
  signingUrl!: string;

  @Field(() => String, { description: 'The version of the agreement sent.' })
  agreementVersion!: string;
}

export const TaxClassification = register(
  enumOf(['INDIVIDUAL', 'SOLE_PROPRIETOR', 'LLC', 'S_CORPORATION', 'C_CORPORATION', 'PARTNERSHIP'] as const),
  'TaxClassification',
  'The federal tax classification on a W-9.',
  {
    INDIVIDUAL: 'Individual.',
    SOLE_PROPRIETOR: 'Sole proprietor or single-member LLC.',
    LLC: 'Limited liability company.',
    S_CORPORATION: 'S corporation.',
    C_CORPORATION: 'C corporation.',
    PARTNERSHIP: 'Partnership.',
  },
);

@InputType({ description: "The agent's W-9." })
export class W9Input {
  @Field(() => String, {
    description: 'Taxpayer identification number (SSN or EIN): 9 digits, dashes allowed. Sealed at rest, never shown.',
  })
  tin!: string;

  @Field(() => String, { description: 'The name on the tax return, 1 to 200 characters.' })
  legalName!: string;

  @Field(() => TaxClassification, { description: 'The federal tax classification.' })
  taxClassification!: string;
}

export const BankAccountType = register(enumOf(['CHECKING', 'SAVINGS'] as const), 'BankAccountType', 'The kind of bank account.', {
  CHECKING: 'Checking account.',
  SAVINGS: 'Savings account.',
});

@InputType({ description: 'The bank account commissions are paid to. Sealed at rest; only the last 4 digits are ever shown.' })
export class DirectDepositInput {
  @Field(() => String, { description: 'ABA routing number: 9 digits with a valid check digit.' })
  routingNumber!: string;

  @Field(() => String, { description: 'Account number: 4 to 17 digits.' })
  accountNumber!: string;

  @Field(() => BankAccountType, { description: 'Checking or savings.' })
  accountType!: string;
}

@InputType({ description: 'Errors-and-omissions coverage.' })
export class EoCoverageInput {
  @Field(() => String, { description: 'The insurer of the coverage, 1 to 100 characters.' })
  carrierName!: string;

  @Field(() => String, { description: 'The policy number: 1 to 40 letters, digits or dashes.' })
  policyNumber!: string;

  @Field(() => Int, {
    description:
      "The limit per claim in whole US dollars: at least the BGA's minimum (ONBOARDING_EO_MINIMUM_PER_CLAIM, $1,000,000 by default).",
  })
  perClaimLimit!: number;

  @Field(() => DateScalar, { description: 'Last day of coverage: today or later.' })
  expiresOn!: string;
}

@InputType({ description: 'An anti-money-laundering training certificate.' })
export class AmlTrainingInput {
  @Field(() => DateScalar, { description: 'The day on the certificate: not in the future.' })
  completedOn!: string;

  @Field(() => String, { nullable: true, description: 'Who gave the training, up to 100 characters.' })
  provider?: string;
}

@InputType({ description: 'The background questions. Sealed at rest; any "yes" needs staff review.' })
export class BackgroundAnswersInput {
  @Field(() => Boolean, { description: 'Ever convicted of, or pleaded guilty to, a felony?' })
  felony!: boolean;

  @Field(() => Boolean, { description: 'Ever the subject of a regulatory action (a license suspended, revoked or fined)?' })
  regulatoryAction!: boolean;

  @Field(() => Boolean, { description: 'A personal or business bankruptcy in the last 10 years?' })
  bankruptcy!: boolean;

  @Field(() => Boolean, { description: 'Ever terminated for cause by a carrier, agency or employer?' })
  terminatedForCause!: boolean;

  @Field(() => String, { nullable: true, description: 'Required when any answer is yes: what happened, up to 2000 characters.' })
  explanation?: string;
}
