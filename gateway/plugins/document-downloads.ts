import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { sendJson } from '../../platform/http';
import type { GatewayPlugin } from './gateway-plugin';

/** The path under which the cases subgraph serves document downloads; the gateway forwards it as it is. */
export const DOCUMENTS_PATH = '/documents/';

/** Headers of the subgraph's answer passed to the caller: the download's own, nothing else. */
const PASSED_HEADERS = ['content-type', 'content-length', 'content-disposition', 'cache-control', 'x-content-type-options'];

/**
 * Document downloads on the gateway's origin: the URL a front end gets (`downloadUrl`, signed and
 * expiring) names the gateway, which forwards `GET /documents/<id>?expires=&signature=` to the cases
 * subgraph and streams its answer back. No identity is added: the signature in the URL is the
 * authorization, checked by the cases subgraph. The target is the cases subgraph's URL as the
 * gateway fetches it (CASES_URL or the supergraph's), known once the supergraph is loaded.
 */
export function documentDownloads(options: { subgraphs: ReadonlyMap<string, string>; timeoutMs: number }): GatewayPlugin {
  return {
    routes: {
      [DOCUMENTS_PATH]: async (req, res) => {
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          return sendJson(
            res,
            405,
            { errors: [{ message: 'documents are read with GET', extensions: { code: 'METHOD_NOT_ALLOWED' } }] },
            { allow: 'GET, HEAD' },
          );
        }
        const cases = options.subgraphs.get('cases');
        if (!cases) {
          return sendJson(res, 503, {
            errors: [{ message: 'the cases subgraph is not known yet', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
          });
        }
        const target = new URL(req.url ?? '/', cases);
        await new Promise<void>((resolve) => {
          const upstream = http.request(target, { method: req.method, timeout: options.timeoutMs }, (answer) => {
            const headers: Record<string, string> = {};
            for (const name of PASSED_HEADERS) {
              const value = answer.headers[name];
              if (typeof value === 'string') headers[name] = value;
            }
            res.writeHead(answer.statusCode ?? 502, headers);
            pipeline(answer, res).then(resolve, () => {
              res.destroy();
              resolve();
            });
          });
          upstream.on('timeout', () => upstream.destroy(new Error('timeout')));
          upstream.on('error', () => {
            if (!res.headersSent) {
              sendJson(res, 503, {
                errors: [{ message: 'the cases subgraph is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
              });
            } else res.destroy();
            resolve();
          });
          upstream.end();
        });
      },
    },
  };
}
