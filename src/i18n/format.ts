/**
 * Message templates with named parameters: `Queued: position {position} of {total}`. The parameter
 * names are read from the template at the type level, so a key's parameters are checked where it is
 * used, and the same names must appear in every locale (the completeness test checks that).
 */

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

const integerFormats = new Map<string, (value: number) => string>();

/**
 * The locale's number format, made once per locale (making one costs more than formatting). Where
 * the locale writes Latin digits, a whole non-negative number is its own digits (no grouping is
 * asked for), so places in line, counts and steps skip ICU, which a burst of 200 places in line
 * felt; anything else goes through `Intl.NumberFormat`.
 */
function integerFormat(locale: string): (value: number) => string {
  let format = integerFormats.get(locale);
  if (format === undefined) {
    const intl = new Intl.NumberFormat(locale, { useGrouping: false });
    format =
      intl.resolvedOptions().numberingSystem === 'latn'
        ? (value) => (Number.isSafeInteger(value) && value >= 0 ? String(value) : intl.format(value))
        : (value) => intl.format(value);
    integerFormats.set(locale, format);
  }
  return format;
}

/** Fills a template; a number is written in the locale's digits, without grouping (see `integerFormat`). */
export function fill(template: string, params: Record<string, string | number>, locale: string): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? integerFormat(locale)(value) : value;
  });
}
