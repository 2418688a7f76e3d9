/**
 * A bot as a child process (ours as `npm start` runs it, or the minimal bot), so its RSS and event
 * loop are its own and not shared with the fakes in this process. No MALLOC_ARENA_MAX or other
 * tuning in its environment: what a newcomer's `npm start` gets.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { processCpuMs, TSX_LOADER } from './proc.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface MemoryStatus {
  /** Resident set size now (VmRSS), bytes. */
  rss: number;
  /** Peak resident set size since start or the last `resetPeak()` (VmHWM), bytes. */
  peak: number;
}

export interface BotProcess {
  /** The bot's own node process (under `npm start`: npm's descendant). */
  readonly pid: number;
  /** performance.now() just before the spawn. */
  readonly spawnedAt: number;
  /** From the spawn until `/healthz` first answered 200, ms (20 ms polls). */
  readonly healthyMs: number;
  readonly metricsPort: number;
  /** Log lines at warn level or above (the bot runs with LOG_LEVEL=warn), and anything on stderr. */
  readonly warnings: string[];
  /** One scrape of `/metrics`, unlabelled samples by name (a scrape resets prom-client's event-loop histogram). */
  scrape(): Promise<Map<string, number>>;
  /** `/healthz` status code, or 0 when it does not answer. */
  health(): Promise<number>;
  memory(): MemoryStatus;
  /** CPU time the bot has used so far (user + system, from /proc/<pid>/stat), ms at 10 ms resolution. */
  cpuMs(): number;
  /** Resets VmHWM (writes 5 to /proc/<pid>/clear_refs); false where the kernel refuses. */
  resetPeak(): boolean;
  /** SIGTERM (the bot's clean shutdown), SIGKILL after 15 s. */
  stop(): Promise<void>;
  /** SIGKILL at once (a crash): resolves when the process has exited. */
  kill(): Promise<void>;
}

/** A port that was free a moment ago (the bot binds it for `/metrics`). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (match?.[1] !== undefined && match[2] === undefined) samples.set(match[1], Number(match[3]));
  }
  return samples;
}

function readStatusKb(pid: number, key: string): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
}

const LEVEL_WARN = 40;

/**
 * How the bot is started. `compiled`: the bundle `npm start` runs (`scripts/ensure-built.mjs` builds
 * dist/ only when the sources changed), as plain `node dist/bot/index.js`. `tsx`: from source,
 * quicker to prepare but with tsx's loader thread in the process (about 35 MB more RSS).
 */
export type BotRuntime = 'compiled' | 'tsx';

export interface BotEntry {
  /** What the report calls it: `ours`, `ours (npm start)`, `minimal`. */
  label: string;
  command: string;
  args: string[];
  /**
   * The command is a launcher (`npm start`): the process measured is its node descendant, and the
   * whole process group is stopped.
   */
  launcher: boolean;
}

const NODE = process.execPath;
const CACHE_DIR = `${REPO_ROOT}node_modules/.cache/sdbot-bench`;
const BOT_SCRIPT = 'dist/bot/index.js';
/** What `npm start` runs: the bundle, started in that same node process. */
const START_SCRIPT = 'scripts/start.mjs';

/** Prepares the bot as `runtime` says (for `compiled`: builds dist/ when stale, as `npm start` does). */
export function prepareBot(runtime: BotRuntime): BotEntry {
  if (runtime === 'tsx') {
    return { label: 'ours', command: NODE, args: ['--import', TSX_LOADER, 'src/index.ts'], launcher: false };
  }
  const build = spawnSync(NODE, ['scripts/ensure-built.mjs'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('bench: scripts/ensure-built.mjs failed (errors above)');
  return { label: 'ours', command: NODE, args: [BOT_SCRIPT], launcher: false };
}

/** `npm start` itself, as a newcomer runs it (dist/ is up to date after `prepareBot('compiled')`). */
export function npmStartEntry(): BotEntry {
  return { label: 'ours (npm start)', command: 'npm', args: ['start', '--silent'], launcher: true };
}

/** bench/minimal-bot.ts as plain JavaScript (types stripped), so no loader sits in its process. */
export function prepareMinimalBot(): BotEntry {
  mkdirSync(CACHE_DIR, { recursive: true });
  const out = `${CACHE_DIR}/minimal-bot.mjs`;
  const source = readFileSync(`${REPO_ROOT}bench/minimal-bot.ts`, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  writeFileSync(out, outputText);
  return { label: 'minimal', command: NODE, args: [out], launcher: false };
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((word) => word !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** The descendant of `pid` running node with `script`, or undefined while there is none yet. */
function findDescendant(pid: number, script: string): number | undefined {
  const queue = childrenOf(pid);
  for (let child = queue.shift(); child !== undefined; child = queue.shift()) {
    try {
      if (readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').includes(script)) return child;
    } catch {
      // Gone already.
    }
    queue.push(...childrenOf(child));
  }
  return undefined;
}

/** Starts the bot with exactly `env` (plus PATH and HOME) and resolves once `/healthz` answers 200. */
export async function spawnBot(
  entry: BotEntry,
  env: Record<string, string>,
  metricsPort: number,
): Promise<BotProcess> {
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(entry.command, entry.args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // npm wants a home for its cache and config.
      ...(entry.launcher ? { HOME: process.env.HOME ?? REPO_ROOT } : {}),
      ...env,
      METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A launcher and its children form one process group, stopped together.
    detached: entry.launcher,
  });
  const launcherPid = child.pid;
  if (launcherPid === undefined) throw new Error('bench: the bot process did not start');
  let stopping = false;
  const warnings: string[] = [];
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const collect = (stream: NodeJS.ReadableStream | null, always: boolean) => {
    let rest = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim() === '') continue;
        let level = LEVEL_WARN;
        try {
          level = Number((JSON.parse(line) as { level?: unknown }).level ?? LEVEL_WARN);
        } catch {
          // Not a log line (a crash trace): keep it.
        }
        // npm reports the SIGTERM that stopped it: not the bot's.
        if (!stopping && (always || level >= LEVEL_WARN)) warnings.push(line);
      }
    });
  };
  collect(child.stdout, false);
  collect(child.stderr, true);

  const base = `http://127.0.0.1:${metricsPort}`;
  const health = async () => {
    try {
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  };
  const deadline = Date.now() + 60_000;
  while ((await health()) !== 200) {
    if (exited !== undefined) {
      throw new Error(`bench: the bot exited with ${String(exited)} while starting:\n${warnings.join('\n')}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bench: the bot was not healthy within 60 s:\n${warnings.join('\n')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const healthyMs = performance.now() - spawnedAt;
  const pid = entry.launcher ? findDescendant(launcherPid, START_SCRIPT) : launcherPid;
  if (pid === undefined) throw new Error(`bench: no node ${START_SCRIPT} under ${entry.command}`);
  const signal = (name: NodeJS.Signals) => {
    try {
      if (entry.launcher) process.kill(-launcherPid, name);
      else child.kill(name);
    } catch {
      // Already gone.
    }
  };

  return {
    pid,
    spawnedAt,
    healthyMs,
    metricsPort,
    warnings,
    async scrape() {
      const response = await fetch(`${base}/metrics`);
      return parseMetrics(await response.text());
    },
    health,
    memory: () => ({ rss: readStatusKb(pid, 'VmRSS'), peak: readStatusKb(pid, 'VmHWM') }),
    cpuMs: () => processCpuMs(pid),
    resetPeak() {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    async stop() {
      if (exited !== undefined) return;
      stopping = true;
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
    async kill() {
      if (exited !== undefined) return;
      stopping = true;
      signal('SIGKILL');
      await exit;
    },
  };
}
