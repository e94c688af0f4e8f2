import { bool, ConfigError, int, oneOf, readCommonConfig, url } from '../config';

describe('configuration readers', () => {
  it('uses defaults for unset or blank variables', () => {
    expect(int({}, 'X', 5)).toBe(5);
    expect(int({ X: '  ' }, 'X', 5)).toBe(5);
    expect(bool({}, 'B', true)).toBe(true);
  });

  it('names the variable in every error', () => {
    expect(() => int({ PORT: 'abc' }, 'PORT', 1)).toThrow(new ConfigError('PORT', 'must be a whole number, got "abc"'));
    expect(() => int({ PORT: '70000' }, 'PORT', 1, { max: 65535 })).toThrow(/PORT must be at most 65535/);
    expect(() => bool({ DEBUG_STATS: 'maybe' }, 'DEBUG_STATS', false)).toThrow(/DEBUG_STATS must be true or false/);
    expect(() => oneOf({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', ['info', 'warn'] as const, 'info')).toThrow(
      /LOG_LEVEL must be one of info, warn/,
    );
    expect(() => url({ AGENTS_URL: 'not a url' }, 'AGENTS_URL')).toThrow(/AGENTS_URL must be a URL/);
  });

  it('requires DATABASE_URL and refuses development secrets in production', () => {
    expect(() => readCommonConfig({})).toThrow(/DATABASE_URL is required/);
    expect(() => readCommonConfig({ DATABASE_URL: 'postgres://x', NODE_ENV: 'production' })).toThrow(/IDENTITY_SECRET/);
    const config = readCommonConfig({ DATABASE_URL: 'postgres://x', DEBUG_STATS: 'on' });
    expect(config.debugStats).toBe(true);
    expect(config.redisUrl).toBeUndefined();
  });

  it('bounds the in-process cache at CACHE_MEMORY_MAX_MB (default 32), within 1 to 1024', () => {
    expect(readCommonConfig({ DATABASE_URL: 'postgres://x' }).cacheMemoryMaxMb).toBe(32);
    expect(readCommonConfig({ DATABASE_URL: 'postgres://x', CACHE_MEMORY_MAX_MB: '8' }).cacheMemoryMaxMb).toBe(8);
    expect(() => readCommonConfig({ DATABASE_URL: 'postgres://x', CACHE_MEMORY_MAX_MB: '0' })).toThrow(/CACHE_MEMORY_MAX_MB/);
  });
});
