import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { NSFW_MODES } from './policy/nsfw-mode.js';
import type { PolicyDefaults } from './policy/policy.js';

/** Log levels pino understands. */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export interface BackendConfig {
  /** Base URL without credentials, no trailing slash. */
  url: string;
  username: string | undefined;
  password: string | undefined;
}

export interface Config {
  discord: {
    token: string;
    apiUrl: string;
    guildId: string | undefined;
  };
  backends: BackendConfig[];
  databasePath: string;
  /** Folder of the kept original images (files; their index is in the database). */
  imageDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  logPretty: boolean;
  defaults: {
    steps: number;
    cfgScale: number;
    width: number;
    height: number;
    sampler: string;
    scheduler: string;
    negativePrompt: string;
  };
  limits: {
    maxSteps: number;
    maxPixels: number;
    maxCount: number;
    maxPromptLength: number;
    requestTimeoutMs: number;
    maxPendingPerUser: number;
    maxQueueLength: number;
    /** Most pixels per request: width × height × count. */
    maxTotalPixels: number;
  };
  /** Defaults for every server's content policy and quotas (each server may override them). */
  policy: PolicyDefaults;
  jobs: {
    progressIntervalMs: number;
    livePreview: boolean;
    concurrencyPerBackend: number;
    shutdownGraceMs: number;
    maxAttempts: number;
    /** Prefer a free backend that already has the job's model loaded (false: plain fair order). */
    modelAffinity: boolean;
  };
  /** Result buttons and /imagine's input image. */
  results: {
    /** `subseed_strength` of the Vary button. */
    varyStrength: number;
    /** WebUI upscaler name for the Upscale button (checked against /sdapi/v1/upscalers). */
    upscaler: string;
    upscaleFactor: number;
    /** Largest /imagine input image accepted, in bytes. */
    maxInputImageBytes: number;
    /** Finished images (for buttons) are kept this many days; 0 keeps them forever. */
    retentionDays: number;
  };
  metricsPort: number | undefined;
  /** Ask the WebUI for gzip answers: worth it over a slow link, not next to the GPU box. */
  sdGzip: boolean;
}

export type Env = Record<string, string | undefined>;

/** A configuration problem: the key, what is wrong, how to fix it. Never the value. */
export interface ConfigIssue {
  key: string;
  problem: string;
}

export class ConfigError extends Error {
  readonly issues: ConfigIssue[];
  constructor(issues: ConfigIssue[]) {
    super(renderConfigIssues(issues));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function renderConfigIssues(issues: ConfigIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.key}: ${issue.problem}`);
  return [
    `The configuration has ${issues.length} problem${issues.length === 1 ? '' : 's'}:`,
    ...lines,
    'Set these in the environment or in a .env file (see .env.example), then start again.',
  ].join('\n');
}

const emptyToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

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

const nonEmpty = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value;

const optionalString = z.preprocess(emptyToUndefined, z.string().optional());

/** Kept images go into `images/` next to the database file (the temp folder for an in-memory one). */
function defaultImageDir(databasePath: string): string {
  return databasePath === ':memory:' ? join(tmpdir(), 'sdbot-images') : join(dirname(databasePath), 'images');
}

const snowflake = z.preprocess(
  emptyToUndefined,
  z
    .string()
    .regex(/^\d{17,20}$/, {
      error: 'must be a Discord id: 17 to 20 digits (right-click the server, Copy Server ID)',
    })
    .optional(),
);

const schema = z.object({
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
  SD_ACCEPT_GZIP: boolean(false),
  IMAGE_RETENTION_DAYS: integer(0, 3650, 30),
  MAX_ATTEMPTS: integer(1, 10, 3),
  SCHEDULER_MODEL_AFFINITY: boolean(true),
  VARY_STRENGTH: decimal(0.01, 1, 0.3),
  UPSCALER: z.preprocess(emptyToUndefined, z.string().trim().max(200).default('R-ESRGAN 4x+')),
  UPSCALE_FACTOR: decimal(1, 8, 2),
  MAX_INPUT_IMAGE_BYTES: integer(1024, 100 * 1024 * 1024, 10 * 1024 * 1024),
  METRICS_PORT: z.preprocess(
    emptyToUndefined,
    z.coerce.number({ error: 'must be a port number from 0 to 65535' }).int().min(0).max(65_535).optional(),
  ),
});

/** Splits `SD_API_URL` into backends; credentials in the URL win over the shared username/password. */
function parseBackends(
  raw: string,
  username: string | undefined,
  password: string | undefined,
): { backends: BackendConfig[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const backends: BackendConfig[] = [];
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  parts.forEach((part, index) => {
    const which = parts.length > 1 ? ` (entry ${index + 1})` : '';
    let url: URL;
    try {
      url = new URL(part);
    } catch {
      issues.push({ key: 'SD_API_URL', problem: `entry${which} is not a URL: use http://host:port` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      issues.push({ key: 'SD_API_URL', problem: `entry${which} must start with http:// or https://` });
      return;
    }
    const user = url.username !== '' ? decodeURIComponent(url.username) : username;
    const pass = url.password !== '' ? decodeURIComponent(url.password) : password;
    url.username = '';
    url.password = '';
    const path = url.pathname.replace(/\/+$/, '').replace(/\/sdapi\/v1$/, '');
    backends.push({ url: `${url.origin}${path}`, username: user, password: pass });
  });
  if (parts.length === 0) issues.push({ key: 'SD_API_URL', problem: 'lists no URL' });
  return { backends, issues };
}

/** One key's value as the schema reads it, or undefined when that key has a problem of its own. */
function validValue<T>(type: z.ZodType<T>, raw: unknown): T | undefined {
  const parsed = type.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Problems between keys, each checked whenever the keys it involves are valid on their own, so they
 * are listed together with every other problem.
 */
function crossKeyIssues(env: Env): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const { shape } = schema;
  const maxPixels = validValue(shape.MAX_PIXELS, env.MAX_PIXELS);
  const maxTotalPixels = validValue(shape.MAX_TOTAL_PIXELS, env.MAX_TOTAL_PIXELS);
  const width = validValue(shape.DEFAULT_WIDTH, env.DEFAULT_WIDTH);
  const height = validValue(shape.DEFAULT_HEIGHT, env.DEFAULT_HEIGHT);
  if (maxPixels === undefined) return issues;
  if (maxTotalPixels !== undefined && maxTotalPixels < maxPixels) {
    issues.push({ key: 'MAX_TOTAL_PIXELS', problem: `must be at least MAX_PIXELS (${maxPixels})` });
  }
  if (width !== undefined && height !== undefined && width * height > maxPixels) {
    issues.push({
      key: 'DEFAULT_WIDTH/DEFAULT_HEIGHT',
      problem: `their product must not exceed MAX_PIXELS (${maxPixels})`,
    });
  }
  return issues;
}

/** Parses the environment into a Config, or throws a ConfigError listing every problem (never a value). */
export function parseConfig(env: Env): Config {
  const result = schema.safeParse(env);
  const issues: ConfigIssue[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? 'configuration');
      issues.push({ key, problem: issue.message });
    }
  }
  let backends: BackendConfig[] = [];
  const rawUrl = env.SD_API_URL;
  if (typeof rawUrl === 'string' && rawUrl.trim() !== '') {
    const parsed = parseBackends(rawUrl, nonEmpty(env.SD_API_USERNAME), nonEmpty(env.SD_API_PASSWORD));
    issues.push(...parsed.issues);
    backends = parsed.backends;
  }
  if (backends.some((backend) => (backend.username === undefined) !== (backend.password === undefined))) {
    issues.push({
      key: 'SD_API_USERNAME/SD_API_PASSWORD',
      problem: 'set both or neither (they must match the WebUI --api-auth user:pass)',
    });
  }
  issues.push(...crossKeyIssues(env));
  if (!result.success || issues.length > 0) throw new ConfigError(issues);
  const data = result.data;
  return {
    discord: {
      token: data.DISCORD_TOKEN,
      apiUrl: data.DISCORD_API_URL.replace(/\/+$/, ''),
      guildId: data.DISCORD_GUILD_ID,
    },
    backends,
    databasePath: data.DATABASE_PATH,
    imageDir: data.IMAGE_DIR ?? defaultImageDir(data.DATABASE_PATH),
    logLevel: data.LOG_LEVEL,
    logPretty: data.LOG_PRETTY,
    defaults: {
      steps: data.DEFAULT_STEPS,
      cfgScale: data.DEFAULT_CFG_SCALE,
      width: data.DEFAULT_WIDTH,
      height: data.DEFAULT_HEIGHT,
      sampler: data.DEFAULT_SAMPLER,
      scheduler: data.DEFAULT_SCHEDULER,
      negativePrompt: data.DEFAULT_NEGATIVE_PROMPT,
    },
    limits: {
      maxSteps: data.MAX_STEPS,
      maxPixels: data.MAX_PIXELS,
      maxCount: data.MAX_IMAGES,
      maxPromptLength: data.MAX_PROMPT_LENGTH,
      requestTimeoutMs: data.SD_REQUEST_TIMEOUT_SECONDS * 1000,
      maxPendingPerUser: data.MAX_PENDING_PER_USER,
      maxQueueLength: data.MAX_QUEUE_LENGTH,
      maxTotalPixels: data.MAX_TOTAL_PIXELS ?? data.MAX_PIXELS * data.MAX_IMAGES,
    },
    policy: {
      nsfwMode: data.NSFW_MODE,
      sfwNegativePrompt: data.SFW_NEGATIVE_PROMPT,
      cooldownSeconds: data.USER_COOLDOWN_SECONDS,
      hourlyLimit: data.SERVER_HOURLY_LIMIT,
      bypassManageServer: data.QUOTA_BYPASS_MANAGE_SERVER,
    },
    jobs: {
      progressIntervalMs: data.PROGRESS_INTERVAL_MS,
      livePreview: data.LIVE_PREVIEW,
      concurrencyPerBackend: data.SD_CONCURRENCY_PER_BACKEND,
      shutdownGraceMs: data.SHUTDOWN_GRACE_SECONDS * 1000,
      maxAttempts: data.MAX_ATTEMPTS,
      modelAffinity: data.SCHEDULER_MODEL_AFFINITY,
    },
    results: {
      varyStrength: data.VARY_STRENGTH,
      upscaler: data.UPSCALER,
      upscaleFactor: data.UPSCALE_FACTOR,
      maxInputImageBytes: data.MAX_INPUT_IMAGE_BYTES,
      retentionDays: data.IMAGE_RETENTION_DAYS,
    },
    metricsPort: data.METRICS_PORT,
    sdGzip: data.SD_ACCEPT_GZIP,
  };
}
