import { type LoraCatalogEntry, type LoraWireStyle, toLoraWire } from '../../generation/loras.js';
import { fluxModules } from '../../models/family.js';
import type { Txt2ImgRequest } from '../../sd/types.js';
import type { Capabilities, Dialect, GenerateRequest } from '../types.js';

/**
 * How each server of the family takes the optional features (LoRAs, styles, hires fix, Flux, the
 * face detailer), as data. Reference backends.md §2: the LoRA tag names the `alias` on A1111/Forge
 * and the `name` on SD.Next; stable-diffusion.cpp ignores tags and takes a `lora` array; Forge-family
 * servers crash a hires pass without `hr_additional_modules`; stable-diffusion.cpp calls the
 * second-pass steps `hr_steps`.
 */
export interface WireTraits {
  lora: Exclude<LoraWireStyle, 'comfyui'>;
  /** Forge and Forge Neo: `hr_additional_modules`, `forge_additional_modules`, `distilled_cfg_scale`. */
  forgeModules: boolean;
  hiresSteps: 'hr_second_pass_steps' | 'hr_steps';
}

const A1111_TRAITS: WireTraits = {
  lora: 'a1111-alias',
  forgeModules: false,
  hiresSteps: 'hr_second_pass_steps',
};
const FORGE_TRAITS: WireTraits = { ...A1111_TRAITS, forgeModules: true };
const CPP_TRAITS: WireTraits = { lora: 'sdcpp', forgeModules: false, hiresSteps: 'hr_steps' };

export const WIRE_TRAITS: Readonly<Record<Exclude<Dialect, 'comfyui'>, WireTraits>> = {
  a1111: A1111_TRAITS,
  'a1111-legacy': A1111_TRAITS,
  forge: FORGE_TRAITS,
  'forge-neo': FORGE_TRAITS,
  'forge-classic': A1111_TRAITS,
  reforge: A1111_TRAITS,
  sdnext: { ...A1111_TRAITS, lora: 'sdnext-name' },
  sdcpp: CPP_TRAITS,
  koboldcpp: CPP_TRAITS,
};

export function wireTraits(dialect: Dialect): WireTraits {
  return dialect === 'comfyui' ? A1111_TRAITS : WIRE_TRAITS[dialect];
}

/** What the probe and the lists told the engine beyond its capabilities. */
export interface FeatureContext {
  capabilities: Capabilities;
  /** The server's LoRAs (`/loras`), to find each one's alias or path. */
  loras: readonly LoraCatalogEntry[];
  /** Forge's `/sd-modules` names. */
  sdModules: readonly string[];
  /** `adetailer`: the extension's script; `sdnext`: SD.Next's built-in detailer; `none`. */
  detailer: 'adetailer' | 'sdnext' | 'none';
}

/** The face model ADetailer runs when asked (the extension's own default). */
export const ADETAILER_MODEL = 'face_yolov8n.pt';

/** Forge's own default distilled cfg. */
const DEFAULT_DISTILLED_CFG = 3.5;

/**
 * Pure: the body fields a request's features add, for one server. Never sends a field for a feature
 * the server lacks (no `alwayson_scripts` entry for a missing script, no `styles` where there are
 * none); the face detailer is explicitly off when not asked for, where the server has one.
 */
export function toFeatureFields(
  request: Pick<
    GenerateRequest,
    'kind' | 'prompt' | 'loras' | 'styles' | 'hires' | 'adetailer' | 'distilledCfg' | 'family'
  >,
  context: FeatureContext,
): { prompt: string; fields: Partial<Txt2ImgRequest>; overrides: Record<string, unknown> } {
  const { capabilities } = context;
  const traits = wireTraits(capabilities.dialect);
  const fields: Partial<Txt2ImgRequest> = {};
  const overrides: Record<string, unknown> = {};
  let prompt = request.prompt;

  const loras = request.loras ?? [];
  if (loras.length > 0 && capabilities.loras) {
    const wire = toLoraWire(traits.lora, loras, context.loras);
    if (wire.promptSuffix !== undefined) prompt = `${prompt} ${wire.promptSuffix}`;
    if (wire.sdcpp !== undefined) fields.lora = wire.sdcpp;
  }
  const styles = request.styles ?? [];
  if (styles.length > 0 && capabilities.styles) fields.styles = [...styles];

  const hires = request.hires;
  if (hires !== undefined && request.kind === 'txt2img' && capabilities.hires) {
    fields.enable_hr = true;
    fields.hr_scale = hires.scale;
    // The final size the budget was counted on, exactly (A1111 crops to it when the aspect rounds).
    const multiple = capabilities.sizeMultiple;
    const snap = (side: number) =>
      multiple <= 8 ? side : Math.max(multiple, Math.floor(side / multiple) * multiple);
    fields.hr_resize_x = snap(hires.width);
    fields.hr_resize_y = snap(hires.height);
    if (hires.upscaler !== undefined) fields.hr_upscaler = hires.upscaler;
    fields.denoising_strength = hires.denoise;
    if (hires.steps !== undefined) fields[traits.hiresSteps] = hires.steps;
    if (traits.forgeModules) fields.hr_additional_modules = ['Use same choices'];
  }

  if (request.family === 'flux' && traits.forgeModules) {
    fields.distilled_cfg_scale = request.distilledCfg ?? DEFAULT_DISTILLED_CFG;
    const modules = fluxModules(context.sdModules);
    if (modules !== undefined) overrides.forge_additional_modules = modules;
  }

  if (context.detailer === 'adetailer') {
    fields.alwayson_scripts = {
      ADetailer: {
        args: request.adetailer === true ? [true, false, { ad_model: ADETAILER_MODEL }] : [false],
      },
    };
  } else if (context.detailer === 'sdnext') {
    fields.detailer_enabled = request.adetailer === true;
  }
  return { prompt, fields, overrides };
}
