import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { EligibilityReason as EligibilityReasonCode } from './domain/eligibility';

export const EligibilityReason = {
  AGENT_NOT_ACTIVE: 'AGENT_NOT_ACTIVE',
  NOT_LICENSED_IN_STATE: 'NOT_LICENSED_IN_STATE',
  LICENSE_EXPIRED: 'LICENSE_EXPIRED',
  NO_LIFE_AUTHORITY: 'NO_LIFE_AUTHORITY',
  NOT_APPOINTED: 'NOT_APPOINTED',
  EO_EXPIRED: 'EO_EXPIRED',
  APPOINTMENT_REJECTED: 'APPOINTMENT_REJECTED',
} as const satisfies Record<EligibilityReasonCode, EligibilityReasonCode>;
registerEnumType(EligibilityReason, {
  name: 'EligibilityReason',
  description: "Why an agent may not write a carrier's business in a state.",
  valuesConfig: {
    AGENT_NOT_ACTIVE: { description: 'The agent is not ACTIVE with the BGA.' },
    NOT_LICENSED_IN_STATE: { description: 'No license in the state (resident in the home state, non-resident elsewhere).' },
    LICENSE_EXPIRED: { description: 'The license in the state is expired, revoked or not yet effective.' },
    NO_LIFE_AUTHORITY: { description: 'The active license lacks the LIFE line of authority.' },
    NOT_APPOINTED: { description: 'Pre-appointment state and no ACTIVE appointment with the carrier.' },
    EO_EXPIRED: { description: 'Errors-and-omissions coverage missing or expired.' },
    APPOINTMENT_REJECTED: {
      description:
        'Just-in-time state: the carrier rejected the last appointment request and none has been requested since (requestAppointment asks again).',
    },
  },
});

@ObjectType({ description: "Whether an agent may write a carrier's business for an insured in a state today." })
export class Eligibility {
  @Field(() => Boolean, { description: 'True when every licensing and contracting rule is met.' })
  eligible!: boolean;

  @Field(() => [EligibilityReason], { description: 'Every rule not met; empty when eligible.' })
  reasons!: EligibilityReasonCode[];

  @Field(() => Boolean, {
    description:
      'True in a just-in-time state with no active or requested appointment: eligible, and submitting a case requests the appointment.',
  })
  appointmentWillBeRequested!: boolean;
}
