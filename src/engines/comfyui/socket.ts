/**
 * The one WebSocket (`/ws?clientId=`) the bot keeps open to a ComfyUI server. ComfyUI sends a client's
 * messages only to the socket of its `client_id`, so every prompt the bot queues names this id; the
 * socket dispatches each message to the run of its prompt id (messages without one go to every run,
 * whose reducer ignores what is not its own).
 *
 *   connecting ──open──▶ open ──close/error──▶ waiting ──backoff──▶ connecting
 *   any ──close()──▶ closed (final)
 */
import WebSocket from 'ws';
import type { Logger } from '../../log.js';
import {
  type ComfyPreviewFrame,
  type ComfyWsMessage,
  parseComfyFrame,
  parseComfyMessage,
} from './messages.js';

export type ComfySocketEvent = ComfyWsMessage | ComfyPreviewFrame;

export interface ComfySocketListener {
  onMessage(event: ComfySocketEvent): void;
  /** The socket came back after being down: messages may have been missed. */
  onReconnect?(): void;
}

export interface ComfySocket {
  readonly clientId: string;
  /** Whether the socket is open now. */
  connected(): boolean;
  /** Receives the messages of `promptId` (and those naming no prompt) until the returned function is called. */
  subscribe(promptId: string, listener: ComfySocketListener): () => void;
  close(): void;
}

export interface ComfySocketOptions {
  url: string;
  clientId: string;
  authorization: string | null;
  log?: Pick<Logger, 'debug' | 'warn'> | undefined;
  /** First reconnect delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const promptOf = (event: ComfySocketEvent): string | null => {
  if (event.type === 'preview') return event.promptId;
  if (event.type === 'status') return null;
  const data: { prompt_id?: string | null | undefined } = event.data;
  return typeof data.prompt_id === 'string' ? data.prompt_id : null;
};

const UNCLAIMED_LIMIT = 256;

// One closure on purpose: the connection, its listeners and the reconnect backoff are one state machine.
export function createComfySocket(options: ComfySocketOptions): ComfySocket {
  const listeners = new Map<string, Set<ComfySocketListener>>();
  const firstBackoff = options.backoffMs ?? 250;
  const maxBackoff = options.maxBackoffMs ?? 5_000;
  let backoff = firstBackoff;
  let ws: WebSocket | null = null;
  let open = false;
  let closed = false;
  let everOpened = false;
  let timer: NodeJS.Timeout | undefined;

  /** Messages for prompts nobody follows yet (a legacy server names the prompt only in its answer). */
  const unclaimed: { promptId: string; event: ComfySocketEvent }[] = [];

  const dispatch = (promptId: string | null, event: ComfySocketEvent) => {
    if (promptId === null) {
      for (const set of listeners.values()) for (const listener of set) listener.onMessage(event);
      return;
    }
    const set = listeners.get(promptId);
    if (set === undefined) {
      unclaimed.push({ promptId, event });
      if (unclaimed.length > UNCLAIMED_LIMIT) unclaimed.shift();
      return;
    }
    for (const listener of set) listener.onMessage(event);
  };

  const connect = () => {
    if (closed) return;
    const url = `${options.url}?clientId=${encodeURIComponent(options.clientId)}`;
    const socket = new WebSocket(url, {
      headers: options.authorization === null ? {} : { authorization: options.authorization },
      handshakeTimeout: 10_000,
    });
    ws = socket;
    socket.on('open', () => {
      open = true;
      backoff = firstBackoff;
      // Asks for type-4 preview frames that name their prompt (0.3.64; older servers ignore it).
      socket.send(JSON.stringify({ type: 'feature_flags', data: { supports_preview_metadata: true } }));
      if (everOpened) {
        options.log?.debug({ backend: options.url }, 'ComfyUI WebSocket is back');
        for (const set of listeners.values()) for (const listener of set) listener.onReconnect?.();
      }
      everOpened = true;
    });
    socket.on('message', (raw: WebSocket.RawData, isBinary: boolean) => {
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
      const event: ComfySocketEvent | null = isBinary
        ? parseComfyFrame(bytes)
        : parseComfyMessage(bytes.toString('utf8'));
      if (event === null) return;
      dispatch(promptOf(event), event);
    });
    socket.on('error', () => {
      // 'close' follows; the reconnect is scheduled there.
    });
    socket.on('close', () => {
      if (ws === socket) {
        ws = null;
        open = false;
      }
      if (closed) return;
      timer = setTimeout(connect, backoff);
      timer.unref();
      backoff = Math.min(maxBackoff, backoff * 2);
    });
  };
  connect();

  return {
    clientId: options.clientId,
    connected: () => open,
    subscribe(promptId, listener) {
      let set = listeners.get(promptId);
      if (set === undefined) {
        set = new Set();
        listeners.set(promptId, set);
      }
      set.add(listener);
      for (let index = 0; index < unclaimed.length; ) {
        const entry = unclaimed[index];
        if (entry?.promptId === promptId) {
          unclaimed.splice(index, 1);
          listener.onMessage(entry.event);
        } else index += 1;
      }
      return () => {
        const current = listeners.get(promptId);
        current?.delete(listener);
        if (current?.size === 0) listeners.delete(promptId);
      };
    },
    close() {
      closed = true;
      if (timer !== undefined) clearTimeout(timer);
      listeners.clear();
      ws?.terminate();
      ws = null;
      open = false;
    },
  };
}
