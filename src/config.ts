import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crossKeyIssues, validValue } from './config-cross-keys.js';
import { ConfigError, type ConfigIssue, type Env } from './config-errors.js';
import { type LogLevel, envSchema as schema } from './config-schema.js';
import { type BotRole, type ShardConfig, toShardConfig } from './config-shards.js';
import type { PolicyDefaults } from './policy/policy.js';

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
  /**
   * The PostgreSQL database of the job queue (DATABASE_URL), shared by every bot process; unset: the
   * queue is in the SQLite file. Settings, quotas and kept images stay in SQLite either way.
   */
  databaseUrl: string | undefined;
  /**
   * Connections of this process's pool on DATABASE_URL (DATABASE_POOL_SIZE); three more listen.
   * Every process counts against the server's max_connections.
   */
  databasePoolSize: number;
  /**
   * `all`: the gateway (commands, buttons) and a worker; `gateway` (BOT_ROLE): takes commands and
   * enqueues, tells places in line, runs no job; `worker`: no gateway login, it runs jobs from the
   * shared queue (DATABASE_URL) and delivers them over REST. Both others need DATABASE_URL.
   */
  role: BotRole;
  /** The gateway shards this process connects (SHARD_COUNT, SHARD_IDS); a worker connects none. */
  shards: ShardConfig;
  /** Folder of the kept original images (files; their index is in the database). */
  imageDir: string;
  logLevel: LogLevel;
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
    /** Most LoRAs per request (a server may allow fewer in /settings); 0 = none. */
    maxLoras: number;
    /** Highest hires-fix scale (a server may allow less); 1 = no hires fix. */
    maxHiresScale: number;
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
    /**
     * How long before a job's foreseen answer the next job for its server is claimed
     * (SCHEDULER_CLAIM_AHEAD_MS; see src/jobs/ahead.ts); 0: only once the server answered.
     */
    claimAheadMs: number;
    /** This process's id in the job queue (WORKER_ID), kept across restarts; unset: the host name. */
    workerId: string | undefined;
    /**
     * How long a running job stays leased to this process without a heartbeat (JOB_LEASE_SECONDS):
     * a process that dies holding it loses the job to another after this long.
     */
    leaseMs: number;
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
  /** ComfyUI backends: the operator's graphs and the Flux-class model files. */
  comfy: {
    /** Folder of API-format graphs (`txt2img.json`, `img2img.json`) that replace the built-in ones. */
    graphDir: string | undefined;
    /** Set when the operator names all four Flux files: UNETLoader + DualCLIPLoader + VAELoader. */
    flux: { unet: string; clip1: string; clip2: string; vae: string; guidance: number } | undefined;
  };
  metricsPort: number | undefined;
  /** Ask the WebUI for gzip answers: worth it over a slow link, not next to the GPU box. */
  sdGzip: boolean;
}

export { ConfigError, type ConfigIssue, type Env, renderConfigIssues } from './config-errors.js';

const nonEmpty = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : value;

/** Kept images go into `images/` next to the database file (the temp folder for an in-memory one). */
function defaultImageDir(databasePath: string): string {
  return databasePath === ':memory:' ? join(tmpdir(), 'sdbot-images') : join(dirname(databasePath), 'images');
}

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
/** Parses the environment into a Config, or throws a ConfigError listing every problem (never a value). */
// Long on purpose: it gathers every problem (schema, backends, cross-key) before it throws, then maps the keys.
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
  // A password alone is a bearer key (KoboldCpp's --password); a username alone means nothing.
  if (backends.some((backend) => backend.username !== undefined && backend.password === undefined)) {
    issues.push({
      key: 'SD_API_USERNAME/SD_API_PASSWORD',
      problem:
        'set both or neither (they must match the WebUI --api-auth user:pass); a password alone is sent as a bearer key (KoboldCpp --password)',
    });
  }
  issues.push(...crossKeyIssues(env));
  const { shape } = schema;
  const sharding = toShardConfig(
    env,
    validValue(shape.SHARD_COUNT, env.SHARD_COUNT),
    validValue(shape.BOT_ROLE, env.BOT_ROLE),
  );
  issues.push(...sharding.issues);
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
    databaseUrl: data.DATABASE_URL,
    databasePoolSize: data.DATABASE_POOL_SIZE,
    role: data.BOT_ROLE,
    shards: sharding.shards,
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
      maxLoras: data.MAX_LORAS,
      maxHiresScale: data.MAX_HIRES_SCALE,
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
      claimAheadMs: data.SCHEDULER_CLAIM_AHEAD_MS,
      workerId: data.WORKER_ID,
      leaseMs: data.JOB_LEASE_SECONDS * 1000,
    },
    results: {
      varyStrength: data.VARY_STRENGTH,
      upscaler: data.UPSCALER,
      upscaleFactor: data.UPSCALE_FACTOR,
      maxInputImageBytes: data.MAX_INPUT_IMAGE_BYTES,
      retentionDays: data.IMAGE_RETENTION_DAYS,
    },
    comfy: {
      graphDir: data.COMFY_GRAPH_DIR,
      flux:
        data.COMFY_FLUX_UNET !== undefined &&
        data.COMFY_FLUX_CLIP1 !== undefined &&
        data.COMFY_FLUX_CLIP2 !== undefined &&
        data.COMFY_FLUX_VAE !== undefined
          ? {
              unet: data.COMFY_FLUX_UNET,
              clip1: data.COMFY_FLUX_CLIP1,
              clip2: data.COMFY_FLUX_CLIP2,
              vae: data.COMFY_FLUX_VAE,
              guidance: data.COMFY_FLUX_GUIDANCE,
            }
          : undefined,
    },
    metricsPort: data.METRICS_PORT,
    sdGzip: data.SD_ACCEPT_GZIP,
  };
}

/** This process's id in the job queue: WORKER_ID, or else the host name. */
export function workerIdOf(config: Pick<Config, 'jobs'>): string {
  return config.jobs.workerId ?? hostname();
}
