import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';
import type { Job } from '../../jobs/types.js';
import { type CustomIdAction, encodeCustomId } from '../intake/custom-id.js';

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;

/** The name of a batch's composite image on the reply. */
export const GRID_FILE_NAME = 'grid.jpg';

function button(
  label: string,
  action: CustomIdAction,
  args: (string | number)[],
  style: ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Danger = ButtonStyle.Secondary,
): APIButtonComponent {
  return { type: ComponentType.Button, style, label, custom_id: encodeCustomId(action, ...args) };
}

const row = (components: APIButtonComponent[]): Row => ({ type: ComponentType.ActionRow, components });

/**
 * The buttons on a finished result. Their ids carry only the job id (and an image index); the
 * parameters stay in SQLite, so they work after a restart and days later.
 * - one image: Reroll, Vary, Upscale, Remix / Info, Delete
 * - a batch: U1..Un / V1..Vn / Image 1..n (the original at full size) / Reroll, Remix, Info, Delete
 * - an upscale: Info, Delete
 * At most 4 rows of at most 5 buttons (Discord allows 5 × 5).
 */
export function renderResultButtons(
  job: Pick<Job, 'id' | 'kind'>,
  imageCount: number,
  /** `upscale: false`: no server can upscale, so no Upscale buttons are offered. */
  options: { upscale?: boolean } = {},
  locale: Locale = DEFAULT_LOCALE,
): Row[] {
  const upscale = options.upscale ?? true;
  const id = job.id;
  const info = button(t(locale, 'delivery.buttons.infoButton'), 'info', [id]);
  const remove = button(t(locale, 'delivery.buttons.deleteButton'), 'delete', [id], ButtonStyle.Danger);
  if (job.kind === 'upscale' || imageCount === 0) return [row([info, remove])];
  const reroll = button(t(locale, 'delivery.buttons.rerollButton'), 'reroll', [id], ButtonStyle.Primary);
  const remix = button(t(locale, 'delivery.buttons.remixButton'), 'remix', [id]);
  if (imageCount === 1) {
    return [
      row([
        reroll,
        button(t(locale, 'delivery.buttons.varyButton'), 'vary', [id, 0]),
        ...(upscale ? [button(t(locale, 'delivery.buttons.upscaleButton'), 'upscale', [id, 0])] : []),
        remix,
      ]),
      row([info, remove]),
    ];
  }
  const indexes = Array.from({ length: Math.min(imageCount, 5) }, (_, index) => index);
  return [
    ...(upscale
      ? [
          row(
            indexes.map((index) =>
              button(t(locale, 'delivery.buttons.upscaleImageButton', { image: index + 1 }), 'upscale', [
                id,
                index,
              ]),
            ),
          ),
        ]
      : []),
    row(
      indexes.map((index) =>
        button(t(locale, 'delivery.buttons.varyImageButton', { image: index + 1 }), 'vary', [id, index]),
      ),
    ),
    row(
      indexes.map((index) =>
        button(t(locale, 'delivery.buttons.imageButton', { image: index + 1 }), 'image', [id, index]),
      ),
    ),
    row([reroll, remix, info, remove]),
  ];
}

/** `https://discord.com/channels/<guild or @me>/<channel>/<message>`. */
export function toMessageUrl(guildId: string | null, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;
}

/** "Variation of image 2 from [this result](…)", or '' for a job no button made. */
export function renderOriginLine(
  job: Pick<Job, 'parentId' | 'params'>,
  locale: Locale = DEFAULT_LOCALE,
): string {
  const origin = job.params.origin;
  if (job.parentId === null || origin === undefined) return '';
  const image = origin.index === undefined ? undefined : origin.index + 1;
  const upscale = job.params.upscale;
  let what: string;
  if (origin.action === 'reroll') what = t(locale, 'delivery.origin.reroll');
  else if (origin.action === 'remix') what = t(locale, 'delivery.origin.remix');
  else if (origin.action === 'vary')
    what =
      image === undefined
        ? t(locale, 'delivery.origin.vary')
        : t(locale, 'delivery.origin.varyImage', { image });
  else if (upscale === undefined)
    what =
      image === undefined
        ? t(locale, 'delivery.origin.upscale')
        : t(locale, 'delivery.origin.upscaleImage', { image });
  else {
    const how = { factor: upscale.factor, upscaler: upscale.upscaler };
    what =
      image === undefined
        ? t(locale, 'delivery.origin.upscaleWith', how)
        : t(locale, 'delivery.origin.upscaleImageWith', { image, ...how });
  }
  const from =
    origin.messageUrl === undefined
      ? t(locale, 'delivery.origin.fromJob', { jobId: job.parentId })
      : t(locale, 'delivery.origin.fromResult', { url: origin.messageUrl });
  return t(locale, 'delivery.origin.line', { what, from });
}
