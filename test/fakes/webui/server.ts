/**
 * A fake Stable Diffusion WebUI (`/sdapi/v1`) on 127.0.0.1 that follows
 * /work/shared/reference/a1111-api.md and backends.md: A1111 1.10, Forge, Forge Neo, Forge Classic,
 * reForge or SD.Next flavour (dialects.ts), Basic auth, one generation at a time behind a FIFO lock,
 * real seed-dependent PNGs, progress (global and per task), interrupt, model loading, hires fix,
 * styles, LoRA tags, scripts, generations started from the WebUI's own page, and fault injection.
 * Every request is recorded.
 *
 * A task (`/internal/progress`), as A1111 `modules/progress.py` tracks it:
 *
 *   (unknown) --request arrives / page submits--> pending --holds the lock--> current --done--> finished
 *
 * A request that fails inside the lock (OOM, unknown upscaler, …) never reaches `finished`: it stays
 * `current` until the next task starts, as in A1111, where `finish_task` is skipped by the exception.
 * `finished` keeps the last 16 ids.
 */

import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { createFifoLock, readBody, sleep } from '../http-kit.js';
import {
  DEFAULT_MODELS,
  defaultOptions,
  type FakeModel,
  findModel,
  LATENT_UPSCALE_MODES,
  modelStem,
  resolveSampler,
  samplerList,
  schedulerList,
  UPSCALERS,
  type WebuiFlavour,
} from './catalog.js';
import { dialectOf, type OptionalRoute } from './dialects.js';
import {
  applyStyles,
  checkAlwaysOnScripts,
  checkSelectableScript,
  DEFAULT_EMBEDDINGS,
  DEFAULT_LORAS,
  DEFAULT_SD_MODULES,
  DEFAULT_STYLES,
  type FakeEmbedding,
  type FakeExtension,
  type FakeLora,
  type FakeSdModule,
  type FakeStyle,
  resolveLoraTags,
  SDNEXT_DETAILERS,
  scriptRows,
  toEmbeddingsList,
  toScriptsList,
  toStylesList,
} from './lists.js';
import { renderPng, renderPngAsync } from './png.js';

/** A paced answer goes out at least this much at a time (a TCP window's worth, roughly). */
const PACED_CHUNK = 64 * 1024;

import {
  checkBound,
  checkLiteral,
  EXTRAS_FIELDS,
  type FieldKind,
  IMG2IMG_FIELDS,
  jsonDecodeIssue,
  type PydanticStyle,
  TXT2IMG_FIELDS,
  type ValidationIssue,
  validateBody,
} from './validation.js';

export type { FakeModel, WebuiFlavour } from './catalog.js';
export { WEBUI_FLAVOURS } from './dialects.js';
export type { FakeEmbedding, FakeExtension, FakeLora, FakeSdModule, FakeStyle } from './lists.js';

/**
 * - `oom`: 500 OutOfMemoryError (CUDA out of memory) in the flavour's error shape
 * - `server-error`: 500 RuntimeError
 * - `bare-string`: 500 whose body is a bare JSON string (SD.Next TypeError)
 * - `garbage`: 200 with an HTML (non-JSON) body
 * - `wrong-shape`: 200 JSON of the wrong shape
 * - `bad-base64`: 200 generation answer whose image is not base64 (generation routes only)
 * - `hang`: never answers (until `close()`/`kill()`)
 * - `reset`: destroys the connection without answering
 */
export type FaultKind =
  | 'oom'
  | 'server-error'
  | 'bare-string'
  | 'garbage'
  | 'wrong-shape'
  | 'bad-base64'
  | 'hang'
  | 'reset';

export interface FakeWebuiSettings {
  /** Whether `/sdapi/*` routes exist (`--api`). Default true. */
  apiEnabled: boolean;
  /** Sampling time of one whole txt2img/img2img request. Default 20 ms. */
  generationMs: number;
  /** Time to load a checkpoint. Default 10 ms. */
  modelLoadMs: number;
  /** Incompressible pixels (a 2048² PNG > 10 MiB), or `'grain'` (realistic, ~1.9 MB at 1024²). Default false: a cheap pattern. */
  noise: boolean | 'grain';
  /** POST /options with a checkpoint answers 200 null but the model does not change. Default false. */
  silentLoadFailure: boolean;
  /** Gzip answers ≥ 1000 bytes when asked (A1111/Forge only, as their middleware). Default true. */
  gzip: boolean;
  /** width × height × batch_size above which generation fails with OutOfMemoryError. Default 2048² × 4. */
  oomAbovePixels: number;
  /**
   * Answer every generation exactly `generationMs` after its request arrived (or, when it waited in
   * the queue, after the answer before it), whatever the image size and this process's own turns
   * (plus any checkpoint load): the images are encoded while it "generates", the answer is built
   * in the last tenth of it (at most 20 ms, after the lock is released, as A1111 builds its answer)
   * and held until the deadline. An interrupted one still answers at once. For measuring what a bot
   * adds on top of a fixed generation time. Default false: the answer is encoded after the lock.
   */
  fixedServiceTime: boolean;
  /**
   * With `fixedServiceTime`: every answer of one size carries the same images, encoded once, instead
   * of images of its own seed. For the bench, where this fake runs on the cores the bot shares and
   * its encoding (about 9 ms of CPU per 512² PNG) would be counted against the bot; a GPU server
   * encodes on its own machine. Default false.
   */
  reuseImages: boolean;
  /**
   * Sends answers at this many Mbit/s, as over a real link (the GPU box on the LAN, say), instead
   * of as fast as loopback takes them. Default 0: unpaced.
   */
  linkMbps: number;
}

export interface FakeWebuiOptions extends Partial<FakeWebuiSettings> {
  flavour?: WebuiFlavour;
  /** `--api-auth user:pass`. */
  auth?: { username: string; password: string };
  /** Visible checkpoints; the first one is loaded at start. Default: chilloutmix-Ni and v1-5-pruned-emaonly. */
  models?: FakeModel[];
  /** Default 0 (any free port). */
  port?: number;
  /**
   * UI mode (default true). False = `--nowebui` (API only): every `/internal/*` route is
   * 404 `{"detail":"Not Found"}` (`/internal/ping`, `/internal/progress`, `/internal/pending-tasks`).
   */
  uiMode?: boolean;
  /** `GET /loras` and what `<lora:…>` tags resolve against. Default: DEFAULT_LORAS (two entries). */
  loras?: FakeLora[];
  /** `GET /embeddings`. Default: DEFAULT_EMBEDDINGS (two SD 1.x embeddings, none skipped). */
  embeddings?: FakeEmbedding[];
  /** `GET /prompt-styles` and what the request's `styles` apply. Default: DEFAULT_STYLES (Cinematic, Sharp). */
  styles?: FakeStyle[];
  /** Forge and Forge Neo `GET /sd-modules`. Default: DEFAULT_SD_MODULES (ae, clip_l, t5xxl_fp16). */
  sdModules?: FakeSdModule[];
  /** Extensions installed: `'adetailer'` adds the `adetailer` always-on script. Default none. */
  extensions?: FakeExtension[];
}

/** A generation someone started from the WebUI's own page (not through the API). */
export interface ExternalGeneration {
  /** The page's task id, `task(<15 lower-case letters and digits>)`, known to `/internal/progress`. */
  readonly taskId: string;
  /** Resolves when it has finished (ran out, was interrupted, or the fake was closed). */
  readonly done: Promise<void>;
  /** Whether a `POST /interrupt` stopped it. */
  readonly interrupted: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON, the raw text when it is not JSON, or null when empty. */
  body: unknown;
  at: number;
  /** When the body's last byte was read, on the shared clock `performance.timeOrigin + performance.now()`. */
  receivedAt: number;
  /**
   * When the response's last byte was handed to the socket (`res.on('finish')`), on the shared clock
   * `performance.timeOrigin + performance.now()` (sub-millisecond; benchmarks compare it across fakes).
   */
  finishedAt?: number;
}

export interface FailOptions {
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Route path (e.g. `/sdapi/v1/options`), or `*` for any route. Default: txt2img and img2img. */
  path?: string;
}

export interface FakeWebui {
  /** `http://127.0.0.1:<port>` (no credentials). */
  readonly url: string;
  readonly port: number;
  readonly flavour: WebuiFlavour;
  readonly requests: RecordedRequest[];
  /** Checkpoint loads so far (POST /options, override_settings, Forge's lazy load). */
  readonly modelLoads: number;
  /** API generations (txt2img/img2img) that ran to the end or were interrupted; page generations are not counted. */
  readonly generations: number;
  /** `POST /interrupt` requests received, whether or not they stopped anything. */
  readonly interrupts: number;
  /**
   * What each `POST /interrupt` actually stopped, in order: `'external'` for a page generation, else
   * the API task id (the request's `force_task_id`, or the `task(txt2img-XXXXXXX)` id the server made).
   * An interrupt while idle (or while the running job is already interrupted) adds nothing.
   */
  readonly interruptedTasks: string[];
  /** Per API generation (same order as `generations`): names of the LoRAs its prompt tags applied. */
  readonly appliedLoras: string[][];
  /** Per API generation that sent `alwayson_scripts.ADetailer` (any case): the `args` it sent. */
  readonly adetailerArgs: unknown[];
  /** The task `/internal/progress` calls active (`current_task`), or null. */
  readonly currentTask: string | null;
  /** Title of the checkpoint whose weights are loaded. */
  readonly loadedModel: string;
  /** Value of the `sd_model_checkpoint` option. */
  readonly checkpointOption: string;
  /** Whether a generation holds the lock and is sampling. */
  readonly generating: boolean;
  /** Requests waiting for the lock. */
  readonly queued: number;
  /** Changes settings at run time. */
  configure(settings: Partial<FakeWebuiSettings>): void;
  /** The next matching request(s) fail with `kind`. */
  failNext(kind: FaultKind, options?: FailOptions): void;
  clearFaults(): void;
  /** Adds a checkpoint file that only `POST /refresh-checkpoints` reveals (unless `visible`). */
  addModel(model: FakeModel, options?: { visible?: boolean }): void;
  /** Resolves when a generation is sampling (now or next), API or page. */
  whenGenerating(): Promise<void>;
  /**
   * Starts a generation as the WebUI's own page would: registered as a pending task at once, then it
   * takes the same FIFO lock (API requests queue behind it), shows in `/progress` as the running job
   * (`state.job` = its task id), and is stopped by `POST /interrupt`. Default duration: `generationMs`.
   */
  startExternalGeneration(options?: { durationMs?: number }): ExternalGeneration;
  /** Stops listening and destroys every connection, keeping state (a crashed backend). */
  kill(): Promise<void>;
  /** Listens again on the same port after `kill()`. */
  restart(): Promise<void>;
  /** Kills and forgets: never hangs, even with hanging requests. */
  close(): Promise<void>;
}

interface Job {
  kind: 'txt2img' | 'img2img';
  /** `state.job`: `scripts_txt2img` for the API, the task id for a page generation. */
  name: string;
  /** What `interruptedTasks` records for it. */
  label: string;
  startedAt: number;
  durationMs: number;
  /** Sampling steps of each job (`job_count` = its length): per iteration, the first pass [+ hires pass]. */
  phases: number[];
  /** Jobs per iteration: 2 with hires fix. */
  jobsPerIteration: number;
  seed: number;
  timestamp: string;
  frozenAt: number | null;
  interrupted: boolean;
  controller: AbortController;
}

interface Fault {
  kind: FaultKind;
  remaining: number;
  path: string | null;
}

interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  path: string;
  query: Record<string, string>;
  body: unknown;
  bodyError: unknown;
  /** When the body's last byte was read (`RecordedRequest.receivedAt`'s clock). */
  receivedAt: number;
  /** The answer is held until then (same clock): a fixed service time's deadline. */
  sendAt?: number;
}

type Handler = (context: Context) => Promise<void> | void;

interface Hires {
  /** Final (second pass) size. */
  width: number;
  height: number;
  /** Second-pass sampling steps. */
  steps: number;
  upscaler: string;
  upscalerKnown: boolean;
  /** `Hires upscale`/`Hires resize`, `Hires steps`, `Hires upscaler` for the infotext. */
  infotext: Record<string, string | number>;
}

/** `ProgressRequest` of `/internal/progress`. */
const PROGRESS_FIELDS: Record<string, FieldKind> = {
  id_task: 'str',
  id_live_preview: 'int',
  live_preview: 'bool',
};

const GENERATION_PATHS = new Set(['/sdapi/v1/txt2img', '/sdapi/v1/img2img']);
const NO_AUTH_PATHS = new Set(['/sdapi/v1/loras', '/sdapi/v1/refresh-loras']);
const VERSION = 'v1.10.1';
const FINISHED_TASKS_KEPT = 16;
const MAX_SEED = 4_294_967_294;

export async function startFakeWebui(options: FakeWebuiOptions = {}): Promise<FakeWebui> {
  const flavour = options.flavour ?? 'a1111';
  const dialect = dialectOf(flavour);
  const style: PydanticStyle = dialect.pydantic;
  const settings: FakeWebuiSettings = {
    apiEnabled: options.apiEnabled ?? true,
    generationMs: options.generationMs ?? 20,
    modelLoadMs: options.modelLoadMs ?? 10,
    noise: options.noise ?? false,
    silentLoadFailure: options.silentLoadFailure ?? false,
    gzip: options.gzip ?? true,
    oomAbovePixels: options.oomAbovePixels ?? 2048 * 2048 * 4,
    fixedServiceTime: options.fixedServiceTime ?? false,
    reuseImages: options.reuseImages ?? false,
    linkMbps: options.linkMbps ?? 0,
  };
  const models: FakeModel[] = [...(options.models ?? DEFAULT_MODELS)];
  const hiddenModels: FakeModel[] = [];
  const initialModel = models[0];
  if (initialModel === undefined) {
    throw new Error('startFakeWebui needs at least one model');
  }
  const firstModel: FakeModel = initialModel;
  const optionValues = defaultOptions(flavour);
  let checkpointOption = firstModel.title;
  let loadedTitle = firstModel.title;
  let modelLoads = 0;
  let generations = 0;
  /** The last fixed-service-time answer's deadline: one queued behind it starts generating then. */
  let lastDeadline = 0;
  /** With `reuseImages`: the one base64 PNG of each size and noise, encoded once. */
  const reusedImages = new Map<string, Promise<string>>();
  let job: Job | null = null;
  let lastJob: { interrupted: boolean; timestamp: string } = { interrupted: false, timestamp: '0' };
  const generatingWaiters: Array<() => void> = [];
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const lock = createFifoLock();
  const uiMode = options.uiMode ?? true;
  const loras: readonly FakeLora[] = [...(options.loras ?? DEFAULT_LORAS)];
  const embeddings: readonly FakeEmbedding[] = [...(options.embeddings ?? DEFAULT_EMBEDDINGS)];
  const styles: readonly FakeStyle[] = [...(options.styles ?? DEFAULT_STYLES)];
  const sdModules: readonly FakeSdModule[] = [...(options.sdModules ?? DEFAULT_SD_MODULES)];
  const scripts = scriptRows(dialect, options.extensions ?? []);
  let interrupts = 0;
  const interruptedTasks: string[] = [];
  const appliedLoras: string[][] = [];
  const adetailerArgs: unknown[] = [];
  /** A1111 `modules/progress.py`: pending (id → when queued, in order), current, finished (last 16). */
  const tasks = {
    pending: new Map<string, number>(),
    current: null as string | null,
    finished: [] as string[],
  };
  let livePreviewId = 0;
  const sockets = new Set<Socket>();
  let life = new AbortController();
  let server: Server | null = null;
  let port = options.port ?? 0;

  // ---------- responses in the flavour's shapes ----------

  function send(context: Context, status: number, text: string, contentType: string, headers = {}): void {
    const { req, res } = context;
    if (res.headersSent || res.destroyed) {
      return;
    }
    let payload: Buffer = Buffer.from(text, 'utf8');
    const responseHeaders: Record<string, string | number> = { 'content-type': contentType, ...headers };
    if (dialect.processTimeHeader) {
      responseHeaders['x-process-time'] = '0.0010';
    }
    const accepts = String(req.headers['accept-encoding'] ?? '').includes('gzip');
    if (settings.gzip && !dialect.sdnext && accepts && payload.length >= 1000) {
      payload = gzipSync(payload, { level: 1 });
      responseHeaders['content-encoding'] = 'gzip';
      responseHeaders.vary = 'Accept-Encoding';
    }
    responseHeaders['content-length'] = payload.length;
    const write = () => {
      if (res.destroyed) return;
      // A timer may fire early: libuv counts from the loop's time, read before this turn's work.
      const wait = context.sendAt === undefined ? 0 : context.sendAt - sharedNow();
      if (wait > 0) {
        setTimeout(write, wait);
        return;
      }
      res.writeHead(status, responseHeaders);
      if (settings.linkMbps > 0) writePaced(res, payload, settings.linkMbps);
      else res.end(payload);
    };
    write();
  }

  /** `payload` written as fast as a `mbps` link carries it, checked every millisecond. */
  function writePaced(res: ServerResponse, payload: Buffer, mbps: number): void {
    const bytesPerMs = (mbps * 1e6) / 8 / 1000;
    const started = performance.now();
    let sent = 0;
    const step = () => {
      if (res.destroyed) return;
      const due = Math.min(
        payload.length,
        Math.ceil((performance.now() - started) * bytesPerMs) + PACED_CHUNK,
      );
      if (due > sent) {
        res.write(payload.subarray(sent, due));
        sent = due;
      }
      if (sent >= payload.length) res.end();
      else setTimeout(step, 1);
    };
    step();
  }

  function sendJson(context: Context, status: number, value: unknown, headers = {}): void {
    send(context, status, JSON.stringify(value), 'application/json', headers);
  }

  /** `fastapi.HTTPException(status, detail)` as each flavour renders it. */
  function sendHttpException(context: Context, status: number, detail: string, headers = {}): void {
    const errors = `${status}: ${detail}`;
    const body =
      dialect.errors === 'forge'
        ? { detail }
        : dialect.errors === 'sdnext'
          ? { error: 'HTTPException', code: status, detail, body: '', errors }
          : { error: 'HTTPException', detail, body: '', errors };
    sendJson(context, status, body, headers);
  }

  /** Any other Python exception: `type(e).__name__` and `str(e)`. */
  function sendException(context: Context, errorType: string, message: string, status = 500): void {
    const body =
      dialect.errors === 'forge'
        ? { error: errorType, detail: '', body: '', message }
        : dialect.errors === 'sdnext'
          ? { error: errorType, code: status, detail: '', body: '', errors: message }
          : { error: errorType, detail: '', body: '', errors: message };
    sendJson(context, status, body);
  }

  function sendValidation(context: Context, issues: ValidationIssue[]): void {
    sendJson(context, 422, { detail: issues });
  }

  function notFound(context: Context): void {
    sendJson(context, 404, { detail: 'Not Found' });
  }

  // ---------- auth ----------

  function authFailure(header: string | undefined): string | null {
    if (options.auth === undefined) {
      return null;
    }
    if (dialect.errors === 'sdnext') {
      return header === basic(options.auth.username, options.auth.password) ? null : 'Unauthorized';
    }
    const [scheme, param] = (header ?? '').split(' ', 2);
    if (header === undefined || scheme?.toLowerCase() !== 'basic' || param === undefined) {
      return 'Not authenticated';
    }
    const decoded = /^[A-Za-z0-9+/]*={0,2}$/.test(param)
      ? Buffer.from(param, 'base64').toString('utf8')
      : null;
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded === null || colon < 0) {
      return 'Invalid authentication credentials';
    }
    const user = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    return user === options.auth.username && password === options.auth.password
      ? null
      : 'Incorrect username or password';
  }

  function sendUnauthorized(context: Context, detail: string): void {
    // A1111's middleware drops WWW-Authenticate; Forge (middleware off) and SD.Next keep it.
    const headers = dialect.errors === 'a1111' ? {} : { 'www-authenticate': 'Basic' };
    sendHttpException(context, 401, detail, headers);
  }

  // ---------- faults ----------

  function takeFault(path: string): Fault | null {
    const fault = faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.path === '*' ||
          (candidate.path ?? '') === path ||
          (candidate.path === null && GENERATION_PATHS.has(path))),
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

  function applyFault(context: Context, fault: Fault): void {
    const generation = GENERATION_PATHS.has(context.path);
    switch (fault.kind) {
      case 'oom':
        sendException(context, 'OutOfMemoryError', 'CUDA out of memory. Tried to allocate 2.00 GiB');
        return;
      case 'server-error':
        sendException(
          context,
          'RuntimeError',
          'Expected all tensors to be on the same device, but found at least two devices, cuda:0 and cpu!',
        );
        return;
      case 'bare-string':
        sendJson(context, 500, "TypeError: unsupported operand type(s) for +: 'NoneType' and 'int'");
        return;
      case 'garbage':
        send(context, 200, '<!DOCTYPE html><html><body><h1>Bad Gateway</h1></body></html>', 'text/html');
        return;
      case 'wrong-shape':
        sendJson(context, 200, generation ? { images: 'not-a-list', info: 42 } : [{ unexpected: true }]);
        return;
      case 'bad-base64':
        sendJson(context, 200, {
          images: ['@@not base64@@'],
          parameters: {},
          info: JSON.stringify({ seed: 1, all_seeds: [1], width: 8, height: 8, index_of_first_image: 0 }),
        });
        return;
      case 'hang':
        return;
      case 'reset':
        context.req.socket.destroy();
        return;
    }
  }

  // ---------- model loading ----------

  async function loadWeights(model: FakeModel): Promise<void> {
    if (model.title === loadedTitle) {
      return;
    }
    await sleep(settings.modelLoadMs, life.signal);
    modelLoads += 1;
    loadedTitle = model.title;
  }

  /** A1111 `opts.set("sd_model_checkpoint")` → `reload_model_weights`, under the queue lock. */
  async function setCheckpointEagerly(name: string, model: FakeModel): Promise<boolean> {
    const release = await lock.acquire();
    try {
      if (model.title === loadedTitle) {
        checkpointOption = name;
        return true;
      }
      await sleep(settings.modelLoadMs, life.signal);
      if (settings.silentLoadFailure) {
        return false;
      }
      modelLoads += 1;
      loadedTitle = model.title;
      checkpointOption = model.title;
      return true;
    } finally {
      release();
    }
  }

  // ---------- progress ----------

  function jobPosition(current: Job, now: number): { jobNo: number; step: number; done: number } {
    const elapsed = (current.frozenAt ?? now) - current.startedAt;
    const fraction = current.durationMs > 0 ? Math.min(1, elapsed / current.durationMs) : 1;
    const phases = current.phases.map((steps) => Math.max(1, steps));
    const totalSteps = Math.max(
      1,
      phases.reduce((sum, steps) => sum + steps, 0),
    );
    const done = Math.min(totalSteps - 1, Math.floor(fraction * totalSteps));
    let step = done;
    let jobNo = 0;
    for (const steps of phases.slice(0, -1)) {
      if (step < steps) {
        break;
      }
      step -= steps;
      jobNo += 1;
    }
    return { jobNo, step, done };
  }

  function stateOf(current: Job | null, now: number): Record<string, unknown> {
    const position = current === null ? { jobNo: 0, step: 0 } : jobPosition(current, now);
    const state: Record<string, unknown> = {
      skipped: false,
      interrupted: current?.interrupted ?? lastJob.interrupted,
      stopping_generation: false,
      job: current === null ? '' : current.name,
      job_count: current?.phases.length ?? 0,
      job_timestamp: current?.timestamp ?? lastJob.timestamp,
      job_no: position.jobNo,
      sampling_step: position.step,
      sampling_steps: current?.phases[position.jobNo] ?? 0,
    };
    if (dialect.sdnext) {
      delete state.stopping_generation;
    }
    return state;
  }

  function handleProgress(context: Context): void {
    const now = Date.now();
    const current = job;
    if (current === null) {
      sendJson(context, 200, {
        progress: 0,
        eta_relative: 0,
        state: stateOf(null, now),
        current_image: null,
        textinfo: null,
      });
      return;
    }
    const { jobNo, step } = jobPosition(current, now);
    const jobCount = current.phases.length;
    const steps = Math.max(1, current.phases[jobNo] ?? 1);
    const progress = Math.min(1, 0.01 + jobNo / jobCount + step / steps / jobCount);
    const elapsed = ((current.frozenAt ?? now) - current.startedAt) / 1000;
    const skip = ['true', '1', 'yes', 'on'].includes((context.query.skip_current_image ?? '').toLowerCase());
    sendJson(context, 200, {
      progress,
      eta_relative: elapsed / progress - elapsed,
      state: stateOf(current, now),
      current_image: skip
        ? null
        : renderPng({ width: 64, height: 64, seed: current.seed }).toString('base64'),
      textinfo: null,
    });
  }

  // ---------- tasks (/internal/progress) ----------

  function addTaskToQueue(id: string): void {
    tasks.pending.set(id, performance.now());
  }

  function startTask(id: string): void {
    tasks.current = id;
    tasks.pending.delete(id);
  }

  function finishTask(id: string): void {
    if (tasks.current === id) {
      tasks.current = null;
    }
    tasks.finished.push(id);
    if (tasks.finished.length > FINISHED_TASKS_KEPT) {
      tasks.finished.shift();
    }
  }

  /** The live preview of the running job as A1111 serves it, when it changed since `knownId`. */
  function livePreview(
    current: Job | null,
    now: number,
    knownId: number,
  ): { image: string; id: number } | null {
    if (current === null || optionValues.live_previews_enable !== true) {
      return null;
    }
    const every = Math.max(1, Number(optionValues.show_progress_every_n_steps) || 1);
    const id = livePreviewId + 1 + Math.floor(jobPosition(current, now).done / every);
    if (id === knownId) {
      return null;
    }
    const png = renderPng({ width: 64, height: 64, seed: current.seed + id });
    return { image: `data:image/png;base64,${png.toString('base64')}`, id };
  }

  /** A1111 ≥ 1.8 / Forge `POST /internal/progress`: the state of one task id. */
  function handleInternalProgress(context: Context): void {
    if (context.bodyError !== undefined) {
      sendValidation(context, [jsonDecodeIssue(style, context.bodyError)]);
      return;
    }
    const validated = validateBody(context.body, PROGRESS_FIELDS, style);
    if (!validated.ok) {
      sendValidation(context, validated.issues);
      return;
    }
    const request = validated.value;
    const idTask = typeof request.id_task === 'string' ? request.id_task : null;
    const knownPreview = typeof request.id_live_preview === 'number' ? request.id_live_preview : -1;
    const now = Date.now();
    const current = job;
    const active = idTask === tasks.current;
    const queued = idTask !== null && tasks.pending.has(idTask);
    const completed = idTask !== null && tasks.finished.includes(idTask);
    if (dialect.sdnext) {
      sendSdnextInternalProgress(context, { active, queued, completed, knownPreview, now, current });
      return;
    }
    if (!active) {
      const order = [...tasks.pending.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
      const textinfo = queued ? `In queue: ${order.indexOf(idTask ?? '') + 1}/${order.length}` : 'Waiting...';
      sendJson(context, 200, {
        active,
        queued,
        completed,
        progress: null,
        eta: null,
        live_preview: null,
        id_live_preview: -1,
        textinfo,
      });
      return;
    }
    let progress = 0;
    let eta: number | null = null;
    if (current !== null) {
      const { jobNo, step } = jobPosition(current, now);
      const jobCount = current.phases.length;
      const steps = current.phases[jobNo] ?? 0;
      progress += jobNo / jobCount;
      if (steps > 0) {
        progress += step / steps / jobCount;
      }
      progress = Math.min(progress, 1);
      const elapsed = ((current.frozenAt ?? now) - current.startedAt) / 1000;
      eta = progress > 0 ? elapsed / progress - elapsed : null;
    }
    const preview = request.live_preview === false ? null : livePreview(current, now, knownPreview);
    sendJson(context, 200, {
      active,
      queued,
      completed,
      progress,
      eta,
      live_preview: preview?.image ?? null,
      id_live_preview: preview?.id ?? knownPreview,
      textinfo: null,
    });
  }

  /** SD.Next's `/internal/progress`: its own fields, `Queued...` instead of a queue position. */
  function sendSdnextInternalProgress(
    context: Context,
    status: {
      active: boolean;
      queued: boolean;
      completed: boolean;
      knownPreview: number;
      now: number;
      current: Job | null;
    },
  ): void {
    const { active, queued, completed, current, now } = status;
    const position = current === null ? null : jobPosition(current, now);
    const step = position?.step ?? 0;
    const steps = Math.max(current?.phases[position?.jobNo ?? 0] ?? 1, 1);
    const progress = Math.round(Math.min(1, step > 0 ? step / steps : 0) * 100) / 100;
    const elapsed = current === null ? 0 : ((current.frozenAt ?? now) - current.startedAt) / 1000;
    const preview =
      active && status.knownPreview !== -1 ? livePreview(current, now, status.knownPreview) : null;
    sendJson(context, 200, {
      job: current?.name ?? '',
      textinfo: active ? null : queued ? 'Queued...' : 'Waiting...',
      active,
      queued,
      paused: false,
      completed,
      debug: false,
      step,
      steps,
      batch_no: position?.jobNo ?? 0,
      batch_count: current?.phases.length ?? 0,
      progress,
      eta: progress > 0 ? elapsed / progress - elapsed : null,
      live_preview: preview?.image ?? null,
      id_live_preview: preview?.id ?? livePreviewId,
    });
  }

  function handlePendingTasks(context: Context): void {
    const ids = [...tasks.pending.keys()];
    sendJson(context, 200, { size: ids.length, tasks: ids });
  }

  function handleInterrupt(context: Context): void {
    interrupts += 1;
    if (job !== null && !job.interrupted) {
      job.interrupted = true;
      job.frozenAt = Date.now();
      job.controller.abort();
      interruptedTasks.push(job.label);
    }
    sendJson(context, 200, {});
  }

  // ---------- page generations ----------

  function startExternalGeneration(externalOptions: { durationMs?: number } = {}): ExternalGeneration {
    const taskId = `task(${randomText(15, 'abcdefghijklmnopqrstuvwxyz0123456789')})`;
    let interrupted = false;
    // The page's wrap_gradio_gpu_call: add_task_to_queue, then the queue lock, start_task, finish_task.
    addTaskToQueue(taskId);
    const run = async (): Promise<void> => {
      const release = await lock.acquire();
      let current: Job | null = null;
      try {
        if (life.signal.aborted) {
          return;
        }
        startTask(taskId);
        current = {
          kind: 'txt2img',
          name: taskId,
          label: 'external',
          startedAt: Date.now(),
          durationMs: externalOptions.durationMs ?? settings.generationMs,
          phases: [20],
          jobsPerIteration: 1,
          seed: randomSeed(),
          timestamp: jobTimestamp(new Date()),
          frozenAt: null,
          interrupted: false,
          controller: new AbortController(),
        };
        job = current;
        for (const notify of generatingWaiters.splice(0)) {
          notify();
        }
        await sleep(current.durationMs, AbortSignal.any([current.controller.signal, life.signal]));
        if (current.frozenAt === null) {
          current.frozenAt = Date.now();
        }
        interrupted = current.interrupted;
      } finally {
        finishTask(taskId);
        if (current !== null) {
          lastJob = { interrupted: current.interrupted, timestamp: current.timestamp };
          livePreviewId += 1 + current.phases.reduce((sum, steps) => sum + steps, 0);
        }
        if (job === current) {
          job = null;
        }
        release();
      }
    };
    const done = run();
    return {
      taskId,
      done,
      get interrupted() {
        return interrupted;
      },
    };
  }

  // ---------- generation ----------

  function generationDefaults(kind: 'txt2img' | 'img2img'): Record<string, unknown> {
    const sdnext = dialect.sdnext;
    const defaults: Record<string, unknown> = {
      prompt: '',
      negative_prompt: '',
      styles: null,
      seed: -1,
      subseed: -1,
      subseed_strength: 0,
      seed_resize_from_h: -1,
      seed_resize_from_w: -1,
      sampler_name: sdnext ? 'UniPC' : null,
      sampler_index: 'Euler',
      scheduler: null,
      batch_size: 1,
      n_iter: 1,
      steps: sdnext ? 20 : 50,
      cfg_scale: sdnext ? 6.0 : 7.0,
      width: sdnext ? 1024 : 512,
      height: sdnext ? 1024 : 512,
      restore_faces: null,
      tiling: null,
      do_not_save_samples: false,
      do_not_save_grid: false,
      denoising_strength: kind === 'img2img' ? (sdnext ? 0.5 : 0.75) : null,
      override_settings: null,
      override_settings_restore_afterwards: true,
      enable_hr: false,
      hr_scale: 2.0,
      hr_upscaler: null,
      hr_second_pass_steps: 0,
      script_name: null,
      script_args: [],
      alwayson_scripts: {},
      send_images: true,
      save_images: false,
    };
    if (dialect.distilledCfg) {
      defaults.distilled_cfg_scale = 3.5;
      defaults.hr_cfg = 1.0;
      defaults.hr_distilled_cfg = 3.5;
    }
    if (dialect.modules) {
      defaults.hr_additional_modules = null;
    }
    if (kind === 'img2img') {
      defaults.init_images = null;
      defaults.resize_mode = 0;
      defaults.mask = null;
      defaults.include_init_images = false;
    }
    return defaults;
  }

  function generationFields(kind: 'txt2img' | 'img2img'): Record<string, FieldKind> {
    const fields = kind === 'txt2img' ? TXT2IMG_FIELDS : IMG2IMG_FIELDS;
    return dialect.modules ? { ...fields, hr_additional_modules: 'list-str' } : fields;
  }

  async function handleGeneration(context: Context, kind: 'txt2img' | 'img2img'): Promise<void> {
    if (context.bodyError !== undefined) {
      sendValidation(context, [jsonDecodeIssue(style, context.bodyError)]);
      return;
    }
    const fields = generationFields(kind);
    const validated = validateBody(context.body, fields, style);
    if (!validated.ok) {
      sendValidation(context, validated.issues);
      return;
    }
    const request = validated.value;
    const defaults = generationDefaults(kind);
    const pick = (key: string): unknown => (request[key] === undefined ? defaults[key] : request[key]);

    for (const key of ['steps', 'width', 'height', 'batch_size', 'n_iter']) {
      if (request[key] === null) {
        sendException(context, 'TypeError', `'<' not supported between instances of 'NoneType' and 'int'`);
        return;
      }
    }
    const steps = Number(pick('steps'));
    // Forge Neo floors the size to its multiple before sampling; info and infotext report the result.
    const multiple = dialect.sizeMultiple;
    const width =
      multiple > 1
        ? Math.max(multiple, Math.floor(Number(pick('width')) / multiple) * multiple)
        : Number(pick('width'));
    const height =
      multiple > 1
        ? Math.max(multiple, Math.floor(Number(pick('height')) / multiple) * multiple)
        : Number(pick('height'));
    const batchSize = Math.max(1, Number(pick('batch_size')));
    const nIter = Math.max(1, Number(pick('n_iter')));
    // A1111 gives every API request a task id; only `force_task_id` makes it one the client knows.
    const taskId = dialect.apiTasks
      ? typeof request.force_task_id === 'string' && request.force_task_id !== ''
        ? request.force_task_id
        : `task(${kind}-${randomText(7, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')})`
      : null;

    if (kind === 'img2img') {
      const initImages = request.init_images;
      if (!Array.isArray(initImages) || initImages.length === 0) {
        if (dialect.sdnext) {
          sendJson(context, 400, { error: 'Init image is none' });
        } else {
          sendHttpException(context, 404, 'Init image not found');
        }
        return;
      }
      for (const image of initImages) {
        if (!(await isImage(String(image)))) {
          // A1111 decodes the init images inside the lock after add_task_to_queue: the task stays pending.
          if (taskId !== null) {
            addTaskToQueue(taskId);
          }
          sendHttpException(context, 500, 'Invalid encoded image');
          return;
        }
      }
      if (initImages.length > batchSize) {
        sendException(
          context,
          'Exception',
          `bad number of images passed: ${initImages.length}; expecting ${batchSize} or less`,
        );
        return;
      }
    }

    const selectableError = checkSelectableScript(scripts, kind, request.script_name);
    if (selectableError !== null) {
      sendHttpException(context, 422, selectableError);
      return;
    }
    const requestedSampler = String(
      request.sampler_name ?? (dialect.sdnext ? 'UniPC' : (request.sampler_index ?? 'Euler')),
    );
    const schedulerName = typeof request.scheduler === 'string' ? request.scheduler : null;
    const sampler = resolveSampler(flavour, requestedSampler, schedulerName);
    if (sampler === undefined) {
      sendHttpException(context, 404, 'Sampler not found');
      return;
    }
    const alwaysOn = isRecord(request.alwayson_scripts) ? request.alwayson_scripts : {};
    const scriptError = checkAlwaysOnScripts(scripts, kind, alwaysOn);
    if (scriptError !== null) {
      sendHttpException(context, 422, scriptError);
      return;
    }

    const hires =
      kind === 'txt2img' && request.enable_hr === true ? toHires(request, pick, width, height, steps) : null;
    const outWidth = hires?.width ?? width;
    const outHeight = hires?.height ?? height;
    const phases = Array.from({ length: nIter }, () =>
      hires === null ? [steps] : [steps, hires.steps],
    ).flat();

    const overrides = isRecord(request.override_settings) ? request.override_settings : {};
    const restoreAfterwards = pick('override_settings_restore_afterwards') !== false;
    let current: Job | null = null;
    let model: FakeModel = firstModel;
    let prerendered: string[] | undefined;
    if (taskId !== null) {
      addTaskToQueue(taskId);
    }
    const release = await lock.acquire();
    try {
      if (life.signal.aborted) {
        return;
      }
      if (taskId !== null) {
        startTask(taskId);
      }
      const unknownKey = Object.keys(overrides).find((key) => !(key in optionValues));
      if (unknownKey !== undefined) {
        sendException(context, 'KeyError', `'${unknownKey}'`);
        return;
      }
      const overrideName = overrides.sd_model_checkpoint;
      const override = typeof overrideName === 'string' ? findModel(models, overrideName) : undefined;
      model = override ?? findModel(models, checkpointOption) ?? firstModel;
      const loadStarted = sharedNow();
      await loadWeights(model);
      const generationStarts = Math.max(context.receivedAt, lastDeadline) + sharedNow() - loadStarted;
      if (override !== undefined && !restoreAfterwards) {
        checkpointOption = override.title;
      }
      if (hires !== null && !hires.upscalerKnown) {
        sendException(context, 'Exception', `could not find upscaler named ${hires.upscaler}`);
        return;
      }
      if (outWidth * outHeight * batchSize > settings.oomAbovePixels) {
        sendException(
          context,
          'OutOfMemoryError',
          `CUDA out of memory. Tried to allocate ${((outWidth * outHeight * batchSize * 64) / 2 ** 30).toFixed(2)} GiB`,
        );
        return;
      }
      const requestedSeed = request.seed === undefined || request.seed === null ? -1 : Number(request.seed);
      const seed = requestedSeed === -1 ? randomSeed() : requestedSeed;
      current = {
        kind,
        name: `scripts_${kind}`,
        label: taskId ?? `scripts_${kind}`,
        startedAt: Date.now(),
        durationMs: settings.generationMs,
        phases,
        jobsPerIteration: hires === null ? 1 : 2,
        seed,
        timestamp: jobTimestamp(new Date()),
        frozenAt: null,
        interrupted: false,
        controller: new AbortController(),
      };
      job = current;
      for (const notify of generatingWaiters.splice(0)) {
        notify();
      }
      // Encoded while the generation "runs", off the event loop the other fakes share.
      let rendering: Promise<string[]> | undefined;
      if (settings.fixedServiceTime && pick('send_images') !== false) {
        const seedBase = current.seed;
        const render = (index: number) =>
          renderPngAsync({
            width: outWidth,
            height: outHeight,
            seed: seedBase + index,
            noise: settings.noise,
          }).then((png) => png.toString('base64'));
        const reused = (index: number) => {
          // Per size and kind of image: `configure` may change the noise between answers.
          const key = `${outWidth}x${outHeight}|${String(settings.noise)}`;
          const made = reusedImages.get(key) ?? render(index);
          reusedImages.set(key, made);
          return made;
        };
        rendering = Promise.all(
          Array.from({ length: batchSize * nIter }, (_, index) =>
            settings.reuseImages ? reused(index) : render(index),
          ),
        );
        rendering.catch(() => undefined);
      }
      const signal = AbortSignal.any([current.controller.signal, life.signal]);
      if (hires !== null && dialect.modules && !Array.isArray(request.hr_additional_modules)) {
        // Forge: `'Use same choices' not in self.hr_additional_modules` after the first pass.
        const firstPass = (settings.generationMs * steps) / Math.max(1, steps + hires.steps);
        await sleep(Math.max(0, current.startedAt + firstPass - Date.now()), signal);
        sendException(context, 'TypeError', "argument of type 'NoneType' is not iterable");
        return;
      }
      const remaining = Math.max(0, current.startedAt + settings.generationMs - Date.now());
      const deadline = generationStarts + settings.generationMs;
      const building = Math.min(20, settings.generationMs / 10);
      await sleep(
        settings.fixedServiceTime ? Math.max(0, deadline - building - sharedNow()) : remaining,
        signal,
      );
      if (rendering !== undefined) prerendered = await rendering;
      if (settings.fixedServiceTime && !current.interrupted) {
        context.sendAt = deadline;
        lastDeadline = deadline;
      }
      if (current.frozenAt === null) {
        current.frozenAt = Date.now();
      }
      generations += 1;
      if (taskId !== null) {
        finishTask(taskId);
      }
    } finally {
      if (current !== null) {
        lastJob = { interrupted: current.interrupted, timestamp: current.timestamp };
        livePreviewId += 1 + current.phases.reduce((sum, phaseSteps) => sum + phaseSteps, 0);
      }
      job = null;
      release();
    }
    if (current === null || life.signal.aborted) {
      return;
    }

    // Images are encoded after the lock is released, as in A1111's text2imgapi.
    const total = batchSize * nIter;
    const made = current.interrupted
      ? Math.min(
          total,
          (Math.floor(jobPosition(current, current.frozenAt ?? Date.now()).jobNo / current.jobsPerIteration) +
            1) *
            batchSize,
        )
      : total;
    const subseedRequested =
      request.subseed === undefined || request.subseed === null ? -1 : Number(request.subseed);
    const subseed = subseedRequested === -1 ? randomSeed() : subseedRequested;
    const allSeeds = Array.from({ length: total }, (_, index) => current.seed + index);
    const allSubseeds = Array.from({ length: total }, (_, index) => subseed + index);
    const styleNames = Array.isArray(request.styles) ? request.styles.map(String) : [];
    const styled = applyStyles(
      styles,
      styleNames,
      String(pick('prompt') ?? ''),
      String(pick('negative_prompt') ?? ''),
    );
    const prompt = styled.prompt;
    const negativePrompt = styled.negativePrompt;
    appliedLoras.push(request.disable_extra_networks === true ? [] : resolveLoraTags(dialect, loras, prompt));
    const adetailer = Object.entries(alwaysOn).find(([title]) => title.toLowerCase() === 'adetailer');
    if (adetailer !== undefined) {
      const entry = adetailer[1];
      adetailerArgs.push(isRecord(entry) ? (entry.args ?? []) : entry);
    }
    const cfgScale = Number(pick('cfg_scale'));
    const extraParams: Record<string, string | number> = {};
    if (hires !== null) {
      const denoising = pick('denoising_strength');
      if (typeof denoising === 'number') {
        extraParams['Denoising strength'] = denoising;
      }
      const hrModules = request.hr_additional_modules;
      if (dialect.modules && Array.isArray(hrModules)) {
        // Forge's init: [] means the built-in modules, 'Use same choices' keeps the first pass's.
        const names =
          hrModules.length === 0
            ? ['Built-in']
            : hrModules.includes('Use same choices')
              ? ['Use same choices']
              : hrModules.map(fileStem);
        names.forEach((name, index) => {
          extraParams[`Hires Module ${index + 1}`] = name;
        });
      }
      Object.assign(extraParams, hires.infotext);
    }
    const modules = optionValues.forge_additional_modules;
    if (dialect.modules && Array.isArray(modules)) {
      modules.forEach((module, index) => {
        extraParams[`Module ${index + 1}`] = fileStem(module);
      });
    }
    const infotexts = allSeeds.map((seed) =>
      toInfotext({
        prompt,
        negativePrompt,
        steps,
        sampler: sampler.sampler,
        scheduler: sampler.scheduler,
        cfgScale,
        seed,
        width,
        height,
        model,
        extra: extraParams,
        version: dialect.version ?? VERSION,
      }),
    );
    const images: string[] = prerendered === undefined ? [] : prerendered.slice(0, made);
    if (prerendered === undefined && pick('send_images') !== false) {
      for (let index = 0; index < made; index += 1) {
        const png = renderPng({
          width: outWidth,
          height: outHeight,
          seed: allSeeds[index] ?? current.seed,
          noise: settings.noise,
          text: { parameters: infotexts[index] ?? '' },
        });
        images.push(png.toString('base64'));
      }
    }
    const grid =
      pick('save_images') === true && total > 1 && optionValues.return_grid === true && images.length > 0;
    if (grid) {
      images.unshift(
        renderPng({ width: outWidth, height: outHeight, seed: current.seed ^ 0xffffff }).toString('base64'),
      );
    }

    const extraGenerationParams: Record<string, unknown> =
      sampler.scheduler === null ? {} : { 'Schedule type': sampler.scheduler };
    const info: Record<string, unknown> = {
      prompt,
      all_prompts: allSeeds.map(() => prompt),
      negative_prompt: negativePrompt,
      all_negative_prompts: allSeeds.map(() => negativePrompt),
      seed: current.seed,
      all_seeds: allSeeds,
      subseed,
      all_subseeds: allSubseeds,
      subseed_strength: Number(pick('subseed_strength')),
      width,
      height,
      sampler_name: sampler.sampler,
      cfg_scale: cfgScale,
      steps,
      batch_size: batchSize,
      restore_faces: pick('restore_faces') === true,
      face_restoration_model: null,
      sd_model_name: modelStem(model),
      sd_model_hash: model.hash,
      sd_vae_name: null,
      sd_vae_hash: null,
      seed_resize_from_w: -1,
      seed_resize_from_h: -1,
      denoising_strength: pick('denoising_strength'),
      extra_generation_params: { ...extraGenerationParams, ...extraParams },
      index_of_first_image: grid ? 1 : 0,
      infotexts,
      styles: pick('styles') ?? [],
      job_timestamp: current.timestamp,
      clip_skip: 1,
      is_using_inpainting_conditioning: false,
      version: dialect.version ?? VERSION,
    };
    if (dialect.sdnext) {
      for (const key of [
        'sd_model_name',
        'sd_vae_name',
        'sd_vae_hash',
        'restore_faces',
        'face_restoration_model',
        'version',
        'is_using_inpainting_conditioning',
      ]) {
        delete info[key];
      }
      Object.assign(info, { cfg_end: 1, detailer: false, detailer_model: null });
    }
    const parameters = Object.fromEntries(
      [...new Set([...Object.keys(defaults), ...Object.keys(fields)])].map((key) => [key, pick(key) ?? null]),
    );
    sendJson(context, 200, { images, parameters, info: JSON.stringify(info) });
  }

  /** Hires fix as A1111's `StableDiffusionProcessingTxt2Img.init` reads it (the first pass is `width`×`height`). */
  function toHires(
    request: Record<string, unknown>,
    pick: (key: string) => unknown,
    width: number,
    height: number,
    steps: number,
  ): Hires {
    const upscaler = typeof request.hr_upscaler === 'string' ? request.hr_upscaler : null;
    const upscalerKnown =
      upscaler === null ||
      (LATENT_UPSCALE_MODES as readonly string[]).includes(upscaler) ||
      UPSCALERS.some((item) => item.name === upscaler);
    const scale = Number(pick('hr_scale') ?? 2);
    const resizeX = Number(request.hr_resize_x ?? 0);
    const resizeY = Number(request.hr_resize_y ?? 0);
    const secondPassSteps = Number(request.hr_second_pass_steps ?? 0);
    const target = hiresTarget({ width, height, scale, resizeX, resizeY });
    const infotext: Record<string, string | number> =
      resizeX === 0 && resizeY === 0
        ? { 'Hires upscale': scale }
        : { 'Hires resize': `${resizeX}x${resizeY}` };
    if (secondPassSteps > 0) {
      infotext['Hires steps'] = secondPassSteps;
    }
    if (upscaler !== null) {
      infotext['Hires upscaler'] = upscaler;
    }
    return {
      ...target,
      steps: secondPassSteps > 0 ? secondPassSteps : steps,
      upscaler: upscaler ?? 'Latent',
      upscalerKnown,
      infotext,
    };
  }

  // ---------- extras ----------

  async function handleExtraSingleImage(context: Context): Promise<void> {
    if (context.bodyError !== undefined) {
      sendValidation(context, [jsonDecodeIssue(style, context.bodyError)]);
      return;
    }
    const validated = validateBody(context.body, EXTRAS_FIELDS, style);
    if (!validated.ok) {
      sendValidation(context, validated.issues);
      return;
    }
    const body = validated.value;
    const bound = dialect.pydantic === 'v2' ? { gt: 0 } : { ge: 1, le: 8 };
    const issues = [
      checkLiteral(style, 'resize_mode', body.resize_mode, [0, 1]),
      checkBound(style, 'upscaling_resize', body.upscaling_resize, bound),
    ].filter((issue): issue is ValidationIssue => issue !== null);
    if (issues.length > 0) {
      sendValidation(context, issues);
      return;
    }
    const release = await lock.acquire();
    try {
      const input = decodeImageText(String(body.image ?? ''));
      const metadata =
        input === null
          ? null
          : await sharp(input)
              .metadata()
              .catch(() => null);
      if (
        input === null ||
        metadata === null ||
        metadata.width === undefined ||
        metadata.height === undefined
      ) {
        sendHttpException(context, 500, 'Invalid encoded image');
        return;
      }
      const upscalerNames: string[] = UPSCALERS.map((upscaler) => upscaler.name);
      for (const key of ['upscaler_1', 'upscaler_2']) {
        const name = String(body[key] ?? 'None');
        if (!upscalerNames.includes(name)) {
          sendException(context, 'AssertionError', `could not find upscaler named ${name}`);
          return;
        }
      }
      const upscaler = String(body.upscaler_1 ?? 'None');
      const byScale = (body.resize_mode ?? 0) === 0;
      const scale = Number(body.upscaling_resize ?? 2);
      const width = byScale ? Math.round(metadata.width * scale) : Number(body.upscaling_resize_w ?? 512);
      const height = byScale ? Math.round(metadata.height * scale) : Number(body.upscaling_resize_h ?? 512);
      const output = await sharp(input)
        .resize(width, height, {
          kernel: upscaler === 'Nearest' ? 'nearest' : 'lanczos3',
          fit: byScale || body.upscaling_crop === false ? 'fill' : 'cover',
        })
        .png({ compressionLevel: 1 })
        .toBuffer();
      sendJson(context, 200, {
        html_info: `<p>Postprocess upscale by: ${scale}, Postprocess upscaler: ${upscaler}</p>`,
        image: output.toString('base64'),
      });
    } finally {
      release();
    }
  }

  // ---------- options ----------

  async function handleSetOptions(context: Context): Promise<void> {
    if (context.bodyError !== undefined) {
      sendValidation(context, [jsonDecodeIssue(style, context.bodyError)]);
      return;
    }
    const validated = validateBody(context.body, {} satisfies Record<string, FieldKind>, style);
    if (!validated.ok) {
      sendValidation(context, validated.issues);
      return;
    }
    const values = validated.value;
    const checkpoint = values.sd_model_checkpoint;

    if (dialect.sdnext) {
      const updated: Array<Record<string, boolean>> = [];
      for (const [key, value] of Object.entries(values)) {
        if (key === 'sd_model_checkpoint') {
          const model = typeof value === 'string' ? findModel(models, value) : undefined;
          updated.push({
            [key]: model === undefined ? false : await setCheckpointEagerly(String(value), model),
          });
        } else if (key in optionValues) {
          optionValues[key] = value;
          updated.push({ [key]: true });
        } else {
          updated.push({ [key]: false });
        }
      }
      sendJson(context, 200, { updated });
      return;
    }

    if (
      checkpoint !== undefined &&
      checkpoint !== null &&
      findModel(models, String(checkpoint)) === undefined
    ) {
      sendException(context, 'RuntimeError', `model '${String(checkpoint)}' not found`);
      return;
    }
    for (const [key, value] of Object.entries(values)) {
      if (!(key in optionValues)) {
        sendException(context, 'KeyError', `'${key}'`);
        return;
      }
      if (key !== 'sd_model_checkpoint') {
        optionValues[key] = value;
        continue;
      }
      const model = findModel(models, String(value));
      if (model === undefined) {
        continue;
      }
      if (dialect.lazyCheckpoint) {
        // Forge only records the choice; the weights load on the next generation.
        checkpointOption = model.title;
      } else {
        await setCheckpointEagerly(String(value), model);
      }
    }
    sendJson(context, 200, null);
  }

  function currentOptions(): Record<string, unknown> {
    const loaded = models.find((model) => model.title === loadedTitle);
    return {
      ...optionValues,
      sd_model_checkpoint: checkpointOption,
      sd_checkpoint_hash: loaded?.sha256 ?? null,
    };
  }

  // ---------- interrogate, SD.Next checkpoint ----------

  /** A1111 `interrogateapi`: `{image, model: "clip"|"deepdanbooru"}` → `{caption}`, under the lock. */
  async function handleInterrogate(context: Context): Promise<void> {
    if (context.bodyError !== undefined) {
      sendValidation(context, [jsonDecodeIssue(style, context.bodyError)]);
      return;
    }
    const validated = validateBody(context.body, { image: 'str', model: 'str' }, style);
    if (!validated.ok) {
      sendValidation(context, validated.issues);
      return;
    }
    const image = typeof validated.value.image === 'string' ? validated.value.image : '';
    if (image === '') {
      sendHttpException(context, 404, 'Image not found');
      return;
    }
    if (!(await isImage(image))) {
      sendHttpException(context, 500, 'Invalid encoded image');
      return;
    }
    const model = validated.value.model ?? 'clip';
    if (model !== 'clip' && model !== 'deepdanbooru') {
      sendHttpException(context, 404, 'Model not found');
      return;
    }
    const release = await lock.acquire();
    try {
      await sleep(settings.modelLoadMs, life.signal);
    } finally {
      release();
    }
    sendJson(context, 200, {
      caption:
        model === 'clip'
          ? 'a painting of a cat sitting on a window sill, by Studio Ghibli, soft light'
          : '1girl, cat, window, sitting, indoors, sunlight',
    });
  }

  /** SD.Next `GET /checkpoint`: what is loaded. */
  function handleGetCheckpoint(context: Context): void {
    const loaded = models.find((model) => model.title === loadedTitle) ?? firstModel;
    sendJson(context, 200, {
      type: 'sd',
      class: 'StableDiffusionPipeline',
      checkpoint: loaded.filename,
      title: loaded.title,
      name: loaded.model_name,
      filename: loaded.filename,
      hash: loaded.hash,
    });
  }

  /** SD.Next `POST /checkpoint?sd_model_checkpoint=X`: loads it, `{ok}`. */
  async function handleSetCheckpoint(context: Context): Promise<void> {
    const name = context.query.sd_model_checkpoint;
    if (name === undefined) {
      sendValidation(context, [
        { loc: ['query', 'sd_model_checkpoint'], msg: 'field required', type: 'value_error.missing' },
      ]);
      return;
    }
    const model = findModel(models, name);
    const ok = model === undefined ? false : await setCheckpointEagerly(name, model);
    sendJson(context, 200, { ok });
  }

  // ---------- routes ----------

  const routes = new Map<string, Partial<Record<string, Handler>>>([
    ['/sdapi/v1/txt2img', { POST: (context) => handleGeneration(context, 'txt2img') }],
    ['/sdapi/v1/img2img', { POST: (context) => handleGeneration(context, 'img2img') }],
    ['/sdapi/v1/extra-single-image', { POST: handleExtraSingleImage }],
    [
      '/sdapi/v1/sd-models',
      {
        GET: (context) =>
          sendJson(
            context,
            200,
            models.map((model) => toModelItem(model, flavour)),
          ),
      },
    ],
    [
      '/sdapi/v1/options',
      { GET: (context) => sendJson(context, 200, currentOptions()), POST: handleSetOptions },
    ],
    ['/sdapi/v1/samplers', { GET: (context) => sendJson(context, 200, samplerList(flavour)) }],
    ['/sdapi/v1/upscalers', { GET: (context) => sendJson(context, 200, UPSCALERS) }],
    ['/sdapi/v1/progress', { GET: handleProgress }],
    ['/sdapi/v1/interrupt', { POST: handleInterrupt }],
    ['/sdapi/v1/skip', { POST: (context) => sendJson(context, 200, null) }],
    [
      '/sdapi/v1/refresh-checkpoints',
      {
        POST: async (context) => {
          const release = await lock.acquire();
          models.push(...hiddenModels.splice(0));
          release();
          sendJson(context, 200, null);
        },
      },
    ],
    ['/sdapi/v1/prompt-styles', { GET: (context) => sendJson(context, 200, toStylesList(flavour, styles)) }],
    [
      '/sdapi/v1/loras',
      {
        GET: (context) =>
          sendJson(
            context,
            200,
            loras.map((lora) => ({
              name: lora.name,
              alias: lora.alias,
              path: lora.path,
              metadata: lora.metadata,
            })),
          ),
      },
    ],
    [
      '/sdapi/v1/embeddings',
      { GET: (context) => sendJson(context, 200, toEmbeddingsList(flavour, embeddings)) },
    ],
    ['/sdapi/v1/scripts', { GET: (context) => sendJson(context, 200, toScriptsList(scripts)) }],
    ['/sdapi/v1/refresh-loras', { POST: (context) => sendJson(context, 200, null) }],
    [
      '/sdapi/v1/memory',
      {
        GET: (context) =>
          sendJson(context, 200, {
            ram: { free: 8e9, used: 8e9, total: 16e9 },
            cuda: { error: 'unavailable' },
          }),
      },
    ],
  ]);
  const optionalRoutes: Record<OptionalRoute, [path: string, handlers: Partial<Record<string, Handler>>]> = {
    schedulers: [
      '/sdapi/v1/schedulers',
      { GET: (context) => sendJson(context, 200, schedulerList(flavour)) },
    ],
    'latent-upscale-modes': [
      '/sdapi/v1/latent-upscale-modes',
      {
        GET: (context) =>
          sendJson(
            context,
            200,
            LATENT_UPSCALE_MODES.map((name) => ({ name })),
          ),
      },
    ],
    'sd-vae': ['/sdapi/v1/sd-vae', { GET: (context) => sendJson(context, 200, []) }],
    'sd-modules': ['/sdapi/v1/sd-modules', { GET: (context) => sendJson(context, 200, sdModules) }],
    interrogate: ['/sdapi/v1/interrogate', { POST: handleInterrogate }],
    hypernetworks: ['/sdapi/v1/hypernetworks', { GET: (context) => sendJson(context, 200, []) }],
    'realesrgan-models': [
      '/sdapi/v1/realesrgan-models',
      {
        GET: (context) =>
          sendJson(context, 200, [
            { name: 'R-ESRGAN 4x+', path: UPSCALERS[3].model_path, scale: 4 },
            {
              name: 'R-ESRGAN 4x+ Anime6B',
              path: 'https://github.com/xinntao/Real-ESRGAN/releases/download/v0.2.2.4/RealESRGAN_x4plus_anime_6B.pth',
              scale: 4,
            },
          ]),
      },
    ],
    'reload-checkpoint': ['/sdapi/v1/reload-checkpoint', { POST: (context) => sendJson(context, 200, {}) }],
    version: [
      '/sdapi/v1/version',
      {
        GET: (context) =>
          sendJson(context, 200, {
            app: 'sd.next',
            updated: '2026-07-23',
            commit: '058a7f0cf',
            branch: 'master',
            url: 'https://github.com/vladmandic/sdnext/tree/master',
            kanvas: 'unknown',
            ui: 'main',
          }),
      },
    ],
    checkpoint: ['/sdapi/v1/checkpoint', { GET: handleGetCheckpoint, POST: handleSetCheckpoint }],
    detailers: ['/sdapi/v1/detailers', { GET: (context) => sendJson(context, 200, SDNEXT_DETAILERS) }],
  };
  for (const [name, [path, handlers]] of Object.entries(optionalRoutes)) {
    if (dialect.routes.has(name as OptionalRoute)) {
      routes.set(path, handlers);
    }
  }

  /** `/internal/*`: UI mode only, no `--api-auth`. */
  const internalRoutes = new Map<string, Partial<Record<string, Handler>>>(
    uiMode
      ? dialect.sdnext
        ? [['/internal/progress', { POST: handleInternalProgress }]]
        : [
            ['/internal/ping', { GET: (context) => sendJson(context, 200, {}) }],
            ['/internal/progress', { POST: handleInternalProgress }],
            ['/internal/pending-tasks', { GET: handlePendingTasks }],
          ]
      : [],
  );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readBody(req);
    const receivedAt = sharedNow();
    let body: unknown = null;
    let bodyError: unknown;
    if (rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody) as unknown;
      } catch (error: unknown) {
        body = rawBody;
        bodyError = error;
      }
    }
    const context: Context = {
      req,
      res,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body,
      bodyError,
      receivedAt,
    };
    const method = req.method ?? 'GET';
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: context.query,
      headers: { ...req.headers },
      body,
      at: Date.now(),
      receivedAt,
    };
    requests.push(record);
    res.once('finish', () => {
      record.finishedAt = sharedNow();
    });

    if (url.pathname.startsWith('/internal/')) {
      const internal = internalRoutes.get(url.pathname);
      const internalHandler = internal?.[method];
      if (internal === undefined || internalHandler === undefined) {
        if (internal === undefined) {
          notFound(context);
        } else {
          sendJson(context, 405, { detail: 'Method Not Allowed' });
        }
        return;
      }
      // Only a fault aimed at this exact path applies: `*` keeps meaning the API routes.
      const internalFault = faults.some((fault) => fault.path === url.pathname)
        ? takeFault(url.pathname)
        : null;
      if (internalFault !== null) {
        applyFault(context, internalFault);
        return;
      }
      await internalHandler(context);
      return;
    }
    const route =
      url.pathname.startsWith('/sdapi/') && settings.apiEnabled ? routes.get(url.pathname) : undefined;
    if (route === undefined) {
      notFound(context);
      return;
    }
    const handler = route[method];
    if (handler === undefined) {
      sendJson(context, 405, { detail: 'Method Not Allowed' });
      return;
    }
    if (!NO_AUTH_PATHS.has(url.pathname)) {
      const failure = authFailure(req.headers.authorization);
      if (failure !== null) {
        sendUnauthorized(context, failure);
        return;
      }
    }
    const fault = takeFault(url.pathname);
    if (fault !== null) {
      applyFault(context, fault);
      return;
    }
    await handler(context);
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
    flavour,
    requests,
    get modelLoads() {
      return modelLoads;
    },
    get generations() {
      return generations;
    },
    get interrupts() {
      return interrupts;
    },
    interruptedTasks,
    appliedLoras,
    adetailerArgs,
    get currentTask() {
      return tasks.current;
    },
    get loadedModel() {
      return loadedTitle;
    },
    get checkpointOption() {
      return checkpointOption;
    },
    get generating() {
      return job !== null;
    },
    get queued() {
      return lock.waiting();
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
    addModel(model, addOptions = {}) {
      (addOptions.visible === true ? models : hiddenModels).push(model);
    },
    startExternalGeneration,
    whenGenerating() {
      return job === null
        ? new Promise<void>((resolve) => generatingWaiters.push(resolve))
        : Promise.resolve();
    },
    kill,
    async restart() {
      if (server !== null) {
        return;
      }
      life = new AbortController();
      await listen();
    },
    async close() {
      faults.length = 0;
      await kill();
    },
  };
}

// ---------- helpers ----------

/** The clock every fake's stamps share: `performance.timeOrigin + performance.now()`, ms. */
function sharedNow(): number {
  return performance.timeOrigin + performance.now();
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function randomSeed(): number {
  return Math.floor(Math.random() * MAX_SEED);
}

function jobTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function decodeImageText(text: string): Buffer | null {
  const bare = text.replace(/^data:[\w/+.-]+;base64,/, '');
  if (bare.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(bare)) {
    return null;
  }
  return Buffer.from(bare, 'base64');
}

/** PIL would open PNG, JPEG, WebP and GIF; anything else is `Invalid encoded image`. */
async function isImage(text: string): Promise<boolean> {
  const bytes = decodeImageText(text);
  if (bytes === null) {
    return false;
  }
  const metadata = await sharp(bytes)
    .metadata()
    .catch(() => null);
  return metadata !== null;
}

function toModelItem(model: FakeModel, flavour: WebuiFlavour): Record<string, unknown> {
  return dialectOf(flavour).sdnext ? { ...model, type: 'safetensors' } : { ...model };
}

function toInfotext(parts: {
  prompt: string;
  negativePrompt: string;
  steps: number;
  sampler: string;
  scheduler: string | null;
  cfgScale: number;
  seed: number;
  width: number;
  height: number;
  model: FakeModel;
  /** `extra_generation_params` (hires fix, Forge modules), written before `Version`. */
  extra: Record<string, string | number>;
  version: string;
}): string {
  const negative = parts.negativePrompt === '' ? '' : `\nNegative prompt: ${parts.negativePrompt}`;
  const scheduler = parts.scheduler === null ? '' : `, Schedule type: ${parts.scheduler}`;
  const extra = Object.entries(parts.extra)
    .map(([key, value]) => `${key}: ${value}, `)
    .join('');
  return (
    `${parts.prompt}${negative}\nSteps: ${parts.steps}, Sampler: ${parts.sampler}${scheduler}, ` +
    `CFG scale: ${parts.cfgScale}, Seed: ${parts.seed}, Size: ${parts.width}x${parts.height}, ` +
    `Model hash: ${parts.model.hash ?? ''}, Model: ${modelStem(parts.model)}, ${extra}Version: ${parts.version}`
  );
}

/**
 * The size a hires job's images come out at: A1111 `calculate_target_resolution` (`hr_scale`, or
 * `hr_resize_x`/`_y`: one of them keeps the aspect; both: cover, then crop `truncate_x/_y` latent
 * columns/rows), then the latent's multiple of 8 (`target // opt_f`), since the second pass samples a
 * latent of that size and decodes it.
 */
export function hiresTarget(input: {
  width: number;
  height: number;
  scale: number;
  resizeX: number;
  resizeY: number;
}): { width: number; height: number } {
  const { width, height, scale, resizeX, resizeY } = input;
  const latent = (pixels: number): number => Math.floor(pixels / 8);
  if (resizeX === 0 && resizeY === 0) {
    return { width: latent(Math.trunc(width * scale)) * 8, height: latent(Math.trunc(height * scale)) * 8 };
  }
  if (resizeY === 0) {
    return { width: latent(resizeX) * 8, height: latent(Math.floor((resizeX * height) / width)) * 8 };
  }
  if (resizeX === 0) {
    return { width: latent(Math.floor((resizeY * width) / height)) * 8, height: latent(resizeY) * 8 };
  }
  const cover =
    width / height < resizeX / resizeY
      ? { width: resizeX, height: Math.floor((resizeX * height) / width) }
      : { width: Math.floor((resizeY * width) / height), height: resizeY };
  const truncateX = Math.floor((cover.width - resizeX) / 8);
  const truncateY = Math.floor((cover.height - resizeY) / 8);
  return { width: (latent(cover.width) - truncateX) * 8, height: (latent(cover.height) - truncateY) * 8 };
}

/** `os.path.splitext(os.path.basename(m))[0]`. */
function fileStem(path: unknown): string {
  return String(path)
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]+$/, '');
}

function randomText(length: number, alphabet: string): string {
  return Array.from({ length }, () => alphabet[Math.floor(Math.random() * alphabet.length)] ?? '').join('');
}
