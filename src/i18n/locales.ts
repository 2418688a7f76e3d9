/**
 * The languages the bot speaks, by Discord's locale codes. A member's `locale` comes with every
 * interaction; anything not listed here falls back to English.
 */
export const LOCALES = ['en-US', 'de', 'fr', 'es-ES', 'pt-BR', 'ja', 'ko', 'zh-CN', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = 'en-US';

/** Discord locales that read one of ours well enough (Latin-American Spanish reads es-ES, British English reads en-US). */
const NEAR: Readonly<Record<string, Locale>> = {
  'en-GB': 'en-US',
  'es-419': 'es-ES',
};

/** The locale to speak for a Discord locale code (or none): ours, a near one, or English. */
export function resolveLocale(code: string | null | undefined, fallback: Locale = DEFAULT_LOCALE): Locale {
  if (code === null || code === undefined || code === '') return fallback;
  if ((LOCALES as readonly string[]).includes(code)) return code as Locale;
  return NEAR[code] ?? fallback;
}

export function isLocale(code: string): code is Locale {
  return (LOCALES as readonly string[]).includes(code);
}
