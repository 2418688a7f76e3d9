/**
 * ComfyUI's `/object_info` document: per node class, its inputs (`[type, options]` or
 * `[[choices], options]`, or the newer `["COMBO", {options: [...]}]`), outputs and whether it is an
 * output node. Parsed leniently: only what graph checking relies on is required.
 */
import { z } from 'zod';

export type ComfyInputSpec = readonly unknown[];

export interface ComfyNodeInfo {
  input: {
    required?: Record<string, ComfyInputSpec>;
    optional?: Record<string, ComfyInputSpec>;
    hidden?: Record<string, unknown>;
  };
  output: readonly string[];
  output_node?: boolean;
  display_name?: string;
}

export type ObjectInfo = Record<string, ComfyNodeInfo>;

const specsSchema = z.record(z.string(), z.array(z.unknown())).optional();

const nodeInfoSchema = z.looseObject({
  input: z.looseObject({
    required: specsSchema,
    optional: specsSchema,
    hidden: z.record(z.string(), z.unknown()).optional(),
  }),
  output: z.array(z.string()).catch([]),
  output_node: z.boolean().optional().catch(undefined),
  display_name: z.string().optional().catch(undefined),
});

/** Untrusted JSON → ObjectInfo; classes whose entry has no usable `input` are dropped. */
export function parseObjectInfo(json: unknown): ObjectInfo {
  const out: ObjectInfo = {};
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return out;
  for (const [name, raw] of Object.entries(json)) {
    const parsed = nodeInfoSchema.safeParse(raw);
    if (!parsed.success) continue;
    const { input, output, output_node: outputNode, display_name: displayName } = parsed.data;
    const info: ComfyNodeInfo = { input: {}, output };
    if (input.required !== undefined) info.input.required = input.required;
    if (input.optional !== undefined) info.input.optional = input.optional;
    if (input.hidden !== undefined) info.input.hidden = input.hidden;
    if (outputNode !== undefined) info.output_node = outputNode;
    if (displayName !== undefined) info.display_name = displayName;
    out[name] = info;
  }
  return out;
}

export type InputKind =
  | { kind: 'combo'; choices: string[]; upload: boolean }
  | { kind: 'number'; type: 'INT' | 'FLOAT'; min: number | null; max: number | null }
  | { kind: 'string' }
  | { kind: 'boolean' }
  /** A link-only type such as MODEL, CLIP, LATENT (or `*`). */
  | { kind: 'link'; type: string };

function optionsOf(spec: ComfyInputSpec): Record<string, unknown> {
  const options = spec[1];
  return typeof options === 'object' && options !== null && !Array.isArray(options)
    ? (options as Record<string, unknown>)
    : {};
}

/** What an input spec accepts. */
export function describeInput(spec: ComfyInputSpec): InputKind {
  const head = spec[0];
  const options = optionsOf(spec);
  const upload = options.image_upload === true;
  if (Array.isArray(head)) {
    return { kind: 'combo', choices: head.filter((c): c is string => typeof c === 'string'), upload };
  }
  if (head === 'COMBO') {
    const choices = Array.isArray(options.options) ? options.options : [];
    return { kind: 'combo', choices: choices.filter((c): c is string => typeof c === 'string'), upload };
  }
  if (head === 'INT' || head === 'FLOAT') {
    return {
      kind: 'number',
      type: head,
      min: typeof options.min === 'number' ? options.min : null,
      max: typeof options.max === 'number' ? options.max : null,
    };
  }
  if (head === 'STRING') return { kind: 'string' };
  if (head === 'BOOLEAN') return { kind: 'boolean' };
  return { kind: 'link', type: typeof head === 'string' ? head : '*' };
}

/** The allowed values of a combo input (`KSampler.sampler_name`, `CheckpointLoaderSimple.ckpt_name`), or []. */
export function inputChoices(info: ObjectInfo, classType: string, input: string): string[] {
  const node = info[classType];
  const spec = node?.input.required?.[input] ?? node?.input.optional?.[input];
  if (spec === undefined) return [];
  const kind = describeInput(spec);
  return kind.kind === 'combo' ? kind.choices : [];
}
