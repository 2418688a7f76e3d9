import type { ChatInputCommandInteraction } from 'discord.js';
import type { Config } from '../../config.js';
import { toImg2ImgParams } from '../../generation/img2img.js';
import type { GenerationParams, ImagineInput } from '../../generation/request.js';
import { msg } from '../../i18n/translate.js';
import type { JobKind } from '../../jobs/types.js';
import { UserError } from '../../user-error.js';
import { checkDeclaredSize, type InputAttachment, loadInputImage } from './input-image.js';

/** /imagine's `image` and `strength` options. */
export interface Img2ImgOptions {
  attachment: InputAttachment | undefined;
  strength: number | undefined;
}

/**
 * Reads `image` and `strength`. Checked before deferring (so the refusal is ephemeral): a
 * strength without an image, and an attachment whose declared size is over the limit.
 */
export function readImg2ImgOptions(interaction: ChatInputCommandInteraction, config: Config): Img2ImgOptions {
  const image = interaction.options.getAttachment('image');
  const strength = interaction.options.getNumber('strength') ?? undefined;
  if (image === null) {
    if (strength !== undefined) {
      throw new UserError('invalid-options', msg('refusals.img2img.strengthWithoutImage'));
    }
    return { attachment: undefined, strength };
  }
  const attachment = { url: image.url, size: image.size, name: image.name };
  checkDeclaredSize(attachment, config.results.maxInputImageBytes);
  return { attachment, strength };
}

/**
 * With an image: downloads and checks it (content by magic bytes, size, pixels) and makes the
 * job an img2img one; without: the parameters as they are, txt2img. Throws a UserError naming
 * the problem, before any request to the WebUI.
 */
export async function prepareImg2Img(
  options: Img2ImgOptions,
  params: GenerationParams,
  input: ImagineInput,
  config: Config,
): Promise<{ kind: JobKind; params: GenerationParams }> {
  if (options.attachment === undefined) return { kind: 'txt2img', params };
  const image = await loadInputImage(options.attachment, {
    maxBytes: config.results.maxInputImageBytes,
    maxPixels: config.limits.maxPixels,
  });
  const result = toImg2ImgParams(
    params,
    input,
    { base64: image.bytes.toString('base64'), width: image.width, height: image.height },
    options.strength,
    config.limits,
  );
  if (!result.ok) throw new UserError('invalid-options', result.problems);
  return { kind: 'img2img', params: result.params };
}
