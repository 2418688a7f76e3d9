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

/**
 * Pure: whether a round's claims may go at once rather than in plan order. Claims made together
 * each take the first job of the line the others are not locking, so any of them may land on any
 * of the first jobs: that is the plan's outcome only when every backend of the round may take each
 * of those jobs and none would choose by its loaded model (affinity off, or one model loaded on
 * all). Otherwise the backend the plan names for a job (its model loaded, or the only one able)
 * must ask first.
 */
export function inAnyOrder(
  planned: readonly string[],
  line: readonly QueueJob[],
  backends: readonly Pick<BackendView, 'id' | 'loadedModel'>[],
  affinity: boolean,
  allowed: (job: QueueJob, backendId: string) => boolean,
): boolean {
  if (planned.length < 2) return false;
  const models = new Set(planned.map((id) => backends.find((backend) => backend.id === id)?.loadedModel));
  if (affinity && models.size > 1) return false;
  return line.slice(0, planned.length).every((job) => planned.every((backendId) => allowed(job, backendId)));
}
