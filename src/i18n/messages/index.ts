import type { Locale } from '../locales.js';
import { type Catalog, en } from './en.js';

export { type Catalog, en, type MessageKey } from './en.js';

/** Every shipped locale's texts (English is complete by definition). */
export const CATALOGS: Readonly<Record<Locale, Catalog>> = {
  'en-US': en,
  de: {},
  fr: {},
  'es-ES': {},
  'pt-BR': {},
  ja: {},
  ko: {},
  'zh-CN': {},
  ru: {},
};
