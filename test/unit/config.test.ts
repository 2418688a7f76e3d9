import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

const base = { DISCORD_TOKEN: 'MTIz.secret-token-value', SD_API_URL: 'http://127.0.0.1:7860' };

function problems(env: Record<string, string | undefined>): ConfigError {
  try {
    parseConfig(env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('applies the defaults the issue names when only the required keys are set', () => {
    const config = parseConfig(base);
    expect(config.discord.apiUrl).toBe('https://discord.com/api');
    expect(config.defaults).toMatchObject({
      steps: 20,
      cfgScale: 7,
      width: 512,
      height: 512,
      sampler: 'DPM++ 2M',
      scheduler: 'Karras',
    });
    expect(config.backends).toEqual([
      { url: 'http://127.0.0.1:7860', username: undefined, password: undefined },
    ]);
    expect(config.databasePath).toBe('./data/bot.sqlite');
    expect(config.logLevel).toBe('info');
  });

  it('defaults the scheduling, transport and retention switches', () => {
    const config = parseConfig(base);
    expect(config.jobs.modelAffinity).toBe(true);
    expect(config.sdGzip).toBe(false);
    expect(config.results.retentionDays).toBe(30);
    const changed = parseConfig({
      ...base,
      SCHEDULER_MODEL_AFFINITY: 'false',
      SD_ACCEPT_GZIP: 'true',
      IMAGE_RETENTION_DAYS: '0',
    });
    expect(changed.jobs.modelAffinity).toBe(false);
    expect(changed.sdGzip).toBe(true);
    expect(changed.results.retentionDays).toBe(0);
  });

  it('splits several backends and takes credentials from the URL over the shared ones', () => {
    const config = parseConfig({
      ...base,
      SD_API_URL: 'http://a:7860/, https://u%40x:p%3Aw@b.example:443/sdapi/v1',
      SD_API_USERNAME: 'shared',
      SD_API_PASSWORD: 'sharedpw',
    });
    expect(config.backends).toEqual([
      { url: 'http://a:7860', username: 'shared', password: 'sharedpw' },
      { url: 'https://b.example', username: 'u@x', password: 'p:w' },
    ]);
  });

  it.each([
    [{ SD_API_URL: base.SD_API_URL }, 'DISCORD_TOKEN', /missing/],
    [{ ...base, DISCORD_TOKEN: 'abc def' }, 'DISCORD_TOKEN', /white space/],
    [{ ...base, DISCORD_TOKEN: 'Bot abc' }, 'DISCORD_TOKEN', /without the "Bot " prefix|white space/],
    [{ DISCORD_TOKEN: 'x' }, 'SD_API_URL', /missing/],
    [{ ...base, SD_API_URL: 'not a url' }, 'SD_API_URL', /not a URL/],
    [{ ...base, SD_API_URL: 'ftp://host' }, 'SD_API_URL', /http/],
    [{ ...base, DISCORD_GUILD_ID: '12' }, 'DISCORD_GUILD_ID', /17 to 20 digits/],
    [{ ...base, DISCORD_API_URL: 'nope' }, 'DISCORD_API_URL', /http/],
    [{ ...base, LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /one of/],
    [{ ...base, DEFAULT_STEPS: 'many' }, 'DEFAULT_STEPS', /whole number/],
    [{ ...base, MAX_IMAGES: '9' }, 'MAX_IMAGES', /at most 4/],
    [{ ...base, SD_API_USERNAME: 'only-user' }, 'SD_API_USERNAME/SD_API_PASSWORD', /both or neither/],
  ])('reports %j as a problem with %s', (env, key, message) => {
    const error = problems(env);
    const issue = error.issues.find((candidate) => candidate.key === key);
    expect(issue?.problem).toMatch(message);
    expect(error.message).toContain(key);
  });

  it('lists every problem in one message and never echoes a secret value', () => {
    const error = problems({
      DISCORD_TOKEN: 'super secret token',
      SD_API_URL: 'http://user:hunter2@',
      SD_API_PASSWORD: 'hunter2',
      LOG_LEVEL: 'loud',
    });
    expect(error.issues.length).toBeGreaterThanOrEqual(3);
    expect(error.message).not.toContain('super secret token');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toMatch(/\.env/);
  });
});
