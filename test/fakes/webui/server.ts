/**
 * A fake Stable Diffusion WebUI (`/sdapi/v1`) on 127.0.0.1 that follows
 * /work/shared/reference/a1111-api.md: A1111 1.10, Forge or SD.Next flavour, Basic auth,
 * one generation at a time behind a FIFO lock, real seed-dependent PNGs, progress, interrupt,
 * model loading, and fault injection. Every request is recorded.
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
import { renderPng } from './png.js';
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
   * Encode the images inside `generationMs` (the request then takes a fixed time whatever the image
   * size) instead of after releasing the lock as A1111 does. For measuring what a bot adds on top of
   * a fixed generation time. Default false.
   */
  fixedServiceTime: boolean;
}

export interface FakeWebuiOptions extends Partial<FakeWebuiSettings> {
  flavour?: WebuiFlavour;
  /** `--api-auth user:pass`. */
  auth?: { username: string; password: string };
  /** Visible checkpoints; the first one is loaded at start. Default: chilloutmix-Ni and v1-5-pruned-emaonly. */
  models?: FakeModel[];
  /** Default 0 (any free port). */
  port?: number;
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
  /** Generations that ran to the end or were interrupted. */
  readonly generations: number;
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
  /** Resolves when a generation is sampling (now or next). */
  whenGenerating(): Promise<void>;
  /** Stops listening and destroys every connection, keeping state (a crashed backend). */
  kill(): Promise<void>;
  /** Listens again on the same port after `kill()`. */
  restart(): Promise<void>;
  /** Kills and forgets: never hangs, even with hanging requests. */
  close(): Promise<void>;
}

interface Job {
  kind: 'txt2img' | 'img2img';
  startedAt: number;
  durationMs: number;
  steps: number;
  nIter: number;
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
}

type Handler = (context: Context) => Promise<void> | void;

const GENERATION_PATHS = new Set(['/sdapi/v1/txt2img', '/sdapi/v1/img2img']);
const NO_AUTH_PATHS = new Set(['/sdapi/v1/loras', '/sdapi/v1/refresh-loras']);
const VERSION = 'v1.10.1';
const MAX_SEED = 4_294_967_294;

export async function startFakeWebui(options: FakeWebuiOptions = {}): Promise<FakeWebui> {
  const flavour = options.flavour ?? 'a1111';
  const style: PydanticStyle = flavour === 'forge' ? 'v2' : 'v1';
  const settings: FakeWebuiSettings = {
    apiEnabled: options.apiEnabled ?? true,
    generationMs: options.generationMs ?? 20,
    modelLoadMs: options.modelLoadMs ?? 10,
    noise: options.noise ?? false,
    silentLoadFailure: options.silentLoadFailure ?? false,
    gzip: options.gzip ?? true,
    oomAbovePixels: options.oomAbovePixels ?? 2048 * 2048 * 4,
    fixedServiceTime: options.fixedServiceTime ?? false,
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
  let job: Job | null = null;
  let lastJob: { interrupted: boolean; timestamp: string } = { interrupted: false, timestamp: '0' };
  const generatingWaiters: Array<() => void> = [];
  const faults: Fault[] = [];
  const requests: RecordedRequest[] = [];
  const lock = createFifoLock();
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
    if (flavour === 'a1111') {
      responseHeaders['x-process-time'] = '0.0010';
    }
    const accepts = String(req.headers['accept-encoding'] ?? '').includes('gzip');
    if (settings.gzip && flavour !== 'sdnext' && accepts && payload.length >= 1000) {
      payload = gzipSync(payload, { level: 1 });
      responseHeaders['content-encoding'] = 'gzip';
      responseHeaders.vary = 'Accept-Encoding';
    }
    responseHeaders['content-length'] = payload.length;
    res.writeHead(status, responseHeaders);
    res.end(payload);
  }

  function sendJson(context: Context, status: number, value: unknown, headers = {}): void {
    send(context, status, JSON.stringify(value), 'application/json', headers);
  }

  /** `fastapi.HTTPException(status, detail)` as each flavour renders it. */
  function sendHttpException(context: Context, status: number, detail: string, headers = {}): void {
    const errors = `${status}: ${detail}`;
    const body =
      flavour === 'forge'
        ? { detail }
        : flavour === 'sdnext'
          ? { error: 'HTTPException', code: status, detail, body: '', errors }
          : { error: 'HTTPException', detail, body: '', errors };
    sendJson(context, status, body, headers);
  }

  /** Any other Python exception: `type(e).__name__` and `str(e)`. */
  function sendException(context: Context, errorType: string, message: string, status = 500): void {
    const body =
      flavour === 'forge'
        ? { error: errorType, detail: '', body: '', message }
        : flavour === 'sdnext'
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
    if (flavour === 'sdnext') {
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
    const headers = flavour === 'a1111' ? {} : { 'www-authenticate': 'Basic' };
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

  function jobPosition(current: Job, now: number): { jobNo: number; step: number } {
    const elapsed = (current.frozenAt ?? now) - current.startedAt;
    const fraction = current.durationMs > 0 ? Math.min(1, elapsed / current.durationMs) : 1;
    const totalSteps = Math.max(1, current.steps * current.nIter);
    const done = Math.min(totalSteps - 1, Math.floor(fraction * totalSteps));
    const steps = Math.max(1, current.steps);
    return { jobNo: Math.floor(done / steps), step: done % steps };
  }

  function stateOf(current: Job | null, now: number): Record<string, unknown> {
    const position = current === null ? { jobNo: 0, step: 0 } : jobPosition(current, now);
    const state: Record<string, unknown> = {
      skipped: false,
      interrupted: current?.interrupted ?? lastJob.interrupted,
      stopping_generation: false,
      job: current === null ? '' : `scripts_${current.kind}`,
      job_count: current?.nIter ?? 0,
      job_timestamp: current?.timestamp ?? lastJob.timestamp,
      job_no: position.jobNo,
      sampling_step: position.step,
      sampling_steps: current?.steps ?? 0,
    };
    if (flavour === 'sdnext') {
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
    const steps = Math.max(1, current.steps);
    const progress = Math.min(1, 0.01 + jobNo / current.nIter + step / steps / current.nIter);
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

  // ---------- generation ----------

  function generationDefaults(kind: 'txt2img' | 'img2img'): Record<string, unknown> {
    const sdnext = flavour === 'sdnext';
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
    if (flavour === 'forge') {
      defaults.distilled_cfg_scale = 3.5;
      defaults.hr_cfg = 1.0;
      defaults.hr_distilled_cfg = 3.5;
    }
    if (kind === 'img2img') {
      defaults.init_images = null;
      defaults.resize_mode = 0;
      defaults.mask = null;
      defaults.include_init_images = false;
    }
    return defaults;
  }

  async function handleGeneration(context: Context, kind: 'txt2img' | 'img2img'): Promise<void> {
    if (context.bodyError !== undefined) {
      sendValidation(context, [jsonDecodeIssue(style, context.bodyError)]);
      return;
    }
    const fields = kind === 'txt2img' ? TXT2IMG_FIELDS : IMG2IMG_FIELDS;
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
    const width = Number(pick('width'));
    const height = Number(pick('height'));
    const batchSize = Math.max(1, Number(pick('batch_size')));
    const nIter = Math.max(1, Number(pick('n_iter')));

    if (kind === 'img2img') {
      const initImages = request.init_images;
      if (!Array.isArray(initImages) || initImages.length === 0) {
        if (flavour === 'sdnext') {
          sendJson(context, 400, { error: 'Init image is none' });
        } else {
          sendHttpException(context, 404, 'Init image not found');
        }
        return;
      }
      for (const image of initImages) {
        if (!(await isImage(String(image)))) {
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

    const requestedSampler = String(
      request.sampler_name ?? (flavour === 'sdnext' ? 'UniPC' : (request.sampler_index ?? 'Euler')),
    );
    const schedulerName = typeof request.scheduler === 'string' ? request.scheduler : null;
    const sampler = resolveSampler(flavour, requestedSampler, schedulerName);
    if (sampler === undefined) {
      sendHttpException(context, 404, 'Sampler not found');
      return;
    }

    const overrides = isRecord(request.override_settings) ? request.override_settings : {};
    const restoreAfterwards = pick('override_settings_restore_afterwards') !== false;
    let current: Job | null = null;
    let model: FakeModel = firstModel;
    let prerendered: string[] | undefined;
    const release = await lock.acquire();
    try {
      if (life.signal.aborted) {
        return;
      }
      const unknownKey = Object.keys(overrides).find((key) => !(key in optionValues));
      if (unknownKey !== undefined) {
        sendException(context, 'KeyError', `'${unknownKey}'`);
        return;
      }
      const overrideName = overrides.sd_model_checkpoint;
      const override = typeof overrideName === 'string' ? findModel(models, overrideName) : undefined;
      model = override ?? findModel(models, checkpointOption) ?? firstModel;
      await loadWeights(model);
      if (override !== undefined && !restoreAfterwards) {
        checkpointOption = override.title;
      }
      if (width * height * batchSize > settings.oomAbovePixels) {
        sendException(
          context,
          'OutOfMemoryError',
          `CUDA out of memory. Tried to allocate ${((width * height * batchSize * 64) / 2 ** 30).toFixed(2)} GiB`,
        );
        return;
      }
      const requestedSeed = request.seed === undefined || request.seed === null ? -1 : Number(request.seed);
      const seed = requestedSeed === -1 ? randomSeed() : requestedSeed;
      current = {
        kind,
        startedAt: Date.now(),
        durationMs: settings.generationMs,
        steps,
        nIter,
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
      if (settings.fixedServiceTime && pick('send_images') !== false) {
        const seedBase = current.seed;
        prerendered = Array.from({ length: batchSize * nIter }, (_, index) =>
          renderPng({ width, height, seed: seedBase + index, noise: settings.noise }).toString('base64'),
        );
      }
      const remaining = Math.max(0, current.startedAt + settings.generationMs - Date.now());
      await sleep(remaining, AbortSignal.any([current.controller.signal, life.signal]));
      if (current.frozenAt === null) {
        current.frozenAt = Date.now();
      }
      generations += 1;
    } finally {
      if (current !== null) {
        lastJob = { interrupted: current.interrupted, timestamp: current.timestamp };
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
      ? Math.min(total, (jobPosition(current, current.frozenAt ?? Date.now()).jobNo + 1) * batchSize)
      : total;
    const subseedRequested =
      request.subseed === undefined || request.subseed === null ? -1 : Number(request.subseed);
    const subseed = subseedRequested === -1 ? randomSeed() : subseedRequested;
    const allSeeds = Array.from({ length: total }, (_, index) => current.seed + index);
    const allSubseeds = Array.from({ length: total }, (_, index) => subseed + index);
    const prompt = String(pick('prompt') ?? '');
    const negativePrompt = String(pick('negative_prompt') ?? '');
    const cfgScale = Number(pick('cfg_scale'));
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
      }),
    );
    const images: string[] = prerendered === undefined ? [] : prerendered.slice(0, made);
    if (prerendered === undefined && pick('send_images') !== false) {
      for (let index = 0; index < made; index += 1) {
        const png = renderPng({
          width,
          height,
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
      images.unshift(renderPng({ width, height, seed: current.seed ^ 0xffffff }).toString('base64'));
    }

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
      extra_generation_params: sampler.scheduler === null ? {} : { 'Schedule type': sampler.scheduler },
      index_of_first_image: grid ? 1 : 0,
      infotexts,
      styles: pick('styles') ?? [],
      job_timestamp: current.timestamp,
      clip_skip: 1,
      is_using_inpainting_conditioning: false,
      version: VERSION,
    };
    if (flavour === 'sdnext') {
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
    const bound = flavour === 'forge' ? { gt: 0 } : { ge: 1, le: 8 };
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

    if (flavour === 'sdnext') {
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
      if (flavour === 'forge') {
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
    [
      '/sdapi/v1/interrupt',
      {
        POST: (context) => {
          if (job !== null && !job.interrupted) {
            job.interrupted = true;
            job.frozenAt = Date.now();
            job.controller.abort();
          }
          sendJson(context, 200, {});
        },
      },
    ],
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
    ['/sdapi/v1/sd-vae', { GET: (context) => sendJson(context, 200, []) }],
    ['/sdapi/v1/prompt-styles', { GET: (context) => sendJson(context, 200, []) }],
    ['/sdapi/v1/loras', { GET: (context) => sendJson(context, 200, []) }],
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
  if (flavour !== 'sdnext') {
    routes.set('/sdapi/v1/schedulers', { GET: (context) => sendJson(context, 200, schedulerList(flavour)) });
    routes.set('/sdapi/v1/latent-upscale-modes', {
      GET: (context) =>
        sendJson(
          context,
          200,
          LATENT_UPSCALE_MODES.map((name) => ({ name })),
        ),
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rawBody = await readBody(req);
    const receivedAt = performance.timeOrigin + performance.now();
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
      record.finishedAt = performance.timeOrigin + performance.now();
    });

    if (url.pathname === '/internal/ping' && flavour !== 'sdnext') {
      sendJson(context, 200, {});
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

function createFifoLock(): { acquire(): Promise<() => void>; waiting(): number } {
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;
  return {
    async acquire() {
      const previous = tail;
      let release: () => void = () => undefined;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      waiting += 1;
      await previous;
      waiting -= 1;
      return release;
    },
    waiting: () => waiting,
  };
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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
  return flavour === 'sdnext' ? { ...model, type: 'safetensors' } : { ...model };
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
}): string {
  const negative = parts.negativePrompt === '' ? '' : `\nNegative prompt: ${parts.negativePrompt}`;
  const scheduler = parts.scheduler === null ? '' : `, Schedule type: ${parts.scheduler}`;
  return (
    `${parts.prompt}${negative}\nSteps: ${parts.steps}, Sampler: ${parts.sampler}${scheduler}, ` +
    `CFG scale: ${parts.cfgScale}, Seed: ${parts.seed}, Size: ${parts.width}x${parts.height}, ` +
    `Model hash: ${parts.model.hash ?? ''}, Model: ${modelStem(parts.model)}, Version: ${VERSION}`
  );
}
