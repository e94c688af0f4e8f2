/**
 * TXLife XML for the ACORD adapter: a parser that keeps every value exactly as sent (codes like
 * "012", amounts like "370.00") and makes repeatable ACORD elements arrays whether one or many
 * arrive, a builder, and readers for ACORD's two common shapes (`<X tc="2">Preferred</X>`, text).
 * Carriers add their own elements freely: everything not read here is ignored, never an error.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export type XmlNode = { [name: string]: unknown };

const REPEATABLE = new Set([
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
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATABLE.has(name),
});

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

/** The TXLife element of a document, or undefined when the text is not well-formed XML with a TXLife root. */
export function parseTxLife(xml: string): XmlNode | undefined {
  try {
    const root = (parser.parse(xml, true) as XmlNode).TXLife;
    return root && typeof root === 'object' ? (root as XmlNode) : undefined;
  } catch {
    return undefined;
  }
}

export function buildTxLife(content: XmlNode): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ TXLife: { '@_Version': '2.43.00', ...content } })}`;
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

/** The text of a child element; undefined when absent or empty. */
export function text(node: XmlNode | undefined, name: string): string | undefined {
  const value = node?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  const raw = typeof first === 'string' ? first : first && typeof first === 'object' ? (first as XmlNode)['#text'] : undefined;
  return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
}

/** The tc attribute of a child element. */
export function tcOf(node: XmlNode | undefined, name: string): string | undefined {
  const tc = child(node, name)?.['@_tc'];
  return typeof tc === 'string' && tc.trim() ? tc.trim() : undefined;
}

/** A coded element, `<X tc="code">name</X>`. */
export const tc = (code: string, name?: string): XmlNode => (name ? { '@_tc': code, '#text': name } : { '@_tc': code });
