import {
  type Assignment,
  type BackendView,
  fairOrder,
  firstRoundSize,
  planAssignments,
  type QueuedJobView,
} from './scheduling.js';

/** Everything one dispatch decision looks at, as plain data. */
export interface DispatchInput<T extends QueuedJobView> {
  queued: readonly T[];
  /** Jobs already running, per member (a member with one running starts a round later). */
  runningByUser: ReadonlyMap<string, number>;
  /** Per member, an increasing stamp of when one of their jobs last started. */
  lastServed: ReadonlyMap<string, number>;
  backends: readonly BackendView[];
  /** Prefer a free backend that has the job's model loaded, within the first round. */
  affinity: boolean;
  /** Whether a backend can take a job at all (its model, its capabilities). Default: any. */
  eligible?: ((job: T, backendId: string) => boolean) | undefined;
}

/**
 * One dispatch step, pure: the fair line, then which queued job goes to which free backend slot.
 * The runner and the scheduling tests' simulation call this same function.
 */
export function planDispatch<T extends QueuedJobView>(
  input: DispatchInput<T>,
): { line: T[]; assignments: Assignment[] } {
  const line = fairOrder(input.queued, input.runningByUser, input.lastServed);
  if (line.length === 0) return { line, assignments: [] };
  // Without affinity the planner sees no models and a window of 0: the line in order, first free backend.
  const views = input.affinity ? line : line.map((job) => ({ ...job, model: undefined }));
  const byId = new Map(line.map((job) => [job.id, job]));
  const eligible =
    input.eligible === undefined
      ? undefined
      : (jobId: string, backendId: string) => {
          const job = byId.get(jobId);
          return (
            job !== undefined && (input.eligible as (job: T, backendId: string) => boolean)(job, backendId)
          );
        };
  const assignments = planAssignments(
    views,
    input.backends,
    input.affinity ? firstRoundSize(views) : 0,
    eligible,
  );
  return { line, assignments };
}
