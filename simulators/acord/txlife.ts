/**
 * TXLife XML on the carrier side: parsing with every repeatable ACORD element as an array (so one
 * Holding and three look the same), building with attributes as `@_name`, and small readers for
 * the shapes ACORD uses everywhere (`<X tc="2">Preferred</X>`, element text).
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export type XmlNode = { [name: string]: unknown };

const REPEATABLE = new Set([
  'TXLifeRequest', 'TXLifeResponse', 'Holding', 'Party', 'Relation', 'Coverage', 'LifeParticipant', 'RequirementInfo', 'ResultInfo',
  'ModalPremium', 'PolicyProduct', 'DurationDesign', 'UnderwritingClassProduct', 'JurisdictionApproval',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Codes like tc="012" and amounts like "500000.00" must stay exactly as sent.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATABLE.has(name),
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

/** The document's TXLife element, or undefined when the text is not well-formed TXLife XML. */
export function parseTxLife(xml: string): XmlNode | undefined {
  try {
    const document = parser.parse(xml, true) as XmlNode;
    const root = document.TXLife;
    return root && typeof root === 'object' ? (root as XmlNode) : undefined;
  } catch {
    return undefined;
  }
}

export function buildTxLife(root: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ TXLife: { '@_Version': '2.43.00', ...root } })}`;
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  const value = node?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first && typeof first === 'object' ? (first as XmlNode) : undefined;
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is XmlNode => typeof v === 'object' && v !== null);
}

/** The text of a child element (`<X>text</X>` or `<X tc="1">text</X>`). */
export function text(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first === 'string') return first.trim();
  if (first && typeof first === 'object' && typeof (first as XmlNode)['#text'] === 'string') return ((first as XmlNode)['#text'] as string).trim();
  return undefined;
}

/** The tc attribute of a child element. */
export function tcOf(node: XmlNode | undefined, name: string): string | undefined {
  const tc = child(node, name)?.['@_tc'];
  return typeof tc === 'string' ? tc.trim() : undefined;
}

/** A coded element: `<X tc="code">name</X>`. */
export const tc = (code: string, name?: string): XmlNode => (name ? { '@_tc': code, '#text': name } : { '@_tc': code });

/** Cents as an ACORD amount: dollars with two decimals. */
export const amount = (cents: number): string => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
