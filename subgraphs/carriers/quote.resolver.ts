import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../shared/auth';
import { Carrier, type CarrierRow } from './carrier.type';
import type { CarriersContext } from './carriers.context';
import { compareQuotes, compareQuotesAt, quoteCarriers } from './compare-quotes.service';
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

  /** No carrier is called: validation and the catalog only (the subscription quoteComparison starts with it). */
  @Query(() => [Carrier], {
    description:
      'The carriers compareQuotes asks for this input, ordered by name: carrierIds and minAmBestRating applied, the input checked exactly as compareQuotes checks it (the same BAD_USER_INPUT errors). No carrier is called.',
  })
  async quoteCarriers(
    @Arg('input', () => QuoteInput, { description: 'Who to quote and how, as compareQuotes takes it.' }) input: QuoteInput,
    @Ctx() ctx: CarriersContext,
  ): Promise<CarrierRow[]> {
    requireSignedIn(ctx.identity);
    return quoteCarriers(ctx, input);
  }

  @Query(() => QuoteComparison, {
    description:
      "One carrier's part of compareQuotes(input): the input checked as compareQuotes checks it, then only this carrier priced under the same deadline: its quotes and exactly one outcome (an issue age this carrier alone does not take is its NO_ELIGIBLE_PRODUCT outcome, as in the whole comparison). One carrier call at most. The subscription quoteComparison runs one per carrier of quoteCarriers.",
  })
  async compareQuotesAt(
    @Arg('input', () => QuoteInput, { description: 'Who to quote and how, as compareQuotes takes it.' }) input: QuoteInput,
    @Arg('carrierId', () => ID, { description: 'One of the carriers quoteCarriers answers for this input (car_...).' }) carrierId: string,
    @Ctx() ctx: CarriersContext,
  ): Promise<QuoteComparisonView> {
    requireSignedIn(ctx.identity);
    return compareQuotesAt(ctx, input, carrierId);
  }
}
