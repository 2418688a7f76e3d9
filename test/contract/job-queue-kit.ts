import { afterEach, beforeEach } from 'vitest';
import type { NewJob } from '../../src/jobs/types.js';
import type { ClaimRequest, JobQueue, QueueEvent } from '../../src/queue/job-queue.js';

/** One store under test: every `open` is another connection to it (as another process would have). */
export interface QueueStore {
  open(): Promise<JobQueue>;
  dispose(): Promise<void>;
}

/** A fresh, empty store per test; the queues a test opens are closed after it. */
export function useQueueStore(makeStore: () => Promise<QueueStore>) {
  let store: QueueStore | undefined;
  const opened: JobQueue[] = [];
  beforeEach(async () => {
    store = await makeStore();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close()));
    await store?.dispose();
    store = undefined;
  });
  return {
    async open(): Promise<JobQueue> {
      if (store === undefined) throw new Error('the store is opened in beforeEach');
      const queue = await store.open();
      opened.push(queue);
      return queue;
    },
  };
}

export const LIMITS = { maxPendingPerUser: 100, maxQueueLength: 1000 };

/** What a worker records when it completes a job. */
export const RESULT = {
  seeds: [1],
  model: null,
  modelHash: null,
  sampler: null,
  infotexts: [],
  durationMs: 5,
  backend: 'x',
};

export function newJob(userId: string, model?: string): NewJob {
  return {
    kind: 'txt2img',
    userId,
    guildId: 'g1',
    channelId: 'c1',
    applicationId: 'app',
    interactionToken: 'token',
    tokenExpiresAt: Number.MAX_SAFE_INTEGER,
    params: {
      prompt: `a cat for ${userId}`,
      negativePrompt: '',
      seed: 1,
      steps: 20,
      cfgScale: 7,
      width: 512,
      height: 512,
      count: 1,
      sampler: 'Euler a',
      scheduler: undefined,
      model,
    },
    parentId: null,
  };
}

/** Enqueues and returns the job's id (admission must pass). */
export async function add(queue: JobQueue, userId: string, now: number, model?: string): Promise<string> {
  const result = await queue.enqueue(newJob(userId, model), LIMITS, now);
  if (!result.ok) throw new Error(`enqueue refused: ${result.reason}`);
  return result.job.id;
}

export function slot(worker: string, now: number, changes: Partial<ClaimRequest> = {}): ClaimRequest {
  return { worker, backendId: 'x', loadedModel: undefined, affinity: true, leaseMs: 60_000, now, ...changes };
}

/** Resolves with the first event matching, or fails after `timeoutMs` (events may cross a connection). */
export function nextEvent(
  queue: JobQueue,
  match: (event: QueueEvent) => boolean,
  timeoutMs = 5_000,
): Promise<QueueEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no matching queue event within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = queue.subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}
