import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { CaseStatus, HealthClass, RequirementCode, RequirementStatus, enumOf, register } from '../../shared/enums';
import { DateScalar, DateTimeScalar, MoneyScalar } from '../../../platform/scalars';
import { CARRIER_STATUS_QUALIFIERS, type CarrierStatusQualifier as QualifierCode } from '../adapters/carrier-adapter.port';
import { Carrier } from '../carrier.type';

export const CarrierStatusQualifier = register(
  enumOf(CARRIER_STATUS_QUALIFIERS),
  'CarrierStatusQualifier',
  "What a carrier's status code says beyond our case status (the ACORD PolicyStatus codes of docs/domain.md, or a protocol's own equivalents).",
  {
    PROPOSED: 'Proposed, not yet submitted (ACORD 12): no change to the case.',
    PENDING_TRANSMISSION: 'Pending transmission to the carrier (ACORD 22): submitted.',
    CONDITIONAL_APPROVAL: 'Approved on conditions (ACORD 53): the conditions are requirements.',
    TENTATIVE_OFFER: 'Approved as a tentative offer (ACORD 58).',
    ISSUE_HOLD: 'Approved, with the issue on hold (ACORD 103): statusNote says why.',
    COUNTER_OFFER: 'Approved other than applied (ACORD 26): approvedTerms carries the class, table, flat extra and amount.',
    NON_MATERIAL_CHANGES: 'Issued with non-material changes (ACORD 43).',
    NOT_ELIGIBLE: 'Declined as not eligible (ACORD 35).',
    HOME_OFFICE_WITHDREW: 'Withdrawn by the home office (ACORD 59).',
    CUSTOMER_CANCELLED: 'The customer cancelled the application (ACORD 39): withdrawn.',
    FURTHER_INFORMATION_UNOBTAINABLE: 'Closed because further information is unobtainable (ACORD 98): incomplete.',
    RECONSIDERED: 'Reconsidered and approved (ACORD 97): reopens an incomplete case as approved.',
    NOT_PLACED: 'Not placed (ACORD 51): not taken.',
    FREE_LOOK: 'Cancelled in the free-look period after placement (ACORD 50): not taken, no longer counted placed.',
  },
);

@ObjectType({ description: 'The terms a carrier approved: the class, table, flat extra and face amount it will issue.' })
export class CarrierApprovedTerms {
  @Field(() => HealthClass, { nullable: true, description: 'The approved class; null when rated (the table says it) or not named.' })
  healthClass!: HealthClass | null;

  @Field(() => Int, { description: 'The approved table rating, 0 = none (each table adds 25% to the Standard premium).' })
  tableRating!: number;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'A flat extra in dollars per $1,000 of face a year, charged for flatExtraYears; null when none.',
  })
  flatExtraPerThousand!: string | null;

  @Field(() => Int, { nullable: true, description: 'How many years the flat extra is charged; null when none.' })
  flatExtraYears!: number | null;

  @Field(() => Int, { nullable: true, description: 'The approved face amount in whole dollars; null when the amount applied for stands.' })
  faceAmount!: number | null;
}

@ObjectType({ description: "A requirement as the carrier's system reports it." })
export class CarrierRequirement {
  @Field(() => String, {
    nullable: true,
    description: "The carrier's own id for the requirement (stable across reports); null when the carrier names none.",
  })
  carrierRequirementId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Our requirement (req_...) when the carrier knows it: from the application, or from the vendor that sent the results.',
  })
  reference!: string | null;

  @Field(() => String, { nullable: true, description: "The carrier's words for the requirement (what a code we do not know asks for)." })
  description!: string | null;

  @Field(() => RequirementCode, { nullable: true, description: "Our requirement code; null when the carrier's code maps to none of ours." })
  code!: RequirementCode | null;

  @Field(() => String, { description: "The carrier's own requirement code." })
  carrierCode!: string;

  @Field(() => RequirementStatus, {
    nullable: true,
    description: 'Where the requirement stands at the carrier; null when its status maps to none of ours.',
  })
  status!: RequirementStatus | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the carrier requested it.' })
  requestedOn!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day the carrier recorded it as fulfilled.' })
  fulfilledOn!: string | null;
}

/** What Case.carrierStatus resolves to. */
export interface CarrierCaseStatusView {
  status: CaseStatus | null;
  carrierStatusCode: string;
  qualifier: QualifierCode | null;
  statusNote: string | null;
  approvedTerms: CarrierApprovedTerms | null;
  requirements: CarrierRequirement[];
  asOf: string;
  cached: boolean;
}

@ObjectType({ description: "A case as the carrier's system sees it right now (or within the last minute)." })
export class CarrierCaseStatus implements CarrierCaseStatusView {
  @Field(() => CaseStatus, {
    nullable: true,
    description: "Our status for the carrier's code; null when the carrier's code maps to none of ours.",
  })
  status!: CaseStatus | null;

  @Field(() => String, { description: "The carrier's own status code (an ACORD PolicyStatus tc, for ACORD carriers)." })
  carrierStatusCode!: string;

  @Field(() => CarrierStatusQualifier, {
    nullable: true,
    description:
      "What the carrier's code says beyond the status (a conditional approval, an issue hold, a free-look cancellation...); null for a plain status.",
  })
  qualifier!: QualifierCode | null;

  @Field(() => String, {
    nullable: true,
    description:
      "The carrier's note on the status in words: why the issue is held, the conditions, the non-material changes; null when none.",
  })
  statusNote!: string | null;

  @Field(() => CarrierApprovedTerms, {
    nullable: true,
    description: 'The terms the carrier approved, when it states them (a counter offer always does); null before approval.',
  })
  approvedTerms!: CarrierApprovedTerms | null;

  @Field(() => [CarrierRequirement], { description: 'The requirements the carrier lists for the case.' })
  requirements!: CarrierRequirement[];

  @Field(() => DateTimeScalar, { description: 'When the carrier gave this answer.' })
  asOf!: string;

  @Field(() => Boolean, {
    description: 'True when served from the cache (answers are kept about a minute) rather than asked of the carrier now.',
  })
  cached!: boolean;
}

/** The representation the router sends for Case.carrierStatus: the key plus the @requires fields. */
export interface CaseRepresentation {
  id: string;
  carrier?: { id: string } | null;
  carrierReference?: string | null;
}

/**
 * Case belongs to the cases subgraph; this subgraph adds `carrierStatus`, live from the carrier,
 * which needs the case's carrier id and the carrier's reference (@requires).
 */
@ObjectType({ description: 'A new-business case: an application placed with a carrier through the BGA.' })
@Directive('@key(fields: "id")')
export class Case implements CaseRepresentation {
  @Field(() => ID, { description: 'Opaque id, prefixed case_.' })
  id!: string;

  @Directive('@external')
  @Field(() => Carrier, { nullable: true, description: 'The carrier the case is placed with.' })
  carrier?: { id: string } | null;

  @Directive('@external')
  @Field(() => String, { nullable: true, description: "The carrier's id for the application, set once it accepts it." })
  carrierReference?: string | null;

  @Directive('@requires(fields: "carrier { id } carrierReference")')
  @Field(() => CarrierCaseStatus, {
    nullable: true,
    description:
      "Live from the carrier's system, batched per carrier and cached about a minute; null until the carrier has accepted the application.",
  })
  carrierStatus?: CarrierCaseStatusView | null;
}
