/**
 * Carrier commission statements in the API: the upload (ADMIN), the statements booked, a statement's
 * lines and exceptions a page at a time, and the exception list across statements (staff and admins).
 */
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, coded } from '../../../platform/errors';
import { parseId } from '../../../platform/ids';
import { requireRole } from '../../shared/auth';
import { decodeCursor, keysetPage, pageSize } from '../../shared/pagination';
import { Case, type CaseRow } from '../case.type';
import { canSeeCase } from '../case.scope';
import type { CasesContext } from '../cases.context';
import type { StatementSource } from './statement-parser';
import {
  listStatementExceptions,
  listStatementLines,
  listStatements,
  parseStatementId,
  type StatementExceptionKind,
  type StatementExceptionRow,
  type StatementFileRow,
  type StatementLineRow,
  type StatementLineStatus,
  statementById,
} from './statement.repository';
import { bookStatement, sha256Of } from './statement.service';
import {
  CarrierCommissionStatement,
  CarrierCommissionStatementConnection,
  type CarrierStatementException,
  CarrierStatementExceptionConnection,
  CarrierStatementExceptionKindEnum,
  CarrierStatementLine,
  CarrierStatementLineConnection,
  CarrierStatementLineStatusEnum,
  UploadCarrierCommissionStatementInput,
  UploadCarrierCommissionStatementPayload,
} from './statement.type';

/** Who books statements. */
const UPLOADERS = ['ADMIN'] as const;
/** Who reads them and works the exceptions: case managers (staff) and admins. */
const READERS = ['STAFF', 'ADMIN'] as const;
export const MAX_STATEMENT_PAGE = 500;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
/** Chunks the parser is fed from an upload held in memory: the same streamed path as a file. */
const CHUNK = 64 * 1024;

async function* chunksOf(bytes: Buffer): StatementSource {
  for (let i = 0; i < bytes.length; i += CHUNK) yield bytes.subarray(i, i + CHUNK);
}

function uploadBytes(input: UploadCarrierCommissionStatementInput, maxBytes: number): Buffer {
  const limit = () =>
    coded('LIMIT_EXCEEDED', `the statement exceeds the upload limit of ${maxBytes} bytes (DOCUMENT_MAX_BYTES); use the watched folder`, {
      maxBytes,
    });
  if (input.encoding === 'TEXT') {
    if (Buffer.byteLength(input.content) > maxBytes) throw limit();
    return Buffer.from(input.content, 'utf8');
  }
  if (Math.floor((input.content.length * 3) / 4) > maxBytes + 2) throw limit();
  if (!BASE64.test(input.content) || input.content.length % 4 === 1) throw badInput('input.content is not base64');
  const bytes = Buffer.from(input.content, 'base64');
  if (bytes.length > maxBytes) throw limit();
  return bytes;
}

const statementNode = (row: StatementFileRow) => row as unknown as CarrierCommissionStatement;
const exceptionNode = (row: StatementExceptionRow) =>
  ({
    ...row,
    id: String(row.id),
    statementId: row.fileId,
    lineNumber: row.lineNo,
    carrier: { id: row.carrierId },
    expectedAmount: row.expectedCents,
    receivedAmount: row.receivedCents,
  }) as unknown as CarrierStatementException;
const lineNode = (row: StatementLineRow) => ({
  ...row,
  lineNumber: row.lineNo,
  premium: row.premiumCents,
  amount: row.amountCents,
  expectedAmount: row.expectedCents,
});

/** The exception list, a page at a time (shared by the query and the statement's field). */
async function exceptionsPage(
  ctx: CasesContext,
  options: {
    fileId?: string | null;
    carrierId?: string | null;
    kinds?: StatementExceptionKind[] | null;
    first?: number;
    after?: string | null;
  },
): Promise<CarrierStatementExceptionConnection> {
  const limit = pageSize(options.first, MAX_STATEMENT_PAGE);
  const afterId = options.after ? Number(decodeCursor(options.after, ['number'])[0]) : undefined;
  const rows = await listStatementExceptions(ctx.db, { ...options, limit, afterId });
  return keysetPage(rows, limit, options.after, (row) => [row.id], exceptionNode);
}

@Resolver(() => CarrierCommissionStatement)
export class CarrierStatementResolver {
  @Mutation(() => UploadCarrierCommissionStatementPayload, {
    description:
      "Books a carrier's commission statement file (ADMIN): recognised by the carrier and its header (BAD_USER_INPUT with extensions.reason UNKNOWN_STATEMENT_LAYOUT when it is none of the carrier's layouts: nothing booked), read line by line, each line matched to a policy by carrier and policy number and reconciled against the commissions expected; unreadable and duplicate lines are listed as exceptions and not booked. The whole file is one transaction. The same bytes again (sha-256) book nothing: the first statement comes back with alreadyBooked.",
  })
  async uploadCarrierCommissionStatement(
    @Arg('input', () => UploadCarrierCommissionStatementInput, { description: 'The carrier, file name and content.' })
    input: UploadCarrierCommissionStatementInput,
    @Ctx() ctx: CasesContext,
  ): Promise<UploadCarrierCommissionStatementPayload> {
    requireRole(ctx.identity, UPLOADERS);
    const carrierId = parseId('carrier', input.carrierId, 'input.carrierId');
    const bytes = uploadBytes(input, ctx.documents.maxBytes);
    const booked = await bookStatement(ctx.db, {
      carrierId,
      fileName: input.fileName,
      source: 'UPLOAD',
      bookedBy: ctx.identity.sub,
      open: () => chunksOf(bytes),
      sha256: await sha256Of(chunksOf(bytes)),
    });
    ctx.logger.info(
      { statementId: booked.statement.id, carrierId, alreadyBooked: booked.alreadyBooked, lines: booked.statement.lineCount },
      booked.alreadyBooked ? 'carrier statement uploaded again: nothing booked' : 'carrier statement booked',
    );
    return { statement: statementNode(booked.statement), alreadyBooked: booked.alreadyBooked };
  }

  @Query(() => CarrierCommissionStatementConnection, {
    description: 'Carrier commission statements booked, newest first (staff and admins).',
  })
  async carrierCommissionStatements(
    @Ctx() ctx: CasesContext,
    @Arg('carrierId', () => ID, { nullable: true, description: "Only this carrier's statements." }) carrierId?: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_STATEMENT_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<CarrierCommissionStatementConnection> {
    requireRole(ctx.identity, READERS);
    const limit = pageSize(first, MAX_STATEMENT_PAGE);
    const cursor = after ? (decodeCursor(after, ['string', 'string']) as [string, string]) : undefined;
    const rows = await listStatements(ctx.db, {
      carrierId: carrierId ? parseId('carrier', carrierId, 'carrierId') : null,
      limit,
      after: cursor,
    });
    return keysetPage(rows, limit, after, (row) => [row.bookedAt, row.id], statementNode);
  }

  @Query(() => CarrierCommissionStatement, {
    nullable: true,
    description:
      'One carrier commission statement, with its lines and exceptions (staff and admins); null when there is none with this id.',
  })
  async carrierCommissionStatement(
    @Arg('id', () => ID, { description: 'The statement id (stm_...).' }) id: string,
    @Ctx() ctx: CasesContext,
  ): Promise<CarrierCommissionStatement | null> {
    requireRole(ctx.identity, READERS);
    const row = await statementById(ctx.db, parseStatementId(id, 'id'));
    return row ? statementNode(row) : null;
  }

  @Query(() => CarrierStatementExceptionConnection, {
    description:
      'Statement lines listed for staff across statements (unmatched, mismatched with expected vs received, duplicate, unreadable), oldest first (staff and admins).',
  })
  async carrierStatementExceptions(
    @Ctx() ctx: CasesContext,
    @Arg('carrierId', () => ID, { nullable: true, description: "Only this carrier's statements." }) carrierId?: string,
    @Arg('statementId', () => ID, { nullable: true, description: 'Only this statement.' }) statementId?: string,
    @Arg('kinds', () => [CarrierStatementExceptionKindEnum], { nullable: true, description: 'Only these kinds (every kind when omitted).' })
    kinds?: StatementExceptionKind[],
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_STATEMENT_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<CarrierStatementExceptionConnection> {
    requireRole(ctx.identity, READERS);
    if (statementId) parseStatementId(statementId, 'statementId');
    return exceptionsPage(ctx, {
      carrierId: carrierId ? parseId('carrier', carrierId, 'carrierId') : null,
      fileId: statementId ?? null,
      kinds,
      first,
      after,
    });
  }

  @FieldResolver(() => CarrierStatementLineConnection, { description: 'The booked lines, in file order.' })
  async lines(
    @Root() statement: StatementFileRow,
    @Ctx() ctx: CasesContext,
    @Arg('statuses', () => [CarrierStatementLineStatusEnum], {
      nullable: true,
      description: 'Only lines of these statuses (all when omitted).',
    })
    statuses?: StatementLineStatus[],
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_STATEMENT_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<CarrierStatementLineConnection> {
    const limit = pageSize(first, MAX_STATEMENT_PAGE);
    const afterLineNo = after ? Number(decodeCursor(after, ['number'])[0]) : undefined;
    const rows = await listStatementLines(ctx.db, statement.id, { statuses, limit, afterLineNo });
    return keysetPage(rows, limit, after, (row) => [row.lineNo], lineNode) as unknown as CarrierStatementLineConnection;
  }

  @FieldResolver(() => CarrierStatementExceptionConnection, { description: "This statement's exceptions, in file order." })
  exceptions(
    @Root() statement: StatementFileRow,
    @Ctx() ctx: CasesContext,
    @Arg('kinds', () => [CarrierStatementExceptionKindEnum], { nullable: true, description: 'Only these kinds (every kind when omitted).' })
    kinds?: StatementExceptionKind[],
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: `Page size, 0 to ${MAX_STATEMENT_PAGE}.` }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' }) after?: string,
  ): Promise<CarrierStatementExceptionConnection> {
    return exceptionsPage(ctx, { fileId: statement.id, kinds, first, after });
  }

  @FieldResolver()
  carrier(@Root() statement: StatementFileRow): { id: string } {
    return { id: statement.carrierId };
  }

  @FieldResolver()
  receivedAmount(@Root() statement: StatementFileRow): number {
    return statement.receivedCents;
  }
}

@Resolver(() => CarrierStatementLine)
export class CarrierStatementLineResolver {
  @FieldResolver(() => Case, {
    nullable: true,
    description: 'The case the line matched (null when UNMATCHED); loaded in one batch per page.',
  })
  async case(@Root() line: StatementLineRow, @Ctx() ctx: CasesContext): Promise<CaseRow | null> {
    if (!line.caseId) return null;
    const found = await ctx.loaders.case.load(line.caseId);
    return found && (await canSeeCase(ctx, found)) ? found : null;
  }
}
