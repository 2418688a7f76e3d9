import type { Logger } from '../log.js';
import type { JobQueue } from '../queue/job-queue.js';
import type { Backend, BackendPool, BackendStatus } from './backend-pool.js';
import type { ImageStore } from './image-store.js';
import type { JobNotes } from './job-records.js';
import type { RunnerMetrics } from './observers.js';
import type { JobReporter } from './reporter.js';
import type { AdmissionResult } from './scheduling.js';
import type { Job, NewJob } from './types.js';

export interface JobRunnerOptions {
  /** Every step of a job's life: admission, claims, leases, outcomes, cancels. */
  queue: JobQueue;
  /** The job fields outside its life's steps (the server's request id). */
  store: { update(id: string, changes: JobNotes): unknown };
  /**
   * This process's id in the queue, kept across restarts (a restart takes back the jobs it ran) and
   * unique among the processes on one queue. Default: the host name.
   */
  worker?: string | undefined;
  /**
   * Whether this process tells queued members their place (and keeps their replies reachable, and
   * says so after a restart); default true. False for a worker beside a front process.
   */
  announcesLine?: boolean;
  /**
   * Which queued jobs' members this process tells their place (default: all): a gateway shard tells
   * those of the guilds on its shards, so two gateways never edit one reply.
   */
  announces?: (job: Pick<Job, 'guildId'>) => boolean;
  /**
   * Whether this process claims and runs jobs (default true). False for BOT_ROLE=gateway: it takes
   * commands, enqueues and tells places in line, and leaves every job to the workers.
   */
  runsJobs?: boolean;
  /**
   * Other processes share this queue (PostgreSQL; default false): a start-up tells "restarted" only
   * the members of the jobs this process had been running, not the whole line.
   */
  sharedQueue?: boolean;
  /** How long a running job stays this worker's without a heartbeat (default 60 s). */
  leaseMs?: number;
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
  /**
   * How long before a job's foreseen answer (the last like job's time on that server) the job to
   * follow it is claimed, so the server waits for no claim (`AHEAD_LEAD_MS`); 0: never ahead.
   */
  claimAheadMs?: number;
  /** Where finished jobs' original images are kept for result buttons; unset: not kept. */
  images?: ImageStore | undefined;
  /** How long a finished job's reply waits at most for its originals to be kept (`KEPT_WAIT_MS`). */
  keptWaitMs?: number;
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
export type CancelResult =
  | 'cancelled'
  | 'interrupting'
  | 'pending'
  | 'discarding'
  | 'not-found'
  | 'finished'
  | 'already-cancelled';

export interface JobRunner {
  /** Whether one more job of this member would be admitted now, as this process last saw the line. */
  admission(userId: string): AdmissionResult;
  /** Admits the job (atomically in the queue) and puts it in line. */
  submit(job: NewJob): Promise<SubmitResult>;
  cancel(jobId: string): Promise<CancelResult>;
  /** Position in the fair line (1-based) and its length; undefined when not queued. */
  position(jobId: string): { position: number; total: number } | undefined;
  queue(): Job[];
  backends(): BackendStatus[];
  readonly pool: BackendPool;
  isAccepting(): boolean;
  /**
   * Takes back the jobs this worker left running (they go back in line, or are followed on a server
   * that keeps them), starts dispatching and renewing leases, and probes the
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
