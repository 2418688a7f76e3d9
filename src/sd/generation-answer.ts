/**
 * A txt2img/img2img answer: which of its strings are images (decoded as the body streams in), and how
 * the decoded images and the `info` document become a `GenerationResult`, one image per seed.
 */
import type { z } from 'zod';
import type { RequestContext } from './error-mapping.js';
import type { ExtractedImage, JsonPath, StringAction } from './json-image-stream.js';
import { imageOrThrow, parseJsonText, validate } from './response.js';
import { generationInfoSchema, type generationResponseSchema } from './schemas.js';
import type { GenerationInfo, GenerationResult } from './types.js';

/**
 * Which strings of a generation answer are images: decoded as they arrive. The echo of img2img's
 * input images in `parameters` is left out (nobody reads it, and it is as large as the input).
 */
export function selectImageStrings(path: JsonPath): StringAction {
  if (path.length === 2 && path[0] === 'images' && typeof path[1] === 'number') return 'decode';
  if (path.length === 1 && path[0] === 'image') return 'decode';
  if (path[0] === 'parameters' && (path[1] === 'init_images' || path[1] === 'mask')) return 'drop';
  return 'keep';
}

/** The validated answer and its decoded images as the client's result. */
export function toGenerationResult(
  response: z.output<typeof generationResponseSchema>,
  decoded: ExtractedImage[],
  request: RequestContext,
): GenerationResult {
  const parsedInfo = validate(generationInfoSchema, parseJsonText(response.info, request), request);
  const info = toGenerationInfo(parsedInfo);
  const byIndex = new Map(decoded.map((image) => [image.path[1], image.bytes]));
  // Forge appends extra images and img2img may append masks: keep one image per seed.
  const first = info.index_of_first_image;
  const expected = parsedInfo.all_seeds.length;
  const end = expected > 0 ? Math.min(first + expected, response.images.length) : response.images.length;
  const images: Buffer[] = [];
  for (let index = first; index < end; index++) {
    images.push(imageOrThrow(byIndex.get(index), `images[${index - first}]`, request));
  }
  return { images, info, parameters: response.parameters };
}

function toGenerationInfo(info: z.output<typeof generationInfoSchema>): GenerationInfo {
  return {
    prompt: info.prompt,
    negative_prompt: info.negative_prompt,
    seed: info.seed,
    all_seeds: info.all_seeds.length > 0 ? info.all_seeds : [info.seed],
    subseed: info.subseed,
    width: info.width,
    height: info.height,
    sampler_name: info.sampler_name,
    cfg_scale: info.cfg_scale,
    steps: info.steps,
    sd_model_name: info.sd_model_name,
    sd_model_hash: info.sd_model_hash,
    infotexts: info.infotexts,
    index_of_first_image: info.index_of_first_image,
    version: info.version,
  };
}
