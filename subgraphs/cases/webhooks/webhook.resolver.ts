import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { DateTimeScalar } from '../../../platform/scalars';
import { badInput, notFound } from '../../../platform/errors';
import { newId, parseId } from '../../../platform/ids';
import { requireRole } from '../../shared/auth';
import type { CasesContext } from '../cases.context';
import type { CaseEventType } from '../case-event.type';
import { readWebhookConfig } from './webhook.config';
import {
  deleteSubscriber,
  deliveriesPage,
  insertSubscriber,
  listSubscribers,
  MAX_DELIVERY_PAGE,
  MAX_REPLAY,
  queueReplays,
  replaceSecret,
  subscriberExists,
  subscriberById,
  updateSubscriber,
} from './webhook.repository';
import {
  CreateWebhookSubscriberInput,
  UpdateWebhookSubscriberInput,
  WebhookDeliveryConnection,
  WebhookDeliveryStatus,
  WebhookReplay,
  WebhookSubscriber,
  type WebhookSubscriberRow,
  WebhookSubscriberWithSecret,
} from './webhook.type';
import { checkSubscriberUrl } from './webhook-url';
import { newWebhookSecret, WEBHOOK_SECRET_FIELD } from './webhook.worker';

// Whether production refuses private URLs (NODE_ENV, WEBHOOK_ALLOW_PRIVATE_URLS), read at each (rare) admin write.
const policy = () => {
  const config = readWebhookConfig();
  return { refuseInternal: config.production && !config.allowPrivateUrls };
};

const subscriberValue = (row: WebhookSubscriberRow): WebhookSubscriber => ({
  id: row.id,
  url: row.url,
  description: row.description,
  eventTypes: row.eventTypes,
  active: row.active,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  lastEventId: row.lastEventId === null ? null : String(row.lastEventId),
  pendingEventId: row.headEventId === null ? null : String(row.headEventId),
  pendingAttempts: row.headEventId === null ? 0 : row.attempts,
  lastError: row.lastError,
});

function description(value: string | null | undefined): string | null | undefined {
  if (value == null) return value;
  const trimmed = value.trim();
  if (trimmed.length > 500) throw badInput('input.description must be at most 500 characters');
  return trimmed;
}

const eventTypes = (types: CaseEventType[] | null | undefined) => (types == null ? types : [...new Set(types)]);

/** Webhook subscribers (partner systems) and their delivery attempts: ADMIN only. */
@Resolver(() => WebhookSubscriber)
export class WebhookResolver {
  @Query(() => [WebhookSubscriber], { description: 'The webhook subscribers, oldest first (ADMIN). Secrets are never shown here.' })
  async webhookSubscribers(@Ctx() ctx: CasesContext): Promise<WebhookSubscriber[]> {
    requireRole(ctx.identity, ['ADMIN']);
    return (await listSubscribers(ctx.db)).map(subscriberValue);
  }

  @Query(() => WebhookDeliveryConnection, {
    description:
      "A subscriber's delivery attempts, newest first, a page at a time (ADMIN): every attempt, failed and dead-lettered ones included.",
  })
  async webhookDeliveries(
    @Arg('subscriberId', () => ID, { description: 'The subscriber.' }) subscriberId: string,
    @Ctx() ctx: CasesContext,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true, description: 'Only attempts that ended so; all when omitted.' })
    status?: WebhookDeliveryStatus,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_DELIVERY_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<WebhookDeliveryConnection> {
    requireRole(ctx.identity, ['ADMIN']);
    const id = parseId('webhookSubscriber', subscriberId, 'subscriberId');
    const page = await deliveriesPage(ctx.db, { subscriberId: id, status, first, after });
    if (page.edges.length === 0 && !after && !(await subscriberExists(ctx.db, id))) throw notFound('webhook subscriber');
    return page;
  }

  @Mutation(() => WebhookSubscriberWithSecret, {
    description:
      'Adds a webhook subscriber (ADMIN): it receives the events committed from now on, signed with the secret answered here, once.',
  })
  async createWebhookSubscriber(
    @Arg('input', () => CreateWebhookSubscriberInput, { description: 'Where to send, and which events.' })
    input: CreateWebhookSubscriberInput,
    @Ctx() ctx: CasesContext,
  ): Promise<WebhookSubscriberWithSecret> {
    requireRole(ctx.identity, ['ADMIN']);
    const url = checkSubscriberUrl(input.url, policy());
    const secret = newWebhookSecret();
    const row = await insertSubscriber(ctx.db, {
      id: newId('webhookSubscriber'),
      url,
      description: description(input.description) ?? null,
      eventTypes: eventTypes(input.eventTypes) ?? [],
      sealedSecret: ctx.vault.seal(WEBHOOK_SECRET_FIELD, secret),
      createdBy: ctx.identity.sub,
    });
    return { subscriber: subscriberValue(row!), secret };
  }

  @Mutation(() => WebhookSubscriber, {
    description:
      "Changes a subscriber's URL, event types, description or state (ADMIN). A paused subscriber's events wait; none is skipped.",
  })
  async updateWebhookSubscriber(
    @Arg('id', () => ID, { description: 'The subscriber.' }) id: string,
    @Arg('input', () => UpdateWebhookSubscriberInput, { description: 'What changes.' }) input: UpdateWebhookSubscriberInput,
    @Ctx() ctx: CasesContext,
  ): Promise<WebhookSubscriber> {
    requireRole(ctx.identity, ['ADMIN']);
    const subscriberId = parseId('webhookSubscriber', id, 'id');
    const row = await updateSubscriber(ctx.db, subscriberId, {
      url: input.url == null ? null : checkSubscriberUrl(input.url, policy()),
      description: description(input.description),
      eventTypes: eventTypes(input.eventTypes),
      active: input.active,
    });
    if (!row) throw notFound('webhook subscriber');
    return subscriberValue(row);
  }

  @Mutation(() => WebhookSubscriberWithSecret, {
    description: "Replaces a subscriber's signing secret (ADMIN) and answers the new one, once: the next POST is signed with it.",
  })
  async rotateWebhookSecret(
    @Arg('id', () => ID, { description: 'The subscriber.' }) id: string,
    @Ctx() ctx: CasesContext,
  ): Promise<WebhookSubscriberWithSecret> {
    requireRole(ctx.identity, ['ADMIN']);
    const subscriberId = parseId('webhookSubscriber', id, 'id');
    const secret = newWebhookSecret();
    const row = await replaceSecret(ctx.db, subscriberId, ctx.vault.seal(WEBHOOK_SECRET_FIELD, secret));
    if (!row) throw notFound('webhook subscriber');
    return { subscriber: subscriberValue(row), secret };
  }

  @Mutation(() => WebhookReplay, {
    description: `Sends a subscriber again the events dead-lettered to it since an instant (ADMIN), e.g. after its receiver was down longer than the retries last: each such event not delivered since is queued once, POSTed and signed as before (same event id, so a receiver that deduplicates by it applies it once), with its own retries; new events keep flowing meanwhile. Idempotent: asking again queues nothing already queued or delivered. At most ${MAX_REPLAY} events a request (ask again for the rest).`,
  })
  async replayWebhookDeliveries(
    @Arg('subscriberId', () => ID, { description: 'The subscriber.' }) subscriberId: string,
    @Arg('since', () => DateTimeScalar, { description: 'Events dead-lettered at or after this instant are replayed.' }) since: string,
    @Ctx() ctx: CasesContext,
  ): Promise<WebhookReplay> {
    requireRole(ctx.identity, ['ADMIN']);
    const id = parseId('webhookSubscriber', subscriberId, 'subscriberId');
    const row = await subscriberById(ctx.db, id);
    if (!row) throw notFound('webhook subscriber');
    const { queued, waiting } = await queueReplays(ctx.db, { subscriberId: id, since, requestedBy: ctx.identity.sub });
    return { subscriber: subscriberValue(row), queued, waiting };
  }

  @Mutation(() => Boolean, {
    description:
      'Deletes a subscriber (ADMIN): nothing more is sent to it; its delivery attempts stay readable. False when there was none.',
  })
  async deleteWebhookSubscriber(
    @Arg('id', () => ID, { description: 'The subscriber.' }) id: string,
    @Ctx() ctx: CasesContext,
  ): Promise<boolean> {
    requireRole(ctx.identity, ['ADMIN']);
    return deleteSubscriber(ctx.db, parseId('webhookSubscriber', id, 'id'));
  }
}
