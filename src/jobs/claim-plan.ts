import type { QueueJob } from '../queue/job-queue.js';
import { type BackendView, firstRoundSize, planAssignments } from './scheduling.js';

/**
 * Pure: which backends to claim a job for, one entry per slot, in the order `planDispatch` would
 * fill them from this line (already in fair order). The store makes each claim's own choice; this
 * order makes it the one the plan made (a backend with a job's model loaded asks first).
 */
export function planClaims(
  line: readonly QueueJob[],
  backends: readonly BackendView[],
  affinity: boolean,
  allowed: (job: QueueJob, backendId: string) => boolean,
): string[] {
  if (line.length === 0) return [];
  const byId = new Map(line.map((job) => [job.id, job]));
  const views = line.map((job) => ({
    id: job.id,
    userId: job.userId,
    createdAt: job.createdAt,
    model: affinity ? job.params.model : undefined,
  }));
  const eligible = (jobId: string, backendId: string) => {
    const job = byId.get(jobId);
    return job !== undefined && allowed(job, backendId);
  };
  return planAssignments(views, backends, affinity ? firstRoundSize(views) : 0, eligible).map(
    (assignment) => assignment.backendId,
  );
}

/** A retry goes to another backend, as its member is told, unless no other healthy one can take it. */
export function retriesElsewhere(
  job: QueueJob,
  backendId: string,
  backends: readonly BackendView[],
  can: (job: QueueJob, backendId: string) => boolean,
): boolean {
  return backends.some((other) => other.id !== backendId && other.healthy && can(job, other.id));
}
