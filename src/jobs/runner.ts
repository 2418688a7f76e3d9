import { toImg2ImgRequest, toTxt2ImgRequest } from '../generation/request.js';
import type { Logger } from '../log.js';
import { SdError } from '../sd/errors.js';
import type { GenerationResult, SdClient, SdProgress } from '../sd/types.js';
import type { ImageStore } from './image-store.js';
import type { JobStore } from './job-store.js';
import type { JobReporter, QueueNote } from './reporter.js';
import {
  type AdmissionResult,
  type BackendView,
  checkAdmission,
  decideAfterFailure,
  type FailureKind,
  fairOrder,
  firstRoundSize,
  mayEdit,
  planAssignments,
  probeDelayMs,
  takesBackendDown,
} from './scheduling.js';
import type { Job, JobState, NewJob } from './types.js';
import { runUpscale } from './upscale.js';

export interface Backend {
  id: string;
  client: SdClient;
}

export interface BackendStatus {
  id: string;
  state: 'idle' | 'busy' | 'down';
  running: number;
  capacity: number;
  loadedModel: string | undefined;
}

export interface RunnerMetrics {
  jobState(state: JobState | 'retried'): void;
  queueLength(n: number): void;
  generation(backend: string, model: string, seconds: number): void;
  backendUp(backend: string, up: boolean): void;
}

export interface JobRunnerOptions {
  store: JobStore;
  backends: Backend[];
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
}

export type SubmitResult =
  | { ok: true; job: Job; position: number; total: number }
  | Extract<AdmissionResult, { ok: false }>;

export type CancelResult = 'cancelled' | 'interrupting' | 'not-found' | 'finished';

interface BackendState {
  backend: Backend;
  healthy: boolean;
  running: Set<string>;
  loadedModel: string | undefined;
  failures: number;
  nextProbeAt: number;
  probing: boolean;
}

interface RunningJob {
  job: Job;
  backend: BackendState;
  controller: AbortController;
  cancelRequested: boolean;
  /** Set when shutdown stops this job: whatever comes back, it goes back in line for the next start. */
  requeueOnExit: boolean;
  /** The WebUI has started answering: it is free for the next job while this answer is read. */
  answered: boolean;
}

export interface JobRunner {
  /** Whether one more job of this member would be admitted now (what `submit` checks first). */
  admission(userId: string): AdmissionResult;
  submit(job: NewJob): SubmitResult;
  cancel(jobId: string): CancelResult;
  /** Position in the fair line (1-based) and its length; undefined when not queued. */
  position(jobId: string): { position: number; total: number } | undefined;
  queue(): Job[];
  backends(): BackendStatus[];
  isAccepting(): boolean;
  /** Reloads unfinished jobs (a restart puts running ones back in line) and starts dispatching. */
  start(): Promise<void>;
  /** Stops taking jobs, lets running ones finish within `graceMs`, keeps the rest for the next start. */
  stop(graceMs: number): Promise<void>;
  /** Notes the model a backend has loaded (from /options), for affinity. */
  setLoadedModel(backendId: string, model: string | undefined): void;
}

function toFailureKind(error: unknown): FailureKind {
  if (error instanceof SdError) return error.code as FailureKind;
  return 'unknown';
}

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, reporter, log, now } = options;
  const backends = new Map<string, BackendState>(
    options.backends.map((backend) => [
      backend.id,
      {
        backend,
        healthy: true,
        running: new Set(),
        loadedModel: undefined,
        failures: 0,
        nextProbeAt: 0,
        probing: false,
      },
    ]),
  );
  let queued: Job[] = [];
  const running = new Map<string, RunningJob>();
  const lastEditAt = new Map<string, number>();
  const lastPosition = new Map<string, string>();
  /** Per user, a stamp of when one of their jobs last started: ties in the fair order go to the least recently served. */
  const lastServed = new Map<string, number>();
  let serveStamp = 0;
  const inFlight = new Set<Promise<unknown>>();
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

  const runningByUser = () => {
    const counts = new Map<string, number>();
    for (const entry of running.values())
      counts.set(entry.job.userId, (counts.get(entry.job.userId) ?? 0) + 1);
    return counts;
  };

  const ordered = () =>
    fairOrder(
      queued.map((job) => ({
        id: job.id,
        userId: job.userId,
        createdAt: job.createdAt,
        model: job.params.model,
        job,
      })),
      runningByUser(),
      lastServed,
    ).map((view) => view.job);

  /** Whether one more job of this member may join: the per-member limit and the global cap. */
  const admission = (userId: string): AdmissionResult => {
    const pendingTotal = queued.length + running.size;
    const pendingForUser =
      queued.filter((job) => job.userId === userId).length +
      [...running.values()].filter((entry) => entry.job.userId === userId).length;
    return checkAdmission(pendingForUser, pendingTotal, options.limits);
  };

  const backendViews = (): BackendView[] =>
    [...backends.values()].map((state) => ({
      id: state.backend.id,
      healthy: state.healthy,
      running: state.running.size,
      capacity: options.concurrencyPerBackend,
      loadedModel: state.loadedModel,
    }));

  const setState = (job: Job, state: JobState, changes: Partial<Omit<Job, 'id'>> = {}): Job => {
    const updated = store.update(job.id, { ...changes, state }) ?? { ...job, ...changes, state };
    options.metrics?.jobState(state);
    if (state === 'succeeded' || state === 'failed' || state === 'cancelled') {
      // No more edits for this job: forget its throttle state (it grew by one entry per job).
      lastEditAt.delete(job.id);
      lastPosition.delete(job.id);
    }
    log.info(
      {
        jobId: job.id,
        state,
        backend: updated.backend,
        attempts: updated.attempts,
        waitedMs: updated.startedAt !== null ? updated.startedAt - updated.createdAt : undefined,
        ranMs:
          updated.finishedAt !== null && updated.startedAt !== null
            ? updated.finishedAt - updated.startedAt
            : undefined,
      },
      `job ${state}`,
    );
    return updated;
  };

  const publishPositions = (force: boolean) => {
    const line = ordered();
    options.metrics?.queueLength(line.length);
    line.forEach((job, index) => {
      const key = `${index + 1}/${line.length}`;
      if (!force && lastPosition.get(job.id) === key) return;
      if (!mayEdit(lastEditAt.get(job.id), now(), options.progressIntervalMs)) return;
      lastPosition.set(job.id, key);
      lastEditAt.set(job.id, now());
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
    if (!accepting) return;
    const line = ordered();
    if (line.length === 0) return;
    // Without affinity the planner sees no models and a window of 0: the line in order, first free backend.
    const affinity = options.modelAffinity ?? true;
    const views = line.map((job) => ({
      id: job.id,
      userId: job.userId,
      createdAt: job.createdAt,
      model: affinity ? job.params.model : undefined,
    }));
    const assignments = planAssignments(views, backendViews(), affinity ? firstRoundSize(views) : 0);
    for (const assignment of assignments) {
      const job = queued.find((candidate) => candidate.id === assignment.jobId);
      const backend = backends.get(assignment.backendId);
      if (job === undefined || backend === undefined) continue;
      queued = queued.filter((candidate) => candidate.id !== job.id);
      serveStamp += 1;
      lastServed.set(job.userId, serveStamp);
      track(execute(job, backend));
    }
    if (assignments.length > 0) publishPositions(false);
  };

  const markDown = (state: BackendState, error: unknown) => {
    if (state.healthy) log.warn({ backend: state.backend.id, err: error }, 'backend left the rotation');
    state.healthy = false;
    state.failures += 1;
    state.nextProbeAt = now() + probeDelayMs(state.failures);
    options.metrics?.backendUp(state.backend.id, false);
  };

  const probe = (state: BackendState) => {
    if (state.probing || state.healthy || now() < state.nextProbeAt) return;
    state.probing = true;
    track(
      state.backend.client
        .progress({ skipCurrentImage: true })
        .then(() => {
          state.healthy = true;
          state.failures = 0;
          log.info({ backend: state.backend.id }, 'backend is back in the rotation');
          options.metrics?.backendUp(state.backend.id, true);
          scheduleDispatch();
        })
        .catch(() => {
          state.failures += 1;
          state.nextProbeAt = now() + probeDelayMs(state.failures);
        })
        .finally(() => {
          state.probing = false;
        }),
    );
  };

  const pollProgress = (entry: RunningJob) => {
    if (entry.cancelRequested || entry.answered) return;
    if (!mayEdit(lastEditAt.get(entry.job.id), now(), options.progressIntervalMs)) return;
    lastEditAt.set(entry.job.id, now());
    // The WebUI's progress is global to the server: only trust it when this job is alone there.
    if (entry.backend.running.size !== 1) {
      report('running', entry.job, () => reporter.running(entry.job, null));
      return;
    }
    track(
      entry.backend.backend.client
        .progress({ skipCurrentImage: !options.livePreview })
        .then((progress: SdProgress) => {
          if (!running.has(entry.job.id) || entry.cancelRequested) return;
          report('running', entry.job, () => reporter.running(entry.job, progress));
        })
        .catch((error: unknown) => log.debug({ err: error, jobId: entry.job.id }, 'progress poll failed')),
    );
  };

  const tick = () => {
    for (const state of backends.values()) probe(state);
    for (const entry of running.values()) pollProgress(entry);
    publishPositions(false);
    for (const job of [...queued, ...[...running.values()].map((entry) => entry.job)]) {
      report('keepReachable', job, () => reporter.keepReachable(job));
    }
    scheduleDispatch();
  };

  async function execute(job: Job, state: BackendState): Promise<void> {
    const controller = new AbortController();
    let current = setState(job, 'running', {
      backend: state.backend.id,
      attempts: job.attempts + 1,
      startedAt: now(),
    });
    const entry: RunningJob = {
      job: current,
      backend: state,
      controller,
      cancelRequested: false,
      requeueOnExit: false,
      answered: false,
    };
    running.set(job.id, entry);
    state.running.add(job.id);
    lastPosition.delete(job.id);
    lastEditAt.set(job.id, now());
    report('running', current, () => reporter.running(current, null));
    const started = now();
    let result: GenerationResult | undefined;
    let failure: unknown;
    // Once the WebUI answers, its lock is free: hand it the next job while this answer is read and
    // delivered, so the GPU does not wait for the bot's bookkeeping.
    const onResponseStart = () => {
      if (entry.answered) return;
      entry.answered = true;
      state.running.delete(job.id);
      if (current.params.model !== undefined) state.loadedModel = current.params.model;
      if (!entry.cancelRequested && !entry.requeueOnExit) dispatch();
    };
    const requestOptions = { signal: controller.signal, onResponseStart };
    try {
      const params = current.params;
      result =
        current.kind === 'upscale'
          ? await runUpscale(state.backend.client, params, requestOptions)
          : current.kind === 'img2img' && params.initImage !== undefined
            ? await state.backend.client.img2img(
                toImg2ImgRequest({ ...params, initImage: params.initImage }),
                requestOptions,
              )
            : await state.backend.client.txt2img(toTxt2ImgRequest(params), requestOptions);
    } catch (error: unknown) {
      failure = error;
    } finally {
      running.delete(job.id);
      state.running.delete(job.id);
    }
    current = store.get(job.id) ?? current;

    if (
      entry.requeueOnExit ||
      (failure !== undefined && controller.signal.aborted && !entry.cancelRequested)
    ) {
      // Shutting down: keep the job for the next start.
      setState(current, 'queued', { backend: null });
    } else if (entry.cancelRequested) {
      const cancelled = setState(current, 'cancelled', { finishedAt: now() });
      report('cancelled', cancelled, () => reporter.cancelled(cancelled));
    } else if (result !== undefined) {
      state.loadedModel = current.params.model ?? state.loadedModel;
      const seconds = (now() - started) / 1000;
      options.metrics?.generation(state.backend.id, result.info.sd_model_name ?? 'unknown', seconds);
      const done = setState(current, 'succeeded', {
        finishedAt: now(),
        result: {
          seeds: result.info.all_seeds.length > 0 ? result.info.all_seeds : [result.info.seed],
          model: result.info.sd_model_name,
          modelHash: result.info.sd_model_hash,
          sampler: result.info.sampler_name,
          infotexts: result.info.infotexts,
          durationMs: now() - started,
          backend: state.backend.id,
        },
      });
      const finalResult = result;
      report('finished', done, () => reporter.finished(done, finalResult));
      // Keep the originals for the result buttons (files written on the thread pool).
      if (options.images !== undefined) {
        track(
          options.images.save(done.id, finalResult.images, now()).catch((error: unknown) => {
            log.warn({ err: error, jobId: done.id }, 'could not keep the images for result buttons');
          }),
        );
      }
    } else {
      const kind = toFailureKind(failure);
      if (takesBackendDown(kind)) markDown(state, failure);
      const healthyOthers = [...backends.values()].filter((other) => other !== state && other.healthy).length;
      const decision = decideAfterFailure(kind, current.attempts, options.maxAttempts, healthyOthers);
      log.warn(
        { jobId: job.id, backend: state.backend.id, err: failure, kind, decision },
        'generation failed',
      );
      if (decision === 'retry' && accepting) {
        options.metrics?.jobState('retried');
        const again = setState(current, 'queued', { backend: null });
        queued.push(again);
        const line = ordered();
        const position = line.findIndex((candidate) => candidate.id === again.id) + 1;
        // The notice shows this place in line: no second edit with the same place right after it.
        lastPosition.set(again.id, `${position}/${line.length}`);
        lastEditAt.set(again.id, now());
        report('retrying', again, () => reporter.queued(again, position, line.length, 'retrying'));
      } else if (decision === 'retry') {
        setState(current, 'queued', { backend: null });
      } else {
        const failed = setState(current, 'failed', { finishedAt: now(), error: kind });
        report('failed', failed, () => reporter.failed(failed, failure));
      }
    }
    scheduleDispatch();
  }

  return {
    admission,
    submit(newJob) {
      const admitted = admission(newJob.userId);
      if (!admitted.ok) return admitted;
      const job = store.create(newJob, now());
      options.metrics?.jobState('queued');
      log.info({ jobId: job.id, state: 'queued', userId: job.userId, guildId: job.guildId }, 'job queued');
      queued.push(job);
      const line = ordered();
      const position = line.findIndex((candidate) => candidate.id === job.id) + 1;
      // The caller shows this place in line at once: it counts as the job's latest edit.
      lastPosition.set(job.id, `${position}/${line.length}`);
      lastEditAt.set(job.id, now());
      options.metrics?.queueLength(line.length);
      scheduleDispatch();
      return { ok: true, job, position, total: line.length };
    },
    cancel(jobId) {
      const entry = running.get(jobId);
      if (entry !== undefined) {
        if (!entry.cancelRequested) {
          entry.cancelRequested = true;
          track(
            entry.backend.backend.client.interrupt().catch((error: unknown) => {
              log.warn({ err: error, jobId }, 'interrupt failed; aborting the request');
              entry.controller.abort();
            }),
          );
        }
        return 'interrupting';
      }
      const job = queued.find((candidate) => candidate.id === jobId);
      if (job !== undefined) {
        queued = queued.filter((candidate) => candidate.id !== jobId);
        const cancelled = setState(job, 'cancelled', { finishedAt: now() });
        report('cancelled', cancelled, () => reporter.cancelled(cancelled));
        publishPositions(false);
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
    backends() {
      return [...backends.values()].map((state) => ({
        id: state.backend.id,
        state: !state.healthy ? 'down' : state.running.size > 0 ? 'busy' : 'idle',
        running: state.running.size,
        capacity: options.concurrencyPerBackend,
        loadedModel: state.loadedModel,
      }));
    },
    isAccepting() {
      return accepting;
    },
    setLoadedModel(backendId, model) {
      const state = backends.get(backendId);
      if (state !== undefined) state.loadedModel = model;
    },
    async start() {
      const pending = store.listPending();
      const restarted: Job[] = [];
      for (const job of pending) {
        const requeued =
          job.state === 'running' ? (store.update(job.id, { state: 'queued', backend: null }) ?? job) : job;
        queued.push(requeued);
        restarted.push(requeued);
      }
      accepting = true;
      for (const state of backends.values()) options.metrics?.backendUp(state.backend.id, true);
      if (restarted.length > 0) {
        log.info({ count: restarted.length }, 'reloaded unfinished jobs');
        const line = ordered();
        line.forEach((job, index) => {
          lastPosition.set(job.id, `${index + 1}/${line.length}`);
          lastEditAt.set(job.id, now());
          report('restarted', job, () =>
            reporter.queued(job, index + 1, line.length, 'restarted' as QueueNote),
          );
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
      // Past the grace period: stop the WebUI working for nobody, then drop the requests. These jobs
      // stay queued for the next start.
      for (const entry of running.values()) entry.requeueOnExit = true;
      await Promise.allSettled(
        [...running.values()].map((entry) => entry.backend.backend.client.interrupt({ timeoutMs: 2000 })),
      );
      for (const entry of running.values()) entry.controller.abort();
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
