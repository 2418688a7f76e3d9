import { describe, expect, it } from 'vitest';
import { render } from '../../src/i18n/translate.js';
import {
  compileBlockedTerms,
  findBlockedTerm,
  parseBlockedTerm,
  renderBlockedRefusal,
} from '../../src/policy/blocked-terms.js';
import {
  applyChannelPolicy,
  type PolicyDefaults,
  parsePolicy,
  serializePolicy,
  toEffectivePolicy,
  toServerDefaults,
} from '../../src/policy/policy.js';
import {
  addBlockedTerm,
  planDefaultsChange,
  planPolicyChange,
  removeBlockedTerm,
} from '../../src/policy/settings-changes.js';

const CONFIGURED = {
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  sampler: 'DPM++ 2M',
  scheduler: 'Karras',
  negativePrompt: '',
};
const LIMITS = { maxSteps: 50, maxPixels: 1_048_576, maxCount: 4, maxPromptLength: 1000 };
const POLICY_DEFAULTS: PolicyDefaults = {
  nsfwMode: 'off',
  sfwNegativePrompt: 'nsfw, nude',
  cooldownSeconds: 0,
  hourlyLimit: 0,
  bypassManageServer: false,
};
const SAMPLERS = ['DPM++ 2M', 'Euler a'].map((name) => ({ name, aliases: [] }));
const SCHEDULERS = [
  { name: 'karras', label: 'Karras', aliases: [] },
  { name: 'exponential', label: 'Exponential', aliases: [] },
];
const EMPTY = { blockedTerms: [], defaults: {} };

describe('parsePolicy', () => {
  it.each([
    ['nothing stored', undefined],
    ['broken JSON', '{"nsfwMode":'],
    ['a JSON array', '[1,2]'],
  ])('gives the empty policy for %s', (_label, json) => {
    expect(parsePolicy(json)).toEqual(EMPTY);
  });

  it('keeps the valid fields and drops the invalid ones', () => {
    const policy = parsePolicy(
      JSON.stringify({
        nsfwMode: 'spoiler',
        cooldownSeconds: -5,
        hourlyLimit: 10,
        blockedTerms: ['cat'],
        defaults: { steps: 30, width: 500 },
      }),
    );
    expect(policy).toEqual({
      nsfwMode: 'spoiler',
      hourlyLimit: 10,
      blockedTerms: ['cat'],
      defaults: { steps: 30 },
    });
  });

  it('round-trips through serializePolicy', () => {
    const policy = {
      nsfwMode: 'both' as const,
      blockedTerms: ['a', '/b+/'],
      auditChannelId: '123456789012345678',
      defaults: { steps: 12 },
    };
    expect(parsePolicy(serializePolicy(policy))).toEqual(policy);
  });
});

describe('toEffectivePolicy and toServerDefaults', () => {
  it('overlays the server’s choices on the configured defaults', () => {
    const effective = toEffectivePolicy({ ...EMPTY, cooldownSeconds: 30 }, POLICY_DEFAULTS);
    expect(effective).toMatchObject({
      nsfwMode: 'off',
      cooldownSeconds: 30,
      hourlyLimit: 0,
      sfwNegativePrompt: 'nsfw, nude',
    });
    const defaults = toServerDefaults(
      CONFIGURED,
      { ...EMPTY, defaults: { steps: 30, width: 768, negativePrompt: 'blurry' } },
      LIMITS.maxPixels,
    );
    expect(defaults).toEqual({ ...CONFIGURED, steps: 30, width: 768, negativePrompt: 'blurry' });
  });

  it('ignores a stored size that no longer fits MAX_PIXELS', () => {
    const defaults = toServerDefaults(
      CONFIGURED,
      { ...EMPTY, defaults: { width: 1024, height: 1024 } },
      512 * 512,
    );
    expect([defaults.width, defaults.height]).toEqual([512, 512]);
  });
});

describe('applyChannelPolicy', () => {
  const policy = (nsfwMode: 'off' | 'negative-prompt' | 'spoiler' | 'both') => ({
    nsfwMode,
    sfwNegativePrompt: 'nsfw, nude',
  });
  it.each([
    ['off', false, 'red', { negativePrompt: 'red', spoiler: false }],
    ['negative-prompt', false, 'red', { negativePrompt: 'red, nsfw, nude', spoiler: false }],
    ['negative-prompt', false, '', { negativePrompt: 'nsfw, nude', spoiler: false }],
    ['negative-prompt', false, 'NSFW, NUDE, red', { negativePrompt: 'NSFW, NUDE, red', spoiler: false }],
    ['spoiler', false, 'red', { negativePrompt: 'red', spoiler: true }],
    ['both', false, 'red', { negativePrompt: 'red, nsfw, nude', spoiler: true }],
    ['both', true, 'red', { negativePrompt: 'red', spoiler: false }],
  ] as const)('mode %s, age-restricted %s, negative "%s"', (mode, ageRestricted, negative, expected) => {
    expect(applyChannelPolicy(negative, policy(mode), ageRestricted)).toEqual(expected);
  });
});

describe('blocked terms', () => {
  const terms = compileBlockedTerms(['cat', 'hot dog', '/b[a4]nana/', 'ünïcode']);

  it.each([
    ['a whole word, any case', 'A CAT sits', { field: 'prompt', kind: 'word', word: 'cat' }],
    ['a phrase with extra spaces', 'a hot   dog', { field: 'prompt', kind: 'word', word: 'hot dog' }],
    ['a word hidden with a zero-width space', 'c\u200bat', { field: 'prompt', kind: 'word', word: 'cat' }],
    [
      'a word split by a control character (removed before the WebUI sees it)',
      'c\u0000a\u0007t',
      { field: 'prompt', kind: 'word', word: 'cat' },
    ],
    ['a full-width spelling', 'ｃａｔ', { field: 'prompt', kind: 'word', word: 'cat' }],
    ['a pattern', 'B4NANA split', { field: 'prompt', kind: 'pattern', word: undefined }],
    ['a non-ASCII word', 'ÜNÏCODE', { field: 'prompt', kind: 'word', word: 'ünïcode' }],
  ])('finds %s', (_label, prompt, expected) => {
    expect(findBlockedTerm({ prompt }, terms)).toEqual(expected);
  });

  it.each([['category'], ['concat'], ['cat_'], ['hotdog'], ['bnana']])(
    'does not match inside a longer word: %s',
    (prompt) => {
      expect(findBlockedTerm({ prompt }, terms)).toBeUndefined();
    },
  );

  it('checks the negative prompt too', () => {
    expect(findBlockedTerm({ prompt: 'dog', negativePrompt: 'cat' }, terms)?.field).toBe('negative prompt');
  });

  it('names a word in the refusal but never a pattern', () => {
    expect(renderBlockedRefusal({ field: 'prompt', kind: 'word', word: 'cat' })).toContain('“cat”');
    const text = renderBlockedRefusal({ field: 'prompt', kind: 'pattern', word: undefined });
    expect(text).toContain('a term this server blocks');
    expect(text).not.toContain('nana');
  });

  it.each([
    ['an empty term', '  ', /empty/],
    ['an invalid regex', '/(unclosed/', /not a valid regular expression/],
    ['a backreference', '/(a)\\1/', /does not support: backreferences/],
    ['a lookahead', '/cat(?=s)/', /lookarounds/],
    ['a negative lookbehind', '/(?<!hot )dog/', /lookarounds/],
    ['a repeat count RE2 cannot compile', '/a{2000}/', /repeat count above 1000/],
    ['a too long term', 'x'.repeat(101), /at most 100/],
  ])('refuses %s', (_label, input, message) => {
    const parsed = parseBlockedTerm(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(render(parsed.problem)).toMatch(message);
  });
});

describe('blocked patterns (RE2JS)', () => {
  it.each([
    ['(a|a)*b', 'xxaab'],
    ['(a+)+$', 'AAAA'],
    ['(?<name>b[a4]n)', 'B4N'],
    ['\\p{L}+ü', 'grün'],
    ['straße|\\u{1F600}', 'ein 😀'],
  ])('accepts /%s/ and matches it when the prompt contains it', (source, prompt) => {
    const parsed = parseBlockedTerm(`/${source}/`);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(findBlockedTerm({ prompt }, [parsed.term])?.kind).toBe('pattern');
  });

  it('matches a catastrophic-backtracking pattern in linear time when the input is 100,000 characters', () => {
    // A backtracking engine (JS RegExp) tries 2^n ways to split the a's and never finishes here; the
    // test's timeout is the bound. Both a miss and a hit are checked at full length.
    const terms = compileBlockedTerms(['/(a|a)*b/', '/(a+)+$/']);
    const miss = `${'a'.repeat(100_000)}c!`;
    expect(findBlockedTerm({ prompt: miss }, terms)).toBeUndefined();
    expect(findBlockedTerm({ prompt: `${'a'.repeat(100_000)}b` }, terms)?.kind).toBe('pattern');
  });
});

describe('settings changes', () => {
  const context = {
    configured: CONFIGURED,
    limits: LIMITS,
    lists: { samplers: SAMPLERS, schedulers: SCHEDULERS, models: [] },
  };

  it('sets valid defaults and splits a combined sampler name', () => {
    const change = planDefaultsChange(
      EMPTY,
      { steps: 30, width: 768, sampler: 'Euler a Exponential' },
      context,
    );
    expect(change.ok).toBe(true);
    if (change.ok) {
      expect(change.value.policy.defaults).toEqual({
        steps: 30,
        width: 768,
        height: 512,
        sampler: 'Euler a',
        scheduler: 'Exponential',
      });
    }
  });

  it('refuses every bad value at once and changes nothing', () => {
    const change = planDefaultsChange(
      EMPTY,
      { steps: 51, width: 500, sampler: 'Eulerish', model: 'nope' },
      context,
    );
    expect(change.ok).toBe(false);
    if (!change.ok) {
      const text = change.problems.map((problem) => render(problem)).join('\n');
      expect(text).toMatch(/Steps must be a whole number from 1 to 50 \(MAX_STEPS\)/);
      expect(text).toMatch(/Width must be a multiple of 8/);
      expect(text).toMatch(/Unknown sampler "Eulerish"/);
      expect(text).toMatch(/Unknown model "nope"/);
    }
  });

  it('refuses a size over MAX_PIXELS, naming it', () => {
    const change = planDefaultsChange(EMPTY, { width: 2048, height: 2048 }, context);
    expect(!change.ok && change.problems.map((problem) => render(problem))[0]).toMatch(/MAX_PIXELS/);
  });

  it('resets one default, keeping the others', () => {
    const current = { ...EMPTY, defaults: { steps: 30, width: 768, height: 768 } };
    const change = planDefaultsChange(current, { reset: 'size' }, context);
    expect(change.ok && change.value.policy.defaults).toEqual({ steps: 30 });
  });

  it('changes policies and clears one back to the default', () => {
    const change = planPolicyChange(
      EMPTY,
      { nsfwMode: 'both', cooldownSeconds: 30, auditChannel: { id: '123456789012345678', textBased: true } },
      1000,
    );
    expect(change.ok && change.value).toEqual({
      ...EMPTY,
      nsfwMode: 'both',
      cooldownSeconds: 30,
      auditChannelId: '123456789012345678',
    });
    if (change.ok) {
      const cleared = planPolicyChange(change.value, { clear: 'cooldown' }, 1000);
      expect(cleared.ok && cleared.value.cooldownSeconds).toBeUndefined();
    }
  });

  it('refuses an audit channel that is not a text channel, and an empty change', () => {
    expect(planPolicyChange(EMPTY, { auditChannel: { id: '1', textBased: false } }, 1000).ok).toBe(false);
    expect(planPolicyChange(EMPTY, {}, 1000).ok).toBe(false);
  });

  it('adds, refuses duplicates of and removes blocked terms', () => {
    const added = addBlockedTerm(EMPTY, 'Cat');
    expect(added.ok && added.value.blockedTerms).toEqual(['cat']);
    if (!added.ok) return;
    expect(addBlockedTerm(added.value, 'CAT').ok).toBe(false);
    const removed = removeBlockedTerm(added.value, 'cAt');
    expect(removed.ok && removed.value.blockedTerms).toEqual([]);
    expect(removeBlockedTerm(EMPTY, 'dog').ok).toBe(false);
  });
});
