import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { RequirementCode } from '../shared/enums';
import { PageInfo } from '../shared/pagination';
import type { VendorCode } from './domain/requirement-vendors';
import { Requirement } from './requirement.type';
import { RequirementVendorCode } from './requirement-vendor.type';

@InputType({ description: 'Which outstanding requirements the worklist shows. Every condition given must hold.' })
export class RequirementWorklistFilter {
  @Field(() => Boolean, { nullable: true, description: 'true: only overdue (or escalated) requirements; false: only those not overdue.' })
  overdue?: boolean;

  @Field(() => RequirementCode, { nullable: true, description: 'Only requirements of this code.' })
  code?: RequirementCode;

  @Field(() => RequirementVendorCode, { nullable: true, description: 'Only requirements ordered from this vendor.' })
  vendor?: VendorCode;

  @Field(() => ID, { nullable: true, description: "Only requirements of this case manager's cases (their staff user id)." })
  caseManager?: string;
}

@ObjectType({ description: 'One requirement of a page.' })
export class RequirementEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => Requirement, { description: 'The requirement.' })
  node!: Requirement;
}

@ObjectType({ description: 'A page of requirements (Relay connection).' })
export class RequirementConnection {
  @Field(() => [RequirementEdge], { description: 'The requirements of this page, most urgent first.' })
  edges!: RequirementEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits in the list.' })
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Requirements matching the filter over all pages (computed only when selected).' })
  totalCount!: number;
}
