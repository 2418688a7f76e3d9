import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type BotHandle, startBot } from '../../src/index.js';
import { type FakeComfy, type FakeComfyOptions, startFakeComfy } from '../fakes/comfyui/server.js';
import { type FakeDiscord, type FakeDiscordOptions, startFakeDiscord } from '../fakes/discord/server.js';
import { type FakeSdcpp, type FakeSdcppOptions, startFakeSdcpp } from '../fakes/sdcpp/server.js';
import { type FakeWebui, type FakeWebuiOptions, startFakeWebui } from '../fakes/webui/server.js';

export const SD_USER = 'sd-operator';
export const SD_PASSWORD = 'pa55-w0rd-for-tests';

export interface HarnessOptions {
  webuis?: FakeWebuiOptions[];
  /** stable-diffusion.cpp / KoboldCpp fakes, listed in SD_API_URL after the WebUIs. */
  sdcpps?: FakeSdcppOptions[];
  /** ComfyUI fakes, listed in SD_API_URL after the stable-diffusion.cpp ones. */
  comfys?: FakeComfyOptions[];
  discord?: FakeDiscordOptions;
  env?: Record<string, string>;
}

export interface Harness {
  discord: FakeDiscord;
  webuis: FakeWebui[];
  sdcpps: FakeSdcpp[];
  comfys: FakeComfy[];
  webui: FakeWebui;
  bot: BotHandle;
  env: Record<string, string>;
  /** Every log line the bot wrote, raw JSON text. */
  logs: string[];
  /** Stops the bot (as SIGTERM would) and starts it again on the same database. */
  restart(extraEnv?: Record<string, string>): Promise<BotHandle>;
  close(): Promise<void>;
}

/** Starts a fake Discord, fake WebUI(s) and the real bot through its composition root. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const discord = await startFakeDiscord(options.discord);
  const webuis = await Promise.all(
    (options.webuis ?? (options.sdcpps === undefined && options.comfys === undefined ? [{}] : [])).map(
      (webui) => startFakeWebui({ auth: { username: SD_USER, password: SD_PASSWORD }, ...webui }),
    ),
  );
  const sdcpps = await Promise.all((options.sdcpps ?? []).map((sdcpp) => startFakeSdcpp(sdcpp)));
  const comfys = await Promise.all((options.comfys ?? []).map((comfy) => startFakeComfy(comfy)));
  const dir = mkdtempSync(join(tmpdir(), 'sdbot-e2e-'));
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      callback();
    },
  });
  const env: Record<string, string> = {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    DISCORD_GUILD_ID: discord.guildId,
    SD_API_URL: [...webuis, ...sdcpps, ...comfys].map((server) => server.url).join(','),
    SD_API_USERNAME: SD_USER,
    SD_API_PASSWORD: SD_PASSWORD,
    DATABASE_PATH: join(dir, 'bot.sqlite'),
    LOG_LEVEL: 'debug',
    PROGRESS_INTERVAL_MS: '250',
    SD_REQUEST_TIMEOUT_SECONDS: '10',
    SHUTDOWN_GRACE_SECONDS: '5',
    ...options.env,
  };
  let bot: BotHandle;
  try {
    bot = await startBot(env, { logDestination });
  } catch (error: unknown) {
    await Promise.all([
      discord.close(),
      ...[...webuis, ...sdcpps, ...comfys].map((server) => server.close()),
    ]);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const harness: Harness = {
    discord,
    webuis,
    sdcpps,
    comfys,
    webui: webuis[0] as FakeWebui,
    bot,
    env,
    logs,
    async restart(extraEnv = {}) {
      await harness.bot.stop();
      Object.assign(env, extraEnv);
      harness.bot = await startBot(env, { logDestination });
      return harness.bot;
    },
    async close() {
      await harness.bot.stop().catch(() => undefined);
      await Promise.all([
        discord.close(),
        ...[...webuis, ...sdcpps, ...comfys].map((server) => server.close()),
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The requests the fake WebUI received on one path. */
export function requestsTo(webui: Pick<FakeWebui, 'requests'>, path: string) {
  return webui.requests.filter((request) => request.path === path);
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}
