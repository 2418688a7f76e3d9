import type { Checkpoint } from '../engines/types.js';
import { cleanText } from '../generation/request.js';
import { FAMILY_LABELS, type ModelFamily } from '../models/family.js';
import { closestModels, findModel } from '../models/match.js';
import {
  type CustomStyle,
  FEATURE_NAMES,
  type FeatureName,
  type FeaturePolicy,
  type GuildPolicy,
  MAX_CUSTOM_STYLES,
} from './policy.js';
import type { Change } from './settings-changes.js';

/** `/settings features`: what members may use, the limits, hires defaults, a checkpoint's family. */
export interface FeaturesInput {
  allowed?: Partial<Record<FeatureName, boolean>> | undefined;
  maxLoras?: number | undefined;
  maxHiresScale?: number | undefined;
  hiresUpscaler?: string | undefined;
  hiresDenoise?: number | undefined;
  hiresSteps?: number | undefined;
  /** A checkpoint and its family (`auto`: detected again). */
  model?: string | undefined;
  family?: ModelFamily | 'auto' | undefined;
  reset?: boolean | undefined;
}

export interface FeaturesContext {
  limits: { maxLoras: number; maxHiresScale: number };
  /** Needed when a model is given. */
  models?: readonly Checkpoint[] | undefined;
  /** Needed when a hires upscaler is given: `/upscalers` and `/latent-upscale-modes`. */
  upscalers?: readonly string[] | undefined;
}

const LABELS: Record<FeatureName, string> = {
  loras: 'LoRAs',
  styles: 'Styles',
  hires: 'Hires fix',
  adetailer: 'ADetailer',
  variants: 'Prompt variants',
};

/** Pure: the new policy or every problem; a refused change changes nothing. */
export function planFeaturesChange(
  current: GuildPolicy,
  input: FeaturesInput,
  context: FeaturesContext,
): Change<GuildPolicy> {
  const problems: string[] = [];
  const summary: string[] = [];
  let features: FeaturePolicy =
    input.reset === true ? { styles: current.features?.styles } : { ...current.features };
  if (input.reset === true)
    summary.push('Every feature setting is back to the bot’s default (styles are kept).');
  const allowed = { ...features.allowed };
  for (const name of FEATURE_NAMES) {
    const value = input.allowed?.[name];
    if (value === undefined) continue;
    allowed[name] = value;
    summary.push(`${LABELS[name]}: ${value ? 'allowed' : 'turned off'}.`);
  }
  if (Object.keys(allowed).length > 0) features = { ...features, allowed };
  if (input.maxLoras !== undefined) {
    if (!Number.isInteger(input.maxLoras) || input.maxLoras < 0 || input.maxLoras > context.limits.maxLoras) {
      problems.push(`Most LoRAs must be a whole number from 0 to ${context.limits.maxLoras} (MAX_LORAS).`);
    } else {
      features.maxLoras = input.maxLoras;
      summary.push(`Most LoRAs per request: ${input.maxLoras}.`);
    }
  }
  if (input.maxHiresScale !== undefined) {
    if (!(input.maxHiresScale >= 1) || input.maxHiresScale > context.limits.maxHiresScale) {
      problems.push(
        `The highest hires scale must be from 1 to ${context.limits.maxHiresScale} (MAX_HIRES_SCALE).`,
      );
    } else {
      features.maxHiresScale = input.maxHiresScale;
      summary.push(`Highest hires scale: ${input.maxHiresScale}.`);
    }
  }
  if (input.hiresUpscaler !== undefined) {
    const wanted = input.hiresUpscaler.trim().toLowerCase();
    const found = context.upscalers?.find((name) => name.toLowerCase() === wanted);
    if (found === undefined)
      problems.push(`Unknown upscaler "${cleanText(input.hiresUpscaler).slice(0, 60)}".`);
    else {
      features.hiresUpscaler = found;
      summary.push(`Hires upscaler: ${found}.`);
    }
  }
  if (input.hiresDenoise !== undefined) {
    if (!(input.hiresDenoise > 0 && input.hiresDenoise <= 1))
      problems.push('The hires denoise must be more than 0, up to 1.');
    else {
      features.hiresDenoise = input.hiresDenoise;
      summary.push(`Hires denoise: ${input.hiresDenoise}.`);
    }
  }
  if (input.hiresSteps !== undefined) {
    if (!Number.isInteger(input.hiresSteps) || input.hiresSteps < 1 || input.hiresSteps > 150) {
      problems.push('Hires steps must be a whole number from 1 to 150.');
    } else {
      features.hiresSteps = input.hiresSteps;
      summary.push(`Hires steps: ${input.hiresSteps}.`);
    }
  }
  if (input.model !== undefined || input.family !== undefined) {
    if (input.model === undefined || input.family === undefined) {
      problems.push('Give both a model and its family.');
    } else {
      const found = findModel(input.model, context.models ?? []);
      if (found === undefined) {
        const closest = closestModels(input.model, context.models ?? []).map((model) => `\`${model.title}\``);
        problems.push(
          `Unknown model "${input.model}".${closest.length > 0 ? ` Closest: ${closest.join(', ')}.` : ''}`,
        );
      } else {
        const families = { ...features.families };
        if (input.family === 'auto') delete families[found.title];
        else families[found.title] = input.family;
        features.families = families;
        summary.push(
          input.family === 'auto'
            ? `${found.title}: family detected again.`
            : `${found.title}: ${FAMILY_LABELS[input.family]}.`,
        );
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: ['Nothing to change: give at least one option.'] };
  return { ok: true, value: { ...current, features }, summary };
}

/** `/settings style`: adds or replaces a server style (name, prompt and negative additions), or removes it. */
export function planStyleChange(
  current: GuildPolicy,
  input: {
    name: string;
    prompt?: string | undefined;
    negativePrompt?: string | undefined;
    remove?: boolean | undefined;
  },
  maxPromptLength: number,
): Change<GuildPolicy> {
  const name = cleanText(input.name).replace(/\s+/g, ' ');
  const styles = current.features?.styles ?? [];
  const others = styles.filter((style) => style.name.toLowerCase() !== name.toLowerCase());
  if (name === '') return { ok: false, problems: ['The style needs a name.'] };
  if (input.remove === true) {
    if (others.length === styles.length)
      return { ok: false, problems: [`There is no style "${name}" to remove.`] };
    return {
      ok: true,
      value: { ...current, features: { ...current.features, styles: others } },
      summary: [`Style ${name} removed.`],
    };
  }
  const prompt = cleanText(input.prompt ?? '');
  const negativePrompt = cleanText(input.negativePrompt ?? '');
  const problems: string[] = [];
  if (prompt === '' && negativePrompt === '')
    problems.push('A style needs a prompt or a negative prompt addition.');
  for (const [label, text] of [
    ['prompt', prompt],
    ['negative prompt', negativePrompt],
  ] as const) {
    if (text.length > maxPromptLength)
      problems.push(`The style’s ${label} is ${text.length} characters; the limit is ${maxPromptLength}.`);
  }
  if (others.length === styles.length && styles.length >= MAX_CUSTOM_STYLES) {
    problems.push(`This server already has ${MAX_CUSTOM_STYLES} styles, the most it can. Remove one first.`);
  }
  if (problems.length > 0) return { ok: false, problems };
  const style: CustomStyle = { name, prompt, negativePrompt };
  return {
    ok: true,
    value: { ...current, features: { ...current.features, styles: [...others, style] } },
    summary: [
      `Style ${name} ${others.length === styles.length ? 'added' : 'replaced'}: use it with /imagine style:${name}.`,
    ],
  };
}
