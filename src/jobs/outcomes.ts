import type { EngineResult } from '../engines/types.js';
import type { Logger } from '../log.js';
import { type AttemptOutcome, failureKindOf, realSize } from './attempt.js';
import type { BackendPool } from './backend-pool.js';
import type { ImageStore } from './image-store.js';
import type { JobEvent } from './observers.js';
import type { JobReporter } from './reporter.js';
import { decideAfterFailure, takesBackendDown } from './scheduling.js';
import type { Job, JobState } from './types.js';

/** What the two outcomes of an answered attempt need of the runner. */
export interface OutcomeContext {
  transition(job: Job, state: JobState, changes?: Partial<Omit<Job, 'id'>>): Job;
  report(what: string, job: Job, action: () => Promise<void>): void;
  emit(event: JobEvent): void;
  track(promise: Promise<unknown>): void;
  pool: BackendPool;
  reporter: JobReporter;
  log: Logger;
  now: () => number;
  maxAttempts: number;
  images: ImageStore | undefined;
  isAccepting(): boolean;
  /** Puts a job back in line (`failedOn`: the backend a retry should avoid); its new place. */
  requeue(job: Job, failedOn?: string): { position: number; total: number };
}

/**
 * The transitions that end an attempt: shutdown (`running → queued`), cancel (`→ cancelled`),
 * success (`→ succeeded`: the result stored, the originals kept), and after a failure `→ queued`
 * (retry on another backend) or `→ failed`.
 */
// One closure on purpose: the transitions share the runner's context; each one is a named inner function.
export function createOutcomes(context: OutcomeContext) {
  const {
    transition,
    report,
    emit,
    track,
    pool,
    reporter,
    log,
    now,
    maxAttempts,
    images,
    isAccepting,
    requeue,
  } = context;

  function succeed(job: Job, backendId: string, result: EngineResult, started: number): void {
    if (job.params.model !== undefined) pool.setLoadedModel(backendId, job.params.model);
    emit({
      type: 'generation',
      backendId,
      model: result.model ?? 'unknown',
      seconds: (now() - started) / 1000,
    });
    const done = transition(job, 'succeeded', {
      finishedAt: now(),
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
    report('finished', done, () => reporter.finished(done, result));
    // Keep the originals for the result buttons (files written on the thread pool).
    if (images !== undefined) {
      track(
        images.save(done.id, result.images, now()).catch((error: unknown) => {
          log.warn({ err: error, jobId: done.id }, 'could not keep the images for result buttons');
        }),
      );
    }
  }

  function fail(job: Job, backendId: string, failure: unknown): void {
    const kind = failureKindOf(failure);
    if (takesBackendDown(kind)) pool.markDown(backendId, failure);
    const decision = decideAfterFailure(kind, job.attempts, maxAttempts, pool.healthyOthers(backendId));
    log.warn({ jobId: job.id, backend: backendId, err: failure, kind, decision }, 'generation failed');
    if (decision === 'retry' && isAccepting()) {
      emit({ type: 'retried', job });
      const again = transition(job, 'queued', { backend: null });
      const { position, total } = requeue(again, backendId);
      report('retrying', again, () => reporter.queued(again, position, total, 'retrying'));
    } else if (decision === 'retry') {
      transition(job, 'queued', { backend: null });
    } else {
      const failed = transition(job, 'failed', { finishedAt: now(), error: kind });
      report('failed', failed, () => reporter.failed(failed, failure));
    }
  }

  /** Every way an attempt ends: its transition, and what the member is told. */
  function settle(
    job: Job,
    backendId: string,
    outcome: AttemptOutcome,
    how: { started: number; resumed: boolean },
  ) {
    if (outcome.type === 'detached') {
      // Still on the server, which keeps it: the next start follows it (`running`, with its request id).
      log.info({ jobId: job.id, backend: backendId }, 'left a request on the server for the next start');
    } else if (outcome.type === 'stopped') transition(job, 'queued', { backend: null });
    else if (outcome.type === 'failed' && how.resumed) {
      // The server no longer has the request it had before the restart: send the job again.
      log.info(
        { jobId: job.id, backend: backendId, err: outcome.error },
        'could not follow a request after a restart',
      );
      requeue(transition(job, 'queued', { backend: null, serverRef: null }));
    } else if (outcome.type === 'cancelled') {
      const cancelled = transition(job, 'cancelled', { finishedAt: now() });
      report('cancelled', cancelled, () => reporter.cancelled(cancelled));
    } else if (outcome.type === 'succeeded') succeed(job, backendId, outcome.result, how.started);
    else fail(job, backendId, outcome.error);
  }

  return { settle };
}
