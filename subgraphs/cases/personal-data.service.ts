import { canSeeInFull, mask, type PersonalDataKind, type PersonalDataVault } from '../../platform/personal-data';
import type { Identity } from '../../platform/identity';
import type { Db } from '../shared/db';
import { recordAccess } from './personal-data-access.repository';
import type { PersonalDataSubjectKind } from './personal-data-access.type';

/** One sealed value to show: the field it is sealed for, and its kind when it has a mask (medical answers have none). */
export interface SealedValue {
  field: string;
  sealed: string;
  kind?: PersonalDataKind;
}

/** Whose data it is: the application or case, and its writing agent (the one agent who may see it in full). */
export interface PersonalDataSubject {
  kind: PersonalDataSubjectKind;
  id: string;
  agentId: string;
}

export interface ShownPersonalData {
  /** Per field: the value in full, its mask, or null for a value without a mask shown to someone who may not see it. */
  values: Map<string, string | null>;
  /** True when the caller saw the values in full (and the reads were recorded). */
  full: boolean;
  /** Values sealed under an older kid, sealed again under the active one: the caller stores them. */
  resealed: { field: string; sealed: string }[];
}

/**
 * What a caller sees of a subject's personal data: in full when canSeeInFull allows it, with every
 * value read recorded in the access log in one statement; masked otherwise (not a full read, not
 * recorded). A service must give a reason to see values in full.
 */
export async function showPersonalData(
  request: { identity: Identity; requestId: string; db: Db },
  vault: PersonalDataVault,
  subject: PersonalDataSubject,
  sealed: readonly SealedValue[],
  reason?: string,
): Promise<ShownPersonalData> {
  const full = canSeeInFull(request.identity, { agentId: subject.agentId, reason });
  const values = new Map<string, string | null>();
  const resealed: { field: string; sealed: string }[] = [];
  for (const value of sealed) {
    const opened = vault.open(value.field, value.sealed);
    if (opened.stale) resealed.push({ field: value.field, sealed: vault.seal(value.field, opened.plaintext) });
    values.set(value.field, full ? opened.plaintext : value.kind ? mask(value.kind, opened.plaintext) : null);
  }
  if (full) {
    await recordAccess(
      request.db,
      sealed.map((value) => ({
        actorSub: request.identity.sub,
        actorRole: request.identity.role,
        subjectKind: subject.kind,
        subjectId: subject.id,
        field: value.field,
        requestId: request.requestId,
        reason: reason?.trim() || null,
      })),
    );
  }
  return { values, full, resealed };
}
