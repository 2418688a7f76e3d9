import {
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIComponentInMessageActionRow,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
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
): Row[] {
  const upscale = options.upscale ?? true;
  const id = job.id;
  const info = button('Info', 'info', [id]);
  const remove = button('Delete', 'delete', [id], ButtonStyle.Danger);
  if (job.kind === 'upscale' || imageCount === 0) return [row([info, remove])];
  const reroll = button('Reroll', 'reroll', [id], ButtonStyle.Primary);
  const remix = button('Remix', 'remix', [id]);
  if (imageCount === 1) {
    return [
      row([
        reroll,
        button('Vary', 'vary', [id, 0]),
        ...(upscale ? [button('Upscale', 'upscale', [id, 0])] : []),
        remix,
      ]),
      row([info, remove]),
    ];
  }
  const indexes = Array.from({ length: Math.min(imageCount, 5) }, (_, index) => index);
  return [
    ...(upscale ? [row(indexes.map((index) => button(`U${index + 1}`, 'upscale', [id, index])))] : []),
    row(indexes.map((index) => button(`V${index + 1}`, 'vary', [id, index]))),
    row(indexes.map((index) => button(`Image ${index + 1}`, 'image', [id, index]))),
    row([reroll, remix, info, remove]),
  ];
}

/** `https://discord.com/channels/<guild or @me>/<channel>/<message>`. */
export function toMessageUrl(guildId: string | null, channelId: string, messageId: string): string {
  return `https://discord.com/channels/${guildId ?? '@me'}/${channelId}/${messageId}`;
}

/** "Variation of image 2 from [this result](…)", or '' for a job no button made. */
export function renderOriginLine(job: Pick<Job, 'parentId' | 'params'>): string {
  const origin = job.params.origin;
  if (job.parentId === null || origin === undefined) return '';
  const image = origin.index === undefined ? '' : ` of image ${origin.index + 1}`;
  const what =
    origin.action === 'reroll'
      ? 'Reroll'
      : origin.action === 'vary'
        ? `Variation${image}`
        : origin.action === 'remix'
          ? 'Remix'
          : `Upscale${image}${job.params.upscale === undefined ? '' : ` (×${job.params.upscale.factor}, ${job.params.upscale.upscaler})`}`;
  const from =
    origin.messageUrl === undefined ? `job ${job.parentId}` : `[this result](${origin.messageUrl})`;
  return `${what} from ${from}`;
}
