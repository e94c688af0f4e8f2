import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { CaseStatus, RequirementCode, RequirementStatus } from '../../shared/enums';
import { DateScalar, DateTimeScalar } from '../../../platform/scalars';
import { Carrier } from '../carrier.type';

@ObjectType({ description: "A requirement as the carrier's system reports it." })
export class CarrierRequirement {
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
