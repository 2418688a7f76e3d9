/**
 * LoRAs: what a member types, the `<lora:…>` tags of a prompt, and how each kind of server takes
 * them (reference backends.md §2–§4):
 * - A1111, Forge, reForge: a prompt tag naming the LoRA's `alias` (`<lora:alias:0.8>`);
 * - SD.Next: a prompt tag naming the LoRA's `name`;
 * - stable-diffusion.cpp: prompt tags are ignored; the request carries `lora: [{path, multiplier}]`;
 * - ComfyUI: a `LoraLoader` node per LoRA, its `lora_name` being the file name the server lists.
 */

import { type Message, msg } from '../i18n/translate.js';
import { editDistance } from '../models/match.js';
import { notAllowed } from './feature-refusals.js';

export interface LoraRef {
  name: string;
  weight: number;
}

/** One LoRA the server lists (`/sdapi/v1/loras`, or ComfyUI's `LoraLoader.lora_name` list as `name`). */
export interface LoraCatalogEntry {
  name: string;
  alias?: string | undefined;
  path?: string | undefined;
}

export type LoraWireStyle = 'a1111-alias' | 'sdnext-name' | 'sdcpp' | 'comfyui';

export interface LoraWire {
  /** Prompt tags joined by spaces, for the caller to append to the prompt after a space. */
  promptSuffix?: string;
  /** stable-diffusion.cpp's request field `lora`. */
  sdcpp?: { path: string; multiplier: number }[];
  /** One ComfyUI `LoraLoader` per entry: `lora_name` and `strength_model`/`strength_clip`. */
  comfy?: { name: string; weight: number }[];
}

export type LoraOptionResult = { ok: true; loras: LoraRef[] } | { ok: false; problem: Message };

export const LORA_WEIGHT_MIN = -2;
export const LORA_WEIGHT_MAX = 2;
export const LORA_DEFAULT_WEIGHT = 1;

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

function formatWeight(weight: number): string {
  return String(Math.round(weight * 1000) / 1000);
}

/**
 * Reads a member's LoRA option: `name`, `name:0.8`, several separated by commas (names may then hold
 * spaces) or else by spaces; typed `<lora:name:0.8>` tags are accepted too (first). The weight defaults to 1 and
 * must lie in −2…2; at most `maxLoras` LoRAs; a name may appear once.
 */
export function parseLoraOption(text: string, maxLoras: number): LoraOptionResult {
  const tagged = extractLoraTags(text);
  const plain = tagged.prompt.trim().replace(/\s*:\s*/g, ':');
  const entries = [
    ...tagged.loras.map((lora) => `${lora.name}:${lora.weight}`),
    ...(plain.includes(',') ? plain.split(',') : plain.split(/\s+/)),
  ]
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const loras: LoraRef[] = [];
  for (const entry of entries) {
    const colon = entry.lastIndexOf(':');
    const name = (colon === -1 ? entry : entry.slice(0, colon)).trim();
    const weightText = colon === -1 ? undefined : entry.slice(colon + 1).trim();
    if (name === '') return { ok: false, problem: msg('refusals.loras.noName', { entry }) };
    if (/[<>:]/.test(name)) {
      return { ok: false, problem: msg('refusals.loras.badName', { name }) };
    }
    let weight = LORA_DEFAULT_WEIGHT;
    if (weightText !== undefined) {
      if (!NUMBER.test(weightText)) {
        return { ok: false, problem: msg('refusals.loras.badWeight', { weight: weightText, name }) };
      }
      weight = Number(weightText);
    }
    if (weight < LORA_WEIGHT_MIN || weight > LORA_WEIGHT_MAX) {
      return {
        ok: false,
        problem: msg('refusals.loras.weightRange', {
          name,
          weight: weightText ?? String(weight),
          min: LORA_WEIGHT_MIN,
          max: LORA_WEIGHT_MAX,
        }),
      };
    }
    if (loras.some((lora) => lora.name.toLowerCase() === name.toLowerCase())) {
      return { ok: false, problem: msg('refusals.loras.twice', { name }) };
    }
    loras.push({ name, weight });
  }
  if (loras.length > maxLoras) {
    return {
      ok: false,
      problem: msg('refusals.loras.tooManyPerImage', { count: loras.length, max: maxLoras }),
    };
  }
  return { ok: true, loras };
}

const LORA_TAG = /<lora:([^:>]+)((?::[^:>]*)*)>/gi;

/**
 * Takes the `<lora:name:weight>` (and `<lora:name>`) tags out of a prompt, so that they can be sent
 * the way the server wants. The first number after the name is the weight (1 when absent or not a
 * number; later fields such as A1111's text-encoder weight are dropped). Weights are not range-checked
 * here. The prompt is tidied where a tag was: no doubled spaces or commas, no comma left at an end.
 */
export function extractLoraTags(prompt: string): { prompt: string; loras: LoraRef[] } {
  const loras: LoraRef[] = [];
  const stripped = prompt.replace(LORA_TAG, (_tag, rawName: string, rawFields: string) => {
    const first = rawFields.split(':')[1]?.trim();
    const weight = first !== undefined && NUMBER.test(first) ? Number(first) : LORA_DEFAULT_WEIGHT;
    loras.push({ name: rawName.trim(), weight });
    return '\uE000';
  });
  if (loras.length === 0) return { prompt, loras };
  const tidy = stripped
    .replace(/(?:[ \t]*,)?[ \t]*\uE000(?:[ \t]*(?:,[ \t]*)?\uE000)*[ \t]*(?:,[ \t]*)?/g, (gap) =>
      gap.includes(',') ? ', ' : ' ',
    )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/^[\s,]+|[\s,]+$/g, '');
  return { prompt: tidy, loras };
}

function fileStem(pathOrName: string): string {
  const base = pathOrName.split(/[\\/]/).pop() ?? pathOrName;
  return base.replace(/\.(safetensors|ckpt|pt|pth|bin)$/i, '');
}

function idsOf(entry: LoraCatalogEntry): string[] {
  const ids = [entry.name, fileStem(entry.name)];
  if (entry.alias !== undefined) ids.push(entry.alias);
  if (entry.path !== undefined) ids.push(fileStem(entry.path));
  return ids;
}

/** The catalog entry a name means: exact name, then name, alias or file stem, case-insensitively. */
export function findLora(name: string, catalog: readonly LoraCatalogEntry[]): LoraCatalogEntry | undefined {
  const wanted = name.trim();
  if (wanted === '') return undefined;
  const lower = wanted.toLowerCase();
  return (
    catalog.find((entry) => entry.name === wanted) ??
    catalog.find((entry) => idsOf(entry).some((id) => id.toLowerCase() === lower)) ??
    catalog.find((entry) => fileStem(wanted).toLowerCase() === fileStem(entry.name).toLowerCase())
  );
}

const norm = (text: string) => text.toLowerCase().replace(/[\s_\-.]+/g, '');

/** The LoRAs nearest to a name that matched none (by edit distance), for the refusal message. */
export function closestLoras(
  name: string,
  catalog: readonly LoraCatalogEntry[],
  limit = 3,
): LoraCatalogEntry[] {
  const wanted = norm(name);
  return catalog
    .map((entry) => ({
      entry,
      distance: Math.min(...idsOf(entry).map((id) => editDistance(wanted, norm(id)))),
    }))
    .sort((a, b) => a.distance - b.distance || a.entry.name.localeCompare(b.entry.name))
    .slice(0, limit)
    .map(({ entry }) => entry);
}

/**
 * How the LoRAs go on the wire for a kind of server. Names are resolved through the catalog
 * (`findLora`); a name the catalog lacks is sent as it is (the caller refuses unknown names first).
 */
export function toLoraWire(
  style: LoraWireStyle,
  loras: readonly LoraRef[],
  catalog: readonly LoraCatalogEntry[],
): LoraWire {
  if (loras.length === 0) return {};
  const resolved = loras.map((lora) => ({ lora, entry: findLora(lora.name, catalog) }));
  switch (style) {
    case 'a1111-alias':
      return {
        promptSuffix: resolved
          .map(
            ({ lora, entry }) =>
              `<lora:${entry?.alias ?? entry?.name ?? lora.name}:${formatWeight(lora.weight)}>`,
          )
          .join(' '),
      };
    case 'sdnext-name':
      return {
        promptSuffix: resolved
          .map(({ lora, entry }) => `<lora:${entry?.name ?? lora.name}:${formatWeight(lora.weight)}>`)
          .join(' '),
      };
    case 'sdcpp':
      return {
        sdcpp: resolved.map(({ lora, entry }) => ({
          path: entry?.path ?? entry?.name ?? lora.name,
          multiplier: lora.weight,
        })),
      };
    case 'comfyui':
      return {
        comfy: resolved.map(({ lora, entry }) => ({ name: entry?.name ?? lora.name, weight: lora.weight })),
      };
  }
}

function parseJsonObject(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch (error: unknown) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The tags a LoRA was trained with, most frequent first (at most `max`), from A1111 LoRA metadata
 * (`ss_tag_frequency`: `{dataset: {tag: count}}`, as a JSON string or an object; the metadata itself
 * may be a JSON string). Counts are summed over datasets; anything malformed gives no tags.
 */
export function loraTrainingTags(metadata: unknown, max: number): string[] {
  const meta = parseJsonObject(metadata);
  if (!isRecord(meta)) return [];
  const frequency = parseJsonObject(meta.ss_tag_frequency);
  if (!isRecord(frequency)) return [];
  const counts = new Map<string, { tag: string; count: number }>();
  for (const dataset of Object.values(frequency)) {
    if (!isRecord(dataset)) continue;
    for (const [rawTag, count] of Object.entries(dataset)) {
      const tag = rawTag.trim();
      if (tag === '' || typeof count !== 'number' || !Number.isFinite(count) || count <= 0) continue;
      const key = tag.toLowerCase();
      const seen = counts.get(key);
      if (seen === undefined) counts.set(key, { tag, count });
      else seen.count += count;
    }
  }
  return [...counts.values()]
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag))
    .slice(0, Math.max(0, max))
    .map(({ tag }) => tag);
}

export interface LoraPrompt {
  /** The prompt without its `<lora:…>` tags. */
  prompt: string;
  loras: { name: string; weight: number }[];
}

/**
 * The LoRAs a request asks for: the `lora` option and `<lora:name:w>` tags typed in the prompt
 * (taken out of it, so each server gets them its own way). Names are checked later.
 */
export function readLoras(
  prompt: string,
  option: string | undefined,
  maxLoras: number,
): { ok: true; value: LoraPrompt } | { ok: false; problem: Message } {
  const tagged = extractLoraTags(prompt);
  const typed = option === undefined ? { ok: true as const, loras: [] } : parseLoraOption(option, 10);
  if (!typed.ok) return { ok: false, problem: typed.problem };
  const loras = [...tagged.loras];
  for (const lora of typed.loras) {
    if (loras.some((known) => known.name.toLowerCase() === lora.name.toLowerCase())) {
      return { ok: false, problem: msg('refusals.loras.twice', { name: lora.name }) };
    }
    loras.push(lora);
  }
  if (loras.length > maxLoras) {
    return {
      ok: false,
      problem:
        maxLoras === 0
          ? notAllowed('loras')
          : msg('refusals.loras.tooManyPerRequest', { count: loras.length, max: maxLoras }),
    };
  }
  return { ok: true, value: { prompt: tagged.prompt, loras } };
}
