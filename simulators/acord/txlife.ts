/**
 * TXLife XML as the simulated ACORD carriers read and write it: their own parser configuration and
 * readers, apart from the adapter's, as a real carrier's system would be. Values stay exactly as
 * sent (codes like "012", amounts like "370.00"); repeatable ACORD elements are always arrays.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { formatMoney } from '../../platform/money';

export type XmlNode = { [name: string]: unknown };

/** Elements that may occur more than once: read as lists even when one arrives. */
const LISTS = new Set([
  'TXLifeRequest',
  'TXLifeResponse',
  'Holding',
  'Party',
  'Relation',
  'Coverage',
  'LifeParticipant',
  'RequirementInfo',
  'ResultInfo',
  'ModalPremium',
  'PolicyProduct',
  'DurationDesign',
  'UnderwritingClassProduct',
  'JurisdictionApproval',
  'ChangeSubType',
  'SignatureInfo',
  'Attachment',
  'FormInstance',
  'FormResponse',
]);

const reader = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => LISTS.has(name),
});
const writer = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

/** The TXLife root of a request, or undefined when the body is not TXLife XML. */
export function parseTxLife(xml: string): XmlNode | undefined {
  try {
    const root = (reader.parse(xml, true) as XmlNode).TXLife;
    return root && typeof root === 'object' ? (root as XmlNode) : undefined;
  } catch {
    return undefined;
  }
}

export function buildTxLife(content: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${writer.build({ TXLife: { '@_Version': '2.43.00', ...content } })}`;
}

const first = (value: unknown) => (Array.isArray(value) ? value[0] : value);

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = first(node?.[name]);
  return value && typeof value === 'object' ? (value as XmlNode) : undefined;
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}

/** The trimmed text of a child element; undefined when absent or blank. */
export function text(node: XmlNode | undefined, name: string): string | undefined {
  const value = first(node?.[name]);
  const raw = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as XmlNode)['#text'] : undefined;
  return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
}

/** The tc attribute of a child element. */
export function tcOf(node: XmlNode | undefined, name: string): string | undefined {
  const code = child(node, name)?.['@_tc'];
  return typeof code === 'string' && code.trim() ? code.trim() : undefined;
}

/** A coded element, `<X tc="code">name</X>`. */
export const tc = (code: string, name?: string): XmlNode => (name ? { '@_tc': code, '#text': name } : { '@_tc': code });

/** Cents as an ACORD amount: dollars with two decimals. */
export const amount = (cents: number): string => formatMoney(cents);
