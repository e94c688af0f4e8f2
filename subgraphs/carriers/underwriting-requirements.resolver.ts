import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { todayUtc } from '../../platform/dates';
import { badInput } from '../../platform/errors';
import { isId } from '../../platform/ids';
import { DateScalar, isIsoDate } from '../../platform/scalars';
import { requireSignedIn } from '../shared/auth';
import { State, type StateCode } from '../shared/enums';
import type { CarriersContext } from './carriers.context';
import { catalogOf, type Catalog } from './catalog.snapshot';
import { MAX_FACE_AMOUNT } from './compare-quotes.service';
import { issueAge } from './domain/premium';
import { quoteRequirements } from './domain/requirements-grid';
import type { ProductRow } from './product.type';
import { UnderwritingRequirements, type UnderwritingRequirementsView } from './underwriting-requirements.type';

/** The oldest birth date accepted, in years before today (as compareQuotes). */
const MAX_AGE_YEARS = 120;

export interface UnderwritingRequirementsArgs {
  carrierId: string;
  productId?: string | null;
  birthDate: string;
  faceAmount: number;
  state: string;
}

/**
 * Checks every argument at once against the catalog: BAD_USER_INPUT with every reason, each naming
 * its argument. The birth date is never echoed (PII), nor an id that is not well formed (the caller's text).
 */
export function validateUnderwritingArgs(
  args: UnderwritingRequirementsArgs,
  catalog: Pick<Catalog, 'carriers' | 'productsOf'>,
  today = todayUtc(),
): { carrier: Catalog['carriers'][number]; product: ProductRow | null } {
  const reasons: string[] = [];
  const carrier = isId('carrier', args.carrierId) ? catalog.carriers.find((c) => c.id === args.carrierId) : undefined;
  if (!isId('carrier', args.carrierId)) reasons.push('carrierId is not a valid carrier id (expected car_...)');
  else if (!carrier) reasons.push(`carrierId ${args.carrierId} is not a carrier of the catalog`);

  let product: ProductRow | null = null;
  if (args.productId !== undefined && args.productId !== null) {
    if (!isId('product', args.productId)) reasons.push('productId is not a valid product id (expected prd_...)');
    else if (carrier) {
      product = catalog.productsOf.get(carrier.id)?.find((p) => p.id === args.productId) ?? null;
      if (!product) reasons.push(`productId ${args.productId} is not a product of carrier ${carrier.id}`);
      else if (!product.availableStates.includes(args.state as StateCode))
        reasons.push(`state ${args.state} is not a state the product is sold in`);
    }
  }

  if (!isIsoDate(args.birthDate)) reasons.push('birthDate must be a calendar date written YYYY-MM-DD');
  else if (args.birthDate > today) reasons.push('birthDate is in the future');
  else if (Number(today.slice(0, 4)) - Number(args.birthDate.slice(0, 4)) > MAX_AGE_YEARS)
    reasons.push(`birthDate is more than ${MAX_AGE_YEARS} years ago`);

  if (!Number.isInteger(args.faceAmount) || args.faceAmount <= 0) reasons.push('faceAmount must be a positive whole number of dollars');
  else if (args.faceAmount > MAX_FACE_AMOUNT) reasons.push(`faceAmount must be at most ${MAX_FACE_AMOUNT}`);

  if (reasons.length || !carrier) throw badInput(reasons.length === 1 ? reasons[0] : `invalid arguments: ${reasons.join('; ')}`, reasons);
  return { carrier, product };
}

@Resolver(() => UnderwritingRequirements)
export class UnderwritingRequirementsResolver {
  /** Needs a token, like compareQuotes: it takes a birth date. */
  @Query(() => UnderwritingRequirements, {
    description:
      "The requirements one carrier's underwriters will order for this insured and amount, and whether the case qualifies for its accelerated (no exam) program, from the carrier's grid in the catalog. Answers from this process's copy of the catalog: no carrier is called. Eligibility for the accelerated program is judged on issue age and face amount alone.",
  })
  async underwritingRequirements(
    @Arg('carrierId', () => ID, { description: 'The carrier (car_...).' }) carrierId: string,
    @Arg('birthDate', () => DateScalar, {
      description: "The insured's birth date, for the issue age under the carrier's basis; never stored or echoed.",
    })
    birthDate: string,
    @Arg('faceAmount', () => Int, { description: 'Face amount in whole dollars; must be positive.' }) faceAmount: number,
    @Arg('state', () => State, { description: "The insured's state of residence; a named product must be sold there." }) state: string,
    @Ctx() ctx: CarriersContext,
    @Arg('productId', () => ID, {
      nullable: true,
      description:
        "A product of this carrier (prd_...): a simplified-issue or final expense product asks its own short list. Omitted: the carrier's fully underwritten grid.",
    })
    productId?: string | null,
  ): Promise<UnderwritingRequirementsView> {
    requireSignedIn(ctx.identity);
    const catalog = await catalogOf(ctx);
    const today = todayUtc();
    const { carrier, product } = validateUnderwritingArgs({ carrierId, productId, birthDate, faceAmount, state }, catalog, today);
    const age = issueAge(carrier.ageBasis, birthDate, today);
    const answer = quoteRequirements(catalog.underwritingOf.get(carrier.id), {
      issueAge: age,
      faceAmount,
      productType: product?.type ?? 'TERM',
      fullyUnderwritten: product?.fullyUnderwritten ?? true,
    });
    return {
      carrier,
      product,
      issueAge: age,
      requirements: answer.expectedRequirements,
      acceleratedUnderwriting: answer.acceleratedUnderwriting,
      acceleratedReasons: answer.acceleratedReasons,
    };
  }
}
