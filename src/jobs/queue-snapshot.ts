import type { JobQueue, QueueJob } from '../queue/job-queue.js';
import { type AdmissionResult, checkAdmission } from './scheduling.js';
import type { Job } from './types.js';

/**
 * The queued jobs in fair order, and the running jobs of every process, as the store last told them:
 * what the synchronous reads (a place in line, `/queue`, admission's first look, position updates)
 * and the dispatch plan look at. The store stays the truth; this is read again on every queue event.
 */
export interface QueueSnapshot {
  readonly line: readonly QueueJob[];
  /** Running jobs of every worker on the queue (this process's among them), oldest start first. */
  readonly running: readonly QueueJob[];
  position(jobId: string): { position: number; total: number } | undefined;
  countFor(userId: string): number;
  /** Jobs this process just claimed: out of the line and running, until the next read says the same. */
  claimed(jobs: readonly QueueJob[]): void;
  /** Reads the line again; settles once a read that started after this call has landed. */
  refresh(): Promise<void>;
  /**
   * The same for a change another step made: reads begin at least `spacingMs` apart (asked anew at
   * each call), so a burst of changes (every process's, on a shared queue) costs one read per
   * interval, not one each.
   */
  refreshSoon(): Promise<void>;
  /** A read is waiting out its spacing: something changed since the last read began. */
  readonly behind: boolean;
}

// One closure on purpose: the line as last read, the claims no read has seen yet and the read in waiting are one state.
export function createQueueSnapshot(
  queue: Pick<JobQueue, 'overview'>,
  onError: (error: unknown) => void,
  spacingMs: number | (() => number) = 0,
): QueueSnapshot {
  let line: QueueJob[] = [];
  let running: QueueJob[] = [];
  let chain: Promise<void> = Promise.resolve();
  /** Jobs claimed here that no read has seen yet, numbered by claim: a read begun before misses them. */
  const recent = new Map<string, { job: QueueJob; claim: number }>();
  let claims = 0;
  const withRecent = (queued: QueueJob[], held: QueueJob[]): [QueueJob[], QueueJob[]] => {
    if (recent.size === 0) return [queued, held];
    const fresh = [...recent.values()].map(({ job }) => job);
    return [
      queued.filter((job) => !recent.has(job.id)),
      [...held.filter((job) => !recent.has(job.id)), ...fresh],
    ];
  };
  /** The read not begun yet: later callers wait for it instead of queueing another. */
  let pending: { promise: Promise<void>; bringForward(at: number): void } | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;
  return {
    get line() {
      return line;
    },
    get running() {
      return running;
    },
    position(jobId) {
      const index = line.findIndex((job) => job.id === jobId);
      return index < 0 ? undefined : { position: index + 1, total: line.length };
    },
    countFor: (userId) => line.filter((job) => job.userId === userId).length,
    claimed(jobs) {
      claims += 1;
      for (const job of jobs) recent.set(job.id, { job, claim: claims });
      [line, running] = withRecent(line, running);
    },
    refresh: () => read(0),
    refreshSoon: () => read(typeof spacingMs === 'number' ? spacingMs : spacingMs()),
    get behind() {
      return pending !== undefined;
    },
  };

  /**
   * A read after the one in flight, begun no sooner than `spacing` after the last one began. A
   * caller wanting it sooner than the read already waiting brings that one forward.
   */
  function read(spacing: number): Promise<void> {
    const wanted = lastStart + spacing;
    if (pending !== undefined) {
      pending.bringForward(wanted);
      return pending.promise;
    }
    let startAt = wanted;
    let wake: (() => void) | undefined;
    const next = chain
      .then(async () => {
        while (performance.now() < startAt) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, startAt - performance.now());
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = undefined;
        }
        pending = undefined;
        lastStart = performance.now();
        const before = claims;
        const { line: queued, running: held } = await queue.overview();
        // A claim made here while the read was on its way is kept; older ones the read has seen.
        for (const [id, entry] of recent) if (entry.claim <= before) recent.delete(id);
        [line, running] = withRecent(queued, held);
      })
      .catch(onError);
    pending = {
      promise: next,
      bringForward(at) {
        if (at >= startAt) return;
        startAt = at;
        wake?.();
      },
    };
    chain = next;
    return next;
  }
}

/** On a shared queue, how far apart a worker's reads of the line for changes begin, at least. */
const SHARED_READ_SPACING_MS = 25;
/**
 * The same for a worker whose every backend is busy: a read would tell it nothing it can act on
 * (places in line are the gateways' to tell), and a slot freed here brings the read forward.
 */
const FULL_WORKER_READ_SPACING_MS = 500;
/**
 * The same for a process that runs no job (a gateway): its reads only move places in line, which
 * are edited at most once per progress interval (seconds), so a read a few times a second loses
 * nothing a member sees. In a burst of commands its reads every 25 ms took the CPU the workers
 * needed (the bench's throughput step: 0.17 s of the gateway's 1.7 s).
 */
const GATEWAY_READ_SPACING_MS = 200;

/**
 * How far apart this process's reads of the line for changes begin (see the constants above).
 * `full` (every backend busy) is asked only where it decides, not on every change of a lone queue.
 */
export function readSpacingMs(role: {
  sharedQueue: boolean;
  runsJobs: boolean;
  announcesLine: boolean;
  full: () => boolean;
}): number {
  if (!role.sharedQueue) return 0;
  if (!role.runsJobs) return GATEWAY_READ_SPACING_MS;
  return !role.announcesLine && role.full() ? FULL_WORKER_READ_SPACING_MS : SHARED_READ_SPACING_MS;
}

/** Every process's running jobs as last read, and this one's (`local`) claimed since. */
export function runningJobsOf(snapshot: Pick<QueueSnapshot, 'running'>, local: readonly Job[]): Job[] {
  const seen = new Set(snapshot.running.map((job) => job.id));
  return [...snapshot.running, ...local.filter((job) => !seen.has(job.id))];
}

/** Admission's first look, on the snapshot and the running jobs (the queue checks again atomically). */
export function admissionOn(
  snapshot: Pick<QueueSnapshot, 'line' | 'countFor'>,
  running: readonly Job[],
  userId: string,
  limits: { maxPendingPerUser: number; maxQueueLength: number },
): AdmissionResult {
  const mine = running.filter((job) => job.userId === userId).length;
  return checkAdmission(snapshot.countFor(userId) + mine, snapshot.line.length + running.length, limits);
}
