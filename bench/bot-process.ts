/**
 * The real bot as a child process (`node --import tsx src/index.ts`, the `npm start` entry point run
 * from source), so its RSS and event loop are its own and not shared with the fakes in this process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX_LOADER = pathToFileURL(`${REPO_ROOT}node_modules/tsx/dist/loader.mjs`).href;

export interface MemoryStatus {
  /** Resident set size now (VmRSS), bytes. */
  rss: number;
  /** Peak resident set size since start or the last `resetPeak()` (VmHWM), bytes. */
  peak: number;
}

export interface BotProcess {
  readonly pid: number;
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
/** USER_HZ, which Linux fixes at 100 for /proc. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Starts the bot with exactly `env` (plus PATH) and resolves once `/healthz` answers 200. */
/**
 * How the bot is started. `compiled`: what `npm start` runs (tsc with tsconfig.build.json, then plain
 * node), built into node_modules/.cache so dist/ is left alone. `tsx`: from source, quicker to start
 * but with tsx's loader thread in the process (about 35 MB more RSS).
 */
export type BotRuntime = 'compiled' | 'tsx';

export interface BotEntry {
  runtime: BotRuntime;
  args: string[];
  /** Type errors tsc reported while building (it emits anyway); 0 for tsx. */
  typeErrors: number;
}

const BUILD_DIR = `${REPO_ROOT}node_modules/.cache/sdbot-bench`;

/** Builds the bot when `runtime` is `compiled`; resolves with the node arguments that start it. */
export async function prepareBot(runtime: BotRuntime): Promise<BotEntry> {
  if (runtime === 'tsx') return { runtime, args: ['--import', TSX_LOADER, 'src/index.ts'], typeErrors: 0 };
  rmSync(BUILD_DIR, { recursive: true, force: true });
  const tsc = spawn(
    process.execPath,
    [`${REPO_ROOT}node_modules/typescript/bin/tsc`, '-p', 'tsconfig.build.json', '--outDir', BUILD_DIR],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  tsc.stdout?.setEncoding('utf8');
  tsc.stdout?.on('data', (chunk: string) => {
    output += chunk;
  });
  await new Promise<void>((resolve) => tsc.once('exit', () => resolve()));
  const entry = `${BUILD_DIR}/src/index.js`;
  if (!existsSync(entry)) throw new Error(`bench: tsc produced no ${entry}:\n${output}`);
  return { runtime, args: [entry], typeErrors: (output.match(/error TS\d+/g) ?? []).length };
}

/** Starts the bot with exactly `env` (plus PATH) and resolves once `/healthz` answers 200. */
export async function spawnBot(
  entry: BotEntry,
  env: Record<string, string>,
  metricsPort: number,
): Promise<BotProcess> {
  const child: ChildProcess = spawn(process.execPath, entry.args, {
    cwd: REPO_ROOT,
    // As the systemd unit and the Dockerfile run it (fewer glibc malloc arenas for sharp's threads).
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      MALLOC_ARENA_MAX: '2',
      ...env,
      METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('bench: the bot process did not start');
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
        if (always || level >= LEVEL_WARN) warnings.push(line);
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
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    pid,
    metricsPort,
    warnings,
    async scrape() {
      const response = await fetch(`${base}/metrics`);
      return parseMetrics(await response.text());
    },
    health,
    memory: () => ({ rss: readStatusKb(pid, 'VmRSS'), peak: readStatusKb(pid, 'VmHWM') }),
    cpuMs() {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
    },
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
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
