/**
 * A fake stable-diffusion.cpp `sd-server` (its AUTOMATIC1111-compatible `/sdapi/v1` subset and its
 * native `/sdcpp/v1` API) or KoboldCpp's image API, on 127.0.0.1. Follows
 * /work/shared/reference/backends.md §1–3 and the public sources (leejet/stable-diffusion.cpp
 * `examples/server/`, LostRuins/koboldcpp `koboldcpp.py` and its sd adapter). One generation at a
 * time behind a FIFO lock, real seed-dependent PNGs, fault injection; every request is recorded.
 *
 * Native async jobs:  queued --(worker picks it)--> generating --(images)--> completed
 *                        |                               \--(no images)--> failed
 *                        \--(POST …/cancel)--> cancelled     (cancel while generating: 409)
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import sharp from 'sharp';
import { createFifoLock, readBody, sleep } from '../http-kit.js';
import { readPngSize, renderPng } from '../webui/png.js';
import type { RecordedRequest } from '../webui/server.js';
import {
  glibcRand,
  koboldSamplerList,
  LATENT_UPSCALE_MODES,
  SDAPI_SAMPLER_NAMES,
  SDAPI_SCHEDULER_NAMES,
  SDCPP_SAMPLERS,
} from './catalog.js';
import { NlohmannError, parseJson, readerOf } from './json-value.js';
import { type KoboldPlan, koboldRan, planKoboldRequest, pythonJson, stripBase64Prefix } from './kobold.js';
import {
  type GenerationPlan,
  type PlanContext,
  type PlanResult,
  planNativeRequest,
  planSdapiRequest,
  ranSamplerAndScheduler,
  stem,
  toImageParameters,
  toSdapiInfo,
} from './plan.js';

export type { RecordedRequest } from '../webui/server.js';

export type SdcppMode = 'sdcpp' | 'koboldcpp';

/**
 * - `no-results`: the library returns no image (sd.cpp: 500 `{"error":"generate_image returned no
 *   results"}`, an async job fails; KoboldCpp: 200 with an empty image string)
 * - `server-error`: 500 (sd.cpp `{"error":"server_error","message":"std::bad_alloc"}`; KoboldCpp
 *   `{"detail": {"msg": …, "type": "server_error"}}`)
 * - `busy`: KoboldCpp's 503 "Server is busy"; sd.cpp's 429 "job queue is full"
 * - `bad-request`: sd.cpp's 400 `{"error":"invalid generation parameters"}` (what `resolve` answers for
 *   parameters it cannot use); KoboldCpp's 500 `{"detail": {"msg": "Error parsing input.", …}}`
 * - `garbage`: 200 with an HTML body
 * - `hang`: never answers (until `close()`/`kill()`)
 * - `reset`: destroys the connection without answering
 */
export type SdcppFaultKind =
  | 'no-results'
  | 'server-error'
  | 'busy'
  | 'bad-request'
  | 'garbage'
  | 'hang'
  | 'reset';

export interface FakeSdcppSettings {
  /** Sampling time of one request (all its images). Default 20 ms. */
  generationMs: number;
  /** Incompressible pixels. Default false: a cheap pattern. */
  noise: boolean;
  /**
   * sd.cpp only: fill `infotexts`, `all_seeds`, `all_prompts`, `all_negative_prompts` in `info` as the
   * current source does. Default false: empty lists, as observed on the real server (backends.md §3).
   */
  fillInfoLists: boolean;
  /** KoboldCpp only: a vision projector is loaded, so `/sdapi/v1/interrogate` answers. Default false. */
  vision: boolean;
  /** KoboldCpp only: requests that may wait for the lock; one more gets 503 busy. Default 6. */
  queueLimit: number;
}

export interface FakeSdcppOptions extends Partial<FakeSdcppSettings> {
  mode?: SdcppMode;
  /** The model file the server was started with (`-m`). Default `sd_xl_base_1.0.safetensors`. */
  model?: string;
  /** LoRA files under `--lora-model-dir`, relative paths with extension. */
  loras?: string[];
  /** Upscaler model files under `--hires-upscalers-dir` (sd.cpp). Default none. */
  upscalers?: string[];
  /** KoboldCpp `--password`: required as `Authorization: Bearer <password>` on its text endpoints. */
  password?: string;
  /** Default 0 (any free port). */
  port?: number;
  /** The server's clock in ms (`seed: -1` uses its whole seconds). Default `Date.now`. */
  now?: () => number;
  /** KoboldCpp's `random.randint` source, [0, 1). Default `Math.random`. */
  random?: () => number;
}

export interface FailOptions {
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Route path, or `*` for any. Default: the generation routes. */
  path?: string;
}

export interface RanGeneration {
  route: string;
  /** `txt2img` also when img2img got no usable init image. */
  kind: 'txt2img' | 'img2img';
  /** The sampler that actually ran (the model's default resolved), sd.cpp spelling. */
  sampler: string;
  scheduler: string;
  seed: number;
  /** Size of the images produced (after rounding or hires fix). */
  width: number;
  height: number;
  steps: number;
  batch: number;
  hires: boolean;
  loras: { path: string; multiplier: number }[];
}

export interface FakeSdcpp {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly mode: SdcppMode;
  /** The model file name (`info.sd_model_name`, `sd-models[0].filename` on sd.cpp). */
  readonly modelFile: string;
  readonly requests: RecordedRequest[];
  /** One entry per generation that ran to the end, in order. */
  readonly ran: readonly RanGeneration[];
  readonly generations: number;
  /** Whether a generation holds the lock. */
  readonly generating: boolean;
  /** Requests waiting for the lock, plus native jobs not yet started. */
  readonly queued: number;
  configure(settings: Partial<FakeSdcppSettings>): void;
  failNext(kind: SdcppFaultKind, options?: FailOptions): void;
  clearFaults(): void;
  /** Resolves when a generation is sampling (now or next). */
  whenGenerating(): Promise<void>;
  /** Stops listening and destroys every connection (a crashed server). */
  kill(): Promise<void>;
  /** Listens again on the same port after `kill()`, with a fresh process's memory. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

type JobStatus = 'queued' | 'generating' | 'completed' | 'failed' | 'cancelled';

interface AsyncJob {
  id: string;
  status: JobStatus;
  created: number;
  started: number;
  completed: number;
  plan: GenerationPlan;
  images: string[];
  errorCode: string;
  errorMessage: string;
  failWithNoResults: boolean;
}

interface Fault {
  kind: SdcppFaultKind;
  remaining: number;
  path: string | null;
}

interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  rawPath: string;
  rawBody: string;
}

const DEFAULT_MODEL = 'sd_xl_base_1.0.safetensors';
const DEFAULT_LORAS = ['add-detail-xl.safetensors', 'styles/pixel-art-xl.safetensors'];
const SDCPP_GENERATION_PATHS = new Set(['/sdapi/v1/txt2img', '/sdapi/v1/img2img', '/sdcpp/v1/img_gen']);
const KOBOLD_GENERATION_SUFFIXES = ['/sdapi/v1/txt2img', '/sdapi/v1/img2img'];
const MAX_PENDING_JOBS = 64;
const KCPP_VERSION = '1.103';

export async function startFakeSdcpp(options: FakeSdcppOptions = {}): Promise<FakeSdcpp> {
  const mode = options.mode ?? 'sdcpp';
  const settings: FakeSdcppSettings = {
    generationMs: options.generationMs ?? 20,
    noise: options.noise ?? false,
    fillInfoLists: options.fillInfoLists ?? false,
    vision: options.vision ?? false,
    queueLimit: options.queueLimit ?? 6,
  };
  const modelFile = options.model ?? DEFAULT_MODEL;
  const loraFiles = [...(options.loras ?? DEFAULT_LORAS)].sort();
  const upscalerFiles = [...(options.upscalers ?? [])];
  const password = options.password ?? '';
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const areaSide = /xl|flux|sd3|1024/i.test(modelFile) ? 1024 : 832;

  const requests: RecordedRequest[] = [];
  const ran: RanGeneration[] = [];
  const faults: Fault[] = [];
  const generatingWaiters: Array<() => void> = [];
  const sockets = new Set<Socket>();
  const lock = createFifoLock();
  let generations = 0;
  let generating = false;
  let life = new AbortController();
  let server: Server | null = null;
  let port = options.port ?? 0;

  // Process memory, lost on restart().
  let loraCacheFilled = false;
  let jobs = new Map<string, AsyncJob>();
  let jobQueue: string[] = [];
  let nextJobId = 0;
  let workerRunning = false;

  // ---------- responses ----------

  function write(
    context: Context,
    status: number,
    body: string | Buffer,
    headers: Record<string, string>,
  ): void {
    const { res } = context;
    if (res.headersSent || res.destroyed) {
      return;
    }
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    res.writeHead(status, { ...corsHeaders(context), ...headers, 'content-length': String(payload.length) });
    res.end(payload);
  }

  function corsHeaders(context: Context): Record<string, string> {
    if (mode === 'koboldcpp') {
      return {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': '*',
        'access-control-allow-headers':
          '*, Accept, Content-Type, Content-Length, Cache-Control, Accept-Encoding, X-CSRF-Token, Client-Agent, ' +
          'X-Fields, Content-Type, Authorization, X-Requested-With, X-HTTP-Method-Override, apikey, genkey',
        'cache-control': 'no-store',
        connection: 'close',
      };
    }
    const origin = context.req.headers.origin;
    return {
      'access-control-allow-origin': typeof origin === 'string' && origin !== '' ? origin : '*',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': '*',
      'access-control-allow-headers': '*',
    };
  }

  /** nlohmann::json objects are std::maps: keys come out sorted. */
  function sendSdcpp(context: Context, status: number, value: unknown): void {
    write(context, status, JSON.stringify(sortKeys(value)), { 'content-type': 'application/json' });
  }

  /** httplib's answer for a route it does not have: 404, no body, no content type. */
  function sdcppNotFound(context: Context): void {
    write(context, 404, '', {});
  }

  function sendKobold(context: Context, status: number, value: unknown): void {
    write(context, status, pythonJson(value), { 'content-type': 'application/json' });
  }

  function koboldDetail(context: Context, status: number, msg: string, type: string): void {
    sendKobold(context, status, { detail: { msg, type } });
  }

  function koboldGetNotFound(context: Context): void {
    const text =
      'Error: KoboldCpp HTTP Server is running, but this endpoint does not exist. Please check the URL and ' +
      `METHOD.<br><a href="/api">[Read API documentation here]</a><br><br>Current path: ${context.rawPath}`;
    write(context, 404, text, { 'content-type': 'text/html' });
  }

  function koboldPostNotFound(context: Context): void {
    write(context, 404, '', { 'content-type': 'text/html' });
  }

  /** KoboldCpp `secure_endpoint`: false (and a 401 sent) when a password is set and not given. */
  function koboldAuthorized(context: Context): boolean {
    if (password === '') {
      return true;
    }
    const header = context.req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ') && header.slice(7).trim() === password) {
      return true;
    }
    sendKobold(context, 401, {
      detail: {
        error: 'Unauthorized',
        msg: 'Authentication key is missing or invalid.',
        type: 'unauthorized',
      },
    });
    return false;
  }

  // ---------- faults ----------

  function takeFault(path: string): Fault | null {
    const isGeneration =
      mode === 'sdcpp'
        ? SDCPP_GENERATION_PATHS.has(path)
        : KOBOLD_GENERATION_SUFFIXES.some((suffix) => path.endsWith(suffix));
    const fault = faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.path === '*' || candidate.path === path || (candidate.path === null && isGeneration)),
    );
    if (fault === undefined) {
      return null;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) {
      faults.splice(faults.indexOf(fault), 1);
    }
    return fault;
  }

  /** Answers for every kind but `no-results`, which the generation itself produces. */
  function applyFault(context: Context, kind: Exclude<SdcppFaultKind, 'no-results'>): void {
    switch (kind) {
      case 'server-error':
        if (mode === 'sdcpp') {
          sendSdcpp(context, 500, { error: 'server_error', message: 'std::bad_alloc' });
        } else {
          koboldDetail(context, 500, 'Internal server error.', 'server_error');
        }
        return;
      case 'busy':
        if (mode === 'sdcpp') {
          sendSdcpp(context, 429, { error: 'job queue is full' });
        } else {
          koboldDetail(context, 503, 'Server is busy; please try again later.', 'service_unavailable');
        }
        return;
      case 'bad-request':
        if (mode === 'sdcpp') {
          sendSdcpp(context, 400, { error: 'invalid generation parameters' });
        } else {
          koboldDetail(context, 500, 'Error parsing input.', 'bad_input');
        }
        return;
      case 'garbage':
        write(context, 200, '<!DOCTYPE html><html><body><h1>Bad Gateway</h1></body></html>', {
          'content-type': 'text/html',
        });
        return;
      case 'hang':
        return;
      case 'reset':
        context.req.socket.destroy();
        return;
    }
  }

  // ---------- generation ----------

  /** Holds the lock for `generationMs`; false when the server was killed meanwhile. */
  async function sample(): Promise<boolean> {
    const signal = life.signal;
    const release = await lock.acquire();
    try {
      if (signal.aborted) {
        return false;
      }
      generating = true;
      for (const resolve of generatingWaiters.splice(0)) {
        resolve();
      }
      await sleep(settings.generationMs, signal);
      return !signal.aborted;
    } finally {
      generating = false;
      release();
    }
  }

  function record(entry: RanGeneration): void {
    generations += 1;
    ran.push(entry);
  }

  async function encode(
    plan: GenerationPlan,
    seedOffsets: number,
    format: 'png' | 'jpeg',
  ): Promise<{ images: string[]; texts: string[] }> {
    const images: string[] = [];
    const texts: string[] = [];
    for (let index = 0; index < seedOffsets; index += 1) {
      const seed = plan.seed + index;
      const text = toImageParameters(plan, seed, modelFile);
      const png = renderPng({
        width: plan.outputWidth,
        height: plan.outputHeight,
        seed,
        noise: settings.noise,
        text: { parameters: text },
      });
      const bytes = format === 'jpeg' ? await sharp(png).jpeg().toBuffer() : png;
      images.push(bytes.toString('base64'));
      texts.push(text);
    }
    return { images, texts };
  }

  function ranOf(route: string, plan: GenerationPlan): RanGeneration {
    return {
      route,
      kind: plan.kind,
      ...ranSamplerAndScheduler(plan),
      seed: plan.seed,
      width: plan.outputWidth,
      height: plan.outputHeight,
      steps: plan.steps,
      batch: plan.batch,
      hires: plan.hires !== null,
      loras: plan.loras,
    };
  }

  async function planContext(body: unknown, imageKeys: readonly string[]): Promise<PlanContext> {
    const probes = new Map<string, { width: number; height: number } | null>();
    const candidates: string[] = [];
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const object = body as Record<string, unknown>;
      for (const key of imageKeys) {
        const value = object[key];
        const first: unknown = Array.isArray(value) ? value[0] : value;
        if (typeof first === 'string') {
          candidates.push(first);
        }
      }
    }
    for (const candidate of candidates) {
      probes.set(candidate, await probeImage(candidate));
    }
    return {
      loras: loraCacheFilled ? loraFiles : [],
      upscalerModels: upscalerFiles,
      nowSeconds: Math.floor(now() / 1000),
      clockSeed: glibcRand,
      probeImage: (text) => probes.get(text) ?? null,
    };
  }

  // ---------- sd.cpp routes ----------

  async function handleSdapiGeneration(
    context: Context,
    img2img: boolean,
    noResults: boolean,
  ): Promise<void> {
    if (context.rawBody.length === 0) {
      sendSdcpp(context, 400, { error: 'empty body' });
      return;
    }
    let body: unknown;
    try {
      body = parseJson(context.rawBody);
    } catch (error: unknown) {
      if (error instanceof NlohmannError) {
        sendSdcpp(context, 500, { error: 'server_error', message: error.message });
        return;
      }
      throw error;
    }
    const result: PlanResult = planSdapiRequest(
      body,
      img2img,
      await planContext(body, ['init_images', 'mask']),
    );
    if (!result.ok) {
      sendSdcpp(context, result.status, result.body);
      return;
    }
    const plan = result.plan;
    if (!(await sample())) {
      return;
    }
    if (noResults) {
      sendSdcpp(context, 500, { error: 'generate_image returned no results' });
      return;
    }
    const { images, texts } = await encode(plan, plan.batch, 'png');
    record(ranOf(context.path, plan));
    const info = toSdapiInfo(plan, modelFile, settings.fillInfoLists ? texts : null);
    sendSdcpp(context, 200, { images, parameters: body, info: JSON.stringify(sortKeys(info)) });
  }

  function capabilities(): Record<string, unknown> {
    loraCacheFilled = true;
    const defaults = {
      prompt: '',
      negative_prompt: '',
      clip_skip: -1,
      width: 512,
      height: 512,
      strength: 0.75,
      seed: 42,
      batch_count: 1,
      qwen_image_layers: 3,
      auto_resize_ref_image: true,
      increase_ref_index: false,
      control_strength: 0.9,
      ip_adapter_strength: 1,
      sample_params: {
        scheduler: 'default',
        sample_method: 'default',
        sample_steps: 20,
        eta: null,
        shifted_timestep: 0,
        flow_shift: null,
        guidance: {
          txt_cfg: 7,
          img_cfg: null,
          distilled_guidance: 3.5,
          slg: { layers: [7, 8, 9], layer_start: 0.01, layer_end: 0.2, scale: 0 },
        },
      },
      hires: {
        enabled: false,
        upscaler: 'Latent',
        scale: 2,
        target_width: 0,
        target_height: 0,
        steps: 0,
        denoising_strength: 0.7,
        custom_sigmas: [],
        upscale_tile_size: 128,
      },
      vae_tiling_params: {
        enabled: false,
        temporal_tiling: false,
        tile_size_x: 0,
        tile_size_y: 0,
        target_overlap: 0.5,
        rel_size_x: 0,
        rel_size_y: 0,
        extra_tiling_args: '',
      },
      cache_mode: '',
      cache_option: '',
      scm_mask: '',
      scm_policy_dynamic: true,
      output_format: 'png',
      output_compression: 100,
    };
    const features = {
      init_image: true,
      mask_image: true,
      control_image: true,
      ip_adapter_image: true,
      ref_images: true,
      lora: true,
      vae_tiling: true,
      hires: true,
      cache: true,
      cancel_queued: true,
      cancel_generating: false,
    };
    const formats = ['png', 'jpeg'];
    return {
      model: { name: modelFile, stem: stem(modelFile), path: `/models/${modelFile}` },
      current_mode: 'img_gen',
      supported_modes: ['img_gen'],
      defaults,
      defaults_by_mode: { img_gen: defaults },
      limits: {
        min_width: 64,
        max_width: 4096,
        min_height: 64,
        max_height: 4096,
        max_batch_count: 8,
        max_queue_size: MAX_PENDING_JOBS,
      },
      samplers: [...SDCPP_SAMPLERS],
      schedulers: SDAPI_SCHEDULER_NAMES.filter((name) => name !== 'default'),
      output_formats: formats,
      output_formats_by_mode: { img_gen: formats },
      features,
      features_by_mode: { img_gen: features },
      loras: loraList(),
      upscalers: [
        ...['None', 'Lanczos', 'Nearest', ...LATENT_UPSCALE_MODES].map((name) => ({ name })),
        ...upscalerFiles.map((file) => ({ name: stem(file) })),
      ],
    };
  }

  function loraList(): { name: string; path: string }[] {
    return loraFiles.map((path) => ({ name: stem(path), path }));
  }

  function unixNow(): number {
    return Math.floor(now() / 1000);
  }

  function jobJson(job: AsyncJob): Record<string, unknown> {
    const position = job.status === 'queued' ? jobQueue.indexOf(job.id) + 1 : 0;
    const base: Record<string, unknown> = {
      id: job.id,
      kind: 'img_gen',
      status: job.status,
      created: job.created,
      started: job.started === 0 ? null : job.started,
      completed: job.completed === 0 ? null : job.completed,
      queue_position: position,
    };
    if (job.status === 'completed') {
      base.result = {
        output_format: job.plan.outputFormat,
        images: job.images.map((b64_json, index) => ({ index, b64_json })),
      };
      base.error = null;
    } else if (job.status === 'failed' || job.status === 'cancelled') {
      base.result = null;
      base.error = { code: job.errorCode, message: job.errorMessage };
    } else {
      base.result = null;
      base.error = null;
    }
    return base;
  }

  async function handleImgGen(context: Context, noResults: boolean): Promise<void> {
    if (context.rawBody.length === 0) {
      sendSdcpp(context, 400, { error: 'empty body' });
      return;
    }
    let body: unknown;
    try {
      body = parseJson(context.rawBody);
    } catch (error: unknown) {
      if (error instanceof NlohmannError) {
        sendSdcpp(context, 400, { error: 'invalid json', message: error.message });
        return;
      }
      throw error;
    }
    loraCacheFilled = true;
    const result = planNativeRequest(
      body,
      await planContext(body, ['init_image', 'mask_image', 'control_image', 'ip_adapter_image', 'end_image']),
    );
    if (!result.ok) {
      sendSdcpp(context, result.status, result.body);
      return;
    }
    const pending = [...jobs.values()].filter(
      (job) => job.status === 'queued' || job.status === 'generating',
    );
    if (pending.length >= MAX_PENDING_JOBS) {
      sendSdcpp(context, 429, { error: 'job queue is full' });
      return;
    }
    const created = unixNow();
    const id = `job_${created.toString(16)}_${(nextJobId++).toString(16).padStart(8, '0')}`;
    const job: AsyncJob = {
      id,
      status: 'queued',
      created,
      started: 0,
      completed: 0,
      plan: result.plan,
      images: [],
      errorCode: '',
      errorMessage: '',
      failWithNoResults: noResults,
    };
    jobs.set(id, job);
    jobQueue.push(id);
    runWorker();
    sendSdcpp(context, 202, {
      id,
      kind: 'img_gen',
      status: 'queued',
      created,
      poll_url: `/sdcpp/v1/jobs/${id}`,
    });
  }

  /** `async_job_worker`: one job at a time, marked generating before it waits for the lock. */
  function runWorker(): void {
    if (workerRunning) {
      return;
    }
    workerRunning = true;
    const memory = jobs;
    const loop = async (): Promise<void> => {
      for (;;) {
        const id = jobQueue.shift();
        const job = id === undefined ? undefined : memory.get(id);
        if (id === undefined || job === undefined) {
          break;
        }
        job.status = 'generating';
        job.started = unixNow();
        const finished = await sample();
        if (!finished || memory !== jobs) {
          break;
        }
        job.completed = unixNow();
        if (job.failWithNoResults) {
          job.status = 'failed';
          job.errorCode = 'generation_failed';
          job.errorMessage = 'generate_image returned no results';
          continue;
        }
        const { images } = await encode(job.plan, job.plan.batch, job.plan.outputFormat);
        record(ranOf('/sdcpp/v1/img_gen', job.plan));
        job.status = 'completed';
        job.images = images;
      }
    };
    loop()
      .catch(() => undefined)
      .finally(() => {
        if (memory === jobs) {
          workerRunning = false;
        }
      });
  }

  function handleJob(context: Context, id: string, cancel: boolean): void {
    const job = jobs.get(id);
    if (job === undefined) {
      sendSdcpp(context, 404, { error: 'job not found' });
      return;
    }
    if (cancel && job.status === 'queued') {
      jobQueue = jobQueue.filter((queued) => queued !== id);
      job.status = 'cancelled';
      job.completed = unixNow();
      job.errorCode = 'cancelled';
      job.errorMessage = 'job cancelled by client';
    } else if (cancel && job.status === 'generating') {
      sendSdcpp(context, 409, { error: 'job is currently generating and cannot be interrupted yet' });
      return;
    }
    sendSdcpp(context, 200, jobJson(job));
  }

  async function routeSdcpp(context: Context, fault: Fault | null): Promise<void> {
    const { method, path } = context;
    if (method === 'OPTIONS') {
      write(context, 204, '', {});
      return;
    }
    if (fault !== null && fault.kind !== 'no-results') {
      applyFault(context, fault.kind);
      return;
    }
    const noResults = fault?.kind === 'no-results';
    const get = method === 'GET';
    const post = method === 'POST';
    if (get && path === '/') {
      write(context, 200, 'Stable Diffusion Server is running', { 'content-type': 'text/html' });
    } else if (post && (path === '/sdapi/v1/txt2img' || path === '/sdapi/v1/img2img')) {
      await handleSdapiGeneration(context, path.endsWith('img2img'), noResults);
    } else if (get && path === '/sdapi/v1/loras') {
      loraCacheFilled = true;
      sendSdcpp(context, 200, loraList());
    } else if (get && path === '/sdapi/v1/upscalers') {
      const builtin = ['None', 'Lanczos', 'Nearest'].map((name) => ({
        name,
        model_name: null,
        model_path: null,
        model_url: null,
        scale: 4,
      }));
      const files = upscalerFiles.map((file) => ({
        name: stem(file),
        model_name: 'ESRGAN_4x',
        model_path: `/models/upscalers/${file}`,
        model_url: null,
        scale: 4,
      }));
      sendSdcpp(context, 200, [...builtin, ...files]);
    } else if (get && path === '/sdapi/v1/latent-upscale-modes') {
      sendSdcpp(
        context,
        200,
        LATENT_UPSCALE_MODES.map((name) => ({ name })),
      );
    } else if (get && path === '/sdapi/v1/samplers') {
      sendSdcpp(
        context,
        200,
        SDAPI_SAMPLER_NAMES.map((name) => ({ name, aliases: [name], options: {} })),
      );
    } else if (get && path === '/sdapi/v1/schedulers') {
      sendSdcpp(
        context,
        200,
        SDAPI_SCHEDULER_NAMES.map((name) => ({ name, label: name })),
      );
    } else if (get && path === '/sdapi/v1/sd-models') {
      sendSdcpp(context, 200, [
        {
          title: stem(modelFile),
          model_name: stem(modelFile),
          filename: modelFile,
          hash: '8888888888',
          sha256: '8'.repeat(64),
          config: null,
        },
      ]);
    } else if (get && path === '/sdapi/v1/options') {
      sendSdcpp(context, 200, { samples_format: 'png', sd_model_checkpoint: stem(modelFile) });
    } else if (get && path === '/sdcpp/v1/capabilities') {
      sendSdcpp(context, 200, capabilities());
    } else if (post && path === '/sdcpp/v1/img_gen') {
      await handleImgGen(context, noResults);
    } else {
      const job = /^\/sdcpp\/v1\/jobs\/([A-Za-z0-9_-]+)(\/cancel)?$/.exec(path);
      const id = job?.[1];
      if (id !== undefined && ((get && job?.[2] === undefined) || (post && job?.[2] !== undefined))) {
        handleJob(context, id, post);
        return;
      }
      sdcppNotFound(context);
    }
  }

  // ---------- KoboldCpp routes ----------

  function koboldModelEntry(): Record<string, unknown> {
    return {
      title: stem(modelFile),
      model_name: stem(modelFile),
      hash: '8888888888',
      sha256: '8'.repeat(64),
      filename: `/models/${modelFile}`,
      config: null,
    };
  }

  function routeKoboldGet(context: Context): void {
    const path = context.path;
    if (path === '') {
      write(context, 200, '<!DOCTYPE html><title>KoboldAI Lite</title>', { 'content-type': 'text/html' });
    } else if (path.endsWith('/api/v1/model') || path.endsWith('/api/latest/model')) {
      const authorized =
        password === '' || context.req.headers.authorization?.trim() === `Bearer ${password}`.trim();
      sendKobold(context, 200, {
        result: authorized ? 'koboldcpp/fake-text-model' : 'koboldcpp/protected-model',
      });
    } else if (path.endsWith('/api/extra/version')) {
      sendKobold(context, 200, {
        result: 'KoboldCpp',
        version: KCPP_VERSION,
        protected: password !== '',
        txt2img: true,
        vision: settings.vision,
        transcribe: false,
        multiplayer: false,
        websearch: false,
        tts: false,
        embeddings: false,
      });
    } else if (path.endsWith('/api/extra/generate/check')) {
      if (koboldAuthorized(context)) {
        sendKobold(context, 200, { results: [{ text: '' }] });
      }
    } else if (path.endsWith('/sdapi/v1/loras')) {
      sendKobold(context, 200, loraList());
    } else if (path.endsWith('/sdapi/v1/upscalers')) {
      sendKobold(context, 200, []);
    } else if (path.endsWith('/sdapi/v1/sd-models')) {
      sendKobold(context, 200, [koboldModelEntry()]);
    } else if (path.endsWith('/sdapi/v1/options')) {
      sendKobold(context, 200, { samples_format: 'png', sd_model_checkpoint: stem(modelFile) });
    } else if (path.endsWith('/sdapi/v1/samplers')) {
      sendKobold(context, 200, koboldSamplerList());
    } else if (path.endsWith('/sdapi/v1/schedulers')) {
      sendKobold(
        context,
        200,
        SDAPI_SCHEDULER_NAMES.map((name) => ({ name, label: name })),
      );
    } else if (path.endsWith('/sdapi/v1/latent-upscale-modes')) {
      sendKobold(context, 200, []);
    } else {
      koboldGetNotFound(context);
    }
  }

  async function routeKoboldPost(context: Context, fault: Fault | null): Promise<void> {
    const path = context.path;
    if (path.endsWith('/api/extra/tokencount') || path.endsWith('/api/extra/tokenize')) {
      if (koboldAuthorized(context)) {
        const prompt = readKoboldPrompt(context.rawBody);
        const ids = prompt
          .split(/\s+/)
          .filter((word) => word !== '')
          .map((_, index) => index + 1);
        sendKobold(context, 200, { value: ids.length, ids, prompt });
      }
      return;
    }
    if (fault !== null && fault.kind !== 'no-results') {
      applyFault(context, fault.kind);
      return;
    }
    if (lock.held() && lock.waiting() >= settings.queueLimit) {
      koboldDetail(context, 503, 'Server is busy; please try again later.', 'service_unavailable');
      return;
    }
    const isImage = KOBOLD_GENERATION_SUFFIXES.some((suffix) => path.endsWith(suffix));
    if (path.endsWith('/sdapi/v1/interrogate')) {
      await withKoboldLock(async () => {
        if (!settings.vision) {
          koboldDetail(context, 503, 'No Vision model loaded', 'service_unavailable');
          return;
        }
        await sleep(settings.generationMs, life.signal);
        sendKobold(context, 200, { caption: 'A fake caption of the picture.' });
      });
      return;
    }
    if (path.endsWith('/sdapi/v1/extra-single-image') || path.endsWith('/sdapi/v1/upscale')) {
      await withKoboldLock(async () => {
        sendKobold(context, 200, {
          html_info: '<p>Postprocess upscale by: 2.0, Postprocess upscaler: ESRGAN_4x</p>',
          image: '',
        });
      });
      return;
    }
    if (!isImage) {
      await withKoboldLock(async () => koboldPostNotFound(context));
      return;
    }
    let genparams: unknown;
    try {
      genparams = JSON.parse(context.rawBody) as unknown;
    } catch {
      koboldDetail(context, 500, 'Error parsing input.', 'bad_input');
      return;
    }
    if (typeof genparams !== 'object' || genparams === null || Array.isArray(genparams)) {
      context.req.socket.destroy();
      return;
    }
    const plan = planKoboldRequest(genparams as Record<string, unknown>, {
      loras: loraFiles,
      random,
      areaSide,
    });
    if (plan === null) {
      context.req.socket.destroy();
      return;
    }
    const initSize = plan.kind === 'img2img' ? await probeImage(plan.initImage) : null;
    if (!(await sample())) {
      return;
    }
    const jobTimestamp = koboldTimestamp(new Date(now()));
    const failed =
      fault?.kind === 'no-results' ||
      (plan.kind === 'img2img' &&
        (initSize === null ||
          initSize.width < 64 ||
          initSize.height < 64 ||
          initSize.width > 3072 ||
          initSize.height > 3072));
    if (failed) {
      sendKobold(context, 200, {
        images: [''],
        parameters: {},
        info: pythonJson({ job_timestamp: jobTimestamp }),
        animated: false,
        extra_data: '',
      });
      return;
    }
    const image = renderPng({
      width: plan.width,
      height: plan.height,
      seed: plan.seed,
      noise: settings.noise,
      text: { parameters: koboldParameters(plan) },
    }).toString('base64');
    const { sampler, scheduler } = koboldRan(plan);
    record({
      route: path,
      kind: plan.kind,
      sampler,
      scheduler,
      seed: plan.seed,
      width: plan.width,
      height: plan.height,
      steps: plan.steps,
      batch: 1,
      hires: false,
      loras: plan.loras,
    });
    sendKobold(context, 200, {
      images: [image],
      parameters: {},
      info: pythonJson({ ...koboldInfo(plan), job_timestamp: jobTimestamp }),
      animated: false,
      extra_data: '',
    });
  }

  async function withKoboldLock(action: () => Promise<void>): Promise<void> {
    const release = await lock.acquire();
    try {
      await action();
    } finally {
      release();
    }
  }

  function koboldInfo(plan: KoboldPlan): Record<string, unknown> {
    const info: Record<string, unknown> = {
      prompt: plan.prompt,
      negative_prompt: plan.negativePrompt,
      seed: plan.seed,
      steps: plan.steps,
      cfg_scale: plan.cfgScale,
      width: plan.width,
      height: plan.height,
      sampler_name: plan.sampler,
      scheduler: plan.scheduler,
      clip_skip: plan.clipSkip,
      sd_model_name: stem(modelFile),
    };
    if (plan.kind === 'img2img') {
      info.denoising_strength = plan.strength;
    }
    return info;
  }

  function koboldParameters(plan: KoboldPlan): string {
    const negative = plan.negativePrompt === '' ? '' : `\nNegative prompt: ${plan.negativePrompt}`;
    return (
      `${plan.prompt}${negative}\nSteps: ${plan.steps}, CFG scale: ${plan.cfgScale}, Seed: ${plan.seed}, ` +
      `Size: ${plan.width}x${plan.height}, Sampler: ${plan.sampler}, Model: ${stem(modelFile)}`
    );
  }

  async function routeKobold(context: Context, fault: Fault | null): Promise<void> {
    if (context.method === 'OPTIONS' || context.method === 'HEAD') {
      write(context, 200, '', { 'content-type': 'text/html' });
    } else if (context.method === 'GET') {
      if (fault !== null && fault.kind !== 'no-results') {
        applyFault(context, fault.kind);
        return;
      }
      routeKoboldGet(context);
    } else if (context.method === 'POST') {
      await routeKoboldPost(context, fault);
    } else {
      write(context, 501, '', { 'content-type': 'text/html' });
    }
  }

  // ---------- HTTP plumbing ----------

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readBody(req);
    const receivedAt = performance.timeOrigin + performance.now();
    let body: unknown = null;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody) as unknown;
      } catch {
        body = rawBody;
      }
    }
    const method = req.method ?? 'GET';
    const entry: RecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
      at: Date.now(),
      receivedAt,
    };
    requests.push(entry);
    res.once('finish', () => {
      entry.finishedAt = performance.timeOrigin + performance.now();
    });
    const path = mode === 'koboldcpp' ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const rawPath = (req.url ?? '/').replace(/\/+$/, '');
    const context: Context = { req, res, method, path, rawPath, rawBody };
    const fault = method === 'OPTIONS' ? null : takeFault(path);
    if (mode === 'sdcpp') {
      await routeSdcpp(context, fault);
    } else {
      await routeKobold(context, fault);
    }
  }

  function listen(): Promise<void> {
    const created = createServer((req, res) => {
      handle(req, res).catch(() => {
        if (!res.headersSent) {
          res.destroy();
        }
      });
    });
    created.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    server = created;
    return new Promise((resolve, reject) => {
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        port = (created.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  async function kill(): Promise<void> {
    const current = server;
    server = null;
    life.abort();
    for (const socket of sockets) {
      socket.destroy();
    }
    sockets.clear();
    if (current !== null) {
      await new Promise<void>((resolve) => current.close(() => resolve()));
    }
  }

  await listen();

  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    mode,
    modelFile,
    requests,
    ran,
    get generations() {
      return generations;
    },
    get generating() {
      return generating;
    },
    get queued() {
      return lock.waiting() + jobQueue.length;
    },
    configure(changes) {
      Object.assign(settings, changes);
    },
    failNext(kind, failOptions = {}) {
      faults.push({ kind, remaining: failOptions.times ?? 1, path: failOptions.path ?? null });
    },
    clearFaults() {
      faults.length = 0;
    },
    whenGenerating() {
      return generating ? Promise.resolve() : new Promise<void>((resolve) => generatingWaiters.push(resolve));
    },
    kill,
    async restart() {
      if (server !== null) {
        return;
      }
      life = new AbortController();
      loraCacheFilled = false;
      jobs = new Map();
      jobQueue = [];
      nextJobId = 0;
      workerRunning = false;
      await listen();
    },
    async close() {
      faults.length = 0;
      await kill();
    },
  };
}

// ---------- helpers ----------

/** Width and height of a base64 image (text before a comma ignored), or null when it does not decode. */
async function probeImage(text: string): Promise<{ width: number; height: number } | null> {
  const bare = stripBase64Prefix(text.includes(',') ? text.slice(text.indexOf(',') + 1) : text);
  if (bare.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(bare)) {
    return null;
  }
  const bytes = Buffer.from(bare, 'base64');
  const png = readPngSize(bytes);
  if (png !== null) {
    return png;
  }
  const metadata = await sharp(bytes)
    .metadata()
    .catch(() => null);
  return metadata?.width !== undefined && metadata.height !== undefined
    ? { width: metadata.width, height: metadata.height }
    : null;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => sortKeys(item));
  }
  if (typeof value === 'object' && value !== null) {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((key) => [key, sortKeys(object[key])]),
    );
  }
  return value;
}

function readKoboldPrompt(rawBody: string): string {
  try {
    const parsed = readerOf(JSON.parse(rawBody) as unknown);
    return parsed.string('prompt', '');
  } catch {
    return '';
  }
}

/** `datetime.now().strftime("%Y%m%d%H%M%S")` (UTC here). */
function koboldTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
