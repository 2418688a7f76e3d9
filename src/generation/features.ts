/**
 * The optional features of /imagine (LoRAs, styles, hires fix, ADetailer, prompt variants, model
 * families), checked against the servers' lists and the server's policy before anything is sent.
 * Pure: every function takes plain data and returns the new parameters or every problem. Here:
 * the styles and the resolution of one request's features; the LoRA option (loras.ts), variants
 * (variant-plan.ts), hires (hires-feature.ts) and model families (family-defaults.ts) apart.
 */
import { type Message, msg } from '../i18n/translate.js';
import type { FeatureContext, FeatureInput, FeatureResult } from './feature-context.js';
import { closestNames, echo, notAllowed, quote } from './feature-refusals.js';
import { resolveHires } from './hires-feature.js';
import { closestLoras, findLora } from './loras.js';
import type { GenerationParams } from './request.js';

// The checks live in their own modules; callers keep importing them from here.
export { applyFamilyDefaults, type FamilyContext, familyOfModel } from './family-defaults.js';
export {
  DEFAULT_HIRES_DENOISE,
  type EffectiveFeatures,
  type FeatureAvailability,
  type FeatureContext,
  type FeatureInput,
  type FeatureLists,
  type FeatureResult,
  toEffectiveFeatures,
} from './feature-context.js';
export { type LoraPrompt, readLoras } from './loras.js';
export { planVariants, type VariantPlan } from './variant-plan.js';

/** A1111's `merge_prompts`: `{prompt}` in the style stands for the prompt, else they join with `, `. */
export function mergeStylePrompt(style: string, prompt: string): string {
  if (style.includes('{prompt}')) return style.replaceAll('{prompt}', prompt);
  return [prompt.trim(), style.trim()].filter((part) => part !== '').join(', ');
}

/**
 * Checks the features of one request and writes them into its parameters. `loras` are the ones
 * `readLoras` found (the prompt in `params` is already without tags). Unknown LoRAs, styles and
 * upscalers are refused with the closest names, before any request.
 */
export function resolveFeatures(
  params: GenerationParams,
  input: FeatureInput & { loras: readonly { name: string; weight: number }[] },
  context: FeatureContext,
): FeatureResult {
  const { features, lists, available } = context;
  const problems: Message[] = [];
  const next: GenerationParams = { ...params };

  if (input.loras.length > 0) {
    if (!features.allowed.loras) problems.push(notAllowed('loras'));
    else if (!available.loras) problems.push(msg('refusals.features.noLoraServer'));
    else {
      const resolved: { name: string; weight: number }[] = [];
      for (const lora of input.loras) {
        const entry = findLora(lora.name, lists.loras);
        if (entry === undefined) {
          const closest = closestLoras(lora.name, lists.loras).map((candidate) => candidate.name);
          problems.push(
            closest.length > 0
              ? msg('refusals.loras.unknownClosest', { name: echo(lora.name), closest: quote(closest) })
              : msg('refusals.loras.unknown', { name: echo(lora.name) }),
          );
        } else resolved.push({ name: entry.name, weight: lora.weight });
      }
      next.loras = resolved;
    }
  }

  if (input.style !== undefined) {
    const wanted = input.style.trim().toLowerCase();
    const own = features.styles.find((style) => style.name.toLowerCase() === wanted);
    const server = lists.styles.find((style) => style.name.toLowerCase() === wanted);
    if (!features.allowed.styles) problems.push(notAllowed('styles'));
    else if (own !== undefined) {
      next.prompt = mergeStylePrompt(own.prompt, next.prompt);
      next.negativePrompt = mergeStylePrompt(own.negativePrompt, next.negativePrompt);
      next.variants = next.variants?.map((variant) => ({
        ...variant,
        prompt: mergeStylePrompt(own.prompt, variant.prompt),
      }));
      next.notes = [...(next.notes ?? []), `Style: ${own.name}`];
    } else if (server !== undefined && available.styles) {
      next.styles = [server.name];
    } else {
      const names = [
        ...features.styles.map((style) => style.name),
        ...lists.styles.map((style) => style.name),
      ];
      const closest = closestNames(input.style, names);
      problems.push(
        closest.length > 0
          ? msg('refusals.styles.unknownClosest', { name: echo(input.style), closest: quote(closest) })
          : msg('refusals.styles.unknownNone', { name: echo(input.style) }),
      );
    }
  }

  if (input.hires !== undefined) {
    const hires = resolveHires(input.hires, next, context);
    if (hires.ok) next.hires = hires.value;
    else problems.push(...hires.problems);
  }

  if (input.adetailer === true) {
    if (!features.allowed.adetailer) problems.push(notAllowed('adetailer'));
    else if (!available.adetailer) problems.push(msg('refusals.features.noAdetailerServer'));
    else next.adetailer = true;
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, params: next };
}
