/**
 * What the outbox sends a carrier for a case made from an e-application: the whole draft, unsealed
 * here (each send recorded in the personal data access log with its reason), and the signed PDF.
 * A case submitted the first version's way (no application) gets null: the outbox sends its basics.
 */
import type { PersonalDataVault } from '../../platform/personal-data';
import type { Db } from '../shared/db';
import { joinDraft, type PersonalPart } from './application.draft';
import { applicationOfCase } from './application.repository';
import { PERSONAL_FIELD } from './application.service';
import type { CarrierAttachment } from './domain/application';
import type { ApplicationLoader } from './outbox.worker';
import { recordAccess } from './personal-data-access.repository';

/** The signed application's attachments for a case, read from the document store (none until documents are kept). */
export type AttachmentsOf = (db: Db, applicationId: string) => Promise<CarrierAttachment[]>;

export function applicationLoader(vault: PersonalDataVault, attachmentsOf: AttachmentsOf): ApplicationLoader {
  return async (db, caseId) => {
    const row = await applicationOfCase(db, caseId);
    if (!row) return null;
    const personal = JSON.parse(vault.open(PERSONAL_FIELD, row.personal).plaintext) as PersonalPart;
    await recordAccess(db, [
      {
        actorSub: 'service:cases-outbox',
        actorRole: 'SERVICE',
        subjectKind: 'APPLICATION',
        subjectId: row.id,
        field: PERSONAL_FIELD,
        requestId: `outbox:${caseId}`,
        reason: 'sending the application to the carrier',
      },
    ]);
    return { application: joinDraft(row, row.draft, personal), attachments: await attachmentsOf(db, row.id) };
  };
}
