import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';
import type { SdModel } from '../../sd/types.js';
import { encodeCustomId } from '../intake/custom-id.js';
import type { MessageView } from './message-view.js';
import { escapeMarkdown, truncate } from './view-text.js';

export const MODELS_PER_PAGE = 10;

export interface BackendModelState {
  label: string;
  /** The checkpoint the backend reports as loaded, or null when it did not answer. */
  loaded: string | null;
}

/** Backend labels are shown as "server 1", "server 2": host names stay out of replies. */
export function backendName(index: number, total: number, locale: Locale = DEFAULT_LOCALE): string {
  return total > 1
    ? t(locale, 'delivery.models.serverNumber', { number: index + 1 })
    : t(locale, 'delivery.models.theServer');
}

/** The Previous / Next row of a paged list. */
export function renderPageButtons(
  current: number,
  pages: number,
  customIdOf: (page: number) => string,
  locale: Locale,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  if (pages <= 1) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: t(locale, 'delivery.pages.previousButton'),
          custom_id: customIdOf(current - 1),
          disabled: current === 0,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          label: t(locale, 'delivery.pages.nextButton'),
          custom_id: customIdOf(current + 1),
          disabled: current >= pages - 1,
        },
      ],
    },
  ];
}

/** One page of /models: each checkpoint with its short hash, the loaded one(s) and this server's default marked. */
export function renderModelsPage(
  models: readonly SdModel[],
  page: number,
  backends: readonly BackendModelState[],
  guildDefault: string | undefined,
  invokerId: string,
  isLoaded: (model: SdModel, loaded: string) => boolean,
  /** Each checkpoint's family label (`SDXL`), where known. */
  familyOf?: (model: SdModel) => string | undefined,
  locale: Locale = DEFAULT_LOCALE,
): MessageView {
  const pages = Math.max(1, Math.ceil(models.length / MODELS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = models.slice(current * MODELS_PER_PAGE, (current + 1) * MODELS_PER_PAGE);
  const lines = slice.map((model) => {
    const marks: string[] = [];
    backends.forEach((backend, index) => {
      if (backend.loaded !== null && isLoaded(model, backend.loaded)) {
        marks.push(
          t(locale, 'delivery.models.loadedOn', { server: backendName(index, backends.length, locale) }),
        );
      }
    });
    if (guildDefault !== undefined && guildDefault === model.title)
      marks.push(t(locale, 'delivery.models.guildDefault'));
    const hash = model.hash === null ? '' : ` \`${model.hash}\``;
    const family = familyOf?.(model);
    const tail = [marks.join(', '), family ?? ''].filter((part) => part !== '').join(' · ');
    return `• **${escapeMarkdown(truncate(model.model_name, 120))}**${hash}${tail === '' ? '' : ` — ${tail}`}`;
  });
  const status = backends.map(
    (backend, index) =>
      `${backendName(index, backends.length, locale)}: ${backend.loaded === null ? t(locale, 'delivery.models.notReachable') : `\`${truncate(backend.loaded, 150)}\``}`,
  );
  const description = [
    models.length === 0 ? t(locale, 'delivery.models.none') : lines.join('\n'),
    '',
    t(locale, 'delivery.models.loaded', { status: status.join(' · ') }),
  ].join('\n');
  const components = renderPageButtons(
    current,
    pages,
    (target) => encodeCustomId('models', invokerId, target),
    locale,
  );
  return {
    content: '',
    embeds: [
      {
        title: t(locale, 'delivery.models.checkpointsTitle', { count: models.length }),
        description: truncate(description, 4096),
        footer: { text: t(locale, 'delivery.models.page', { page: current + 1, pages }) },
      },
    ],
    components,
    files: [],
  };
}
