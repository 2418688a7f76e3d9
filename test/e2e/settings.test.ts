import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, requestsTo, startHarness } from './harness.js';
import { hasImage, runSettings } from './settings-driver.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

type Txt2Img = {
  steps: number;
  width: number;
  height: number;
  sampler_name: string;
  scheduler?: string;
  negative_prompt: string;
  override_settings?: { sd_model_checkpoint: string };
};
const lastTxt2Img = (h: Harness) =>
  requestsTo(h.webui, '/sdapi/v1/txt2img').at(-1)?.body as Txt2Img | undefined;

describe('/settings end to end', () => {
  it('changes the server’s /imagine defaults, checked against the live lists, and keeps them across a restart', async () => {
    harness = await startHarness();
    const h = harness;
    const changed = await runSettings(h, {
      subcommand: 'defaults',
      options: {
        steps: 12,
        width: 768,
        height: 384,
        sampler: 'Euler a',
        negative_prompt: 'blurry',
        model: 'v1-5-pruned-emaonly',
      },
    });
    expect(changed.ephemeral).toBe(true);
    expect(changed.text).toContain('Default steps: 12.');
    expect(changed.text).toContain('Default size: 768×384.');
    expect(changed.text).toContain('Default model: v1-5-pruned-emaonly.safetensors [6ce0161689].');

    await h.restart();
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'a tree' } })
      .waitForEdit(hasImage, 15_000);
    expect(lastTxt2Img(h)).toMatchObject({
      steps: 12,
      width: 768,
      height: 384,
      sampler_name: 'Euler a',
      scheduler: 'Automatic',
      negative_prompt: 'blurry',
      override_settings: { sd_model_checkpoint: 'v1-5-pruned-emaonly.safetensors [6ce0161689]' },
    });
    // What the member types still wins.
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'a tree', steps: 5, negative_prompt: 'red' } })
      .waitForEdit(hasImage, 15_000);
    expect(lastTxt2Img(h)).toMatchObject({ steps: 5, negative_prompt: 'red', width: 768 });

    const view = await runSettings(h, { subcommand: 'view' });
    expect(view.text).toContain('Size: 768×384');
    expect(view.text).toContain('Steps: 12');
    expect(view.text).toContain('Model: **v1-5-pruned-emaonly.safetensors [6ce0161689]**');

    expect((await runSettings(h, { subcommand: 'defaults', options: { reset: 'all' } })).text).toMatch(
      /Reset every server default/,
    );
    await h.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'a tree' } })
      .waitForEdit(hasImage, 15_000);
    expect(lastTxt2Img(h)).toMatchObject({
      steps: 20,
      width: 512,
      height: 512,
      sampler_name: 'DPM++ 2M',
      scheduler: 'Karras',
      negative_prompt: '',
    });
  });

  it('refuses bad values with every problem listed and changes nothing', async () => {
    harness = await startHarness();
    const h = harness;
    const refused = await runSettings(h, {
      subcommand: 'defaults',
      options: { steps: 51, width: 500, sampler: 'Eulerish', model: 'no-such-model' },
    });
    expect(refused.text).toMatch(/^Nothing was changed:/);
    expect(refused.text).toContain('Steps must be a whole number from 1 to 50 (MAX_STEPS).');
    expect(refused.text).toContain('Width must be a multiple of 8 from 64 to 2048 (got 500).');
    expect(refused.text).toContain('Unknown sampler "Eulerish". This server has:');
    expect(refused.text).toContain('Unknown model "no-such-model".');
    const tooBig = await runSettings(h, { subcommand: 'defaults', options: { width: 2048, height: 1024 } });
    expect(tooBig.text).toContain('the limit (MAX_PIXELS) is 1048576');
    const badPattern = await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'add',
      options: { term: '/(cat)\\1/' },
    });
    // Nested repetitions such as (a+)+ are fine since patterns run on RE2JS; backreferences are not.
    expect(badPattern.text).toContain('does not support: backreferences');

    const view = await runSettings(h, { subcommand: 'view' });
    expect(view.text).toContain('Steps: 20 *(bot default)*');
    expect(view.text).toContain('Size: 512×512 *(bot default)*');
    expect(view.text).toContain('Blocked terms: 0');
  });

  it('keeps policies and blocked words across a restart', async () => {
    harness = await startHarness();
    const h = harness;
    await runSettings(h, {
      subcommand: 'policy',
      options: { nsfw_mode: 'spoiler', cooldown_seconds: 90, hourly_limit: 40 },
    });
    await runSettings(h, { subcommandGroup: 'blocked-words', subcommand: 'add', options: { term: 'gore' } });
    await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'add',
      options: { term: '/bl(oo|u)d/' },
    });
    await h.restart();

    const view = await runSettings(h, { subcommand: 'view' });
    expect(view.text).toContain('Outside age-restricted channels: images are posted as spoilers');
    expect(view.text).toContain('Cooldown per member: 90 seconds');
    expect(view.text).toContain('Requests per hour (server): 40');
    expect(view.text).toContain('Blocked terms: 2');
    const list = await runSettings(h, { subcommandGroup: 'blocked-words', subcommand: 'list' });
    expect(list.text).toBe('This server blocks 2 terms:\n• `gore`\n• `/bl(oo|u)d/`');

    const removed = await runSettings(h, {
      subcommandGroup: 'blocked-words',
      subcommand: 'remove',
      options: { term: 'GORE' },
    });
    expect(removed.text).toBe('Blocked term removed (1 left).');
    await runSettings(h, { subcommand: 'policy', options: { clear: 'cooldown' } });
    const after = await runSettings(h, { subcommand: 'view' });
    expect(after.text).toContain('Cooldown per member: off *(bot default)*');
  });

  it('refuses members without Manage Server', async () => {
    harness = await startHarness();
    const refused = await runSettings(harness, {
      subcommand: 'policy',
      options: { hourly_limit: 1 },
      permissions: '0',
    });
    expect(refused).toEqual({
      text: 'Changing this server’s settings needs the Manage Server permission.',
      ephemeral: true,
    });
  });
});
