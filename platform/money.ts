/**
 * Money is USD in integer cents inside, and the contract's decimal string with exactly two places
 * outside ("412.50"). Never binary floats.
 */

/** Integer cents as the contract's Money: dollars with exactly two places ("412.50"). */
export function formatMoney(cents: number | bigint): string {
  if (typeof cents === 'number' && !Number.isSafeInteger(cents)) throw new RangeError(`cents must be an integer, got ${cents}`);
  const big = BigInt(cents);
  const abs = big < 0n ? -big : big;
  return `${big < 0n ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** The contract's Money ("412.50", exactly two places) as integer cents; the inverse of formatMoney. */
export function parseMoney(text: string): number {
  const match = /^(-?)(\d+)\.(\d{2})$/.exec(text);
  if (!match) throw new RangeError(`Money must be a decimal with exactly two places, such as "412.50": ${text}`);
  const cents = BigInt(match[2]) * 100n + BigInt(match[3]);
  const signed = match[1] === '-' ? -cents : cents;
  if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < -BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`Money out of range: ${text}`);
  return Number(signed);
}
