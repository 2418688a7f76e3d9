import { randomInt } from 'node:crypto';
import { SdError } from '../engines/errors.js';
import type {
  CancelOutcome,
  Engine,
  EngineProgress,
  EngineResult,
  EngineRun,
  GenerateRequest,
} from '../engines/types.js';
import type { GenerationParams } from '../generation/request.js';
import { readImageSize } from '../images/size.js';
import { within } from '../runtime/within.js';
import type { FailureKind } from './scheduling.js';
import type { Job } from './types.js';

/** How one attempt of a job ended. */
export type AttemptOutcome =
  | { type: 'succeeded'; result: EngineResult }
  | { type: 'failed'; error: unknown }
  /** The member cancelled it; whatever the server still sends is thrown away. */
  | { type: 'cancelled' }
  /**
   * Shutdown dropped the request: the job goes back in line for the next start. `unsent`: it was
   * held to follow another job and never sent, so its attempt is not counted.
   */
  | { type: 'stopped'; unsent?: boolean }
  /** Shutdown left the request on a server that keeps it (see `Engine.resume`): the next start follows it. */
  | { type: 'detached' };

export interface Attempt {
  /** Settles once, as soon as the job's fate is known (a cancel does not wait for the server). */
  readonly outcome: Promise<AttemptOutcome>;
  /** Settles when the server is done with the request (the slot is free again). */
  readonly settled: Promise<void>;
  /** The member's Cancel: stops this job's work on the server, never anybody else's. */
  cancel(): Promise<CancelOutcome>;
  /**
   * Shutdown past its grace period: stops this job's own work on the server and drops the request;
   * with `leaveOnServer`, leaves the work running there for the next start to follow.
   */
  stop(leaveOnServer?: boolean): Promise<void>;
}

export interface AttemptOptions {
  progressIntervalMs: number;
  livePreview: boolean;
  /** Whether this is the bot's only job on that server now. */
  alone: () => boolean;
  /** The server started answering: it may take the next job (the answer is read on once this settles). */
  onFree: () => void | Promise<void>;
  onProgress: (progress: EngineProgress) => void;
  /** An image of the answer is in, before the rest (see `RunOptions.onImage`). */
  onImage?: (image: Buffer) => void;
  /** The server named the request (kept with the job for `resume`). */
  onRef?: (ref: string) => void;
  /** Follow this request, sent before a restart, instead of sending the job again. */
  resumeRef?: string | undefined;
  /** A random seed every server reads the same, for servers whose own random seed cannot be trusted. */
  randomSeed?: () => number;
}

/**
 * Seeds the bot draws stay within a signed 32-bit int: KoboldCpp wraps a larger one to a negative
 * seed (which the member could not use again), and stable-diffusion.cpp takes any of them.
 */
const MAX_OWN_SEED = 2_147_483_647;
const defaultRandomSeed = () => randomInt(0, MAX_OWN_SEED);

/** The neutral request for a job's stored parameters. */
export function toGenerateRequest(
  kind: 'txt2img' | 'img2img',
  params: GenerationParams,
  ownSeeds: boolean,
  randomSeed: () => number = defaultRandomSeed,
): GenerateRequest {
  const own = (seed: number) => (ownSeeds && seed === -1 ? randomSeed() : seed);
  return {
    kind,
    prompt: params.prompt,
    negativePrompt: params.negativePrompt,
    seed: own(params.seed),
    subseed: params.subseed === undefined ? undefined : own(params.subseed),
    subseedStrength: params.subseedStrength,
    sampler: params.sampler,
    scheduler: params.scheduler,
    steps: params.steps,
    cfgScale: params.cfgScale,
    width: params.width,
    height: params.height,
    count: params.count,
    model: params.model,
    initImage: params.initImage,
    denoisingStrength: params.denoisingStrength,
    loras: params.loras,
    styles: params.styles,
    hires: kind === 'txt2img' ? params.hires : undefined,
    adetailer: params.adetailer,
    family: params.family,
    distilledCfg: params.distilledCfg,
  };
}

/** Sends one job to one engine and follows it to an outcome. */
// Long on purpose: the attempt's three flags (cancelled, stopped, decided) are read by each of its callbacks.
export function startAttempt(job: Job, engine: Engine, options: AttemptOptions): Attempt {
  const controller = new AbortController();
  let cancelled = false;
  let stopped = false;
  let detached = false;
  let decide: (outcome: AttemptOutcome) => void = () => undefined;
  const outcome = new Promise<AttemptOutcome>((resolve) => {
    decide = resolve;
  });
  const runOptions = {
    signal: controller.signal,
    onFree: options.onFree,
    onProgress: (progress: EngineProgress) => {
      if (!cancelled && !stopped) options.onProgress(progress);
    },
    onImage: (image: Buffer) => {
      if (!cancelled && !stopped) options.onImage?.(image);
    },
    progressIntervalMs: options.progressIntervalMs,
    livePreview: options.livePreview,
    alone: options.alone,
    onRef: options.onRef,
  };
  const params = job.params;
  let run: EngineRun;
  const resumed =
    options.resumeRef === undefined ? undefined : engine.resume?.(options.resumeRef, runOptions);
  if (resumed !== undefined) {
    run = resumed;
  } else if (job.kind === 'upscale') {
    run =
      params.initImage === undefined || params.upscale === undefined
        ? rejected(new Error('an upscale job needs its source image and upscaler'))
        : engine.upscale(
            { image: params.initImage, upscaler: params.upscale.upscaler, factor: params.upscale.factor },
            runOptions,
          );
  } else {
    const kind = job.kind === 'img2img' && params.initImage !== undefined ? 'img2img' : 'txt2img';
    const variants = params.variants ?? [];
    const requests = (variants.length > 1 ? variants : [{ prompt: params.prompt }]).map((variant) =>
      toGenerateRequest(
        kind,
        { ...params, prompt: variant.prompt },
        engine.capabilities.ownSeeds,
        options.randomSeed,
      ),
    );
    run =
      requests.length === 1 && requests[0] !== undefined
        ? engine.generate(requests[0], runOptions)
        : // Several requests cannot be followed again as one after a restart: no ref, sent again then.
          runInSequence(requests, (request, last) =>
            engine.generate(request, {
              ...runOptions,
              onFree: last ? runOptions.onFree : undefined,
              onRef: undefined,
            }),
          );
  }

  const settled = run.result.then(
    (result) => {
      if (stopped) decide({ type: detached ? 'detached' : 'stopped' });
      else if (cancelled) decide({ type: 'cancelled' });
      else
        decide({
          type: 'succeeded',
          result: result.seeds.length > 0 ? result : { ...result, seeds: [params.seed] },
        });
    },
    (error: unknown) => {
      const aborted = error instanceof SdError && error.code === 'aborted';
      if (stopped || (aborted && !cancelled)) decide({ type: detached ? 'detached' : 'stopped' });
      else if (cancelled) decide({ type: 'cancelled' });
      else decide({ type: 'failed', error });
    },
  );

  return {
    outcome,
    settled,
    async cancel() {
      cancelled = true;
      let how: CancelOutcome = 'discard';
      try {
        how = await run.cancel();
      } catch {
        // The server could not be asked whose work runs: never stop it blindly; discard the answer.
      }
      // The member sees "Cancelled" now; the server's late answer (if any) is thrown away.
      decide({ type: 'cancelled' });
      return how;
    },
    async stop(leaveOnServer = false) {
      stopped = true;
      detached = leaveOnServer;
      // Stop the server working for nobody (only where it is this job's own work), then drop the request.
      if (!leaveOnServer)
        await within(
          run.cancel().catch(() => 'discard'),
          2000,
        );
      controller.abort();
    },
  };
}

/**
 * Prompt variants: one request after another on the same server, their images in order as one
 * result. A cancel stops the request running and sends no more; the server is free for the next job
 * only once the last one answers.
 */
export function runInSequence(
  requests: readonly GenerateRequest[],
  start: (request: GenerateRequest, last: boolean) => EngineRun,
): EngineRun {
  let current: EngineRun | undefined;
  let cancelled = false;
  const result = (async (): Promise<EngineResult> => {
    const results: EngineResult[] = [];
    for (const [index, request] of requests.entries()) {
      if (cancelled) break;
      current = start(request, index === requests.length - 1);
      results.push(await current.result);
    }
    const [first] = results;
    if (first === undefined) throw new Error('no variant ran');
    return {
      images: results.flatMap((part) => part.images),
      seeds: results.flatMap((part) => part.seeds),
      model: first.model,
      modelHash: first.modelHash,
      sampler: first.sampler,
      infotexts: results.flatMap((part) => part.infotexts),
    };
  })();
  return {
    result,
    async cancel() {
      cancelled = true;
      return current === undefined ? 'discard' : current.cancel();
    },
  };
}

function rejected(error: unknown): EngineRun {
  const result = Promise.reject(error);
  result.catch(() => undefined);
  return { result, cancel: async () => 'discard' };
}

/** The first image's real size, from its own header. */
export function realSize(image: Buffer | undefined): { width?: number; height?: number } {
  const size = image === undefined ? undefined : readImageSize(image);
  return size === undefined ? {} : size;
}

export function failureKindOf(error: unknown): FailureKind {
  if (!(error instanceof SdError) || error.code === 'aborted') return 'unknown';
  return error.code;
}
