import type { JobQueue, QueueJob } from '../queue/job-queue.js';

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
   * The same for a change another step made: reads begin at least `spacingMs` apart, so a burst
   * of changes (every process's, on a shared queue) costs one read per interval, not one each.
   */
  refreshSoon(): Promise<void>;
}

export function createQueueSnapshot(
  queue: Pick<JobQueue, 'overview'>,
  onError: (error: unknown) => void,
  spacingMs = 0,
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
  /** A read that has not started yet: later callers wait for it instead of queueing another. */
  let waiting: Promise<void> | undefined;
  let lastStart = Number.NEGATIVE_INFINITY;
  /** Ends the spacing wait of the read not begun yet (or marks it urgent before that wait starts). */
  let hurry: (() => void) | undefined;
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
    refreshSoon: () => read(spacingMs),
  };

  /** A read after the one in flight, begun no sooner than `spacing` after the last one began. */
  function read(spacing: number): Promise<void> {
    if (waiting !== undefined) {
      // A read wanted now does not wait out the spacing of one not yet begun.
      if (spacing === 0) hurry?.();
      return waiting;
    }
    let urgent = spacing === 0;
    const next = chain
      .then(async () => {
        const wait = lastStart + spacing - performance.now();
        if (wait > 0 && !urgent) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, wait);
            hurry = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        hurry = undefined;
        waiting = undefined;
        lastStart = performance.now();
        const before = claims;
        const { line: queued, running: held } = await queue.overview();
        // A claim made here while the read was on its way is kept; older ones the read has seen.
        for (const [id, entry] of recent) if (entry.claim <= before) recent.delete(id);
        [line, running] = withRecent(queued, held);
      })
      .catch(onError);
    hurry = () => {
      urgent = true;
    };
    waiting = next;
    chain = next;
    return next;
  }
}
