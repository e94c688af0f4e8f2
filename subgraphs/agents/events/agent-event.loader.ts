import DataLoader from 'dataloader';
import type { Db } from '../../shared/db';
import { groupBy } from '../../shared/loaders';
import { type AgentEventRow, agentEventsByAgentIds } from './agent-event.repository';

/** Per request and page size: each agent's newest events, one statement per batch. */
export function createAgentEventsLoader(db: Db) {
  const bySize = new Map<number, DataLoader<string, AgentEventRow[]>>();
  return (limit: number) => {
    let loader = bySize.get(limit);
    if (!loader) {
      loader = new DataLoader<string, AgentEventRow[]>(async (ids) =>
        groupBy(ids, await agentEventsByAgentIds(db, ids, limit), (r) => r.agentId),
      );
      bySize.set(limit, loader);
    }
    return loader;
  };
}
