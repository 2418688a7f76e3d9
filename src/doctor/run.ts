import type { Dispatcher } from 'undici';
import { readOperatorGraphs } from '../app/comfy-backend.js';
import { type Config, ConfigError, type Env, parseConfig, workerIdOf } from '../config.js';
import { redactText } from '../log.js';
import { checkComfy } from './comfy-check.js';
import { checkDatabase } from './database-check.js';
import { checkDiscord } from './discord-check.js';
import type { HttpDeps } from './http.js';
import { type CheckLine, fail, info, pass, renderCheckLine, renderSummary } from './report.js';
import { checkWebui } from './webui-check.js';

export interface DoctorDeps {
  /** Receives each report line, without a trailing newline. */
  output: (line: string) => void;
  /** undici dispatcher for every request to the WebUIs and Discord (default: undici's global one). */
  dispatcher?: Dispatcher;
  /** Limit per HTTP request in milliseconds (default 15 s). */
  timeoutMs?: number;
  /** The running Node.js version (default `process.versions.node`). */
  nodeVersion?: string;
}

/** The oldest Node.js the bot supports (package.json `engines`). */
const MIN_NODE = [20, 18, 1] as const;

export function checkNodeVersion(version: string): CheckLine {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  let newer = true;
  for (const [index, minimum] of MIN_NODE.entries()) {
    const part = parts[index] ?? 0;
    if (part !== minimum) {
      newer = part > minimum;
      break;
    }
  }
  return newer
    ? pass(`Node.js ${version}`)
    : fail(
        `Node.js ${version} is too old`,
        `install Node.js ${MIN_NODE.join('.')} or newer (20 LTS or 22 LTS)`,
      );
}

/** Every secret the environment holds, so no line can print one even by accident. */
function secretsOf(env: Env): string[] {
  const secrets = [env.DISCORD_TOKEN, env.SD_API_PASSWORD].filter(
    (value): value is string => value !== undefined,
  );
  for (const part of [...(env.SD_API_URL ?? '').split(','), env.DATABASE_URL ?? '']) {
    try {
      const password = new URL(part.trim()).password;
      if (password !== '') secrets.push(password, decodeURIComponent(password));
    } catch {
      // not a URL: parseConfig reports it
    }
  }
  return secrets.map((secret) => secret.trim()).filter((secret) => secret.length > 0);
}

function loadConfig(env: Env): { config: Config } | { lines: CheckLine[] } {
  try {
    return { config: parseConfig(env) };
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      lines: [
        ...error.issues.map(
          (issue): CheckLine => ({
            status: 'fail',
            text: `Configuration: ${issue.key} ${issue.problem}`,
          }),
        ),
        info(
          'Set these in the environment or in .env (see .env.example); the WebUI and Discord checks wait until it parses.',
        ),
      ],
    };
  }
}

/**
 * Checks, in order, everything the bot needs to run, writing one line per check (with the fix for each
 * failure) and a summary. Resolves to the exit code: 0 when nothing failed (warnings allowed), else 1.
 * Never prints a secret. Reads `env` only; sends read-only GET requests only.
 */
export async function runDoctor(env: Env, deps: DoctorDeps): Promise<number> {
  const secrets = secretsOf(env);
  const report: CheckLine[] = [];
  const emit = (lines: CheckLine | CheckLine[]): void => {
    for (const line of Array.isArray(lines) ? lines : [lines]) {
      report.push(line);
      deps.output(redactText(renderCheckLine(line), secrets));
    }
  };

  emit(checkNodeVersion(deps.nodeVersion ?? process.versions.node));
  const loaded = loadConfig(env);
  if ('lines' in loaded) {
    emit(loaded.lines);
  } else {
    const { config } = loaded;
    const backends = config.backends.length;
    emit(pass(`Configuration parses (${backends} WebUI backend${backends === 1 ? '' : 's'})`));
    // With DATABASE_URL the SQLite file is not used; `pg` is loaded only then.
    emit(
      config.databaseUrl === undefined
        ? await checkDatabase(config.databasePath)
        : await (await import('./postgres-check.js')).checkPostgres(config.databaseUrl, {
            timeoutMs: deps.timeoutMs ?? 15_000,
            process: {
              role: config.role,
              shards: config.shards,
              workerId: workerIdOf(config),
              defaultId: config.jobs.workerId === undefined,
              poolSize: config.databasePoolSize,
            },
          }),
    );
    if (config.databaseUrl !== undefined) {
      emit(info(`Kept images: ${config.imageDir} (every process on DATABASE_URL must see this same folder)`));
    }
    const http: HttpDeps = { dispatcher: deps.dispatcher, timeoutMs: deps.timeoutMs ?? 15_000 };
    for (const backend of config.backends) {
      // An address that answers ComfyUI's routes is ComfyUI; any other gets the /sdapi checks.
      emit(
        (await checkComfy(backend, readOperatorGraphs(config.comfy.graphDir), http)) ??
          (await checkWebui({ backend, defaults: config.defaults }, http)),
      );
    }
    emit(await checkDiscord(config.discord, http));
    if (config.metricsPort !== undefined) {
      emit(info(`Metrics: /metrics and /healthz will listen on port ${config.metricsPort}`));
    }
  }
  const failed = report.some((line) => line.status === 'fail');
  deps.output(redactText(renderSummary(report), secrets));
  return failed ? 1 : 0;
}
