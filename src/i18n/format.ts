/**
 * Message templates with named parameters: `Queued: position {position} of {total}`. The parameter
 * names are read from the template at the type level, so a key's parameters are checked where it is
 * used, and the same names must appear in every locale (the completeness test checks that).
 */

import { isLocale, type Locale } from './locales.js';

/** `'a {x} b {y}'` → `'x' | 'y'`. */
export type ParamsOf<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamsOf<Rest>
  : never;

export type Params<T extends string> = [ParamsOf<T>] extends [never]
  ? Record<string, never>
  : Record<ParamsOf<T>, string | number>;

const PLACEHOLDER = /\{(\w+)\}/g;

/** The parameter names a template uses, sorted (for parity checks across locales). */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string))].sort();
}

/**
 * How the locales the bot speaks write numbers, as CLDR has them (the tests hold each against
 * `Intl.NumberFormat`): all in Latin digits, with these decimal marks. Known here, a place in line or
 * a result's seconds are written without ICU: its first format in a process costs 15–20 ms of CPU
 * on an idle core (90 ms in a busy bench) and 8 MiB of RSS, which every worker paid on its first result.
 */
const DECIMAL_MARKS: Readonly<Record<Locale, '.' | ','>> = {
  'en-US': '.',
  de: ',',
  fr: ',',
  'es-ES': ',',
  'pt-BR': ',',
  ja: '.',
  ko: '.',
  'zh-CN': '.',
  ru: ',',
};

const markOf = (locale: string): string | undefined => (isLocale(locale) ? DECIMAL_MARKS[locale] : undefined);

/** Made once per locale and options: making a format costs more than formatting with it. */
const intlFormats = new Map<string, Intl.NumberFormat>();
const intlFormat = (locale: string, fractionDigits?: number) => {
  const key = `${locale}|${fractionDigits ?? ''}`;
  let format = intlFormats.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, {
      useGrouping: false,
      ...(fractionDigits === undefined
        ? {}
        : { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }),
    });
    intlFormats.set(key, format);
  }
  return format;
};

const integerFormats = new Map<string, (value: number) => string>();

/**
 * The locale's integer format. Where the locale writes Latin digits, a whole non-negative number is
 * its own digits (no grouping is asked for), so places in line, counts and steps skip ICU, which a
 * burst of 200 places in line felt; anything else goes through `Intl.NumberFormat`.
 */
function integerFormat(locale: string): (value: number) => string {
  let format = integerFormats.get(locale);
  if (format === undefined) {
    const latin =
      markOf(locale) !== undefined || intlFormat(locale).resolvedOptions().numberingSystem === 'latn';
    format = latin
      ? (value) =>
          Number.isSafeInteger(value) && value >= 0 ? String(value) : intlFormat(locale).format(value)
      : (value) => intlFormat(locale).format(value);
    integerFormats.set(locale, format);
  }
  return format;
}

/** Below this, a number's shortest decimal text has no exponent and its tenths stay exact. */
const PLAIN_BELOW = 1e15;

/**
 * A number with one decimal, as the locale writes it (`2.0`, `2,0`), rounded half away from zero on
 * its shortest decimal text, as `Intl.NumberFormat` rounds: 2.05 → 2.1, though the double is below it.
 */
export function oneDecimal(value: number, locale: string): string {
  const mark = markOf(locale);
  if (mark === undefined || !(value >= 0 && value < PLAIN_BELOW) || Object.is(value, -0)) {
    return intlFormat(locale, 1).format(value);
  }
  const [whole = '0', fraction = ''] = String(value).split('.');
  const tenths = Number(whole + (fraction[0] ?? '0')) + ((fraction[1] ?? '0') >= '5' ? 1 : 0);
  return `${Math.floor(tenths / 10)}${mark}${tenths % 10}`;
}

/** Fills a template; a number is written in the locale's digits, without grouping (see `integerFormat`). */
export function fill(template: string, params: Record<string, string | number>, locale: string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? integerFormat(locale)(value) : value;
  });
}
