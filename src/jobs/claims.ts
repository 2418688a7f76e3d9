import type { Logger } from '../log.js';
import type { JobQueue, QueueJob } from '../queue/job-queue.js';
import type { BackendPool } from './backend-pool.js';
import { inAnyOrder, planClaims, retriesElsewhere } from './claim-plan.js';
import type { QueueSnapshot } from './queue-snapshot.js';
import type { Job } from './types.js';

export interface ClaimsOptions {
  queue: Pick<JobQueue, 'claim'>;
  snapshot: QueueSnapshot;
  pool: BackendPool;
  worker: string;
  leaseMs: number;
  capacity: number;
  affinity: boolean;
  now: () => number;
  log: Logger;
  eligible:
    | ((job: Pick<Job, 'kind' | 'params'>, backendId: string, pool: BackendPool) => boolean)
    | undefined;
  /** This worker's running jobs on a backend whose server already answered (they hold no slot). */
  released: (backendId: string) => string[];
  isAccepting: () => boolean;
  /** The claimed jobs, each holding its slot in the pool: started at once. */
  onClaimed: (claimed: { job: QueueJob; backendId: string }[]) => void;
  track: (promise: Promise<unknown>) => void;
}

/**
 * The dispatch step: for each free slot the plan fills, a claim in the queue (the store's fair order
 * and affinity, the backend's capacity across workers), each claimed job started at once. Rounds
 * for different backends overlap (see `schedule`); `scheduleNow` is for a slot a server's answer
 * just freed.
 */
// One closure on purpose: the backends being claimed for, the asks since a round began and the queued round are shared by every entry point.
export function createClaims(options: ClaimsOptions): {
  schedule(): void;
  /** Settles once the round it starts has claimed (or found nothing to claim). */
  scheduleNow(): Promise<void>;
  /** Every backend is full (other workers' jobs counted as last read) or down: no claim would start. */
  full(): boolean;
  /**
   * The job to follow `behind` on its backend, claimed as though that job's server had answered
   * (see ahead.ts); a round meanwhile plans around the backend.
   */
  claimAhead(backendId: string, behind: Pick<Job, 'id' | 'params'>): Promise<QueueJob | undefined>;
} {
  const { queue, snapshot, pool, worker, now, log } = options;
  let scheduled = false;
  const can = (job: QueueJob, backendId: string) =>
    options.eligible === undefined || options.eligible(job, backendId, pool);
  /**
   * The pool's views with the slots other workers hold as the store last told: a backend busy with
   * another process's job is not asked for (its claim would only wait on that backend's lock and
   * find it full); the claim's own count stays the check.
   */
  const views = () => {
    const others = new Map<string, number>();
    for (const job of snapshot.running) {
      if (job.lockedBy !== worker && job.backend !== null)
        others.set(job.backend, (others.get(job.backend) ?? 0) + 1);
    }
    if (others.size === 0) return pool.views();
    return pool.views().map((view) => ({ ...view, running: view.running + (others.get(view.id) ?? 0) }));
  };

  const claimOn = (backendId: string, behind?: Pick<Job, 'id' | 'params'>) => {
    const view = views().find((candidate) => candidate.id === backendId);
    if (view === undefined || !view.healthy) return undefined;
    // A job claimed ahead takes the slot `behind` is about to leave.
    if (view.running - (behind === undefined ? 0 : 1) >= view.capacity) return undefined;
    return queue.claim({
      worker,
      backendId,
      loadedModel: behind?.params.model ?? view.loadedModel,
      affinity: options.affinity,
      leaseMs: options.leaseMs,
      now: now(),
      eligible: (job) => can(job, backendId),
      elsewhere: (job) => retriesElsewhere(job, backendId, pool.views(), can),
      capacity: options.capacity,
      released:
        behind === undefined ? options.released(backendId) : [...options.released(backendId), behind.id],
    });
  };

  /** Backends a round is claiming for now: another round plans around them. */
  const claiming = new Set<string>();
  /**
   * One round: claims for the slots free now, at once where their order cannot change what each
   * takes (see `inAnyOrder`), otherwise in plan order; whether it held any backend.
   */
  const round = async (): Promise<boolean> => {
    if (!options.isAccepting() || snapshot.line.length === 0) return false;
    const current = views().map((view) =>
      claiming.has(view.id) ? { ...view, running: Math.max(view.running, view.capacity) } : view,
    );
    const allowed = (job: QueueJob, backendId: string) =>
      can(job, backendId) && (job.failedOn !== backendId || !retriesElsewhere(job, backendId, current, can));
    const planned = planClaims(snapshot.line, current, options.affinity, allowed);
    for (const backendId of planned) claiming.add(backendId);
    const claimFor = async (backendId: string) => {
      if (!options.isAccepting()) return;
      const job = await claimOn(backendId);
      if (job === undefined) return;
      pool.acquire(backendId, job.id);
      // Started at once: a second slot in this round does not hold up the first.
      options.onClaimed([{ job, backendId }]);
    };
    try {
      if (inAnyOrder(planned, snapshot.line, current, options.affinity, allowed)) {
        // At once: each claim skips the jobs the others are locking (see postgres-claim.ts).
        const ends = await Promise.allSettled(planned.map(claimFor));
        const failed = ends.find((end) => end.status === 'rejected');
        if (failed !== undefined) throw failed.reason;
      } else for (const backendId of planned) await claimFor(backendId);
    } finally {
      for (const backendId of planned) claiming.delete(backendId);
    }
    return planned.length > 0;
  };

  /** Asks from outside (a slot freed, the line moved); a round that held backends meanwhile runs again. */
  let asked = 0;
  const start = (): Promise<void> => {
    const seen = asked;
    const done = round()
      .catch((error: unknown) => {
        log.warn({ err: error }, 'could not claim jobs');
        return false;
      })
      .then((held) => {
        if (held && asked > seen && options.isAccepting()) queueRound();
      });
    options.track(done);
    return done;
  };
  const queueRound = () => {
    if (scheduled) return;
    scheduled = true;
    // After the current turn's promises: a submit answers its member before its job is claimed.
    setImmediate(() => {
      scheduled = false;
      void start();
    });
  };

  /**
   * Rounds overlap, each for the backends free when it plans: a slot freed while another
   * backend's claim is on its way does not wait for it. An ask while a round holds a backend runs
   * one more round when that one ends, for what it held.
   */
  const schedule = () => {
    asked += 1;
    queueRound();
  };
  /** A server just answered: its slot is claimed for before the rest of that answer is read. */
  const scheduleNow = () => {
    asked += 1;
    return new Promise<void>((resolve) => {
      queueMicrotask(() => resolve(start()));
    });
  };

  const full = () => !views().some((view) => view.healthy && view.running < view.capacity);

  const claimAhead = async (backendId: string, behind: Pick<Job, 'id' | 'params'>) => {
    if (!options.isAccepting() || snapshot.line.length === 0 || claiming.has(backendId)) return undefined;
    claiming.add(backendId);
    try {
      return await claimOn(backendId, behind);
    } finally {
      claiming.delete(backendId);
    }
  };

  return { schedule, scheduleNow, full, claimAhead };
}
