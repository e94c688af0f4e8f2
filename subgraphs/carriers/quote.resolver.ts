import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import type { CarriersContext } from './carriers.context';
import { compareQuotes } from './compare-quotes.service';
import { QuoteComparison, QuoteInput, type QuoteComparisonView } from './quote.type';

@Resolver(() => QuoteComparison)
export class QuoteResolver {
  /** Needs a token: every comparison may call a dozen carriers, so anonymous callers cannot spend that. */
  @Query(() => QuoteComparison, {
    description:
      'Prices the request at every asked carrier in parallel: one quote per eligible product, cheapest first, and exactly one outcome per carrier asked. One carrier failing never fails the comparison.',
  })
  async compareQuotes(
    @Arg('input', () => QuoteInput, { description: 'Who to quote and how.' }) input: QuoteInput,
    @Ctx() ctx: CarriersContext,
  ): Promise<QuoteComparisonView> {
    requireSignedIn(ctx.identity);
    return compareQuotes(ctx, input);
  }
}
