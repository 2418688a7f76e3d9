/**
 * A fake ComfyUI server (HTTP + WebSocket) on 127.0.0.1 following
 * /work/shared/reference/backends.md §4, as observed on ComfyUI 0.3.64 and 0.3.12: prompt validation
 * with ComfyUI's error shapes, a FIFO queue running one prompt at a time, a graph evaluation that gives
 * SaveImage real PNGs of the right size and batch, the WebSocket message order of each version, previews,
 * interrupt semantics, uploads, history and fault injection. Every HTTP request is recorded.
 *
 * Prompt states: pending (in `queue_pending`) → running (`queue_running`) → history (success | error);
 * `POST /queue {delete}` removes a pending one; `kill()` loses pending and running ones (a crash).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { handle, INTERNAL_ERROR, submit } from './http.js';
import { type ComfyVersion, DEFAULT_MODEL_LISTS, type ModelLists, type ObjectInfo } from './object-info.js';
import {
  type ClientSocket,
  type ComfyState,
  type FailNextOptions,
  objectInfoOf,
  type RecordedInterrupt,
  type RecordedRequest,
  type SubmittedPrompt,
  send,
  statusData,
} from './state.js';

export type { ComfyVersion, ObjectInfo } from './object-info.js';
export type { FailNextOptions, RecordedInterrupt, RecordedRequest, SubmittedPrompt } from './state.js';

export interface FakeComfyOptions {
  version?: ComfyVersion;
  /** Time of one sampling step (and one upscale tile). Default 5 ms. */
  stepMs?: number;
  checkpoints?: string[];
  loras?: string[];
  upscaleModels?: string[];
  unets?: string[];
  clips?: string[];
  vaes?: string[];
  embeddings?: string[];
  /** Started with `--preview-method latent2rgb`: one JPEG preview per sampling step. Default true. */
  previews?: boolean;
  /** Incompressible PNG pixels. Default false. */
  noise?: boolean;
}

export interface FakeComfy {
  readonly url: string;
  readonly port: number;
  readonly version: ComfyVersion;
  readonly requests: RecordedRequest[];
  readonly prompts: SubmittedPrompt[];
  readonly interrupts: RecordedInterrupt[];
  /** The `/object_info` document as it stands now (LoadImage lists the uploaded files). */
  objectInfo(): ObjectInfo;
  failNext(options: FailNextOptions): void;
  /** Closes every WebSocket; clients must reconnect. */
  dropSockets(): void;
  /** Resolves with the id of the running prompt (now, or the next one to start). */
  whenRunning(): Promise<string>;
  /** Queues a prompt as the ComfyUI web page would, under its own client id; returns its id. */
  startExternalPrompt(options?: { steps?: number; clientId?: string }): string;
  /** A crash: connections cut, queue and running prompt lost; history and files stay. */
  kill(): Promise<void>;
  /** Listens again on the same port after `kill()`. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function startFakeComfy(options: FakeComfyOptions = {}): Promise<FakeComfy> {
  const version: ComfyVersion = options.version ?? '0.3.64';
  const models: ModelLists = {
    checkpoints: options.checkpoints ?? DEFAULT_MODEL_LISTS.checkpoints,
    loras: options.loras ?? DEFAULT_MODEL_LISTS.loras,
    upscaleModels: options.upscaleModels ?? DEFAULT_MODEL_LISTS.upscaleModels,
    unets: options.unets ?? DEFAULT_MODEL_LISTS.unets,
    clips: options.clips ?? DEFAULT_MODEL_LISTS.clips,
    vaes: options.vaes ?? DEFAULT_MODEL_LISTS.vaes,
    embeddings: options.embeddings ?? DEFAULT_MODEL_LISTS.embeddings,
  };
  const state: ComfyState = {
    version,
    modern: version === '0.3.64',
    stepMs: options.stepMs ?? 5,
    previews: options.previews ?? true,
    noise: options.noise === true,
    models,
    requests: [],
    prompts: [],
    interrupts: [],
    files: new Map(),
    history: new Map(),
    sockets: new Map(),
    counters: new Map(),
    pending: [],
    running: null,
    number: 0,
    interruptFlag: false,
    generation: 0,
    lastNode: null,
    failure: null,
    cache: new Map(),
    runningWaiters: [],
  };
  const connections = new Set<Socket>();
  let port = 0;

  // ---- WebSocket -------------------------------------------------------------------------------
  const wss = new WebSocketServer({ noServer: true });

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams;
    const asked = query.get('clientId') ?? '';
    const sid = asked === '' ? randomUUID().replaceAll('-', '') : asked;
    const previous = state.sockets.get(sid);
    if (previous !== undefined && previous.ws !== ws) previous.ws.terminate();
    const client: ClientSocket = { ws, previewMetadata: false };
    state.sockets.set(sid, client);
    let first = true;
    ws.on('message', (raw, isBinary) => {
      const wasFirst = first;
      first = false;
      if (isBinary || !state.modern) return;
      try {
        const message: unknown = JSON.parse(String(raw));
        if (wasFirst && isRecord(message) && message.type === 'feature_flags' && isRecord(message.data)) {
          client.previewMetadata = message.data.supports_preview_metadata === true;
          send(state, sid, 'feature_flags', { supports_preview_metadata: true, max_upload_size: 104857600 });
        }
      } catch {
        // ComfyUI logs and ignores messages it cannot parse.
      }
    });
    ws.on('close', () => {
      if (state.sockets.get(sid) === client) state.sockets.delete(sid);
    });
    send(state, sid, 'status', { ...statusData(state), sid });
    if (state.running !== null && state.running.extraData.client_id === sid && state.lastNode !== null) {
      // As ComfyUI: only the node, no prompt id.
      send(state, sid, 'executing', { node: state.lastNode });
    }
  });

  // ---- Lifecycle ---------------------------------------------------------------------------------
  let server: Server = makeServer();

  function makeServer(): Server {
    const created = createServer((request, response) => {
      handle(state, request, response).catch(() => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(INTERNAL_ERROR);
        } else response.destroy();
      });
    });
    created.on('connection', (socket: Socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
    });
    created.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
      const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
      if (path !== '/ws' && path !== '/api/ws') {
        socket.destroy();
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    });
    return created;
  }

  async function listen(atPort: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(atPort, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    port = (server.address() as AddressInfo).port;
  }

  async function stop(): Promise<void> {
    state.generation += 1;
    state.pending = [];
    state.running = null;
    state.lastNode = null;
    for (const client of state.sockets.values()) client.ws.terminate();
    state.sockets.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of connections) socket.destroy();
    connections.clear();
    await closed;
  }

  await listen(0);

  const fake: FakeComfy = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    version,
    requests: state.requests,
    prompts: state.prompts,
    interrupts: state.interrupts,
    objectInfo: () => objectInfoOf(state),
    failNext(next) {
      state.failure = next;
    },
    dropSockets() {
      for (const client of state.sockets.values()) client.ws.close(1001, 'going away');
    },
    whenRunning() {
      if (state.running !== null) return Promise.resolve(state.running.promptId);
      return new Promise((resolve) => state.runningWaiters.push(resolve));
    },
    startExternalPrompt(external = {}) {
      const graph = {
        '3': {
          class_type: 'KSampler',
          inputs: {
            seed: 7,
            steps: external.steps ?? 5,
            cfg: 7,
            sampler_name: 'euler',
            scheduler: 'normal',
            denoise: 1,
            model: ['4', 0],
            positive: ['6', 0],
            negative: ['7', 0],
            latent_image: ['5', 0],
          },
        },
        '4': { class_type: 'CheckpointLoaderSimple', inputs: { ckpt_name: models.checkpoints[0] ?? '' } },
        '5': { class_type: 'EmptyLatentImage', inputs: { width: 64, height: 64, batch_size: 1 } },
        '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a page prompt', clip: ['4', 1] } },
        '7': { class_type: 'CLIPTextEncode', inputs: { text: '', clip: ['4', 1] } },
        '8': { class_type: 'VAEDecode', inputs: { samples: ['3', 0], vae: ['4', 2] } },
        '9': { class_type: 'SaveImage', inputs: { filename_prefix: 'ComfyUI', images: ['8', 0] } },
      };
      const id = submit(state, { prompt: graph, client_id: external.clientId ?? 'comfyui-web-page' }, null);
      if (id === null) throw new Error('the external prompt did not validate (no checkpoint configured?)');
      return id;
    },
    async kill() {
      await stop();
      state.cache = new Map();
    },
    async restart() {
      server = makeServer();
      state.number = 0;
      await listen(port);
    },
    async close() {
      await stop();
      wss.close();
    },
  };
  return fake;
}
