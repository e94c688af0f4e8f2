import DataLoader from 'dataloader';
import type { Db } from '../../shared/db';
import { byKey, groupBy } from '../../shared/loaders';
import {
  bgaContractsByCarrierIds,
  type CommissionScheduleRow,
  type ContractLevelRow,
  type ContractRow,
  contractLevelsByCarrierIds,
  contractsByAgentIds,
  type HierarchyPeriodRow,
  hierarchyByAgentIds,
  schedulesByCarrierIds,
  schedulesByCarrierLevels,
} from './contract.repository';

type LevelKey = { carrierId: string; levelCode: string };
const levelKey = (key: LevelKey) => `${key.carrierId}|${key.levelCode}`;

/** The contracts, levels, schedules and hierarchy periods a request reads: one statement per table per batch. */
export function createContractLoaders(db: Db) {
  return {
    agentContracts: new DataLoader<string, ContractRow[]>(async (agentIds) =>
      groupBy(agentIds, await contractsByAgentIds(db, agentIds), (r) => r.agentId!),
    ),
    contractLevels: new DataLoader<string, ContractLevelRow[]>(async (carrierIds) =>
      groupBy(carrierIds, await contractLevelsByCarrierIds(db, carrierIds), (r) => r.carrierId),
    ),
    bgaContract: new DataLoader<string, ContractRow | undefined>(async (carrierIds) =>
      byKey(carrierIds, await bgaContractsByCarrierIds(db, carrierIds), (r) => r.carrierId),
    ),
    carrierSchedules: new DataLoader<string, CommissionScheduleRow[]>(async (carrierIds) =>
      groupBy(carrierIds, await schedulesByCarrierIds(db, carrierIds), (r) => r.carrierId),
    ),
    levelSchedules: new DataLoader<LevelKey, CommissionScheduleRow[], string>(
      async (keys) => groupBy(keys.map(levelKey), await schedulesByCarrierLevels(db, keys), levelKey),
      { cacheKeyFn: levelKey },
    ),
    hierarchy: new DataLoader<string, HierarchyPeriodRow[]>(async (agentIds) =>
      groupBy(agentIds, await hierarchyByAgentIds(db, agentIds), (r) => r.agentId),
    ),
  };
}
