/**
 * A throwaway 3-node Redis Cluster on loopback ports, for the Cluster tests: three redis-server
 * processes with cluster mode on, joined by `redis-cli --cluster create`. Needs redis-server and
 * redis-cli on PATH (CI installs them); callers skip with a message otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisServerOnPath } from '../../scripts/embedded/redis-server';

export interface RedisCluster {
  /** Seed nodes as REDIS_URL expects with REDIS_CLUSTER=true. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

export const canRunRedisCluster = () => redisServerOnPath() && spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0;

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startRedisCluster(): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'bga-redis-cluster-'));
  const ports = [await freePort(), await freePort(), await freePort()];
  const nodes: ChildProcess[] = ports.map((port) =>
    spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '2000',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    ),
  );
  const ping = (port: number) => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG';
  await waitFor(() => ports.every(ping), 'cluster nodes to start');
  const create = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
    { encoding: 'utf8' },
  );
  if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`);
  const ok = (port: number) =>
    spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout.includes('cluster_state:ok');
  await waitFor(() => ports.every(ok), 'cluster_state:ok');
  return {
    url: ports.map((p) => `redis://127.0.0.1:${p}`).join(','),
    ports,
    async stop() {
      await Promise.all(
        nodes.map(
          (node) =>
            new Promise<void>((resolve) =>
              node.exitCode !== null ? resolve() : (node.once('exit', () => resolve()), node.kill('SIGTERM')),
            ),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
