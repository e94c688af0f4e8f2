import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { sendJson } from '../../platform/http';
import type { GatewayPlugin } from './gateway-plugin';

/** Where the reference dashboard is served in development. */
export const DASHBOARD_PATH = '/dashboard';

/** The example operations the dashboard sends (examples/operations/<Name>.graphql): the only ones it may load. */
export const DASHBOARD_OPERATIONS = ['DashboardTrend', 'DashboardPipeline', 'DashboardRequirements', 'DashboardTopAgents'] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.graphql': 'text/plain; charset=utf-8',
};

/** The package root: the nearest folder above this file with a package.json (the same from source and from dist/). */
function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('no package.json above the gateway');
    dir = parent;
  }
  return dir;
}

/**
 * URL prefixes under /dashboard/ → the folder each serves. The page itself and its stylesheet come
 * from examples/dashboard/, its scripts from what `npm run build:dashboard` (tsc) emitted into
 * dist/examples/dashboard/src/, the chart library from node_modules (Chart.js's ES module build and its one
 * dependency), and the operations from examples/operations: nothing from another host, so the page
 * works offline.
 */
function folders(root: string): [prefix: string, folder: string][] {
  return [
    ['app/', join(root, 'dist', 'examples', 'dashboard', 'src')],
    ['vendor/chart.js/', join(root, 'node_modules', 'chart.js', 'dist')],
    ['vendor/@kurkle/color/', join(root, 'node_modules', '@kurkle', 'color', 'dist')],
    ['', join(root, 'examples', 'dashboard')],
  ];
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/**
 * The reference dashboard (examples/dashboard/) at GET /dashboard in development: a page that signs
 * in with a development token and reads the metrics through /graphql like any front end. In
 * production (NODE_ENV=production, the same switch that turns the explorer off) nothing is served:
 * /dashboard is a 404 like any unknown path.
 */
export function dashboard(production: boolean): GatewayPlugin {
  if (production) return {};
  const root = packageRoot();
  const served = folders(root);
  const operations = new Set<string>(DASHBOARD_OPERATIONS);
  const serve = (path: string, res: ServerResponse) => {
    if (path === '' || path === 'index.html') path = 'index.html';
    const operation = /^operations\/([A-Za-z]+)\.graphql$/.exec(path);
    if (operation) {
      if (!operations.has(operation[1])) return sendJson(res, 404, { error: 'not found' });
      return send(res, 200, TYPES['.graphql'], readFileSync(join(root, 'examples', 'operations', `${operation[1]}.graphql`)));
    }
    const [prefix, folder] = served.find(([candidate]) => path.startsWith(candidate))!;
    const file = normalize(join(folder, path.slice(prefix.length)));
    const type = TYPES[extname(file)];
    // Only files of the served kinds inside the folder (no `..`, no tsconfig, no TypeScript source).
    if (!type || !file.startsWith(folder + sep) || file.endsWith('.graphql') || !statSync(file, { throwIfNoEntry: false })?.isFile())
      return path.startsWith('app/') && !existsSync(folder)
        ? send(res, 503, 'text/plain; charset=utf-8', 'The dashboard is not built: run `npm run build:dashboard` (npm start does).\n')
        : sendJson(res, 404, { error: 'not found' });
    send(res, 200, type, readFileSync(file));
  };
  const readOnly = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    sendJson(res, 405, { error: 'method not allowed' }, { allow: 'GET, HEAD' });
    return false;
  };
  return {
    routes: {
      [DASHBOARD_PATH]: (req, res) => {
        if (readOnly(req, res)) serve('', res);
      },
      [`${DASHBOARD_PATH}/`]: (req, res) => {
        if (!readOnly(req, res)) return;
        const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
        let path: string;
        try {
          path = decodeURIComponent(pathname.slice(DASHBOARD_PATH.length + 1));
        } catch {
          return sendJson(res, 404, { error: 'not found' });
        }
        serve(path, res);
      },
    },
  };
}
