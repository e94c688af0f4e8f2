import { requireSignedIn } from '../shared/auth';
import type { ReferenceResolvers } from '../shared/federation';
import { canSeeCase } from './case.scope';
import type { CasesContext } from './cases.context';

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
};
