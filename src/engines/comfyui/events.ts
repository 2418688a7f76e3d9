/**
 * ComfyUI's WebSocket protocol as data: parsing of JSON messages and binary preview frames, a pure
 * reducer that follows one prompt (ours) through them, and the 400 validation body as one sentence.
 *
 *   queued ──execution_start / executing(node) / progress──▶ running
 *   queued | running ──execution_success / executing(null)──▶ done
 *   queued | running ──execution_error──▶ error
 *   queued | running ──execution_interrupted──▶ interrupted
 * done, error and interrupted are final. Messages for other prompts only move `ahead` (place in line).
 */
import { z } from 'zod';
import type { ApiGraph } from './api-graph.js';

export interface ComfyImageRef {
  filename: string;
  subfolder: string;
  type: string;
}

const imageRef = z.object({
  filename: z.string(),
  subfolder: z.string().catch(''),
  type: z.string().catch('output'),
});
const promptId = z.string();
const nodeId = z.union([z.string(), z.number()]).transform(String);

const messageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('status'),
    data: z.object({
      status: z.object({ exec_info: z.object({ queue_remaining: z.number() }) }).nullish(),
      sid: z.string().nullish(),
    }),
  }),
  z.object({ type: z.literal('execution_start'), data: z.object({ prompt_id: promptId }) }),
  z.object({
    type: z.literal('execution_cached'),
    data: z.object({ prompt_id: promptId, nodes: z.array(nodeId).catch([]) }),
  }),
  z.object({
    type: z.literal('executing'),
    data: z.object({ prompt_id: promptId.nullish(), node: nodeId.nullable() }),
  }),
  z.object({
    type: z.literal('progress'),
    data: z.object({
      prompt_id: promptId.nullish(),
      node: nodeId.nullish(),
      value: z.number(),
      max: z.number(),
    }),
  }),
  z.object({
    type: z.literal('progress_state'),
    data: z.object({
      prompt_id: promptId,
      nodes: z.record(
        z.string(),
        z.object({ value: z.number(), max: z.number(), state: z.string() }).loose(),
      ),
    }),
  }),
  z.object({
    type: z.literal('executed'),
    data: z.object({
      prompt_id: promptId,
      node: nodeId,
      output: z
        .object({ images: z.array(imageRef).optional() })
        .loose()
        .nullish(),
    }),
  }),
  z.object({ type: z.literal('execution_success'), data: z.object({ prompt_id: promptId }) }),
  z.object({
    type: z.literal('execution_error'),
    data: z.object({
      prompt_id: promptId,
      node_id: nodeId.catch(''),
      node_type: z.string().catch(''),
      exception_message: z.string().catch(''),
      exception_type: z.string().catch(''),
      traceback: z.array(z.string()).catch([]),
    }),
  }),
  z.object({
    type: z.literal('execution_interrupted'),
    data: z.object({ prompt_id: promptId, node_id: nodeId.nullish(), node_type: z.string().nullish() }),
  }),
]);

/** A JSON message from ComfyUI's WebSocket, validated. */
export type ComfyWsMessage = z.output<typeof messageSchema>;

/** A GET /queue answer fed to the reducer: items are `[number, prompt_id, prompt, extra, outputs]`. */
export interface ComfyQueueSnapshot {
  type: 'queue';
  data: { queue_running: unknown[][]; queue_pending: unknown[][] };
}

export type ComfyMessage = ComfyWsMessage | ComfyQueueSnapshot;

/** A WebSocket text frame → a known message, or null (unknown type, bad JSON, wrong shape). */
export function parseComfyMessage(text: string): ComfyWsMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = messageSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export interface ComfyPreviewFrame {
  type: 'preview';
  image: Buffer;
  format: 'jpeg' | 'png' | 'webp';
  /** Only type-4 frames (sent to clients announcing `supports_preview_metadata`) name them. */
  promptId: string | null;
  nodeId: string | null;
}

/** A binary frame (`uint32 BE` event 1: `uint32` format + image; event 4: `uint32` length + JSON + image). */
export function parseComfyFrame(bytes: Buffer): ComfyPreviewFrame | null {
  if (bytes.length < 8) return null;
  const event = bytes.readUInt32BE(0);
  if (event === 1) {
    const format = bytes.readUInt32BE(4);
    return {
      type: 'preview',
      image: bytes.subarray(8),
      format: format === 2 ? 'png' : 'jpeg',
      promptId: null,
      nodeId: null,
    };
  }
  if (event === 4) {
    const length = bytes.readUInt32BE(4);
    if (bytes.length < 8 + length) return null;
    let meta: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
      if (typeof parsed === 'object' && parsed !== null) meta = parsed as Record<string, unknown>;
    } catch {
      return null;
    }
    const imageType = typeof meta.image_type === 'string' ? meta.image_type : 'image/jpeg';
    return {
      type: 'preview',
      image: bytes.subarray(8 + length),
      format: imageType.includes('png') ? 'png' : imageType.includes('webp') ? 'webp' : 'jpeg',
      promptId: typeof meta.prompt_id === 'string' ? meta.prompt_id : null,
      nodeId: typeof meta.node_id === 'string' ? meta.node_id : null,
    };
  }
  return null;
}

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

// ---- 400 validation bodies -------------------------------------------------------------------

const errorEntry = z
  .object({
    type: z.string().catch(''),
    message: z.string().catch(''),
    details: z.string().catch(''),
    extra_info: z.record(z.string(), z.unknown()).catch({}),
  })
  .loose();

const validationBody = z.object({
  error: z.union([errorEntry, z.string()]).optional(),
  node_errors: z
    .record(
      z.string(),
      z.object({ errors: z.array(errorEntry).catch([]), class_type: z.string().catch('') }).loose(),
    )
    .catch({}),
});

type ErrorEntry = z.output<typeof errorEntry>;

function show(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : (JSON.stringify(value) ?? String(value));
}

function describeNodeError(error: ErrorEntry): string {
  const input = typeof error.extra_info.input_name === 'string' ? error.extra_info.input_name : null;
  const received = error.extra_info.received_value;
  const on = input === null ? '' : ` input "${input}"`;
  switch (error.type) {
    case 'required_input_missing':
      return `is missing its required input "${input ?? error.details}"`;
    case 'value_not_in_list':
      return `has${on} set to ${show(received)}, which the server does not offer`;
    case 'value_smaller_than_min':
    case 'value_bigger_than_max': {
      const bound = /(min|max) of (\S+)/.exec(error.message);
      const limit = bound === null ? '' : ` (${bound[1] === 'min' ? 'minimum' : 'maximum'} ${bound[2]})`;
      return `has${on} set to ${show(received)}, ${error.type === 'value_smaller_than_min' ? 'below' : 'above'} the allowed range${limit}`;
    }
    case 'return_type_mismatch': {
      const types = /received_type\(([^)]*)\) mismatch input_type\(([^)]*)\)/.exec(error.details);
      const detail = types === null ? '' : ` (got ${types[1]}, needs ${types[2]})`;
      return `has${on} linked to an output of the wrong type${detail}`;
    }
    case 'custom_validation_failed':
      return `was rejected${on}: ${error.details.replace(/^\w+ - /, '')}`;
    case 'exception_during_validation':
    case 'exception_during_inner_validation':
      return `could not be checked${on} (${error.details || error.message})`;
    case 'invalid_input_type':
      return `has${on} set to ${show(received)}, which is not of the right type`;
    default:
      return `failed validation${on}: ${[error.message, error.details].filter((part) => part !== '').join(': ')}`;
  }
}

/**
 * A 400 answer of POST /prompt as one plain sentence naming the node (id, class, title) and the input, e.g.
 * `ComfyUI rejected the workflow: node 3 (KSampler "Sampler") has input "sampler_name" set to "Euler a",
 * which the server does not offer.`
 */
export function toComfyErrorMessage(body: unknown, graph?: ApiGraph): string {
  const parsed = validationBody.safeParse(body);
  if (!parsed.success) return 'ComfyUI rejected the workflow without saying why.';
  const { error, node_errors: nodeErrors } = parsed.data;
  const problems = Object.entries(nodeErrors).flatMap(([id, entry]) =>
    entry.errors.map((problem) => ({ id, classType: entry.class_type, problem })),
  );
  const first = problems[0];
  if (first !== undefined) {
    const title = graph?.[first.id]?._meta?.title;
    const name =
      title !== undefined && title !== first.classType
        ? `node ${first.id} (${first.classType} "${title}")`
        : `node ${first.id} (${first.classType})`;
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    return `ComfyUI rejected the workflow: ${name} ${describeNodeError(first.problem)}${more}.`;
  }
  if (error === undefined) return 'ComfyUI rejected the workflow without saying why.';
  if (typeof error === 'string') return `ComfyUI rejected the workflow: ${error}`;
  switch (error.type) {
    case 'invalid_prompt': {
      const missing = /node (.+) does not exist/.exec(error.message);
      const node = /#([^']+)/.exec(error.details)?.[1];
      return missing !== null
        ? `ComfyUI rejected the workflow: it uses node class "${missing[1]}"${node === undefined ? '' : ` (node ${node})`}, which the server does not have.`
        : `ComfyUI rejected the workflow: ${error.message}`;
    }
    case 'prompt_no_outputs':
      return 'ComfyUI rejected the workflow: it has no output node such as SaveImage.';
    case 'no_prompt':
      return 'ComfyUI rejected the request: it carried no workflow.';
    default:
      return `ComfyUI rejected the workflow: ${[error.message, error.details].filter((part) => part !== '').join(': ')}.`;
  }
}
