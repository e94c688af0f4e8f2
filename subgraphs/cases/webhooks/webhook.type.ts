import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../../platform/scalars';
import { PageInfo } from '../../shared/pagination';
import { type CaseEventType, CaseEventType as CaseEventTypeEnum } from '../case-event.type';

export const WebhookDeliveryStatus = { DELIVERED: 'DELIVERED', FAILED: 'FAILED', DEAD_LETTERED: 'DEAD_LETTERED' } as const;
export type WebhookDeliveryStatus = keyof typeof WebhookDeliveryStatus;
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  description: 'How one delivery attempt of a webhook ended.',
  valuesConfig: {
    DELIVERED: { description: 'The receiver answered 2xx: the event is delivered and the subscriber moves on to its next event.' },
    FAILED: { description: 'No 2xx (an error status, a timeout, a refused connection): the event is attempted again after a backoff.' },
    DEAD_LETTERED: {
      description:
        'The last attempt failed and the event ran out of attempts or time (WEBHOOK_MAX_ATTEMPTS, WEBHOOK_DEAD_LETTER_AFTER_S): it is given up and the subscriber moves on.',
    },
  },
});

/** A subscriber as the table keeps it (the secret stays sealed and is read only by the worker). */
export interface WebhookSubscriberRow {
  id: string;
  url: string;
  description: string | null;
  eventTypes: CaseEventType[];
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  lastEventId: number | null;
  headEventId: number | null;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
}

export interface WebhookDeliveryRow {
  id: number;
  subscriberId: string;
  eventId: number;
  attempt: number;
  status: WebhookDeliveryStatus;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: string;
}

@ObjectType({
  description:
    'A partner system that receives case and requirement events by signed POST (ADMIN-managed). Its secret is shown once, when it is created or rotated.',
})
export class WebhookSubscriber {
  @Field(() => ID, { description: 'The subscriber id (whk_...).' })
  id!: string;

  @Field(() => String, { description: 'Where events are POSTed.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'What the subscriber is, for the admins.' })
  description!: string | null;

  @Field(() => [CaseEventTypeEnum], { description: 'The event types it receives; empty means every type.' })
  eventTypes!: CaseEventType[];

  @Field(() => Boolean, { description: 'False while paused: events wait (nothing is skipped) until it is active again.' })
  active!: boolean;

  @Field(() => DateTimeScalar, { description: 'When it was created.' })
  createdAt!: string;

  @Field(() => DateTimeScalar, { description: 'When it was last changed (URL, types, secret, state).' })
  updatedAt!: string;

  @Field(() => ID, { nullable: true, description: 'The last event delivered (or dead-lettered); null before the first.' })
  lastEventId!: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The event in flight or waiting for its next attempt; null when the subscriber is caught up.',
  })
  pendingEventId!: string | null;

  @Field(() => Int, { description: 'Attempts at the pending event so far (0 when none is pending).' })
  pendingAttempts!: number;

  @Field(() => String, {
    nullable: true,
    description: "The last failed attempt's reason (an HTTP status or a network error), never a response body.",
  })
  lastError!: string | null;
}

@ObjectType({ description: 'What a replay request queued: dead-lettered events a subscriber is sent again.' })
export class WebhookReplay {
  @Field(() => WebhookSubscriber, { description: 'The subscriber.' })
  subscriber!: WebhookSubscriber;

  @Field(() => Int, {
    description:
      'Events this request queued: dead-lettered since the given instant, not delivered since, and not queued already (0 when asked again).',
  })
  queued!: number;

  @Field(() => Int, { description: "Events of this subscriber waiting to be replayed now, this request's included." })
  waiting!: number;
}

@ObjectType({ description: 'A subscriber with its signing secret: answered once, at creation and at each rotation, never again.' })
export class WebhookSubscriberWithSecret {
  @Field(() => WebhookSubscriber, { description: 'The subscriber.' })
  subscriber!: WebhookSubscriber;

  @Field(() => String, {
    description:
      'The signing secret (whsec_...): each POST carries `Bga-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under this secret>`. Keep it: it is not shown again.',
  })
  secret!: string;
}

@ObjectType({ description: 'One attempt to deliver one event to one subscriber.' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'The attempt id.' })
  id!: string;

  @Field(() => ID, { description: 'The subscriber.' })
  subscriberId!: string;

  @Field(() => ID, { description: "The event (the case history entry's id, the payload's id): receivers deduplicate by it." })
  eventId!: string;

  @Field(() => Int, { description: 'Which attempt at this event (1 for the first).' })
  attempt!: number;

  @Field(() => WebhookDeliveryStatus, { description: 'How it ended.' })
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { nullable: true, description: 'The HTTP status the receiver answered; null when there was no answer.' })
  httpStatus!: number | null;

  @Field(() => String, { nullable: true, description: 'Why it failed (a status or a network error); null when delivered.' })
  error!: string | null;

  @Field(() => Int, { description: 'How long the attempt took, in milliseconds.' })
  durationMs!: number;

  @Field(() => DateTimeScalar, { description: 'When it was made.' })
  attemptedAt!: string;
}

@ObjectType({ description: 'An edge of the delivery attempts.' })
export class WebhookDeliveryEdge {
  @Field(() => String, { description: 'Opaque cursor of this edge.' })
  cursor!: string;

  @Field(() => WebhookDelivery, { description: 'The attempt.' })
  node!: WebhookDelivery;
}

@ObjectType({ description: "A page of a subscriber's delivery attempts, newest first." })
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDeliveryEdge], { description: 'The attempts of this page, newest first.' })
  edges!: WebhookDeliveryEdge[];

  @Field(() => PageInfo, { description: 'Where this page sits.' })
  pageInfo!: PageInfo;
}

@InputType({ description: 'A new webhook subscriber.' })
export class CreateWebhookSubscriberInput {
  @Field(() => String, { description: 'Where to POST events: http or https (in production not a loopback or private address).' })
  url!: string;

  @Field(() => [CaseEventTypeEnum], { nullable: true, description: 'The event types to receive; every type when omitted or empty.' })
  eventTypes?: CaseEventType[] | null;

  @Field(() => String, { nullable: true, description: 'What the subscriber is (at most 500 characters).' })
  description?: string | null;
}

@InputType({ description: 'Changes to a webhook subscriber; what is omitted stays as it is.' })
export class UpdateWebhookSubscriberInput {
  @Field(() => String, { nullable: true, description: 'A new URL (the same rules as at creation).' })
  url?: string | null;

  @Field(() => [CaseEventTypeEnum], { nullable: true, description: 'New event types; empty means every type.' })
  eventTypes?: CaseEventType[] | null;

  @Field(() => String, { nullable: true, description: 'A new description.' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'False pauses deliveries (events wait, none is skipped); true resumes them.' })
  active?: boolean | null;
}
