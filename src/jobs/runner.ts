import { hostname } from 'node:os';
import type { QueueEvent } from '../queue/job-queue.js';
import type { PoolEvent } from './backend-pool.js';
import { createBackendPool } from './backend-pool.js';
import { cancelJob } from './cancel-job.js';
import { createClaims } from './claims.js';
import { createExecutor } from './execute.js';
import { createLeaseSteps } from './lease-steps.js';
import { startLeaseKeeping, tellRecovered } from './leases.js';
import { createJobObservers, type JobEvent } from './observers.js';
import { createOutcomes, KEPT_WAIT_MS } from './outcomes.js';
import { admissionOn, createQueueSnapshot, readSpacingMs, runningJobsOf } from './queue-snapshot.js';
import { createReportOrder } from './report-order.js';
import { takeBack, tellRestarted, toRestartNotes } from './restart.js';
import type { JobRunner, JobRunnerOptions } from './runner-types.js';
import { cancelOnce, type Running, stopLost, windDown } from './running.js';

export type { Backend, BackendStatus } from './backend-pool.js';
export type { RunnerMetrics } from './observers.js';
export type { CancelResult, JobRunner, JobRunnerOptions, SubmitResult } from './runner-types.js';

const DEFAULT_LEASE_MS = 60_000;

/**
 * The runner on a JobQueue: the queue keeps the line, admission, claims and each step of a job's
 * life; this process runs the jobs it claimed, renews their leases, and acts on cancels asked
 * anywhere. One closure on purpose: the running attempts and the timers are this runner's state,
 * shared by every step; the steps live in claims.ts, leases.ts, outcomes.ts and attempt.ts, and
 * the order of each job's updates in report-order.ts.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { queue, store, reporter, log, now } = options;
  const worker = options.worker ?? hostname();
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const inFlight = new Set<Promise<unknown>>();
  const observe = createJobObservers(log, options.metrics);
  const emit = (event: JobEvent) => observe(event);
  const running = new Map<string, Running>();
  /** Cancels asked for jobs claimed but not started yet here. */
  const pendingCancels = new Set<string>();
  // On a shared queue every process reads the line on every process's change, spaced by its role.
  const snapshot = createQueueSnapshot(
    queue,
    (error) => log.warn({ err: error }, 'could not read the job line'),
    () =>
      readSpacingMs({
        sharedQueue: options.sharedQueue === true,
        runsJobs,
        announcesLine,
        full: () => claims.full(),
      }),
  );
  /** Reads the line for a change, then claims for what it frees. */
  const lookSoon = () => track(snapshot.refreshSoon().then(() => claims.schedule()));
  let accepting = false;
  let timer: NodeJS.Timeout | undefined;
  let leases: { stop(): Promise<void> } | undefined;
  let unsubscribe: (() => void) | undefined;

  /** Keeps a background promise for `stop()` to wait on; its failures are handled where it is made. */
  const track = (promise: Promise<unknown>): void => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
  };
  const { report, noteRetrying } = createReportOrder({ snapshot, reporter, log, track, worker });
  const pool = createBackendPool({
    backends: options.backends,
    concurrency: options.concurrencyPerBackend,
    now,
    log,
    track,
    onEvent: (event: PoolEvent) => {
      emit({ type: 'backend', backendId: event.backendId, up: event.type === 'up' });
      if (event.type !== 'up') return;
      claims.schedule();
      // A read put off while every backend was busy or down is due now.
      if (snapshot.behind) lookSoon();
    },
  });

  const runsJobs = options.runsJobs ?? true;
  const runningJobs = () =>
    runningJobsOf(
      snapshot,
      [...running.values()].map((entry) => entry.job),
    );

  const move = createLeaseSteps({ queue, worker, now, log, emit });

  const announcesLine = options.announcesLine ?? true;
  const announces = options.announces ?? (() => true);
  const publishPositions = () => {
    const fair = snapshot.line;
    emit({ type: 'queue-length', length: fair.length });
    if (!announcesLine) return;
    fair.forEach((job, index) => {
      if (announces(job))
        report('queued', job, () => reporter.queued(job, index + 1, fair.length, undefined));
    });
  };

  const claims = createClaims({
    queue,
    snapshot,
    pool,
    worker,
    leaseMs,
    capacity: options.concurrencyPerBackend,
    affinity: options.modelAffinity ?? true,
    now,
    log,
    eligible: options.eligible,
    released: (backendId) =>
      [...running.values()]
        .filter((entry) => entry.backendId === backendId && entry.freed)
        .map((entry) => entry.job.id),
    isAccepting: () => accepting && runsJobs,
    onClaimed: (claimed) => {
      // The snapshot takes the claims at once: the places they move are told without a read.
      snapshot.claimed(claimed.map(({ job }) => job));
      for (const { job, backendId } of claimed) execute(job, backendId);
      publishPositions();
    },
    track,
  });

  const cancelRunning = (entry: Running) => cancelOnce(entry, track);

  /** What another step (here or in another process) changed in the line. */
  const onQueueEvent = (event: QueueEvent) => {
    if (event.type === 'cancel-requested') {
      const entry = running.get(event.jobId);
      if (entry !== undefined) cancelRunning(entry);
      else if (!ahead.cancelIfHeld(event.jobId)) pendingCancels.add(event.jobId);
      return;
    }
    if (event.type === 'released' || event.type === 'cancelled') pendingCancels.delete(event.jobId);
    lookSoon();
  };

  const { settle } = createOutcomes({
    move,
    report,
    emit,
    track,
    pool,
    reporter,
    log,
    now,
    maxAttempts: options.maxAttempts,
    images: options.images,
    keptWaitMs: options.keptWaitMs ?? KEPT_WAIT_MS,
    isAccepting: () => accepting,
    noteRetrying,
  });

  let stopped = false;
  const { execute, ahead } = createExecutor({
    pool,
    running,
    pendingCancels,
    store,
    reporter,
    log,
    now,
    emit,
    report,
    track,
    cancelRunning,
    settle,
    schedule: () => claims.schedule(),
    claimAhead: async (backendId, behind) => {
      const job = await claims.claimAhead(backendId, behind);
      if (job !== undefined) {
        // It left the line: the places it moves are told without a read.
        snapshot.claimed([job]);
        publishPositions();
      }
      return job;
    },
    claimAheadMs: options.claimAheadMs,
    scheduleNow: () => {
      const claimed = claims.scheduleNow();
      if (snapshot.behind) lookSoon();
      return claimed;
    },
    isAccepting: () => accepting,
    isStopped: () => stopped,
    attempt: options,
  });

  const tick = () => {
    pool.probeDue();
    publishPositions();
    const waiting = announcesLine ? snapshot.line.filter(announces) : [];
    for (const job of [...waiting, ...[...running.values()].map((entry) => entry.job)]) {
      report('keepReachable', job, () => reporter.keepReachable(job));
    }
    claims.schedule();
  };

  return {
    admission: (userId) => admissionOn(snapshot, runningJobs(), userId, options.limits),
    pool,
    async submit(newJob) {
      const result = await queue.enqueue(newJob, options.limits, now());
      if (!result.ok) return result;
      emit({ type: 'queued', job: result.job });
      await snapshot.refresh();
      emit({ type: 'queue-length', length: snapshot.line.length });
      claims.schedule();
      return { ok: true, job: result.job, position: result.position, total: result.total };
    },
    cancel: (jobId) =>
      cancelJob(jobId, {
        running,
        ahead,
        queue,
        now,
        cancelled: async (job) => {
          emit({ type: 'state', job, state: 'cancelled' });
          report('cancelled', job, () => reporter.cancelled(job));
          await snapshot.refresh();
          publishPositions();
        },
      }),
    position: (jobId) => snapshot.position(jobId),
    queue: () => [...runningJobs(), ...snapshot.line],
    backends: () => pool.statuses(),
    isAccepting: () => accepting,
    setLoadedModel: (backendId, model) => pool.setLoadedModel(backendId, model),
    eligibleBackends: (job) =>
      pool.ids.filter((id) => options.eligible === undefined || options.eligible(job, id, pool)),
    async start(probeAfter = Promise.resolve()) {
      unsubscribe = queue.subscribe(onQueueEvent);
      // A gateway never held a job: it takes nothing back.
      const { resume, requeued } = runsJobs
        ? await takeBack({ queue, worker, leaseMs, now, pool })
        : { resume: [], requeued: [] };
      // In the background: a server takes jobs once its probe settles, and a slow one holds up no other.
      const probed = probeAfter
        .catch(() => undefined)
        .then(() => pool.probeAll(options.probeTimeoutMs ?? 10_000));
      track(
        probed.then(() => {
          for (const { job, backendId, ref } of resume) execute(job, backendId, ref);
        }),
      );
      await snapshot.refresh();
      accepting = true;
      for (const id of pool.ids) emit({ type: 'backend', backendId: id, up: true });
      const notes = toRestartNotes(snapshot.line, requeued, {
        sharedQueue: options.sharedQueue ?? false,
        announcesLine,
      });
      tellRestarted(notes, { log, report, reporter });
      leases = startLeaseKeeping({
        queue,
        worker,
        leaseMs,
        now,
        log,
        held: () => [
          ...[...running.values()].filter((entry) => !entry.lost).map((entry) => entry.job.id),
          ...ahead.ids(),
        ],
        onLost: (jobId) => {
          ahead.drop(jobId);
          const lost = running.get(jobId);
          if (lost !== undefined) track(stopLost(lost, log));
        },
        onCancelRequested: (jobId) => onQueueEvent({ type: 'cancel-requested', jobId }),
        onRecovered: (jobs) =>
          track(tellRecovered(jobs, { emit, report, reporter, noteRetrying }).then(() => claims.schedule())),
      });
      // Tick several times per throttle interval, so an edit is due at most a quarter interval late.
      timer = setInterval(tick, Math.max(50, Math.min(250, options.progressIntervalMs / 4)));
      timer.unref();
      claims.schedule();
    },
    async stop(graceMs) {
      accepting = false;
      if (timer !== undefined) clearInterval(timer);
      ahead.stop();
      await windDown(running, graceMs, { inFlight, pool, queue, worker, now });
      stopped = true;
      await leases?.stop();
      unsubscribe?.();
    },
  };
}
