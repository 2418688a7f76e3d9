import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS, type FakeModel, samplerList } from '../fakes/webui/catalog.js';
import { type Harness, startHarness } from './harness.js';

const V15 = 'v1-5-pruned-emaonly.safetensors [6ce0161689]';
const CHILLOUT = 'chilloutmix-Ni.safetensors [7234b76e42]';

/** Discord's limit on autocomplete choices; the fake refuses more. */
const MAX_CHOICES = 25;
/** Discord drops an autocomplete answer that comes later than this. */
const DEADLINE_MS = 3000;

function manyModels(count: number): FakeModel[] {
  return Array.from({ length: count }, (_, index) => {
    const name = `landscape-${String(index).padStart(2, '0')}`;
    const hash = `${String(index).padStart(2, '0')}ab12cd34`;
    return {
      title: `${name}.safetensors [${hash}]`,
      model_name: name,
      hash,
      sha256: `${hash}${'0'.repeat(54)}`,
      filename: `/models/Stable-diffusion/${name}.safetensors`,
      config: null,
    };
  });
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('autocomplete end to end', () => {
  it('offers every sampler containing the query, starting-with first, well within 3 s', async () => {
    harness = await startHarness();
    const answer = await harness.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', sampler: 'DPM' },
      focused: 'sampler',
    });
    expect(answer.rejected).toBeNull();
    expect(answer.delayMs).toBeLessThan(DEADLINE_MS);
    expect(answer.choices.length).toBeGreaterThan(0);
    expect(answer.choices.length).toBeLessThanOrEqual(MAX_CHOICES);
    for (const choice of answer.choices) {
      expect(choice.name.toLowerCase()).toContain('dpm');
      expect(choice.value).toBe(choice.name);
    }
    const expected = samplerList('a1111')
      .map((sampler) => sampler.name)
      .filter((name) => name.toLowerCase().includes('dpm'));
    expect(answer.choices.map((choice) => choice.value).sort()).toEqual([...expected].sort());
  });

  it('ranks names that start with the query before those that only contain it', async () => {
    harness = await startHarness();
    const answer = await harness.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', scheduler: 'uni' },
      focused: 'scheduler',
    });
    expect(answer.rejected).toBeNull();
    expect(answer.delayMs).toBeLessThan(DEADLINE_MS);
    expect(answer.choices.map((choice) => choice.value)).toEqual(['Uniform', 'SGM Uniform']);
  });

  it('offers the scheduler labels the WebUI lists', async () => {
    harness = await startHarness();
    const answer = await harness.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', scheduler: 'kar' },
      focused: 'scheduler',
    });
    expect(answer.rejected).toBeNull();
    expect(answer.choices).toEqual([{ name: 'Karras', value: 'Karras' }]);
  });

  it.each([
    ['imagine', '6ce0', V15, 'the short hash'],
    ['setmodel', '6ce0', V15, 'the short hash'],
    ['imagine', 'chilloutmix-Ni', CHILLOUT, 'the model name'],
    ['setmodel', 'chilloutmix-Ni', CHILLOUT, 'the model name'],
    ['imagine', 'v1-5-pruned-emaonly.safetensors', V15, 'the title'],
    ['setmodel', 'v1-5-pruned-emaonly.safetensors', V15, 'the title'],
    ['imagine', 'v15 pruned', V15, 'a loose spelling'],
    ['setmodel', 'CHLMX', CHILLOUT, 'a subsequence, any case'],
  ])('/%s model autocomplete matches %j to %s (%s)', async (command, query, title) => {
    harness = await startHarness();
    const options = command === 'imagine' ? { prompt: 'x', model: query } : { model: query };
    const answer = await harness.discord.sendAutocomplete({ name: command, options, focused: 'model' });
    expect(answer.rejected).toBeNull();
    expect(answer.delayMs).toBeLessThan(DEADLINE_MS);
    expect(answer.choices[0]).toEqual({ name: title, value: title });
    expect(answer.choices.map((choice) => choice.value)).toContain(title);
    // Only real matches: the other default model does not match these queries.
    expect(answer.choices).toHaveLength(1);
  });

  it('lists every model for an empty query', async () => {
    harness = await startHarness();
    const answer = await harness.discord.sendAutocomplete({
      name: 'setmodel',
      options: { model: '' },
      focused: 'model',
    });
    expect(answer.rejected).toBeNull();
    expect(answer.choices.map((choice) => choice.value).sort()).toEqual(
      DEFAULT_MODELS.map((model) => model.title).sort(),
    );
  });

  it('never offers more than 25 choices when more models match', async () => {
    harness = await startHarness({ webuis: [{ models: manyModels(40) }] });
    const answer = await harness.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', model: 'landscape' },
      focused: 'model',
    });
    expect(answer.rejected).toBeNull();
    expect(answer.delayMs).toBeLessThan(DEADLINE_MS);
    expect(answer.choices).toHaveLength(MAX_CHOICES);
    for (const choice of answer.choices) expect(choice.value).toMatch(/^landscape-\d\d\.safetensors/);
  });

  it('answers with an empty list within 3 s when the WebUI hangs before any list was fetched', async () => {
    harness = await startHarness({ env: { SD_REQUEST_TIMEOUT_SECONDS: '5' } });
    // Restart so the new bot's catalog is cold and its first fetches hang.
    harness.webui.failNext('hang', { path: '*', times: 10 });
    await harness.restart();
    const { discord } = harness;
    const answers = await Promise.all([
      discord.sendAutocomplete({
        name: 'imagine',
        options: { prompt: 'x', sampler: 'DPM' },
        focused: 'sampler',
      }),
      discord.sendAutocomplete({
        name: 'imagine',
        options: { prompt: 'x', scheduler: 'kar' },
        focused: 'scheduler',
      }),
      discord.sendAutocomplete({ name: 'setmodel', options: { model: '6ce0' }, focused: 'model' }),
    ]);
    for (const [index, answer] of answers.entries()) {
      expect(answer.rejected, `answer ${index}`).toBeNull();
      expect(answer.delayMs, `answer ${index}`).toBeLessThan(DEADLINE_MS);
      expect(answer.choices, `answer ${index}`).toEqual([]);
    }
  });

  it('answers from the cache within 3 s when the WebUI starts hanging later', async () => {
    harness = await startHarness({ env: { SD_REQUEST_TIMEOUT_SECONDS: '5' } });
    const warm = await harness.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', sampler: 'DPM' },
      focused: 'sampler',
    });
    expect(warm.choices.length).toBeGreaterThan(0);
    harness.webui.failNext('hang', { path: '*', times: 10 });
    const answer = await harness.discord.sendAutocomplete({
      name: 'imagine',
      options: { prompt: 'x', sampler: 'DPM' },
      focused: 'sampler',
    });
    expect(answer.rejected).toBeNull();
    expect(answer.delayMs).toBeLessThan(DEADLINE_MS);
    expect(answer.choices).toEqual(warm.choices);
  });
});
