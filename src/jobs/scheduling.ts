/**
 * Scheduling decisions as pure functions over plain state. No clocks, no I/O: the runner passes
 * `now` in and carries the decisions out.
 */

export interface QueuedJobView {
  id: string;
  userId: string;
  createdAt: number;
  /** Checkpoint title the job asks for, if any. */
  model: string | undefined;
}

export interface BackendView {
  id: string;
  healthy: boolean;
  running: number;
  capacity: number;
  loadedModel: string | undefined;
}

/**
 * Fair order: round-robin between users. Each user's k-th queued job sits in round k; rounds go
 * in order. Inside a round, the user served least recently goes first (never served before anyone
 * served), then creation time: without that, a member who queued many jobs early would win every
 * tie and others would wait behind their whole batch. One member's four jobs do not hold back others.
 * `runningByUser` counts jobs already running, so a user with one running starts a round later.
 * `lastServedByUser` holds, per user, an increasing stamp of when one of their jobs last started.
 */
export function fairOrder<T extends Pick<QueuedJobView, 'id' | 'userId' | 'createdAt'>>(
  queued: readonly T[],
  runningByUser: ReadonlyMap<string, number> = new Map(),
  lastServedByUser: ReadonlyMap<string, number> = new Map(),
): T[] {
  const seen = new Map<string, number>();
  const ranked = [...queued]
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
    .map((job) => {
      const rank = seen.get(job.userId) ?? runningByUser.get(job.userId) ?? 0;
      seen.set(job.userId, rank + 1);
      return { job, rank, served: lastServedByUser.get(job.userId) ?? Number.NEGATIVE_INFINITY };
    });
  ranked.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.served - b.served ||
      a.job.createdAt - b.job.createdAt ||
      (a.job.id < b.job.id ? -1 : 1),
  );
  return ranked.map((entry) => entry.job);
}

export interface Assignment {
  jobId: string;
  backendId: string;
}

/**
 * Assigns queued jobs (already in fair order) to free backend slots. Within the first round of the
 * line (`window` jobs), a job whose model is already loaded on a free backend goes there first: a
 * model load costs tens of seconds. Remaining free slots take the line in order, preferring a backend
 * that has the job's model.
 */
export function planAssignments(
  ordered: readonly QueuedJobView[],
  backends: readonly BackendView[],
  window: number,
  eligible: (jobId: string, backendId: string) => boolean = () => true,
): Assignment[] {
  const free = new Map<string, { backend: BackendView; slots: number; loaded: string | undefined }>();
  for (const backend of backends) {
    const slots = backend.capacity - backend.running;
    if (backend.healthy && slots > 0) free.set(backend.id, { backend, slots, loaded: backend.loadedModel });
  }
  const assignments: Assignment[] = [];
  const taken = new Set<string>();
  const take = (job: QueuedJobView, backendId: string) => {
    const slot = free.get(backendId);
    if (slot === undefined) return;
    assignments.push({ jobId: job.id, backendId });
    taken.add(job.id);
    if (job.model !== undefined) slot.loaded = job.model;
    slot.slots -= 1;
    if (slot.slots <= 0) free.delete(backendId);
  };

  // Pass 1: affinity inside the window.
  for (const job of ordered.slice(0, Math.max(1, window))) {
    if (free.size === 0) break;
    if (job.model === undefined) continue;
    const match = [...free.values()].find(
      (slot) => slot.loaded === job.model && eligible(job.id, slot.backend.id),
    );
    if (match !== undefined) take(job, match.backend.id);
  }
  // Pass 2: the line in order.
  for (const job of ordered) {
    if (free.size === 0) break;
    if (taken.has(job.id)) continue;
    const slots = [...free.values()].filter((slot) => eligible(job.id, slot.backend.id));
    const match =
      slots.find((slot) => job.model !== undefined && slot.loaded === job.model) ??
      slots.find((slot) => slot.loaded === undefined) ??
      slots[0];
    if (match !== undefined) take(job, match.backend.id);
  }
  return assignments;
}

/** How many jobs of the fair line make up its first round (one per user). */
export function firstRoundSize(ordered: readonly QueuedJobView[]): number {
  const users = new Set<string>();
  let size = 0;
  for (const job of ordered) {
    if (users.has(job.userId)) break;
    users.add(job.userId);
    size++;
  }
  return size;
}

export type AdmissionResult =
  | { ok: true }
  | { ok: false; reason: 'user-limit' | 'queue-full'; limit: number };

/** Whether a new job may join: a per-user limit of pending jobs and a global cap. */
export function checkAdmission(
  pendingForUser: number,
  pendingTotal: number,
  limits: { maxPendingPerUser: number; maxQueueLength: number },
): AdmissionResult {
  if (pendingForUser >= limits.maxPendingPerUser)
    return { ok: false, reason: 'user-limit', limit: limits.maxPendingPerUser };
  if (pendingTotal >= limits.maxQueueLength)
    return { ok: false, reason: 'queue-full', limit: limits.maxQueueLength };
  return { ok: true };
}

export type FailureKind =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'api-disabled'
  | 'invalid-request'
  | 'out-of-memory'
  | 'server-error'
  | 'malformed-response'
  | 'unsupported'
  | 'unknown';

/**
 * After a failed attempt: retry on another backend when the backend itself failed before producing
 * images (and attempts remain), otherwise fail. Out of memory and invalid requests are not retried:
 * another attempt would fail the same way.
 */
export function decideAfterFailure(
  kind: FailureKind,
  attempts: number,
  maxAttempts: number,
  healthyOthers: number,
): 'retry' | 'fail' {
  const backendFault =
    kind === 'unreachable' ||
    kind === 'timeout' ||
    kind === 'unauthorized' ||
    kind === 'api-disabled' ||
    kind === 'malformed-response' ||
    kind === 'server-error';
  if (!backendFault) return 'fail';
  if (attempts >= maxAttempts) return 'fail';
  // With no other healthy backend, waiting for this one would leave the member staring at "retrying":
  // say what happened instead.
  if (healthyOthers === 0) return 'fail';
  return 'retry';
}

/** Whether a backend fault takes the backend out of rotation. */
export function takesBackendDown(kind: FailureKind): boolean {
  return kind === 'unreachable' || kind === 'unauthorized' || kind === 'api-disabled' || kind === 'timeout';
}

/** Backoff before probing a down backend again: 1 s, 2 s, 4 s … capped at 60 s. */
export function probeDelayMs(failures: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, failures - 1));
}

/** Discord's interaction token lives 15 minutes; stop relying on it this long before it ends. */
export const TOKEN_SAFETY_MARGIN_MS = 60_000;

/** Whether a job's reply can still be edited through its interaction token at `now`. */
export function canUseInteractionToken(
  tokenExpiresAt: number,
  now: number,
  marginMs = TOKEN_SAFETY_MARGIN_MS,
): boolean {
  return now < tokenExpiresAt - marginMs;
}

/** Throttle: whether an edit may go out now, given the last one. */
export function mayEdit(lastEditAt: number | undefined, now: number, intervalMs: number): boolean {
  return lastEditAt === undefined || now - lastEditAt >= intervalMs;
}
