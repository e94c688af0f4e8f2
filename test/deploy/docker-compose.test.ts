/**
 * No Docker engine runs here, so docker-compose.yml is checked for structure instead: every service
 * the production topology needs, health checks, start order, and commands that point at entry points
 * this repository really builds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..', '..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<
    string,
    {
      command?: string[];
      healthcheck?: unknown;
      depends_on?: Record<string, { condition: string }>;
      environment?: Record<string, string>;
      profiles?: string[];
    }
  >;
};
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

describe('docker-compose.yml', () => {
  const services = compose.services;

  it('describes postgres, redis, the simulators, three subgraphs and the gateway', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'simulators', 'agents', 'cases', 'carriers', 'gateway']),
    );
  });

  it('gives every long-running service a health check', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.profiles?.includes('seed')) continue;
      expect({ name, healthcheck: Boolean(service.healthcheck) }).toEqual({ name, healthcheck: true });
    }
  });

  it('starts the gateway after healthy subgraphs, and subgraphs after healthy postgres and redis', () => {
    for (const subgraph of ['agents', 'cases', 'carriers']) {
      expect(services.gateway.depends_on?.[subgraph]).toEqual({ condition: 'service_healthy' });
      expect(services[subgraph].depends_on?.postgres).toEqual({ condition: 'service_healthy' });
      expect(services[subgraph].depends_on?.redis).toEqual({ condition: 'service_healthy' });
    }
  });

  it('runs entry points that exist in the source tree', () => {
    for (const [name, service] of Object.entries(services)) {
      const script = service.command?.find((part) => part.startsWith('dist/'));
      if (!script) continue;
      const source = join(ROOT, script.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
      expect({ name, source, exists: existsSync(source) }).toEqual({ name, source, exists: true });
    }
  });

  it('only sets environment variables the README documents', () => {
    for (const service of Object.values(services)) {
      for (const variable of Object.keys(service.environment ?? {})) {
        if (variable.startsWith('POSTGRES_')) continue; // the postgres image's own settings
        if (/^CARRIER_[A-Z]+_(URL|CLIENT_ID|CLIENT_SECRET)$/.test(variable)) continue; // documented once as CARRIER_<CODE>_…
        expect({ variable, documented: readme.includes(`\`${variable}\``) }).toEqual({ variable, documented: true });
      }
    }
  });

  it('points the gateway at the subgraph services on their documented ports', () => {
    const env = services.gateway.environment!;
    expect(env.AGENTS_URL).toBe('http://agents:4001/graphql');
    expect(env.CASES_URL).toBe('http://cases:4002/graphql');
    expect(env.CARRIERS_URL).toBe('http://carriers:4003/graphql');
    expect(services.agents.environment!.PORT).toBe('4001');
  });

  it('points the carriers subgraph at one simulator port per fixture carrier', () => {
    const { CARRIERS } =
      require('../../subgraphs/carriers/fixtures/carriers.fixture') as typeof import('../../subgraphs/carriers/fixtures/carriers.fixture');
    const env = services.carriers.environment!;
    for (const [i, carrier] of CARRIERS.entries())
      expect(env[`CARRIER_${carrier.code.toUpperCase()}_URL`]).toBe(`http://simulators:${5100 + i}`);
    expect(services.simulators.environment!.SIMULATOR_BASE_PORT).toBe('5100');
  });

  it('starts the carriers subgraph in production, with REST credentials the simulators accept', () => {
    const { CARRIERS } =
      require('../../subgraphs/carriers/fixtures/carriers.fixture') as typeof import('../../subgraphs/carriers/fixtures/carriers.fixture');
    const { readCarriersConfig } =
      require('../../subgraphs/carriers/carriers.config') as typeof import('../../subgraphs/carriers/carriers.config');
    const { simulatorCredentials } =
      require('../../simulators/rest/rest.simulator') as typeof import('../../simulators/rest/rest.simulator');
    const env = services.carriers.environment!;
    expect(env.NODE_ENV).toBe('production');
    const config = readCarriersConfig(CARRIERS, env); // throws on a development secret in production
    expect(config.unconfigured).toEqual([]);
    for (const carrier of CARRIERS.filter((c) => c.protocol === 'REST')) {
      const accepted = simulatorCredentials(carrier.code, services.simulators.environment!);
      expect(config.endpoints.find((e) => e.carrierId === carrier.id)).toMatchObject({
        clientId: accepted.clientId,
        clientSecret: accepted.clientSecret,
      });
    }
  });
});
