import { parseCacheControl, publicMaxAge } from '../cache-control';

describe('Cache-Control parsing', () => {
  it('reads max-age, public and private, as the subgraphs write them', () => {
    expect(parseCacheControl('max-age=300, public')).toEqual({ maxAge: 300, public: true, private: false });
    expect(parseCacheControl('private, max-age=60')).toEqual({ maxAge: 60, public: false, private: true });
    expect(parseCacheControl('no-store')).toEqual({ public: false, private: false });
  });

  it('reads nothing from no header', () => {
    expect(parseCacheControl(null)).toEqual({ public: false, private: false });
    expect(parseCacheControl(undefined)).toEqual({ public: false, private: false });
    expect(parseCacheControl('')).toEqual({ public: false, private: false });
  });

  it('takes names in any case, spaces anywhere and a quoted value', () => {
    expect(parseCacheControl('  Max-Age = "120" ,PUBLIC ')).toEqual({ maxAge: 120, public: true, private: false });
  });

  it('ignores a max-age that is not a whole number of seconds', () => {
    for (const header of ['max-age=', 'max-age=-5', 'max-age=1.5', 'max-age=abc', 'max-age']) {
      expect(parseCacheControl(`${header}, public`).maxAge).toBeUndefined();
    }
    expect(parseCacheControl('max-age=0').maxAge).toBe(0);
  });

  it('says an answer may be kept for anyone only when public with a positive max-age', () => {
    expect(publicMaxAge('max-age=300, public')).toBe(300);
    expect(publicMaxAge('max-age=300, private')).toBe(0);
    expect(publicMaxAge('max-age=300')).toBe(0);
    expect(publicMaxAge('max-age=0, public')).toBe(0);
    expect(publicMaxAge('public')).toBe(0);
    expect(publicMaxAge(null)).toBe(0);
  });
});
