import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../platform/scalars';
import { CarrierOutcome, Quote, QuoteClientInput, type CarrierOutcomeView, type QuoteView } from './quote.type';

@InputType({
  description:
    'One client, several scenarios: every face amount in faceAmounts with every term in termYears, each cell a whole comparison. At most 25 cells (5 face amounts x 5 terms, or 25 x 1). Every other field means what it means in QuoteInput.',
})
export class QuoteMatrixInput extends QuoteClientInput {
  @Field(() => [Int], {
    description:
      'The face amounts to compare, in whole dollars, 1 to 100,000,000 each, no repeats. Cells are ordered by face amount, smallest first.',
  })
  faceAmounts!: number[];

  @Field(() => [Int], {
    nullable: true,
    description:
      'The level-premium periods to compare (10, 15, 20, 25 or 30, no repeats): required for TERM, refused for other product types. Within a face amount, cells are ordered by term, shortest first.',
  })
  termYears?: number[] | null;
}

/** A cell as the resolvers see it. */
export interface QuoteMatrixCellView {
  faceAmount: number;
  termYears: number | null;
  quotes: QuoteView[];
  outcomes: CarrierOutcomeView[];
}

@ObjectType({ description: 'One scenario of a matrix: the same answer compareQuotes gives for this face amount and term.' })
export class QuoteMatrixCell {
  @Field(() => Int, { description: 'Face amount in whole dollars.' })
  faceAmount!: number;

  @Field(() => Int, { nullable: true, description: 'Level-premium period in years (TERM); null for other product types.' })
  termYears!: number | null;

  @Field(() => [Quote], {
    description: "This cell's quotes, ranked as QuoteComparison.quotes is (cheapest in the requested paymentMode first).",
  })
  quotes!: QuoteView[];

  @Field(() => [CarrierOutcome], { description: 'Exactly one per carrier asked, ordered by carrier name.' })
  outcomes!: CarrierOutcomeView[];
}

export interface QuoteMatrixView {
  cells: QuoteMatrixCellView[];
  generatedAt: string;
}

@ObjectType({ description: 'Every scenario of a quoteMatrix request, each priced by every asked carrier.' })
export class QuoteMatrix {
  @Field(() => [QuoteMatrixCell], { description: 'One per face amount and term: by face amount ascending, then term ascending.' })
  cells!: QuoteMatrixCellView[];

  @Field(() => DateTimeScalar, { description: 'When the matrix was made.' })
  generatedAt!: string;
}
