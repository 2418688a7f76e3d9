import { describe, expect, it } from 'vitest';
import { renderBlockedList, renderSettingsView } from '../../src/discord/views/settings-view.js';
import { checkDerivedLimits } from '../../src/generation/derive.js';
import {
  planVariants,
  readLoras,
  resolveFeatures,
  toEffectiveFeatures,
} from '../../src/generation/features.js';
import { checkHiresBudget, parseHiresOption } from '../../src/generation/hires.js';
import { toImg2ImgParams } from '../../src/generation/img2img.js';
import { parseLoraOption } from '../../src/generation/loras.js';
import { type GenerationParams, validateImagineInput } from '../../src/generation/request.js';
import { resolveSampler } from '../../src/generation/sampler.js';
import { expandVariants } from '../../src/generation/variants.js';
import { fill, placeholdersOf } from '../../src/i18n/format.js';
import { LOCALES } from '../../src/i18n/locales.js';
import { CATALOGS } from '../../src/i18n/messages/index.js';
import { en as refusalsEn } from '../../src/i18n/messages/refusals/en.js';
import { type Message, render } from '../../src/i18n/translate.js';
import { renderAuditLine } from '../../src/policy/audit.js';
import { parseBlockedTerm, toBlockedRefusal } from '../../src/policy/blocked-terms.js';
import { planFeaturesChange, planStyleChange } from '../../src/policy/feature-changes.js';
import { parsePolicy, serializePolicy } from '../../src/policy/policy.js';
import { toQuotaRefusal } from '../../src/policy/quota.js';
import {
  addBlockedTerm,
  planDefaultsChange,
  planPolicyChange,
  removeBlockedTerm,
} from '../../src/policy/settings-changes.js';

const KEYS = Object.keys(refusalsEn) as (keyof typeof refusalsEn)[];
const DEFAULTS = {
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  sampler: 'Euler a',
  scheduler: 'Automatic',
  negativePrompt: '',
};
const LIMITS = {
  maxSteps: 50,
  maxPixels: 1_048_576,
  maxCount: 4,
  maxPromptLength: 1000,
  maxTotalPixels: 2_097_152,
};
const PARAMS: GenerationParams = {
  prompt: 'a castle',
  negativePrompt: '',
  seed: 1,
  steps: 20,
  cfgScale: 7,
  width: 1024,
  height: 1024,
  count: 1,
  sampler: 'Euler a',
  scheduler: undefined,
  model: undefined,
};

const isRefusal = (message: Message) => message.key.startsWith('refusals.');
const problemsOf = (result: { ok: true } | { ok: false; problems: Message[] }) =>
  result.ok ? [] : result.problems;
const problemOf = (result: { ok: true } | { ok: false; problem: Message }) =>
  result.ok ? [] : [result.problem];

describe('refusals catalog', () => {
  for (const locale of LOCALES) {
    it(`has every refusals key in ${locale}, with English's placeholders and within 2000 characters`, () => {
      const catalog = CATALOGS[locale];
      expect(KEYS.filter((key) => catalog[key] === undefined)).toEqual([]);
      const mismatched = KEYS.filter(
        (key) => placeholdersOf(catalog[key] ?? '').join(',') !== placeholdersOf(refusalsEn[key]).join(','),
      );
      expect(mismatched).toEqual([]);
      const long = 'x'.repeat(60);
      const over = KEYS.filter((key) => {
        const template = catalog[key] ?? '';
        const text = fill(
          template,
          Object.fromEntries(placeholdersOf(template).map((name) => [name, long])),
          locale,
        );
        const limit = key.endsWith('Title') || key.endsWith('Field') ? 256 : 2000;
        return text.length > limit;
      });
      expect(over).toEqual([]);
    });
  }

  it('keeps Discord mentions and timestamps intact in every locale', () => {
    for (const locale of LOCALES) {
      const catalog = CATALOGS[locale];
      for (const key of KEYS) {
        const english = refusalsEn[key];
        for (const markup of english.match(/<[@#&t:{}a-zA-Z]+[^>]*>/g) ?? []) {
          expect(catalog[key], `${locale} ${key}`).toContain(markup);
        }
      }
    }
  });
});

describe('problem functions', () => {
  it('return message keys, never English, for every kind of problem', () => {
    const messages: Message[] = [
      ...problemsOf(
        validateImagineInput({ prompt: '', steps: 999, width: 7, aspect: '5:4' }, DEFAULTS, LIMITS),
      ),
      ...problemsOf(
        toImg2ImgParams({ ...PARAMS, count: 4 }, {}, { base64: 'AA', width: 1024, height: 1024 }, 2, LIMITS),
      ),
      ...checkDerivedLimits({ ...PARAMS, steps: 60, prompt: '' }, LIMITS),
      ...(() => {
        const resolved = resolveSampler('Nope', undefined, [{ name: 'Euler a', aliases: [] }], null);
        return resolved.ok ? [] : [resolved.message];
      })(),
      ...problemOf(parseHiresOption('9')),
      ...checkHiresBudget(
        { width: 1024, height: 1024, finalWidth: 2048, finalHeight: 2048, count: 1 },
        LIMITS,
      ),
      ...problemOf(expandVariants('a {b|c', 10)),
      ...problemOf(parseLoraOption('a:9', 3)),
      ...problemOf(readLoras('x', 'a, b, c', 2)),
      ...problemOf(planVariants('{a|b|c}', 2, 4, true)),
      ...problemsOf(
        resolveFeatures(
          PARAMS,
          { loras: [{ name: 'x', weight: 1 }], adetailer: true },
          {
            features: toEffectiveFeatures(undefined, { maxLoras: 4, maxHiresScale: 2 }),
            lists: { loras: [], styles: [], upscalers: [] },
            available: { loras: false, styles: false, hires: false, adetailer: false },
            pixels: LIMITS,
            img2img: false,
          },
        ),
      ),
      ...problemOf(parseBlockedTerm('/(a)\\1/')),
      toBlockedRefusal({ field: 'prompt', kind: 'word', word: 'cat' }),
      toQuotaRefusal({ ok: false, reason: 'cooldown', retryAt: 90_000, cooldownSeconds: 90 }),
      ...problemsOf(
        planDefaultsChange(
          parsePolicy(undefined),
          { steps: 99 },
          { configured: DEFAULTS, limits: LIMITS, lists: {} },
        ),
      ),
      ...problemsOf(planPolicyChange(parsePolicy(undefined), { cooldownSeconds: -1 }, 1000)),
      ...problemsOf(addBlockedTerm(parsePolicy(undefined), '')),
      ...problemsOf(removeBlockedTerm(parsePolicy(undefined), 'dog')),
      ...problemsOf(
        planFeaturesChange(
          parsePolicy(undefined),
          { maxLoras: 99 },
          { limits: { maxLoras: 4, maxHiresScale: 2 } },
        ),
      ),
      ...problemsOf(planStyleChange(parsePolicy(undefined), { name: '' }, 1000)),
    ];
    expect(messages.length).toBeGreaterThanOrEqual(25);
    for (const message of messages) {
      expect(isRefusal(message), JSON.stringify(message)).toBe(true);
      expect(render(message, 'de'), message.key).not.toBe(render(message, 'en-US'));
      expect(render(message, 'ja'), message.key).not.toBe(render(message, 'en-US'));
    }
  });

  it('keeps the numbers of a problem in German and Japanese', () => {
    const result = validateImagineInput(
      { prompt: 'x', steps: 999, count: 4, width: 1024, height: 1024 },
      DEFAULTS,
      LIMITS,
    );
    const problems = problemsOf(result);
    expect(problems.map((problem) => problem.key)).toEqual([
      'refusals.imagine.stepsRange',
      'refusals.imagine.totalPixels',
    ]);
    const [steps, total] = problems as [Message, Message];
    for (const locale of ['de', 'ja'] as const) {
      expect(render(steps, locale)).toMatch(/\b1\b[^\d]+\b50\b/);
      const text = render(total, locale);
      for (const number of ['4', '1024', '4194304', '2097152']) expect(text, locale).toContain(number);
    }
    expect(render(steps, 'de')).toBe('Die Schritte müssen eine ganze Zahl von 1 bis 50 sein.');
    expect(render(steps, 'ja')).toContain('1～50');
  });

  it('renders a decimal the way the locale writes it', () => {
    const problem = problemOf(parseHiresOption('4.5'))[0] as Message;
    expect(render(problem, 'en-US')).toContain('4.5');
    expect(render(problem, 'de')).toContain('4,5');
  });

  it('summarises a change as keys, and names the server language natively', () => {
    const change = planPolicyChange(parsePolicy(undefined), { locale: 'ja', cooldownSeconds: 30 }, 1000);
    expect(change.ok).toBe(true);
    if (!change.ok) return;
    expect(change.value.locale).toBe('ja');
    expect(change.summary.every(isRefusal)).toBe(true);
    expect(change.summary.map((line) => render(line, 'de'))).toContain(
      'Serversprache (Audit-Kanal, Beiträge an niemanden persönlich): 日本語.',
    );
    const cleared = planPolicyChange(change.value, { clear: 'locale' }, 1000);
    expect(cleared.ok && cleared.value.locale).toBeUndefined();
  });
});

describe('server locale in the policy', () => {
  it('keeps a shipped locale and drops an unknown one, keeping the rest', () => {
    expect(parsePolicy(serializePolicy({ blockedTerms: [], defaults: {}, locale: 'de' })).locale).toBe('de');
    const tolerant = parsePolicy(
      JSON.stringify({ blockedTerms: ['cat'], locale: 'tlh', cooldownSeconds: 5 }),
    );
    expect(tolerant.locale).toBeUndefined();
    expect(tolerant.blockedTerms).toEqual(['cat']);
    expect(tolerant.cooldownSeconds).toBe(5);
  });
});

describe('renderAuditLine', () => {
  const entry = {
    outcome: 'blocked' as const,
    userId: '111111111111111111',
    channelId: '222222222222222222',
    command: 'imagine',
    prompt: 'a cat',
    negativePrompt: 'blurry',
  };

  it('speaks the locale it is given, keeping the mentions', () => {
    expect(renderAuditLine(entry)).toBe(
      '<@111111111111111111> was refused (blocked term) for /imagine in <#222222222222222222>\nPrompt: `a cat`\nNegative: `blurry`',
    );
    const german = renderAuditLine(entry, 'de');
    expect(german).toContain('<@111111111111111111>');
    expect(german).toContain('<#222222222222222222>');
    expect(german).toContain('gesperrter Begriff');
    expect(renderAuditLine(entry, 'ja')).toContain('`a cat`');
  });
});

describe('settings view', () => {
  it('renders in the member’s locale, the server language included', () => {
    const stored = { blockedTerms: ['cat'], defaults: {}, locale: 'fr' as const, cooldownSeconds: 90 };
    const view = renderSettingsView(
      {
        stored,
        effective: {
          nsfwMode: 'spoiler',
          sfwNegativePrompt: 'nsfw',
          blockedTerms: ['cat'],
          auditChannelId: undefined,
          cooldownSeconds: 90,
          hourlyLimit: 0,
          bypassRoleId: undefined,
          bypassManageServer: true,
        },
        defaults: DEFAULTS,
        defaultModel: undefined,
      },
      'de',
    );
    expect(view.title).toBe('Einstellungen dieses Servers');
    const text = (view.fields ?? []).map((field) => field.value).join('\n');
    expect(text).toContain('Serversprache: Français');
    expect(text).toContain('90 Sekunden');
    expect(text).toContain('Server verwalten');
    expect(renderBlockedList(['cat'], 'ja')).toContain('`cat`');
  });
});
