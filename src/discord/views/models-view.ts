import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { SdModel } from '../../sd/types.js';
import { encodeCustomId } from '../intake/custom-id.js';
import { escapeMarkdown, type MessageView, truncate } from './render.js';

export const MODELS_PER_PAGE = 10;

export interface BackendModelState {
  label: string;
  /** The checkpoint the backend reports as loaded, or null when it did not answer. */
  loaded: string | null;
}

/** Backend labels are shown as "server 1", "server 2": host names stay out of replies. */
export function backendName(index: number, total: number): string {
  return total > 1 ? `server ${index + 1}` : 'the server';
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
): MessageView {
  const pages = Math.max(1, Math.ceil(models.length / MODELS_PER_PAGE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = models.slice(current * MODELS_PER_PAGE, (current + 1) * MODELS_PER_PAGE);
  const lines = slice.map((model) => {
    const marks: string[] = [];
    backends.forEach((backend, index) => {
      if (backend.loaded !== null && isLoaded(model, backend.loaded)) {
        marks.push(`loaded on ${backendName(index, backends.length)}`);
      }
    });
    if (guildDefault !== undefined && guildDefault === model.title) marks.push('this server’s default');
    const hash = model.hash === null ? '' : ` \`${model.hash}\``;
    const family = familyOf?.(model);
    const tail = [marks.join(', '), family ?? ''].filter((part) => part !== '').join(' · ');
    return `• **${escapeMarkdown(truncate(model.model_name, 120))}**${hash}${tail === '' ? '' : ` — ${tail}`}`;
  });
  const status = backends.map(
    (backend, index) =>
      `${backendName(index, backends.length)}: ${backend.loaded === null ? 'not reachable' : `\`${truncate(backend.loaded, 150)}\``}`,
  );
  const description = [
    models.length === 0 ? 'No checkpoints found.' : lines.join('\n'),
    '',
    `**Loaded** — ${status.join(' · ')}`,
  ].join('\n');
  const components: APIActionRowComponent<APIComponentInMessageActionRow>[] =
    pages > 1
      ? [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Previous',
                custom_id: encodeCustomId('models', invokerId, current - 1),
                disabled: current === 0,
              },
              {
                type: ComponentType.Button,
                style: ButtonStyle.Secondary,
                label: 'Next',
                custom_id: encodeCustomId('models', invokerId, current + 1),
                disabled: current >= pages - 1,
              },
            ],
          },
        ]
      : [];
  return {
    content: '',
    embeds: [
      {
        title: `Checkpoints (${models.length})`,
        description: truncate(description, 4096),
        footer: { text: `Page ${current + 1} of ${pages}` },
      },
    ],
    components,
    files: [],
  };
}
