import type { Backend } from '../../jobs/backend-pool.js';
import { within } from '../../runtime/within.js';

/**
 * Waits (at most `timeoutMs`) until every server's first capability probe has settled: right after
 * a start, a command may come before the bot knows what each server can do.
 */
export async function whenProbed(backends: readonly Backend[], timeoutMs = 5000): Promise<void> {
  await within(Promise.all(backends.map((backend) => backend.engine.ready())), timeoutMs);
}
