import { planDispatch } from './dispatch.js';
import type { JobStore } from './job-store.js';
import type { BackendView } from './scheduling.js';
import type { Job } from './types.js';

/** A queued job as the dispatch step sees it. */
export interface LineView {
  id: string;
  userId: string;
  createdAt: number;
  model: string | undefined;
  job: Job;
}

/**
 * The jobs waiting for a backend, and who was served when (kept in the store, so a restart keeps
 * the fair order). The runner owns one; the dispatch step reads it.
 */
export interface Line {
  readonly size: number;
  jobs(): readonly Job[];
  /** Puts a job in line; `failedOn`: a retry, which goes to another backend while one can take it. */
  add(job: Job, failedOn?: string): void;
  /** Takes a job out of the line; undefined when it is not waiting. */
  take(jobId: string): Job | undefined;
  countFor(userId: string): number;
  /** The fair order, given who has jobs running. */
  ordered(runningByUser: ReadonlyMap<string, number>): Job[];
  /** Which waiting job goes to which free backend slot. */
  plan(
    runningByUser: ReadonlyMap<string, number>,
    backends: readonly BackendView[],
    affinity: boolean,
    eligible: ((view: LineView, backendId: string) => boolean) | undefined,
  ): { jobId: string; backendId: string }[];
  /** One of the member's jobs starts now. */
  served(userId: string): void;
  /** Reads the fairness history back from the store (at start). */
  loadHistory(): void;
}

export function createLine(store: Pick<JobStore, 'recordServed' | 'servedHistory'>): Line {
  let waiting: Job[] = [];
  /** Per retried job, the backend its last attempt failed on. */
  const failedOn = new Map<string, string>();
  const lastServed = new Map<string, number>();
  let stamp = 0;
  const views = (): LineView[] =>
    waiting.map((job) => ({
      id: job.id,
      userId: job.userId,
      createdAt: job.createdAt,
      model: job.params.model,
      job,
    }));
  return {
    get size() {
      return waiting.length;
    },
    jobs: () => waiting,
    add(job, failed) {
      waiting.push(job);
      if (failed !== undefined) failedOn.set(job.id, failed);
    },
    take(jobId) {
      failedOn.delete(jobId);
      const job = waiting.find((candidate) => candidate.id === jobId);
      if (job !== undefined) waiting = waiting.filter((candidate) => candidate !== job);
      return job;
    },
    countFor: (userId) => waiting.filter((job) => job.userId === userId).length,
    ordered(runningByUser) {
      return planDispatch({
        queued: views(),
        runningByUser,
        lastServed,
        backends: [],
        affinity: false,
      }).line.map((view) => view.job);
    },
    plan(runningByUser, backends, affinity, eligible) {
      const can = (view: LineView, id: string) => eligible === undefined || eligible(view, id);
      // A retry goes to another backend, as the member is told, unless no other healthy one can take it.
      const allowed = (view: LineView, id: string) => {
        const failed = failedOn.get(view.id);
        return (
          can(view, id) &&
          (failed !== id ||
            !backends.some((other) => other.id !== id && other.healthy && can(view, other.id)))
        );
      };
      return planDispatch({
        queued: views(),
        runningByUser,
        lastServed,
        backends,
        affinity,
        eligible: allowed,
      }).assignments;
    },
    served(userId) {
      stamp += 1;
      lastServed.set(userId, stamp);
      store.recordServed(userId, stamp);
    },
    loadHistory() {
      for (const [userId, served] of store.servedHistory()) {
        lastServed.set(userId, served);
        stamp = Math.max(stamp, served);
      }
    },
  };
}
