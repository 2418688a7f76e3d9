/**
 * The fake ComfyUI's state, shared by its HTTP routes, its executor and its WebSocket clients, and the
 * helpers that send WebSocket messages.
 */
import { WebSocket } from 'ws';
import type { NodeResult, SavedImage } from './nodes.js';
import { buildObjectInfo, type ComfyVersion, type ModelLists, type ObjectInfo } from './object-info.js';
import type { ApiPrompt } from './validation.js';

export interface RecordedRequest {
  method: string;
  /** Without the `/api` prefix. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, a multipart summary `{fields, files}`, raw text, or undefined. */
  body: unknown;
  at: number;
}

export interface SubmittedPrompt {
  promptId: string;
  clientId: string | null;
  number: number;
  graph: unknown;
  extraData: Record<string, unknown>;
  accepted: boolean;
  at: number;
  /**
   * When its run ended with `execution_success`, on the fake Discord's clock
   * (`performance.timeOrigin + performance.now()`): the wire's `timestamp` is `Date.now()`, as
   * ComfyUI's, and the two clocks can drift apart while the bench runs.
   */
  succeededAt?: number;
}

export interface RecordedInterrupt {
  /** The `prompt_id` of the request body (0.3.64), if any. */
  promptId: string | null;
  runningPromptId: string | null;
  interrupted: boolean;
  at: number;
}

export interface FailNextOptions {
  /** The class of the node that fails; default KSampler. */
  nodeClass?: string;
  message: string;
  exceptionType?: string;
}

export interface QueueItem {
  number: number;
  promptId: string;
  prompt: ApiPrompt;
  extraData: Record<string, unknown>;
  outputs: string[];
}

export interface HistoryEntry {
  prompt: [number, string, ApiPrompt, Record<string, unknown>, string[]];
  outputs: Record<string, { images: SavedImage[] }>;
  status: {
    status_str: 'success' | 'error';
    completed: boolean;
    messages: [string, Record<string, unknown>][];
  };
  meta?: Record<string, Record<string, unknown>>;
}

export interface ClientSocket {
  ws: WebSocket;
  previewMetadata: boolean;
}

export interface ComfyState {
  readonly version: ComfyVersion;
  /** 0.3.64 behaviour (client prompt ids, progress_state, prompt-scoped interrupt, /models, /features). */
  readonly modern: boolean;
  readonly stepMs: number;
  readonly previews: boolean;
  readonly noise: boolean;
  readonly models: ModelLists;
  readonly requests: RecordedRequest[];
  readonly prompts: SubmittedPrompt[];
  readonly interrupts: RecordedInterrupt[];
  /** `type/subfolder/name` → bytes, for input, output and temp files. */
  readonly files: Map<string, Buffer>;
  readonly history: Map<string, HistoryEntry>;
  readonly sockets: Map<string, ClientSocket>;
  /** SaveImage counters per `type/subfolder/prefix`. */
  readonly counters: Map<string, number>;
  pending: QueueItem[];
  running: QueueItem | null;
  number: number;
  interruptFlag: boolean;
  /** Bumped by kill/close: an execution of an older generation stops silently. */
  generation: number;
  lastNode: string | null;
  failure: FailNextOptions | null;
  /** Node outputs by input signature, from the last prompt. */
  cache: Map<string, NodeResult>;
  runningWaiters: ((promptId: string) => void)[];
}

export function fileKey(type: string, subfolder: string, name: string): string {
  return `${type}/${subfolder === '' ? '' : `${subfolder}/`}${name}`;
}

/** `name`, `sub/name` or `name [input]` → the stored file (input by default). */
export function inputFile(state: ComfyState, annotated: string): Buffer | undefined {
  const match = /^(.*) \[(input|output|temp)\]$/.exec(annotated);
  const name = match?.[1] ?? annotated;
  const type = match?.[2] ?? 'input';
  if (name.startsWith('/') || name.includes('..')) return undefined;
  return state.files.get(`${type}/${name}`);
}

/** The `/object_info` document now: LoadImage lists the top-level input files. */
export function objectInfoOf(state: ComfyState): ObjectInfo {
  const images = [...state.files.keys()]
    .filter((key) => key.startsWith('input/') && !key.slice(6).includes('/'))
    .map((key) => key.slice(6));
  return buildObjectInfo(state.version, state.models, images);
}

export const queueRemaining = (state: ComfyState): number =>
  state.pending.length + (state.running === null ? 0 : 1);

export const statusData = (state: ComfyState): Record<string, unknown> => ({
  status: { exec_info: { queue_remaining: queueRemaining(state) } },
});

/** A JSON message to one client, or to every client when `clientId` is null (as ComfyUI broadcasts). */
export function send(
  state: ComfyState,
  clientId: string | null,
  type: string,
  data: Record<string, unknown>,
): void {
  const text = JSON.stringify({ type, data });
  if (clientId === null) {
    for (const client of state.sockets.values()) {
      if (client.ws.readyState === WebSocket.OPEN) client.ws.send(text);
    }
    return;
  }
  const client = state.sockets.get(clientId);
  if (client !== undefined && client.ws.readyState === WebSocket.OPEN) client.ws.send(text);
}

/** A binary frame built for one client (it depends on the client's feature flags). */
export function sendBinary(
  state: ComfyState,
  clientId: string | null,
  frame: (client: ClientSocket) => Buffer | null,
): void {
  if (clientId === null) return;
  const client = state.sockets.get(clientId);
  if (client === undefined || client.ws.readyState !== WebSocket.OPEN) return;
  const bytes = frame(client);
  if (bytes !== null) client.ws.send(bytes);
}

export const broadcastStatus = (state: ComfyState): void => send(state, null, 'status', statusData(state));
