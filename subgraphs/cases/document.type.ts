import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar } from '../../platform/scalars';
import type { DocumentOwnerKindValue, DocumentTypeValue } from './domain/documents';

/** What a document is attached to. */
export const DocumentOwnerKind = { APPLICATION: 'APPLICATION', CASE: 'CASE', REQUIREMENT: 'REQUIREMENT' } as const satisfies Record<
  DocumentOwnerKindValue,
  DocumentOwnerKindValue
>;
export type DocumentOwnerKind = DocumentOwnerKindValue;
registerEnumType(DocumentOwnerKind, {
  name: 'DocumentOwnerKind',
  description: 'What a document is attached to.',
  valuesConfig: {
    APPLICATION: { description: 'A draft or signed application (ownerId app_...), before it is a case.' },
    CASE: { description: 'A submitted case (ownerId case_...).' },
    REQUIREMENT: { description: 'One requirement of a case (ownerId req_...): what satisfies it, such as an APS for an APS requirement.' },
  },
});

/** What a document is. */
export const DocumentType = {
  APPLICATION_PDF: 'APPLICATION_PDF',
  SIGNED_APPLICATION: 'SIGNED_APPLICATION',
  APPLICATION_SCAN: 'APPLICATION_SCAN',
  AMENDMENT: 'AMENDMENT',
  APS: 'APS',
  EXAM_RESULTS: 'EXAM_RESULTS',
  ILLUSTRATION: 'ILLUSTRATION',
  OTHER: 'OTHER',
} as const satisfies Record<DocumentTypeValue, DocumentTypeValue>;
export type DocumentType = DocumentTypeValue;
registerEnumType(DocumentType, {
  name: 'DocumentType',
  description:
    'What a document is. APPLICATION_PDF, SIGNED_APPLICATION and ILLUSTRATION are always PDFs; the others may be PDFs or images.',
  valuesConfig: {
    APPLICATION_PDF: { description: 'The application as generated from its answers, before signatures (PDF).' },
    SIGNED_APPLICATION: {
      description: "The application with every signer's signature and the signatures' audit trail (PDF): what is sent to the carrier.",
    },
    APPLICATION_SCAN: { description: 'A paper application signed in ink and scanned, attached instead of e-signatures.' },
    AMENDMENT: { description: 'An amendment to the application after submission, as the carrier asks the client to sign it.' },
    APS: { description: "An Attending Physician Statement: the insured's medical records from their doctor." },
    EXAM_RESULTS: { description: 'Results of the paramedical exam, labs (blood, urine) or an EKG.' },
    ILLUSTRATION: { description: "The carrier's illustration of the policy's premiums and values, as signed by the client (PDF)." },
    OTHER: { description: 'Any other document of the file (correspondence, a questionnaire, a receipt).' },
  },
});

/** A document's row (cases.document) as the service and resolvers read it. */
export interface DocumentRow {
  id: string;
  ownerKind: DocumentOwnerKind;
  ownerId: string;
  caseId: string | null;
  type: DocumentType;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storage: 'postgres' | 's3';
  storageKey: string;
  uploadedBy: string;
  uploadedAt: string;
}

@ObjectType({ description: 'A file attached to an application, a case or a requirement: its description, and where to download it.' })
export class Document {
  @Field(() => ID, { description: 'Opaque id, prefixed doc_.' })
  id!: string;

  @Field(() => DocumentType, { description: 'What the document is.' })
  type!: DocumentType;

  @Field(() => DocumentOwnerKind, { description: 'What it is attached to.' })
  ownerKind!: DocumentOwnerKind;

  @Field(() => ID, { description: 'The id of the application, case or requirement it is attached to.' })
  ownerId!: string;

  @Field(() => String, { description: 'The file name as uploaded (a download is offered under this name).' })
  fileName!: string;

  @Field(() => String, {
    description: 'The format: application/pdf, image/png, image/jpeg or image/tiff (checked by its first bytes at upload).',
  })
  contentType!: string;

  @Field(() => Int, { description: 'Size of the content in bytes.' })
  sizeBytes!: number;

  @Field(() => String, { description: 'SHA-256 of the content, lower-case hex, computed by the server at upload.' })
  sha256!: string;

  @Field(() => String, { description: 'Who uploaded it (the subject of their token).' })
  uploadedBy!: string;

  @Field(() => DateTimeScalar, { description: 'When it was uploaded.' })
  uploadedAt!: string;
}

@InputType({ description: 'A document to attach, its content in base64.' })
export class UploadDocumentInput {
  @Field(() => DocumentOwnerKind, { description: 'What the document is attached to.' })
  ownerKind!: DocumentOwnerKind;

  @Field(() => ID, { description: 'The id of the application (app_...), case (case_...) or requirement (req_...).' })
  ownerId!: string;

  @Field(() => DocumentType, { description: 'What the document is.' })
  type!: DocumentType;

  @Field(() => String, { description: 'The file name, 1 to 255 characters, without a path.' })
  fileName!: string;

  @Field(() => String, {
    nullable: true,
    description: 'application/pdf, image/png, image/jpeg or image/tiff; when omitted, read from the content. Must match the content.',
  })
  contentType?: string | null;

  @Field(() => String, {
    description: 'The content, base64-encoded (standard alphabet, padding optional). At most DOCUMENT_MAX_BYTES once decoded.',
  })
  contentBase64!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A key the client chooses for this upload: a retry with the same key and the same content returns the same document.',
  })
  idempotencyKey?: string | null;
}
