import DataLoader from 'dataloader';
import type { Db } from '../shared/db';
import { byKey, groupBy } from '../shared/loaders';
import { caseChangesByCaseIds } from './case-change.repository';
import type { CaseChangeRow } from './case-change.type';
import type { CaseEventRow } from './case-event.type';
import { casesByIds, eventsByCaseIds } from './case.repository';
import type { CaseRow } from './case.type';
import { documentsByCaseIds } from './document.repository';
import type { DocumentRow } from './document.type';
import { eventsByRequirementIds, requirementsByCaseIds } from './requirement.repository';
import type { RequirementRow } from './requirement.type';

/** Per-request loaders: one statement per table per batch, however many cases a query touches. */
export function createCaseLoaders(db: Db) {
  return {
    case: new DataLoader<string, CaseRow | undefined>(async (ids) => byKey(ids, await casesByIds(db, ids), (r) => r.id)),
    requirements: new DataLoader<string, RequirementRow[]>(async (caseIds) =>
      groupBy(caseIds, await requirementsByCaseIds(db, caseIds), (r) => r.caseId),
    ),
    events: new DataLoader<string, CaseEventRow[]>(async (caseIds) =>
      groupBy(caseIds, await eventsByCaseIds(db, caseIds), (r) => r.caseId),
    ),
    changes: new DataLoader<string, CaseChangeRow[]>(async (caseIds) =>
      groupBy(caseIds, await caseChangesByCaseIds(db, caseIds), (r) => r.caseId),
    ),
    documents: new DataLoader<string, DocumentRow[]>(async (caseIds) =>
      groupBy(caseIds, await documentsByCaseIds(db, caseIds), (r) => r.caseId!),
    ),
    requirementEvents: new DataLoader<string, CaseEventRow[]>(async (requirementIds) =>
      groupBy(requirementIds, await eventsByRequirementIds(db, requirementIds), (r) => r.requirementId!),
    ),
  };
}

export type CaseLoaders = ReturnType<typeof createCaseLoaders>;
