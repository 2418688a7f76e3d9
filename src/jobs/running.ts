import type { Logger } from '../log.js';
import type { JobQueue } from '../queue/job-queue.js';
import { within } from '../runtime/within.js';
import type { Attempt } from './attempt.js';
import type { BackendPool } from './backend-pool.js';
import type { Job } from './types.js';

/** A job this worker runs now. */
export interface Running {
  job: Job;
  backendId: string;
  attempt: Attempt;
  cancelling: boolean;
  /** The server answered: the slot is free though the job is still being delivered. */
  freed: boolean;
  /** Another worker took the job over (this one's lease ran out): nothing is delivered from here. */
  lost: boolean;
  /** The attempt ended; its outcome is being recorded in the queue (tried again while it cannot be). */
  settling: boolean;
  /** A request followed after a restart (not sent by this attempt). */
  resumed: boolean;
  /** The server's own id of the request, once it named one (see `Engine.resume`). */
  serverRef: string | null;
}

/**
 * Shutdown past its grace period: the jobs still running go back in line for the next start, or, on
 * a server that keeps requests apart from the bot (ComfyUI), stay there (running, this worker's) to
 * be followed by the next start.
 */
export async function drainRunning(
  left: readonly Running[],
  context: {
    inFlight: ReadonlySet<Promise<unknown>>;
    pool: Pick<BackendPool, 'engine'>;
    queue: Pick<JobQueue, 'retry'>;
    worker: string;
    now: () => number;
  },
): Promise<void> {
  const { pool, queue, worker, now } = context;
  const followable = (entry: Running) =>
    entry.serverRef !== null && pool.engine(entry.backendId)?.resume !== undefined;
  await Promise.allSettled(left.map((entry) => entry.attempt.stop(followable(entry))));
  await within(Promise.allSettled([...context.inFlight]), 2000);
  // Anything whose outcome did not settle in time goes back in line all the same.
  for (const entry of left) {
    if (!followable(entry) && !entry.lost)
      await queue.retry(entry.job.id, worker, null, now()).catch(() => false);
  }
}

/**
 * Shutdown: the running jobs get `graceMs` to finish; then the rest are drained, but for a job
 * whose outcome is being recorded, which is left to that (it is not sent back in line).
 */
export async function windDown(
  running: ReadonlyMap<string, Running>,
  graceMs: number,
  context: Parameters<typeof drainRunning>[1],
): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (running.size > 0 && Date.now() < deadline) {
    await within(Promise.allSettled([...context.inFlight]), 100);
  }
  await drainRunning(
    [...running.values()].filter((entry) => !entry.settling),
    context,
  );
}

/** Another worker took the job over (this one's lease ran out): stop it here, deliver nothing. */
export function stopLost(entry: Running, log: Logger): Promise<void> {
  entry.lost = true;
  log.warn({ jobId: entry.job.id }, 'lost the lease of a running job; stopping it here');
  return entry.attempt.stop(false);
}

/** Cancels a running attempt once: a second ask while the first is under way changes nothing. */
export function cancelOnce(entry: Running, track: (promise: Promise<unknown>) => void): void {
  if (entry.cancelling) return;
  entry.cancelling = true;
  track(entry.attempt.cancel().catch(() => undefined));
}
