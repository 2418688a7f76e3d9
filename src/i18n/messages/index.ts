import type { Locale } from '../locales.js';
import { de as commandsDe } from './commands/de.js';
import { en as commandsEn } from './commands/en.js';
import { eses as commandsEses } from './commands/es-ES.js';
import { fr as commandsFr } from './commands/fr.js';
import { ja as commandsJa } from './commands/ja.js';
import { ko as commandsKo } from './commands/ko.js';
import { ptbr as commandsPtbr } from './commands/pt-BR.js';
import { ru as commandsRu } from './commands/ru.js';
import { zhcn as commandsZhcn } from './commands/zh-CN.js';
import { de as commonDe } from './common/de.js';
import { en as commonEn } from './common/en.js';
import { eses as commonEses } from './common/es-ES.js';
import { fr as commonFr } from './common/fr.js';
import { ja as commonJa } from './common/ja.js';
import { ko as commonKo } from './common/ko.js';
import { ptbr as commonPtbr } from './common/pt-BR.js';
import { ru as commonRu } from './common/ru.js';
import { zhcn as commonZhcn } from './common/zh-CN.js';
import { de as deliveryDe } from './delivery/de.js';
import { en as deliveryEn } from './delivery/en.js';
import { eses as deliveryEses } from './delivery/es-ES.js';
import { fr as deliveryFr } from './delivery/fr.js';
import { ja as deliveryJa } from './delivery/ja.js';
import { ko as deliveryKo } from './delivery/ko.js';
import { ptbr as deliveryPtbr } from './delivery/pt-BR.js';
import { ru as deliveryRu } from './delivery/ru.js';
import { zhcn as deliveryZhcn } from './delivery/zh-CN.js';
import { de as refusalsDe } from './refusals/de.js';
import { en as refusalsEn } from './refusals/en.js';
import { eses as refusalsEses } from './refusals/es-ES.js';
import { fr as refusalsFr } from './refusals/fr.js';
import { ja as refusalsJa } from './refusals/ja.js';
import { ko as refusalsKo } from './refusals/ko.js';
import { ptbr as refusalsPtbr } from './refusals/pt-BR.js';
import { ru as refusalsRu } from './refusals/ru.js';
import { zhcn as refusalsZhcn } from './refusals/zh-CN.js';

/** Every text a member sees, in English, by key: the areas put together. */
export const en = { ...commonEn, ...deliveryEn, ...refusalsEn, ...commandsEn } as const;

export type MessageKey = keyof typeof en;
/** A locale's texts: any key may be missing (English is used), none may be unknown. */
export type Catalog = { readonly [K in MessageKey]?: string };

/** Every shipped locale's texts (English is complete by definition). */
export const CATALOGS: Readonly<Record<Locale, Catalog>> = {
  'en-US': en,
  de: { ...commonDe, ...deliveryDe, ...refusalsDe, ...commandsDe },
  fr: { ...commonFr, ...deliveryFr, ...refusalsFr, ...commandsFr },
  'es-ES': { ...commonEses, ...deliveryEses, ...refusalsEses, ...commandsEses },
  'pt-BR': { ...commonPtbr, ...deliveryPtbr, ...refusalsPtbr, ...commandsPtbr },
  ja: { ...commonJa, ...deliveryJa, ...refusalsJa, ...commandsJa },
  ko: { ...commonKo, ...deliveryKo, ...refusalsKo, ...commandsKo },
  'zh-CN': { ...commonZhcn, ...deliveryZhcn, ...refusalsZhcn, ...commandsZhcn },
  ru: { ...commonRu, ...deliveryRu, ...refusalsRu, ...commandsRu },
};
