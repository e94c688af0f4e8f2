import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { HttpError, sendJson } from '../../platform/http';
import { identitySigner } from '../../platform/identity';
import type { Identify } from './authentication';
import type { GatewayPlugin } from './gateway-plugin';

/** The path under which the cases subgraph serves CSV exports; the gateway forwards it as it is. */
export const EXPORTS_PATH = '/export/';

/** Headers of the subgraph's answer passed to the caller. */
const PASSED_HEADERS = ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options'];

const refuse = (res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, { 'cache-control': 'no-store', ...headers });

/**
 * CSV exports on the gateway's origin: `GET /export/cases.csv?...` and `GET /export/metrics.csv?...`
 * with the same bearer token as /graphql. The gateway verifies the token (the same verification as
 * a GraphQL request: 401 without a valid one; the same rate limit, 429), forwards the request to the cases subgraph with the
 * caller's identity signed as on every subgraph fetch, and streams the answer back as it comes
 * (pipeline: the subgraph's socket is read only as fast as the caller reads). The cases subgraph
 * applies the scope and the limits.
 */
export function exportDownloads(options: {
  subgraphs: ReadonlyMap<string, string>;
  identify: Identify;
  identitySecret: string;
  timeoutMs: number;
  /** A rate-limit permit for the request (the same limit and buckets as /graphql), or a 429 HttpError. */
  permit?: (req: http.IncomingMessage) => Promise<void> | void;
}): GatewayPlugin {
  const sign = identitySigner(options.identitySecret);
  return {
    routes: {
      [EXPORTS_PATH]: async (req, res) => {
        if (req.method !== 'GET') return refuse(res, 405, 'METHOD_NOT_ALLOWED', 'exports are read with GET', { allow: 'GET' });
        let headers: Record<string, string>;
        try {
          await options.permit?.(req);
          const identity = await options.identify(req);
          if (identity.role === 'ANONYMOUS')
            return refuse(res, 401, 'UNAUTHENTICATED', 'an export needs a token: send Authorization: Bearer <jwt>');
          headers = { ...sign(identity) };
        } catch (error) {
          if (error instanceof HttpError) return refuse(res, error.status, error.code, error.message, error.headers);
          throw error;
        }
        const requestId = req.headers['x-request-id'];
        if (typeof requestId === 'string') headers['x-request-id'] = requestId.slice(0, 64);
        const cases = options.subgraphs.get('cases');
        if (!cases) return refuse(res, 503, 'SERVICE_UNAVAILABLE', 'the cases subgraph is not known yet');
        const target = new URL(req.url ?? '/', cases);
        await new Promise<void>((resolve) => {
          // The deadline is for the answer to start; a long export then streams as long as it takes.
          const upstream = http.request(target, { method: 'GET', headers, timeout: options.timeoutMs }, (answer) => {
            upstream.setTimeout(0);
            const passed: Record<string, string> = {};
            for (const name of PASSED_HEADERS) {
              const value = answer.headers[name];
              if (typeof value === 'string') passed[name] = value;
            }
            if (answer.headers['content-length']) passed['content-length'] = answer.headers['content-length'];
            res.writeHead(answer.statusCode ?? 502, passed);
            pipeline(answer, res).then(resolve, () => {
              res.destroy();
              resolve();
            });
          });
          upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
          upstream.on('error', () => {
            if (!res.headersSent) refuse(res, 503, 'SERVICE_UNAVAILABLE', 'the cases subgraph is unavailable');
            else res.destroy();
            resolve();
          });
          upstream.end();
        });
      },
    },
  };
}
