import type { Checkpoint } from '../engines/types.js';
import { cleanText } from '../generation/request.js';
import { type Message, msg } from '../i18n/translate.js';
import { FAMILY_LABELS, type ModelFamily } from '../models/family.js';
import { closestModels, findModel } from '../models/match.js';
import { type Change, unknownModel } from './change.js';
import {
  type CustomStyle,
  FEATURE_NAMES,
  type FeatureName,
  type FeaturePolicy,
  type GuildPolicy,
  MAX_CUSTOM_STYLES,
} from './policy.js';

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

const TURNED: Readonly<Record<FeatureName, { on: Message; off: Message }>> = {
  loras: { on: msg('refusals.features.lorasAllowed'), off: msg('refusals.features.lorasTurnedOff') },
  styles: { on: msg('refusals.features.stylesAllowed'), off: msg('refusals.features.stylesTurnedOff') },
  hires: { on: msg('refusals.features.hiresAllowed'), off: msg('refusals.features.hiresTurnedOff') },
  adetailer: {
    on: msg('refusals.features.adetailerAllowed'),
    off: msg('refusals.features.adetailerTurnedOff'),
  },
  variants: {
    on: msg('refusals.features.variantsAllowed'),
    off: msg('refusals.features.variantsTurnedOff'),
  },
};

/** What a plan collects: every problem, and a line for each change made. */
interface PlanNotes {
  problems: Message[];
  summary: Message[];
}

/** The per-request limits (LoRAs, hires scale), within the bot's own; written into `features`. */
function planLimits(
  features: FeaturePolicy,
  input: FeaturesInput,
  context: FeaturesContext,
  { problems, summary }: PlanNotes,
): void {
  if (input.maxLoras !== undefined) {
    if (!Number.isInteger(input.maxLoras) || input.maxLoras < 0 || input.maxLoras > context.limits.maxLoras) {
      problems.push(msg('refusals.features.maxLorasRange', { min: 0, max: context.limits.maxLoras }));
    } else {
      features.maxLoras = input.maxLoras;
      summary.push(msg('refusals.features.maxLoras', { count: input.maxLoras }));
    }
  }
  if (input.maxHiresScale !== undefined) {
    if (!(input.maxHiresScale >= 1) || input.maxHiresScale > context.limits.maxHiresScale) {
      problems.push(
        msg('refusals.features.maxHiresScaleRange', { min: 1, max: context.limits.maxHiresScale }),
      );
    } else {
      features.maxHiresScale = input.maxHiresScale;
      summary.push(msg('refusals.features.maxHiresScale', { scale: input.maxHiresScale }));
    }
  }
}

/** The hires fix defaults (upscaler the servers list, denoise, steps); written into `features`. */
function planHiresDefaults(
  features: FeaturePolicy,
  input: FeaturesInput,
  context: FeaturesContext,
  { problems, summary }: PlanNotes,
): void {
  if (input.hiresUpscaler !== undefined) {
    const wanted = input.hiresUpscaler.trim().toLowerCase();
    const found = context.upscalers?.find((name) => name.toLowerCase() === wanted);
    if (found === undefined)
      problems.push(msg('refusals.upscaler.unknown', { name: cleanText(input.hiresUpscaler).slice(0, 60) }));
    else {
      features.hiresUpscaler = found;
      summary.push(msg('refusals.features.hiresUpscaler', { name: found }));
    }
  }
  if (input.hiresDenoise !== undefined) {
    if (!(input.hiresDenoise > 0 && input.hiresDenoise <= 1))
      problems.push(msg('refusals.features.hiresDenoiseRange'));
    else {
      features.hiresDenoise = input.hiresDenoise;
      summary.push(msg('refusals.features.hiresDenoise', { denoise: input.hiresDenoise }));
    }
  }
  if (input.hiresSteps !== undefined) {
    if (!Number.isInteger(input.hiresSteps) || input.hiresSteps < 1 || input.hiresSteps > 150) {
      problems.push(msg('refusals.features.hiresStepsRange', { min: 1, max: 150 }));
    } else {
      features.hiresSteps = input.hiresSteps;
      summary.push(msg('refusals.features.hiresSteps', { steps: input.hiresSteps }));
    }
  }
}

/** A checkpoint's family, set or back to detection (`auto`); written into `features`. */
function planFamily(
  features: FeaturePolicy,
  input: FeaturesInput,
  context: FeaturesContext,
  { problems, summary }: PlanNotes,
): void {
  if (input.model !== undefined || input.family !== undefined) {
    if (input.model === undefined || input.family === undefined) {
      problems.push(msg('refusals.features.modelAndFamily'));
    } else {
      const found = findModel(input.model, context.models ?? []);
      if (found === undefined) {
        const closest = closestModels(input.model, context.models ?? []).map((model) => `\`${model.title}\``);
        problems.push(unknownModel(input.model, closest));
      } else {
        const families = { ...features.families };
        if (input.family === 'auto') delete families[found.title];
        else families[found.title] = input.family;
        features.families = families;
        summary.push(
          input.family === 'auto'
            ? msg('refusals.features.familyAuto', { model: found.title })
            : msg('refusals.features.family', { model: found.title, family: FAMILY_LABELS[input.family] }),
        );
      }
    }
  }
}

/** Pure: the new policy or every problem; a refused change changes nothing. */
export function planFeaturesChange(
  current: GuildPolicy,
  input: FeaturesInput,
  context: FeaturesContext,
): Change<GuildPolicy> {
  const problems: Message[] = [];
  const summary: Message[] = [];
  let features: FeaturePolicy =
    input.reset === true ? { styles: current.features?.styles } : { ...current.features };
  if (input.reset === true) summary.push(msg('refusals.features.resetAll'));
  const allowed = { ...features.allowed };
  for (const name of FEATURE_NAMES) {
    const value = input.allowed?.[name];
    if (value === undefined) continue;
    allowed[name] = value;
    summary.push(value ? TURNED[name].on : TURNED[name].off);
  }
  if (Object.keys(allowed).length > 0) features = { ...features, allowed };
  const notes = { problems, summary };
  planLimits(features, input, context, notes);
  planHiresDefaults(features, input, context, notes);
  planFamily(features, input, context, notes);
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: [msg('refusals.settings.nothingToChange')] };
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
  if (name === '') return { ok: false, problems: [msg('refusals.styles.needsName')] };
  if (input.remove === true) {
    if (others.length === styles.length)
      return { ok: false, problems: [msg('refusals.styles.notFound', { name })] };
    return {
      ok: true,
      value: { ...current, features: { ...current.features, styles: others } },
      summary: [msg('refusals.styles.removed', { name })],
    };
  }
  const prompt = cleanText(input.prompt ?? '');
  const negativePrompt = cleanText(input.negativePrompt ?? '');
  const problems: Message[] = [];
  if (prompt === '' && negativePrompt === '') problems.push(msg('refusals.styles.needsPrompt'));
  for (const [key, text] of [
    ['refusals.styles.promptTooLong', prompt],
    ['refusals.styles.negativeTooLong', negativePrompt],
  ] as const) {
    if (text.length > maxPromptLength)
      problems.push(msg(key, { length: text.length, limit: maxPromptLength }));
  }
  if (others.length === styles.length && styles.length >= MAX_CUSTOM_STYLES) {
    problems.push(msg('refusals.styles.full', { max: MAX_CUSTOM_STYLES }));
  }
  if (problems.length > 0) return { ok: false, problems };
  const style: CustomStyle = { name, prompt, negativePrompt };
  return {
    ok: true,
    value: { ...current, features: { ...current.features, styles: [...others, style] } },
    summary: [
      others.length === styles.length
        ? msg('refusals.styles.added', { name })
        : msg('refusals.styles.replaced', { name }),
    ],
  };
}
