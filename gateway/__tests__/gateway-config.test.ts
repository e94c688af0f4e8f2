import { readGatewayConfig } from '../gateway.config';

describe('gateway configuration', () => {
  it('bounds the in-process cache (no REDIS_URL) at CACHE_MEMORY_MAX_MB, as the subgraphs do (default 32)', () => {
    expect(readGatewayConfig({}).cacheMemoryMaxMb).toBe(32);
    expect(readGatewayConfig({ CACHE_MEMORY_MAX_MB: '16' }).cacheMemoryMaxMb).toBe(16);
    expect(() => readGatewayConfig({ CACHE_MEMORY_MAX_MB: '2048' })).toThrow(/CACHE_MEMORY_MAX_MB must be at most 1024/);
  });
});
