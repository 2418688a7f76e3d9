/**
 * The fake ComfyUI's HTTP routes: prompt submission and validation, queue, interrupt, history, view,
 * upload, discovery (`/object_info`, `/models`, `/system_stats`, `/embeddings`, `/features`).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { enqueue } from './execution.js';
import type { ModelLists } from './object-info.js';
import {
  broadcastStatus,
  type ComfyState,
  fileKey,
  inputFile,
  objectInfoOf,
  type QueueItem,
  queueRemaining,
  type RecordedRequest,
} from './state.js';
import { validatePrompt } from './validation.js';

/** What aiohttp answers when a handler raises (malformed JSON, among others). */
export const INTERNAL_ERROR = '500 Internal Server Error\n\nServer got itself in trouble';

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
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

export function submit(
  state: ComfyState,
  body: Record<string, unknown>,
  response: ServerResponse | null,
): string | null {
  let itemNumber: number;
  if (typeof body.number === 'number') {
    itemNumber = body.number;
  } else {
    itemNumber = body.front === true ? -state.number : state.number;
    state.number += 1;
  }
  const clientId = typeof body.client_id === 'string' ? body.client_id : null;
  const extraData: Record<string, unknown> = isRecord(body.extra_data) ? { ...body.extra_data } : {};
  if (clientId !== null) extraData.client_id = clientId;
  if (state.modern) extraData.create_time = Date.now();
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
    state.modern && body.prompt_id !== undefined && body.prompt_id !== null
      ? String(body.prompt_id)
      : randomUUID();
  const validation = validatePrompt(body.prompt, {
    objectInfo: objectInfoOf(state),
    inputImageExists: (name) => inputFile(state, name) !== undefined,
  });
  state.prompts.push({
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
  enqueue(state, {
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

async function upload(
  state: ComfyState,
  request: IncomingMessage,
  raw: Buffer,
  response: ServerResponse,
): Promise<unknown> {
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
    for (let i = 1; state.files.has(fileKey(type, subfolder, name)); i += 1) {
      if (state.files.get(fileKey(type, subfolder, name))?.equals(bytes) === true) {
        duplicate = true;
        break;
      }
      name = `${stem} (${i})${ext}`;
    }
  }
  if (!duplicate) state.files.set(fileKey(type, subfolder, name), bytes);
  reply(response, 200, { name, subfolder, type });
  return recorded;
}

function view(state: ComfyState, query: URLSearchParams, response: ServerResponse): void {
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
  const bytes = state.files.get(fileKey(type, subfolder, base));
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

function modelFolder(models: ModelLists, folder: string): string[] | null {
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

function systemStats(state: ComfyState): unknown {
  return {
    system: {
      os: 'posix',
      ram_total: 33_554_432_000,
      ram_free: 20_132_659_200,
      comfyui_version: state.version,
      ...(state.modern
        ? { required_frontend_version: '1.27.10', installed_templates_version: '0.1.94' }
        : {}),
      python_version: state.modern
        ? '3.12.3 (main, Aug 14 2025, 17:47:21) [GCC 13.3.0]'
        : '3.11.9 (main) [GCC 12.2.0]',
      pytorch_version: state.modern ? '2.8.0+cpu' : '2.5.1+cpu',
      embedded_python: false,
      argv: [
        'main.py',
        '--cpu',
        '--listen',
        '127.0.0.1',
        ...(state.previews ? ['--preview-method', 'latent2rgb'] : []),
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

/** One HTTP request; every route also answers under `/api`. */
export async function handle(
  state: ComfyState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname.startsWith('/api/') ? url.pathname.slice(4) : url.pathname;
  const method = request.method ?? 'GET';
  const raw = await readBody(request);
  const query = Object.fromEntries(url.searchParams);
  const entry: RecordedRequest = { method, path, query, body: undefined, at: Date.now() };
  state.requests.push(entry);
  const isJson = !(request.headers['content-type'] ?? '').startsWith('multipart/');
  const json = raw.length === 0 ? ({ ok: true, value: undefined } as const) : parseJson(raw);
  if (isJson) entry.body = json.ok ? json.value : raw.toString('utf8');

  if (method === 'POST' && isJson && !json.ok && path !== '/upload/image') {
    replyText(response, 500, INTERNAL_ERROR);
    return;
  }
  const body = json.ok && isRecord(json.value) ? json.value : {};

  if (method === 'GET' && path === '/prompt') {
    reply(response, 200, { exec_info: { queue_remaining: queueRemaining(state) } });
  } else if (method === 'POST' && path === '/prompt') {
    if (json.ok && json.value !== undefined && !isRecord(json.value)) {
      replyText(response, 500, INTERNAL_ERROR);
      return;
    }
    submit(state, body, response);
  } else if (method === 'GET' && path === '/queue') {
    const sorted = [...state.pending].sort((a, b) => a.number - b.number);
    reply(response, 200, {
      queue_running: state.running === null ? [] : [queueTuple(state.running)],
      queue_pending: sorted.map(queueTuple),
    });
  } else if (method === 'POST' && path === '/queue') {
    if (body.clear === true) state.pending = [];
    if (Array.isArray(body.delete)) {
      const ids = new Set(body.delete.map(String));
      state.pending = state.pending.filter((item) => !ids.has(item.promptId));
    }
    broadcastStatus(state);
    response.writeHead(200).end();
  } else if (method === 'POST' && path === '/interrupt') {
    const asked = state.modern && typeof body.prompt_id === 'string' ? body.prompt_id : null;
    const runningId = state.running?.promptId ?? null;
    const interrupted = asked === null ? true : asked === runningId;
    if (interrupted) state.interruptFlag = true;
    state.interrupts.push({ promptId: asked, runningPromptId: runningId, interrupted, at: Date.now() });
    response.writeHead(200).end();
  } else if (method === 'GET' && path === '/history') {
    const all = [...state.history.entries()];
    const maxItems = url.searchParams.has('max_items') ? Number(url.searchParams.get('max_items')) : null;
    const slice = maxItems === null ? all : all.slice(Math.max(0, all.length - maxItems));
    reply(response, 200, Object.fromEntries(slice));
  } else if (method === 'GET' && path.startsWith('/history/')) {
    const id = decodeURIComponent(path.slice('/history/'.length));
    const found = state.history.get(id);
    reply(response, 200, found === undefined ? {} : { [id]: found });
  } else if (method === 'POST' && path === '/history') {
    if (body.clear === true) state.history.clear();
    if (Array.isArray(body.delete)) for (const id of body.delete) state.history.delete(String(id));
    response.writeHead(200).end();
  } else if (method === 'GET' && path === '/view') {
    view(state, url.searchParams, response);
  } else if (method === 'POST' && path === '/upload/image') {
    entry.body = await upload(state, request, raw, response);
  } else if (method === 'GET' && path === '/object_info') {
    reply(response, 200, objectInfoOf(state));
  } else if (method === 'GET' && path.startsWith('/object_info/')) {
    const name = decodeURIComponent(path.slice('/object_info/'.length));
    const info = objectInfoOf(state)[name];
    reply(response, 200, info === undefined ? {} : { [name]: info });
  } else if (method === 'GET' && path === '/models' && state.modern) {
    reply(response, 200, FOLDERS);
  } else if (method === 'GET' && path.startsWith('/models/') && state.modern) {
    const list = modelFolder(state.models, decodeURIComponent(path.slice('/models/'.length)));
    if (list === null) response.writeHead(404).end();
    else reply(response, 200, list);
  } else if (method === 'GET' && path === '/system_stats') {
    reply(response, 200, systemStats(state));
  } else if (method === 'GET' && path === '/embeddings') {
    reply(response, 200, state.models.embeddings);
  } else if (method === 'GET' && path === '/features' && state.modern) {
    reply(response, 200, { supports_preview_metadata: true, max_upload_size: 104857600 });
  } else {
    notFound(response);
  }
}
