import type { Backend } from '../../jobs/backend-pool.js';

/**
 * Waits (at most `timeoutMs`) until every server's first capability probe has settled: right after
 * a start, a command may come before the bot knows what each server can do.
 */
export async function whenProbed(backends: readonly Backend[], timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(backends.map((backend) => backend.engine.ready())),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
