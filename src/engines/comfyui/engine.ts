/**
 * ComfyUI as an engine: a job becomes an API-format graph queued with `POST /prompt` under the bot's
 * client id (and, from 0.3.64, its own prompt id); one WebSocket per server reports it; `/history` and
 * `/view` give the images, byte for byte.
 *
 * One run:
 *   sending ──POST /prompt 200──▶ following ──execution_success / executing(null) / history──▶ done
 *   sending ──400 node_errors──▶ failed          following ──execution_error──▶ failed
 *   following ──cancel: dequeued / interrupted──▶ cancelled
 * While the WebSocket is down (or the run was resumed after a restart) the run polls `/queue` and
 * `/history` instead, so no result is lost.
 */
import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Logger } from '../../log.js';
import { toHttpError } from '../../sd/error-mapping.js';
import {
  SdAbortedError,
  SdError,
  SdInvalidRequestError,
  SdMalformedResponseError,
  SdOutOfMemoryError,
  SdServerError,
  SdTimeoutError,
  SdUnsupportedError,
} from '../errors.js';
import type {
  CancelOutcome,
  Capabilities,
  Checkpoint,
  Engine,
  EngineResult,
  EngineRun,
  GenerateRequest,
  RunOptions,
  UpscaleRequest,
} from '../types.js';
import { type ApiGraph, ComfyGraphError, isApiGraph } from './api-graph.js';
import type { ComfyClient } from './client.js';
import {
  type ComfyImageRef,
  type ComfyQueueSnapshot,
  type ComfyRunState,
  createComfyRunState,
  reduceComfyMessage,
  toComfyErrorMessage,
} from './events.js';
import { progressNodeIds, upscaleModelScale } from './graph.js';
import { parseHistoryEntry } from './history.js';
import {
  type ComfyFluxFiles,
  type ComfyJob,
  type ComfyJobRecord,
  type ComfyLists,
  matchCheckpoint,
  matchUpscaleModel,
  toComfyJob,
  toComfyUpscaleJob,
  toEngineProgress,
} from './job-graph.js';
import { inputChoices } from './object-info.js';
import { checkOperatorGraph, type OperatorGraphFile, type OperatorGraphKind } from './operator-graphs.js';
import { type ComfyServerFacts, probeComfy, readFolder, toComfyCapabilities } from './probe.js';
import { type ComfySocket, createComfySocket } from './socket.js';

/** Before the first probe: what every ComfyUI server can do. */
export const UNPROBED_COMFY_CAPABILITIES: Capabilities = {
  dialect: 'comfyui',
  name: 'ComfyUI',
  version: null,
  img2img: true,
  progress: 'task',
  preview: true,
  interrupt: 'task',
  dequeue: true,
  upscale: false,
  models: 'switch',
  schedulers: 'separate',
  sizeMultiple: 8,
  ownSeeds: true,
  loras: false,
  embeddings: false,
  styles: false,
  hires: false,
  adetailer: false,
  auth: 'none',
};

export interface ComfyEngineOptions {
  client: ComfyClient;
  auth: Capabilities['auth'];
  log?: Pick<Logger, 'warn' | 'info' | 'debug'> | undefined;
  /** The operator's graphs (`COMFY_GRAPH_DIR`), checked against `/object_info` at each probe. */
  graphs?: Partial<Record<OperatorGraphKind, OperatorGraphFile>> | undefined;
  /** The Flux-class split loaders, when the operator names the files. */
  flux?: ComfyFluxFiles | undefined;
  /** The WebSocket client id; stable per server by default, so a restarted bot hears its prompts again. */
  clientId?: string | undefined;
  /** Longest a run may take, its wait in the server's queue included (default 10 minutes). */
  runTimeoutMs?: number | undefined;
  /** How long the server may answer no poll at all before a run gives up on it (default 15 s). */
  downAfterMs?: number | undefined;
}

/** The bot's own key in a prompt's `extra_data`. */
const RECORD_KEY = 'sdbot';
/** Consecutive polls that find a prompt neither queued nor in history before it counts as lost. */
const LOST_AFTER = 3;
const OUT_OF_MEMORY = /out of memory|OutOfMemory/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function imageExtension(bytes: Buffer): string {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]))) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'jpg';
  if (bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return 'png';
}

function parseRecord(extra: unknown): ComfyJobRecord {
  const raw = isRecord(extra) ? extra[RECORD_KEY] : undefined;
  const record = isRecord(raw) ? raw : {};
  const numbers = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is number => typeof item === 'number') : [];
  const texts = (value: unknown) =>
    Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
  return {
    seeds: numbers(record.seeds),
    outputs: texts(record.outputs),
    model: typeof record.model === 'string' ? record.model : null,
    sampler: typeof record.sampler === 'string' ? record.sampler : null,
  };
}

/** The images of a finished prompt, in the order the bot's record names its output nodes. */
function orderedImages(images: Record<string, ComfyImageRef[]>, outputs: readonly string[]): ComfyImageRef[] {
  const ids = outputs.length > 0 ? outputs.filter((id) => images[id] !== undefined) : Object.keys(images);
  const all = ids.flatMap((id) => images[id] ?? []);
  const saved = all.filter((image) => image.type === 'output');
  return saved.length > 0 ? saved : all;
}

interface Control {
  promptId: string | null;
  finished: boolean;
  cancelled: boolean;
  /** Ends the run with this error (a dequeue). */
  abort?: ((error: SdError) => void) | undefined;
}

export function createComfyEngine(options: ComfyEngineOptions): Engine {
  const { client } = options;
  const label = client.label;
  const clientId =
    options.clientId ?? `sdbot-${createHash('sha256').update(label).digest('hex').slice(0, 24)}`;
  let capabilities: Capabilities = { ...UNPROBED_COMFY_CAPABILITIES, auth: options.auth };
  let facts: ComfyServerFacts | null = null;
  let templates: Partial<Record<OperatorGraphKind, unknown>> = {};
  let lastCheckpoint: string | null = null;
  let socket: ComfySocket | null = null;
  let firstProbe: Promise<void> | undefined;
  let closed = false;
  const warned = new Set<string>();
  const runTimeoutMs = options.runTimeoutMs ?? 600_000;
  const downAfterMs = options.downAfterMs ?? 15_000;

  const warnOnce = (key: string, fields: Record<string, unknown>, message: string) => {
    if (warned.has(key)) return;
    warned.add(key);
    options.log?.warn({ backend: label, ...fields }, message);
  };

  const listsOf = (): ComfyLists =>
    facts?.lists ?? { checkpoints: [], samplers: [], schedulers: [], loras: [], upscaleModels: [] };

  const ensureSocket = (): ComfySocket => {
    socket ??= createComfySocket({
      url: client.wsUrl,
      clientId,
      authorization: client.authorization,
      log: options.log,
    });
    return socket;
  };

  const checkTemplates = (found: ComfyServerFacts) => {
    const accepted: Partial<Record<OperatorGraphKind, unknown>> = {};
    for (const kind of ['txt2img', 'img2img'] as const) {
      const file = options.graphs?.[kind];
      if (file === undefined) continue;
      const checked = checkOperatorGraph(file, kind, found.objectInfo, found.lists);
      if (checked.ok) {
        accepted[kind] = checked.template;
        continue;
      }
      warnOnce(
        `graph:${kind}:${checked.problems.join('|')}`,
        { graph: file.name, problems: checked.problems },
        `ComfyUI operator graph ${file.name} refused, the built-in ${kind} graph is used instead: ${checked.problems.join('; ')}`,
      );
    }
    templates = accepted;
  };

  const getQueue = async (signal?: AbortSignal): Promise<ComfyQueueSnapshot['data']> => {
    const json = await client.getJson('/queue', { timeoutMs: 10_000, signal });
    const list = (value: unknown): unknown[][] =>
      Array.isArray(value) ? value.filter((item): item is unknown[] => Array.isArray(item)) : [];
    return isRecord(json)
      ? { queue_running: list(json.queue_running), queue_pending: list(json.queue_pending) }
      : { queue_running: [], queue_pending: [] };
  };

  const inQueue = (queue: ComfyQueueSnapshot['data'], id: string): 'running' | 'pending' | null => {
    if (queue.queue_running.some((item) => item[1] === id)) return 'running';
    if (queue.queue_pending.some((item) => item[1] === id)) return 'pending';
    return null;
  };

  const executionError = (error: NonNullable<ComfyRunState['error']>): SdError => {
    const where = error.nodeType === '' ? `node ${error.nodeId}` : `node ${error.nodeId} (${error.nodeType})`;
    const message = `ComfyUI failed in ${where}: ${error.message || error.exceptionType || 'an error'}`;
    const context = { backend: label, method: 'POST', path: '/prompt' };
    if (OUT_OF_MEMORY.test(`${error.message} ${error.exceptionType}`)) {
      return new SdOutOfMemoryError(message, { ...context, detail: error.message });
    }
    return new SdServerError(message, {
      ...context,
      detail: error.message,
      errorType: error.exceptionType === '' ? null : error.exceptionType,
    });
  };

  /** Stops our prompt: out of the queue while it waits, an interrupt while it runs; never anyone else's. */
  const cancelPrompt = async (control: Control): Promise<CancelOutcome> => {
    const id = control.promptId;
    if (id === null || control.finished) return 'discard';
    const queue = await getQueue();
    const where = inQueue(queue, id);
    if (where === 'pending') {
      await client.postJson('/queue', { delete: [id] }, { timeoutMs: 10_000 });
      const after = inQueue(await getQueue(), id);
      if (after === null) {
        control.abort?.(
          new SdAbortedError(`${label}: prompt ${id} was taken out of the queue`, { backend: label }),
        );
        return 'dequeued';
      }
      if (after !== 'running') return 'pending';
    } else if (where !== 'running') return 'discard';
    // Servers that take a prompt id stop only that one; older ones stop whatever runs, and /queue just said it is ours.
    await client.postJson('/interrupt', facts?.modern === true ? { prompt_id: id } : {}, {
      timeoutMs: 10_000,
    });
    return 'interrupted';
  };

  /** Follows a queued prompt to its images, over the WebSocket, or by polling while it is down. */
  function follow(
    promptId: string,
    number: number,
    graph: ApiGraph | null,
    record: ComfyJobRecord,
    run: RunOptions,
    control: Control,
    resumed: boolean,
  ): Promise<EngineResult> {
    const ws = ensureSocket();
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
      let trustSocket = !resumed;
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
        run.onFree?.();
        try {
          if (state.phase === 'error' && state.error !== null) throw executionError(state.error);
          if (state.phase === 'interrupted') {
            throw control.cancelled
              ? new SdAbortedError(`${label}: prompt ${promptId} was interrupted`, { backend: label })
              : new SdServerError(`${label}: prompt ${promptId} was interrupted on the server`, {
                  backend: label,
                  detail: 'interrupted',
                  errorType: null,
                });
          }
          const found = images ?? (await historyImages());
          const refs = orderedImages(found, record.outputs);
          if (refs.length === 0) {
            throw new SdMalformedResponseError(`${label}: prompt ${promptId} finished without images`, {
              backend: label,
              method: 'GET',
              path: `/history/${promptId}`,
              detail: 'no images in the outputs',
            });
          }
          const bytes: Buffer[] = [];
          for (const ref of refs) bytes.push(await client.view(ref, { signal: run.signal }));
          const first = record.seeds[0];
          resolve({
            images: bytes,
            seeds:
              record.seeds.length === bytes.length
                ? record.seeds
                : first === undefined
                  ? []
                  : bytes.map((_, index) => record.seeds[index] ?? first),
            model: record.model,
            modelHash: null,
            sampler: record.sampler,
            infotexts: [],
          });
        } catch (error: unknown) {
          reject(error);
        }
      };

      /** The finished prompt's images from /history (it may lag `execution_success` by a moment). */
      const historyImages = async (): Promise<Record<string, ComfyImageRef[]>> => {
        for (let attempt = 0; attempt < 20; attempt += 1) {
          const entry = parseHistoryEntry(
            await client.getJson(`/history/${encodeURIComponent(promptId)}`, { signal: run.signal }),
            promptId,
          );
          if (entry.state !== 'unknown') return entry.images;
          await new Promise((done) => setTimeout(done, 100));
        }
        return state.outputs;
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

      /** Asks the server directly: in line, running, or finished (history). */
      const check = async () => {
        if (checking || concluded) return;
        checking = true;
        try {
          const queue = await getQueue(run.signal);
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
            if (missing >= LOST_AFTER) {
              // Neither queued, running nor in history: the server lost it (a restart of ComfyUI).
              fail(
                new SdServerError(`${label} lost prompt ${promptId} (not in its queue or history)`, {
                  backend: label,
                  method: 'GET',
                  path: `/history/${promptId}`,
                  detail: 'the prompt is gone',
                  errorType: null,
                }),
              );
            }
            return;
          }
          if (concluded) return;
          if (entry.state === 'success') state = { ...state, phase: 'done' };
          else if (entry.state === 'interrupted') state = { ...state, phase: 'interrupted' };
          else {
            state = {
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
          await conclude(entry.images);
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

      if (run.signal.aborted) {
        onAbort();
        return;
      }
      run.signal.addEventListener('abort', onAbort, { once: true });
      const interval = Math.max(100, Math.min(run.progressIntervalMs, 1000));
      timer = setInterval(() => {
        ticks += 1;
        if (Date.now() - startedAt > runTimeoutMs) {
          fail(
            new SdTimeoutError(`${label}: prompt ${promptId} did not finish within ${runTimeoutMs} ms`, {
              backend: label,
              method: 'POST',
              path: '/prompt',
              timeoutMs: runTimeoutMs,
            }),
          );
          return;
        }
        emit();
        const blind = !ws.connected() || !trustSocket;
        if (blind || state.phase === 'queued' || ticks % 10 === 0) void check();
      }, interval);
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

  /** Submits a graph and follows it. */
  function submit(
    prepare: (signal: AbortSignal) => Promise<ComfyJob>,
    run: RunOptions,
    onSent?: (job: ComfyJob) => void,
  ): EngineRun {
    const control: Control = { promptId: null, finished: false, cancelled: false };
    /** Settles once POST /prompt has answered (or failed): a cancel waits for it to know the prompt. */
    let markSent: () => void = () => undefined;
    const sent = new Promise<void>((resolve) => {
      markSent = resolve;
    });
    const result = (async () => {
      try {
        const job = await prepare(run.signal);
        const ws = ensureSocket();
        const ownId = facts?.modern === true ? randomUUID() : undefined;
        const body = {
          prompt: job.graph,
          client_id: ws.clientId,
          extra_data: { [RECORD_KEY]: job.record },
          ...(ownId === undefined ? {} : { prompt_id: ownId }),
        };
        const answer = await client.request('POST', '/prompt', body, {
          timeoutMs: 30_000,
          signal: run.signal,
        });
        if (answer.status === 400) {
          const message = toComfyErrorMessage(answer.json, job.graph);
          throw new SdInvalidRequestError(`${label}: ${message}`, {
            backend: label,
            method: 'POST',
            path: '/prompt',
            status: 400,
            field: firstInputName(answer.json),
            detail: message,
          });
        }
        if (answer.status < 200 || answer.status >= 300) {
          throw toHttpError(answer.status, answer.text, { backend: label, method: 'POST', path: '/prompt' });
        }
        const json = isRecord(answer.json) ? answer.json : {};
        const promptId = typeof json.prompt_id === 'string' ? json.prompt_id : ownId;
        if (promptId === undefined) {
          throw new SdMalformedResponseError(`POST ${label}/prompt did not name the prompt`, {
            backend: label,
            method: 'POST',
            path: '/prompt',
            detail: answer.text.slice(0, 200),
          });
        }
        const number = typeof json.number === 'number' ? json.number : Number.POSITIVE_INFINITY;
        control.promptId = promptId;
        onSent?.(job);
        run.onRef?.(promptId);
        return follow(promptId, number, job.graph, job.record, run, control, false);
      } finally {
        markSent();
      }
    })();
    result.catch(() => undefined);
    return {
      result,
      async cancel() {
        control.cancelled = true;
        await sent;
        return cancelPrompt(control);
      },
    };
  }

  const upload = async (base64: string, signal: AbortSignal) => {
    const bytes = Buffer.from(base64, 'base64');
    const name = `sdbot-${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${imageExtension(bytes)}`;
    return { bytes, name: await client.uploadImage(bytes, name, { signal, timeoutMs: 60_000 }) };
  };

  const graphError = (error: unknown): unknown =>
    error instanceof ComfyGraphError
      ? new SdInvalidRequestError(`${label}: ${error.message}`, {
          backend: label,
          field: null,
          detail: error.message,
        })
      : error;

  const unsupported = (capability: string) =>
    new SdUnsupportedError(`${label} cannot ${capability}`, { backend: label, capability });

  return {
    id: label,
    get capabilities() {
      return capabilities;
    },
    probe(requestOptions) {
      const probing = probeComfy(client, requestOptions).then((found) => {
        facts = found;
        capabilities = toComfyCapabilities(found, options.auth);
        checkTemplates(found);
        if (!closed) ensureSocket();
        return { capabilities, loadedModel: lastCheckpoint };
      });
      firstProbe ??= probing.then(
        () => undefined,
        () => undefined,
      );
      return probing;
    },
    ready: () => firstProbe ?? Promise.resolve(),
    async ping(requestOptions) {
      await client.getJson('/prompt', { timeoutMs: 5000, ...requestOptions });
    },
    generate(request: GenerateRequest, run: RunOptions): EngineRun {
      return submit(
        async (signal) => {
          const image =
            request.kind === 'img2img' && request.initImage !== undefined
              ? (await upload(request.initImage, signal)).name
              : undefined;
          const kind = image === undefined ? 'txt2img' : 'img2img';
          try {
            const job = toComfyJob(
              { ...request, kind },
              {
                lists: listsOf(),
                lastCheckpoint,
                flux: options.flux,
                template: templates[kind],
                image,
                prefix: `sdbot-${randomUUID().slice(0, 8)}`,
                loraLoader: capabilities.loras,
              },
            );
            for (const fallback of job.fallbacks) {
              warnOnce(`name:${fallback}`, { fallback }, 'the image server lacks a configured name');
            }
            return job;
          } catch (error: unknown) {
            throw graphError(error);
          }
        },
        run,
        (job) => {
          if (options.flux === undefined && job.record.model !== null) lastCheckpoint = job.record.model;
        },
      );
    },
    resume(ref, run) {
      const control: Control = { promptId: ref, finished: false, cancelled: false };
      const result = (async () => {
        const queue = await getQueue(run.signal);
        let item = [...queue.queue_running, ...queue.queue_pending].find((entry) => entry[1] === ref);
        if (item === undefined) {
          const history = await client.getJson(`/history/${encodeURIComponent(ref)}`, { signal: run.signal });
          const entry = isRecord(history) ? history[ref] : undefined;
          const prompt = isRecord(entry) ? entry.prompt : undefined;
          if (Array.isArray(prompt)) item = prompt;
        }
        if (item === undefined) {
          throw new SdUnsupportedError(`${label} no longer knows prompt ${ref}`, {
            backend: label,
            capability: 'finish this request',
          });
        }
        const graph = isApiGraph(item[2]) ? item[2] : null;
        const number = typeof item[0] === 'number' ? item[0] : Number.POSITIVE_INFINITY;
        return follow(ref, number, graph, parseRecord(item[3]), run, control, true);
      })();
      result.catch(() => undefined);
      return {
        result,
        async cancel() {
          control.cancelled = true;
          return cancelPrompt(control);
        },
      };
    },
    upscale(request: UpscaleRequest, run: RunOptions): EngineRun {
      return submit(async (signal) => {
        if (!capabilities.upscale) throw unsupported('upscale images');
        const model = matchUpscaleModel(request.upscaler, listsOf().upscaleModels, request.factor);
        if (model === undefined) throw unsupported('upscale images');
        const uploaded = await upload(request.image, signal);
        const meta = await sharp(uploaded.bytes).metadata();
        return toComfyUpscaleJob(request, {
          image: uploaded.name,
          upscaleModel: model,
          width: meta.width ?? 0,
          height: meta.height ?? 0,
          prefix: `sdbot-${randomUUID().slice(0, 8)}`,
        });
      }, run);
    },
    async listCheckpoints(requestOptions = {}) {
      const names = await readFolder(
        client,
        'checkpoints',
        () => inputChoices(facts?.objectInfo ?? {}, 'CheckpointLoaderSimple', 'ckpt_name'),
        requestOptions,
      );
      return names.map(toCheckpoint);
    },
    async listSamplers() {
      return listsOf().samplers.map((name) => ({ name, aliases: [] }));
    },
    async listSchedulers() {
      return listsOf().schedulers.map((name) => ({ name, label: name, aliases: [] }));
    },
    async listUpscalers(requestOptions = {}) {
      const names = await readFolder(
        client,
        'upscale_models',
        () => inputChoices(facts?.objectInfo ?? {}, 'UpscaleModelLoader', 'model_name'),
        requestOptions,
      );
      return names.map((name) => ({ name, scale: upscaleModelScale(name) }));
    },
    async listLoras(requestOptions = {}) {
      const names = await readFolder(
        client,
        'loras',
        () => inputChoices(facts?.objectInfo ?? {}, 'LoraLoader', 'lora_name'),
        requestOptions,
      );
      return names.map((name) => ({ name, path: name }));
    },
    async listEmbeddings() {
      return (facts?.embeddings ?? []).map((name) => ({ name }));
    },
    async listStyles() {
      return [];
    },
    async loadedModel() {
      return lastCheckpoint;
    },
    async switchModel(title) {
      // The checkpoint is an input of each graph: "switching" names the one the next job loads.
      const found = matchCheckpoint(title, listsOf().checkpoints);
      if (found === undefined && listsOf().checkpoints.length > 0) {
        throw new SdInvalidRequestError(`${label} has no checkpoint ${title}`, {
          backend: label,
          field: 'ckpt_name',
          detail: `no checkpoint ${title}`,
        });
      }
      lastCheckpoint = found ?? title;
    },
    async refreshCheckpoints(requestOptions) {
      const found = await probeComfy(client, requestOptions);
      facts = found;
    },
    async close() {
      closed = true;
      socket?.close();
      socket = null;
      await client.close();
    },
  };
}

function toCheckpoint(name: string): Checkpoint {
  const base = name.split(/[\\/]/).pop() ?? name;
  return {
    title: name,
    model_name: base.replace(/\.[^.]+$/, ''),
    hash: null,
    sha256: null,
    filename: name,
  };
}

/** The input the first node error names (`extra_info.input_name`), for `SdInvalidRequestError.field`. */
function firstInputName(body: unknown): string | null {
  if (!isRecord(body) || !isRecord(body.node_errors)) return null;
  for (const entry of Object.values(body.node_errors)) {
    const errors = isRecord(entry) && Array.isArray(entry.errors) ? entry.errors : [];
    for (const error of errors) {
      const extra = isRecord(error) && isRecord(error.extra_info) ? error.extra_info : {};
      if (typeof extra.input_name === 'string') return extra.input_name;
    }
  }
  return null;
}
