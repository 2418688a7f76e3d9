/**
 * The durable fair queue's runner. The life of a job:
 *
 *            submit                 dispatch                  server's answer
 *   (new) ──────────▶ queued ─────────────────▶ running ──────────────────────▶ succeeded
 *                      │  ▲                       │ │ │
 *               cancel │  │ retry (backend fault, │ │ └─ failure (no retry) ─────▶ failed
 *                      │  │ attempts left)        │ └─── cancel ─────────────────▶ cancelled
 *                      ▼  └───────────────────────┘      (the engine stops only its own work;
 *                  cancelled                              a late answer is discarded)
 *
 *   running ── shutdown past its grace period ──▶ queued   (runs again at the next start)
 *   running ── found at start (the bot died) ───▶ queued   ("the bot restarted")
 *
 * Each transition is one `transition()` call: it writes the store, then tells the observers (logs,
 * metrics), which never sit inside the steps. The parts: `backend-pool.ts` (health, probing,
 * slots, loaded models, capabilities), `dispatch.ts` (the pure dispatch step), `attempt.ts` (one
 * attempt against one engine, ending in an outcome). Delivery to Discord is the reporter's, which
 * also throttles progress edits.
 */
import { SdError } from '../engines/errors.js';
import type { CancelOutcome, EngineResult } from '../engines/types.js';
import { readImageSize } from '../images/size.js';
import type { Logger } from '../log.js';
import { type Attempt, startAttempt } from './attempt.js';
import type { Backend, BackendPool, BackendStatus, PoolEvent } from './backend-pool.js';
import { createBackendPool } from './backend-pool.js';
import { planDispatch } from './dispatch.js';
import type { ImageStore } from './image-store.js';
import type { JobStore } from './job-store.js';
import { createJobObservers, type JobEvent, type RunnerMetrics } from './observers.js';
import type { JobReporter } from './reporter.js';
import {
  type AdmissionResult,
  checkAdmission,
  decideAfterFailure,
  type FailureKind,
  takesBackendDown,
} from './scheduling.js';
import type { Job, JobState, NewJob } from './types.js';

export type { Backend, BackendStatus } from './backend-pool.js';
export type { RunnerMetrics } from './observers.js';

export interface JobRunnerOptions {
  store: JobStore;
  backends: readonly Backend[];
  reporter: JobReporter;
  log: Logger;
  now: () => number;
  metrics?: RunnerMetrics | undefined;
  limits: { maxPendingPerUser: number; maxQueueLength: number };
  progressIntervalMs: number;
  livePreview: boolean;
  concurrencyPerBackend: number;
  maxAttempts: number;
  /** Prefer a free backend with the job's model loaded (default true); false: plain fair order. */
  modelAffinity?: boolean;
  /** Where finished jobs' original images are kept for result buttons; unset: not kept. */
  images?: ImageStore | undefined;
  /** Whether a backend can take a job at all (its model, its capabilities). Default: any. */
  eligible?: (job: Pick<Job, 'kind' | 'params'>, backendId: string, pool: BackendPool) => boolean;
  /** How long start-up waits for the first capability probe of each backend. */
  probeTimeoutMs?: number;
  randomSeed?: () => number;
}

export type SubmitResult =
  | { ok: true; job: Job; position: number; total: number }
  | Extract<AdmissionResult, { ok: false }>;

/** `pending`: it waits in the server's own queue and is stopped once it starts; `discarding`: the server cannot stop it. */
export type CancelResult = 'cancelled' | 'interrupting' | 'pending' | 'discarding' | 'not-found' | 'finished';

export interface JobRunner {
  /** Whether one more job of this member would be admitted now (what `submit` checks first). */
  admission(userId: string): AdmissionResult;
  submit(job: NewJob): SubmitResult;
  cancel(jobId: string): Promise<CancelResult>;
  /** Position in the fair line (1-based) and its length; undefined when not queued. */
  position(jobId: string): { position: number; total: number } | undefined;
  queue(): Job[];
  backends(): BackendStatus[];
  readonly pool: BackendPool;
  isAccepting(): boolean;
  /**
   * Reloads unfinished jobs (running ones go back in line), starts dispatching, and probes the
   * backends (after `probeAfter` settles: the start-up list fetches go first).
   */
  start(probeAfter?: Promise<unknown>): Promise<void>;
  /** Stops taking jobs, lets running ones finish within `graceMs`, keeps the rest for the next start. */
  stop(graceMs: number): Promise<void>;
  /** Notes the model a backend has loaded, for affinity. */
  setLoadedModel(backendId: string, model: string | undefined): void;
  /** The backends that could ever take such a job (up or down): none means it would wait forever. */
  eligibleBackends(job: Pick<Job, 'kind' | 'params'>): string[];
}

interface Running {
  job: Job;
  backendId: string;
  attempt: Attempt;
  cancelling: boolean;
}

const CANCEL_RESULTS: Record<CancelOutcome, CancelResult> = {
  interrupted: 'interrupting',
  dequeued: 'cancelled',
  pending: 'pending',
  discard: 'discarding',
};

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, reporter, log, now } = options;
  const inFlight = new Set<Promise<unknown>>();
  const observe = createJobObservers(log, options.metrics);
  const emit = (event: JobEvent) => observe(event);
  let queued: Job[] = [];
  const running = new Map<string, Running>();
  /** Per member, a stamp of when one of their jobs last started (kept in the store across restarts). */
  const lastServed = new Map<string, number>();
  let serveStamp = 0;
  let accepting = false;
  let timer: NodeJS.Timeout | undefined;
  let dispatchScheduled = false;

  /** Keeps a background promise for `stop()` to wait on; its failures are handled where it is made. */
  const track = (promise: Promise<unknown>): void => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
  };
  const report = (what: string, job: Job, action: () => Promise<void>) => {
    track(
      action().catch((error: unknown) => {
        log.warn({ err: error, jobId: job.id, what }, 'reporting a job update failed');
      }),
    );
  };

  const pool = createBackendPool({
    backends: options.backends,
    concurrency: options.concurrencyPerBackend,
    now,
    log,
    track,
    onEvent: (event: PoolEvent) => {
      emit({ type: 'backend', backendId: event.backendId, up: event.type === 'up' });
      if (event.type === 'up') scheduleDispatch();
    },
  });

  const runningByUser = () => {
    const counts = new Map<string, number>();
    for (const entry of running.values())
      counts.set(entry.job.userId, (counts.get(entry.job.userId) ?? 0) + 1);
    return counts;
  };
  const views = () =>
    queued.map((job) => ({
      id: job.id,
      userId: job.userId,
      createdAt: job.createdAt,
      model: job.params.model,
      job,
    }));
  const ordered = () =>
    planDispatch({
      queued: views(),
      runningByUser: runningByUser(),
      lastServed,
      backends: [],
      affinity: false,
    }).line.map((view) => view.job);

  const admission = (userId: string): AdmissionResult => {
    const pendingForUser =
      queued.filter((job) => job.userId === userId).length +
      [...running.values()].filter((entry) => entry.job.userId === userId).length;
    return checkAdmission(pendingForUser, queued.length + running.size, options.limits);
  };

  /** One transition of the job's life: the store first, then the observers. */
  const transition = (job: Job, state: JobState, changes: Partial<Omit<Job, 'id'>> = {}): Job => {
    const updated = store.update(job.id, { ...changes, state }) ?? { ...job, ...changes, state };
    emit({ type: 'state', job: updated, state });
    return updated;
  };

  const publishPositions = () => {
    const line = ordered();
    emit({ type: 'queue-length', length: line.length });
    line.forEach((job, index) => {
      report('queued', job, () => reporter.queued(job, index + 1, line.length, undefined));
    });
  };

  const scheduleDispatch = () => {
    if (dispatchScheduled) return;
    dispatchScheduled = true;
    queueMicrotask(() => {
      dispatchScheduled = false;
      dispatch();
    });
  };

  const dispatch = () => {
    if (!accepting || queued.length === 0) return;
    const eligible = options.eligible;
    const { assignments } = planDispatch({
      queued: views(),
      runningByUser: runningByUser(),
      lastServed,
      backends: pool.views(),
      affinity: options.modelAffinity ?? true,
      eligible: eligible === undefined ? undefined : (view, backendId) => eligible(view.job, backendId, pool),
    });
    for (const assignment of assignments) {
      const job = queued.find((candidate) => candidate.id === assignment.jobId);
      if (job === undefined || pool.engine(assignment.backendId) === undefined) continue;
      queued = queued.filter((candidate) => candidate.id !== job.id);
      serveStamp += 1;
      lastServed.set(job.userId, serveStamp);
      store.recordServed(job.userId, serveStamp);
      execute(job, assignment.backendId);
    }
    if (assignments.length > 0) publishPositions();
  };

  const tick = () => {
    pool.probeDue();
    publishPositions();
    for (const job of [...queued, ...[...running.values()].map((entry) => entry.job)]) {
      report('keepReachable', job, () => reporter.keepReachable(job));
    }
    scheduleDispatch();
  };

  /** Sends a job to a backend (or, with `resumeRef`, follows its request sent before a restart). */
  function execute(queuedJob: Job, backendId: string, resumeRef?: string): void {
    const engine = pool.engine(backendId);
    if (engine === undefined) return;
    const job =
      resumeRef === undefined
        ? transition(queuedJob, 'running', {
            backend: backendId,
            attempts: queuedJob.attempts + 1,
            startedAt: now(),
            serverRef: null,
          })
        : transition(queuedJob, 'running', { backend: backendId });
    pool.acquire(backendId, job.id);
    report('running', job, () => reporter.running(job, null));
    const started = now();
    // Once the server answers, it is free: hand it the next job while this answer is read and
    // delivered, so the GPU does not wait for the bot's bookkeeping.
    let freed = false;
    const free = () => {
      if (freed) return;
      freed = true;
      pool.release(backendId, job.id);
      if (job.params.model !== undefined) pool.setLoadedModel(backendId, job.params.model);
      if (accepting) scheduleDispatch();
    };
    const attempt = startAttempt(job, engine, {
      progressIntervalMs: options.progressIntervalMs,
      livePreview: options.livePreview,
      alone: () => pool.runningOn(backendId) <= 1,
      onFree: free,
      onRef: (ref) => {
        store.update(job.id, { serverRef: ref });
      },
      resumeRef,
      onProgress: (progress) => {
        if (running.get(job.id)?.cancelling !== true)
          report('running', job, () => reporter.running(job, progress));
      },
      ...(options.randomSeed === undefined ? {} : { randomSeed: options.randomSeed }),
    });
    running.set(job.id, { job, backendId, attempt, cancelling: false });
    track(attempt.settled.finally(free));
    track(
      attempt.outcome.then((outcome) => {
        running.delete(job.id);
        const current = store.get(job.id) ?? job;
        if (outcome.type === 'stopped') transition(current, 'queued', { backend: null });
        else if (outcome.type === 'failed' && resumeRef !== undefined) {
          // The server no longer has the request it had before the restart: send the job again.
          log.info(
            { jobId: job.id, backend: backendId, err: outcome.error },
            'could not follow a request after a restart',
          );
          const again = transition(current, 'queued', { backend: null, serverRef: null });
          queued.push(again);
        } else if (outcome.type === 'cancelled') {
          const cancelled = transition(current, 'cancelled', { finishedAt: now() });
          report('cancelled', cancelled, () => reporter.cancelled(cancelled));
        } else if (outcome.type === 'succeeded') succeed(current, backendId, outcome.result, started);
        else fail(current, backendId, outcome.error);
        scheduleDispatch();
      }),
    );
  }

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
    if (options.images !== undefined) {
      track(
        options.images.save(done.id, result.images, now()).catch((error: unknown) => {
          log.warn({ err: error, jobId: done.id }, 'could not keep the images for result buttons');
        }),
      );
    }
  }

  function fail(job: Job, backendId: string, failure: unknown): void {
    const kind = failureKindOf(failure);
    if (takesBackendDown(kind)) pool.markDown(backendId, failure);
    const decision = decideAfterFailure(
      kind,
      job.attempts,
      options.maxAttempts,
      pool.healthyOthers(backendId),
    );
    log.warn({ jobId: job.id, backend: backendId, err: failure, kind, decision }, 'generation failed');
    if (decision === 'retry' && accepting) {
      emit({ type: 'retried', job });
      const again = transition(job, 'queued', { backend: null });
      queued.push(again);
      const line = ordered();
      const position = line.findIndex((candidate) => candidate.id === again.id) + 1;
      report('retrying', again, () => reporter.queued(again, position, line.length, 'retrying'));
    } else if (decision === 'retry') {
      transition(job, 'queued', { backend: null });
    } else {
      const failed = transition(job, 'failed', { finishedAt: now(), error: kind });
      report('failed', failed, () => reporter.failed(failed, failure));
    }
  }

  return {
    admission,
    pool,
    submit(newJob) {
      const admitted = admission(newJob.userId);
      if (!admitted.ok) return admitted;
      const job = store.create(newJob, now());
      emit({ type: 'queued', job });
      queued.push(job);
      const line = ordered();
      const position = line.findIndex((candidate) => candidate.id === job.id) + 1;
      emit({ type: 'queue-length', length: line.length });
      scheduleDispatch();
      return { ok: true, job, position, total: line.length };
    },
    async cancel(jobId) {
      const entry = running.get(jobId);
      if (entry !== undefined) {
        if (entry.cancelling) return 'interrupting';
        entry.cancelling = true;
        return CANCEL_RESULTS[await entry.attempt.cancel()];
      }
      const job = queued.find((candidate) => candidate.id === jobId);
      if (job !== undefined) {
        queued = queued.filter((candidate) => candidate.id !== jobId);
        const cancelled = transition(job, 'cancelled', { finishedAt: now() });
        report('cancelled', cancelled, () => reporter.cancelled(cancelled));
        publishPositions();
        return 'cancelled';
      }
      return store.get(jobId) === undefined ? 'not-found' : 'finished';
    },
    position(jobId) {
      const line = ordered();
      const index = line.findIndex((job) => job.id === jobId);
      return index < 0 ? undefined : { position: index + 1, total: line.length };
    },
    queue() {
      return [...[...running.values()].map((entry) => entry.job), ...ordered()];
    },
    backends: () => pool.statuses(),
    isAccepting: () => accepting,
    setLoadedModel: (backendId, model) => pool.setLoadedModel(backendId, model),
    eligibleBackends: (job) =>
      pool.ids.filter((id) => options.eligible === undefined || options.eligible(job, id, pool)),
    async start(probeAfter = Promise.resolve()) {
      for (const [userId, stamp] of store.servedHistory()) {
        lastServed.set(userId, stamp);
        serveStamp = Math.max(serveStamp, stamp);
      }
      // In the background: a server takes jobs once its probe settles, and a slow one holds up no other.
      track(
        probeAfter
          .catch(() => undefined)
          .then(() => pool.probeAll(options.probeTimeoutMs ?? 10_000))
          .then(() => {
            for (const entry of resumable) {
              log.info(
                { jobId: entry.job.id, backend: entry.backendId },
                'following a request sent before the restart',
              );
              execute(entry.job, entry.backendId, entry.ref);
            }
          }),
      );
      const restarted: Job[] = [];
      /** Requests still on a server that can be followed again (ComfyUI keeps them apart from the bot). */
      const resumable: { job: Job; backendId: string; ref: string }[] = [];
      for (const job of store.listPending()) {
        const ref = job.serverRef ?? undefined;
        const backendId = job.backend;
        if (
          job.state === 'running' &&
          ref !== undefined &&
          backendId !== null &&
          pool.engine(backendId)?.resume !== undefined
        ) {
          resumable.push({ job, backendId, ref });
          // Its slot is taken from the start, so nothing is dispatched there before it is followed.
          pool.acquire(backendId, job.id);
          continue;
        }
        const requeued =
          job.state === 'running'
            ? (store.update(job.id, { state: 'queued', backend: null, serverRef: null }) ?? job)
            : job;
        queued.push(requeued);
        restarted.push(requeued);
      }
      accepting = true;
      for (const id of pool.ids) emit({ type: 'backend', backendId: id, up: true });
      if (restarted.length > 0) {
        log.info({ count: restarted.length }, 'reloaded unfinished jobs');
        const line = ordered();
        line.forEach((job, index) => {
          report('restarted', job, () => reporter.queued(job, index + 1, line.length, 'restarted'));
        });
      }
      // Tick several times per throttle interval, so an edit is due at most a quarter interval late.
      timer = setInterval(tick, Math.max(50, Math.min(250, options.progressIntervalMs / 4)));
      timer.unref();
      scheduleDispatch();
    },
    async stop(graceMs) {
      accepting = false;
      if (timer !== undefined) clearInterval(timer);
      const deadline = Date.now() + graceMs;
      while (running.size > 0 && Date.now() < deadline) {
        await Promise.race([
          Promise.allSettled([...inFlight]),
          new Promise((resolve) => setTimeout(resolve, 100)),
        ]);
      }
      // Past the grace period: these jobs stay queued for the next start.
      await Promise.allSettled([...running.values()].map((entry) => entry.attempt.stop()));
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
      // Anything still marked running goes back in line for the next start.
      for (const job of store.listPending()) {
        if (job.state === 'running') store.update(job.id, { state: 'queued', backend: null });
      }
    },
  };
}

function realSize(image: Buffer | undefined): { width?: number; height?: number } {
  const size = image === undefined ? undefined : readImageSize(image);
  return size === undefined ? {} : size;
}

function failureKindOf(error: unknown): FailureKind {
  if (!(error instanceof SdError) || error.code === 'aborted') return 'unknown';
  return error.code;
}
