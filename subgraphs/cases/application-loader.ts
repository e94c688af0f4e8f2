/**
 * What the outbox sends a carrier for a case made from an e-application: the whole draft, unsealed
 * here (each send recorded in the personal data access log with its reason), and the signed PDF.
 * A case submitted the first version's way (no application) gets null: the outbox sends its basics.
 */
import type { PersonalDataVault } from '../../platform/personal-data';
import type { Db } from '../shared/db';
import { joinDraft } from './application.draft';
import { applicationOfCase } from './application.repository';
import { PERSONAL_FIELD, unsealPersonal } from './application.service';
import type { CarrierAttachment } from './domain/application';
import type { ApplicationLoader } from './outbox.worker';
import { signedApplicationDocument } from './document.repository';
import { recordAccess } from './personal-data-access.repository';
import type { DocumentStore } from './ports/document-store.port';

/** The signed application (the e-signed PDF, or the signed scan of a paper application) as the carrier receives it. */
export function signedApplicationAttachments(store: DocumentStore) {
  return async (db: Db, applicationId: string): Promise<CarrierAttachment[]> => {
    const document = await signedApplicationDocument(db, applicationId);
    if (!document) return [];
    const bytes = await store.get(document.storageKey);
    if (!bytes) throw new Error(`document ${document.id}: content missing from the ${store.kind} store`);
    return [
      {
        type: 'SIGNED_APPLICATION',
        fileName: document.fileName,
        contentType: document.contentType,
        sha256: document.sha256,
        contentBase64: Buffer.from(bytes).toString('base64'),
      },
    ];
  };
}

export type AttachmentsOf = ReturnType<typeof signedApplicationAttachments>;

export function applicationLoader(vault: PersonalDataVault, attachmentsOf: AttachmentsOf): ApplicationLoader {
  return async (db, caseId) => {
    const row = await applicationOfCase(db, caseId);
    if (!row) return null;
    const personal = unsealPersonal(vault, row.personal);
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
