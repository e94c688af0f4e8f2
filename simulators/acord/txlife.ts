/**
 * TXLife XML for the simulated ACORD carriers: the same reading and writing of the wire format as
 * the adapter (one parser configuration, one set of readers), so both ends agree on the envelope.
 * What each side says inside it — codes, transactions, answers — stays in its own module.
 */
import { formatMoney } from '../../platform/money';

export {
  buildTxLife,
  child,
  children,
  parseTxLife,
  tc,
  tcOf,
  text,
  type XmlNode,
} from '../../subgraphs/carriers/adapters/acord/txlife.xml';

/** Cents as an ACORD amount: dollars with two decimals. */
export const amount = (cents: number): string => formatMoney(cents);
