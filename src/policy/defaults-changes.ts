import type { CatalogLists } from '../catalog/catalog.js';
import { cleanText, type GenerationDefaults, type GenerationLimits } from '../generation/request.js';
import { resolveSampler } from '../generation/sampler.js';
import { type Message, msg } from '../i18n/translate.js';
import { closestModels, findModel } from '../models/match.js';
import { type Change, isWhole, unknownModel } from './change.js';
import type { GuildPolicy } from './policy.js';

/** `/settings defaults`: the server's own /imagine defaults and default model. */
export const DEFAULTS_RESETS = ['all', 'model', 'negative_prompt', 'steps', 'size', 'sampler'] as const;
export type DefaultsReset = (typeof DEFAULTS_RESETS)[number];

export interface DefaultsInput {
  model?: string | undefined;
  negativePrompt?: string | undefined;
  steps?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  sampler?: string | undefined;
  scheduler?: string | undefined;
  reset?: DefaultsReset | undefined;
}

export interface DefaultsContext {
  configured: GenerationDefaults;
  limits: GenerationLimits;
  /** Live lists; only needed when a sampler, scheduler or model is given. */
  lists: Partial<CatalogLists>;
}

/** The new policy and the server's default model (`null`: cleared, `undefined`: unchanged). */
export interface DefaultsOutcome {
  policy: GuildPolicy;
  model: string | null | undefined;
}

/** What the steps below collect: the defaults as changed so far, every problem, and what changed. */
interface Draft {
  defaults: GuildPolicy['defaults'];
  problems: Message[];
  summary: Message[];
}

/** One pass over every option that collects each problem, so nothing changes unless all pass. */
export function planDefaultsChange(
  current: GuildPolicy,
  input: DefaultsInput,
  context: DefaultsContext,
): Change<DefaultsOutcome> {
  const draft: Draft = { defaults: { ...current.defaults }, problems: [], summary: [] };
  let model: string | null | undefined;
  if (input.reset !== undefined) {
    if (input.reset === 'all' || input.reset === 'model') model = null;
    applyReset(input.reset, draft);
  }
  if (input.model !== undefined) model = planModel(input.model, context, draft) ?? model;
  if (input.negativePrompt !== undefined) planNegativePrompt(input.negativePrompt, context, draft);
  if (input.steps !== undefined) planSteps(input.steps, context, draft);
  planSize(input, context, draft);
  if (input.sampler !== undefined || input.scheduler !== undefined) planSampler(input, context, draft);
  const { defaults, problems, summary } = draft;
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: [msg('refusals.settings.nothingToChange')] };
  return { ok: true, value: { policy: { ...current, defaults }, model }, summary };
}

function applyReset(reset: DefaultsReset, { defaults, summary }: Draft): void {
  if (reset === 'all') for (const key of Object.keys(defaults)) delete defaults[key as keyof typeof defaults];
  if (reset === 'negative_prompt') delete defaults.negativePrompt;
  if (reset === 'steps') delete defaults.steps;
  if (reset === 'size') {
    delete defaults.width;
    delete defaults.height;
  }
  if (reset === 'sampler') {
    delete defaults.sampler;
    delete defaults.scheduler;
  }
  summary.push(
    reset === 'all'
      ? msg('refusals.settings.resetAll')
      : msg('refusals.settings.reset', { what: reset.replace('_', ' ') }),
  );
}

/** The checkpoint's title when the live list has it; else a problem naming the closest ones. */
function planModel(name: string, context: DefaultsContext, { problems, summary }: Draft): string | undefined {
  const found = findModel(name, context.lists.models ?? []);
  if (found === undefined) {
    const closest = closestModels(name, context.lists.models ?? []).map(
      (candidate) => `\`${candidate.title}\``,
    );
    problems.push(unknownModel(name, closest));
    return undefined;
  }
  summary.push(msg('refusals.settings.defaultModel', { model: found.title }));
  return found.title;
}

function planNegativePrompt(negativePrompt: string, context: DefaultsContext, draft: Draft): void {
  const text = cleanText(negativePrompt);
  if (text.length > context.limits.maxPromptLength) {
    draft.problems.push(
      msg('refusals.imagine.negativeTooLong', { length: text.length, limit: context.limits.maxPromptLength }),
    );
    return;
  }
  draft.defaults.negativePrompt = text;
  draft.summary.push(
    text === '' ? msg('refusals.settings.defaultNegativeNone') : msg('refusals.settings.defaultNegativeSet'),
  );
}

function planSteps(steps: number, context: DefaultsContext, draft: Draft): void {
  if (!isWhole(steps, 1, context.limits.maxSteps)) {
    draft.problems.push(msg('refusals.settings.stepsRange', { min: 1, max: context.limits.maxSteps }));
    return;
  }
  draft.defaults.steps = steps;
  draft.summary.push(msg('refusals.settings.defaultSteps', { steps }));
}

/** Width and height, multiples of 8, whose size (with the other side kept) is within the pixel limit. */
function planSize(input: DefaultsInput, context: DefaultsContext, draft: Draft): void {
  let sizeOk = true;
  for (const [key, value] of [
    ['refusals.settings.widthRange', input.width],
    ['refusals.settings.heightRange', input.height],
  ] as const) {
    if (value === undefined) continue;
    if (!isWhole(value, 64, 2048) || value % 8 !== 0) {
      draft.problems.push(msg(key, { multiple: 8, min: 64, max: 2048, value }));
      sizeOk = false;
    }
  }
  if (!sizeOk || (input.width === undefined && input.height === undefined)) return;
  const { defaults } = draft;
  const width = input.width ?? defaults.width ?? context.configured.width;
  const height = input.height ?? defaults.height ?? context.configured.height;
  if (width * height > context.limits.maxPixels) {
    draft.problems.push(
      msg('refusals.settings.tooManyPixels', {
        width,
        height,
        pixels: width * height,
        limit: context.limits.maxPixels,
      }),
    );
    return;
  }
  defaults.width = width;
  defaults.height = height;
  draft.summary.push(msg('refusals.settings.defaultSize', { width, height }));
}

/** The sampler (and scheduler) as the live lists name them. */
function planSampler(input: DefaultsInput, context: DefaultsContext, draft: Draft): void {
  const { defaults } = draft;
  const samplerName = input.sampler ?? defaults.sampler ?? context.configured.sampler;
  const resolved = resolveSampler(
    samplerName,
    input.scheduler,
    context.lists.samplers ?? [],
    context.lists.schedulers ?? null,
  );
  if (!resolved.ok) {
    draft.problems.push(resolved.message);
    return;
  }
  defaults.sampler = resolved.sampler;
  // A sampler without a scheduler gets the WebUI's automatic choice, as it does in /imagine.
  const automatic = context.lists.schedulers?.find((scheduler) => scheduler.name === 'automatic')?.label;
  const scheduler = resolved.scheduler ?? (input.sampler !== undefined ? automatic : undefined);
  if (scheduler !== undefined) defaults.scheduler = scheduler;
  else if (input.sampler !== undefined) delete defaults.scheduler;
  draft.summary.push(
    scheduler === undefined
      ? msg('refusals.settings.defaultSampler', { sampler: resolved.sampler })
      : msg('refusals.settings.defaultSamplerScheduler', { sampler: resolved.sampler, scheduler }),
  );
}
