import type { EmbeddingInfo, LoraInfo } from '../../engines/types.js';
import { loraTrainingTags } from '../../generation/loras.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';
import { detectFamily, FAMILY_LABELS, type ModelFamily } from '../../models/family.js';
import { encodeCustomId } from '../intake/custom-id.js';
import type { MessageView } from './message-view.js';
import { backendName, renderPageButtons } from './models-view.js';
import { escapeMarkdown, LIMITS, truncate } from './view-text.js';

export const LORAS_PER_PAGE = 10;

/** One LoRA or embedding and the servers (by position in the backend list) that have it. */
export interface ListedItem<T> {
  item: T;
  servers: number[];
}

/** Each name once, with every server that lists it. */
export function mergeByServer<T extends { name: string }>(
  lists: readonly (readonly T[] | undefined)[],
): ListedItem<T>[] {
  const byName = new Map<string, ListedItem<T>>();
  lists.forEach((list, server) => {
    for (const item of list ?? []) {
      const known = byName.get(item.name);
      if (known === undefined) byName.set(item.name, { item, servers: [server] });
      else if (!known.servers.includes(server)) known.servers.push(server);
    }
  });
  return [...byName.values()].sort((a, b) => a.item.name.localeCompare(b.item.name));
}

/** An embedding's family from its vector width (`shape`). */
export function embeddingFamily(shape: number | undefined): ModelFamily | undefined {
  if (shape === undefined) return undefined;
  const family = detectFamily({ name: '', embeddingShapes: [shape] });
  return family.source === 'server' ? family.family : undefined;
}

function where(servers: readonly number[], total: number, locale: Locale): string {
  if (total <= 1) return '';
  if (servers.length === total) return ` — ${t(locale, 'delivery.loras.onEveryServer')}`;
  const names = servers.map((server) => backendName(server, total, locale)).join(', ');
  return ` — ${t(locale, 'delivery.loras.onServers', { servers: names })}`;
}

/** One page of /loras: name, alias, training tags, and which servers have each; or the embeddings. */
export function renderLorasPage(
  kind: 'loras' | 'embeddings',
  items: readonly ListedItem<LoraInfo | EmbeddingInfo>[],
  page: number,
  totalServers: number,
  invokerId: string,
  locale: Locale = DEFAULT_LOCALE,
): MessageView {
  const pages = Math.max(1, Math.ceil(items.length / LORAS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = items.slice(current * LORAS_PER_PAGE, (current + 1) * LORAS_PER_PAGE);
  const lines = slice.map(({ item, servers }) => {
    const name = `**${escapeMarkdown(truncate(item.name, 80))}**`;
    if (kind === 'embeddings') {
      const family = embeddingFamily((item as EmbeddingInfo).shape);
      return `• ${name}${family === undefined ? '' : ` (${FAMILY_LABELS[family]})`}${where(servers, totalServers, locale)}`;
    }
    const lora = item as LoraInfo;
    const alias =
      lora.alias !== undefined && lora.alias !== lora.name
        ? ` ${t(locale, 'delivery.loras.alias', { alias: `\`${truncate(lora.alias.replace(/`/g, 'ˋ'), 60)}\`` })}`
        : '';
    const tags = loraTrainingTags(lora.metadata, 5);
    const tagLine =
      tags.length === 0
        ? ''
        : `\n  ${t(locale, 'delivery.loras.tags', { tags: escapeMarkdown(truncate(tags.join(', '), 150)) })}`;
    return `• ${name}${alias}${where(servers, totalServers, locale)}${tagLine}`;
  });
  const hint = t(locale, kind === 'loras' ? 'delivery.loras.lorasHint' : 'delivery.loras.embeddingsHint');
  const none = t(locale, kind === 'loras' ? 'delivery.loras.noLoras' : 'delivery.loras.noEmbeddings');
  const description = truncate(
    [items.length === 0 ? none : lines.join('\n'), '', hint].join('\n'),
    LIMITS.embedDescription,
  );
  const components = renderPageButtons(
    current,
    pages,
    (target) => encodeCustomId('loras', invokerId, kind, target),
    locale,
  );
  return {
    content: '',
    embeds: [
      {
        color: 0x5865f2,
        title: t(locale, kind === 'loras' ? 'delivery.loras.lorasTitle' : 'delivery.loras.embeddingsTitle', {
          count: items.length,
          page: current + 1,
          pages,
        }),
        description,
      },
    ],
    components,
    files: [],
  };
}
