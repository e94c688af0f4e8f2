import { checkDocument, exceedsLimit, sniffContentType } from '../documents';

const bytes = (...values: number[]) => new Uint8Array(values);
const PDF = new TextEncoder().encode('%PDF-1.4\n%%EOF\n');
const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0);
const JPEG = bytes(0xff, 0xd8, 0xff, 0xe1);
const TIFF_LE = bytes(0x49, 0x49, 0x2a, 0x00, 8);
const TIFF_BE = bytes(0x4d, 0x4d, 0x00, 0x2a, 0);

describe('the format of a document', () => {
  it('is what its first bytes say', () => {
    expect([PDF, PNG, JPEG, TIFF_LE, TIFF_BE].map(sniffContentType)).toEqual([
      'application/pdf',
      'image/png',
      'image/jpeg',
      'image/tiff',
      'image/tiff',
    ]);
    expect(sniffContentType(new TextEncoder().encode('%PDF'))).toBeUndefined();
    expect(sniffContentType(new TextEncoder().encode('GIF89a'))).toBeUndefined();
    expect(sniffContentType(bytes())).toBeUndefined();
  });

  it('is read from the content when the client does not say, and must match when it does', () => {
    expect(checkDocument({ type: 'APS', fileName: ' aps.tif ', bytes: TIFF_BE })).toEqual({
      contentType: 'image/tiff',
      fileName: 'aps.tif',
      reasons: [],
    });
    expect(checkDocument({ type: 'APS', fileName: 'aps.pdf', contentType: 'Application/PDF', bytes: PDF }).contentType).toBe(
      'application/pdf',
    );
    expect(checkDocument({ type: 'APS', fileName: 'x.png', contentType: 'image/png', bytes: JPEG }).reasons).toEqual([
      'the content is not a PNG',
    ]);
    expect(checkDocument({ type: 'OTHER', fileName: 'x.gif', bytes: new TextEncoder().encode('GIF89a') }).reasons).toEqual([
      'the content is none of application/pdf, image/png, image/jpeg, image/tiff (checked by its first bytes)',
    ]);
  });

  it('is always a PDF for the generated and signed application and the illustration', () => {
    for (const type of ['APPLICATION_PDF', 'SIGNED_APPLICATION', 'ILLUSTRATION'] as const) {
      expect(checkDocument({ type, fileName: 'a.pdf', bytes: PDF }).reasons).toEqual([]);
      expect(checkDocument({ type, fileName: 'a.png', bytes: PNG }).reasons).toEqual([
        `a ${type} must be a PDF: the content is not a PDF (it does not begin with %PDF-)`,
      ]);
      expect(checkDocument({ type, fileName: 'a.pdf', contentType: 'application/pdf', bytes: PNG }).reasons).toHaveLength(1);
    }
    // A scan may be an image.
    expect(checkDocument({ type: 'APPLICATION_SCAN', fileName: 'scan.jpg', bytes: JPEG }).reasons).toEqual([]);
  });
});

describe('the name and size of a document', () => {
  it('refuses empty content and names with a path or control characters', () => {
    const reasons = (fileName: string) => checkDocument({ type: 'OTHER', fileName, bytes: PDF }).reasons;
    for (const bad of ['', '   ', '../etc/passwd', 'a\\b.pdf', 'a\u0000.pdf', 'line\nbreak.pdf', '..', 'x'.repeat(256)]) {
      expect(reasons(bad)).toEqual(['fileName must be 1 to 255 characters, without slashes or control characters']);
    }
    expect(reasons('Résumé – médical (2).pdf')).toEqual([]);
    expect(checkDocument({ type: 'OTHER', fileName: 'a.pdf', bytes: bytes() }).reasons).toContain('the document is empty');
  });

  it('is over the limit only beyond it', () => {
    expect(exceedsLimit(10, 10)).toBe(false);
    expect(exceedsLimit(11, 10)).toBe(true);
  });
});
