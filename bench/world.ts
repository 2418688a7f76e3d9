/**
 * One benchmark world: a fake Discord and fake WebUI(s) hosted in this process, and the real bot in
 * a child process pointed at them over loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from '../test/fakes/comfyui/server.js';
import type { CommandOptions } from '../test/fakes/discord/driver.js';
import type { InteractionHandle } from '../test/fakes/discord/interaction-handle.js';
import { type FakeDiscord, startFakeDiscord } from '../test/fakes/discord/server.js';
import type { FakeMessage } from '../test/fakes/discord/types.js';
import { type FakeWebui, type FakeWebuiOptions, startFakeWebui } from '../test/fakes/webui/server.js';
import { type BotEntry, type BotProcess, freePort, spawnBot } from './bot-process.js';
import { type Stamp, startWebuiHost, type WebuiHost } from './webui-host.js';

export interface World {
  discord: FakeDiscord;
  /** The fake WebUIs in this process: none with `WorldOptions.webuisApart`. */
  webuis: FakeWebui[];
  /** Per WebUI (as `WorldOptions.webuis` lists them, in this process or apart), its requests so far. */
  stamps(): Promise<Stamp[][]>;
  /** CPU time of the WebUIs' own process so far, ms (0 when they run in this one). */
  webuiCpuMs(): number;
  /** ComfyUI fakes, after the WebUIs in SD_API_URL. */
  comfys: FakeComfy[];
  /** The front process: the gateway (BOT_ROLE=all, a worker too, unless `env` says BOT_ROLE=gateway). */
  bot: BotProcess;
  /** Further processes with BOT_ROLE=worker on the front's DATABASE_URL, as `WorldOptions.workers` lists them. */
  workers: BotProcess[];
  /** From the spawn to the fake gateway receiving IDENTIFY, ms: when the bot is ready to log in. */
  identifyMs: number;
  close(): Promise<void>;
}

/** What every world of one bench run shares: how to start the bot, and where its warnings go. */
export interface BenchContext {
  entry: BotEntry;
  /** Warn-level log lines of every bot started so far. */
  warnings: string[];
}

export interface WorldOptions {
  context: BenchContext;
  webuis: FakeWebuiOptions[];
  /**
   * The WebUIs in a process of their own (`bench/webui-host.ts`), as a GPU server is: its service
   * time then does not wait on the fake Discord's turns. Only their stamps are seen (`World.stamps`).
   */
  webuisApart?: boolean;
  comfys?: FakeComfyOptions[];
  /** Bot configuration over the bench defaults (every process's). */
  env?: Record<string, string>;
  /** The WebUIs (indexes into `webuis`) in the front's SD_API_URL; default: all. */
  frontBackends?: number[];
  /**
   * Worker processes (BOT_ROLE=worker, WORKER_ID worker-1…, a SQLite file of their own) on the
   * DATABASE_URL of `env`, each with the WebUIs it lists (default: all) and every ComfyUI.
   */
  workers?: { backends?: number[] }[];
}

/** What every bench bot gets: quiet logs, limits wide enough for the workloads, 2048² allowed. */
const BASE_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  SD_REQUEST_TIMEOUT_SECONDS: '120',
  SHUTDOWN_GRACE_SECONDS: '2',
  MAX_PIXELS: String(2048 * 2048),
  MAX_PENDING_PER_USER: '100',
  MAX_QUEUE_LENGTH: '10000',
};

async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const countOptions = (requests: readonly Stamp[]) =>
  requests.filter((request) => request.method === 'GET' && request.path === '/sdapi/v1/options').length;

/** Commands registered, and each backend asked which model it has loaded (for affinity) by every process listing it. */
async function untilReady(
  discord: FakeDiscord,
  stamps: () => Promise<Stamp[][]>,
  comfys: FakeComfy[],
  listings: number[][],
): Promise<void> {
  await until(
    () => discord.commands.guild(discord.guildId).some((command) => command.name === 'imagine'),
    'command registration',
  );
  await until(
    async () =>
      (await stamps()).every(
        (requests, i) => countOptions(requests) >= listings.filter((listed) => listed.includes(i)).length,
      ),
    'the first /options of each backend from each process',
  );
  await until(
    () => comfys.every((comfy) => comfy.requests.some((request) => request.path === '/object_info')),
    'the first /object_info of each ComfyUI',
  );
}

export async function startWorld(options: WorldOptions): Promise<World> {
  const discord = await startFakeDiscord();
  const apart: WebuiHost | null = options.webuisApart === true ? await startWebuiHost(options.webuis) : null;
  const webuis =
    apart === null ? await Promise.all(options.webuis.map((webui) => startFakeWebui(webui))) : [];
  const webuiUrls = apart?.urls ?? webuis.map((webui) => webui.url);
  const stamps = async (): Promise<Stamp[][]> => apart?.stamps() ?? webuis.map((webui) => webui.requests);
  const comfys = await Promise.all((options.comfys ?? []).map((comfy) => startFakeComfy(comfy)));
  const dir = mkdtempSync(join(tmpdir(), 'sdbot-bench-'));
  const all = webuiUrls.map((_, i) => i);
  const listings = [options.frontBackends ?? all, ...(options.workers ?? []).map((w) => w.backends ?? all)];
  const envFor = (listed: number[], own: Record<string, string>) => ({
    ...BASE_ENV,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_ID: discord.guildId,
    SD_API_URL: [...listed.map((i) => webuiUrls[i] as string), ...comfys.map((comfy) => comfy.url)].join(','),
    // One folder of kept images for every process, as a shared queue needs.
    IMAGE_DIR: join(dir, 'images'),
    ...options.env,
    ...own,
  });
  const spawned: BotProcess[] = [];
  const stopAll = async () => {
    await Promise.all(spawned.map((bot) => bot.stop()));
    for (const bot of spawned) options.context.warnings.push(...bot.warnings);
    await Promise.all([
      discord.close(),
      ...webuis.map((webui) => webui.close()),
      apart?.close(),
      ...comfys.map((comfy) => comfy.close()),
    ]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const identified = discord.waitForIdentify(60_000).then(() => performance.now());
    const [front, ...workerListings] = listings as [number[], ...number[][]];
    const bot = await spawnBot(
      options.context.entry,
      envFor(front, { DATABASE_PATH: join(dir, 'bot.sqlite') }),
      await freePort(),
    );
    spawned.push(bot);
    const identifyMs = (await identified) - bot.spawnedAt;
    const workers = await Promise.all(
      workerListings.map(async (listed, i) => {
        const env = envFor(listed, {
          BOT_ROLE: 'worker',
          WORKER_ID: `worker-${i + 1}`,
          DATABASE_PATH: join(dir, `worker-${i + 1}.sqlite`),
        });
        const worker = await spawnBot(options.context.entry, env, await freePort());
        spawned.push(worker);
        return worker;
      }),
    );
    await untilReady(discord, stamps, comfys, listings);
    const webuiCpuMs = () => apart?.cpuMs() ?? 0;
    return { discord, webuis, stamps, webuiCpuMs, comfys, bot, workers, identifyMs, close: stopAll };
  } catch (error: unknown) {
    await stopAll();
    throw error;
  }
}

/** A member of the fake guild: `i` picks a distinct snowflake. */
export function member(i: number): { id: string; username: string } {
  return { id: `1300000000000001${String(i).padStart(3, '0')}`, username: `member${i}` };
}

export function imagine(world: World, who: number, options: CommandOptions): InteractionHandle {
  return world.discord.sendCommand({ name: 'imagine', options, user: member(who) });
}

const hasCancel = (message: FakeMessage) =>
  (message.components as { components?: { custom_id?: string }[] }[]).some((row) =>
    (row.components ?? []).some((component) => component.custom_id?.startsWith('cancel:') === true),
  );

/** A file of the result, not the live preview. */
export const isResultFile = (filename: string) => !/^(SPOILER_)?preview\./.test(filename);

export interface Outcome {
  ok: boolean;
  message: FakeMessage;
}

/** Waits for the job's final state (no Cancel button any more): ok when it carries the image(s). */
export async function waitForOutcome(handle: InteractionHandle, timeoutMs = 120_000): Promise<Outcome> {
  const message = await handle.waitForEdit((candidate) => !hasCancel(candidate), timeoutMs);
  return { ok: message.attachments.some((attachment) => isResultFile(attachment.filename)), message };
}
