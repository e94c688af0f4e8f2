import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/** A free loopback port, by binding port 0 and letting it go. */
export async function freePort(): Promise<number> {
  // Under jest's parallel workers, each worker takes only the ports of its own residue (port % 8):
  // two workers never hand out the same port between picking it here and binding it there.
  const worker = Number(process.env.JEST_WORKER_ID);
  for (let attempt = 0; ; attempt++) {
    const port = await anyFreePort();
    if (!Number.isInteger(worker) || port % PORT_SLOTS === worker % PORT_SLOTS || attempt >= 64) return port;
  }
}

/** How many jest workers freePort keeps apart (more share slots: a collision becomes possible, not certain). */
const PORT_SLOTS = 8;

function anyFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function redisServerOnPath(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts a throwaway redis-server from PATH on a free loopback port (no persistence), or returns
 * undefined when none is installed. The child dies with us: it is killed on stop().
 */
export async function startEmbeddedRedis(): Promise<EmbeddedRedis | undefined> {
  if (!redisServerOnPath()) return undefined;
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const url = `redis://127.0.0.1:${port}`;
  // Wait until it accepts connections (at most ~5 s).
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.end(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    },
  };
}
