/**
 * One cell of `npm run bench:gateway`: a fixed number of connections sending GraphQL requests for a
 * fixed time (autocannon, in this process), after an unmeasured warm-up, while the resident memory of
 * the processes under test is sampled. Only 200 answers with data and without errors count as served:
 * a gateway that answers errors fast does not win.
 */
import { measureCpu, sampleMemory, type CpuReport, type Watched } from './processes';

/** The part of autocannon's programmatic API used here (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest, context: object) => AutocannonRequest;
  onResponse?: (status: number, body: string) => void;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; average: number };
  requests: { total: number };
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  headers?: Record<string, string>;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  headers: Record<string, string>;
  /** Request bodies (JSON): one is the repeated query; several are sent round-robin over all connections. */
  bodies: readonly string[];
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Process groups under test (the gateway): resident memory sampled every 200 ms, warm-up included. */
  pgids: readonly number[];
  /** Process groups whose CPU use is measured during the measured seconds (the gateway, subgraphs, database). */
  watched?: readonly Watched[];
}

export interface CellResult {
  /** Good answers (200, data, no errors) per second. */
  rps: number;
  /** Good answers, and the seconds measured. */
  good: number;
  seconds: number;
  p50: number;
  p99: number;
  /** Peak of the summed resident memory of the sampled processes, in MB; NaN when nothing is sampled. */
  peakMb: number;
  processes: number;
  /** CPU time the processes under test used per good answer, in ms (user + system, all processes). */
  cpuMsPerRequest: number;
  /** CPU time the subgraph processes used per good answer, in ms. */
  subgraphCpuMsPerRequest: number;
  /** Where the CPU went during the measured seconds. */
  cpu: CpuReport;
  /** Each process's own peak RSS in MB, the group leader (primary) first. */
  perProcessMb: number[];
  total: number;
  non2xx: number;
  graphqlErrors: number;
  /** Socket errors and timeouts. */
  transportErrors: number;
  /** The first bad answer, for the report. */
  firstError?: string;
}

async function fire(options: LoadOptions, seconds: number) {
  let next = 0;
  let good = 0;
  let non2xx = 0;
  let graphqlErrors = 0;
  let firstError: string | undefined;
  const url = new URL(options.url);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: seconds,
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.bodies[0],
        // Round-robin over all connections, so that concurrent requests carry different variables.
        ...(options.bodies.length > 1
          ? {
              setupRequest: (request: AutocannonRequest) => {
                request.body = options.bodies[next++ % options.bodies.length];
                return request;
              },
            }
          : {}),
        onResponse: (status, body) => {
          if (status < 200 || status > 299) {
            non2xx++;
            firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
          } else if (body.includes('"errors":') || !body.includes('"data":{')) {
            graphqlErrors++;
            firstError ??= body.slice(0, 300);
          } else {
            good++;
          }
        },
      },
    ],
  });
  return { result, good, non2xx, graphqlErrors, firstError };
}

export async function runCell(options: LoadOptions): Promise<CellResult> {
  const memory = sampleMemory(options.pgids);
  try {
    if (options.warmupSeconds > 0) await fire(options, options.warmupSeconds);
    const measuring = measureCpu(options.watched ?? []);
    const { result, good, non2xx, graphqlErrors, firstError } = await fire(options, options.seconds);
    const cpu = measuring.stop();
    const msPerGood = (kind: Watched['kind']) => {
      const groups = cpu.groups.filter((g) => g.kind === kind);
      return groups.length && good ? (1000 * cpu.wall * groups.reduce((a, g) => a + g.cores, 0)) / good : NaN;
    };
    const { peakBytes, processes, perProcess } = memory.stop();
    return {
      rps: good / result.duration,
      good,
      seconds: result.duration,
      p50: result.latency.p50,
      p99: result.latency.p99,
      peakMb: options.pgids.length ? peakBytes / 2 ** 20 : NaN,
      processes,
      cpuMsPerRequest: msPerGood('gateway'),
      subgraphCpuMsPerRequest: msPerGood('subgraph'),
      cpu,
      perProcessMb: perProcess.map((bytes) => bytes / 2 ** 20),
      total: result.requests.total,
      non2xx,
      graphqlErrors,
      transportErrors: result.errors,
      firstError,
    };
  } finally {
    memory.stop();
  }
}

/**
 * One result from the rounds of a cell (bench:gateway measures each gateway in several slices,
 * taking turns with the others, so that a slow spell of a noisy machine falls on all of them):
 * answers and seconds summed, CPU weighted by the answers (per request) or the seconds (cores),
 * p50 the mean of the rounds', p99 and memory the worst.
 */
export function mergeRounds(rounds: readonly CellResult[]): CellResult {
  if (rounds.length === 1) return rounds[0];
  const sum = (pick: (r: CellResult) => number) => rounds.reduce((a, r) => a + pick(r), 0);
  const good = sum((r) => r.good);
  const seconds = sum((r) => r.seconds);
  const perAnswer = (pick: (r: CellResult) => number) => sum((r) => pick(r) * r.good) / Math.max(1, good);
  const wall = sum((r) => r.cpu.wall);
  const perSecond = (pick: (r: CellResult) => number) => sum((r) => pick(r) * r.cpu.wall) / wall;
  const cpu: CpuReport = {
    groups: rounds[0].cpu.groups.map((g, i) => ({
      ...g,
      cores: perSecond((r) => r.cpu.groups[i].cores),
      busiest: perSecond((r) => r.cpu.groups[i].busiest),
    })),
    bench: perSecond((r) => r.cpu.bench),
    machine: perSecond((r) => r.cpu.machine),
    cpus: rounds[0].cpu.cpus,
    wall,
  };
  return {
    rps: good / seconds,
    good,
    seconds,
    p50: sum((r) => r.p50) / rounds.length,
    p99: Math.max(...rounds.map((r) => r.p99)),
    peakMb: Math.max(...rounds.map((r) => r.peakMb)),
    processes: Math.max(...rounds.map((r) => r.processes)),
    cpuMsPerRequest: perAnswer((r) => r.cpuMsPerRequest),
    subgraphCpuMsPerRequest: perAnswer((r) => r.subgraphCpuMsPerRequest),
    cpu,
    perProcessMb: rounds[0].perProcessMb.map((_, i) => Math.max(...rounds.map((r) => r.perProcessMb[i] ?? 0))),
    total: sum((r) => r.total),
    non2xx: sum((r) => r.non2xx),
    graphqlErrors: sum((r) => r.graphqlErrors),
    transportErrors: sum((r) => r.transportErrors),
    firstError: rounds.find((r) => r.firstError)?.firstError,
  };
}
