import { type Message, msg } from '../i18n/translate.js';
import type { GenerationLimits, GenerationParams, ImagineInput } from './request.js';

/** The A1111 default for `denoising_strength` in img2img. */
export const DEFAULT_DENOISING_STRENGTH = 0.75;

/** An input image's size snapped down to multiples of 8 (the WebUI works in 8-pixel blocks). */
export function toImg2ImgSize(width: number, height: number): { width: number; height: number } {
  return { width: Math.floor(width / 8) * 8, height: Math.floor(height / 8) * 8 };
}

export type Img2ImgResult = { ok: true; params: GenerationParams } | { ok: false; problems: Message[] };

/**
 * Turns validated txt2img parameters into img2img ones: the init image (bare base64), the
 * strength, and — unless the member gave a size or an aspect — the input's own size. The total
 * pixel budget is checked again for the size that results.
 */
export function toImg2ImgParams(
  params: GenerationParams,
  input: Pick<ImagineInput, 'width' | 'height' | 'aspect'>,
  image: { base64: string; width: number; height: number },
  strength: number | undefined,
  limits: GenerationLimits,
): Img2ImgResult {
  const sizeGiven = input.width !== undefined || input.height !== undefined || input.aspect !== undefined;
  const size = sizeGiven
    ? { width: params.width, height: params.height }
    : toImg2ImgSize(image.width, image.height);
  const problems: Message[] = [];
  if (strength !== undefined && (!Number.isFinite(strength) || strength < 0 || strength > 1)) {
    problems.push(msg('refusals.img2img.strengthRange', { min: 0, max: 1 }));
  }
  const total = size.width * size.height * params.count;
  if (size.width * size.height > limits.maxPixels) {
    problems.push(
      msg('refusals.img2img.tooManyPixels', {
        width: size.width,
        height: size.height,
        limit: limits.maxPixels,
      }),
    );
  } else if (limits.maxTotalPixels !== undefined && total > limits.maxTotalPixels) {
    problems.push(
      msg('refusals.img2img.totalPixels', {
        count: params.count,
        width: size.width,
        height: size.height,
        total,
        limit: limits.maxTotalPixels,
      }),
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    params: {
      ...params,
      ...size,
      initImage: image.base64,
      denoisingStrength: strength ?? DEFAULT_DENOISING_STRENGTH,
    },
  };
}
