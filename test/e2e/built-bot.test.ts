/**
 * The bot as users run it: `npm start`, the systemd units and the Dockerfile start the bundle in
 * dist/bot/ (scripts/ensure-built.mjs builds it when the sources changed). The other end-to-end tests
 * run the sources through tsx; these run the bundle, so a dependency the bundle cannot carry (a
 * native addon, a file read from its own folder) fails here. The lazy parts are used too: sharp for
 * a batch's grid, the PostgreSQL stores, the ComfyUI engine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeComfy, startFakeComfy } from '../fakes/comfyui/server.js';
import { type FakeDiscord, startFakeDiscord } from '../fakes/discord/server.js';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type FakeWebui, startFakeWebui } from '../fakes/webui/server.js';
import { type BotProcess, killAllBotProcesses, startBotProcess } from '../support/bot-process.js';
import { startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { hasImage } from './job-helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const WAIT_MS = 30_000;

let discord: FakeDiscord;
let dir: string;
let bot: BotProcess | undefined;

const hasGrid = (message: FakeMessage) =>
  message.attachments.some((attachment) => attachment.filename === 'grid.jpg' && attachment.size > 0);

/** Error- and warning-level log lines (a grid that could not be made is a warning). */
const problems = (process: BotProcess) => process.logs.filter((line) => line.level >= 40);

const baseEnv = (): Record<string, string> => ({
  DISCORD_TOKEN: discord.token,
  DISCORD_API_URL: discord.apiUrl,
  DISCORD_GUILD_ID: discord.guildId,
  DATABASE_PATH: join(dir, 'bot.sqlite'),
  IMAGE_DIR: join(dir, 'images'),
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  // What `npm start` does first: a build only when the sources changed since the last one.
  const build = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: ROOT, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  dir = mkdtempSync(join(tmpdir(), 'sdbot-built-'));
  discord = await startFakeDiscord();
}, 180_000);

afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

afterAll(async () => {
  await killAllBotProcesses();
  await discord?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('the built bot (node dist/bot/index.js)', () => {
  it('answers /imagine, makes a batch grid with sharp, and stops with exit code 0', async () => {
    const webui: FakeWebui = await startFakeWebui();
    try {
      bot = await startBotProcess('built', { ...baseEnv(), SD_API_URL: webui.url }, 60_000, 'built');
      const single = await discord
        .sendCommand({ name: 'imagine', options: { prompt: 'apple' } })
        .waitForEdit(hasImage, WAIT_MS);
      expect(single.attachments.map((attachment) => attachment.filename)).toHaveLength(1);
      await discord
        .sendCommand({ name: 'imagine', options: { prompt: 'pear', count: 2 } })
        .waitForEdit(hasGrid, WAIT_MS);
      const running = bot;
      bot = undefined;
      await running.stop();
      expect(await running.exited).toBe(0);
      expect(problems(running)).toEqual([]);
    } finally {
      await webui.close();
    }
  }, 90_000);

  it('runs on PostgreSQL and on ComfyUI, the parts it loads only when configured', async () => {
    const [postgres, comfy]: [TestPostgres, FakeComfy] = await Promise.all([
      startTestPostgres(),
      startFakeComfy({ stepMs: 2 }),
    ]);
    try {
      bot = await startBotProcess(
        'built-postgres',
        { ...baseEnv(), SD_API_URL: comfy.url, DATABASE_URL: postgres.url, WORKER_ID: 'built' },
        60_000,
        'built',
      );
      await discord
        .sendCommand({ name: 'imagine', options: { prompt: 'plum' } })
        .waitForEdit(hasImage, WAIT_MS);
      expect(comfy.prompts.filter((prompt) => prompt.accepted)).toHaveLength(1);
      expect(problems(bot)).toEqual([]);
    } finally {
      await bot?.stop();
      bot = undefined;
      await comfy.close();
      await postgres.stop();
    }
  }, 120_000);
});
