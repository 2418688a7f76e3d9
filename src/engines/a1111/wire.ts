import type { Img2ImgRequest, Txt2ImgRequest } from '../../sd/types.js';

/** What the `/sdapi` bodies are built from: a neutral request, or a job's stored parameters. */
export interface WireParams {
  prompt: string;
  negativePrompt: string;
  seed: number;
  sampler: string;
  scheduler: string | undefined;
  steps: number;
  cfgScale: number;
  width: number;
  height: number;
  count: number;
  model: string | undefined;
  subseed?: number | undefined;
  subseedStrength?: number | undefined;
  initImage?: string | undefined;
  denoisingStrength?: number | undefined;
}

/** The txt2img body for validated parameters whose sampler and scheduler are already resolved. */
export function toTxt2ImgRequest(params: WireParams): Txt2ImgRequest {
  const body: Txt2ImgRequest = {
    prompt: params.prompt,
    negative_prompt: params.negativePrompt,
    seed: params.seed,
    sampler_name: params.sampler,
    steps: params.steps,
    cfg_scale: params.cfgScale,
    width: params.width,
    height: params.height,
    batch_size: params.count,
    n_iter: 1,
  };
  if (params.scheduler !== undefined) body.scheduler = params.scheduler;
  if (params.subseed !== undefined && params.subseedStrength !== undefined) {
    body.subseed = params.subseed;
    body.subseed_strength = params.subseedStrength;
  }
  if (params.model !== undefined) body.override_settings = { sd_model_checkpoint: params.model };
  return body;
}

export function toImg2ImgRequest(params: WireParams & { initImage: string }): Img2ImgRequest {
  return {
    ...toTxt2ImgRequest(params),
    init_images: [params.initImage],
    denoising_strength: params.denoisingStrength ?? 0.75,
  };
}
