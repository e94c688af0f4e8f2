/**
 * The typed client in use: the cheapest monthly premium for a client, across every carrier. The
 * result's type comes from the operation (examples/operations/CompareQuotes.graphql): a field not
 * selected there, or a misspelt input, is a compile error. The tests compile and run it.
 */
import { type ClientOptions, request } from './client';
import { CompareQuotesDocument, type CompareQuotesQuery } from './generated';

export type QuoteLine = CompareQuotesQuery['compareQuotes']['quotes'][number];

export async function cheapestQuote(options: ClientOptions): Promise<QuoteLine | undefined> {
  const { compareQuotes } = await request(options, CompareQuotesDocument, {
    input: {
      state: 'TX',
      birthDate: '1990-03-10',
      gender: 'MALE',
      tobacco: false,
      healthClass: 'PREFERRED',
      faceAmount: 500_000,
      termYears: 20,
      paymentMode: 'MONTHLY',
    },
  });
  // Quotes come ranked by the premium in the mode asked for.
  return compareQuotes.quotes[0];
}
