import { decodeCursor, encodeCursor, pageSize } from '../pagination';
import { isId, parseId } from '../../../platform/ids';

describe('cursors, page sizes and ids', () => {
  it('round-trips keyset values and refuses anything else as BAD_USER_INPUT', () => {
    const cursor = encodeCursor(['2025-01-02T03:04:05.000Z', 'case_000001']);
    expect(decodeCursor(cursor, ['string', 'string'])).toEqual(['2025-01-02T03:04:05.000Z', 'case_000001']);
    for (const bad of ['!!!', Buffer.from('{"a":1}').toString('base64url'), encodeCursor(['only-one']), encodeCursor([1, 'x'])]) {
      expect(() => decodeCursor(bad, ['string', 'string'])).toThrow(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
    }
  });

  it('bounds page sizes', () => {
    expect(pageSize(undefined, 200)).toBe(50);
    expect(pageSize(200, 200)).toBe(200);
    expect(() => pageSize(201, 200)).toThrow(/first must be between 0 and 200/);
    expect(() => pageSize(-1, 200)).toThrow();
  });

  it('checks id prefixes', () => {
    expect(isId('agent', 'agt_0013')).toBe(true);
    expect(isId('agent', 'case_000001')).toBe(false);
    expect(() => parseId('case', "case_1'; drop", 'id')).toThrow(/id is not a valid case id/);
  });
});
