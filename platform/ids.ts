import { randomBytes } from 'node:crypto';
import { badInput } from './errors';

/** Id prefixes of the contract: ids are opaque strings with a type prefix, stable across restarts. */
export const ID_PREFIX = {
  agent: 'agt_',
  license: 'lic_',
  appointment: 'apt_',
  carrier: 'car_',
  product: 'prd_',
  case: 'case_',
  requirement: 'req_',
  application: 'app_',
  caseChange: 'chg_',
  document: 'doc_',
  webhookSubscriber: 'whk_',
} as const;
export type IdKind = keyof typeof ID_PREFIX;

const ID_BODY = /^[a-z0-9_]{1,64}$/;

export function isId(kind: IdKind, value: unknown): value is string {
  const prefix = ID_PREFIX[kind];
  return typeof value === 'string' && value.startsWith(prefix) && ID_BODY.test(value.slice(prefix.length));
}

/** The id itself when well formed; BAD_USER_INPUT naming the argument otherwise. */
export function parseId(kind: IdKind, value: string, argument: string): string {
  if (!isId(kind, value)) throw badInput(`${argument} is not a valid ${kind} id (expected ${ID_PREFIX[kind]}...)`);
  return value;
}

export function parseIds(kind: IdKind, values: readonly string[] | undefined | null, argument: string): string[] | undefined {
  return values?.map((value) => parseId(kind, value, argument));
}

/** A new random id of a kind, for rows created at run time (the seed uses stable ones). */
export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}${randomBytes(9).toString('hex')}`;
}
