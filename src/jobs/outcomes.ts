import type { EngineResult } from '../engines/types.js';
import type { Logger } from '../log.js';
import { within } from '../runtime/within.js';
import { type AttemptOutcome, failureKindOf, realSize } from './attempt.js';
import type { BackendPool } from './backend-pool.js';
import type { ImageStore } from './image-store.js';
import type { JobEvent } from './observers.js';
import type { JobReporter } from './reporter.js';
import { decideAfterFailure, takesBackendDown } from './scheduling.js';
import type { Job, JobResult } from './types.js';

/**
 * A finished job's reply waits this long at most for its originals to be kept: a stuck disk delays
 * the result buttons' images, never the result itself.
 */
export const KEPT_WAIT_MS = 10_000;

/** One step the lease holder takes on a running job (see `JobQueue`). */
export type LeaseStep =
  | { type: 'complete'; result: JobResult }
  | { type: 'fail'; error: string }
  /** Back in line; `failedOn`: the backend to avoid while another can take it. */
  | { type: 'retry'; failedOn: string | null; unsent?: boolean }
  | { type: 'finish-cancelled' };

/** What the two outcomes of an answered attempt need of the runner. */
export interface OutcomeContext {
  /** Takes the step in the queue and announces the job's new state; undefined when the lease was lost. */
  move(job: Job, step: LeaseStep): Promise<Job | undefined>;
  report(what: string, job: Job, action: () => Promise<void>): void;
  emit(event: JobEvent): void;
  track(promise: Promise<unknown>): void;
  pool: BackendPool;
  reporter: JobReporter;
  log: Logger;
  now: () => number;
  maxAttempts: number;
  images: ImageStore | undefined;
  /** How long a finished job's reply waits at most for its originals to be kept. */
  keptWaitMs: number;
  isAccepting(): boolean;
  /** Tells the member of a job back in line that it is retrying; the job's later reports wait for it. */
  noteRetrying(job: Job): Promise<void>;
}

/**
 * The transitions that end an attempt, each a lease holder's step on the queue: shutdown
 * (`running → queued`), cancel (`→ cancelled`),
 * success (`→ succeeded`: the result stored, the originals kept), and after a failure `→ queued`
 * (retry on another backend) or `→ failed`.
 */
// One closure on purpose: the transitions share the runner's context; each one is a named inner function.
export function createOutcomes(context: OutcomeContext) {
  const {
    move,
    report,
    emit,
    track,
    pool,
    reporter,
    log,
    now,
    maxAttempts,
    images,
    keptWaitMs,
    isAccepting,
    noteRetrying,
  } = context;

  async function succeed(job: Job, backendId: string, result: EngineResult, started: number) {
    if (job.params.model !== undefined) pool.setLoadedModel(backendId, job.params.model);
    emit({
      type: 'generation',
      backendId,
      model: result.model ?? 'unknown',
      seconds: (now() - started) / 1000,
    });
    const done = await move(job, {
      type: 'complete',
      result: {
        seeds: result.seeds,
        model: result.model,
        modelHash: result.modelHash,
        sampler: result.sampler,
        infotexts: result.infotexts,
        durationMs: now() - started,
        backend: backendId,
        ...realSize(result.images[0]),
      },
    });
    if (done === undefined) return;
    // Keep the originals for the result buttons (files written on the thread pool). The reply goes out
    // once they are kept, since its buttons may be pressed at once, and served by another process.
    const kept = images?.save(done.id, result.images, now()).catch((error: unknown) => {
      log.warn({ err: error, jobId: done.id }, 'could not keep the images for result buttons');
    });
    if (kept !== undefined) track(kept);
    const keptOrLate = kept && keptInTime(kept, done.id);
    report('finished', done, () => reporter.finished(done, result, keptOrLate));
  }

  /** Settles once the originals are kept, or after `keptWaitMs` (and says so). */
  async function keptInTime(kept: Promise<void>, jobId: string): Promise<void> {
    if (
      (await within(
        kept.then(() => true),
        keptWaitMs,
      )) === undefined
    )
      log.warn({ jobId, waitedMs: keptWaitMs }, 'sending a result before its images were kept');
  }

  async function fail(job: Job, backendId: string, failure: unknown) {
    const kind = failureKindOf(failure);
    if (takesBackendDown(kind)) pool.markDown(backendId, failure);
    const decision = decideAfterFailure(kind, job.attempts, maxAttempts, pool.healthyOthers(backendId));
    log.warn({ jobId: job.id, backend: backendId, err: failure, kind, decision }, 'generation failed');
    if (decision === 'retry' && isAccepting()) {
      emit({ type: 'retried', job });
      const again = await move(job, { type: 'retry', failedOn: backendId });
      if (again?.state === 'cancelled') report('cancelled', again, () => reporter.cancelled(again));
      if (again?.state !== 'queued') return;
      // Its next start (here, at once) is announced after this note, which reads the line first.
      await noteRetrying(again);
    } else if (decision === 'retry') {
      await move(job, { type: 'retry', failedOn: backendId });
    } else {
      const failed = await move(job, { type: 'fail', error: kind });
      if (failed !== undefined) report('failed', failed, () => reporter.failed(failed, failure));
    }
  }

  /** Every way an attempt ends: its transition, and what the member is told. */
  async function settle(
    job: Job,
    backendId: string,
    outcome: AttemptOutcome,
    how: { started: number; resumed: boolean },
  ): Promise<void> {
    if (outcome.type === 'detached') {
      // Still on the server, which keeps it: the next start follows it (`running`, with its request id).
      log.info({ jobId: job.id, backend: backendId }, 'left a request on the server for the next start');
    } else if (outcome.type === 'stopped')
      await move(job, { type: 'retry', failedOn: null, unsent: outcome.unsent === true });
    else if (outcome.type === 'failed' && how.resumed) {
      // The server no longer has the request it had before the restart: send the job again.
      log.info(
        { jobId: job.id, backend: backendId, err: outcome.error },
        'could not follow a request after a restart',
      );
      await move(job, { type: 'retry', failedOn: null });
    } else if (outcome.type === 'cancelled') {
      const cancelled = await move(job, { type: 'finish-cancelled' });
      if (cancelled !== undefined) report('cancelled', cancelled, () => reporter.cancelled(cancelled));
    } else if (outcome.type === 'succeeded') await succeed(job, backendId, outcome.result, how.started);
    else await fail(job, backendId, outcome.error);
  }

  return { settle };
}
