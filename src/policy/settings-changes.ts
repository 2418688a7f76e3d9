import type { CatalogLists } from '../catalog/catalog.js';
import { cleanText, type GenerationDefaults, type GenerationLimits } from '../generation/request.js';
import { resolveSampler } from '../generation/sampler.js';
import type { Locale } from '../i18n/locales.js';
import { type Message, msg } from '../i18n/translate.js';
import { closestModels, findModel } from '../models/match.js';
import { parseBlockedTerm } from './blocked-terms.js';
import type { NsfwMode } from './nsfw-mode.js';
import { type GuildPolicy, MAX_BLOCKED_TERMS } from './policy.js';

/**
 * Pure checks and changes behind /settings. Every function validates everything first and either
 * returns the new policy or every problem; a refused change changes nothing.
 */
export type Change<T> = { ok: true; value: T; summary: Message[] } | { ok: false; problems: Message[] };

/** Native names of the shipped locales (`/settings policy locale`, `/settings view`). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  'en-US': 'English',
  de: 'Deutsch',
  fr: 'Français',
  'es-ES': 'Español',
  'pt-BR': 'Português do Brasil',
  ja: '日本語',
  ko: '한국어',
  'zh-CN': '中文（简体）',
  ru: 'Русский',
};

/** An unknown model, with the closest titles when there are any. */
export function unknownModel(model: string, closest: readonly string[]): Message {
  return closest.length > 0
    ? msg('refusals.model.unknownClosest', { model, closest: closest.join(', ') })
    : msg('refusals.model.unknown', { model });
}

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
  const problems: Message[] = [];
  const summary: Message[] = [];
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
      reset === 'all'
        ? msg('refusals.settings.resetAll')
        : msg('refusals.settings.reset', { what: reset.replace('_', ' ') }),
    );
  }

  if (input.model !== undefined) {
    const found = findModel(input.model, context.lists.models ?? []);
    if (found === undefined) {
      const closest = closestModels(input.model, context.lists.models ?? []).map(
        (candidate) => `\`${candidate.title}\``,
      );
      problems.push(unknownModel(input.model, closest));
    } else {
      model = found.title;
      summary.push(msg('refusals.settings.defaultModel', { model: found.title }));
    }
  }
  if (input.negativePrompt !== undefined) {
    const text = cleanText(input.negativePrompt);
    if (text.length > context.limits.maxPromptLength) {
      problems.push(
        msg('refusals.imagine.negativeTooLong', {
          length: text.length,
          limit: context.limits.maxPromptLength,
        }),
      );
    } else {
      defaults.negativePrompt = text;
      summary.push(
        text === ''
          ? msg('refusals.settings.defaultNegativeNone')
          : msg('refusals.settings.defaultNegativeSet'),
      );
    }
  }
  if (input.steps !== undefined) {
    if (!isWhole(input.steps, 1, context.limits.maxSteps)) {
      problems.push(msg('refusals.settings.stepsRange', { min: 1, max: context.limits.maxSteps }));
    } else {
      defaults.steps = input.steps;
      summary.push(msg('refusals.settings.defaultSteps', { steps: input.steps }));
    }
  }
  let sizeOk = true;
  for (const [key, value] of [
    ['refusals.settings.widthRange', input.width],
    ['refusals.settings.heightRange', input.height],
  ] as const) {
    if (value === undefined) continue;
    if (!isWhole(value, 64, 2048) || value % 8 !== 0) {
      problems.push(msg(key, { multiple: 8, min: 64, max: 2048, value }));
      sizeOk = false;
    }
  }
  if (sizeOk && (input.width !== undefined || input.height !== undefined)) {
    const width = input.width ?? defaults.width ?? context.configured.width;
    const height = input.height ?? defaults.height ?? context.configured.height;
    if (width * height > context.limits.maxPixels) {
      problems.push(
        msg('refusals.settings.tooManyPixels', {
          width,
          height,
          pixels: width * height,
          limit: context.limits.maxPixels,
        }),
      );
    } else {
      defaults.width = width;
      defaults.height = height;
      summary.push(msg('refusals.settings.defaultSize', { width, height }));
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
        scheduler === undefined
          ? msg('refusals.settings.defaultSampler', { sampler: resolved.sampler })
          : msg('refusals.settings.defaultSamplerScheduler', { sampler: resolved.sampler, scheduler }),
      );
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: [msg('refusals.settings.nothingToChange')] };
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
  'locale',
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
  /** The server's language for messages tied to no one member. */
  locale?: Locale | undefined;
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
  locale: 'locale',
};

export function planPolicyChange(
  current: GuildPolicy,
  input: PolicyInput,
  maxPromptLength: number,
): Change<GuildPolicy> {
  const problems: Message[] = [];
  const summary: Message[] = [];
  let next: GuildPolicy = { ...current };
  if (input.clear === 'all') {
    next = { blockedTerms: current.blockedTerms, defaults: current.defaults };
    summary.push(msg('refusals.settings.clearAll'));
  } else if (input.clear !== undefined) {
    delete next[CLEAR_FIELDS[input.clear]];
    summary.push(msg('refusals.settings.cleared', { option: input.clear.replace(/_/g, ' ') }));
  }
  if (input.nsfwMode !== undefined) {
    next.nsfwMode = input.nsfwMode;
    summary.push(NSFW_SUMMARY[input.nsfwMode]);
  }
  if (input.sfwNegativePrompt !== undefined) {
    const text = cleanText(input.sfwNegativePrompt);
    if (text.length > maxPromptLength) {
      problems.push(
        msg('refusals.settings.sfwNegativeTooLong', { length: text.length, limit: maxPromptLength }),
      );
    } else {
      next.sfwNegativePrompt = text;
      summary.push(msg('refusals.settings.sfwNegativeSet'));
    }
  }
  if (input.auditChannel !== undefined) {
    if (!input.auditChannel.textBased) problems.push(msg('refusals.settings.auditNotText'));
    else {
      next.auditChannelId = input.auditChannel.id;
      summary.push(msg('refusals.settings.auditChannel', { channelId: input.auditChannel.id }));
    }
  }
  if (input.cooldownSeconds !== undefined) {
    if (!isWhole(input.cooldownSeconds, 0, 86_400))
      problems.push(msg('refusals.settings.cooldownRange', { min: 0, max: 86_400 }));
    else {
      next.cooldownSeconds = input.cooldownSeconds;
      summary.push(
        input.cooldownSeconds === 0
          ? msg('refusals.settings.cooldownOff')
          : msg('refusals.settings.cooldown', { seconds: input.cooldownSeconds }),
      );
    }
  }
  if (input.hourlyLimit !== undefined) {
    if (!isWhole(input.hourlyLimit, 0, 100_000))
      problems.push(msg('refusals.settings.hourlyLimitRange', { min: 0, max: 100_000 }));
    else {
      next.hourlyLimit = input.hourlyLimit;
      summary.push(
        input.hourlyLimit === 0
          ? msg('refusals.settings.hourlyLimitOff')
          : msg('refusals.settings.hourlyLimit', { limit: input.hourlyLimit }),
      );
    }
  }
  if (input.bypassRoleId !== undefined) {
    next.bypassRoleId = input.bypassRoleId;
    summary.push(msg('refusals.settings.bypassRole', { roleId: input.bypassRoleId }));
  }
  if (input.bypassManageServer !== undefined) {
    next.bypassManageServer = input.bypassManageServer;
    summary.push(
      input.bypassManageServer
        ? msg('refusals.settings.bypassManageServerYes')
        : msg('refusals.settings.bypassManageServerNo'),
    );
  }
  if (input.locale !== undefined) {
    next.locale = input.locale;
    summary.push(msg('refusals.settings.locale', { language: LOCALE_NAMES[input.locale] }));
  }
  if (problems.length > 0) return { ok: false, problems };
  if (summary.length === 0) return { ok: false, problems: [msg('refusals.settings.nothingToChange')] };
  return { ok: true, value: next, summary };
}

const NSFW_SUMMARY: Readonly<Record<NsfwMode, Message>> = {
  off: msg('refusals.settings.nsfwOff'),
  'negative-prompt': msg('refusals.settings.nsfwNegativePrompt'),
  spoiler: msg('refusals.settings.nsfwSpoiler'),
  both: msg('refusals.settings.nsfwBoth'),
};

/** What a mode does outside age-restricted channels, as `/settings view` says it. */
export function describeNsfwMode(mode: NsfwMode): Message {
  switch (mode) {
    case 'off':
      return msg('refusals.nsfwMode.off');
    case 'negative-prompt':
      return msg('refusals.nsfwMode.negativePrompt');
    case 'spoiler':
      return msg('refusals.nsfwMode.spoiler');
    case 'both':
      return msg('refusals.nsfwMode.both');
  }
}

export function addBlockedTerm(current: GuildPolicy, input: string): Change<GuildPolicy> {
  const parsed = parseBlockedTerm(input);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const text = parsed.term.text;
  if (current.blockedTerms.some((term) => sameTerm(term, text))) {
    return { ok: false, problems: [msg('refusals.blocked.already')] };
  }
  if (current.blockedTerms.length >= MAX_BLOCKED_TERMS) {
    return { ok: false, problems: [msg('refusals.blocked.full', { max: MAX_BLOCKED_TERMS })] };
  }
  const count = current.blockedTerms.length + 1;
  return {
    ok: true,
    value: { ...current, blockedTerms: [...current.blockedTerms, text] },
    summary: [
      parsed.term.kind === 'pattern'
        ? msg('refusals.blocked.patternAdded', { count })
        : msg('refusals.blocked.termAdded', { count }),
    ],
  };
}

export function removeBlockedTerm(current: GuildPolicy, input: string): Change<GuildPolicy> {
  const parsed = parseBlockedTerm(input);
  const text = parsed.ok ? parsed.term.text : input.trim();
  const remaining = current.blockedTerms.filter((term) => !sameTerm(term, text));
  if (remaining.length === current.blockedTerms.length) {
    return { ok: false, problems: [msg('refusals.blocked.notListed')] };
  }
  return {
    ok: true,
    value: { ...current, blockedTerms: remaining },
    summary: [msg('refusals.blocked.removed', { count: remaining.length })],
  };
}

const sameTerm = (a: string, b: string) =>
  a.startsWith('/') ? a === b : a.toLowerCase() === b.toLowerCase();
