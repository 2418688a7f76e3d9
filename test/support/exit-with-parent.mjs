/**
 * Preloaded (`--import`) into every process a test spawns: the process ends soon after the one that
 * spawned it is gone. A test worker that vitest SIGKILLs runs no clean-up of its own, and its bots
 * would otherwise live on, holding ports, database connections and leases. Reparented means
 * orphaned; Node keeps `process.ppid` as it was at start, so the live parent is read from
 * `/proc/self/status` (where there is no /proc, this does nothing). The process is asked to stop
 * (SIGTERM: a bot's clean stop) and ended for good 10 s later.
 */
import { readFileSync } from 'node:fs';

function parentNow() {
  try {
    return Number(/^PPid:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

const parent = parentNow();
// Already init's: the spawner died while this process was starting.
if (parent === 1) process.kill(process.pid, 'SIGTERM');
else if (parent !== undefined) {
  const watch = setInterval(() => {
    if (parentNow() === parent) return;
    clearInterval(watch);
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 10_000).unref();
    process.kill(process.pid, 'SIGTERM');
  }, 200);
  watch.unref();
}
