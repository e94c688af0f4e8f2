/**
 * The vendors' side of the vendor-webhook bench (bench/vendor-webhooks.ts), in a worker thread of
 * its own: the sends, signed at the moment of sending as PULSE and CHARTWELL sign each attempt, on
 * the open-loop schedule. In its own thread the sender's work (signing, HTTP client) does not queue
 * on the subgraph's event loop, as a vendor's never does; it still shares the machine's CPUs.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET, DEV_VENDOR_PULSE_WEBHOOK_SECRET } from '../platform/config';
import { CHARTWELL_SPEC } from '../simulators/aps/chartwell.simulator';
import { PULSE_SPEC } from '../simulators/exam/pulse.simulator';

export interface SenderInput {
  baseUrl: string;
  /** Milliseconds between scheduled sends. */
  interval: number;
  sends: { vendor: 'PULSE' | 'CHARTWELL'; contentType: string; body: string }[];
}

/** One send: ms after its scheduled time it left and was answered; what was answered. */
export interface SendOutcome {
  sentLag: number;
  latency: number;
  status: number;
  applied: boolean;
  duplicate: boolean;
}

export interface SenderOutput {
  outcomes: SendOutcome[];
  /** ms from the first scheduled send to the last actual send. */
  lastSentAfter: number;
}

const signedHeaders = (vendor: 'PULSE' | 'CHARTWELL', contentType: string, body: string): Record<string, string> => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const sign = vendor === 'PULSE' ? PULSE_SPEC.sign : CHARTWELL_SPEC.sign;
  const secret = vendor === 'PULSE' ? DEV_VENDOR_PULSE_WEBHOOK_SECRET : DEV_VENDOR_CHARTWELL_WEBHOOK_SECRET;
  return { 'content-type': contentType, ...sign(secret, timestamp, body) };
};

// node:http with kept-alive connections rather than fetch: several times cheaper per request.
function post(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; answer: { applied?: boolean; duplicate?: boolean } }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, answer: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

export async function sendOnSchedule(input: SenderInput): Promise<SenderOutput> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const urls = { PULSE: `${input.baseUrl}/webhooks/vendors/pulse`, CHARTWELL: `${input.baseUrl}/webhooks/vendors/chartwell` };
  const send = async (i: number, scheduled: number): Promise<SendOutcome> => {
    const { vendor, contentType, body } = input.sends[i];
    const sentLag = performance.now() - scheduled;
    let status = 0;
    let answer: { applied?: boolean; duplicate?: boolean } = {};
    try {
      ({ status, answer } = await post(agent, urls[vendor], signedHeaders(vendor, contentType, body), body));
    } catch {
      // status 0: counted as a wrong answer
    }
    return {
      sentLag,
      latency: performance.now() - scheduled,
      status,
      applied: answer.applied === true,
      duplicate: answer.duplicate === true,
    };
  };
  const inFlight: Promise<SendOutcome>[] = [];
  const origin = performance.now() + 20;
  let lastSent = origin;
  for (let i = 0; i < input.sends.length; i++) {
    const scheduled = origin + i * input.interval;
    // Never waits for an answer; a timer that fires late makes the send late, and that lateness is
    // in its latency (measured from `scheduled`). No spinning: the CPU is the subgraph's too.
    const wait = scheduled - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(send(i, scheduled));
    lastSent = performance.now();
  }
  const outcomes = await Promise.all(inFlight);
  agent.destroy();
  return { outcomes, lastSentAfter: lastSent - origin };
}

if (parentPort) {
  const port = parentPort;
  sendOnSchedule(workerData as SenderInput).then(
    (output) => port.postMessage(output),
    (error: unknown) => {
      throw error;
    },
  );
}
