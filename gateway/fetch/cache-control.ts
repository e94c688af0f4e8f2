/**
 * The directives of a Cache-Control header that decide what may be kept: `max-age` (seconds, only
 * when it is a whole number), `public` and `private`. Names are case-insensitive; a quoted value is
 * unquoted; anything else in the header is ignored.
 */
export interface CacheControl {
  maxAge?: number;
  public: boolean;
  private: boolean;
}

export function parseCacheControl(header: string | null | undefined): CacheControl {
  const parsed: CacheControl = { public: false, private: false };
  if (!header) return parsed;
  for (const part of header.split(',')) {
    const equals = part.indexOf('=');
    const name = (equals === -1 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (name === 'public') parsed.public = true;
    else if (name === 'private') parsed.private = true;
    else if (name === 'max-age' && equals !== -1) {
      const value = part
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (/^[0-9]+$/.test(value)) parsed.maxAge = Number(value);
    }
  }
  return parsed;
}

/** For how many seconds an answer may be kept for anyone: public with a positive max-age; else 0. */
export function publicMaxAge(header: string | null | undefined): number {
  const { maxAge, public: isPublic } = parseCacheControl(header);
  return isPublic && maxAge !== undefined && maxAge > 0 ? maxAge : 0;
}
