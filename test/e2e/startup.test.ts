import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../fakes/discord/server.js';
import { startFakeWebui } from '../fakes/webui/server.js';
import { EXIT_WITH_PARENT } from '../support/bot-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the real entry point (`src/index.ts`, what `npm start` runs) in a child process. */
function runBot(cwd: string, env: Record<string, string>, until?: (stdout: string) => boolean) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const tsx = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const child = spawn(
      process.execPath,
      ['--import', EXIT_WITH_PARENT, '--import', tsx, join(ROOT, 'src', 'index.ts')],
      {
        cwd,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!signalled && until?.(stdout)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('start-up', () => {
  it('stops with one message listing every bad key, no stack trace and no secret, and exit code 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdbot-start-'));
    dirs.push(dir);
    const result = await runBot(dir, {
      DISCORD_TOKEN: 'has a space secret',
      SD_API_PASSWORD: 'hunter2-secret',
      LOG_LEVEL: 'chatty',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DISCORD_TOKEN');
    expect(result.stderr).toContain('SD_API_URL');
    expect(result.stderr).toContain('LOG_LEVEL');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('secret');
  });

  it('reads .env, logs in, registers the commands and exits 0 on SIGTERM', async () => {
    const discord = await startFakeDiscord();
    const webui = await startFakeWebui();
    const dir = mkdtempSync(join(tmpdir(), 'sdbot-start-'));
    dirs.push(dir);
    try {
      writeFileSync(
        join(dir, '.env'),
        [
          `DISCORD_TOKEN=${discord.token}`,
          `DISCORD_API_URL=${discord.apiUrl}`,
          `DISCORD_GUILD_ID=${discord.guildId}`,
          `SD_API_URL=${webui.url}`,
          'DATABASE_PATH=./data/bot.sqlite',
        ].join('\n'),
      );
      // The environment wins over .env.
      const result = await runBot(dir, { LOG_LEVEL: 'info' }, (stdout) =>
        stdout.includes('commands registered'),
      );
      expect(result.code, result.stdout.slice(-1500) + result.stderr).toBe(0);
      expect(result.stdout).toContain('logged in to Discord');
      expect(result.stdout).toContain('"msg":"stopped"');
      expect(result.stdout).not.toContain(discord.token);
      expect(
        discord.commands
          .guild(discord.guildId)
          .map((command) => command.name)
          .sort(),
      ).toEqual(['imagine', 'loras', 'models', 'queue', 'setmodel', 'settings']);
    } finally {
      await discord.close();
      await webui.close();
    }
  });
});
