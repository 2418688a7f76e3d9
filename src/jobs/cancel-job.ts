import type { CancelOutcome } from '../engines/types.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Ahead } from './ahead.js';
import type { CancelResult } from './runner-types.js';
import type { Running } from './running.js';
import type { Job } from './types.js';

const CANCEL_RESULTS: Record<CancelOutcome, CancelResult> = {
  interrupted: 'interrupting',
  dequeued: 'cancelled',
  pending: 'pending',
  discard: 'discarding',
};

/**
 * A member's Cancel. A job running here: the queue's flag, then this attempt stopped (never anybody
 * else's work). A queued one: cancelled in the queue at once. One running in another process: the
 * flag, which that process sees and acts on.
 */
export async function cancelJob(
  jobId: string,
  context: {
    running: ReadonlyMap<string, Running>;
    /** The jobs claimed ahead and held here, not sent yet (see ahead.ts). */
    ahead: Pick<Ahead, 'ids' | 'cancelIfHeld'>;
    queue: Pick<JobQueue, 'cancel' | 'get'>;
    now: () => number;
    /** A queued job was cancelled: announce it and tell its member. */
    cancelled: (job: Job) => Promise<void>;
  },
): Promise<CancelResult> {
  const { queue, now } = context;
  if (context.ahead.ids().includes(jobId)) {
    // Never sent: the flag first (as for a running job), then it ends cancelled at once.
    await queue.cancel(jobId, now());
    context.ahead.cancelIfHeld(jobId);
    return 'cancelled';
  }
  const entry = context.running.get(jobId);
  if (entry !== undefined) {
    if (entry.cancelling) return 'interrupting';
    entry.cancelling = true;
    // The flag first: were this process to die now, the job would end cancelled, not run again.
    await queue.cancel(jobId, now());
    return CANCEL_RESULTS[await entry.attempt.cancel()];
  }
  const outcome = await queue.cancel(jobId, now());
  if (outcome === 'not-found') return 'not-found';
  if (outcome === 'requested') return 'interrupting';
  const job = await queue.get(jobId);
  if (outcome === 'finished' || job === undefined)
    return job?.state === 'cancelled' ? 'already-cancelled' : 'finished';
  await context.cancelled(job);
  return 'cancelled';
}
