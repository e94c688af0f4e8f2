import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../platform/scalars';
import { enumOf, PaymentMode, RiderType } from '../shared/enums';
import type { PaymentModeCode, RiderTypeCode } from '../shared/vocabulary';
import { CASE_CHANGE_KINDS, CASE_CHANGE_STATUSES, type CaseChangeKind, type CaseChangeStatus } from './domain/case-change';
import { BeneficiaryDesignation as BeneficiaryDesignationEnum, Relationship } from './application.type';
import type { BeneficiaryDesignation } from './domain/application';

export const CaseChangeKindEnum = enumOf(CASE_CHANGE_KINDS);
registerEnumType(CaseChangeKindEnum, {
  name: 'CaseChangeKind',
  description: 'What a case change changes.',
  valuesConfig: {
    FACE_AMOUNT: { description: 'The face amount.' },
    PRODUCT: { description: 'The product applied for.' },
    TERM: { description: 'The level term (TERM products).' },
    RIDERS: { description: 'The riders: the list given replaces the riders applied for.' },
    BENEFICIARIES: { description: 'The beneficiaries: the list given replaces them all.' },
    PAYMENT_MODE: { description: 'How often the premium is paid.' },
    OWNER: { description: 'The owner of the policy.' },
  },
});

export const CaseChangeStatusEnum = enumOf(CASE_CHANGE_STATUSES);
registerEnumType(CaseChangeStatusEnum, {
  name: 'CaseChangeStatus',
  description: 'Where a case change stands.',
  valuesConfig: {
    REQUESTED: { description: 'Recorded and queued for the carrier.' },
    SENT: { description: 'Handed to the carrier; its answer has not arrived yet (a resend carries the same reference).' },
    ACCEPTED: { description: 'The carrier took the change (amendmentRequired says whether the client must sign an amendment).' },
    REJECTED: { description: 'The carrier refused the change; carrierMessage says why.' },
  },
});

/** A row of cases.case_change as the resolvers use it (the personal parts stay sealed). */
export interface CaseChangeRow {
  id: string;
  caseId: string;
  kinds: CaseChangeKind[];
  status: CaseChangeStatus;
  requestedAt: string;
  requestedBy: string;
  carrierMessage: string | null;
  amendmentRequired: boolean | null;
}

@ObjectType({ description: 'A change to a pending case, sent to its carrier once.' })
export class CaseChange {
  @Field(() => ID, { description: 'Opaque id, prefixed chg_.' })
  id!: string;

  @Field(() => ID, { description: 'The case it changes.' })
  caseId!: string;

  @Field(() => [CaseChangeKindEnum], { description: 'What it changes.' })
  kinds!: CaseChangeKind[];

  @Field(() => CaseChangeStatusEnum, { description: 'Where it stands: requested, sent, accepted or rejected by the carrier.' })
  status!: CaseChangeStatus;

  @Field(() => DateTimeScalar, { description: 'When it was requested.' })
  requestedAt!: string;

  @Field(() => String, { description: 'Who requested it (a user id).' })
  requestedBy!: string;

  @Field(() => String, { nullable: true, description: "The carrier's message on its decision; null until it decides." })
  carrierMessage!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True when the carrier needs the client to sign an amendment (an AMENDMENT requirement is ordered); null until it decides.',
  })
  amendmentRequired!: boolean | null;
}

@InputType({ description: 'A beneficiary in a case change: the list given replaces every beneficiary (personal data).' })
export class CaseChangeBeneficiaryInput {
  @Field(() => BeneficiaryDesignationEnum, { description: 'PRIMARY or CONTINGENT.' })
  designation!: BeneficiaryDesignation;

  @Field(() => String, { description: 'Full name of the person, or name of the trust, estate or business (1 to 100 characters).' })
  fullName!: string;

  @Field(() => Relationship, { description: 'Relation to the insured (SELF is refused: the insured is not their own beneficiary).' })
  relationship!: string;

  @Field(() => Int, { description: 'Whole percent, 1 to 100; the primaries sum to 100, and the contingents too when there are any.' })
  sharePercent!: number;
}

@InputType({ description: 'A person as the new owner (personal data).' })
export class CaseChangeOwnerPersonInput {
  @Field(() => String, { description: 'Full name (1 to 100 characters).' })
  fullName!: string;

  @Field(() => Relationship, {
    description: 'Relation to the insured (insurable interest); a person, so not SELF, TRUST, ESTATE or BUSINESS.',
  })
  relationship!: string;
}

@InputType({ description: 'A trust or business as the new owner, identified by its TIN (personal data).' })
export class CaseChangeOwnerEntityInput {
  @Field(() => String, { description: 'Name of the trust or business (1 to 100 characters).' })
  name!: string;

  @Field(() => String, {
    description: 'Its taxpayer identification number (EIN): nine digits, with or without the dash, never starting 00.',
  })
  tin!: string;
}

@InputType({ description: 'The new owner: exactly one of person or entity.' })
export class CaseChangeOwnerInput {
  @Field(() => CaseChangeOwnerPersonInput, { nullable: true, description: 'A person.' })
  person?: CaseChangeOwnerPersonInput | null;

  @Field(() => CaseChangeOwnerEntityInput, { nullable: true, description: 'A trust or a business.' })
  entity?: CaseChangeOwnerEntityInput | null;
}

@InputType({ description: 'What to change on a pending case: at least one field besides reason.' })
export class CaseChangeInput {
  @Field(() => Int, { nullable: true, description: 'The new face amount in whole dollars (1 to 100,000,000).' })
  faceAmount?: number | null;

  @Field(() => ID, { nullable: true, description: "Another product of the case's carrier (prd_...)." })
  productId?: string | null;

  @Field(() => Int, { nullable: true, description: 'The new level term: 10, 15, 20, 25 or 30 years.' })
  termYears?: number | null;

  @Field(() => [RiderType], {
    nullable: true,
    description: 'The riders wanted: replaces the riders applied for (an empty list drops them all).',
  })
  riders?: RiderTypeCode[] | null;

  @Field(() => [CaseChangeBeneficiaryInput], { nullable: true, description: 'The beneficiaries: replaces them all.' })
  beneficiaries?: CaseChangeBeneficiaryInput[] | null;

  @Field(() => PaymentMode, { nullable: true, description: 'The new payment mode.' })
  paymentMode?: PaymentModeCode | null;

  @Field(() => CaseChangeOwnerInput, { nullable: true, description: 'The new owner.' })
  owner?: CaseChangeOwnerInput | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the client asks for it (up to 500 characters; kept sealed, as it may name people).',
  })
  reason?: string | null;
}
