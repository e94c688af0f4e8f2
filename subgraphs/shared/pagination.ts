import { Directive, Field, ObjectType } from 'type-graphql';
import { badInput } from '../../platform/errors';

@ObjectType({ description: 'Relay page information for a connection.' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow the last edge.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items precede the first edge (i.e. `after` was given).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first edge.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge: pass it as `after` for the next page.' })
  endCursor!: string | null;
}

/** Cursors are opaque to clients: base64url of a JSON array of the keyset values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** The keyset values of a cursor; BAD_USER_INPUT when it was not made by encodeCursor with this shape. */
export function decodeCursor(cursor: string, shape: readonly ('string' | 'number')[], argument = 'after'): (string | number)[] {
  let values: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error('not base64url');
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput(`${argument} is not a valid cursor`);
  }
  if (!Array.isArray(values) || values.length !== shape.length || values.some((v, i) => typeof v !== shape[i])) {
    throw badInput(`${argument} is not a valid cursor`);
  }
  return values as (string | number)[];
}

/** A page size within [0, max]; BAD_USER_INPUT naming the argument otherwise. */
export function pageSize(first: number | undefined | null, max: number, fallback = 50): number {
  const n = first ?? fallback;
  if (!Number.isInteger(n) || n < 0 || n > max) throw badInput(`first must be between 0 and ${max}`);
  return n;
}

/**
 * A keyset page from rows read with `limit + 1` (the extra row only says another page follows):
 * the edges with their cursors and the page info. `after` is the cursor the page was asked after.
 */
export function keysetPage<Row, Node = Row>(
  rows: readonly Row[],
  limit: number,
  after: string | null | undefined,
  cursorOf: (row: Row) => readonly (string | number)[],
  nodeOf: (row: Row) => Node = (row) => row as unknown as Node,
): { edges: { cursor: string; node: Node }[]; pageInfo: PageInfo } {
  const edges = rows.slice(0, limit).map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: nodeOf(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: Boolean(after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
