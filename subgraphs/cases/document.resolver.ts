import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { badInput, notFound } from '../../platform/errors';
import { parseId } from '../../platform/ids';
import { requireRole } from '../shared/auth';
import { canSeeCase } from './case.scope';
import type { CasesContext } from './cases.context';
import { documentOwner } from './document.repository';
import { storeDocument, tooLarge } from './document.service';
import { Document, type DocumentOwnerKind, type DocumentRow, UploadDocumentInput } from './document.type';

/** Who may upload documents: agents (within their scope), staff and admins. */
const UPLOADERS = ['AGENT', 'STAFF', 'ADMIN'] as const;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The decoded size of base64 text, without decoding it (so an oversized upload is refused before any copy). */
const decodedLength = (text: string) => Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);

function parseOwnerId(kind: DocumentOwnerKind, id: string): string {
  if (kind === 'CASE') return parseId('case', id, 'input.ownerId');
  if (kind === 'REQUIREMENT') return parseId('requirement', id, 'input.ownerId');
  if (!/^app_[a-z0-9_]{1,64}$/.test(id)) throw badInput('input.ownerId is not a valid application id (expected app_...)');
  return id;
}

/** Document's own fields, and the upload. */
@Resolver(() => Document)
export class DocumentResolver {
  @FieldResolver(() => String, {
    description:
      'Where to download the content: a URL on the gateway signed for this document that expires after DOCUMENT_URL_TTL_S seconds (5 minutes by default). Read it again for a fresh one.',
  })
  downloadUrl(@Root() row: DocumentRow, @Ctx() ctx: CasesContext): string {
    return ctx.documents.urls.url(row.id);
  }

  @Mutation(() => Document, {
    description:
      'Attaches a document to an application, a case or a requirement the caller may see (agents: their own and their downline; staff and admins: all). ' +
      'PDF, PNG, JPEG or TIFF, checked by its first bytes; at most DOCUMENT_MAX_BYTES (LIMIT_EXCEEDED beyond). Idempotent with idempotencyKey.',
  })
  async uploadDocument(
    @Arg('input', () => UploadDocumentInput, { description: 'The document and what it is attached to.' }) input: UploadDocumentInput,
    @Ctx() ctx: CasesContext,
  ): Promise<DocumentRow> {
    requireRole(ctx.identity, UPLOADERS);
    const ownerId = parseOwnerId(input.ownerKind, input.ownerId);
    const { maxBytes } = ctx.documents;
    if (decodedLength(input.contentBase64) > maxBytes) throw tooLarge(maxBytes);
    if (!BASE64.test(input.contentBase64) || input.contentBase64.length % 4 === 1) throw badInput('input.contentBase64 is not base64');
    const key = input.idempotencyKey ?? null;
    if (key !== null && !/^[\x21-\x7e]{1,128}$/.test(key))
      throw badInput('input.idempotencyKey must be 1 to 128 printable ASCII characters');
    // Whose the owner is decides who may attach to it; unknown and invisible owners get the same answer.
    const owner = await documentOwner(ctx.db, input.ownerKind, ownerId);
    if (!owner || !(await canSeeCase(ctx, owner))) throw notFound(input.ownerKind.toLowerCase());
    return storeDocument(
      { db: ctx.db, store: ctx.documents.store, logger: ctx.logger },
      {
        ownerKind: input.ownerKind,
        ownerId,
        type: input.type,
        fileName: input.fileName,
        contentType: input.contentType,
        bytes: Buffer.from(input.contentBase64, 'base64'),
        uploadedBy: ctx.identity.sub,
        idempotencyKey: key,
        caseId: owner.caseId,
        maxBytes,
      },
    );
  }
}
