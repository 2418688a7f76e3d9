/**
 * A pure reducer that follows one prompt (ours) through ComfyUI's messages (parsed in `messages.ts`)
 * and the /queue snapshots.
 *
 *   queued ──execution_start / executing(node) / progress──▶ running
 *   queued | running ──execution_success / executing(null)──▶ done
 *   queued | running ──execution_error──▶ error
 *   queued | running ──execution_interrupted──▶ interrupted
 * done, error and interrupted are final. Messages for other prompts only move `ahead` (place in line).
 */
import type { ComfyImageRef, ComfyMessage, ComfyQueueSnapshot } from './messages.js';

export type ComfyRunPhase = 'queued' | 'running' | 'done' | 'error' | 'interrupted';

export interface ComfyProgress {
  value: number;
  max: number;
  node: string | null;
  /** 1-based sampling pass (several KSamplers = several passes), of `stages`. */
  stage: number;
  stages: number;
}

export interface ComfyRunState {
  promptId: string;
  /** The `number` POST /prompt answered; lower numbers run first. */
  number: number;
  /** Nodes that report progress (from `progressNodeIds(graph)`), one stage each. */
  progressNodes: readonly string[];
  phase: ComfyRunPhase;
  /** Prompts ahead of ours in the server's line (an upper bound from `queue_remaining`, exact from /queue). */
  ahead: number | null;
  queueRemaining: number | null;
  cachedNodes: string[];
  currentNode: string | null;
  /** Progress nodes in the order they first reported progress. */
  seenProgressNodes: string[];
  progress: ComfyProgress | null;
  preview: Buffer | null;
  outputs: Record<string, ComfyImageRef[]>;
  error: { nodeId: string; nodeType: string; message: string; exceptionType: string } | null;
}

export function createComfyRunState(options: {
  promptId: string;
  number: number;
  progressNodes: readonly string[];
}): ComfyRunState {
  return {
    promptId: options.promptId,
    number: options.number,
    progressNodes: options.progressNodes,
    phase: 'queued',
    ahead: null,
    queueRemaining: null,
    cachedNodes: [],
    currentNode: null,
    seenProgressNodes: [],
    progress: null,
    preview: null,
    outputs: {},
    error: null,
  };
}

const isFinal = (phase: ComfyRunPhase): boolean =>
  phase === 'done' || phase === 'error' || phase === 'interrupted';

function stagesOf(state: ComfyRunState, seen: readonly string[]): number {
  const active = state.progressNodes.filter((id) => !state.cachedNodes.includes(id));
  const extra = seen.filter((id) => !active.includes(id));
  return Math.max(1, active.length + extra.length);
}

function fromQueue(state: ComfyRunState, snapshot: ComfyQueueSnapshot['data']): ComfyRunState {
  const idOf = (item: unknown[]): unknown => item[1];
  const numberOf = (item: unknown[]): number =>
    typeof item[0] === 'number' ? item[0] : Number.POSITIVE_INFINITY;
  if (snapshot.queue_running.some((item) => idOf(item) === state.promptId)) return { ...state, ahead: 0 };
  if (!snapshot.queue_pending.some((item) => idOf(item) === state.promptId)) return state;
  const ahead =
    snapshot.queue_running.length +
    snapshot.queue_pending.filter((item) => numberOf(item) < state.number).length;
  return { ...state, ahead };
}

function progressed(state: ComfyRunState, node: string | null, value: number, max: number): ComfyRunState {
  let key = node ?? state.progress?.node ?? null;
  // Old servers omit the node: a counter that restarts is the next pass.
  if (node === null && state.progress !== null && value < state.progress.value)
    key = `#pass${state.seenProgressNodes.length + 1}`;
  const seen =
    key === null || state.seenProgressNodes.includes(key)
      ? state.seenProgressNodes
      : [...state.seenProgressNodes, key];
  const stage = key === null ? Math.max(1, seen.length) : seen.indexOf(key) + 1;
  return {
    ...state,
    phase: 'running',
    ahead: 0,
    seenProgressNodes: seen,
    progress: {
      value,
      max,
      node: key,
      stage: Math.max(1, stage),
      stages: Math.max(stagesOf(state, seen), stage),
    },
  };
}

/** One message (or preview frame) applied to our prompt's state; messages about other prompts change nothing. */
export function reduceComfyMessage(
  state: ComfyRunState,
  message: ComfyMessage | { type: 'preview'; image: Buffer; promptId?: string | null },
  promptId: string,
): ComfyRunState {
  if (isFinal(state.phase)) return state;
  switch (message.type) {
    case 'status': {
      const remaining = message.data.status?.exec_info.queue_remaining;
      if (remaining === undefined) return state;
      const next = { ...state, queueRemaining: remaining };
      if (state.phase === 'queued') {
        const bound = Math.max(0, remaining - 1);
        next.ahead = state.ahead === null ? bound : Math.min(state.ahead, bound);
      }
      return next;
    }
    case 'queue':
      return state.phase === 'queued' ? fromQueue(state, message.data) : state;
    case 'preview':
      if (state.phase !== 'running') return state;
      if (message.promptId !== undefined && message.promptId !== null && message.promptId !== promptId)
        return state;
      return { ...state, preview: message.image };
    default:
      break;
  }
  // Progress from servers that omit prompt_id counts only while ours is the one running.
  const id = message.data.prompt_id ?? null;
  if (id !== promptId && !(id === null && message.type === 'progress' && state.phase === 'running'))
    return state;
  switch (message.type) {
    case 'execution_start':
      return { ...state, phase: 'running', ahead: 0 };
    case 'execution_cached': {
      const next = { ...state, cachedNodes: message.data.nodes, phase: 'running' as const, ahead: 0 };
      return next.progress === null
        ? next
        : { ...next, progress: { ...next.progress, stages: stagesOf(next, next.seenProgressNodes) } };
    }
    case 'executing':
      if (message.data.node === null) return { ...state, phase: 'done', currentNode: null };
      return { ...state, phase: 'running', ahead: 0, currentNode: message.data.node };
    case 'progress':
      return progressed(state, message.data.node ?? null, message.data.value, message.data.max);
    case 'progress_state':
      return state;
    case 'executed': {
      const images = message.data.output?.images;
      if (images === undefined) return state;
      return { ...state, outputs: { ...state.outputs, [message.data.node]: images } };
    }
    case 'execution_success':
      return { ...state, phase: 'done', currentNode: null };
    case 'execution_error':
      return {
        ...state,
        phase: 'error',
        currentNode: null,
        error: {
          nodeId: message.data.node_id,
          nodeType: message.data.node_type,
          message: message.data.exception_message,
          exceptionType: message.data.exception_type,
        },
      };
    case 'execution_interrupted':
      return { ...state, phase: 'interrupted', currentNode: null };
    default:
      return state;
  }
}
