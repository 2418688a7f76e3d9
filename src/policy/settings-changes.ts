import type { CatalogLists } from '../catalog/catalog.js';
import { cleanText, type GenerationDefaults, type GenerationLimits } from '../generation/request.js';
import { resolveSampler } from '../generation/sampler.js';
import { closestModels, findModel } from '../models/match.js';
import { parseBlockedTerm } from './blocked-terms.js';
import type { NsfwMode } from './nsfw-mode.js';
import { type GuildPolicy, MAX_BLOCKED_TERMS } from './policy.js';

/**
 * Pure checks and changes behind /settings. Every function validates everything first and either
 * returns the new policy or every problem; a refused change changes nothing.
 */
export type Change<T> = { ok: true; value: T; summary: string[] } | { ok: false; problems: string[] };

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

const isWhole = (value: number, min: number, max: number) =>
  Number.isFinite(value) && Number.isInteger(value) && value >= min && value <= max;

// Long on purpose: one pass over every option that collects each problem, so nothing changes unless all pass.
export function planDefaultsChange(
  current: GuildPolicy,
  input: DefaultsInput,
  context: DefaultsContext,
): Change<DefaultsOutcome> {
  const problems: string[] = [];
  const summary: string[] = [];
  const defaults = { ...current.defaults };
  let model: string | null | undefined;
  const reset = input.reset;
  if (reset !== undefined) {
    if (reset === 'all' || reset === 'model') model = null;
    if (reset === 'all')
      for (const key of Object.keys(defaults)) delete defaults[key as keyof typeof defaults];
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
      `Reset ${reset === 'all' ? 'every server default' : reset.replace('_', ' ')} to the bot’s default.`,
    );
  }

  if (input.model !== undefined) {
    const found = findModel(input.model, context.lists.models ?? []);
    if (found === undefined) {
      const closest = closestModels(input.model, context.lists.models ?? []).map(
        (candidate) => `\`${candidate.title}\``,
      );
      problems.push(
        `Unknown model "${input.model}".${closest.length > 0 ? ` Closest: ${closest.join(', ')}.` : ''}`,
      );
    } else {
      model = found.title;
      summary.push(`Default model: ${found.title}.`);
    }
  }
  if (input.negativePrompt !== undefined) {
    const text = cleanText(input.negativePrompt);
    if (text.length > context.limits.maxPromptLength) {
      problems.push(
        `The negative prompt is ${text.length} characters; the limit is ${context.limits.maxPromptLength}.`,
      );
    } else {
      defaults.negativePrompt = text;
      summary.push(text === '' ? 'Default negative prompt: none.' : 'Default negative prompt set.');
    }
  }
  if (input.steps !== undefined) {
    if (!isWhole(input.steps, 1, context.limits.maxSteps)) {
      problems.push(`Steps must be a whole number from 1 to ${context.limits.maxSteps} (MAX_STEPS).`);
    } else {
      defaults.steps = input.steps;
      summary.push(`Default steps: ${input.steps}.`);
    }
  }
  let sizeOk = true;
  for (const [label, value] of [
    ['Width', input.width],
    ['Height', input.height],
  ] as const) {
    if (value === undefined) continue;
    if (!isWhole(value, 64, 2048) || value % 8 !== 0) {
      problems.push(`${label} must be a multiple of 8 from 64 to 2048 (got ${value}).`);
      sizeOk = false;
    }
  }
  if (sizeOk && (input.width !== undefined || input.height !== undefined)) {
    const width = input.width ?? defaults.width ?? context.configured.width;
    const height = input.height ?? defaults.height ?? context.configured.height;
    if (width * height > context.limits.maxPixels) {
      problems.push(
        `${width}×${height} is ${width * height} pixels; the limit (MAX_PIXELS) is ${context.limits.maxPixels}.`,
      );
    } else {
      defaults.width = width;
      defaults.height = height;
      summary.push(`Default size: ${width}×${height}.`);
    }
  }
  if (input.sampler !== undefined || input.scheduler !== undefined) {
    const samplerName = input.sampler ?? defaults.sampler ?? context.configured.sampler;
    const resolved = resolveSampler(
      samplerName,
      input.scheduler,
      context.lists.samplers ?? [],
      context.lists.schedulers ?? null,
    );
    if (!resolved.ok) problems.push(resolved.message);
    else {
      defaults.sampler = resolved.sampler;
      // A sampler without a scheduler gets the WebUI's automatic choice, as it does in /imagine.
      const automatic = context.lists.schedulers?.find((scheduler) => scheduler.name === 'automatic')?.label;
      const scheduler = resolved.scheduler ?? (input.sampler !== undefined ? automatic : undefined);
      if (scheduler !== undefined) defaults.scheduler = scheduler;
      else if (input.sampler !== undefined) delete defaults.scheduler;
      summary.push(
        `Default sampler: ${resolved.sampler}${scheduler === undefined ? '' : ` · ${scheduler}`}.`,
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: ['Nothing to change: give at least one option.'] };
  return { ok: true, value: { policy: { ...current, defaults }, model }, summary };
}

export const POLICY_CLEARS = [
  'all',
  'nsfw_mode',
  'sfw_negative_prompt',
  'audit_channel',
  'cooldown',
  'hourly_limit',
  'bypass_role',
  'bypass_manage_server',
] as const;
export type PolicyClear = (typeof POLICY_CLEARS)[number];

export interface PolicyInput {
  nsfwMode?: NsfwMode | undefined;
  sfwNegativePrompt?: string | undefined;
  /** A channel the bot can post text in. */
  auditChannel?: { id: string; textBased: boolean } | undefined;
  cooldownSeconds?: number | undefined;
  hourlyLimit?: number | undefined;
  bypassRoleId?: string | undefined;
  bypassManageServer?: boolean | undefined;
  clear?: PolicyClear | undefined;
}

const CLEAR_FIELDS: Record<Exclude<PolicyClear, 'all'>, keyof GuildPolicy> = {
  nsfw_mode: 'nsfwMode',
  sfw_negative_prompt: 'sfwNegativePrompt',
  audit_channel: 'auditChannelId',
  cooldown: 'cooldownSeconds',
  hourly_limit: 'hourlyLimit',
  bypass_role: 'bypassRoleId',
  bypass_manage_server: 'bypassManageServer',
};

export function planPolicyChange(
  current: GuildPolicy,
  input: PolicyInput,
  maxPromptLength: number,
): Change<GuildPolicy> {
  const problems: string[] = [];
  const summary: string[] = [];
  let next: GuildPolicy = { ...current };
  if (input.clear === 'all') {
    next = { blockedTerms: current.blockedTerms, defaults: current.defaults };
    summary.push('Every policy is back to the bot’s default (blocked words are kept).');
  } else if (input.clear !== undefined) {
    delete next[CLEAR_FIELDS[input.clear]];
    summary.push(`${input.clear.replace(/_/g, ' ')}: back to the bot’s default.`);
  }
  if (input.nsfwMode !== undefined) {
    next.nsfwMode = input.nsfwMode;
    summary.push(`Outside age-restricted channels: ${describeNsfwMode(input.nsfwMode)}.`);
  }
  if (input.sfwNegativePrompt !== undefined) {
    const text = cleanText(input.sfwNegativePrompt);
    if (text.length > maxPromptLength) {
      problems.push(`The SFW negative prompt is ${text.length} characters; the limit is ${maxPromptLength}.`);
    } else {
      next.sfwNegativePrompt = text;
      summary.push('SFW negative prompt set.');
    }
  }
  if (input.auditChannel !== undefined) {
    if (!input.auditChannel.textBased) problems.push('The audit channel must be a text channel.');
    else {
      next.auditChannelId = input.auditChannel.id;
      summary.push(`Audit channel: <#${input.auditChannel.id}>.`);
    }
  }
  if (input.cooldownSeconds !== undefined) {
    if (!isWhole(input.cooldownSeconds, 0, 86_400))
      problems.push('The cooldown must be a whole number of seconds from 0 to 86400.');
    else {
      next.cooldownSeconds = input.cooldownSeconds;
      summary.push(
        input.cooldownSeconds === 0 ? 'Cooldown: off.' : `Cooldown: ${input.cooldownSeconds} s per member.`,
      );
    }
  }
  if (input.hourlyLimit !== undefined) {
    if (!isWhole(input.hourlyLimit, 0, 100_000))
      problems.push('The hourly limit must be a whole number from 0 to 100000.');
    else {
      next.hourlyLimit = input.hourlyLimit;
      summary.push(
        input.hourlyLimit === 0
          ? 'Hourly limit: off.'
          : `Hourly limit: ${input.hourlyLimit} requests per hour.`,
      );
    }
  }
  if (input.bypassRoleId !== undefined) {
    next.bypassRoleId = input.bypassRoleId;
    summary.push(`Quota bypass role: <@&${input.bypassRoleId}>.`);
  }
  if (input.bypassManageServer !== undefined) {
    next.bypassManageServer = input.bypassManageServer;
    summary.push(`Manage Server bypasses quotas: ${input.bypassManageServer ? 'yes' : 'no'}.`);
  }
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: ['Nothing to change: give at least one option.'] };
  return { ok: true, value: next, summary };
}

export function describeNsfwMode(mode: NsfwMode): string {
  switch (mode) {
    case 'off':
      return 'nothing is added';
    case 'negative-prompt':
      return 'the SFW negative prompt is added';
    case 'spoiler':
      return 'images are posted as spoilers';
    case 'both':
      return 'the SFW negative prompt is added and images are posted as spoilers';
  }
}

export function addBlockedTerm(current: GuildPolicy, input: string): Change<GuildPolicy> {
  const parsed = parseBlockedTerm(input);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const text = parsed.term.text;
  if (current.blockedTerms.some((term) => sameTerm(term, text))) {
    return { ok: false, problems: ['That term is already blocked.'] };
  }
  if (current.blockedTerms.length >= MAX_BLOCKED_TERMS) {
    return {
      ok: false,
      problems: [`This server already blocks ${MAX_BLOCKED_TERMS} terms, the most it can. Remove one first.`],
    };
  }
  return {
    ok: true,
    value: { ...current, blockedTerms: [...current.blockedTerms, text] },
    summary: [
      `Blocked ${parsed.term.kind === 'pattern' ? 'pattern' : 'term'} added (${current.blockedTerms.length + 1} in all).`,
    ],
  };
}

export function removeBlockedTerm(current: GuildPolicy, input: string): Change<GuildPolicy> {
  const parsed = parseBlockedTerm(input);
  const text = parsed.ok ? parsed.term.text : input.trim();
  const remaining = current.blockedTerms.filter((term) => !sameTerm(term, text));
  if (remaining.length === current.blockedTerms.length) {
    return {
      ok: false,
      problems: ['That term is not on this server’s blocked list. See /settings blocked-words list.'],
    };
  }
  return {
    ok: true,
    value: { ...current, blockedTerms: remaining },
    summary: [`Blocked term removed (${remaining.length} left).`],
  };
}

const sameTerm = (a: string, b: string) =>
  a.startsWith('/') ? a === b : a.toLowerCase() === b.toLowerCase();
