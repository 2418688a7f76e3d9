import type { GenerationParams } from '../generation/request.js';
import type { GenerationResult, RequestOptions, SdClient } from '../sd/types.js';

/**
 * Runs an upscale job (`POST /sdapi/v1/extra-single-image`) and shapes the answer like a
 * generation, so the runner and the reporter treat it as any other job with one image. The
 * "model" reported is the upscaler; the seed is the source image's.
 */
export async function runUpscale(
  client: SdClient,
  params: GenerationParams,
  requestOptions: RequestOptions,
): Promise<GenerationResult> {
  const { initImage, upscale } = params;
  if (initImage === undefined || upscale === undefined) {
    throw new Error('an upscale job needs its source image and upscaler');
  }
  const image = await client.extraSingleImage(
    { image: initImage, upscaler_1: upscale.upscaler, upscaling_resize: upscale.factor, resize_mode: 0 },
    requestOptions,
  );
  return {
    images: [image],
    info: {
      prompt: params.prompt,
      negative_prompt: params.negativePrompt,
      seed: params.seed,
      all_seeds: [params.seed],
      subseed: null,
      width: params.width,
      height: params.height,
      sampler_name: null,
      cfg_scale: null,
      steps: null,
      sd_model_name: upscale.upscaler,
      sd_model_hash: null,
      infotexts: [`Postprocess upscale by: ${upscale.factor}, Postprocess upscaler: ${upscale.upscaler}`],
      index_of_first_image: 0,
      version: null,
    },
    parameters: {},
  };
}
