import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/config.js';
import { BOT_PERMISSIONS, toInviteUrl } from '../src/doctor/invite.js';
import { checkNodeVersion, runDoctor } from '../src/doctor/run.js';
import { startFakeComfy } from './fakes/comfyui/server.js';
import { type FakeDiscord, startFakeDiscord } from './fakes/discord/server.js';
import { startFakeSdcpp } from './fakes/sdcpp/server.js';
import { type FakeWebui, type FakeWebuiOptions, startFakeWebui } from './fakes/webui/server.js';
import { freePort } from './support/ports.js';

const PASSWORD = 'hunter2-very-secret';

let discord: FakeDiscord;
let dataDir: string;
const webuis: FakeWebui[] = [];

beforeAll(async () => {
  discord = await startFakeDiscord();
  dataDir = await mkdtemp(join(tmpdir(), 'sdbot-doctor-'));
});
afterAll(async () => {
  await discord.close();
  await rm(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(webuis.splice(0).map((webui) => webui.close()));
});

async function webui(options: FakeWebuiOptions = {}): Promise<FakeWebui> {
  const started = await startFakeWebui(options);
  webuis.push(started);
  return started;
}

function envFor(sdUrl: string, extra: Env = {}): Env {
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    SD_API_URL: sdUrl,
    DATABASE_PATH: join(dataDir, 'bot.sqlite'),
    ...extra,
  };
}

async function doctor(env: Env): Promise<{ code: number; lines: string[]; text: string }> {
  const lines: string[] = [];
  const code = await runDoctor(env, { output: (line) => lines.push(line), timeoutMs: 5_000 });
  return { code, lines, text: lines.join('\n') };
}

/**
 * The first line containing `fragment` outside its URLs and file paths (a port such as 40131, or a
 * temporary folder such as sdbot-doctor-401SSC, must not match "401").
 */
function line(lines: string[], fragment: string): string {
  const aboutAnAddress = /https?:\/\/|127\.0\.0\.1/.test(fragment);
  const outsideAddresses = (candidate: string) =>
    candidate.replace(/https?:\/\/\S+/g, '').replace(/(^|\s)\/\S+/g, '$1');
  const found = lines.find((candidate) =>
    (aboutAnAddress ? candidate : outsideAddresses(candidate)).includes(fragment),
  );
  if (found === undefined) throw new Error(`no line contains "${fragment}" in:\n${lines.join('\n')}`);
  return found;
}

describe('runDoctor', () => {
  it('exits 0 and reports each check when the WebUI and Discord are healthy', async () => {
    const sd = await webui({ flavour: 'a1111' });
    const { code, lines } = await doctor(envFor(sd.url));
    expect(code).toBe(0);
    expect(line(lines, 'Configuration parses')).toMatch(/^✓/);
    expect(line(lines, 'reachable')).toBe(`✓ WebUI ${sd.url} reachable`);
    expect(line(lines, 'API enabled')).toMatch(/^✓/);
    expect(line(lines, 'models')).toMatch(/^✓ .*: 2 models, 20 samplers, 12 schedulers/);
    expect(line(lines, 'looks like')).toContain('AUTOMATIC1111 (1.9 or later');
    expect(line(lines, 'Discord token valid')).toMatch(/^✓ .*Fake SD Bot/);
    expect(line(lines, 'Invite URL')).toContain(
      `client_id=${discord.applicationId}&scope=bot+applications.commands&permissions=379904`,
    );
    expect(lines.at(-1)).toMatch(/^All checks passed/);
  });

  it('never calls a route that leaks secrets or stops the server, and only reads', async () => {
    const sd = await webui();
    await doctor(envFor(sd.url));
    const paths = sd.requests.map((request) => request.path);
    expect(paths.length).toBeGreaterThan(0);
    expect(paths.filter((path) => /cmd-flags|kill|restart|stop|shutdown|sysinfo/.test(path))).toEqual([]);
    expect(new Set(sd.requests.map((request) => request.method))).toEqual(new Set(['GET']));
  });

  it.each([
    ['forge', 'Forge'],
    ['sdnext', 'SD.Next'],
  ] as const)('names the %s flavour', async (flavour, name) => {
    const sd = await webui({ flavour });
    const { code, lines } = await doctor(envFor(sd.url));
    expect(code).toBe(0);
    expect(line(lines, 'looks like')).toContain(`looks like ${name}`);
  });

  it.each([
    ['forge-neo', 'Forge Neo', 'sizes in multiples of 64'],
    // Forge Classic and reForge answer the same routes as A1111 (≤ 1.8 and 1.10): the probe names the
    // candidates; the first generation's version tells them apart.
    ['forge-classic', 'AUTOMATIC1111 1.8 or older, or Forge Classic', 'names samplers with their schedule'],
    ['reforge', 'AUTOMATIC1111', '1.9 or later'],
  ] as const)('names the %s dialect and what it cannot do', async (flavour, name, limit) => {
    const sd = await webui({ flavour, loras: [] });
    const { code, lines, text } = await doctor(envFor(sd.url));
    expect(code).toBe(0);
    expect(line(lines, 'looks like')).toContain(`looks like ${name}`);
    expect(text).toContain(limit);
  });

  it.each([
    ['sdcpp', 'stable-diffusion.cpp'],
    ['koboldcpp', 'KoboldCpp'],
  ] as const)(
    'names %s, not AUTOMATIC1111, and says it cannot switch models or upscale',
    async (mode, name) => {
      const sd = await startFakeSdcpp({ mode });
      try {
        const { code, lines, text } = await doctor(envFor(sd.url));
        expect(code, text).toBe(0);
        expect(line(lines, 'looks like')).toContain(`looks like ${name}`);
        expect(text).not.toContain('looks like AUTOMATIC1111');
        expect(line(lines, 'cannot switch models')).toMatch(/^· .*one model, chosen when it was started/);
        expect(line(lines, 'cannot upscale images')).toMatch(/^· /);
        expect(line(lines, 'shows no progress')).toMatch(/^· /);
        // DPM++ 2M · Karras is this server's dpm++2m · karras: no warning about the default sampler.
        expect(text).not.toContain('default sampler');
      } finally {
        await sd.close();
      }
    },
  );

  it('names ComfyUI, counts its lists and says what it cannot do', async () => {
    const comfy = await startFakeComfy();
    try {
      const { code, lines, text } = await doctor(envFor(comfy.url));
      expect(code, text).toBe(0);
      expect(line(lines, 'looks like')).toContain('looks like ComfyUI 0.3.64');
      expect(line(lines, 'checkpoints')).toMatch(/^✓ .*\d+ checkpoints, \d+ samplers/);
      expect(text).not.toContain('/sdapi');
    } finally {
      await comfy.close();
    }
  });

  it('tells to start the WebUI with --api when /sdapi answers 404', async () => {
    const sd = await webui({ apiEnabled: false });
    const { code, lines } = await doctor(envFor(sd.url));
    expect(code).toBe(1);
    expect(line(lines, 'reachable')).toMatch(/^✓/);
    expect(line(lines, '404')).toMatch(/^✗ .*→ start the WebUI with --api/);
  });

  it('tells the credentials must match --api-auth when the WebUI answers 401, without printing them', async () => {
    const sd = await webui({ auth: { username: 'bot', password: 'the-real-password' } });
    const { code, lines, text } = await doctor(
      envFor(sd.url, { SD_API_USERNAME: 'bot', SD_API_PASSWORD: PASSWORD }),
    );
    expect(code).toBe(1);
    expect(line(lines, '401')).toMatch(
      /^✗ .*→ SD_API_USERNAME\/SD_API_PASSWORD must match --api-auth user:pass/,
    );
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('the-real-password');
  });

  it('asks for credentials when the WebUI needs them and none are set', async () => {
    const sd = await webui({ auth: { username: 'bot', password: PASSWORD } });
    const { code, lines } = await doctor(envFor(sd.url));
    expect(code).toBe(1);
    expect(line(lines, '401')).toContain('set SD_API_USERNAME and SD_API_PASSWORD');
  });

  it('accepts credentials given in the URL and never prints them', async () => {
    const sd = await webui({ auth: { username: 'bot', password: PASSWORD } });
    const { code, lines, text } = await doctor(envFor(sd.url.replace('http://', `http://bot:${PASSWORD}@`)));
    expect(code).toBe(0);
    expect(line(lines, 'credentials accepted')).toMatch(/^✓/);
    expect(text).not.toContain(PASSWORD);
  });

  it('reports an unreachable WebUI with the fix', async () => {
    const port = await freePort();
    const { code, lines } = await doctor(envFor(`http://127.0.0.1:${port}`));
    expect(code).toBe(1);
    expect(line(lines, 'not reachable')).toMatch(
      /^✗ .*connection refused.*→ start the WebUI, or fix the host and port/,
    );
    expect(line(lines, 'Discord token valid')).toMatch(/^✓/);
  });

  it('checks every backend and fails when one of them is down', async () => {
    const sd = await webui();
    const port = await freePort();
    const { code, lines } = await doctor(envFor(`${sd.url},http://127.0.0.1:${port}`));
    expect(code).toBe(1);
    expect(line(lines, `WebUI ${sd.url} reachable`)).toMatch(/^✓/);
    expect(line(lines, `127.0.0.1:${port} not reachable`)).toMatch(/^✗/);
  });

  it('warns when the default sampler does not exist on the server, naming what runs instead', async () => {
    const sd = await webui({ flavour: 'sdnext' });
    const { code, lines } = await doctor(envFor(sd.url, { DEFAULT_SAMPLER: 'DPM++ 2M Karras' }));
    // Issue 14: a configured default a server lacks never fails every job: it runs the nearest one.
    expect(code).toBe(0);
    expect(line(lines, 'default sampler')).toMatch(
      /^! .*Unknown sampler.*runs .* instead → set DEFAULT_SAMPLER/,
    );
  });

  it('tells to paste the token again when Discord answers 401, without printing the token', async () => {
    const sd = await webui();
    const token = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.wrong.token-that-must-not-leak';
    const { code, lines, text } = await doctor(envFor(sd.url, { DISCORD_TOKEN: token }));
    expect(code).toBe(1);
    expect(line(lines, 'Discord rejected')).toMatch(
      /^✗ .*→ the token is wrong or was reset; paste it again without spaces/,
    );
    expect(text).not.toContain(token);
    expect(text).not.toContain('token-that-must-not-leak');
    expect(text).not.toContain('Invite URL');
  });

  it('never prints the valid token either', async () => {
    const sd = await webui();
    const { text } = await doctor(envFor(sd.url));
    expect(text).not.toContain(discord.token);
  });

  it('reports an unreachable Discord API', async () => {
    const sd = await webui();
    const port = await freePort();
    const { code, lines } = await doctor(envFor(sd.url, { DISCORD_API_URL: `http://127.0.0.1:${port}/api` }));
    expect(code).toBe(1);
    expect(line(lines, 'Discord API')).toMatch(/^✗ .*not reachable.*→ check the internet connection/);
  });

  it('preselects the server in the invite URL when DISCORD_GUILD_ID is set', async () => {
    const sd = await webui();
    const { lines } = await doctor(envFor(sd.url, { DISCORD_GUILD_ID: discord.guildId }));
    expect(line(lines, 'Invite URL')).toContain(`&guild_id=${discord.guildId}&disable_guild_select=true`);
  });

  it('lists every missing key and skips the network checks when the configuration is incomplete', async () => {
    const { code, lines, text } = await doctor({ SD_API_PASSWORD: PASSWORD });
    expect(code).toBe(1);
    expect(line(lines, 'DISCORD_TOKEN')).toMatch(/^✗ Configuration: DISCORD_TOKEN is missing/);
    expect(line(lines, 'SD_API_URL')).toMatch(/^✗ Configuration: SD_API_URL is missing/);
    expect(text).not.toContain('reachable');
    expect(text).not.toContain(PASSWORD);
    expect(lines.at(-1)).toMatch(/^2 checks failed/);
  });

  it('does not print a malformed value back', async () => {
    const { code, text } = await doctor({ DISCORD_TOKEN: 'Bot abcdef123456', SD_API_URL: 'ftp://x' });
    expect(code).toBe(1);
    expect(text).toContain('DISCORD_TOKEN');
    expect(text).not.toContain('abcdef123456');
  });
});

describe('checkNodeVersion', () => {
  it.each([
    ['20.18.1', 'pass'],
    ['20.20.2', 'pass'],
    ['22.0.0', 'pass'],
    ['v20.18.0', 'fail'],
    ['18.20.4', 'fail'],
  ])('judges Node.js %s as %s', (version, status) => {
    expect(checkNodeVersion(version).status).toBe(status);
  });
});

describe('toInviteUrl', () => {
  it('asks for exactly the permissions the bot uses', () => {
    // View Channel 1024 + Send Messages 2048 + Embed Links 16384 + Attach Files 32768
    // + Read Message History 65536 + Use External Emojis 262144
    expect(BOT_PERMISSIONS).toBe(379_904n);
    expect(toInviteUrl('123')).toBe(
      'https://discord.com/oauth2/authorize?client_id=123&scope=bot+applications.commands&permissions=379904',
    );
  });
});
