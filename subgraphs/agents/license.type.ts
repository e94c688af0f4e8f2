import { Field, InputType, ObjectType } from 'type-graphql';
import { DateScalar } from '../../platform/scalars';
import { enumOf, LineOfAuthority, register, State } from '../shared/enums';

export const LicenseSource = register(
  enumOf(['BGA', 'PRODUCER_DATABASE'] as const),
  'LicenseSource',
  'Where a license on file came from.',
  {
    BGA: 'Typed in by the BGA (addLicense or the seed).',
    PRODUCER_DATABASE: 'Brought or last corrected by the sync with the national producer database, the source of truth for licenses.',
  },
);
export type LicenseSource = keyof typeof LicenseSource;

@ObjectType({ description: 'A state insurance license held by an agent.' })
export class License {
  @Field(() => State, { description: 'The licensing state.' })
  state!: string;

  @Field(() => String, { description: "The state's license number." })
  number!: string;

  @Field(() => Boolean, { description: 'True for the home-state (resident) license; false for a non-resident license.' })
  resident!: boolean;

  @Field(() => [LineOfAuthority], { description: 'Lines of business the license authorizes.' })
  linesOfAuthority!: LineOfAuthority[];

  @Field(() => DateScalar, { description: 'First day the license is valid.' })
  effectiveOn!: string;

  @Field(() => DateScalar, { description: 'Last day the license is valid.' })
  expiresOn!: string;

  @Field(() => Boolean, { description: 'Effective, not expired and not revoked today (UTC).' })
  active!: boolean;

  @Field(() => LicenseSource, { description: 'Typed in by the BGA, or brought or corrected by the producer-database sync.' })
  source!: LicenseSource;

  revoked!: boolean;
  agentId!: string;
}

@InputType({ description: 'A state license to record for an agent.' })
export class LicenseInput {
  @Field(() => State, { description: 'The licensing state.' })
  state!: string;

  @Field(() => String, { description: "The state's license number." })
  number!: string;

  @Field(() => Boolean, { description: 'True for the home-state license.' })
  resident!: boolean;

  @Field(() => [LineOfAuthority], { description: 'Lines of authority granted.' })
  linesOfAuthority!: LineOfAuthority[];

  @Field(() => DateScalar, { description: 'First valid day.' })
  effectiveOn!: string;

  @Field(() => DateScalar, { description: 'Last valid day (on or after effectiveOn).' })
  expiresOn!: string;
}
