import type { Logger } from '../log.js';
import type { JobQueue, QueueJob } from '../queue/job-queue.js';
import type { JobEvent } from './observers.js';
import type { JobReporter } from './reporter.js';
import type { Job } from './types.js';

export interface LeaseKeeperOptions {
  queue: Pick<JobQueue, 'heartbeat' | 'recoverStalled'>;
  worker: string;
  leaseMs: number;
  now: () => number;
  log: Logger;
  /** The jobs this worker runs now (their leases are extended). */
  held: () => readonly string[];
  /** Another worker took the job (this one's lease ran out): it must not be delivered from here. */
  onLost: (jobId: string) => void;
  /** Someone asked for the job to be cancelled (perhaps from another process). */
  onCancelRequested: (jobId: string) => void;
  /** Jobs whose worker stopped renewing its lease, back in line or ended cancelled. */
  onRecovered: (jobs: QueueJob[]) => void;
}

/**
 * Every third of a lease: extends the lease of each job this worker runs, then puts back in line
 * the jobs of workers that stopped renewing theirs (a process that died or hung).
 */
export function startLeaseKeeping(options: LeaseKeeperOptions): { stop(): Promise<void> } {
  const { queue, worker, leaseMs, now, log } = options;
  let round: Promise<void> = Promise.resolve();
  const beat = async () => {
    for (const jobId of options.held()) {
      const heartbeat = await queue.heartbeat(jobId, worker, leaseMs, now());
      if (!heartbeat.held) options.onLost(jobId);
      else if (heartbeat.cancelRequested) options.onCancelRequested(jobId);
    }
    const recovered = await queue.recoverStalled(now());
    if (recovered.length > 0) options.onRecovered(recovered);
  };
  const timer = setInterval(
    () => {
      round = round.then(beat).catch((error: unknown) => {
        log.warn({ err: error }, 'could not renew the leases of running jobs');
      });
    },
    Math.max(50, Math.floor(leaseMs / 3)),
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await round;
    },
  };
}

/**
 * Tells the members of recovered jobs: cancelled (a cancel was asked), or back in line to run again.
 * The "retrying" note is taken before this returns to the event loop, so a start of the job
 * claimed meanwhile is announced after it, never in its place.
 */
export async function tellRecovered(
  jobs: readonly QueueJob[],
  context: {
    emit: (event: JobEvent) => void;
    report: (what: string, job: Job, action: () => Promise<void>) => void;
    reporter: JobReporter;
    noteRetrying: (job: Job) => Promise<void>;
  },
): Promise<void> {
  const { emit, report, reporter, noteRetrying } = context;
  const notes: Promise<void>[] = [];
  for (const job of jobs) {
    emit({ type: 'state', job, state: job.state });
    if (job.state === 'cancelled') report('cancelled', job, () => reporter.cancelled(job));
    if (job.state === 'queued') notes.push(noteRetrying(job));
  }
  await Promise.all(notes);
}
