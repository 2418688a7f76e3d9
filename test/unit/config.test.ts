import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { secretsOf, secretsOfEnv } from '../../src/secrets.js';

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

  it('lists every cross-key problem together with the problems of single keys', () => {
    const error = problems({
      ...base,
      LOG_LEVEL: 'loud',
      MAX_PIXELS: '262144',
      MAX_TOTAL_PIXELS: '100000',
      DEFAULT_WIDTH: '1024',
      DEFAULT_HEIGHT: '1024',
      SD_API_USERNAME: 'only-user',
    });
    expect(error.issues.map((issue) => issue.key).sort()).toEqual([
      'DEFAULT_WIDTH/DEFAULT_HEIGHT',
      'LOG_LEVEL',
      'MAX_TOTAL_PIXELS',
      'SD_API_USERNAME/SD_API_PASSWORD',
    ]);
    expect(error.message).toMatch(/^The configuration has 4 problems:/);
    expect(error.message).toContain('must be at least MAX_PIXELS (262144)');
    expect(error.message).toContain('must not exceed MAX_PIXELS (262144)');
  });

  it('skips a cross-key check when a key it needs has a problem of its own', () => {
    const error = problems({ ...base, MAX_PIXELS: 'lots', MAX_TOTAL_PIXELS: '5000', DEFAULT_WIDTH: '2048' });
    expect(error.issues.map((issue) => issue.key)).toEqual(['MAX_PIXELS']);
  });
});

describe('secretsOf', () => {
  it('lists the token, each password (as typed and URL-encoded) and each Basic header value', () => {
    const config = parseConfig({
      ...base,
      SD_API_URL: 'http://a:7860, https://u%40x:p%3Aw@b.example',
      SD_API_USERNAME: 'shared',
      SD_API_PASSWORD: 'sharedpw',
    });
    const basic = (pair: string) => Buffer.from(pair, 'utf8').toString('base64');
    expect(secretsOf(config)).toEqual([
      'MTIz.secret-token-value',
      'sharedpw',
      basic('shared:sharedpw'),
      'p:w',
      'p%3Aw',
      basic('u@x:p:w'),
    ]);
  });

  it('lists only the token when no backend has credentials', () => {
    expect(secretsOf(parseConfig(base))).toEqual(['MTIz.secret-token-value']);
  });
});

describe('secretsOfEnv', () => {
  it('uses the parsed configuration when it parses', () => {
    const env = { ...base, SD_API_USERNAME: 'sd', SD_API_PASSWORD: 'hunter22' };
    expect(secretsOfEnv(env)).toEqual(secretsOf(parseConfig(env)));
  });

  it('falls back to the raw token, password and passwords inside SD_API_URL when the configuration does not parse', () => {
    const secrets = secretsOfEnv({
      DISCORD_TOKEN: ' has a space ',
      SD_API_PASSWORD: 'hunter2-secret',
      SD_API_URL: 'http://op:pa%24%24word@host:7860, http://x:inner-secret@[not-a-host',
      LOG_LEVEL: 'chatty',
    });
    expect(secrets).toEqual(
      expect.arrayContaining([
        ' has a space ',
        'has a space',
        'hunter2-secret',
        'pa%24%24word',
        'pa$$word',
        'inner-secret',
        Buffer.from('op:pa$$word').toString('base64'),
      ]),
    );
    expect(secrets).not.toContain('');
  });
});
