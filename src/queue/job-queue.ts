/**
 * The job queue as a port: semantic operations (bullmq's queue backend, graphile-worker's one SQL
 * operation per step) that an in-process SQLite adapter and a shared PostgreSQL adapter both carry
 * out, each step in one transaction. Times are milliseconds passed in by the caller.
 *
 * A job's states and the transitions between them:
 *
 *   enqueue ──▶ queued ──claim──▶ running ──complete──▶ succeeded
 *                 ▲  │              │ │ └───fail──────▶ failed
 *                 │  │              │ └─finishCancelled▶ cancelled
 *                 │  └──cancel──────┼──────────────────▶ cancelled
 *                 └─retry / recoverStalled (lease ran out)
 *
 * A claim also respects the backend's capacity across workers (`ClaimRequest.capacity`), and a
 * restarted worker `adopt`s the running jobs it held before.
 *
 * A running job is leased to one worker (`locked_by`) until `lease_expires_at`; `heartbeat` extends
 * the lease, and every step a worker takes on a running job needs the lease (a worker that lost it
 * must not deliver). `cancel` on a running job only raises a flag the lease holder sees; a running
 * job with that flag whose lease runs out, or which is retried, ends cancelled instead of queued.
 */
import type { AdmissionResult } from '../jobs/scheduling.js';
import type { Job, JobResult, NewJob } from '../jobs/types.js';

/** A job as the queue keeps it: the job row and its lease. */
export interface QueueJob extends Job {
  /** The worker holding the lease of a running job; null otherwise. */
  lockedBy: string | null;
  /** When the lease was taken or last renewed. */
  lockedAt: number | null;
  leaseExpiresAt: number | null;
  /** A cancel was asked for while the job ran; its lease holder is to stop it. */
  cancelRequested: boolean;
  /** The backend a retried job last failed on: it goes elsewhere while another backend can take it. */
  failedOn: string | null;
}

export interface AdmissionLimits {
  maxPendingPerUser: number;
  maxQueueLength: number;
}

export type EnqueueResult =
  | { ok: true; job: QueueJob; position: number; total: number }
  | Extract<AdmissionResult, { ok: false }>;

export interface ClaimRequest {
  /** The claiming worker's id, unique across processes (e.g. host, pid and a random part). */
  worker: string;
  /** The backend with one free slot. */
  backendId: string;
  /** The checkpoint that backend has loaded, when known. */
  loadedModel: string | undefined;
  /** Prefer, within the first round of the line, a job asking for `loadedModel`. */
  affinity: boolean;
  leaseMs: number;
  now: number;
  /** Whether this backend can take the job at all (capabilities, models). Default: any. */
  eligible?: ((job: QueueJob) => boolean) | undefined;
  /**
   * Whether another healthy backend could take the job; when so, a job that last failed on this
   * backend waits for it (the store does not know the other backends). Default: none could.
   */
  elsewhere?: ((job: QueueJob) => boolean) | undefined;
  /**
   * The backend's slots across every worker: no claim when this many jobs already run there
   * (checked in the claim's transaction, so two workers never overbook it). Default: no limit.
   */
  capacity?: number | undefined;
  /** This worker's running jobs on the backend whose server already answered: they hold no slot. */
  released?: readonly string[] | undefined;
}

export interface Heartbeat {
  /**
   * The worker still holds the job's lease (and it was extended). A lease that ran out but was not
   * recovered yet is still held: nobody else has the job.
   */
  held: boolean;
  /** Someone asked for the job to be cancelled. */
  cancelRequested: boolean;
}

export type QueueCancelResult = 'cancelled' | 'requested' | 'finished' | 'not-found';

/**
 * What changed in the line, to wake dispatchers and move places in line. `claimed`: left the line
 * to run; `released`: a running job ended (a slot is free); `requeued`: back in line (retry, lease
 * ran out).
 */
export type QueueEvent = {
  type: 'enqueued' | 'claimed' | 'released' | 'requeued' | 'cancel-requested' | 'cancelled';
  jobId: string;
};

export interface JobQueue {
  /** Admission (the member's and the global cap on queued + running jobs) and insert, atomically. */
  enqueue(job: NewJob, limits: AdmissionLimits, now: number): Promise<EnqueueResult>;
  /** The job `planDispatch` gives this one free slot, now running under the worker's lease. */
  claim(request: ClaimRequest): Promise<QueueJob | undefined>;
  heartbeat(jobId: string, worker: string, leaseMs: number, now: number): Promise<Heartbeat>;
  /**
   * The lease holder delivered the job: the job in its new state, as each of the four steps below
   * answers; undefined when the worker no longer holds the lease.
   */
  complete(jobId: string, worker: string, result: JobResult, now: number): Promise<QueueJob | undefined>;
  fail(jobId: string, worker: string, error: string, now: number): Promise<QueueJob | undefined>;
  /**
   * Back in line (attempts kept, backend and server ref cleared), to another backend than `failedOn`
   * while one can take it; `failedOn` null: anywhere (a shutdown or a restart put it back).
   * `unsent`: the job was claimed but never sent to a server (held to follow another, see
   * `src/jobs/ahead.ts`): its claim's attempt is given back, so a job given back at every restart of
   * a rolling deploy never runs out of attempts it did not use.
   */
  retry(
    jobId: string,
    worker: string,
    failedOn: string | null,
    now: number,
    unsent?: boolean,
  ): Promise<QueueJob | undefined>;
  /** The lease holder stopped a job whose cancel was asked for. */
  finishCancelled(jobId: string, worker: string, now: number): Promise<QueueJob | undefined>;
  cancel(jobId: string, now: number): Promise<QueueCancelResult>;
  /** 1-based place in the fair line and the line's length; undefined when the job is not queued. */
  position(jobId: string): Promise<{ position: number; total: number } | undefined>;
  /** The queued jobs in fair order. */
  line(): Promise<QueueJob[]>;
  /** The running jobs of every worker, oldest start first: what `/queue` and admission count. */
  running(): Promise<QueueJob[]>;
  /** `line()` and `running()` as one read: what a process's view of the queue is made of. */
  overview(): Promise<{ line: QueueJob[]; running: QueueJob[] }>;
  get(jobId: string): Promise<QueueJob | undefined>;
  /**
   * Running jobs whose lease ran out go back in line (lock cleared, attempts kept), or end cancelled
   * when a cancel was asked for; returned in their new state so their members can be told.
   */
  recoverStalled(now: number): Promise<QueueJob[]>;
  /**
   * A restarted worker takes its running jobs back under a fresh lease: those it held before (same
   * worker id) and those no worker holds (left by a bot from before leases). Oldest first.
   */
  adopt(worker: string, leaseMs: number, now: number): Promise<QueueJob[]>;
  subscribe(listener: (event: QueueEvent) => void): () => void;
  close(): Promise<void>;
}
