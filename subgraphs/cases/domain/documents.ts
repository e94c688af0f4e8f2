/**
 * The rules of documents, as plain functions: which kinds exist, what each may be attached to, which
 * file formats are accepted and how a file proves its format (its first bytes, never its name or the
 * client's word), and what a file name may be. No I/O: the service stores what these accept.
 */

/** What a document is attached to. */
export const DOCUMENT_OWNER_KINDS = ['APPLICATION', 'CASE', 'REQUIREMENT'] as const;
export type DocumentOwnerKindValue = (typeof DOCUMENT_OWNER_KINDS)[number];

/** What a document is. */
export const DOCUMENT_TYPES = [
  'APPLICATION_PDF',
  'SIGNED_APPLICATION',
  'APPLICATION_SCAN',
  'AMENDMENT',
  'APS',
  'EXAM_RESULTS',
  'ILLUSTRATION',
  'OTHER',
] as const;
export type DocumentTypeValue = (typeof DOCUMENT_TYPES)[number];

/**
 * Types that are always PDFs: the application we generate, the same signed, and the carrier's
 * illustration. Scans, amendments, medical records and the rest may also be images.
 */
export const PDF_ONLY_TYPES: ReadonlySet<DocumentTypeValue> = new Set(['APPLICATION_PDF', 'SIGNED_APPLICATION', 'ILLUSTRATION']);

/** The accepted formats, by content type, with the bytes each file of that format begins with. */
export const CONTENT_SIGNATURES: Readonly<Record<string, readonly (readonly number[])[]>> = {
  'application/pdf': [[0x25, 0x50, 0x44, 0x46, 0x2d]], // %PDF-
  'image/png': [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]],
  'image/jpeg': [[0xff, 0xd8, 0xff]],
  'image/tiff': [
    [0x49, 0x49, 0x2a, 0x00], // little-endian
    [0x4d, 0x4d, 0x00, 0x2a], // big-endian
  ],
};
export const CONTENT_TYPES = Object.keys(CONTENT_SIGNATURES);

/** The format the bytes are, by their signature; undefined for anything else. */
export function sniffContentType(bytes: Uint8Array): string | undefined {
  return CONTENT_TYPES.find((type) => CONTENT_SIGNATURES[type].some((signature) => signature.every((byte, i) => bytes[i] === byte)));
}

/** A file name as it is kept: 1 to 255 characters, no path, no control characters. */
function isFileName(name: string): boolean {
  if (name.length < 1 || name.length > 255 || name === '.' || name === '..') return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2f || c === 0x5c) return false;
  }
  return true;
}

export interface DocumentCandidate {
  type: DocumentTypeValue;
  fileName: string;
  /** As the client declares it; when absent, the format the bytes are. */
  contentType?: string | null;
  bytes: Uint8Array;
}

export interface DocumentVerdict {
  /** The content type the document is kept with (lower case), when it is an accepted format. */
  contentType: string | undefined;
  /** The trimmed file name. */
  fileName: string;
  /** Why it cannot be taken, beyond its size; empty when it can. Never the file name or the content. */
  reasons: string[];
}

const FORMAT_NAMES: Readonly<Record<string, string>> = {
  'application/pdf': 'a PDF (it does not begin with %PDF-)',
  'image/png': 'a PNG',
  'image/jpeg': 'a JPEG',
  'image/tiff': 'a TIFF',
};

/** Checks a document's name and format: the format is what its first bytes say, and must match what the client declares. */
export function checkDocument(candidate: DocumentCandidate): DocumentVerdict {
  const reasons: string[] = [];
  const fileName = candidate.fileName.trim();
  if (!isFileName(fileName)) reasons.push('fileName must be 1 to 255 characters, without slashes or control characters');
  if (candidate.bytes.length === 0) reasons.push('the document is empty');
  const sniffed = sniffContentType(candidate.bytes);
  const declared = candidate.contentType?.trim().toLowerCase() || undefined;
  const contentType = declared ?? sniffed;
  if (declared !== undefined && !CONTENT_SIGNATURES[declared]) reasons.push(`contentType must be one of ${CONTENT_TYPES.join(', ')}`);
  else if (PDF_ONLY_TYPES.has(candidate.type) && (contentType !== 'application/pdf' || sniffed !== 'application/pdf'))
    reasons.push(`a ${candidate.type} must be a PDF: the content is not a PDF (it does not begin with %PDF-)`);
  else if (candidate.bytes.length > 0 && contentType === undefined)
    reasons.push(`the content is none of ${CONTENT_TYPES.join(', ')} (checked by its first bytes)`);
  else if (candidate.bytes.length > 0 && sniffed !== contentType) reasons.push(`the content is not ${FORMAT_NAMES[contentType!]}`);
  return { contentType: reasons.length === 0 ? contentType : undefined, fileName, reasons };
}

/** Whether the document is larger than the limit (checked first: nothing else of it is read then). */
export const exceedsLimit = (sizeBytes: number, maxBytes: number): boolean => sizeBytes > maxBytes;
