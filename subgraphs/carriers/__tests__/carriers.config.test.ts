import pino from 'pino';
import { MemoryCache } from '../../../platform/cache';
import { ConfigError } from '../../../platform/config';
import { buildAdapters } from '../adapters/adapter.registry';
import type { CarrierAdapterFactory } from '../adapters/carrier-adapter.port';
import { devCredentials, envCode, readCarriersConfig } from '../carriers.config';
import { CARRIERS } from '../fixtures/carriers.fixture';
import { devClientCredentials, envName } from '../../../simulators/environment';
import { FakeAdapter } from './fake-carriers';

const urls = (carriers = CARRIERS) =>
  Object.fromEntries(carriers.map((c) => [`CARRIER_${envCode(c.code)}_URL`, `http://127.0.0.1:9/${c.code.toLowerCase()}/`]));

describe('readCarriersConfig', () => {
  it('has the documented defaults', () => {
    const config = readCarriersConfig(CARRIERS, urls());
    expect(config.compareTimeoutMs).toBe(4000);
    expect(config.policy).toEqual({
      timeoutMs: 2500,
      retries: 2,
      retryInitialDelayMs: 50,
      retryMaxDelayMs: 400,
      breakerThreshold: 5,
      breakerCooldownMs: 10_000,
      bulkheadLimit: 32,
      bulkheadQueue: 256,
      healthWindow: 50,
    });
    expect(config.ttlSeconds).toEqual({ quote: 900, status: 60, catalog: 3600 });
    expect(config.catalogRefreshMs).toBe(900_000);
    expect(config.endpoints).toHaveLength(CARRIERS.length);
    expect(config.warnings).toEqual([]);
  });

  it('gives each carrier its endpoint (no trailing slash), dev credentials by default and the common deadline', () => {
    const summit = CARRIERS[0];
    const endpoint = readCarriersConfig(CARRIERS, urls()).endpoints.find((e) => e.carrierId === summit.id)!;
    expect(endpoint).toEqual({
      carrierId: summit.id,
      code: summit.code,
      protocol: summit.protocol,
      url: `http://127.0.0.1:9/${summit.code.toLowerCase()}`,
      ...devCredentials(summit.code),
      timeoutMs: 2500,
    });
  });

  it('reads per-carrier credentials and deadline overrides', () => {
    const code = envCode(CARRIERS[4].code);
    const config = readCarriersConfig(CARRIERS, {
      ...urls(),
      [`CARRIER_${code}_CLIENT_ID`]: 'id-1',
      [`CARRIER_${code}_CLIENT_SECRET`]: 's3cret',
      [`CARRIER_${code}_TIMEOUT_MS`]: '700',
      CARRIER_TIMEOUT_MS: '900',
    });
    const endpoint = config.endpoints.find((e) => e.carrierId === CARRIERS[4].id)!;
    expect(endpoint).toMatchObject({ clientId: 'id-1', clientSecret: 's3cret', timeoutMs: 700 });
    expect(config.endpoints.find((e) => e.carrierId === CARRIERS[0].id)!.timeoutMs).toBe(900);
  });

  it.each([
    ['CARRIER_TIMEOUT_MS', 'soon'],
    ['COMPARE_TIMEOUT_MS', '0'],
    ['CARRIER_RETRIES', '9'],
    ['CARRIER_BREAKER_THRESHOLD', '0'],
    [`CARRIER_${envCode(CARRIERS[0].code)}_URL`, 'not a url'],
    [`CARRIER_${envCode(CARRIERS[0].code)}_TIMEOUT_MS`, '-1'],
  ])('throws a ConfigError naming %s for %j', (name, value) => {
    expect(() => readCarriersConfig(CARRIERS, { ...urls(), [name]: value })).toThrow(ConfigError);
    expect(() => readCarriersConfig(CARRIERS, { ...urls(), [name]: value })).toThrow(name);
  });

  it('reports unknown carrier codes and unconfigured carriers, never failing on them', () => {
    const some = CARRIERS.slice(0, 10);
    const config = readCarriersConfig(CARRIERS, { ...urls(some), CARRIER_NOPE_URL: 'http://x', CARRIER_ACME_LIFE_CLIENT_SECRET: 'x' });
    expect(config.endpoints).toHaveLength(10);
    expect(config.unconfigured).toEqual(CARRIERS.slice(10).map((c) => `CARRIER_${envCode(c.code)}_URL`));
    expect(config.warnings).toEqual([
      `2 of ${CARRIERS.length} carriers unconfigured (their quotes answer ERROR): set ${config.unconfigured.join(', ')}`,
      'CARRIER_ACME_LIFE_CLIENT_SECRET names an unknown carrier code ACME_LIFE: ignored',
      'CARRIER_NOPE_URL names an unknown carrier code NOPE: ignored',
    ]);
  });

  it('refuses the development client secret of a REST carrier in production', () => {
    const rest = CARRIERS.find((c) => c.protocol === 'REST')!;
    expect(() => readCarriersConfig(CARRIERS, { ...urls(), NODE_ENV: 'production' })).toThrow(
      `CARRIER_${envCode(rest.code)}_CLIENT_SECRET`,
    );
    const secrets = Object.fromEntries(
      CARRIERS.filter((c) => c.protocol === 'REST').map((c) => [`CARRIER_${envCode(c.code)}_CLIENT_SECRET`, 'real']),
    );
    expect(() => readCarriersConfig(CARRIERS, { ...urls(), ...secrets, NODE_ENV: 'production' })).not.toThrow();
  });

  it('is frozen', () => {
    const config = readCarriersConfig(CARRIERS, urls());
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.endpoints[0])).toBe(true);
    expect(Object.isFrozen(config.policy)).toBe(true);
  });
});

describe('buildAdapters', () => {
  const deps = { cache: new MemoryCache(10), logger: pino({ level: 'silent' }) };
  const fake: CarrierAdapterFactory = (carrier) => new FakeAdapter(carrier);

  it("builds one adapter per configured carrier with its protocol's factory, passing the endpoint", () => {
    const seen: string[] = [];
    const factory: CarrierAdapterFactory = (carrier, endpoint) => {
      seen.push(`${carrier.id}@${endpoint.url}`);
      return new FakeAdapter(carrier);
    };
    const { endpoints } = readCarriersConfig(CARRIERS, urls());
    const built = buildAdapters(CARRIERS, endpoints, deps, { ACORD: factory, REST: factory, RATEBOOK: factory });
    expect(built.warnings).toEqual([]);
    expect([...built.adapters.keys()]).toEqual(CARRIERS.map((c) => c.id));
    expect(seen).toEqual(CARRIERS.map((c) => `${c.id}@http://127.0.0.1:9/${c.code.toLowerCase()}`));
  });

  it('reports a carrier whose protocol has no factory, or whose factory throws, and builds the rest', () => {
    const { endpoints } = readCarriersConfig(CARRIERS, urls());
    const throwing: CarrierAdapterFactory = () => {
      throw new Error('no code map for class STANDARD');
    };
    const built = buildAdapters(CARRIERS, endpoints, deps, { ACORD: fake, REST: throwing });
    const ratebook = CARRIERS.filter((c) => c.protocol === 'RATEBOOK');
    const rest = CARRIERS.filter((c) => c.protocol === 'REST');
    expect(built.adapters.size).toBe(CARRIERS.filter((c) => c.protocol === 'ACORD').length);
    expect(built.warnings).toEqual(
      CARRIERS.filter((c) => c.protocol !== 'ACORD').map((c) =>
        c.protocol === 'REST'
          ? `carrier ${c.id} (${c.code}): adapter could not be built: no code map for class STANDARD`
          : `carrier ${c.id} (${c.code}) speaks unknown protocol RATEBOOK: no adapter`,
      ),
    );
    expect(ratebook.length + rest.length).toBe(built.warnings.length);
  });
});

describe('agreement with the simulators', () => {
  it('uses the variable names and development credentials the simulators announce', () => {
    for (const code of ['SUMMIT', 'CEDAR', 'new-co.7']) {
      expect(envCode(code)).toBe(envName(code));
      expect(devCredentials(code)).toEqual(devClientCredentials(code));
    }
  });
});
