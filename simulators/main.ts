/**
 * The simulated carriers, the e-signature provider, the requirement vendors and the producer database as a process of their own (`npm run start:simulators`, the `simulators`
 * service of docker-compose.yml). Prints each carrier's endpoint and the environment lines the
 * carriers subgraph needs to reach them. Settings, read once at start:
 *   HOST                    interface to listen on (default 127.0.0.1; 0.0.0.0 in a container)
 *   SIMULATOR_BASE_PORT     carrier i listens on this + i, in fixture order (default 0: any free port)
 *   SIMULATOR_LATENCY_MS    fixed latency of every carrier call (default 0)
 *   SIMULATOR_JITTER_MS     random extra latency, up to this (default 0)
 *   SIMULATOR_TOKEN_TTL_S   lifetime of REST carriers' OAuth tokens (default 300)
 *   SIMULATOR_PROGRESS_MS   time per step of an application's scripted progress (default 60000; 0 = only the control API)
 *   SIMULATOR_APPOINTMENT_DECISION_MS  time from a producer appointment request's receipt to the carrier's decision (default 60000; 0 = at the first inquiry)
 *   ESIGN_API_KEY           the key the e-signature provider accepts (default the development key the cases subgraph defaults to)
 *   ESIGN_WEBHOOK_SECRET    the secret it signs its webhooks with (default the development secret)
 *   SIMULATOR_VENDOR_PROGRESS_MS  time per stage of a vendor order's progress (default 60000; 0 = only the control API)
 *   VENDOR_PULSE_API_KEY, VENDOR_PULSE_WEBHOOK_SECRET, VENDOR_CHARTWELL_API_KEY, VENDOR_CHARTWELL_WEBHOOK_SECRET
 *                           the requirement vendors' keys and webhook secrets (default the development ones)
 *   PDB_USER, PDB_PASSWORD  the customer id and password the producer database accepts (default the development pair)
 *   SIMULATOR_PDB_ANCHOR    the day the demo database was seeded (YYYY-MM-DD, default today): the producer database's data is that day's
 * The e-signature provider listens on SIMULATOR_BASE_PORT + the number of carriers (5112 with the
 * twelve demo carriers from 5100), PULSE, CHARTWELL and the producer database on the next three
 * (5113, 5114, 5115), or any free ports.
 */
import {
  ConfigError,
  DEV_ESIGN_API_KEY,
  DEV_ESIGN_WEBHOOK_SECRET,
  DEV_PDB_PASSWORD,
  DEV_PDB_USER,
  DEV_VENDOR_CHARTWELL_API_KEY,
  DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET,
  DEV_VENDOR_PULSE_API_KEY,
  DEV_VENDOR_PULSE_WEBHOOK_SECRET,
  int,
  str,
} from '../platform/config';
import { startSimulators } from './simulators';

function pdbAnchor(env: NodeJS.ProcessEnv): string | undefined {
  const anchor = str(env, 'SIMULATOR_PDB_ANCHOR');
  if (anchor !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(anchor))
    throw new ConfigError('SIMULATOR_PDB_ANCHOR', `must be a date, YYYY-MM-DD, got "${anchor}"`);
  return anchor;
}

async function main(): Promise<void> {
  const env = process.env;
  const options = {
    host: str(env, 'HOST', '127.0.0.1'),
    basePort: int(env, 'SIMULATOR_BASE_PORT', 0, { min: 0, max: 65_000 }),
    latencyMs: int(env, 'SIMULATOR_LATENCY_MS', 0, { min: 0, max: 60_000 }),
    jitterMs: int(env, 'SIMULATOR_JITTER_MS', 0, { min: 0, max: 60_000 }),
    tokenTtlSeconds: int(env, 'SIMULATOR_TOKEN_TTL_S', 300, { min: 1, max: 86_400 }),
    autoProgressMs: int(env, 'SIMULATOR_PROGRESS_MS', 60_000, { min: 0, max: 86_400_000 }),
    appointmentDecisionMs: int(env, 'SIMULATOR_APPOINTMENT_DECISION_MS', 60_000, { min: 0, max: 86_400_000 }),
    esign: {
      apiKey: str(env, 'ESIGN_API_KEY', DEV_ESIGN_API_KEY),
      webhookSecret: str(env, 'ESIGN_WEBHOOK_SECRET', DEV_ESIGN_WEBHOOK_SECRET),
    },
    vendors: {
      autoProgressMs: int(env, 'SIMULATOR_VENDOR_PROGRESS_MS', 60_000, { min: 0, max: 86_400_000 }),
      pulse: {
        apiKey: str(env, 'VENDOR_PULSE_API_KEY', DEV_VENDOR_PULSE_API_KEY),
        webhookSecret: str(env, 'VENDOR_PULSE_WEBHOOK_SECRET', DEV_VENDOR_PULSE_WEBHOOK_SECRET),
      },
      chartwell: {
        apiKey: str(env, 'VENDOR_CHARTWELL_API_KEY', DEV_VENDOR_CHARTWELL_API_KEY),
        webhookSecret: str(env, 'VENDOR_CHARTWELL_WEBHOOK_SECRET', DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET),
      },
    },
    pdb: {
      user: str(env, 'PDB_USER', DEV_PDB_USER),
      password: str(env, 'PDB_PASSWORD', DEV_PDB_PASSWORD),
      world: { anchor: pdbAnchor(env) },
    },
  };
  const simulators = await startSimulators(options);
  for (const [code, url] of Object.entries(simulators.endpoints))
    console.log(`${code.padEnd(10)} ${simulators.control.carrier(code).carrier.protocol.padEnd(8)} ${url}`);
  console.log(`${'ESIGN'.padEnd(10)} ${'ESIGN'.padEnd(8)} ${simulators.esign.url}`);
  console.log(`${'PULSE'.padEnd(10)} ${'JSON'.padEnd(8)} ${simulators.env.VENDOR_PULSE_URL}`);
  console.log(`${'CHARTWELL'.padEnd(10)} ${'ACORD'.padEnd(8)} ${simulators.env.VENDOR_CHARTWELL_URL}`);
  console.log(`${'PDB'.padEnd(10)} ${'XML'.padEnd(8)} ${simulators.env.PDB_URL}`);
  console.log('\n# for the carriers, cases and agents subgraphs:');
  for (const [name, value] of Object.entries(simulators.env)) console.log(`${name}=${value}`);
  const stop = () => {
    void simulators.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
