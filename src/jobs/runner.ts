import type { CancelOutcome } from '../engines/types.js';
import { type Attempt, startAttempt } from './attempt.js';
import type { PoolEvent } from './backend-pool.js';
import { createBackendPool } from './backend-pool.js';
import { createLine } from './line.js';
import { createJobObservers, type JobEvent } from './observers.js';
import { createOutcomes } from './outcomes.js';
import { planRestart } from './restart.js';
import type { CancelResult, JobRunner, JobRunnerOptions } from './runner-types.js';
import { type AdmissionResult, checkAdmission } from './scheduling.js';
import type { Job, JobState } from './types.js';

export type { Backend, BackendStatus } from './backend-pool.js';
export type { RunnerMetrics } from './observers.js';
export type { CancelResult, JobRunner, JobRunnerOptions, SubmitResult } from './runner-types.js';

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

/**
 * One closure on purpose: the queue, the running attempts and the timers are this runner's state,
 * shared by every step; the steps themselves live in the modules named in the comment above.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, reporter, log, now } = options;
  const inFlight = new Set<Promise<unknown>>();
  const observe = createJobObservers(log, options.metrics);
  const emit = (event: JobEvent) => observe(event);
  const line = createLine(store);
  const running = new Map<string, Running>();
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
  const ordered = () => line.ordered(runningByUser());

  const admission = (userId: string): AdmissionResult => {
    const pendingForUser =
      line.countFor(userId) + [...running.values()].filter((entry) => entry.job.userId === userId).length;
    return checkAdmission(pendingForUser, line.size + running.size, options.limits);
  };

  /** One transition of the job's life: the store first, then the observers. */
  const transition = (job: Job, state: JobState, changes: Partial<Omit<Job, 'id'>> = {}): Job => {
    const updated = store.update(job.id, { ...changes, state }) ?? { ...job, ...changes, state };
    emit({ type: 'state', job: updated, state });
    return updated;
  };

  const publishPositions = () => {
    const fair = ordered();
    emit({ type: 'queue-length', length: fair.length });
    fair.forEach((job, index) => {
      report('queued', job, () => reporter.queued(job, index + 1, fair.length, undefined));
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
    if (!accepting || line.size === 0) return;
    const eligible = options.eligible;
    const assignments = line.plan(
      runningByUser(),
      pool.views(),
      options.modelAffinity ?? true,
      eligible === undefined ? undefined : (view, backendId) => eligible(view.job, backendId, pool),
    );
    for (const assignment of assignments) {
      if (pool.engine(assignment.backendId) === undefined) continue;
      const job = line.take(assignment.jobId);
      if (job === undefined) continue;
      line.served(job.userId);
      execute(job, assignment.backendId);
    }
    if (assignments.length > 0) publishPositions();
  };

  const tick = () => {
    pool.probeDue();
    publishPositions();
    for (const job of [...line.jobs(), ...[...running.values()].map((entry) => entry.job)]) {
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
        settle(store.get(job.id) ?? job, backendId, outcome, { started, resumed: resumeRef !== undefined });
        scheduleDispatch();
      }),
    );
  }

  const { settle } = createOutcomes({
    transition,
    report,
    emit,
    track,
    pool,
    reporter,
    log,
    now,
    maxAttempts: options.maxAttempts,
    images: options.images,
    isAccepting: () => accepting,
    requeue: (again, failedOn) => {
      line.add(again, failedOn);
      const fair = ordered();
      return { position: fair.findIndex((candidate) => candidate.id === again.id) + 1, total: fair.length };
    },
  });

  return {
    admission,
    pool,
    submit(newJob) {
      const admitted = admission(newJob.userId);
      if (!admitted.ok) return admitted;
      const job = store.create(newJob, now());
      emit({ type: 'queued', job });
      line.add(job);
      const fair = ordered();
      const position = fair.findIndex((candidate) => candidate.id === job.id) + 1;
      emit({ type: 'queue-length', length: fair.length });
      scheduleDispatch();
      return { ok: true, job, position, total: fair.length };
    },
    async cancel(jobId) {
      const entry = running.get(jobId);
      if (entry !== undefined) {
        if (entry.cancelling) return 'interrupting';
        entry.cancelling = true;
        return CANCEL_RESULTS[await entry.attempt.cancel()];
      }
      const job = line.take(jobId);
      if (job !== undefined) {
        const cancelled = transition(job, 'cancelled', { finishedAt: now() });
        report('cancelled', cancelled, () => reporter.cancelled(cancelled));
        publishPositions();
        return 'cancelled';
      }
      const state = store.get(jobId)?.state;
      if (state === undefined) return 'not-found';
      return state === 'cancelled' ? 'already-cancelled' : 'finished';
    },
    position(jobId) {
      const fair = ordered();
      const index = fair.findIndex((job) => job.id === jobId);
      return index < 0 ? undefined : { position: index + 1, total: fair.length };
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
      line.loadHistory();
      const plan = planRestart(
        store.listPending(),
        (backendId) => pool.engine(backendId)?.resume !== undefined,
      );
      // A followed request keeps its slot from the start: nothing else is dispatched there first.
      for (const entry of plan.resume) pool.acquire(entry.backendId, entry.job.id);
      const restarted = [
        ...plan.requeue.map(
          (job) => store.update(job.id, { state: 'queued', backend: null, serverRef: null }) ?? job,
        ),
        ...plan.waiting,
      ];
      for (const job of restarted) line.add(job);
      // In the background: a server takes jobs once its probe settles, and a slow one holds up no other.
      track(
        probeAfter
          .catch(() => undefined)
          .then(() => pool.probeAll(options.probeTimeoutMs ?? 10_000))
          .then(() => {
            for (const entry of plan.resume) {
              log.info(
                { jobId: entry.job.id, backend: entry.backendId },
                'following a request sent before the restart',
              );
              execute(entry.job, entry.backendId, entry.ref);
            }
          }),
      );
      accepting = true;
      for (const id of pool.ids) emit({ type: 'backend', backendId: id, up: true });
      if (restarted.length > 0) {
        log.info({ count: restarted.length }, 'reloaded unfinished jobs');
        const fair = ordered();
        fair.forEach((job, index) => {
          report('restarted', job, () => reporter.queued(job, index + 1, fair.length, 'restarted'));
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
      // Past the grace period: these jobs stay queued for the next start, or, on a server that keeps
      // requests apart from the bot (ComfyUI), stay there to be followed again.
      const followable = (job: Job) =>
        (store.get(job.id)?.serverRef ?? null) !== null &&
        job.backend !== null &&
        pool.engine(job.backend)?.resume !== undefined;
      await Promise.allSettled(
        [...running.values()].map((entry) => entry.attempt.stop(followable(entry.job))),
      );
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
      // Anything still marked running goes back in line for the next start.
      for (const job of store.listPending()) {
        if (job.state === 'running' && !followable(job))
          store.update(job.id, { state: 'queued', backend: null });
      }
    },
  };
}
