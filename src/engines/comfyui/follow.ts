/**
 * Following one queued prompt to its end: the WebSocket's messages drive the run's state, and a timer
 * polls `/queue` and `/history` while the socket is down (or not yet trusted, for a resumed run), so no
 * result is lost. The end hands over to `collectResult`.
 *
 *   queued ──executing──▶ running ──execution_success / executing(null) / history──▶ done
 *   any ──execution_error──▶ error     any ──execution_interrupted──▶ interrupted
 *   any ──lost / timeout / unreachable / abort──▶ failed
 */
import { SdAbortedError, SdError, SdServerError, SdTimeoutError } from '../errors.js';
import type { EngineResult, RunOptions } from '../types.js';
import type { ApiGraph } from './api-graph.js';
import type { Control } from './cancel.js';
import type { ComfyClient } from './client.js';
import { type ComfyRunState, createComfyRunState, reduceComfyMessage } from './events.js';
import { progressNodeIds } from './graph.js';
import { type ComfyHistoryOutcome, parseHistoryEntry } from './history.js';
import type { ComfyJobRecord } from './job-graph.js';
import type { ComfyImageRef } from './messages.js';
import { getQueue, inQueue } from './queue.js';
import { collectResult } from './results.js';
import { toEngineProgress } from './run-progress.js';
import type { ComfySocket } from './socket.js';

/** Consecutive polls that find a prompt neither queued nor in history before it counts as lost. */
const LOST_AFTER = 3;

export interface FollowDeps {
  client: ComfyClient;
  socket: ComfySocket;
  /** Longest a run may take, its wait in the server's queue included. */
  runTimeoutMs: number;
  /** How long the server may answer no poll at all before a run gives up on it. */
  downAfterMs: number;
}

/** The prompt to follow, as `POST /prompt` answered it or as a resumed run found it. */
export interface FollowedPrompt {
  promptId: string;
  number: number;
  graph: ApiGraph | null;
  record: ComfyJobRecord;
  /** A resumed run polls until the socket has shown it is hearing this prompt. */
  resumed: boolean;
}

/** The run's state once the history has a finished entry for it. */
function toFinishedState(
  state: ComfyRunState,
  entry: Exclude<ComfyHistoryOutcome, { state: 'unknown' }>,
): ComfyRunState {
  if (entry.state === 'success') return { ...state, phase: 'done' };
  if (entry.state === 'interrupted') return { ...state, phase: 'interrupted' };
  return {
    ...state,
    phase: 'error',
    error: {
      nodeId: entry.nodeId ?? '',
      nodeType: entry.nodeType ?? '',
      message: entry.message ?? '',
      exceptionType: '',
    },
  };
}

function lostError(label: string, promptId: string): SdServerError {
  return new SdServerError(`${label} lost prompt ${promptId} (not in its queue or history)`, {
    backend: label,
    method: 'GET',
    path: `/history/${promptId}`,
    detail: 'the prompt is gone',
    errorType: null,
  });
}

function runTimeoutError(label: string, promptId: string, timeoutMs: number): SdTimeoutError {
  return new SdTimeoutError(`${label}: prompt ${promptId} did not finish within ${timeoutMs} ms`, {
    backend: label,
    method: 'POST',
    path: '/prompt',
    timeoutMs,
  });
}

/** Follows a queued prompt to its images, over the WebSocket, or by polling while it is down. */
// One closure on purpose: the run's state, its timer and its subscription are shared by each named step.
export function followPrompt(
  deps: FollowDeps,
  prompt: FollowedPrompt,
  run: RunOptions,
  control: Control,
): Promise<EngineResult> {
  const { client, socket: ws, runTimeoutMs, downAfterMs } = deps;
  const { promptId, number, graph, record } = prompt;
  const label = client.label;
  // Long on purpose: the executor holds the run's state; its named steps all settle this one promise.
  return new Promise<EngineResult>((resolve, reject) => {
    let state = createComfyRunState({
      promptId,
      number,
      progressNodes: graph === null ? [] : progressNodeIds(graph),
    });
    let concluded = false;
    let dirty = true;
    let lastPhase = state.phase;
    let missing = 0;
    let checking = false;
    let ticks = 0;
    // A resumed run polls until the socket has shown it is hearing this prompt.
    let trustSocket = !prompt.resumed;
    let unsubscribe: () => void = () => undefined;
    let unreachableSince: number | null = null;
    const startedAt = Date.now();
    let timer: NodeJS.Timeout | undefined;

    const cleanup = () => {
      concluded = true;
      control.finished = true;
      if (timer !== undefined) clearInterval(timer);
      unsubscribe();
      run.signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      if (concluded) return;
      cleanup();
      reject(error);
    };
    control.abort = fail;
    const onAbort = () =>
      fail(new SdAbortedError(`${label}: following prompt ${promptId} was aborted`, { backend: label }));

    const emit = () => {
      if (concluded || !dirty) return;
      dirty = false;
      run.onProgress?.(toEngineProgress(state, run.livePreview));
    };

    const conclude = async (images: Record<string, ComfyImageRef[]> | null) => {
      if (concluded) return;
      cleanup();
      // The next job goes to the server before this one's images are fetched.
      await run.onFree?.();
      try {
        const concludedRun = { promptId, state, record, cancelled: control.cancelled, images };
        resolve(await collectResult(client, { ...concludedRun, signal: run.signal, onImage: run.onImage }));
      } catch (error: unknown) {
        reject(error);
      }
    };

    const apply = (message: Parameters<typeof reduceComfyMessage>[1]) => {
      if (concluded) return;
      const next = reduceComfyMessage(state, message, promptId);
      if (next === state) return;
      state = next;
      if (message.type !== 'queue' && message.type !== 'status') trustSocket = true;
      dirty = true;
      if (state.phase === 'done' || state.phase === 'error' || state.phase === 'interrupted') {
        void conclude(null);
        return;
      }
      if (state.phase !== lastPhase) {
        lastPhase = state.phase;
        emit();
      }
    };

    /** One poll: in line (a queue message), finished (history), or missing (lost after a few). */
    const poll = async () => {
      const queue = await getQueue(client, run.signal);
      unreachableSince = null;
      if (inQueue(queue, promptId) !== null) {
        missing = 0;
        apply({ type: 'queue', data: queue });
        return;
      }
      const entry = parseHistoryEntry(
        await client.getJson(`/history/${encodeURIComponent(promptId)}`, { signal: run.signal }),
        promptId,
      );
      unreachableSince = null;
      if (entry.state === 'unknown') {
        missing += 1;
        // Neither queued, running nor in history: the server lost it (a restart of ComfyUI).
        if (missing >= LOST_AFTER) fail(lostError(label, promptId));
        return;
      }
      if (concluded) return;
      state = toFinishedState(state, entry);
      await conclude(entry.images);
    };

    /** Asks the server directly: in line, running, or finished (history). */
    const check = async () => {
      if (checking || concluded) return;
      checking = true;
      try {
        await poll();
      } catch (error: unknown) {
        // A missed poll only delays the next one, unless the server has stopped answering at all.
        if (error instanceof SdError && (error.code === 'unreachable' || error.code === 'timeout')) {
          unreachableSince ??= Date.now();
          if (Date.now() - unreachableSince >= downAfterMs) fail(error);
        }
      } finally {
        checking = false;
      }
    };

    const tick = () => {
      ticks += 1;
      if (Date.now() - startedAt > runTimeoutMs) {
        fail(runTimeoutError(label, promptId, runTimeoutMs));
        return;
      }
      emit();
      const blind = !ws.connected() || !trustSocket;
      if (blind || state.phase === 'queued' || ticks % 10 === 0) void check();
    };

    if (run.signal.aborted) {
      onAbort();
      return;
    }
    run.signal.addEventListener('abort', onAbort, { once: true });
    timer = setInterval(tick, Math.max(100, Math.min(run.progressIntervalMs, 1000)));
    const stop = ws.subscribe(promptId, {
      onMessage: (event) => apply(event),
      onReconnect: () => void check(),
    });
    if (concluded) stop();
    else unsubscribe = stop;
    emit();
    void check();
  });
}
