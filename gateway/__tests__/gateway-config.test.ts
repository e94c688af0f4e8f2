import { readGatewayConfig } from '../gateway.config';

describe('gateway configuration', () => {
  it('bounds the in-process cache (no REDIS_URL) at CACHE_MEMORY_MAX_MB, as the subgraphs do (default 32)', () => {
    expect(readGatewayConfig({}).cacheMemoryMaxMb).toBe(32);
    expect(readGatewayConfig({ CACHE_MEMORY_MAX_MB: '16' }).cacheMemoryMaxMb).toBe(16);
    expect(() => readGatewayConfig({ CACHE_MEMORY_MAX_MB: '2048' })).toThrow(/CACHE_MEMORY_MAX_MB must be at most 1024/);
  });

  it('reads CORS_ORIGINS as exact origins (none by default) and refuses anything else', () => {
    expect(readGatewayConfig({}).corsOrigins).toEqual([]);
    expect(readGatewayConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    for (const bad of ['*', 'https://app.example.com/', 'app.example.com', 'ftp://x.example.com'])
      expect(() => readGatewayConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
  });

  it('serves /metrics beside /graphql unless METRICS_PORT is set', () => {
    expect(readGatewayConfig({}).metricsPort).toBeUndefined();
    expect(readGatewayConfig({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => readGatewayConfig({ METRICS_PORT: 'x' })).toThrow(/METRICS_PORT/);
  });
});
