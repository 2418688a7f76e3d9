/**
 * The engine contract: what the jobs layer and the commands may ask of one image server, in
 * neutral terms. Each kind of server (the AUTOMATIC1111 family over `/sdapi/v1`, ComfyUI) has an
 * adapter under `src/engines/<kind>/` that implements it; what differs between servers is data in
 * `Capabilities`, never a check of the server's kind outside its adapter.
 *
 * Every method rejects with an `SdError` subclass (`./errors.ts`) on failure.
 */

/** The servers the bot tells apart (by probing, see `capabilities.ts`). */
export type Dialect =
  | 'a1111'
  | 'a1111-legacy'
  | 'forge'
  | 'forge-neo'
  | 'forge-classic'
  | 'reforge'
  | 'sdnext'
  | 'sdcpp'
  | 'koboldcpp'
  | 'comfyui';

/** What one server can do through the bot. Decisions read this record, not the dialect. */
export interface Capabilities {
  dialect: Dialect;
  /** How the server is named to people: "Forge Neo", "stable-diffusion.cpp". */
  name: string;
  /** The version the server reports, when it does. */
  version: string | null;
  img2img: boolean;
  /**
   * How the bot learns a job's progress: `task` (for its own request alone), `global` (the server's
   * one progress, trusted only while the bot knows its job is the one running), or `none`.
   */
  progress: 'task' | 'global' | 'none';
  /** Live previews while generating. */
  preview: boolean;
  /**
   * How a running job is stopped: `task` (the server stops only the named job, or the bot can tell
   * that the running one is its own before it asks), or `none` (the answer is discarded instead).
   */
  interrupt: 'task' | 'none';
  /** A job waiting in the server's own queue can be taken out of it. */
  dequeue: boolean;
  /** Upscaling an image with an upscaler model (`extra-single-image`, or a graph). */
  upscale: boolean;
  /** `switch`: the bot may load another checkpoint; `fixed`: the model is set when the server starts. */
  models: 'switch' | 'fixed';
  /** `separate`: a scheduler field; `combined`: names like `DPM++ 2M Karras`; `none`: no scheduler choice. */
  schedulers: 'separate' | 'combined' | 'none';
  /** Width and height must be multiples of this. */
  sizeMultiple: number;
  /** The server's random seed for `-1` cannot be trusted (the clock in seconds): the bot sends its own. */
  ownSeeds: boolean;
  loras: boolean;
  embeddings: boolean;
  styles: boolean;
  hires: boolean;
  adetailer: boolean;
  /** How the server checks who is calling. */
  auth: 'none' | 'basic' | 'bearer';
}

/** A generation in neutral terms (the jobs layer builds it from stored parameters). */
export interface GenerateRequest {
  kind: 'txt2img' | 'img2img';
  prompt: string;
  negativePrompt: string;
  /** -1 lets the server draw it; engines with `ownSeeds` never receive -1. */
  seed: number;
  subseed?: number | undefined;
  subseedStrength?: number | undefined;
  /** The sampler as the member or the defaults named it; the engine finds its own spelling. */
  sampler: string;
  scheduler: string | undefined;
  steps: number;
  cfgScale: number;
  width: number;
  height: number;
  count: number;
  /** The checkpoint, as its title in the catalog. */
  model: string | undefined;
  /** img2img: the input image as bare base64, and how much of it changes. */
  initImage?: string | undefined;
  denoisingStrength?: number | undefined;
  /**
   * LoRAs, each by the `name` the server lists it under (`listLoras`), with its weight (−2…2).
   * The engine writes them its own way: a prompt tag, a request field, a loader node.
   */
  loras?: readonly LoraUse[] | undefined;
  /** Server styles by name (`listStyles`), applied by the server; only sent where `styles`. */
  styles?: readonly string[] | undefined;
  /** Hires fix: a second pass up to the final size (txt2img only; only sent where `hires`). */
  hires?: HiresRequest | undefined;
  /**
   * The face detailer: true runs it; false or absent turns it off explicitly where the server has
   * one (`adetailer`), and sends nothing where it has none.
   */
  adetailer?: boolean | undefined;
  /** Guidance-distilled models (Flux): the distilled cfg (about 3.5); `cfgScale` is then 1. */
  distilledCfg?: number | undefined;
  /** The checkpoint's family where known: Flux needs its VAE and text encoders named on Forge. */
  family?: 'sd1' | 'sd2' | 'sdxl' | 'sd3' | 'flux' | 'other' | undefined;
}

export interface LoraUse {
  name: string;
  weight: number;
}

export interface HiresRequest {
  /** The enlargement; the final size below is what it comes to (or a size the member gave). */
  scale: number;
  /** The final size, a multiple of the server's `sizeMultiple` (the budget was counted on it). */
  width: number;
  height: number;
  /** An upscaler from `listUpscalers` or `listHiresUpscalers`; absent: the server's default. */
  upscaler?: string | undefined;
  /** The second pass's denoising strength (0–1). */
  denoise: number;
  /** Second-pass steps; absent: as many as the first pass. */
  steps?: number | undefined;
}

export interface UpscaleRequest {
  /** Bare base64 of the source image. */
  image: string;
  upscaler: string;
  factor: number;
}

/** What came back. `images` are the server's bytes, unchanged, one per seed. */
export interface EngineResult {
  images: Buffer[];
  seeds: number[];
  /** The checkpoint (or upscaler) the server says it used. */
  model: string | null;
  modelHash: string | null;
  sampler: string | null;
  /** The server's own parameter text per image, where it has one. */
  infotexts: string[];
}

/** What the bot knows of a job while the server has it. */
export interface EngineProgress {
  /** `queued`: waiting in the server's own line (behind someone else's work). */
  state: 'queued' | 'running';
  /** Place in the server's own line (1 = next), when known. */
  position?: number | undefined;
  /** 0..1, when known. */
  fraction?: number | undefined;
  step?: number | undefined;
  steps?: number | undefined;
  etaSeconds?: number | undefined;
  /** Several sampling passes (hires fix, a refiner): which one this is. */
  stage?: { index: number; count: number } | undefined;
  /** The live preview, when the server sends one and it was asked for. */
  preview?: Buffer | undefined;
}

export interface RunOptions {
  /** Aborting drops the request (shutdown); the engine does not stop the server's work by itself. */
  signal: AbortSignal;
  /**
   * The server has started answering: it is free for the next job while this answer is read. The
   * answer is read on once the promise it returns (if any) settles, so the next job goes out first.
   */
  onFree?: (() => void | Promise<void>) | undefined;
  /** Progress, at most about every `progressIntervalMs` where the server must be polled. */
  onProgress?: ((progress: EngineProgress) => void) | undefined;
  /**
   * Each image of the answer as soon as it is in, before the rest: work on it may start early. The
   * result holds these same buffers, though it may leave some out (a server's extra images).
   */
  onImage?: ((image: Buffer) => void) | undefined;
  progressIntervalMs: number;
  livePreview: boolean;
  /** Whether this is the bot's only job on the server now (a global progress describes it only then). */
  alone?: (() => boolean) | undefined;
  /**
   * The server accepted the request under this id (ComfyUI's prompt id): the runner keeps it with
   * the job, so after a restart `resume` can find the request again instead of sending it twice.
   */
  onRef?: ((ref: string) => void) | undefined;
}

/**
 * - `interrupted`: the server is stopping this job (its partial answer is discarded);
 * - `dequeued`: it was taken out of the server's queue before it started;
 * - `pending`: it waits in the server's queue; it is interrupted the moment it starts;
 * - `discard`: the server cannot stop it without touching other work: its answer is thrown away
 *   when it comes, and the server stays busy until then.
 */
export type CancelOutcome = 'interrupted' | 'dequeued' | 'pending' | 'discard';

/** One request in flight on a server. */
export interface EngineRun {
  result: Promise<EngineResult>;
  /** Stops this run's work on the server, never anybody else's. */
  cancel(): Promise<CancelOutcome>;
}

export interface Checkpoint {
  /** The name the server selects it by. */
  title: string;
  model_name: string;
  hash: string | null;
  sha256: string | null;
  filename: string;
}

export interface SamplerInfo {
  name: string;
  aliases: string[];
}

export interface SchedulerInfo {
  name: string;
  label: string;
  aliases: string[];
}

export interface UpscalerInfo {
  name: string;
  scale: number | null;
}

export interface LoraInfo {
  name: string;
  alias?: string | undefined;
  path?: string | undefined;
  metadata?: unknown;
}

export interface EmbeddingInfo {
  name: string;
  /** The vector width (`shape`): 768 SD 1.x, 1024 SD 2.x; undefined when the server does not say. */
  shape?: number | undefined;
}

export interface StyleInfo {
  name: string;
  prompt: string;
  negativePrompt: string;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export interface ProbeResult {
  capabilities: Capabilities;
  /** The checkpoint the server has selected, when it says. */
  loadedModel: string | null;
}

export interface Engine {
  /** A label safe to show in logs: scheme, host and port, never credentials. */
  readonly id: string;
  /** What the last probe found (a conservative record before the first one). */
  readonly capabilities: Capabilities;
  /** Asks the server which routes and features it has (and its loaded model); at start and after each recovery. */
  probe(options?: RequestOptions): Promise<ProbeResult>;
  /** Settles once the first probe has (capabilities before it are a conservative guess). */
  ready(): Promise<void>;
  /** A cheap call that succeeds while the server is up (used to bring a backend back). */
  ping(options?: RequestOptions): Promise<void>;
  generate(request: GenerateRequest, options: RunOptions): EngineRun;
  /**
   * Follows a request sent before the bot restarted (its `onRef` id), where the server keeps
   * requests apart from the connection that sent them; undefined where it does not (the job is then
   * sent again). The result rejects with `SdUnsupportedError` when the server no longer knows it.
   */
  resume?(ref: string, options: RunOptions): EngineRun | undefined;
  /** Rejects with `SdUnsupportedError` where `capabilities.upscale` is false. */
  upscale(request: UpscaleRequest, options: RunOptions): EngineRun;
  listCheckpoints(options?: RequestOptions): Promise<Checkpoint[]>;
  listSamplers(options?: RequestOptions): Promise<SamplerInfo[]>;
  /** `null` when the server has no scheduler choice of its own. */
  listSchedulers(options?: RequestOptions): Promise<SchedulerInfo[] | null>;
  listUpscalers(options?: RequestOptions): Promise<UpscalerInfo[]>;
  /** Upscalers only a hires pass can use (A1111's latent modes), beyond `listUpscalers`. */
  listHiresUpscalers?(options?: RequestOptions): Promise<string[]>;
  listLoras(options?: RequestOptions): Promise<LoraInfo[]>;
  listEmbeddings(options?: RequestOptions): Promise<EmbeddingInfo[]>;
  listStyles(options?: RequestOptions): Promise<StyleInfo[]>;
  /** The checkpoint the server has selected now, or null when it cannot say. */
  loadedModel(options?: RequestOptions): Promise<string | null>;
  /** Loads a checkpoint and resolves once the server says it is selected; unsupported where `models` is fixed. */
  switchModel(title: string, options?: RequestOptions): Promise<void>;
  /** Rescans the model folder, where the server can. */
  refreshCheckpoints(options?: RequestOptions): Promise<void>;
  close(): Promise<void>;
}
