/**
 * No Kubernetes cluster runs here, so deploy/k8s is checked for structure, in the spirit of
 * docker-compose.test.ts: every manifest is in the kustomization; each process of the production
 * topology has a Deployment and a Service that select it; containers run entry points this
 * repository builds into the image; the environment each container gets (ConfigMaps, Secrets,
 * inline values) is accepted by that process's own configuration readers (everything it reads is set
 * or defaulted, production rules included); ports, URLs and probes agree with each other; and the
 * probes' paths answer 200 on a running graph.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { readGatewayConfig } from '../../gateway/gateway.config';
import { GATEWAY_HEAP_MB, GATEWAY_NODE_ARGS } from '../../gateway/runtime';
import { readCarriersConfig } from '../../subgraphs/carriers/carriers.config';
import { CARRIERS } from '../../subgraphs/carriers/fixtures/carriers.fixture';
import { readCasesConfig } from '../../subgraphs/cases/cases.config';
import { readCarrierPushConfig } from '../../subgraphs/cases/carrier-push.route';
import { readCommonConfig } from '../../platform/config';
import { startStack, type Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const DIR = join(ROOT, 'deploy', 'k8s');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[] }>;
};

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: any };
type Container = {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: any[];
  envFrom?: any[];
  ports?: { name?: string; containerPort: number }[];
  [key: string]: any;
};

const kustomization = parse(readFileSync(join(DIR, 'kustomization.yaml'), 'utf8')) as {
  namespace: string;
  resources: string[];
  images?: { name: string }[];
};
const manifests: (Manifest & { file: string })[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIR, file), 'utf8')).map((doc) => ({ ...(doc.toJS() as Manifest), file })),
);
const find = (kind: string, name: string) => manifests.find((m) => m.kind === kind && m.metadata.name === name);
const get = (kind: string, name: string) => {
  const found = find(kind, name);
  if (!found) throw new Error(`no ${kind} ${name} in deploy/k8s`);
  return found;
};
const deployments = manifests.filter((m) => m.kind === 'Deployment');
const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'Job');
const containersOf = (workload: Manifest): Container[] => workload.spec.template.spec.containers;
const podLabels = (workload: Manifest): Record<string, string> => workload.spec.template.metadata.labels;
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

function secretData(name: string): Record<string, string> {
  const secret = get('Secret', name);
  const decoded = Object.fromEntries(
    Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString('utf8')]),
  );
  return { ...decoded, ...(secret.stringData ?? {}) };
}

/** The environment a container starts with, as Kubernetes assembles it: envFrom first, then env. */
function containerEnv(container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    if (from.configMapRef) Object.assign(env, get('ConfigMap', from.configMapRef.name).data);
    if (from.secretRef) Object.assign(env, secretData(from.secretRef.name));
  }
  for (const entry of container.env ?? []) {
    if ('value' in entry) env[entry.name] = entry.value;
    else if (entry.valueFrom?.secretKeyRef) {
      const value = secretData(entry.valueFrom.secretKeyRef.name)[entry.valueFrom.secretKeyRef.key];
      if (value === undefined)
        throw new Error(`${container.name}: ${entry.name} refers to a missing key ${entry.valueFrom.secretKeyRef.key}`);
      env[entry.name] = value;
    } else if (entry.valueFrom?.configMapKeyRef) {
      env[entry.name] = get('ConfigMap', entry.valueFrom.configMapKeyRef.name).data[entry.valueFrom.configMapKeyRef.key];
    } else throw new Error(`${container.name}: ${entry.name} has neither a value nor a reference`);
  }
  return env;
}

const GRAPH = ['gateway', 'agents', 'cases', 'carriers'];
const SUBGRAPHS = ['agents', 'cases', 'carriers'];
const main = (name: string) => containersOf(get('Deployment', name))[0];
/** The port a Service publishes for a URL's host:port, or undefined. */
function servicePort(url: string): { service: Manifest; port: any } | undefined {
  const parsed = new URL(url);
  const service = find('Service', parsed.hostname);
  const port = service?.spec.ports.find((p: { port: number }) => p.port === Number(parsed.port));
  return service && port ? { service, port } : undefined;
}

describe('deploy/k8s', () => {
  it('lists every manifest in the kustomization, into one namespace', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .sort();
    expect([...kustomization.resources].sort()).toEqual(files);
    expect(get('Namespace', kustomization.namespace)).toBeDefined();
    for (const m of manifests)
      expect({ file: m.file, kind: m.kind, apiVersion: Boolean(m.apiVersion), name: Boolean(m.metadata?.name) }).toEqual({
        file: m.file,
        kind: m.kind,
        apiVersion: true,
        name: true,
      });
    const keys = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  if (!kubectl) console.log('[test] kubectl not on PATH: the kustomize rendering of deploy/k8s is not checked');
  (kubectl ? it : it.skip)('renders with kubectl kustomize, every image set to a tag', () => {
    const rendered = spawnSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' });
    expect(rendered.stderr).toBe('');
    expect(rendered.status).toBe(0);
    const images = [...rendered.stdout.matchAll(/^\s*image: (\S+)$/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThan(0);
    expect(images.every((image) => /^bga-graph:[\w.-]+$/.test(image))).toBe(true);
  });

  it('runs the gateway, each subgraph and the simulators as Deployments, each behind a Service that selects its pods', () => {
    for (const name of [...GRAPH, 'simulators']) {
      const deployment = get('Deployment', name);
      expect(selects(deployment.spec.selector.matchLabels, podLabels(deployment))).toBe(true);
      const service = get('Service', name);
      expect({ name, selects: selects(service.spec.selector, podLabels(deployment)) }).toEqual({ name, selects: true });
      // No other Deployment's pods answer this Service.
      expect(deployments.filter((d) => selects(service.spec.selector, podLabels(d))).map((d) => d.metadata.name)).toEqual([name]);
      const ports = containersOf(deployment).flatMap((c) => c.ports ?? []);
      for (const port of service.spec.ports) {
        const target = ports.find((p) => p.name === port.targetPort || p.containerPort === port.targetPort);
        expect({ name, port: port.port, target: target?.containerPort }).toEqual({ name, port: port.port, target: expect.any(Number) });
      }
    }
  });

  it('runs entry points that the image builds, the same ones docker-compose.yml runs', () => {
    const built = /"?swc ([^-"]+?) -d dist/.exec(pkg.scripts.build)![1].trim().split(/\s+/);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(dockerfile).toMatch(/COPY --from=build \/app\/schema \.\/schema/); // SUPERGRAPH_PATH's default
    const images = new Set(kustomization.images?.map((i) => i.name));
    for (const workload of workloads) {
      for (const container of containersOf(workload)) {
        const name = workload.metadata.name;
        expect({ name, image: container.image, known: images.has(container.image) }).toEqual({ name, image: 'bga-graph', known: true });
        expect(container.command?.[0]).toBe('node');
        const script = container.command!.find((part) => part.startsWith('dist/'))!;
        const source = join(ROOT, script.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
        expect({ name, source, exists: existsSync(source), built: built.some((dir) => script.startsWith(`dist/${dir}/`)) }).toEqual({
          name,
          source,
          exists: true,
          built: true,
        });
        const composed = compose.services[name]?.command?.find((part) => part.startsWith('dist/'));
        if (composed) expect({ name, script }).toEqual({ name, script: composed });
      }
    }
    // The npm scripts of the production topology run the same files.
    expect(pkg.scripts['start:gateway']).toContain(main('gateway').command!.find((p) => p.startsWith('dist/')));
    expect(pkg.scripts['start:simulators']).toContain(main('simulators').command!.find((p) => p.startsWith('dist/')));
  });

  it("starts the gateway with its heap cap everywhere it is started, under the container's memory limit", () => {
    const gateway = main('gateway');
    const composed = compose.services.gateway.command!;
    const dockerCmd = JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
    for (const [where, command] of [
      ['k8s', gateway.command!],
      ['docker-compose', composed],
      ['Dockerfile', dockerCmd],
      ['start:gateway', pkg.scripts['start:gateway'].split(/\s+/)],
    ] as const) {
      expect({ where, args: command.filter((part) => GATEWAY_NODE_ARGS.includes(part)) }).toEqual({ where, args: [...GATEWAY_NODE_ARGS] });
    }
    // The cap leaves room for the young generation, code and buffers (~100 MB more) under the limit.
    const limitMi = Number(/^(\d+)Mi$/.exec(gateway.resources.limits.memory)![1]);
    expect(GATEWAY_HEAP_MB + 150).toBeLessThanOrEqual(limitMi);
  });

  it("gives every container resource requests and limits, and runs it as the image's non-root user", () => {
    for (const workload of workloads) {
      expect(workload.spec.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 }); // USER node
      for (const container of containersOf(workload)) {
        const { requests, limits } = container.resources ?? {};
        expect({ name: container.name, requests, limits }).toEqual({
          name: container.name,
          requests: { cpu: expect.anything(), memory: expect.anything() },
          limits: { cpu: expect.anything(), memory: expect.anything() },
        });
        expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false });
      }
    }
  });

  it('gives each process an environment its configuration readers accept, in production, with nothing missing', () => {
    for (const workload of workloads) {
      for (const container of containersOf(workload)) {
        for (const entry of container.env ?? [])
          if ('value' in entry)
            expect({ variable: entry.name, type: typeof entry.value }).toEqual({ variable: entry.name, type: 'string' });
      }
    }
    for (const map of manifests.filter((m) => m.kind === 'ConfigMap')) {
      for (const [key, value] of Object.entries(map.data ?? {})) expect({ key, type: typeof value }).toEqual({ key, type: 'string' });
    }
    const gateway = containerEnv(main('gateway'));
    expect(gateway.NODE_ENV).toBe('production');
    expect(() => readGatewayConfig(gateway)).not.toThrow();
    for (const name of SUBGRAPHS) {
      const env = containerEnv(main(name));
      expect({ name, NODE_ENV: env.NODE_ENV }).toEqual({ name, NODE_ENV: 'production' });
      expect(() => readCommonConfig(env)).not.toThrow();
    }
    expect(() => readCasesConfig(containerEnv(main('cases')))).not.toThrow();
    expect(() => readCarrierPushConfig(containerEnv(main('cases')))).not.toThrow();
    const carriers = readCarriersConfig(CARRIERS, containerEnv(main('carriers')));
    expect(carriers.unconfigured).toEqual([]);
    expect(carriers.warnings).toEqual([]);
    // The seed reads DATABASE_URL only (without it, it would seed an embedded database in the pod).
    expect(new URL(containerEnv(containersOf(get('Job', 'seed'))[0]).DATABASE_URL).protocol).toBe('postgres:');
    // The secrets the processes need reach only the processes that need them.
    expect(gateway.DATABASE_URL).toBeUndefined();
    for (const name of SUBGRAPHS) expect({ name, jwt: containerEnv(main(name)).JWT_SECRET }).toEqual({ name, jwt: undefined });
  });

  it('listens on the pod address and the declared port, everywhere', () => {
    for (const name of [...GRAPH, 'simulators']) {
      const container = main(name);
      const env = containerEnv(container);
      expect({ name, HOST: env.HOST }).toEqual({ name, HOST: '0.0.0.0' }); // the default 127.0.0.1 refuses the Service's traffic
      if (name !== 'simulators')
        expect({ name, PORT: Number(env.PORT) }).toEqual({ name, PORT: container.ports!.find((p) => p.name === 'http')!.containerPort });
    }
    // Carrier i of the fixture listens on SIMULATOR_BASE_PORT + i.
    const simulators = main('simulators');
    const base = Number(containerEnv(simulators).SIMULATOR_BASE_PORT);
    // Then the e-signature provider, on the next port, the requirement vendors and the producer database after it.
    expect(simulators.ports!.map((p) => [p.name, p.containerPort])).toEqual([
      ...CARRIERS.map((c, i) => [c.code.toLowerCase(), base + i]),
      ['esign', base + CARRIERS.length],
      ['pulse', base + CARRIERS.length + 1],
      ['chartwell', base + CARRIERS.length + 2],
      ['pdb', base + CARRIERS.length + 3],
    ]);
    // The agents subgraph's license sync reaches the producer database on a port the Service publishes.
    expect(servicePort(containerEnv(main('agents')).PDB_URL)?.port.targetPort).toBe('pdb');
  });

  it('points every URL at a Service that publishes that port', () => {
    const gateway = containerEnv(main('gateway'));
    for (const [variable, subgraph] of [
      ['AGENTS_URL', 'agents'],
      ['CASES_URL', 'cases'],
      ['CARRIERS_URL', 'carriers'],
    ]) {
      const target = servicePort(gateway[variable]);
      expect({ variable, service: target?.service.metadata.name, path: new URL(gateway[variable]).pathname }).toEqual({
        variable,
        service: subgraph,
        path: '/graphql',
      });
    }
    // The cases subgraph asks the agents and carriers subgraphs on their own services (internal fields are not public).
    const cases = containerEnv(main('cases'));
    expect(servicePort(cases.AGENTS_SUBGRAPH_URL)?.service.metadata.name).toBe('agents');
    expect(servicePort(cases.CARRIERS_SUBGRAPH_URL)?.service.metadata.name).toBe('carriers');
    // The e-signature provider on the simulators' esign port; its webhooks back to the cases service.
    expect(servicePort(cases.ESIGN_URL)?.port.targetPort).toBe('esign');
    expect(servicePort(cases.ESIGN_CALLBACK_URL)?.service.metadata.name).toBe('cases');
    expect(new URL(cases.ESIGN_CALLBACK_URL).pathname).toBe('/webhooks/esign');
    // The requirement vendors on theirs; their webhooks back to the cases service.
    expect(servicePort(cases.VENDOR_PULSE_URL)?.port.targetPort).toBe('pulse');
    expect(servicePort(cases.VENDOR_CHARTWELL_URL)?.port.targetPort).toBe('chartwell');
    expect(servicePort(cases.VENDOR_CALLBACK_BASE_URL)?.service.metadata.name).toBe('cases');
    const carriers = containerEnv(main('carriers'));
    CARRIERS.forEach((carrier, i) => {
      const url = carriers[`CARRIER_${carrier.code.toUpperCase()}_URL`];
      expect({ carrier: carrier.code, target: servicePort(url)?.port.targetPort }).toEqual({
        carrier: carrier.code,
        target: main('simulators').ports![i].name,
      });
    });
    // PostgreSQL and Redis are outside the cluster, reached through ExternalName Services.
    for (const name of SUBGRAPHS) {
      const env = containerEnv(main(name));
      const database = servicePort(env.DATABASE_URL);
      expect({ name, database: database?.service.spec.type }).toEqual({ name, database: 'ExternalName' });
      for (const node of env.REDIS_URL.split(','))
        expect({ name, redis: servicePort(node)?.service.spec.type }).toEqual({ name, redis: 'ExternalName' });
    }
  });

  it('only sets environment variables the README documents', () => {
    for (const workload of workloads) {
      for (const container of containersOf(workload)) {
        for (const variable of Object.keys(containerEnv(container))) {
          if (/^CARRIER_[A-Z]+_(URL|CLIENT_ID|CLIENT_SECRET)$/.test(variable)) continue; // documented once as CARRIER_<CODE>_...
          expect({ variable, documented: readme.includes(`\`${variable}\``) }).toEqual({ variable, documented: true });
        }
      }
    }
    expect(readme).toMatch(/^## Kubernetes$/m);
  });

  it('probes /ready for readiness and /health for liveness, on a declared port', () => {
    for (const name of [...GRAPH, 'simulators']) {
      const container = main(name);
      const readiness = container.readinessProbe?.httpGet;
      const liveness = container.livenessProbe?.httpGet;
      expect({ name, readiness: readiness?.path, liveness: liveness?.path }).toEqual({
        name,
        readiness: name === 'simulators' ? '/health' : '/ready',
        liveness: '/health',
      });
      for (const probe of [readiness, liveness, container.startupProbe?.httpGet].filter(Boolean)) {
        expect({ name, port: container.ports!.some((p) => p.name === probe.port || p.containerPort === probe.port) }).toEqual({
          name,
          port: true,
        });
      }
    }
  });

  it('keeps the gateway available: two replicas at least, a disruption budget below them and a CPU autoscaler', () => {
    const gateway = get('Deployment', 'gateway');
    const pdb = get('PodDisruptionBudget', 'gateway');
    expect(selects(pdb.spec.selector.matchLabels, podLabels(gateway))).toBe(true);
    const hpa = get('HorizontalPodAutoscaler', 'gateway');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
    expect(pdb.spec.minAvailable).toBeLessThan(gateway.spec.replicas);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
    expect(main('gateway').resources.requests.cpu).toBeDefined(); // utilization is measured against the request
    // The simulators keep applications in memory: one replica, replaced rather than rolled.
    expect(get('Deployment', 'simulators').spec).toMatchObject({ replicas: 1, strategy: { type: 'Recreate' } });
  });
});

describe('deploy/k8s probes on a running graph', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('answers 200 on every probe path, at the gateway, each subgraph and the simulators', async () => {
    const origins: Record<string, (port: number) => string> = {
      gateway: () => new URL(stack.url).origin,
      agents: () => new URL(stack.subgraphs.agents.url).origin,
      cases: () => new URL(stack.subgraphs.cases.url).origin,
      carriers: () => new URL(stack.subgraphs.carriers.url).origin,
      // Each named port is a carrier's (fixture order): ask that carrier's server.
      simulators: (port) => stack.simulators.endpoints[CARRIERS[port].code],
    };
    for (const [name, origin] of Object.entries(origins)) {
      const container = main(name);
      const probes = [container.readinessProbe, container.livenessProbe, container.startupProbe].filter(Boolean).map((p) => p.httpGet);
      for (const probe of probes) {
        const port = container.ports!.findIndex((p) => p.name === probe.port || p.containerPort === probe.port);
        const response = await fetch(new URL(probe.path, origin(port)));
        expect({ name, path: probe.path, status: response.status }).toEqual({ name, path: probe.path, status: 200 });
      }
    }
  });
});
