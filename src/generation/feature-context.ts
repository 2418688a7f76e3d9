/**
 * What the feature checks work from: a server's feature policy within the bot's limits, the lists
 * the servers offer, and which features any server has at all.
 */
import type { LoraInfo, StyleInfo } from '../engines/types.js';
import type { Message } from '../i18n/translate.js';
import type { ModelFamily } from '../models/family.js';
import type { CustomStyle, FeatureName, FeaturePolicy } from '../policy/policy.js';
import type { PixelLimits } from './hires.js';
import type { GenerationParams } from './request.js';

export interface FeatureInput {
  lora?: string | undefined;
  style?: string | undefined;
  hires?: string | undefined;
  adetailer?: boolean | undefined;
}

/** The features in force in one server: its policy within the bot's configured limits. */
export interface EffectiveFeatures {
  allowed: Readonly<Record<FeatureName, boolean>>;
  maxLoras: number;
  maxHiresScale: number;
  hiresUpscaler: string | undefined;
  hiresDenoise: number;
  hiresSteps: number | undefined;
  families: Readonly<Record<string, ModelFamily>>;
  styles: readonly CustomStyle[];
}

/** The second pass's denoising strength when neither the member nor the server names one. */
export const DEFAULT_HIRES_DENOISE = 0.5;

export function toEffectiveFeatures(
  policy: FeaturePolicy | undefined,
  limits: { maxLoras: number; maxHiresScale: number },
): EffectiveFeatures {
  const allowed = policy?.allowed ?? {};
  const maxHiresScale = Math.min(policy?.maxHiresScale ?? limits.maxHiresScale, limits.maxHiresScale);
  const maxLoras = Math.min(policy?.maxLoras ?? limits.maxLoras, limits.maxLoras);
  return {
    allowed: {
      loras: (allowed.loras ?? true) && maxLoras > 0,
      styles: allowed.styles ?? true,
      hires: (allowed.hires ?? true) && maxHiresScale > 1,
      adetailer: allowed.adetailer ?? true,
      variants: allowed.variants ?? true,
    },
    maxLoras,
    maxHiresScale,
    hiresUpscaler: policy?.hiresUpscaler,
    hiresDenoise: policy?.hiresDenoise ?? DEFAULT_HIRES_DENOISE,
    hiresSteps: policy?.hiresSteps,
    families: policy?.families ?? {},
    styles: policy?.styles ?? [],
  };
}

export interface FeatureLists {
  /** Merged over the servers (each name once). */
  loras: readonly LoraInfo[];
  styles: readonly StyleInfo[];
  /** Upscalers a hires pass can use: `/upscalers` and `/latent-upscale-modes`. */
  upscalers: readonly string[];
}

/** Whether any server has each feature at all. */
export interface FeatureAvailability {
  loras: boolean;
  styles: boolean;
  hires: boolean;
  adetailer: boolean;
}

export interface FeatureContext {
  features: EffectiveFeatures;
  lists: FeatureLists;
  available: FeatureAvailability;
  pixels: PixelLimits;
  img2img: boolean;
}

export type FeatureResult = { ok: true; params: GenerationParams } | { ok: false; problems: Message[] };
