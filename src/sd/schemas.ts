/**
 * zod schemas of WebUI responses (A1111 1.10, Forge, SD.Next). Lenient where the servers differ
 * (missing keys become null or defaults), strict where we rely on a value.
 */
import { z } from 'zod';

/** Missing or null → `fallback`; a present value must match `schema`. */
function withDefault<T extends z.ZodType, F>(schema: T, fallback: F) {
  return schema.nullish().transform((value): NonNullable<z.output<T>> | F => value ?? fallback);
}

const nullableString = withDefault(z.string(), null);
const nullableNumber = withDefault(z.number(), null);

export const generationResponseSchema = z.object({
  images: withDefault(z.array(z.string()), []),
  parameters: withDefault(z.record(z.string(), z.unknown()), {}),
  /** A JSON document encoded as a string: parse it a second time with `generationInfoSchema`. */
  info: z.string(),
});

export const generationInfoSchema = z.object({
  prompt: withDefault(z.string(), ''),
  negative_prompt: withDefault(z.string(), ''),
  seed: z.number(),
  all_seeds: withDefault(z.array(z.number()), []),
  subseed: nullableNumber,
  width: z.number(),
  height: z.number(),
  sampler_name: nullableString,
  cfg_scale: nullableNumber,
  steps: nullableNumber,
  sd_model_name: nullableString,
  sd_model_hash: nullableString,
  infotexts: withDefault(z.array(z.string()), []),
  index_of_first_image: withDefault(z.number().int().nonnegative(), 0),
  version: nullableString,
});

export const modelListSchema = z.array(
  z.object({
    title: z.string(),
    model_name: z.string(),
    hash: nullableString,
    sha256: nullableString,
    filename: z.string(),
  }),
);

export const samplerListSchema = z.array(
  z.object({
    name: z.string(),
    aliases: withDefault(z.array(z.string()), []),
  }),
);

export const schedulerListSchema = z.array(
  z.object({
    name: z.string(),
    label: z.string(),
    aliases: withDefault(z.array(z.string()), []),
  }),
);

export const upscalerListSchema = z.array(
  z.object({
    name: z.string(),
    scale: nullableNumber,
  }),
);

export const optionsSchema = z.looseObject({
  sd_model_checkpoint: nullableString,
});

/** A1111/Forge answer `null`; SD.Next answers `{"updated":[{key: bool}, …]}`. */
export const setOptionsResponseSchema = z.union([
  z.null(),
  z.looseObject({ updated: z.array(z.record(z.string(), z.unknown())) }),
]);

export const progressSchema = z.object({
  progress: withDefault(z.number(), 0),
  eta_relative: withDefault(z.number(), 0),
  state: withDefault(
    z.looseObject({
      sampling_step: withDefault(z.number(), 0),
      sampling_steps: withDefault(z.number(), 0),
      job_count: withDefault(z.number(), 0),
      interrupted: withDefault(z.boolean(), false),
    }),
    { sampling_step: 0, sampling_steps: 0, job_count: 0, interrupted: false },
  ),
  current_image: nullableString,
});

/** `POST /internal/progress` (UI mode): the progress of one task, named by its `force_task_id`. */
export const taskProgressSchema = z.object({
  active: withDefault(z.boolean(), false),
  queued: withDefault(z.boolean(), false),
  completed: withDefault(z.boolean(), false),
  progress: nullableNumber,
  eta: nullableNumber,
  live_preview: nullableString,
  textinfo: nullableString,
});

export const extraSingleImageResponseSchema = z.object({
  image: z.string(),
  html_info: nullableString,
});

/** `data:image/png;base64,` and the like, which some servers put before the base64. */
export const DATA_URI_PREFIX = /^data:[\w/+.-]+;base64,/;

/**
 * Decodes a bare (or data-URI) base64 image; `null` when the text is not valid, non-empty base64.
 * Node's decoder skips characters outside the alphabet (and stops at padding), so valid input is
 * exactly the input whose decoded length matches its encoded length: one pass, no regex over
 * megabytes of text.
 */
export function decodeBase64Image(text: string): Buffer | null {
  const bare = DATA_URI_PREFIX.test(text.slice(0, 64)) ? text.replace(DATA_URI_PREFIX, '') : text;
  if (bare.length === 0 || bare.length % 4 !== 0) return null;
  const padding = bare.endsWith('==') ? 2 : bare.endsWith('=') ? 1 : 0;
  const decoded = Buffer.from(bare, 'base64');
  if (decoded.length !== (bare.length / 4) * 3 - padding) return null;
  // `-`/`_` (base64url) decode too; the WebUI never sends them, so they mark garbage.
  if (bare.includes('-') || bare.includes('_')) return null;
  return decoded;
}

/** `GET /loras`: A1111/Forge/SD.Next `{name, alias, path, metadata}`; stable-diffusion.cpp `{name, path}`. */
export const loraListSchema = z.array(
  z.looseObject({
    name: z.string(),
    alias: withDefault(z.string(), null),
    path: withDefault(z.string(), null),
    metadata: z.unknown().optional(),
  }),
);

const embeddingDetailSchema = z.looseObject({ shape: withDefault(z.number(), null) });

/**
 * `GET /embeddings`: A1111/Forge map each name to its details (`shape` 768 = SD 1.x, 1024 = SD 2.x);
 * SD.Next lists names only. `skipped` ones do not fit the loaded model and are left out.
 */
export const embeddingListSchema = z.looseObject({
  loaded: withDefault(
    z.union([z.array(z.string()), z.record(z.string(), z.union([embeddingDetailSchema, z.null()]))]),
    [],
  ),
});

/** `GET /prompt-styles`. */
export const styleListSchema = z.array(
  z.looseObject({
    name: z.string(),
    prompt: withDefault(z.string(), ''),
    negative_prompt: withDefault(z.string(), ''),
  }),
);

/** `GET /latent-upscale-modes`. */
export const latentUpscaleModesSchema = z.array(z.looseObject({ name: z.string() }));
