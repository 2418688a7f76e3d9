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
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { renderPng } from '../webui/png.js';
import { previewFrame, previewFrameWithMetadata, previewJpeg } from './frames.js';
import {
  imageSizeOf,
  NodeExecutionError,
  type NodeResult,
  type NodeValue,
  runNode,
  type SavedImage,
} from './nodes.js';
import {
  buildObjectInfo,
  type ComfyVersion,
  DEFAULT_MODEL_LISTS,
  type ModelLists,
  type ObjectInfo,
  SAMPLER_CLASSES,
} from './object-info.js';
import { type ApiPrompt, inputValue, validatePrompt } from './validation.js';

export type { ComfyVersion, ObjectInfo } from './object-info.js';

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

interface QueueItem {
  number: number;
  promptId: string;
  prompt: ApiPrompt;
  extraData: Record<string, unknown>;
  outputs: string[];
}

interface HistoryEntry {
  prompt: [number, string, ApiPrompt, Record<string, unknown>, string[]];
  outputs: Record<string, { images: SavedImage[] }>;
  status: {
    status_str: 'success' | 'error';
    completed: boolean;
    messages: [string, Record<string, unknown>][];
  };
  meta?: Record<string, Record<string, unknown>>;
}

interface ClientSocket {
  ws: WebSocket;
  previewMetadata: boolean;
}

class Interrupted extends Error {}
class Killed extends Error {}

const INTERNAL_ERROR = '500 Internal Server Error\n\nServer got itself in trouble';

const FOLDERS = [
  'checkpoints',
  'configs',
  'loras',
  'vae',
  'text_encoders',
  'diffusion_models',
  'clip_vision',
  'style_models',
  'embeddings',
  'diffusers',
  'vae_approx',
  'controlnet',
  'gligen',
  'upscale_models',
  'custom_nodes',
  'hypernetworks',
  'photomaker',
  'classifiers',
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function fileKey(type: string, subfolder: string, name: string): string {
  return `${type}/${subfolder === '' ? '' : `${subfolder}/`}${name}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function startFakeComfy(options: FakeComfyOptions = {}): Promise<FakeComfy> {
  const version: ComfyVersion = options.version ?? '0.3.64';
  const stepMs = options.stepMs ?? 5;
  const previews = options.previews ?? true;
  const models: ModelLists = {
    checkpoints: options.checkpoints ?? DEFAULT_MODEL_LISTS.checkpoints,
    loras: options.loras ?? DEFAULT_MODEL_LISTS.loras,
    upscaleModels: options.upscaleModels ?? DEFAULT_MODEL_LISTS.upscaleModels,
    unets: options.unets ?? DEFAULT_MODEL_LISTS.unets,
    clips: options.clips ?? DEFAULT_MODEL_LISTS.clips,
    vaes: options.vaes ?? DEFAULT_MODEL_LISTS.vaes,
    embeddings: options.embeddings ?? DEFAULT_MODEL_LISTS.embeddings,
  };
  const modern = version === '0.3.64';

  const requests: RecordedRequest[] = [];
  const prompts: SubmittedPrompt[] = [];
  const interrupts: RecordedInterrupt[] = [];
  const files = new Map<string, Buffer>();
  const history = new Map<string, HistoryEntry>();
  const sockets = new Map<string, ClientSocket>();
  const connections = new Set<Socket>();
  let pending: QueueItem[] = [];
  let running: QueueItem | null = null;
  let number = 0;
  let interruptFlag = false;
  let generation = 0;
  let lastNode: string | null = null;
  let failure: FailNextOptions | null = null;
  let cache = new Map<string, NodeResult>();
  let runningWaiters: ((id: string) => void)[] = [];
  let port = 0;

  const inputImages = (): string[] =>
    [...files.keys()]
      .filter((key) => key.startsWith('input/') && !key.slice(6).includes('/'))
      .map((key) => key.slice(6));
  const objectInfo = (): ObjectInfo => buildObjectInfo(version, models, inputImages());

  /** `name`, `sub/name` or `name [input]` → the stored input file. */
  function inputFile(annotated: string): Buffer | undefined {
    const match = /^(.*) \[(input|output|temp)\]$/.exec(annotated);
    const name = match?.[1] ?? annotated;
    const type = match?.[2] ?? 'input';
    if (name.startsWith('/') || name.includes('..')) return undefined;
    return files.get(`${type}/${name}`);
  }

  // ---- WebSocket -------------------------------------------------------------------------------
  const wss = new WebSocketServer({ noServer: true });

  function send(clientId: string | null, type: string, data: Record<string, unknown>): void {
    const text = JSON.stringify({ type, data });
    if (clientId === null) {
      for (const client of sockets.values()) {
        if (client.ws.readyState === WebSocket.OPEN) client.ws.send(text);
      }
      return;
    }
    const client = sockets.get(clientId);
    if (client !== undefined && client.ws.readyState === WebSocket.OPEN) client.ws.send(text);
  }

  function sendBinary(clientId: string | null, frame: (client: ClientSocket) => Buffer | null): void {
    if (clientId === null) return;
    const client = sockets.get(clientId);
    if (client === undefined || client.ws.readyState !== WebSocket.OPEN) return;
    const bytes = frame(client);
    if (bytes !== null) client.ws.send(bytes);
  }

  const queueRemaining = (): number => pending.length + (running === null ? 0 : 1);
  const statusData = (): Record<string, unknown> => ({
    status: { exec_info: { queue_remaining: queueRemaining() } },
  });
  const broadcastStatus = (): void => send(null, 'status', statusData());

  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    const query = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams;
    const asked = query.get('clientId') ?? '';
    const sid = asked === '' ? randomUUID().replaceAll('-', '') : asked;
    const previous = sockets.get(sid);
    if (previous !== undefined && previous.ws !== ws) previous.ws.terminate();
    const client: ClientSocket = { ws, previewMetadata: false };
    sockets.set(sid, client);
    let first = true;
    ws.on('message', (raw, isBinary) => {
      const wasFirst = first;
      first = false;
      if (isBinary || !modern) return;
      try {
        const message: unknown = JSON.parse(String(raw));
        if (wasFirst && isRecord(message) && message.type === 'feature_flags' && isRecord(message.data)) {
          client.previewMetadata = message.data.supports_preview_metadata === true;
          send(sid, 'feature_flags', { supports_preview_metadata: true, max_upload_size: 104857600 });
        }
      } catch {
        // ComfyUI logs and ignores messages it cannot parse.
      }
    });
    ws.on('close', () => {
      if (sockets.get(sid) === client) sockets.delete(sid);
    });
    send(sid, 'status', { ...statusData(), sid });
    if (running !== null && running.extraData.client_id === sid && lastNode !== null) {
      // As ComfyUI: only the node, no prompt id.
      send(sid, 'executing', { node: lastNode });
    }
  });

  // ---- Queue and execution ---------------------------------------------------------------------
  function enqueue(item: QueueItem): void {
    pending.push(item);
    broadcastStatus();
    setImmediate(pump);
  }

  function pump(): void {
    if (running !== null || pending.length === 0) return;
    pending.sort((a, b) => a.number - b.number);
    const item = pending.shift();
    if (item === undefined) return;
    running = item;
    const myGeneration = generation;
    execute(item, myGeneration)
      .catch((error: unknown) => {
        if (!(error instanceof Killed)) throw error;
      })
      .finally(() => {
        if (myGeneration === generation) {
          running = null;
          lastNode = null;
          setImmediate(pump);
        }
      });
  }

  function executionOrder(prompt: ApiPrompt, outputs: string[]): string[] {
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (id: string): void => {
      if (seen.has(id)) return;
      seen.add(id);
      const node = prompt[id];
      if (node === undefined) return;
      for (const value of Object.values(node.inputs)) {
        if (Array.isArray(value) && value.length === 2) visit(String(value[0]));
      }
      order.push(id);
    };
    for (const output of outputs) visit(output);
    return order;
  }

  function signatures(prompt: ApiPrompt, order: string[]): Map<string, string> {
    const result = new Map<string, string>();
    for (const id of order) {
      const node = prompt[id];
      if (node === undefined) continue;
      const inputs: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(node.inputs)) {
        inputs[name] =
          Array.isArray(value) && value.length === 2 ? [result.get(String(value[0])), value[1]] : value;
      }
      if (node.class_type === 'LoadImage') {
        const bytes = inputFile(String(node.inputs.image));
        inputs.__file = bytes === undefined ? null : bytes.toString('base64').slice(-64) + bytes.length;
      }
      result.set(id, JSON.stringify([node.class_type, inputs]));
    }
    return result;
  }

  const counters = new Map<string, number>();
  function saveImages(
    images: Extract<NodeValue, { kind: 'IMAGE' }>,
    prefix: string,
    type: 'output' | 'temp',
    prompt: ApiPrompt,
  ): SavedImage[] {
    const slash = prefix.lastIndexOf('/');
    const subfolder = slash < 0 ? '' : prefix.slice(0, slash);
    const base = slash < 0 ? prefix : prefix.slice(slash + 1);
    const counterKey = `${type}/${subfolder}/${base}`;
    const saved: SavedImage[] = [];
    for (const key of images.keys) {
      const counter = (counters.get(counterKey) ?? 0) + 1;
      counters.set(counterKey, counter);
      const filename = `${base}_${String(counter).padStart(5, '0')}_.png`;
      const png = renderPng({
        width: images.width,
        height: images.height,
        seed: key,
        noise: options.noise === true,
        text: { prompt: JSON.stringify(prompt) },
      });
      files.set(fileKey(type, subfolder, filename), png);
      saved.push({ filename, subfolder, type });
    }
    return saved;
  }

  async function execute(item: QueueItem, myGeneration: number): Promise<void> {
    const alive = (): void => {
      if (myGeneration !== generation) throw new Killed();
    };
    const clientId = typeof item.extraData.client_id === 'string' ? item.extraData.client_id : null;
    const promptId = item.promptId;
    const messages: [string, Record<string, unknown>][] = [];
    const note = (type: string, data: Record<string, unknown>): void => {
      messages.push([type, data]);
      send(clientId, type, data);
    };
    interruptFlag = false;
    broadcastStatus();
    for (const waiter of runningWaiters) waiter(promptId);
    runningWaiters = [];
    note('execution_start', { prompt_id: promptId, timestamp: Date.now() });

    const order = executionOrder(item.prompt, item.outputs);
    const keys = signatures(item.prompt, order);
    const cached = order.filter((id) => cache.has(keys.get(id) ?? ''));
    note('execution_cached', { nodes: cached, prompt_id: promptId, timestamp: Date.now() });

    const values = new Map<string, NodeValue[]>();
    const outputs: HistoryEntry['outputs'] = {};
    const meta: NonNullable<HistoryEntry['meta']> = {};
    const nextCache = new Map<string, NodeResult>();
    const progressNodes: Record<string, Record<string, unknown>> = {};
    const progressState = (id: string, value: number, max: number, state: string): void => {
      if (!modern) return;
      progressNodes[id] = {
        value,
        max,
        state,
        node_id: id,
        prompt_id: promptId,
        display_node_id: id,
        parent_node_id: null,
        real_node_id: id,
      };
      send(clientId, 'progress_state', { prompt_id: promptId, nodes: { ...progressNodes } });
    };
    const info = objectInfo();
    let outcome: 'success' | 'error' = 'success';

    for (const id of order) {
      const node = item.prompt[id];
      if (node === undefined) continue;
      const key = keys.get(id) ?? '';
      const hit = cache.get(key);
      const record = (result: NodeResult): void => {
        values.set(id, result.outputs);
        nextCache.set(key, result);
        if (result.ui !== undefined) {
          outputs[id] = result.ui;
          meta[id] = { node_id: id, display_node: id, parent_node: null, real_node_id: id };
          send(clientId, 'executed', { node: id, display_node: id, output: result.ui, prompt_id: promptId });
        }
      };
      if (hit !== undefined) {
        record(hit);
        continue;
      }
      const inputs: Record<string, unknown> = {};
      const spec = info[node.class_type]?.input;
      for (const [name, value] of Object.entries(node.inputs)) {
        inputs[name] =
          Array.isArray(value) && value.length === 2
            ? values.get(String(value[0]))?.[Number(value[1])]
            : inputValue(spec?.required[name] ?? spec?.optional?.[name], value);
      }
      lastNode = id;
      send(clientId, 'executing', { node: id, display_node: id, prompt_id: promptId });
      progressState(id, 0, 1, 'running');
      try {
        if (interruptFlag) throw new Interrupted();
        const fail = failure;
        if (fail !== null && node.class_type === (fail.nodeClass ?? 'KSampler')) {
          failure = null;
          throw new NodeExecutionError(fail.message, fail.exceptionType ?? 'RuntimeError');
        }
        const result = await runNode(node.class_type, inputs, {
          nodeId: id,
          inputFile,
          imageSize: imageSizeOf,
          save: (images, prefix, type) => saveImages(images, prefix, type, item.prompt),
          step: async (value, max, preview) => {
            await sleep(stepMs);
            alive();
            if (interruptFlag) throw new Interrupted();
            const jpeg =
              previews && preview !== null && SAMPLER_CLASSES.has(node.class_type)
                ? await previewJpeg(preview.width, preview.height, value)
                : null;
            alive();
            const progress = { value, max, prompt_id: promptId, node: id };
            const frame = (client: ClientSocket): Buffer | null => {
              if (jpeg === null) return null;
              if (modern && client.previewMetadata) {
                return previewFrameWithMetadata(jpeg, {
                  node_id: id,
                  prompt_id: promptId,
                  display_node_id: id,
                  parent_node_id: null,
                  real_node_id: id,
                  image_type: 'image/jpeg',
                });
              }
              return previewFrame(jpeg);
            };
            if (modern) {
              progressState(id, value, max, 'running');
              sendBinary(clientId, frame);
              send(clientId, 'progress', progress);
            } else {
              send(clientId, 'progress', progress);
              sendBinary(clientId, frame);
            }
          },
        });
        alive();
        record(result);
        progressState(id, 1, 1, 'finished');
      } catch (error: unknown) {
        alive();
        if (error instanceof Killed) throw error;
        outcome = 'error';
        const executed = [...values.keys()].filter((done) => !cached.includes(done));
        if (error instanceof Interrupted) {
          note('execution_interrupted', {
            prompt_id: promptId,
            node_id: id,
            node_type: node.class_type,
            executed,
            timestamp: Date.now(),
          });
        } else {
          const message = error instanceof Error ? error.message : String(error);
          const type = error instanceof NodeExecutionError ? error.exceptionType : 'Exception';
          progressState(id, 0, 1, 'error');
          note('execution_error', {
            prompt_id: promptId,
            node_id: id,
            node_type: node.class_type,
            executed,
            exception_message: message,
            exception_type: type,
            traceback: [
              '  File "/ComfyUI/execution.py", line 496, in execute\n',
              `    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(...)\n`,
            ],
            current_inputs: {},
            current_outputs: {},
            timestamp: Date.now(),
          });
        }
        break;
      }
    }
    for (const [key, result] of cache) {
      if (!nextCache.has(key) && [...keys.values()].includes(key)) nextCache.set(key, result);
    }
    cache = nextCache;
    if (outcome === 'success') note('execution_success', { prompt_id: promptId, timestamp: Date.now() });
    const entry: HistoryEntry = {
      prompt: [item.number, promptId, item.prompt, item.extraData, item.outputs],
      outputs,
      status: { status_str: outcome, completed: outcome === 'success', messages },
    };
    if (modern) entry.meta = meta;
    history.set(promptId, entry);
    running = null;
    lastNode = null;
    broadcastStatus();
    send(clientId, 'executing', { node: null, prompt_id: promptId });
  }

  // ---- HTTP --------------------------------------------------------------------------------------
  async function readBody(request: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of request)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    return Buffer.concat(chunks);
  }

  function reply(response: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(text);
  }

  function replyText(response: ServerResponse, status: number, text: string): void {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    response.end(text);
  }

  const notFound = (response: ServerResponse): void => replyText(response, 404, '404: Not Found');

  /** JSON of a body, `{}` when empty, `undefined` when malformed. */
  function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
    try {
      return { ok: true, value: JSON.parse(raw.toString('utf8')) };
    } catch {
      return { ok: false };
    }
  }

  function submit(body: Record<string, unknown>, response: ServerResponse | null): string | null {
    let itemNumber: number;
    if (typeof body.number === 'number') {
      itemNumber = body.number;
    } else {
      itemNumber = body.front === true ? -number : number;
      number += 1;
    }
    const clientId = typeof body.client_id === 'string' ? body.client_id : null;
    const extraData: Record<string, unknown> = isRecord(body.extra_data) ? { ...body.extra_data } : {};
    if (clientId !== null) extraData.client_id = clientId;
    if (modern) extraData.create_time = Date.now();
    if (!('prompt' in body)) {
      if (response !== null) {
        const error = {
          type: 'no_prompt',
          message: 'No prompt provided',
          details: 'No prompt provided',
          extra_info: {},
        };
        reply(response, 400, { error, node_errors: {} });
      }
      return null;
    }
    const promptId =
      modern && body.prompt_id !== undefined && body.prompt_id !== null
        ? String(body.prompt_id)
        : randomUUID();
    const validation = validatePrompt(body.prompt, {
      objectInfo: objectInfo(),
      inputImageExists: (name) => inputFile(name) !== undefined,
    });
    prompts.push({
      promptId,
      clientId,
      number: itemNumber,
      graph: body.prompt,
      extraData,
      accepted: validation.ok,
      at: Date.now(),
    });
    if (!validation.ok) {
      if (response !== null)
        reply(response, 400, { error: validation.error, node_errors: validation.nodeErrors });
      return null;
    }
    enqueue({
      number: itemNumber,
      promptId,
      prompt: validation.prompt,
      extraData,
      outputs: validation.outputs,
    });
    if (response !== null) {
      reply(response, 200, { prompt_id: promptId, number: itemNumber, node_errors: validation.nodeErrors });
    }
    return promptId;
  }

  const queueTuple = (item: QueueItem): unknown[] => [
    item.number,
    item.promptId,
    item.prompt,
    item.extraData,
    item.outputs,
  ];

  async function upload(request: IncomingMessage, raw: Buffer, response: ServerResponse): Promise<unknown> {
    let form: FormData;
    try {
      form = await new Request('http://127.0.0.1/upload', {
        method: 'POST',
        headers: { 'content-type': request.headers['content-type'] ?? '' },
        body: raw,
      }).formData();
    } catch {
      replyText(response, 500, INTERNAL_ERROR);
      return undefined;
    }
    const fields: Record<string, string> = {};
    const summary: { field: string; filename: string; size: number }[] = [];
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') fields[field] = value;
      else summary.push({ field, filename: value.name, size: value.size });
    }
    const image = form.get('image');
    const recorded = { fields, files: summary };
    if (image === null || typeof image === 'string' || image.name === '') {
      response.writeHead(400).end();
      return recorded;
    }
    const type = fields.type === 'temp' || fields.type === 'output' ? fields.type : 'input';
    const subfolder = fields.subfolder ?? '';
    if (
      subfolder.startsWith('/') ||
      subfolder.includes('..') ||
      image.name.includes('/') ||
      image.name.includes('..')
    ) {
      response.writeHead(400).end();
      return recorded;
    }
    const bytes = Buffer.from(await image.arrayBuffer());
    const dot = image.name.lastIndexOf('.');
    const stem = dot <= 0 ? image.name : image.name.slice(0, dot);
    const ext = dot <= 0 ? '' : image.name.slice(dot);
    let name = image.name;
    let duplicate = false;
    const overwrite = fields.overwrite === 'true' || fields.overwrite === '1';
    if (!overwrite) {
      for (let i = 1; files.has(fileKey(type, subfolder, name)); i += 1) {
        if (files.get(fileKey(type, subfolder, name))?.equals(bytes) === true) {
          duplicate = true;
          break;
        }
        name = `${stem} (${i})${ext}`;
      }
    }
    if (!duplicate) files.set(fileKey(type, subfolder, name), bytes);
    reply(response, 200, { name, subfolder, type });
    return recorded;
  }

  function view(query: URLSearchParams, response: ServerResponse): void {
    const asked = query.get('filename');
    if (asked === null || asked === '') {
      notFound(response);
      return;
    }
    const match = /^(.*) \[(input|output|temp)\]$/.exec(asked);
    const filename = match?.[1] ?? asked;
    if (filename.startsWith('/') || filename.includes('..')) {
      response.writeHead(400).end();
      return;
    }
    const type = match?.[2] ?? query.get('type') ?? 'output';
    if (!['input', 'output', 'temp'].includes(type)) {
      response.writeHead(400).end();
      return;
    }
    const subfolder = query.get('subfolder') ?? '';
    if (subfolder.startsWith('/') || subfolder.includes('..')) {
      response.writeHead(403).end();
      return;
    }
    const base = filename.slice(filename.lastIndexOf('/') + 1);
    const bytes = files.get(fileKey(type, subfolder, base));
    if (bytes === undefined) {
      notFound(response);
      return;
    }
    const lower = base.toLowerCase();
    const contentType = lower.endsWith('.png')
      ? 'image/png'
      : lower.endsWith('.webp')
        ? 'image/webp'
        : lower.endsWith('.jpg') || lower.endsWith('.jpeg')
          ? 'image/jpeg'
          : 'application/octet-stream';
    response.writeHead(200, {
      'content-type': contentType,
      'content-length': bytes.length,
      'content-disposition': `filename="${base}"`,
    });
    response.end(bytes);
  }

  function modelFolder(folder: string): string[] | null {
    switch (folder) {
      case 'checkpoints':
        return models.checkpoints;
      case 'loras':
        return models.loras;
      case 'vae':
        return models.vaes;
      case 'text_encoders':
        return models.clips;
      case 'diffusion_models':
        return models.unets;
      case 'upscale_models':
        return models.upscaleModels;
      case 'embeddings':
        return models.embeddings.map((name) => `${name}.safetensors`);
      default:
        return FOLDERS.includes(folder) ? [] : null;
    }
  }

  function systemStats(): unknown {
    return {
      system: {
        os: 'posix',
        ram_total: 33_554_432_000,
        ram_free: 20_132_659_200,
        comfyui_version: version,
        ...(modern ? { required_frontend_version: '1.27.10', installed_templates_version: '0.1.94' } : {}),
        python_version: modern
          ? '3.12.3 (main, Aug 14 2025, 17:47:21) [GCC 13.3.0]'
          : '3.11.9 (main) [GCC 12.2.0]',
        pytorch_version: modern ? '2.8.0+cpu' : '2.5.1+cpu',
        embedded_python: false,
        argv: [
          'main.py',
          '--cpu',
          '--listen',
          '127.0.0.1',
          ...(previews ? ['--preview-method', 'latent2rgb'] : []),
        ],
      },
      devices: [
        {
          name: 'cpu',
          type: 'cpu',
          index: null,
          vram_total: 33_554_432_000,
          vram_free: 20_132_659_200,
          torch_vram_total: 33_554_432_000,
          torch_vram_free: 20_132_659_200,
        },
      ],
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const query = Object.fromEntries(url.searchParams);
    const entry: RecordedRequest = { method, path, query, body: undefined, at: Date.now() };
    requests.push(entry);
    const isJson = !(request.headers['content-type'] ?? '').startsWith('multipart/');
    const json = raw.length === 0 ? ({ ok: true, value: undefined } as const) : parseJson(raw);
    if (isJson) entry.body = json.ok ? json.value : raw.toString('utf8');

    if (method === 'POST' && isJson && !json.ok && path !== '/upload/image') {
      replyText(response, 500, INTERNAL_ERROR);
      return;
    }
    const body = json.ok && isRecord(json.value) ? json.value : {};

    if (method === 'GET' && path === '/prompt') {
      reply(response, 200, { exec_info: { queue_remaining: queueRemaining() } });
    } else if (method === 'POST' && path === '/prompt') {
      if (json.ok && json.value !== undefined && !isRecord(json.value)) {
        replyText(response, 500, INTERNAL_ERROR);
        return;
      }
      submit(body, response);
    } else if (method === 'GET' && path === '/queue') {
      const sorted = [...pending].sort((a, b) => a.number - b.number);
      reply(response, 200, {
        queue_running: running === null ? [] : [queueTuple(running)],
        queue_pending: sorted.map(queueTuple),
      });
    } else if (method === 'POST' && path === '/queue') {
      if (body.clear === true) pending = [];
      if (Array.isArray(body.delete)) {
        const ids = new Set(body.delete.map(String));
        pending = pending.filter((item) => !ids.has(item.promptId));
      }
      broadcastStatus();
      response.writeHead(200).end();
    } else if (method === 'POST' && path === '/interrupt') {
      const asked = modern && typeof body.prompt_id === 'string' ? body.prompt_id : null;
      const runningId = running?.promptId ?? null;
      const interrupted = asked === null ? true : asked === runningId;
      if (interrupted) interruptFlag = true;
      interrupts.push({ promptId: asked, runningPromptId: runningId, interrupted, at: Date.now() });
      response.writeHead(200).end();
    } else if (method === 'GET' && path === '/history') {
      const all = [...history.entries()];
      const maxItems = url.searchParams.has('max_items') ? Number(url.searchParams.get('max_items')) : null;
      const slice = maxItems === null ? all : all.slice(Math.max(0, all.length - maxItems));
      reply(response, 200, Object.fromEntries(slice));
    } else if (method === 'GET' && path.startsWith('/history/')) {
      const id = decodeURIComponent(path.slice('/history/'.length));
      const found = history.get(id);
      reply(response, 200, found === undefined ? {} : { [id]: found });
    } else if (method === 'POST' && path === '/history') {
      if (body.clear === true) history.clear();
      if (Array.isArray(body.delete)) for (const id of body.delete) history.delete(String(id));
      response.writeHead(200).end();
    } else if (method === 'GET' && path === '/view') {
      view(url.searchParams, response);
    } else if (method === 'POST' && path === '/upload/image') {
      entry.body = await upload(request, raw, response);
    } else if (method === 'GET' && path === '/object_info') {
      reply(response, 200, objectInfo());
    } else if (method === 'GET' && path.startsWith('/object_info/')) {
      const name = decodeURIComponent(path.slice('/object_info/'.length));
      const info = objectInfo()[name];
      reply(response, 200, info === undefined ? {} : { [name]: info });
    } else if (method === 'GET' && path === '/models' && modern) {
      reply(response, 200, FOLDERS);
    } else if (method === 'GET' && path.startsWith('/models/') && modern) {
      const list = modelFolder(decodeURIComponent(path.slice('/models/'.length)));
      if (list === null) response.writeHead(404).end();
      else reply(response, 200, list);
    } else if (method === 'GET' && path === '/system_stats') {
      reply(response, 200, systemStats());
    } else if (method === 'GET' && path === '/embeddings') {
      reply(response, 200, models.embeddings);
    } else if (method === 'GET' && path === '/features' && modern) {
      reply(response, 200, { supports_preview_metadata: true, max_upload_size: 104857600 });
    } else {
      notFound(response);
    }
  }

  // ---- Lifecycle ---------------------------------------------------------------------------------
  let server: Server = makeServer();

  function makeServer(): Server {
    const created = createServer((request, response) => {
      handle(request, response).catch(() => {
        if (!response.headersSent) replyText(response, 500, INTERNAL_ERROR);
        else response.destroy();
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
    generation += 1;
    pending = [];
    running = null;
    lastNode = null;
    for (const client of sockets.values()) client.ws.terminate();
    sockets.clear();
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
    requests,
    prompts,
    interrupts,
    objectInfo,
    failNext(next) {
      failure = next;
    },
    dropSockets() {
      for (const client of sockets.values()) client.ws.close(1001, 'going away');
    },
    whenRunning() {
      if (running !== null) return Promise.resolve(running.promptId);
      return new Promise((resolve) => runningWaiters.push(resolve));
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
      const id = submit({ prompt: graph, client_id: external.clientId ?? 'comfyui-web-page' }, null);
      if (id === null) throw new Error('the external prompt did not validate (no checkpoint configured?)');
      return id;
    },
    async kill() {
      await stop();
      cache = new Map();
    },
    async restart() {
      server = makeServer();
      number = 0;
      await listen(port);
    },
    async close() {
      await stop();
      wss.close();
    },
  };
  return fake;
}
