/** The zod schema of the environment, one entry per key (see .env.example), and its field builders. */
import { z } from 'zod';
import { AHEAD_LEAD_MS } from './jobs/ahead.js';
import { NSFW_MODES } from './policy/nsfw-mode.js';

/** Log levels pino understands. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/** A `postgres://` or `postgresql://` URL naming a host (the job queue's shared database). */
function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: `must be a whole number from ${min} to ${max}` })
      .int({ error: `must be a whole number from ${min} to ${max}` })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

const decimal = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: `must be a number from ${min} to ${max}` })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

const boolean = (fallback: boolean) =>
  z.preprocess(
    emptyToUndefined,
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1' || value === 'yes'),
  );

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

const snowflake = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^\d{17,20}$/, {
      error: 'must be a Discord id: 17 to 20 digits (right-click the server, Copy Server ID)',
    })
    .optional(),
);

/**
 * The environment keys, each with its default and a problem sentence that names the fix and never
 * the value. Only single-key rules live here; rules between keys are in config.ts.
 */
export const envSchema = z.object({
  DISCORD_TOKEN: z
    .string({
      error: 'is missing: paste the bot token from the Discord Developer Portal (Bot → Reset Token)',
    })
    .trim()
    .min(1, { error: 'is empty: paste the bot token from the Discord Developer Portal (Bot → Reset Token)' })
    .refine((token) => !/\s/.test(token), {
      error: 'contains white space: paste the token again without spaces or line breaks',
    })
    .refine((token) => !/^Bot\s/i.test(token), {
      error: 'must be the bare token, without the "Bot " prefix',
    }),
  DISCORD_API_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://discord.com/api' })
      .default('https://discord.com/api'),
  ),
  DISCORD_GUILD_ID: snowflake,
  SD_API_URL: z
    .string({
      error: 'is missing: the WebUI base URL, e.g. http://127.0.0.1:7860 (several: comma-separated)',
    })
    .trim()
    .min(1, { error: 'is empty: the WebUI base URL, e.g. http://127.0.0.1:7860 (several: comma-separated)' }),
  SD_API_USERNAME: optionalString,
  SD_API_PASSWORD: optionalString,
  DATABASE_PATH: z.preprocess(emptyToUndefined, z.string().default('./data/bot.sqlite')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(isPostgresUrl, {
        error: 'must be a PostgreSQL URL: postgres://user:password@host:5432/database (never logged)',
      })
      .optional(),
  ),
  BOT_ROLE: z.preprocess(
    (value) => (typeof emptyToUndefined(value) === 'string' ? String(value).toLowerCase() : undefined),
    z.enum(['all', 'gateway', 'worker'], { error: 'must be all, gateway or worker' }).default('all'),
  ),
  WORKER_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[\w.:@-]{1,100}$/, { error: 'must be up to 100 letters, digits or . : @ _ -' })
      .optional(),
  ),
  IMAGE_DIR: optionalString,
  LOG_LEVEL: z.preprocess(
    (value) => (typeof emptyToUndefined(value) === 'string' ? String(value).toLowerCase() : undefined),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  ),
  LOG_PRETTY: boolean(false),
  DEFAULT_STEPS: integer(1, 150, 20),
  DEFAULT_CFG_SCALE: decimal(1, 30, 7),
  DEFAULT_WIDTH: integer(64, 2048, 512),
  DEFAULT_HEIGHT: integer(64, 2048, 512),
  DEFAULT_SAMPLER: z.preprocess(emptyToUndefined, z.string().default('DPM++ 2M')),
  DEFAULT_SCHEDULER: z.preprocess(emptyToUndefined, z.string().default('Karras')),
  DEFAULT_NEGATIVE_PROMPT: z.preprocess(emptyToUndefined, z.string().default('')),
  MAX_STEPS: integer(1, 150, 50),
  MAX_PIXELS: integer(4096, 16_777_216, 1_048_576),
  MAX_IMAGES: integer(1, 4, 4),
  MAX_LORAS: integer(0, 10, 4),
  MAX_HIRES_SCALE: decimal(1, 4, 2),
  MAX_PROMPT_LENGTH: integer(1, 1000, 1000),
  MAX_TOTAL_PIXELS: z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be a whole number from 4096 to 67108864' })
      .int({ error: 'must be a whole number from 4096 to 67108864' })
      .min(4096, { error: 'must be at least 4096' })
      .max(67_108_864, { error: 'must be at most 67108864' })
      .optional(),
  ),
  NSFW_MODE: z.preprocess(
    (value) => (typeof emptyToUndefined(value) === 'string' ? String(value).toLowerCase() : undefined),
    z.enum(NSFW_MODES, { error: `must be one of ${NSFW_MODES.join(', ')}` }).default('off'),
  ),
  SFW_NEGATIVE_PROMPT: z.preprocess(
    emptyToUndefined,
    z.string().max(1000, { error: 'must be at most 1000 characters' }).default('nsfw, nude, naked, explicit'),
  ),
  USER_COOLDOWN_SECONDS: integer(0, 86_400, 0),
  SERVER_HOURLY_LIMIT: integer(0, 100_000, 0),
  QUOTA_BYPASS_MANAGE_SERVER: boolean(false),
  SD_REQUEST_TIMEOUT_SECONDS: integer(1, 86_400, 600),
  MAX_PENDING_PER_USER: integer(1, 100, 3),
  MAX_QUEUE_LENGTH: integer(1, 10_000, 100),
  PROGRESS_INTERVAL_MS: integer(250, 60_000, 1500),
  LIVE_PREVIEW: boolean(true),
  SD_CONCURRENCY_PER_BACKEND: integer(1, 16, 1),
  SHUTDOWN_GRACE_SECONDS: integer(0, 3600, 30),
  JOB_LEASE_SECONDS: integer(3, 3600, 60),
  DATABASE_POOL_SIZE: integer(2, 100, 10),
  SHARD_COUNT: integer(1, 100_000, 1),
  SHARD_IDS: optionalString,
  SD_ACCEPT_GZIP: boolean(false),
  IMAGE_RETENTION_DAYS: integer(0, 3650, 30),
  MAX_ATTEMPTS: integer(1, 10, 3),
  SCHEDULER_MODEL_AFFINITY: boolean(true),
  SCHEDULER_CLAIM_AHEAD_MS: integer(0, 10_000, AHEAD_LEAD_MS),
  VARY_STRENGTH: decimal(0.01, 1, 0.3),
  UPSCALER: z.preprocess(emptyToUndefined, z.string().trim().max(200).default('R-ESRGAN 4x+')),
  UPSCALE_FACTOR: decimal(1, 8, 2),
  MAX_INPUT_IMAGE_BYTES: integer(1024, 100 * 1024 * 1024, 10 * 1024 * 1024),
  COMFY_GRAPH_DIR: optionalString,
  COMFY_FLUX_UNET: optionalString,
  COMFY_FLUX_CLIP1: optionalString,
  COMFY_FLUX_CLIP2: optionalString,
  COMFY_FLUX_VAE: optionalString,
  COMFY_FLUX_GUIDANCE: decimal(0, 100, 3.5),
  METRICS_PORT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a port number from 0 to 65535' }).int().min(0).max(65_535).optional(),
  ),
});
