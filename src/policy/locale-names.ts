import type { Locale } from '../i18n/locales.js';

/** Native names of the shipped locales (`/settings policy locale`, `/settings view`). */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = {
  'en-US': 'English',
  de: 'Deutsch',
  fr: 'Français',
  'es-ES': 'Español',
  'pt-BR': 'Português do Brasil',
  ja: '日本語',
  ko: '한국어',
  'zh-CN': '中文（简体）',
  ru: 'Русский',
};
