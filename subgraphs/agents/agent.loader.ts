import DataLoader from 'dataloader';
import type { Db } from '../shared/db';
import { byKey, groupBy } from '../shared/loaders';
import { agentsByIds, agentsByUplineIds } from './agent.repository';
import type { AgentRow } from './agent.type';

/** Agents by id, and each agent's direct downline: one statement per batch, whatever the number of agents a query touches. */
export function createAgentLoaders(db: Db) {
  return {
    agent: new DataLoader<string, AgentRow | undefined>(async (ids) => byKey(ids, await agentsByIds(db, ids), (r) => r.id)),
    downline: new DataLoader<string, AgentRow[]>(async (uplineIds) =>
      groupBy(uplineIds, await agentsByUplineIds(db, uplineIds), (r) => r.uplineId!),
    ),
  };
}
