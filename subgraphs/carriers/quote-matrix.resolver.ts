import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import type { CarriersContext } from './carriers.context';
import { quoteMatrix } from './quote-matrix.service';
import { QuoteMatrix, QuoteMatrixInput, type QuoteMatrixView } from './quote-matrix.type';

@Resolver(() => QuoteMatrix)
export class QuoteMatrixResolver {
  /** Needs a token, as compareQuotes does: one matrix may call every carrier 25 times. */
  @Query(() => QuoteMatrix, {
    description:
      'Several scenarios for one client in one request: every face amount x term (at most 25 cells), each priced by every asked carrier as compareQuotes would price it. Cells share the quote cache with compareQuotes; all cells run at once under one deadline, each carrier called at most once per cell.',
  })
  async quoteMatrix(
    @Arg('input', () => QuoteMatrixInput, { description: 'The client, and the face amounts and terms to compare.' })
    input: QuoteMatrixInput,
    @Ctx() ctx: CarriersContext,
  ): Promise<QuoteMatrixView> {
    requireSignedIn(ctx.identity);
    return quoteMatrix(ctx, input);
  }
}
