/**
 * A subscriber over graphql-sse's distinct-connections mode (one POST with Accept:
 * text/event-stream per subscription), read by hand so that hundreds or thousands of them cost the
 * runner little: each `next` event is handed over with the instant it arrived. It keeps the last
 * `extensions.eventId` it saw and, when its stream ends for any reason but close(), subscribes again
 * with it as `Last-Event-ID` (after `retryMs`), as a browser's EventSource would. Used by the chaos
 * run (test/chaos/subscription-scenario.ts) and bench:gateway's subscriptions.
 */
import { type Agent, request } from 'undici';

export interface SubscriberOptions {
  url: string;
  token: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Each result, with Date.now() when it arrived. */
  onResult?: (result: { data?: any; errors?: { message: string; extensions?: { code?: string } }[]; extensions?: any }, at: number) => void;
  /** Wait before subscribing again after the stream ended (default 250 ms). */
  retryMs?: number;
  /** The connection pool to use (one per runner: many streams on one origin). */
  dispatcher?: Agent;
}

export class SseSubscriber {
  /** Event ids in the order they arrived (duplicates kept: they are what a check counts). */
  readonly eventIds: string[] = [];
  lastEventId?: string;
  /** Streams opened (1 + reconnections) and those refused or ended with an error result. */
  connections = 0;
  failures = 0;
  /** Codes of error results, by count. */
  readonly errorCodes = new Map<string, number>();
  private abort?: AbortController;
  private stopped = false;
  private loop?: Promise<void>;
  /** Resolves when the current stream has answered its headers. */
  private openedNow?: () => void;

  constructor(private readonly options: SubscriberOptions) {}

  /** Starts subscribing; resolves once the first stream's response has begun (its headers arrived). */
  start(): Promise<void> {
    const opened = new Promise<void>((resolve) => {
      this.openedNow = resolve;
    });
    this.loop = this.run();
    return opened;
  }

  /** Drops the connection as a network failure would: the subscriber reconnects with its last event id. */
  disconnect(): void {
    this.abort?.abort();
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.abort?.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.stream();
      } catch {
        if (!this.stopped) this.failures++;
      }
      if (this.stopped) break;
      await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 250));
    }
  }

  private async stream(): Promise<void> {
    const { url, token, query, variables } = this.options;
    this.abort = new AbortController();
    this.connections++;
    const response = await request(url, {
      method: 'POST',
      dispatcher: this.options.dispatcher,
      headers: {
        accept: 'text/event-stream',
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}),
      },
      body: JSON.stringify({ query, variables }),
      signal: this.abort.signal,
      headersTimeout: 10_000,
      bodyTimeout: 0,
    });
    this.openedNow?.();
    this.openedNow = undefined;
    if (response.statusCode !== 200) {
      await response.body.dump();
      throw new Error(`HTTP ${response.statusCode}`);
    }
    let buffer = '';
    response.body.setEncoding('utf8');
    for await (const chunk of response.body as AsyncIterable<string>) {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = '';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
        }
        if (event === 'complete') return;
        if (event !== 'next' || data.length === 0) continue;
        const result = JSON.parse(data.join('\n'));
        const at = Date.now();
        const eventId = result.extensions?.eventId as string | undefined;
        if (result.errors?.length) {
          for (const error of result.errors) {
            const code = error.extensions?.code ?? 'UNCODED';
            this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
          }
          if (!eventId) {
            // The subscription was refused or ended (e.g. SERVICE_UNAVAILABLE while resuming): try again.
            this.failures++;
            continue;
          }
        }
        if (eventId) {
          this.eventIds.push(eventId);
          this.lastEventId = eventId;
        }
        this.options.onResult?.(result, at);
      }
    }
  }
}
