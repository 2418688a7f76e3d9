import type { Logger } from '../log.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { BackendPool } from './backend-pool.js';
import type { SendReport } from './report-order.js';
import type { JobReporter } from './reporter.js';
import type { Job } from './types.js';

/** What start-up does with the jobs a previous run left unfinished. */
export interface RestartPlan {
  /** Requests still on a server that can be followed again (ComfyUI keeps them apart from the bot). */
  resume: { job: Job; backendId: string; ref: string }[];
  /** Jobs that were running when the bot stopped: back in line, to run again. */
  requeue: Job[];
  /** Jobs that were waiting: they keep their place. */
  waiting: Job[];
}

/** Pure: sorts the pending jobs (oldest first) by what start-up does with each. */
export function planRestart(pending: readonly Job[], canResume: (backendId: string) => boolean): RestartPlan {
  const plan: RestartPlan = { resume: [], requeue: [], waiting: [] };
  for (const job of pending) {
    if (job.state !== 'running') {
      plan.waiting.push(job);
      continue;
    }
    const ref = job.serverRef ?? undefined;
    if (ref !== undefined && job.backend !== null && canResume(job.backend)) {
      plan.resume.push({ job, backendId: job.backend, ref });
    } else plan.requeue.push(job);
  }
  return plan;
}

/**
 * Start-up: the jobs this worker left running (or that no worker holds) are its own again; those a
 * server can be asked about again keep their slot and are followed once the servers are probed, the
 * others go back in line (attempts kept). Returns what is to be followed.
 */
export async function takeBack(context: {
  queue: Pick<JobQueue, 'adopt' | 'retry'>;
  worker: string;
  leaseMs: number;
  now: () => number;
  pool: Pick<BackendPool, 'engine' | 'acquire'>;
}): Promise<{ resume: RestartPlan['resume']; requeued: string[] }> {
  const { queue, worker, pool, now } = context;
  const plan = planRestart(
    await queue.adopt(worker, context.leaseMs, now()),
    (backendId) => pool.engine(backendId)?.resume !== undefined,
  );
  // A followed request keeps its slot from the start: nothing else is dispatched there first.
  for (const entry of plan.resume) pool.acquire(entry.backendId, entry.job.id);
  const requeued: string[] = [];
  for (const job of plan.requeue) if (await queue.retry(job.id, worker, null, now())) requeued.push(job.id);
  return { resume: plan.resume, requeued };
}

/**
 * Pure: who hears "the bot restarted" at start-up, with their place. Alone on its queue, the process
 * was the whole bot: every queued member. On a shared queue the line went on without it: only the
 * members of the jobs it had been running and put back (another process tells the others nothing).
 */
export function toRestartNotes(
  line: readonly Job[],
  requeued: readonly string[],
  context: { sharedQueue: boolean; announcesLine: boolean },
): { job: Job; position: number; total: number }[] {
  const notes = line.map((job, index) => ({ job, position: index + 1, total: line.length }));
  if (context.sharedQueue) return notes.filter((note) => requeued.includes(note.job.id));
  return context.announcesLine ? notes : [];
}

/** Tells each member `toRestartNotes` names that the bot restarted, at the job's place. */
export function tellRestarted(
  notes: readonly { job: Job; position: number; total: number }[],
  context: { log: Logger; report: SendReport; reporter: JobReporter },
): void {
  const { log, report, reporter } = context;
  if (notes.length > 0) log.info({ count: notes.length }, 'reloaded unfinished jobs');
  for (const { job, position, total } of notes) {
    report('restarted', job, () => reporter.queued(job, position, total, 'restarted'));
  }
}
