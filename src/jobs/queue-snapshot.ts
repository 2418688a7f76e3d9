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
}

export function createQueueSnapshot(
  queue: Pick<JobQueue, 'overview'>,
  onError: (error: unknown) => void,
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
    refresh() {
      if (waiting !== undefined) return waiting;
      const read = chain
        .then(async () => {
          waiting = undefined;
          const before = claims;
          const { line: queued, running: held } = await queue.overview();
          // A claim made here while the read was on its way is kept; older ones the read has seen.
          for (const [id, entry] of recent) if (entry.claim <= before) recent.delete(id);
          [line, running] = withRecent(queued, held);
        })
        .catch(onError);
      waiting = read;
      chain = read;
      return read;
    },
  };
}
