/**
 * submitCase with an applicationId: only a signed application in good order becomes a case. The case
 * is made from it (agent, carrier, product, the insured's rating facts, the coverage), in the same
 * transaction that marks the application SUBMITTED — so two submissions of one application, even
 * concurrent ones under different keys, make one case. The carrier gets the whole application from
 * the outbox (outbox.worker.ts reads it back by case).
 */
import { createHash } from 'node:crypto';
import { badInput, conflict, failedPrecondition, notFound } from '../../platform/errors';
import { parseId } from '../../platform/ids';
import type { Gender, HealthClass, PaymentMode } from '../shared/enums';
import { lockApplication, saveApplication, applicationsByIds } from './application.repository';
import { ensureSignedDocument } from './application-signing.service';
import { applicationOf, missingOf, visibleApplication } from './application.service';
import { caseByIdempotencyKey } from './case.repository';
import { attachApplicationDocumentsToCase } from './document.repository';
import type { CaseRow, SubmitCaseInput } from './case.type';
import type { CasesContext } from './cases.context';
import { createCase } from './submit-case.service';

const INLINE_FIELDS = ['agentId', 'carrierId', 'productId', 'insured', 'faceAmount', 'termYears', 'healthClass'] as const;

export async function submitApplication(ctx: CasesContext, input: SubmitCaseInput): Promise<CaseRow> {
  const applicationId = parseId('application', input.applicationId!, 'input.applicationId');
  const reasons: string[] = [];
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(input.idempotencyKey)) reasons.push('idempotencyKey must be 1 to 100 letters, digits or _.:-');
  for (const field of INLINE_FIELDS)
    if (input[field] != null) reasons.push(`${field}: leave it out with applicationId (the case is made from the application)`);
  if (reasons.length) throw badInput(`the case cannot be submitted: ${reasons.join('; ')}`, reasons);

  const row = await visibleApplication(ctx, (await applicationsByIds(ctx.db, [applicationId]))[0]);
  if (!row) throw notFound('application');
  const requestHash = createHash('sha256')
    .update(JSON.stringify(['application', applicationId]))
    .digest('hex');
  if (row.status === 'SUBMITTED') {
    // A retry of the submission that made the case answers that case; any other submission is refused.
    const before = await caseByIdempotencyKey(ctx.db, ctx.identity.sub, input.idempotencyKey);
    if (before && before.id === row.caseId) return before;
    throw failedPrecondition('the application is already submitted', { caseId: row.caseId });
  }
  if (row.status === 'DRAFT') {
    throw failedPrecondition('the application is not signed: request signatures (or record a signed paper application) first', {
      missing: [{ path: 'signatures', code: 'REQUIRED', message: 'The application must be signed before it is submitted.' }],
    });
  }
  if (row.status === 'SIGNED') {
    const missing = await missingOf(ctx, row);
    if (missing.length) throw failedPrecondition('the application is not in good order', { missing });
  }
  // The carrier gets the signed PDF: fetched from the provider now (outside any transaction) if not kept yet.
  await ensureSignedDocument(ctx, row);
  const application = applicationOf(ctx, row);
  const insured = application.insured!;
  const coverage = application.coverage!;
  return createCase(ctx, {
    idempotencyKey: input.idempotencyKey,
    requestHash,
    agentId: row.agentId,
    carrierId: row.carrierId,
    productId: row.productId,
    insured: {
      firstName: insured.firstName ?? '',
      lastName: insured.lastName ?? '',
      birthDate: insured.birthDate!,
      gender: insured.gender as Gender,
      state: row.state,
      // Rated as the carrier's tobacco question was answered.
      tobacco: application.answers?.TOBACCO?.yes === true,
    },
    faceAmount: coverage.faceAmount!,
    termYears: coverage.termYears ?? null,
    healthClass: coverage.healthClassApplied as HealthClass,
    tableRating: input.tableRating ?? 0,
    paymentMode: (coverage.paymentMode ?? 'MONTHLY') as PaymentMode,
    writingAgents: input.writingAgents,
    alsoInTransaction: async (tx, caseId, at) => {
      const locked = await lockApplication(tx, applicationId);
      // Another submission of this application committed first (under another key): this case is not made.
      if (locked?.status !== 'SIGNED') throw conflict('the application was submitted by another request');
      await saveApplication(tx, applicationId, {
        draft: locked.draft,
        personal: locked.personal,
        status: 'SUBMITTED',
        at,
        submittedAt: at,
        caseId,
      });
      // Its documents (the signed PDF, scans) are the case's too.
      await attachApplicationDocumentsToCase(tx, applicationId, caseId);
    },
  });
}
