/**
 * One request to an A1111-family server, followed until it answers: its progress polled where the
 * server can tell (by task id, or the global `/progress` while it is alone there), and a cancel that
 * never stops a generation that is not this one.
 *
 *   sent ──answer starts──▶ answered (polling stops, the slot is free)
 *   sent ──cancel, active──▶ interrupted     sent ──cancel, queued──▶ interrupt once active
 */
import { randomBytes } from 'node:crypto';
import type { SdClient } from '../../sd/types.js';
import type {
  CancelOutcome,
  Capabilities,
  EngineProgress,
  EngineResult,
  EngineRun,
  RunOptions,
} from '../types.js';

const DATA_URI = /^data:[\w/+.-]+;base64,/;
const IN_QUEUE = /(\d+)\s*\/\s*(\d+)/;

/** Sends the request (with its task id, where the server takes one); calls `onStart` once the answer begins. */
export type SendRequest = (
  taskId: string | undefined,
  signal: AbortSignal,
  onStart: () => void | Promise<void>,
) => Promise<EngineResult>;

/** The server's global progress (`/progress`), with its live preview when asked for and offered. */
async function globalProgress(
  client: SdClient,
  caps: Capabilities,
  run: RunOptions,
): Promise<EngineProgress> {
  const global = await client.progress(
    { skipCurrentImage: !(run.livePreview && caps.preview) },
    { timeoutMs: 5000, signal: run.signal },
  );
  return {
    state: 'running',
    fraction: global.progress,
    step: global.samplingStep,
    steps: global.samplingSteps,
    etaSeconds: global.etaRelativeSeconds,
    preview:
      global.currentImage === null
        ? undefined
        : Buffer.from(global.currentImage.replace(DATA_URI, ''), 'base64'),
  };
}

/**
 * Sends one request and follows it until it answers: polls its progress where the server can tell,
 * and carries out a cancel without ever stopping a generation that is not this one.
 */
// One closure on purpose: the poll timer, the answered flag and a pending interrupt are shared by poll and cancel.
export function trackRequest(
  client: SdClient,
  caps: Capabilities,
  send: SendRequest,
  run: RunOptions,
): EngineRun {
  const taskId = caps.progress === 'task' ? `sdbot-${randomBytes(8).toString('hex')}` : undefined;
  let answered = false;
  let interruptWhenActive = false;
  let interrupted = false;
  let timer: NodeJS.Timeout | undefined;

  const interrupt = async () => {
    interrupted = true;
    await client.interrupt({ timeoutMs: 5000 });
  };

  const poll = async () => {
    if (answered) return;
    try {
      const progress = await progressOnce();
      if (progress !== undefined && !answered && !interrupted) run.onProgress?.(progress);
    } catch {
      // A missed poll only delays the next progress edit.
    }
    if (!answered) timer = setTimeout(() => void poll(), run.progressIntervalMs);
  };

  const progressOnce = async (): Promise<EngineProgress | undefined> => {
    if (caps.progress === 'none') return { state: 'running' };
    if (taskId !== undefined) {
      const task = await client.taskProgress(taskId, {}, { timeoutMs: 5000, signal: run.signal });
      if (task.queued) {
        const place = IN_QUEUE.exec(task.textinfo ?? '');
        return { state: 'queued', position: place === null ? undefined : Number(place[1]) };
      }
      if (!task.active) return undefined;
      if (interruptWhenActive && !interrupted) {
        await interrupt();
        return undefined;
      }
    } else if (run.alone !== undefined && !run.alone()) {
      // The server's progress is global: with another job of ours there it describes that one.
      return { state: 'running' };
    }
    return globalProgress(client, caps, run);
  };

  const onStart = () => {
    answered = true;
    if (timer !== undefined) clearTimeout(timer);
    return run.onFree?.();
  };
  timer = setTimeout(() => void poll(), run.progressIntervalMs);
  const result = send(taskId, run.signal, onStart).finally(() => {
    answered = true;
    if (timer !== undefined) clearTimeout(timer);
  });

  return {
    result,
    async cancel(): Promise<CancelOutcome> {
      if (answered || caps.interrupt === 'none' || taskId === undefined) return 'discard';
      const task = await client.taskProgress(taskId, {}, { timeoutMs: 5000 });
      if (task.active) {
        await interrupt();
        return 'interrupted';
      }
      if (task.completed) return 'discard';
      // Waiting behind someone else's generation (or not registered yet): stop it once it starts.
      interruptWhenActive = true;
      return 'pending';
    },
  };
}
