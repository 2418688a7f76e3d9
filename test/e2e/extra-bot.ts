import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type BotHandle, startBot } from '../../src/index.js';
import { type FakeWebui, startFakeWebui } from '../fakes/webui/server.js';
import { type Harness, SD_PASSWORD, SD_USER } from './harness.js';

/** Another bot process (in this one) on the harness's Discord and queue, with a WebUI of its own. */
export interface ExtraBot {
  bot: BotHandle;
  webui: FakeWebui;
  dir: string;
  /** Its log lines, as JSON text. */
  logs: string[];
}

/**
 * Starts it with the harness's environment, its own WebUI as SD_API_URL and a SQLite file in a folder
 * of its own, then `env` over that.
 */
export async function startExtraBot(
  h: Harness,
  env: Record<string, string>,
  generationMs: number,
): Promise<ExtraBot> {
  const webui = await startFakeWebui({ auth: { username: SD_USER, password: SD_PASSWORD }, generationMs });
  const dir = mkdtempSync(join(tmpdir(), 'sdbot-extra-'));
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  const bot = await startBot(
    { ...h.env, SD_API_URL: webui.url, DATABASE_PATH: join(dir, 'bot.sqlite'), ...env },
    { logDestination },
  ).catch(async (error: unknown) => {
    await webui.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  return { bot, webui, dir, logs };
}

/** Its error-level log lines. */
export const extraErrors = (extra: ExtraBot | undefined): string[] =>
  (extra?.logs ?? []).filter((line) => line.includes('"level":50'));

/** Stops it and removes its WebUI and folder. */
export async function stopExtraBot(extra: ExtraBot): Promise<void> {
  await extra.bot.stop();
  await extra.webui.close();
  rmSync(extra.dir, { recursive: true, force: true });
}
