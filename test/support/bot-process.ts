/**
 * The bot as a real child process (`node --import tsx src/index.ts`, as `npm run dev` runs it, or the
 * built bundle `dist/bot/index.js`, as `npm start` runs it), for tests of several processes on one
 * queue and of the build: SIGTERM (its clean stop) or SIGKILL (a crash), and every
 * process started here is killed when the test file ends, whatever happened, and ends by itself when
 * the test worker that started it is gone (SIGKILLed by vitest, say: `exit-with-parent.mjs`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from './ports.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(`${REPO_ROOT}node_modules/tsx/dist/loader.mjs`).href;
/** Ends a spawned process once its parent is gone (see the file). */
export const EXIT_WITH_PARENT = pathToFileURL(`${REPO_ROOT}test/support/exit-with-parent.mjs`).href;

/** One JSON log line of the bot (pino), with the fields the tests read. */
export interface BotLogLine {
  level: number;
  time: number;
  msg?: string;
  jobId?: string;
  [key: string]: unknown;
}

export interface BotProcess {
  /** What the test calls it (in timeouts and failure messages). */
  readonly name: string;
  readonly pid: number;
  readonly metricsPort: number;
  /** Every log line so far, parsed; lines that are not JSON (a crash trace) as `{ level: 60, msg }`. */
  readonly logs: BotLogLine[];
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** Whether the process has exited. */
  hasExited(): boolean;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`, default 20 s). */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL (a crash: no shutdown at all), then waits for the exit. */
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
// A test runner that exits abruptly still takes its bots with it.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function parseLine(line: string): BotLogLine {
  try {
    const value: unknown = JSON.parse(line);
    if (typeof value === 'object' && value !== null && 'level' in value) return value as BotLogLine;
  } catch (error: unknown) {
    if (!(error instanceof SyntaxError)) throw error;
  }
  return { level: 60, time: Date.now(), msg: line };
}

async function healthStatus(port: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/** What the process runs: the sources through tsx, or the bundle `npm start` runs (build it first). */
export type BotEntry = 'source' | 'built';
const ENTRY_ARGS: Record<BotEntry, string[]> = {
  source: ['--import', TSX_LOADER, 'src/index.ts'],
  built: ['dist/bot/index.js'],
};

/**
 * Starts the bot with `env` (plus PATH, HOME and a METRICS_PORT of its own) and resolves once its
 * `/healthz` answers 200 (gateway connected when it has one, a backend up), within `timeoutMs`.
 */
export async function startBotProcess(
  name: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
  entry: BotEntry = 'source',
): Promise<BotProcess> {
  const metricsPort = await freePort();
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...ENTRY_ARGS[entry]], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? REPO_ROOT,
      ...env,
      METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: the bot process did not start`);
  live.add(child);
  let done = false;
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  const logs: BotLogLine[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') logs.push(parseLine(line));
    });
  }
  const signalled = async (signal: NodeJS.Signals, graceMs: number) => {
    if (done) return;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };
  const bot: BotProcess = {
    name,
    pid,
    metricsPort,
    logs,
    exited,
    hasExited: () => done,
    stop: (graceMs = 20_000) => signalled('SIGTERM', graceMs),
    kill: () => signalled('SIGKILL', 0),
  };
  const deadline = Date.now() + timeoutMs;
  while ((await healthStatus(metricsPort)) !== 200) {
    const tail = () =>
      logs
        .slice(-15)
        .map((line) => JSON.stringify(line))
        .join('\n');
    if (done) throw new Error(`${name} exited with ${String(await exited)} while starting:\n${tail()}`);
    if (Date.now() > deadline) {
      await bot.kill();
      throw new Error(`${name} was not healthy within ${timeoutMs} ms:\n${tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return bot;
}

/** SIGKILLs every bot process still running (an afterAll's last word; a passing test stops its own). */
export async function killAllBotProcesses(): Promise<void> {
  const exits = [...live].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  for (const child of live) child.kill('SIGKILL');
  await Promise.all(exits);
}
