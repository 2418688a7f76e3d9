import type { Logger } from '../log.js';
import type { QueueJob } from '../queue/job-queue.js';
import { within } from '../runtime/within.js';
import { AHEAD_LEAD_MS, type Ahead, createAhead } from './ahead.js';
import { type AttemptOutcome, startAttempt } from './attempt.js';
import type { BackendPool } from './backend-pool.js';
import type { JobNotes } from './job-records.js';
import type { JobEvent } from './observers.js';
import type { JobReporter } from './reporter.js';
import type { Running } from './running.js';
import type { Job } from './types.js';

/** What running one claimed job needs of the runner. */
export interface ExecuteContext {
  pool: BackendPool;
  /** The jobs this worker runs now; an entry stays until its outcome is recorded in the queue. */
  running: Map<string, Running>;
  /** Cancels asked for jobs claimed but not started yet here. */
  pendingCancels: Set<string>;
  store: { update(id: string, changes: JobNotes): unknown };
  reporter: JobReporter;
  log: Logger;
  now: () => number;
  emit(event: JobEvent): void;
  report(what: string, job: Job, action: () => Promise<void>): void;
  track(promise: Promise<unknown>): void;
  cancelRunning(entry: Running): void;
  /** Records the attempt's outcome in the queue and tells the member (see outcomes.ts). */
  settle(
    job: Job,
    backendId: string,
    outcome: AttemptOutcome,
    how: { started: number; resumed: boolean },
  ): Promise<void>;
  /** Another dispatch round (a slot is free). */
  schedule(): void;
  /**
   * Claims the job to follow `behind` on its backend as though its server had answered (see
   * ahead.ts), taking it out of the line as seen here; `claimAheadMs` before the foreseen answer.
   */
  claimAhead(backendId: string, behind: Job): Promise<QueueJob | undefined>;
  claimAheadMs: number | undefined;
  /** The same at once, before the answer that freed the slot is read on: settles once that round has. */
  scheduleNow(): Promise<void>;
  isAccepting(): boolean;
  /** The runner has stopped for good: an outcome the database would not take is given up. */
  isStopped(): boolean;
  attempt: { progressIntervalMs: number; livePreview: boolean; randomSeed?: (() => number) | undefined };
}

/** Waits between tries to record an outcome the database did not take (it restarts, say). */
const RETRY_MS = [250, 500, 1000, 2000];
/**
 * The longest an answer that freed its server waits for the next job's claim before it is read on
 * (a claim on PostgreSQL under load: 5–15 ms, rarely more).
 */
export const CLAIM_WAIT_MS = 30;

/**
 * Runs a claimed job on its backend (or, with `resumeRef`, follows its request sent before a
 * restart), then records its outcome. The job stays this worker's (its lease renewed) until the
 * queue took that step: were the database away when the server answered, the step is tried again
 * rather than the answer thrown away and the image made a second time after the lease ran out.
 */
// One closure on purpose: the attempt, its slot, its lease and the recording of its outcome share one job's state.
export function createExecutor(context: ExecuteContext): {
  execute: (job: Job, backendId: string, resumeRef?: string) => void;
  /** The claims ahead: a job like the last one sets the next one's claim, its answer starts it. */
  ahead: Ahead;
} {
  const { pool, running, log, emit, report, reporter, now, track } = context;
  const ahead = createAhead({
    leadMs: context.claimAheadMs ?? AHEAD_LEAD_MS,
    log,
    claim: context.claimAhead,
    ready: (backendId) => context.isAccepting() && pool.isHealthy(backendId),
    start: (job, backendId) => {
      pool.acquire(backendId, job.id);
      execute(job, backendId);
    },
    end: (job, backendId, outcome) =>
      track(context.settle(job, backendId, outcome, { started: now(), resumed: false })),
    schedule: context.schedule,
    track,
    now,
  });

  const settleUntilRecorded = async (entry: Running, outcome: AttemptOutcome, started: number) => {
    const { job, backendId } = entry;
    for (let tries = 0; ; tries += 1) {
      try {
        await context.settle(job, backendId, outcome, { started, resumed: entry.resumed });
        return;
      } catch (error: unknown) {
        if (entry.lost || context.isStopped()) return;
        log.warn({ err: error, jobId: job.id }, 'could not record the outcome of a job; trying again');
        const wait = RETRY_MS[Math.min(tries, RETRY_MS.length - 1)];
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  };

  function execute(job: Job, backendId: string, resumeRef?: string): void {
    const engine = pool.engine(backendId);
    if (engine === undefined) return;
    if (resumeRef !== undefined)
      log.info({ jobId: job.id, backend: backendId }, 'following a request sent before the restart');
    emit({ type: 'state', job, state: 'running' });
    report('running', job, () => reporter.running(job, null));
    const started = now();
    // Once the server answers, it is free: hand it the next job while this answer is read and
    // delivered, so the GPU does not wait for the bot's bookkeeping. The answer is read on once
    // that claim is made (a round trip on a shared queue), or after CLAIM_WAIT_MS: reading it
    // first would keep the claim's answer waiting behind the decoding.
    // A job claimed ahead of the answer (see ahead.ts) is sent at once, and the answer read on.
    let freed = false;
    const free = (answered: boolean): Promise<void> | undefined => {
      if (freed) return undefined;
      freed = true;
      const current = running.get(job.id);
      if (current !== undefined) current.freed = true;
      pool.release(backendId, job.id);
      if (job.params.model !== undefined) pool.setLoadedModel(backendId, job.params.model);
      const serviceMs = resumeRef === undefined ? now() - started : undefined;
      if (answered && ahead.answered(job, backendId, serviceMs)) {
        context.schedule();
        return undefined;
      }
      return context.isAccepting() ? within(context.scheduleNow(), CLAIM_WAIT_MS) : undefined;
    };
    const attempt = startAttempt(job, engine, {
      progressIntervalMs: context.attempt.progressIntervalMs,
      livePreview: context.attempt.livePreview,
      alone: () => pool.runningOn(backendId) <= 1,
      onFree: () => free(true),
      onRef: (ref) => {
        const current = running.get(job.id);
        if (current !== undefined) current.serverRef = ref;
        track(
          Promise.resolve(context.store.update(job.id, { serverRef: ref })).catch((error: unknown) => {
            log.warn({ err: error, jobId: job.id }, 'could not keep the server’s request id');
          }),
        );
      },
      resumeRef,
      onImage: (image) => context.reporter.imageArrived(job, image),
      onProgress: (progress) => {
        const current = running.get(job.id);
        if (current?.cancelling !== true && current?.lost !== true && current?.settling !== true)
          report('running', job, () => reporter.running(job, progress));
      },
      ...(context.attempt.randomSeed === undefined ? {} : { randomSeed: context.attempt.randomSeed }),
    });
    const entry: Running = {
      job,
      backendId,
      attempt,
      cancelling: false,
      freed: false,
      lost: false,
      settling: false,
      resumed: resumeRef !== undefined,
      serverRef: resumeRef ?? null,
    };
    running.set(job.id, entry);
    if (context.pendingCancels.delete(job.id)) context.cancelRunning(entry);
    ahead.started(job, backendId);
    track(
      attempt.settled.finally(() => {
        void free(false);
      }),
    );
    track(
      attempt.outcome.then(async (outcome) => {
        entry.settling = true;
        try {
          if (!entry.lost) await settleUntilRecorded(entry, outcome, started);
        } finally {
          running.delete(job.id);
        }
        // An attempt that ended without an answer hands on its follower once its outcome is known.
        ahead.answered(job, backendId);
        context.schedule();
      }),
    );
  }
  return { execute, ahead };
}
