/** The `{a|b}` variants of one request, checked against the server's policy and the image limit. */
import { type Message, msg } from '../i18n/translate.js';
import { echo, notAllowed } from './feature-refusals.js';
import { expandVariants, VARIANT_SYNTAX } from './variants.js';

export interface VariantPlan {
  variants: { prompt: string; label: string }[];
}

/**
 * `{a|b}` variants of a prompt, one image each within the request's image count (`count` images
 * per variant, at most `maxImages` in all). A prompt without choices gives no variants.
 */
export function planVariants(
  prompt: string,
  count: number,
  maxImages: number,
  allowed: boolean,
): { ok: true; value: VariantPlan } | { ok: false; problem: Message } {
  const expanded = expandVariants(prompt, Math.max(1, Math.floor(maxImages / count)) * 8);
  if (!expanded.ok) return { ok: false, problem: expanded.problem };
  if (expanded.variants.length <= 1) return { ok: true, value: { variants: [] } };
  if (!allowed) return { ok: false, problem: notAllowed('variants') };
  const images = expanded.variants.length * count;
  if (images > maxImages) {
    const params = {
      variants: expanded.variants.length,
      syntax: VARIANT_SYNTAX,
      count,
      images,
      limit: maxImages,
    };
    return {
      ok: false,
      problem: msg(
        count === 1 ? 'refusals.variants.tooManyImagesOne' : 'refusals.variants.tooManyImages',
        params,
      ),
    };
  }
  return {
    ok: true,
    value: {
      variants: expanded.variants.map((variant) => ({
        prompt: variant.text,
        label: echo(variant.choices.map((choice) => (choice === '' ? '∅' : choice)).join(' · ')),
      })),
    },
  };
}
