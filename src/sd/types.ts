/**
 * The contract between the bot and one Stable Diffusion WebUI (A1111, Forge, SD.Next).
 * Everything here is plain data: the client in `client.ts` fills it from validated responses.
 */

/** The txt2img body we send (a subset of A1111's fields; unknown keys are ignored by the server). */
export interface Txt2ImgRequest {
  prompt: string;
  negative_prompt: string;
  seed: number;
  subseed?: number;
  subseed_strength?: number;
  sampler_name: string;
  /** Omitted for servers without schedulers (SD.Next). */
  scheduler?: string;
  steps: number;
  cfg_scale: number;
  width: number;
  height: number;
  batch_size: number;
  n_iter: number;
  override_settings?: Record<string, unknown>;
  override_settings_restore_afterwards?: boolean;
  /** Registers the request under this id for `POST /internal/progress` (A1111 ≥ 1.6, Forge). */
  force_task_id?: string;
  send_images?: boolean;
  save_images?: boolean;
  /** Server styles applied by name (`/prompt-styles`). */
  styles?: string[];
  /** Hires fix (txt2img). */
  enable_hr?: boolean;
  hr_scale?: number;
  hr_resize_x?: number;
  hr_resize_y?: number;
  hr_upscaler?: string;
  hr_second_pass_steps?: number;
  /** stable-diffusion.cpp's name for the second-pass steps. */
  hr_steps?: number;
  /** Forge-family servers crash a hires pass without it: `["Use same choices"]`. */
  hr_additional_modules?: string[];
  denoising_strength?: number;
  /** Forge, guidance-distilled models (Flux). */
  distilled_cfg_scale?: number;
  /** stable-diffusion.cpp: LoRAs as data (prompt tags are ignored there). */
  lora?: { path: string; multiplier: number }[];
  /** Extension scripts that always run (ADetailer); only ones the server lists. */
  alwayson_scripts?: Record<string, { args: unknown[] }>;
  /** SD.Next's built-in detailer. */
  detailer_enabled?: boolean;
}

export interface Img2ImgRequest extends Txt2ImgRequest {
  /** Bare base64 images. */
  init_images: string[];
  resize_mode?: 0 | 1 | 2 | 3;
}

/** The parsed `info` string of a generation response; only the keys we rely on are typed. */
export interface GenerationInfo {
  prompt: string;
  negative_prompt: string;
  seed: number;
  all_seeds: number[];
  subseed: number | null;
  width: number;
  height: number;
  sampler_name: string | null;
  cfg_scale: number | null;
  steps: number | null;
  /** A1111/Forge only; SD.Next omits it (then null). */
  sd_model_name: string | null;
  sd_model_hash: string | null;
  infotexts: string[];
  index_of_first_image: number;
  version: string | null;
}

export interface GenerationResult {
  /** Decoded image bytes, exactly as the WebUI encoded them (PNG by default), grid excluded. */
  images: Buffer[];
  info: GenerationInfo;
  /** The server's echo of the request (defaults included); not the effective values. */
  parameters: Record<string, unknown>;
}

export interface SdModel {
  title: string;
  model_name: string;
  hash: string | null;
  sha256: string | null;
  filename: string;
}

export interface SdSampler {
  name: string;
  aliases: string[];
}

export interface SdScheduler {
  name: string;
  label: string;
  aliases: string[];
}

export interface SdUpscaler {
  name: string;
  scale: number | null;
}

export interface SdLora {
  name: string;
  alias: string | null;
  path: string | null;
  metadata?: unknown;
}

export interface SdEmbedding {
  name: string;
  shape: number | null;
}

export interface SdStyle {
  name: string;
  prompt: string;
  negative_prompt: string;
}

export interface SdProgress {
  /** 0..1 */
  progress: number;
  etaRelativeSeconds: number;
  samplingStep: number;
  samplingSteps: number;
  jobCount: number;
  interrupted: boolean;
  /** Bare base64 live preview, when the server has one and it was asked for. */
  currentImage: string | null;
}

/** One task's progress from `POST /internal/progress`: whether it waits, runs or is done. */
export interface SdTaskProgress {
  active: boolean;
  queued: boolean;
  completed: boolean;
  /** 0..1 while active. */
  progress: number | null;
  etaSeconds: number | null;
  /** A data URI, when asked for and there is a new one. */
  livePreview: string | null;
  /** `In queue: 2/3` while queued. */
  textinfo: string | null;
}

export interface SdOptions {
  sd_model_checkpoint: string | null;
  [key: string]: unknown;
}

export interface ExtraSingleImageRequest {
  image: string;
  upscaler_1: string;
  upscaling_resize: number;
  resize_mode?: 0 | 1;
}

export interface RequestOptions {
  signal?: AbortSignal | undefined;
  /** Overrides the client's `timeoutMs` for this call (e.g. a short one for `progress`). */
  timeoutMs?: number | undefined;
  /**
   * Called once the WebUI starts answering (status and headers in), before the body is read: the
   * WebUI has released its generation lock by then, so a scheduler may hand it the next job. The
   * body is read once the promise it returns (if any) settles: the next job's request goes first.
   */
  onResponseStart?: ((status: number) => void | Promise<void>) | undefined;
  /**
   * Called with each image of a generation's answer as soon as it is decoded, before the rest is
   * read. The result holds these same buffers, though it may leave some out (Forge's extra images).
   */
  onImage?: ((image: Buffer) => void) | undefined;
}

/** One WebUI backend. Every method throws an `SdError` subclass (see `errors.ts`) on failure. */
export interface SdClient {
  /** A label safe to show and log: scheme, host and port, never credentials. */
  readonly label: string;
  txt2img(body: Txt2ImgRequest, options?: RequestOptions): Promise<GenerationResult>;
  img2img(body: Img2ImgRequest, options?: RequestOptions): Promise<GenerationResult>;
  extraSingleImage(body: ExtraSingleImageRequest, options?: RequestOptions): Promise<Buffer>;
  listModels(options?: RequestOptions): Promise<SdModel[]>;
  listSamplers(options?: RequestOptions): Promise<SdSampler[]>;
  /** `null` when the server has no `/schedulers` route (SD.Next, A1111 < 1.9). */
  listSchedulers(options?: RequestOptions): Promise<SdScheduler[] | null>;
  listUpscalers(options?: RequestOptions): Promise<SdUpscaler[]>;
  /** `GET /latent-upscale-modes`: names for hires fix; empty where the route is missing. */
  listLatentUpscaleModes(options?: RequestOptions): Promise<string[]>;
  listLoras(options?: RequestOptions): Promise<SdLora[]>;
  /** The loaded embeddings (those that fit the checkpoint). */
  listEmbeddings(options?: RequestOptions): Promise<SdEmbedding[]>;
  listStyles(options?: RequestOptions): Promise<SdStyle[]>;
  getOptions(options?: RequestOptions): Promise<SdOptions>;
  setOptions(values: Record<string, unknown>, options?: RequestOptions): Promise<void>;
  refreshCheckpoints(options?: RequestOptions): Promise<void>;
  progress(query?: { skipCurrentImage?: boolean }, options?: RequestOptions): Promise<SdProgress>;
  /** `POST /internal/progress` for one task (UI mode only; 404 with `--nowebui`). */
  taskProgress(
    taskId: string,
    query?: { livePreview?: boolean },
    options?: RequestOptions,
  ): Promise<SdTaskProgress>;
  /** The status and text of any read-only route (or POST with `body`), for capability probing. Throws only when no answer came. */
  probeRoute(
    method: 'GET' | 'POST',
    route: string,
    options?: RequestOptions & { body?: unknown },
  ): Promise<{ status: number; text: string }>;
  interrupt(options?: RequestOptions): Promise<void>;
  close(): Promise<void>;
}
