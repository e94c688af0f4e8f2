import DataLoader from 'dataloader';
import { Ctx, Field, FieldResolver, ObjectType, Resolver, Root } from 'type-graphql';
import { DateTimeScalar } from '../../../platform/scalars';
import { enumOf, register } from '../../shared/enums';
import { Agent, type AgentRow } from '../agent.type';
import type { AgentsContext } from '../agents.context';
import { type SyncOutcome, type SyncStateRow, syncStatesByAgentIds } from './license-sync.repository';

export const LicenseSyncOutcome = register(
  enumOf(['SYNCED', 'NPN_NOT_FOUND', 'FAILED'] as const),
  'LicenseSyncOutcome',
  'How the last license sync with the national producer database ended.',
  {
    SYNCED: 'Licenses and appointments reconciled.',
    NPN_NOT_FOUND: "The producer database does not know the agent's NPN: nothing changed.",
    FAILED: 'The producer database could not answer; the sync is tried again.',
  },
);

@ObjectType({ description: "An agent's license sync with the national producer database." })
export class LicenseSyncStatus {
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'The last sync that got an answer (SYNCED or NPN_NOT_FOUND); null before any.',
  })
  syncedAt!: string | null;

  @Field(() => LicenseSyncOutcome, { nullable: true, description: 'How the last attempt ended; null before any.' })
  outcome!: SyncOutcome | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'The last attempt, answered or not.' })
  attemptedAt!: string | null;
}

// One loader per request (keyed by the request's loaders object, which lives exactly as long).
const loaders = new WeakMap<object, DataLoader<string, SyncStateRow | undefined>>();
function loaderFor(ctx: AgentsContext): DataLoader<string, SyncStateRow | undefined> {
  let loader = loaders.get(ctx.loaders);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = new Map((await syncStatesByAgentIds(ctx.db, ids)).map((row) => [row.agentId, row]));
      return ids.map((id) => rows.get(id));
    });
    loaders.set(ctx.loaders, loader);
  }
  return loader;
}

/** Agent.licenseSync. */
@Resolver(() => Agent)
export class AgentLicenseSyncResolver {
  @FieldResolver(() => LicenseSyncStatus, {
    description: 'When the licenses were last synced with the national producer database, and how it ended (null fields before any sync).',
  })
  async licenseSync(@Root() agent: AgentRow, @Ctx() ctx: AgentsContext): Promise<LicenseSyncStatus> {
    const row = await loaderFor(ctx).load(agent.id);
    return { syncedAt: row?.syncedAt ?? null, outcome: row?.outcome ?? null, attemptedAt: row?.attemptedAt ?? null };
  }
}
