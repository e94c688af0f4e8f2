/**
 * `node watchdog.js <parentPid> <pidFile>`: started detached by the chaos run. While the parent
 * lives it does nothing; if the parent dies without cleaning up (SIGKILL, a CI timeout), it kills
 * every pid listed in pidFile so no service of the run is left behind, and removes the embedded
 * database's files next to it (the logs stay, for whoever looks). The parent removes pidFile
 * when it has cleaned up itself, which tells the watchdog to leave.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const [parentArg, pidFile] = process.argv.slice(2);
const parent = Number(parentArg);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

setInterval(() => {
  if (!existsSync(pidFile)) process.exit(0);
  if (alive(parent)) return;
  let pids: number[] = [];
  try {
    pids = JSON.parse(readFileSync(pidFile, 'utf8')) as number[];
  } catch {
    // half-written or gone: nothing we can trust
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(join(dirname(pidFile), 'pglite'), { recursive: true, force: true });
  process.exit(0);
}, 500);
