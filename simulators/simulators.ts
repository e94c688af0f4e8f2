/**
 * Starts every fixture carrier as its own HTTP server speaking its protocol, on loopback ports, the
 * e-signature provider and the two requirement vendors (PULSE exams, CHARTWELL APSs), and hands back
 * what the subgraphs need to reach them (CARRIER_<CODE>_URL and, for REST carriers, OAuth2 client
 * credentials; ESIGN_URL, ESIGN_API_KEY, ESIGN_WEBHOOK_SECRET; VENDOR_PULSE_URL / _API_KEY /
 * _WEBHOOK_SECRET and the same for CHARTWELL; PDB_URL, PDB_USER, PDB_PASSWORD for the producer
 * database) plus the control APIs tests and benchmarks steer them with. The vendors deliver results
 * to the carriers started here.
 */
import { CARRIERS, type CarrierFixture, type Protocol } from '../subgraphs/carriers/fixtures/carriers.fixture';
import { acordProtocol } from './acord/acord.simulator';
import { devClientCredentials, envName } from './environment';
import { startCarrierServer, type RunningCarrierServer } from './carrier-server';
import type { ProtocolHandler } from './protocol';
import { SimulatorControl } from './control';
import { rateBookCsv, rateBookProtocol } from './ratebook/ratebook.simulator';
import { restProtocol } from './rest/rest.simulator';
import { SimulatedCarrier } from './simulated-carrier';
import {
  DEV_ESIGN_API_KEY,
  DEV_ESIGN_WEBHOOK_SECRET,
  DEV_PDB_PASSWORD,
  DEV_PDB_USER,
  DEV_VENDOR_CHARTWELL_API_KEY,
  DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET,
  DEV_VENDOR_PULSE_API_KEY,
  DEV_VENDOR_PULSE_WEBHOOK_SECRET,
} from '../platform/config';
import { startEsignSimulator, type RunningEsignSimulator } from './esign/esign.simulator';
import type { WebhookRetrySettings } from './webhook-sender';
import { type ChartwellControl, type RunningChartwellSimulator, startChartwellSimulator } from './aps/chartwell.simulator';
import { type PulseControl, type RunningPulseSimulator, startPulseSimulator } from './exam/pulse.simulator';
import { type PdbControl, type RunningPdbSimulator, startPdbSimulator } from './pdb/pdb.simulator';
import type { PdbWorldOptions } from './pdb/pdb.store';

export interface SimulatorOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Fixed latency added to every protocol request (default 0, as tests want). */
  latencyMs?: number;
  /** Random extra latency in [0, jitterMs) (default 0). */
  jitterMs?: number;
  /** Lifetime of the OAuth tokens REST carriers issue (default 300 s). */
  tokenTtlSeconds?: number;
  /** Milliseconds per step of an application's scripted progress (default 0: only the control API moves applications). */
  autoProgressMs?: number;
  /** Milliseconds from a producer appointment request's receipt to the carrier's decision (default 0: decided at the first inquiry after receipt). */
  appointmentDecisionMs?: number;
  /** First port: carrier i listens on basePort + i in fixture order (default 0: any free port each). */
  basePort?: number;
  /** The carriers to simulate (default every fixture carrier). */
  carriers?: readonly CarrierFixture[];
  /** Carrier status pushes: each carrier POSTs to `${baseUrl}/<carrierId>`, signed with `secret` (default the development one); off without a baseUrl. */
  carrierPush?: { baseUrl?: string; secret?: string };
  /** The e-signature provider: its API key and webhook secret (default the development pair the cases subgraph defaults to), webhook retries. */
  esign?: { apiKey?: string; webhookSecret?: string; webhookRetry?: Partial<WebhookRetrySettings> };
  /**
   * The requirement vendors: milliseconds per stage of an order's automatic progress (default 0:
   * only advance moves orders), webhook and results retries, and each vendor's API key and webhook
   * secret (default the development ones the cases subgraph defaults to).
   */
  vendors?: {
    autoProgressMs?: number;
    webhookRetry?: Partial<WebhookRetrySettings>;
    pulse?: { apiKey?: string; webhookSecret?: string };
    chartwell?: { apiKey?: string; webhookSecret?: string };
  };
  /** The producer database: the customer id and password it accepts (default the development pair), the demo world it is seeded from (default today's). */
  pdb?: { user?: string; password?: string; world?: PdbWorldOptions };
}

export interface RunningSimulators {
  /** Base URL by carrier code. */
  endpoints: Record<string, string>;
  /**
   * CARRIER_<CODE>_URL for every carrier, plus CARRIER_<CODE>_CLIENT_ID / _CLIENT_SECRET for REST ones,
   * ESIGN_URL / _API_KEY / _WEBHOOK_SECRET, VENDOR_PULSE_URL / _API_KEY / _WEBHOOK_SECRET and
   * VENDOR_CHARTWELL_URL / _API_KEY / _WEBHOOK_SECRET, PDB_URL / PDB_USER / PDB_PASSWORD.
   */
  env: Record<string, string>;
  control: SimulatorControl;
  /** The e-signature provider (its control API: sign, decline, expire, faults, the webhook log). */
  esign: RunningEsignSimulator;
  /** The requirement vendors' controls (advance an order, auto progress, faults, the webhook and results logs). */
  vendors: { pulse: PulseControl; chartwell: ChartwellControl };
  /** The producer database's control (change licenses and appointments, faults, counts, the planted discrepancies). */
  pdb: PdbControl;
  stop(): Promise<void>;
}

const PROTOCOLS: Record<Protocol, (sim: SimulatedCarrier) => ProtocolHandler> = {
  ACORD: acordProtocol,
  REST: restProtocol,
  RATEBOOK: rateBookProtocol,
};

export async function startSimulators(options: SimulatorOptions = {}): Promise<RunningSimulators> {
  const host = options.host ?? '127.0.0.1';
  const carriers = options.carriers ?? CARRIERS;
  const sims = carriers.map(
    (carrier) =>
      new SimulatedCarrier(carrier, {
        latency: { fixedMs: options.latencyMs ?? 0, jitterMs: options.jitterMs ?? 0 },
        tokenTtlSeconds: options.tokenTtlSeconds ?? 300,
        autoProgressMs: options.autoProgressMs ?? 0,
        appointmentDecisionMs: options.appointmentDecisionMs ?? 0,
        push: {
          url: options.carrierPush?.baseUrl ? `${options.carrierPush.baseUrl}/${carrier.id}` : null,
          secret: options.carrierPush?.secret,
        },
      }),
  );
  for (const carrier of carriers) if (carrier.protocol === 'RATEBOOK') rateBookCsv(carrier);
  const servers: RunningCarrierServer[] = [];
  const endpoints: Record<string, string> = {};
  const env: Record<string, string> = {};
  let esign: RunningEsignSimulator | undefined;
  let pulse: RunningPulseSimulator | undefined;
  let chartwell: RunningChartwellSimulator | undefined;
  let pdb: RunningPdbSimulator | undefined;
  try {
    for (const [i, sim] of sims.entries()) {
      const server = await startCarrierServer(sim, PROTOCOLS[sim.carrier.protocol](sim), {
        host,
        port: options.basePort ? options.basePort + i : 0,
      });
      servers.push(server);
      const code = envName(sim.code);
      endpoints[sim.code] = server.url;
      env[`CARRIER_${code}_URL`] = server.url;
      if (sim.carrier.protocol === 'REST') {
        const credentials = devClientCredentials(sim.code);
        env[`CARRIER_${code}_CLIENT_ID`] = credentials.clientId;
        env[`CARRIER_${code}_CLIENT_SECRET`] = credentials.clientSecret;
      }
    }
    esign = await startEsignSimulator({
      host,
      port: options.basePort ? options.basePort + sims.length : 0,
      apiKey: options.esign?.apiKey ?? DEV_ESIGN_API_KEY,
      webhookSecret: options.esign?.webhookSecret ?? DEV_ESIGN_WEBHOOK_SECRET,
      latency: { fixedMs: options.latencyMs ?? 0, jitterMs: options.jitterMs ?? 0 },
      webhookRetry: options.esign?.webhookRetry,
    });
    env.ESIGN_URL = esign.url;
    env.ESIGN_API_KEY = esign.apiKey;
    env.ESIGN_WEBHOOK_SECRET = esign.webhookSecret;
    const vendor = {
      host,
      latency: { fixedMs: options.latencyMs ?? 0, jitterMs: options.jitterMs ?? 0 },
      autoProgressMs: options.vendors?.autoProgressMs ?? 0,
      webhookRetry: options.vendors?.webhookRetry,
      carrierUrl: (code: string): string | undefined => endpoints[code],
    };
    pulse = await startPulseSimulator({
      ...vendor,
      port: options.basePort ? options.basePort + sims.length + 1 : 0,
      apiKey: options.vendors?.pulse?.apiKey ?? DEV_VENDOR_PULSE_API_KEY,
      webhookSecret: options.vendors?.pulse?.webhookSecret ?? DEV_VENDOR_PULSE_WEBHOOK_SECRET,
    });
    env.VENDOR_PULSE_URL = pulse.url;
    env.VENDOR_PULSE_API_KEY = pulse.apiKey;
    env.VENDOR_PULSE_WEBHOOK_SECRET = pulse.webhookSecret;
    chartwell = await startChartwellSimulator({
      ...vendor,
      port: options.basePort ? options.basePort + sims.length + 2 : 0,
      apiKey: options.vendors?.chartwell?.apiKey ?? DEV_VENDOR_CHARTWELL_API_KEY,
      webhookSecret: options.vendors?.chartwell?.webhookSecret ?? DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET,
    });
    env.VENDOR_CHARTWELL_URL = chartwell.url;
    env.VENDOR_CHARTWELL_API_KEY = chartwell.apiKey;
    env.VENDOR_CHARTWELL_WEBHOOK_SECRET = chartwell.webhookSecret;
    pdb = await startPdbSimulator({
      host,
      port: options.basePort ? options.basePort + sims.length + 3 : 0,
      user: options.pdb?.user ?? DEV_PDB_USER,
      password: options.pdb?.password ?? DEV_PDB_PASSWORD,
      latency: { fixedMs: options.latencyMs ?? 0, jitterMs: options.jitterMs ?? 0 },
      world: options.pdb?.world,
    });
    env.PDB_URL = pdb.url;
    env.PDB_USER = pdb.user;
    env.PDB_PASSWORD = pdb.password;
  } catch (error) {
    // A port already taken must not leave the servers started so far running.
    await Promise.all([...servers.map((server) => server.close()), esign?.stop(), pulse?.stop(), chartwell?.stop(), pdb?.stop()]);
    throw error;
  }
  const running = [esign, pulse, chartwell, pdb] as const;
  return {
    endpoints,
    env,
    control: new SimulatorControl(sims),
    esign,
    vendors: { pulse: pulse.control, chartwell: chartwell.control },
    pdb: pdb.control,
    async stop() {
      await Promise.all([...servers.map((server) => server.close()), ...running.map((service) => service.stop())]);
    },
  };
}
