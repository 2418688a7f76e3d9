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
 * `/history` instead, so no result is lost. The steps live beside it: `submit.ts` (POST /prompt),
 * `follow.ts` (socket and polling), `results.ts` (history and /view), `cancel.ts`, `queue.ts`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { imageSize } from '../../images/size.js';
import { SdInvalidRequestError, SdUnsupportedError } from '../errors.js';
import type {
  Capabilities,
  Engine,
  EngineRun,
  GenerateRequest,
  RunOptions,
  UpscaleRequest,
} from '../types.js';
import { ComfyGraphError, isApiGraph } from './api-graph.js';
import { type Control, cancelPrompt } from './cancel.js';
import type { ComfyEngineOptions } from './engine-options.js';
import { type FollowDeps, followPrompt } from './follow.js';
import { type ComfyJob, type ComfyLists, toComfyJob, toComfyUpscaleJob } from './job-graph.js';
import { createComfyListReaders, probedLists } from './lists.js';
import { matchCheckpoint, matchUpscaleModel } from './model-match.js';
import { checkOperatorGraph, type OperatorGraphKind } from './operator-graphs.js';
import {
  type ComfyServerFacts,
  probeComfy,
  toComfyCapabilities,
  UNPROBED_COMFY_CAPABILITIES,
} from './probe.js';
import { parseRecord } from './prompt-record.js';
import { findPromptItem } from './queue.js';
import { type ComfySocket, createComfySocket } from './socket.js';
import { postPrompt } from './submit.js';
import { uploadImage } from './upload.js';

export type { ComfyEngineOptions };

// One closure on purpose: the probed facts, the templates, the socket and the chosen checkpoint are this server's state.
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

  const listsOf = (): ComfyLists => probedLists(facts);

  const ensureSocket = (): ComfySocket => {
    socket ??= createComfySocket({
      url: client.wsUrl,
      clientId,
      authorization: client.authorization,
      log: options.log,
    });
    return socket;
  };

  const followDeps = (): FollowDeps => ({ client, socket: ensureSocket(), runTimeoutMs, downAfterMs });
  const isModern = () => facts?.modern === true;

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
        const { promptId, number } = await postPrompt(client, job, {
          clientId: ws.clientId,
          modern: facts?.modern === true,
          signal: run.signal,
        });
        control.promptId = promptId;
        onSent?.(job);
        run.onRef?.(promptId);
        const prompt = { promptId, number, graph: job.graph, record: job.record, resumed: false };
        return followPrompt(followDeps(), prompt, run, control);
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
        return cancelPrompt(client, control, isModern);
      },
    };
  }

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
              ? (await uploadImage(client, request.initImage, signal)).name
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
        const item = await findPromptItem(client, ref, run.signal);
        if (item === undefined) {
          throw new SdUnsupportedError(`${label} no longer knows prompt ${ref}`, {
            backend: label,
            capability: 'finish this request',
          });
        }
        const graph = isApiGraph(item[2]) ? item[2] : null;
        const number = typeof item[0] === 'number' ? item[0] : Number.POSITIVE_INFINITY;
        const prompt = { promptId: ref, number, graph, record: parseRecord(item[3]), resumed: true };
        return followPrompt(followDeps(), prompt, run, control);
      })();
      result.catch(() => undefined);
      return {
        result,
        async cancel() {
          control.cancelled = true;
          return cancelPrompt(client, control, isModern);
        },
      };
    },
    upscale(request: UpscaleRequest, run: RunOptions): EngineRun {
      return submit(async (signal) => {
        if (!capabilities.upscale) throw unsupported('upscale images');
        const model = matchUpscaleModel(request.upscaler, listsOf().upscaleModels, request.factor);
        if (model === undefined) throw unsupported('upscale images');
        const uploaded = await uploadImage(client, request.image, signal);
        const size = await imageSize(uploaded.bytes);
        return toComfyUpscaleJob(request, {
          image: uploaded.name,
          upscaleModel: model,
          width: size.width,
          height: size.height,
          prefix: `sdbot-${randomUUID().slice(0, 8)}`,
        });
      }, run);
    },
    ...createComfyListReaders(client, () => facts),
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
