import { requireSignedIn } from '../shared/auth';
import type { ReferenceResolvers } from '../shared/federation';
import type { CasesContext } from './case.loader';
import { canSeeCase } from './case.scope';

export const caseReferences: ReferenceResolvers = {
  Case: {
    // Unknown cases, and cases outside an agent caller's scope, resolve to null: existence never leaks.
    // A signed ANONYMOUS identity must not read cases through _entities any more than through `case`.
    __resolveReference: async (reference: { id: string }, ctx: CasesContext) => {
      requireSignedIn(ctx.identity);
      const row = await ctx.loaders.case.load(reference.id);
      return row && (await canSeeCase(ctx, row)) ? row : null;
    },
  },
  Agent: { __resolveReference: (reference: { id: string }) => ({ id: reference.id }) },
};
