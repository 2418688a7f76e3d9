/**
 * The fake WebUI's extra networks, styles, scripts and modules: default entries, the shapes each
 * flavour lists them in, and how a prompt uses them (styles merged in, `<lora:…>` tags resolved).
 */
import type { Dialect, WebuiFlavour } from './dialects.js';

/** One item of `GET /sdapi/v1/loras` (A1111 `lora_script.py`: name, alias, path, metadata). */
export interface FakeLora {
  /** File stem; `<lora:name:w>` always matches it. */
  name: string;
  /** `ss_output_name` from the file's metadata, else the name; A1111 and Forge also match it. */
  alias: string;
  path: string;
  /** Safetensors metadata; values that were JSON text (`ss_tag_frequency`) come back parsed. */
  metadata: Record<string, unknown>;
}

export interface FakeEmbedding {
  name: string;
  /** 768 = SD 1.x, 1024 = SD 2.x. */
  shape: number;
  step: number | null;
  vectors: number;
  sd_checkpoint: string | null;
  sd_checkpoint_name: string | null;
  /** Listed under `skipped` (not compatible with the loaded model). Default false. */
  skipped?: boolean;
}

export interface FakeStyle {
  name: string;
  /** `{prompt}` is replaced by the prompt; otherwise the style is appended after `, `. */
  prompt: string;
  negative_prompt: string;
}

/** One item of Forge's `GET /sdapi/v1/sd-modules` (VAE and text encoder files). */
export interface FakeSdModule {
  model_name: string;
  filename: string;
}

/** Extensions the fake can pretend are installed. */
export type FakeExtension = 'adetailer';

export const DEFAULT_LORAS: readonly FakeLora[] = [
  {
    name: 'add_detail',
    alias: 'add_detail',
    path: '/stable-diffusion-webui/models/Lora/add_detail.safetensors',
    metadata: {
      ss_base_model_version: 'sd_v1',
      ss_network_module: 'networks.lora',
      ss_network_dim: '32',
      ss_network_alpha: '16',
      ss_tag_frequency: { '10_detail': { detailed: 48, intricate: 31, 'ultra detailed': 12 } },
    },
  },
  {
    name: 'pixel-art-xl-v1.1',
    alias: 'pixel-art-xl',
    path: '/stable-diffusion-webui/models/Lora/pixel-art-xl-v1.1.safetensors',
    metadata: {
      ss_base_model_version: 'sdxl_base_v1-0',
      ss_output_name: 'pixel-art-xl',
      ss_network_module: 'networks.lora',
      ss_network_dim: '64',
    },
  },
];

export const DEFAULT_EMBEDDINGS: readonly FakeEmbedding[] = [
  {
    name: 'EasyNegative',
    shape: 768,
    step: null,
    vectors: 8,
    sd_checkpoint: 'c6bbc15e32',
    sd_checkpoint_name: 'anything-v3-full',
  },
  {
    name: 'bad-hands-5',
    shape: 768,
    step: 13_500,
    vectors: 2,
    sd_checkpoint: '6ce0161689',
    sd_checkpoint_name: 'v1-5-pruned-emaonly',
  },
];

export const DEFAULT_STYLES: readonly FakeStyle[] = [
  {
    name: 'Cinematic',
    prompt: 'cinematic still of {prompt}, shallow depth of field, film grain',
    negative_prompt: 'cartoon, painting, illustration',
  },
  { name: 'Sharp', prompt: 'sharp focus, highly detailed', negative_prompt: 'blurry' },
];

export const DEFAULT_SD_MODULES: readonly FakeSdModule[] = [
  { model_name: 'ae.safetensors', filename: '/stable-diffusion-webui-forge/models/VAE/ae.safetensors' },
  {
    model_name: 'clip_l.safetensors',
    filename: '/stable-diffusion-webui-forge/models/text_encoder/clip_l.safetensors',
  },
  {
    model_name: 't5xxl_fp16.safetensors',
    filename: '/stable-diffusion-webui-forge/models/text_encoder/t5xxl_fp16.safetensors',
  },
];

export const SDNEXT_DETAILERS = [
  { name: 'face-yolo8n', path: '/sdnext/models/yolo/face-yolo8n.pt' },
  { name: 'hand_yolov8n', path: '/sdnext/models/yolo/hand_yolov8n.pt' },
] as const;

/** A script as `GET /scripts` lists it (lower-case title) and whether it is always on. */
interface ScriptRow {
  name: string;
  alwayson: boolean;
  txt2img: boolean;
  img2img: boolean;
}

const SELECTABLE_BOTH = ['prompt matrix', 'prompts from file or textbox', 'x/y/z plot'];
const SELECTABLE_IMG2IMG = [
  'img2img alternative test',
  'loopback',
  'outpainting mk2',
  "poor man's outpainting",
  'sd upscale',
];
const ALWAYSON_A1111 = ['comments', 'hypertile', 'extra options', 'refiner', 'sampler', 'seed'];
const ALWAYSON_FORGE = ['controlnet', 'kohya hrfix integrated', 'never oom integrated'];

/** The scripts installed on a flavour, plus the extensions asked for. */
export function scriptRows(dialect: Dialect, extensions: readonly FakeExtension[]): ScriptRow[] {
  const both = (name: string, alwayson: boolean): ScriptRow => ({
    name,
    alwayson,
    txt2img: true,
    img2img: true,
  });
  const rows: ScriptRow[] = [
    ...SELECTABLE_BOTH.map((name) => both(name, false)),
    ...SELECTABLE_IMG2IMG.map((name) => ({ name, alwayson: false, txt2img: false, img2img: true })),
    ...ALWAYSON_A1111.map((name) => both(name, true)),
    { name: 'soft inpainting', alwayson: true, txt2img: false, img2img: true },
  ];
  if (dialect.modules) {
    rows.push(...ALWAYSON_FORGE.map((name) => both(name, true)));
  }
  for (const extension of extensions) {
    rows.push(both(extension, true));
  }
  return rows;
}

/** `GET /sdapi/v1/scripts`. */
export function toScriptsList(rows: readonly ScriptRow[]): { txt2img: string[]; img2img: string[] } {
  return {
    txt2img: rows.filter((row) => row.txt2img).map((row) => row.name),
    img2img: rows.filter((row) => row.img2img).map((row) => row.name),
  };
}

/**
 * A1111 `script_name_to_index` for `alwayson_scripts`: the title is matched case-insensitively; a
 * miss is 422 `Script 'x' not found`, a selectable script 422 `Cannot have a selectable script…`.
 */
export function checkAlwaysOnScripts(
  rows: readonly ScriptRow[],
  kind: 'txt2img' | 'img2img',
  alwaysOn: Record<string, unknown>,
): string | null {
  for (const title of Object.keys(alwaysOn)) {
    const row = rows.find((candidate) => candidate[kind] && candidate.name === title.toLowerCase());
    if (row === undefined) {
      return `Script '${title}' not found`;
    }
    if (!row.alwayson) {
      return 'Cannot have a selectable script in the always on scripts params';
    }
  }
  return null;
}

/** `script_name` of a selectable script; `null` when it names one (or is empty). */
export function checkSelectableScript(
  rows: readonly ScriptRow[],
  kind: 'txt2img' | 'img2img',
  scriptName: unknown,
): string | null {
  if (typeof scriptName !== 'string' || scriptName === '') {
    return null;
  }
  const found = rows.some((row) => row[kind] && !row.alwayson && row.name === scriptName.toLowerCase());
  return found ? null : `Script '${scriptName}' not found`;
}

/** `GET /sdapi/v1/embeddings`: A1111/Forge map name → details; SD.Next lists names. */
export function toEmbeddingsList(flavour: WebuiFlavour, embeddings: readonly FakeEmbedding[]): unknown {
  const loaded = embeddings.filter((embedding) => embedding.skipped !== true);
  const skipped = embeddings.filter((embedding) => embedding.skipped === true);
  if (flavour === 'sdnext') {
    return { loaded: loaded.map((item) => item.name), skipped: skipped.map((item) => item.name) };
  }
  const details = (items: FakeEmbedding[]): Record<string, unknown> =>
    Object.fromEntries(
      items.map((item) => [
        item.name,
        {
          step: item.step,
          sd_checkpoint: item.sd_checkpoint,
          sd_checkpoint_name: item.sd_checkpoint_name,
          shape: item.shape,
          vectors: item.vectors,
        },
      ]),
    );
  return { loaded: details(loaded), skipped: details(skipped) };
}

/** `GET /sdapi/v1/prompt-styles`; SD.Next adds `extra`, `filename`, `preview`. */
export function toStylesList(flavour: WebuiFlavour, styles: readonly FakeStyle[]): unknown[] {
  return styles.map((style) =>
    flavour === 'sdnext'
      ? { ...style, extra: '', filename: `/sdnext/models/styles/${style.name}.json`, preview: null }
      : { name: style.name, prompt: style.prompt, negative_prompt: style.negative_prompt },
  );
}

/** A1111 `merge_prompts`: `{prompt}` in the style is replaced, else the parts are joined by `, `. */
function mergePrompt(stylePrompt: string, prompt: string): string {
  if (stylePrompt.includes('{prompt}')) {
    return stylePrompt.replaceAll('{prompt}', prompt);
  }
  return [prompt.trim(), stylePrompt.trim()].filter((part) => part !== '').join(', ');
}

/** The prompt and negative prompt with the named styles applied in order; unknown names do nothing. */
export function applyStyles(
  styles: readonly FakeStyle[],
  names: readonly string[],
  prompt: string,
  negativePrompt: string,
): { prompt: string; negativePrompt: string } {
  let positive = prompt;
  let negative = negativePrompt;
  for (const name of names) {
    const style = styles.find((candidate) => candidate.name === name);
    positive = mergePrompt(style?.prompt ?? '', positive);
    negative = mergePrompt(style?.negative_prompt ?? '', negative);
  }
  return { prompt: positive, negativePrompt: negative };
}

const LORA_TAG = /<lora:([^:>]+)(?::[^>]*)?>/g;

/**
 * The LoRAs (by name) that `<lora:X:w>` tags in the prompt activate. A tag naming no installed LoRA is
 * ignored, as A1111 does (it only logs `Lora not found` and adds a comment).
 */
export function resolveLoraTags(dialect: Dialect, loras: readonly FakeLora[], prompt: string): string[] {
  const applied: string[] = [];
  for (const match of prompt.matchAll(LORA_TAG)) {
    const tag = match[1] ?? '';
    const lora = loras.find(
      (candidate) =>
        candidate.name === tag || (dialect.loraTag === 'name-or-alias' && candidate.alias === tag),
    );
    if (lora !== undefined && !applied.includes(lora.name)) {
      applied.push(lora.name);
    }
  }
  return applied;
}
