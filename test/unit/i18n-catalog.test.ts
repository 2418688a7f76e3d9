import { describe, expect, it } from 'vitest';
import { fill, oneDecimal, placeholdersOf } from '../../src/i18n/format.js';
import { LOCALES } from '../../src/i18n/locales.js';
import { CATALOGS, en, type MessageKey } from '../../src/i18n/messages/index.js';

/** Discord's limit for a text by the slot its key names (see docs: the key suffixes). */
const LIMITS: readonly { suffix: string; max: number }[] = [
  { suffix: 'Button', max: 80 },
  { suffix: 'Choice', max: 100 },
  { suffix: 'ModalTitle', max: 45 },
  { suffix: 'Label', max: 45 },
  { suffix: 'Placeholder', max: 100 },
  { suffix: 'Title', max: 256 },
  { suffix: 'Field', max: 256 },
  { suffix: 'CommandDescription', max: 100 },
  { suffix: 'OptionDescription', max: 100 },
  { suffix: 'CommandName', max: 32 },
  { suffix: 'OptionName', max: 32 },
];
const CONTENT_LIMIT = 2000;
/** Discord's rule for (localized) command and option names. */
const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** A long value for every parameter, so a text that fits with it fits with any realistic one. */
const SAMPLE = 'x'.repeat(40);

const KEYS = Object.keys(en) as MessageKey[];
const limitOf = (key: string) => LIMITS.find((limit) => key.endsWith(limit.suffix))?.max ?? CONTENT_LIMIT;
const isName = (key: string) => key.endsWith('CommandName') || key.endsWith('OptionName');
/** Registration texts go to Discord as written; every other text is filled first. */
const isRegistration = (key: string) => isName(key) || /(Command|Option)Description$/.test(key);
const filled = (key: string, template: string, locale: string) =>
  isRegistration(key)
    ? template
    : fill(template, Object.fromEntries(placeholdersOf(template).map((name) => [name, SAMPLE])), locale);

describe('fill', () => {
  it.each([...LOCALES, 'fa', 'bn'])(
    'writes numbers in %s as Intl.NumberFormat does, without grouping',
    (locale) => {
      const intl = new Intl.NumberFormat(locale, { useGrouping: false });
      for (const value of [0, 7, 42, 1234567, 2 ** 53 - 1, 2 ** 53, -3, 1.5, -0.25, 1e21]) {
        expect(fill('{n}', { n: value }, locale)).toBe(intl.format(value));
      }
      expect(fill('{a} of {b}', { a: 3, b: 12 }, locale)).toBe(`${intl.format(3)} of ${intl.format(12)}`);
    },
  );
});

describe('oneDecimal', () => {
  /** Halves on the shortest decimal text (2.05, 0.95), tenths carried into the whole (9.96), and the edges. */
  const values = [
    0,
    0.04,
    0.05,
    0.95,
    1,
    2.05,
    2.25,
    9.96,
    12.3456,
    99.95,
    1e14 + 0.25,
    1e15,
    1e21,
    -0,
    -0.05,
    -2.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ];
  it.each([...LOCALES, 'fa', 'bn'])('writes seconds in %s as Intl.NumberFormat does', (locale) => {
    const intl = new Intl.NumberFormat(locale, {
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      useGrouping: false,
    });
    for (const value of values) expect(oneDecimal(value, locale), String(value)).toBe(intl.format(value));
    // Durations as a job's would be, in ms over 1000.
    for (let ms = 0; ms < 200_000; ms += 37) {
      expect(oneDecimal(ms / 1000, locale), String(ms)).toBe(intl.format(ms / 1000));
    }
  });
});

describe('i18n catalog', () => {
  it('has texts in English when the areas are merged', () => {
    expect(KEYS.length).toBeGreaterThan(0);
    for (const key of KEYS) expect(en[key].trim(), key).not.toBe('');
  });

  it('names every key <area>.<what> in lower camel segments', () => {
    for (const key of KEYS) expect(key, key).toMatch(/^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)+$/);
  });

  for (const locale of LOCALES) {
    describe(locale, () => {
      const catalog = CATALOGS[locale];

      it('has every key, and no key English lacks', () => {
        expect(KEYS.filter((key) => catalog[key] === undefined)).toEqual([]);
        expect(Object.keys(catalog).filter((key) => !(key in en))).toEqual([]);
      });

      it('uses the same placeholders as English in every text', () => {
        const mismatched = KEYS.filter(
          (key) =>
            catalog[key] !== undefined &&
            placeholdersOf(catalog[key] ?? '').join(',') !== placeholdersOf(en[key]).join(','),
        );
        expect(mismatched).toEqual([]);
      });

      it('keeps every text within Discord’s limit for its slot, with long parameters filled in', () => {
        const over = KEYS.flatMap((key) => {
          const template = catalog[key];
          if (template === undefined) return [];
          const text = filled(key, template, locale);
          return text.length > limitOf(key) ? [`${key}: ${text.length} > ${limitOf(key)}`] : [];
        });
        expect(over).toEqual([]);
      });

      it('gives commands and options names Discord accepts (lower case, no spaces)', () => {
        const bad = KEYS.filter((key) => isName(key) && catalog[key] !== undefined).flatMap((key) => {
          const name = catalog[key] ?? '';
          return NAME.test(name) && name === name.toLowerCase() ? [] : [`${key}: ${name}`];
        });
        expect(bad).toEqual([]);
      });

      it('gives no empty text', () => {
        expect(KEYS.filter((key) => catalog[key]?.trim() === '')).toEqual([]);
      });
    });
  }
});
