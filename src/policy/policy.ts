import { z } from 'zod';
import type { GenerationDefaults } from '../generation/request.js';
import { LOCALES, type Locale } from '../i18n/locales.js';
import { MODEL_FAMILIES, type ModelFamily } from '../models/family.js';
import { NSFW_MODES, type NsfwMode } from './nsfw-mode.js';

/**
 * One server's settings beyond its default model, stored as JSON in `guild_settings.policy`.
 * Every field is optional: an absent one falls back to the bot's configuration.
 */
export interface GuildPolicy {
  nsfwMode?: NsfwMode | undefined;
  sfwNegativePrompt?: string | undefined;
  blockedTerms: string[];
  auditChannelId?: string | undefined;
  cooldownSeconds?: number | undefined;
  hourlyLimit?: number | undefined;
  bypassRoleId?: string | undefined;
  bypassManageServer?: boolean | undefined;
  /** Server defaults for /imagine, overlaid on the configured ones. */
  defaults: Partial<Omit<GenerationDefaults, 'cfgScale'>>;
  /** Which of LoRAs, styles, hires fix, ADetailer and variants members may use, and their limits. */
  features?: FeaturePolicy | undefined;
  /** The language of messages tied to no one member (the audit channel, channel fallback posts). */
  locale?: Locale | undefined;
}

export const FEATURE_NAMES = ['loras', 'styles', 'hires', 'adetailer', 'variants'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

/** A style the server's admins define (for image servers without styles of their own). */
export interface CustomStyle {
  name: string;
  /** `{prompt}` stands for the member's prompt; otherwise it is added after `, `. */
  prompt: string;
  negativePrompt: string;
}

export interface FeaturePolicy {
  /** Absent: allowed. */
  allowed?: Partial<Record<FeatureName, boolean>> | undefined;
  /** At most the configured MAX_LORAS. */
  maxLoras?: number | undefined;
  /** At most the configured MAX_HIRES_SCALE. */
  maxHiresScale?: number | undefined;
  /** Hires defaults when a member names none. */
  hiresUpscaler?: string | undefined;
  hiresDenoise?: number | undefined;
  hiresSteps?: number | undefined;
  /** Checkpoint title → family, where detection is wrong. */
  families?: Record<string, ModelFamily> | undefined;
  styles?: CustomStyle[] | undefined;
}

export const MAX_CUSTOM_STYLES = 25;

/** The bot's defaults for every server's content policy and quotas (from the configuration). */
export interface PolicyDefaults {
  /** What happens outside age-restricted channels. */
  nsfwMode: NsfwMode;
  /** Added to the negative prompt outside age-restricted channels (modes negative-prompt, both). */
  sfwNegativePrompt: string;
  /** Seconds between two /imagine of one member in one server; 0 = off. */
  cooldownSeconds: number;
  /** Requests per server per rolling hour; 0 = off. */
  hourlyLimit: number;
  /** Members with Manage Server skip the cooldown and the hourly limit. */
  bypassManageServer: boolean;
}

/** The policy in force for one request: the server's choices over the bot's defaults. */
export interface EffectivePolicy {
  nsfwMode: NsfwMode;
  sfwNegativePrompt: string;
  blockedTerms: string[];
  auditChannelId: string | undefined;
  cooldownSeconds: number;
  hourlyLimit: number;
  bypassRoleId: string | undefined;
  bypassManageServer: boolean;
}

export const MAX_BLOCKED_TERMS = 200;
export const MAX_BLOCKED_TERM_LENGTH = 100;

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** Tolerant: a field that does not parse is dropped (falls back to the default), the rest is kept. */
const policySchema = z.object({
  nsfwMode: optional(z.enum(NSFW_MODES)),
  sfwNegativePrompt: optional(z.string().max(1000)),
  blockedTerms: z
    .array(z.string().min(1).max(MAX_BLOCKED_TERM_LENGTH))
    .max(MAX_BLOCKED_TERMS)
    .catch([])
    .default([]),
  auditChannelId: optional(z.string().regex(/^\d{17,20}$/)),
  cooldownSeconds: optional(z.number().int().min(0).max(86_400)),
  hourlyLimit: optional(z.number().int().min(0).max(100_000)),
  bypassRoleId: optional(z.string().regex(/^\d{17,20}$/)),
  bypassManageServer: optional(z.boolean()),
  locale: optional(z.enum(LOCALES)),
  defaults: z
    .object({
      steps: optional(z.number().int().min(1).max(150)),
      width: optional(z.number().int().min(64).max(2048).multipleOf(8)),
      height: optional(z.number().int().min(64).max(2048).multipleOf(8)),
      sampler: optional(z.string().min(1).max(100)),
      scheduler: optional(z.string().min(1).max(100)),
      negativePrompt: optional(z.string().max(1000)),
    })
    .catch({})
    .default({}),
  features: optional(
    z.object({
      allowed: optional(z.partialRecord(z.enum(FEATURE_NAMES), z.boolean())),
      maxLoras: optional(z.number().int().min(0).max(10)),
      maxHiresScale: optional(z.number().min(1).max(4)),
      hiresUpscaler: optional(z.string().min(1).max(100)),
      hiresDenoise: optional(z.number().gt(0).max(1)),
      hiresSteps: optional(z.number().int().min(1).max(150)),
      families: optional(z.record(z.string().max(300), z.enum(MODEL_FAMILIES))),
      styles: optional(
        z
          .array(
            z.object({
              name: z.string().min(1).max(100),
              prompt: z.string().max(1000),
              negativePrompt: z.string().max(1000),
            }),
          )
          .max(MAX_CUSTOM_STYLES),
      ),
    }),
  ),
});

export const EMPTY_POLICY: GuildPolicy = { blockedTerms: [], defaults: {} };

/** Parses the stored JSON; anything unreadable becomes the empty policy (bot defaults). */
export function parsePolicy(json: string | undefined): GuildPolicy {
  if (json === undefined || json === '') return { ...EMPTY_POLICY, defaults: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { ...EMPTY_POLICY, defaults: {} };
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) return { ...EMPTY_POLICY, defaults: {} };
  return dropUndefined(parsed.data) as GuildPolicy;
}

/** JSON for storage, without absent fields. */
export function serializePolicy(policy: GuildPolicy): string {
  return JSON.stringify(dropUndefined(policy));
}

function dropUndefined<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** The server's policy over the bot's configured defaults. */
export function toEffectivePolicy(policy: GuildPolicy, defaults: PolicyDefaults): EffectivePolicy {
  return {
    nsfwMode: policy.nsfwMode ?? defaults.nsfwMode,
    sfwNegativePrompt: policy.sfwNegativePrompt ?? defaults.sfwNegativePrompt,
    blockedTerms: policy.blockedTerms,
    auditChannelId: policy.auditChannelId,
    cooldownSeconds: policy.cooldownSeconds ?? defaults.cooldownSeconds,
    hourlyLimit: policy.hourlyLimit ?? defaults.hourlyLimit,
    bypassRoleId: policy.bypassRoleId,
    bypassManageServer: policy.bypassManageServer ?? defaults.bypassManageServer,
  };
}

/**
 * The /imagine defaults for a server: the configured ones overlaid with the server's. A server
 * size that no longer fits `maxPixels` (the operator lowered it) is ignored as a pair.
 */
export function toServerDefaults(
  configured: GenerationDefaults,
  policy: GuildPolicy,
  maxPixels: number,
): GenerationDefaults {
  const own = policy.defaults;
  const width = own.width ?? configured.width;
  const height = own.height ?? configured.height;
  const sizeFits = width * height <= maxPixels;
  return {
    steps: own.steps ?? configured.steps,
    cfgScale: configured.cfgScale,
    width: sizeFits ? width : configured.width,
    height: sizeFits ? height : configured.height,
    sampler: own.sampler ?? configured.sampler,
    // A server sampler without its own scheduler keeps the configured one, as a member's sampler does.
    scheduler: own.scheduler ?? configured.scheduler,
    negativePrompt: own.negativePrompt ?? configured.negativePrompt,
  };
}

/** What the content policy does to one request. */
export interface ChannelPolicyOutcome {
  negativePrompt: string;
  spoiler: boolean;
}

/**
 * Outside an age-restricted channel, the SFW negative prompt is added (unless already there)
 * and/or the results are marked as spoilers, as the mode says. Inside one, nothing changes.
 */
export function applyChannelPolicy(
  negativePrompt: string,
  policy: Pick<EffectivePolicy, 'nsfwMode' | 'sfwNegativePrompt'>,
  ageRestricted: boolean,
): ChannelPolicyOutcome {
  if (ageRestricted || policy.nsfwMode === 'off') return { negativePrompt, spoiler: false };
  const addNegative = policy.nsfwMode === 'negative-prompt' || policy.nsfwMode === 'both';
  const extra = policy.sfwNegativePrompt.trim();
  const already = extra === '' || negativePrompt.toLowerCase().includes(extra.toLowerCase());
  return {
    negativePrompt:
      addNegative && !already
        ? [negativePrompt, extra].filter((part) => part !== '').join(', ')
        : negativePrompt,
    spoiler: policy.nsfwMode === 'spoiler' || policy.nsfwMode === 'both',
  };
}
