import { DEFAULT_LOCALE, type Locale } from '../../i18n/locales.js';
import { t } from '../../i18n/translate.js';
import { loadSharp } from '../../images/sharp.js';
import type { MessageView } from '../views/message-view.js';

/** Discord's per-file limit when the interaction does not say otherwise (10 MiB). */
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;
/** Discord's limit of attachments on one message (error 30015 above it). */
export const MAX_FILES_PER_MESSAGE = 10;
const SPOILER_PREFIX = 'SPOILER_';

export interface UploadFile {
  name: string;
  data: Buffer;
  description?: string;
}

export interface PreflightResult {
  files: UploadFile[];
  /** One plain sentence per change, for the reply. */
  notes: string[];
  /** Old file name → new one, for `attachment://` references; absent: the file was left out. */
  renamed: Map<string, string | undefined>;
}

type Encoding =
  | { format: 'webp'; lossless: true; scale: 1 }
  | { format: 'webp' | 'jpeg'; lossless: false; quality: number; scale: number };

/** Cheapest loss first: lossless WebP, lossy WebP, JPEG, then smaller sizes. */
const LADDER: readonly Encoding[] = [
  { format: 'webp', lossless: true, scale: 1 },
  { format: 'webp', lossless: false, quality: 90, scale: 1 },
  { format: 'webp', lossless: false, quality: 80, scale: 1 },
  { format: 'webp', lossless: false, quality: 70, scale: 1 },
  { format: 'jpeg', lossless: false, quality: 85, scale: 1 },
  ...[0.75, 0.5, 0.35, 0.25, 0.125].map(
    (scale): Encoding => ({ format: 'webp', lossless: false, quality: 80, scale }),
  ),
];

const MIB = 1024 * 1024;

/** "12.6 MB", "10 MB", "850 KB" (binary units, as Discord counts its limit). */
export function formatBytes(bytes: number, locale: Locale = DEFAULT_LOCALE): string {
  if (bytes >= MIB)
    return t(locale, 'delivery.upload.megabytes', { value: Number((bytes / MIB).toFixed(1)) });
  if (bytes >= 1024) return t(locale, 'delivery.upload.kilobytes', { value: Math.round(bytes / 1024) });
  return t(locale, 'delivery.upload.bytes', { value: bytes });
}

export function contentTypeFor(name: string): string {
  if (/\.webp$/i.test(name)) return 'image/webp';
  if (/\.jpe?g$/i.test(name)) return 'image/jpeg';
  return 'image/png';
}

const withExtension = (name: string, format: 'webp' | 'jpeg') =>
  `${name.replace(/\.[a-z0-9]+$/i, '')}.${format === 'jpeg' ? 'jpg' : 'webp'}`;

/** "WebP (quality 90, 3.3 MB)", "lossless WebP (8.1 MB)", "WebP at 1536×1536 (quality 80, 2 MB)". */
function describeEncoding(
  encoding: Encoding,
  width: number,
  height: number,
  bytes: number,
  locale: Locale,
): string {
  const size = formatBytes(bytes, locale);
  if (encoding.lossless) return t(locale, 'delivery.upload.lossless', { size });
  const format = encoding.format === 'jpeg' ? 'JPEG' : 'WebP';
  return encoding.scale === 1
    ? t(locale, 'delivery.upload.lossy', { format, quality: encoding.quality, size })
    : t(locale, 'delivery.upload.lossyResized', { format, width, height, quality: encoding.quality, size });
}

async function encode(
  data: Buffer,
  encoding: Encoding,
  original: { width: number; height: number },
): Promise<{ data: Buffer; width: number; height: number }> {
  const sharp = await loadSharp();
  let image = sharp(data, { limitInputPixels: false });
  let { width, height } = original;
  if (encoding.scale !== 1) {
    width = Math.max(1, Math.round(original.width * encoding.scale));
    height = Math.max(1, Math.round(original.height * encoding.scale));
    image = image.resize(width, height, { fit: 'fill' });
  }
  const out = encoding.lossless
    ? await image.webp({ lossless: true, effort: 2 }).toBuffer()
    : encoding.format === 'jpeg'
      ? await image.jpeg({ quality: encoding.quality, mozjpeg: true }).toBuffer()
      : await image.webp({ quality: encoding.quality, effort: 4 }).toBuffer();
  return { data: out, width, height };
}

/**
 * Makes every file fit Discord's per-file limit (`limitBytes`, the interaction's
 * `attachment_size_limit`) and the 10-files-per-message limit. A file over the limit is
 * re-encoded down the ladder until it fits; one that cannot fit (or is not an image) is left out.
 * Files within the limit pass through byte for byte.
 */
export async function fitAttachments(
  files: readonly UploadFile[],
  limitBytes: number,
  locale: Locale = DEFAULT_LOCALE,
): Promise<PreflightResult> {
  const notes: string[] = [];
  const renamed = new Map<string, string | undefined>();
  const out: UploadFile[] = [];
  const limit = formatBytes(limitBytes, locale);
  for (const [index, file] of files.entries()) {
    if (index >= MAX_FILES_PER_MESSAGE) {
      renamed.set(file.name, undefined);
      continue;
    }
    if (file.data.length <= limitBytes) {
      out.push(file);
      continue;
    }
    const label = { image: index + 1, size: formatBytes(file.data.length, locale), limit };
    let fitted: { file: UploadFile; how: string } | undefined;
    try {
      const sharp = await loadSharp();
      const meta = await sharp(file.data, { limitInputPixels: false }).metadata();
      const original = { width: meta.width ?? 0, height: meta.height ?? 0 };
      for (const encoding of LADDER) {
        const result = await encode(file.data, encoding, original);
        if (result.data.length <= limitBytes) {
          const name = withExtension(file.name, encoding.format);
          fitted = {
            file: { ...file, name, data: result.data },
            how: describeEncoding(encoding, result.width, result.height, result.data.length, locale),
          };
          break;
        }
      }
    } catch {
      // Not decodable: it cannot be made smaller, so it is left out below.
    }
    if (fitted === undefined) {
      renamed.set(file.name, undefined);
      notes.push(t(locale, 'delivery.upload.leftOut', label));
      continue;
    }
    renamed.set(file.name, fitted.file.name);
    out.push(fitted.file);
    notes.push(t(locale, 'delivery.upload.sentAs', { ...label, how: fitted.how }));
  }
  const dropped = files.length - MAX_FILES_PER_MESSAGE;
  if (dropped > 0) {
    notes.push(
      dropped === 1
        ? t(locale, 'delivery.upload.oneMoreLeftOut', { max: MAX_FILES_PER_MESSAGE })
        : t(locale, 'delivery.upload.moreLeftOut', { count: dropped, max: MAX_FILES_PER_MESSAGE }),
    );
  }
  return { files: out, notes, renamed };
}

export interface UploadOptions {
  /** The interaction's `attachment_size_limit`; default 10 MiB. */
  attachmentSizeLimit?: number | undefined;
  /** Post the files as spoilers (blurred until clicked). */
  spoiler?: boolean | undefined;
}

/**
 * Prepares a view's files for upload: spoiler names when asked, re-encoding of files over the
 * limit, `attachment://` references kept in step, and the notes appended to the content.
 * A spoiler image is never shown in an embed (embeds do not blur), only as the attachment.
 */
export async function prepareUpload(
  view: MessageView,
  options: UploadOptions,
  locale: Locale = DEFAULT_LOCALE,
): Promise<MessageView> {
  if (view.files.length === 0) return view;
  const limit =
    options.attachmentSizeLimit !== undefined &&
    Number.isFinite(options.attachmentSizeLimit) &&
    options.attachmentSizeLimit > 0
      ? options.attachmentSizeLimit
      : DEFAULT_ATTACHMENT_SIZE_LIMIT;
  const fitted = await fitAttachments(view.files, limit, locale);
  const finalName = (name: string) => (options.spoiler === true ? `${SPOILER_PREFIX}${name}` : name);
  const files = fitted.files.map((file) => ({ ...file, name: finalName(file.name) }));
  const reference = (url: string | undefined): string | undefined => {
    if (url === undefined || !url.startsWith('attachment://')) return url;
    if (options.spoiler === true) return undefined;
    const name = url.slice('attachment://'.length);
    if (!fitted.renamed.has(name)) return url;
    const next = fitted.renamed.get(name);
    return next === undefined ? undefined : `attachment://${finalName(next)}`;
  };
  const embeds = view.embeds.map((embed) => {
    const copy = { ...embed };
    const image = reference(embed.image?.url);
    if (embed.image !== undefined) {
      if (image === undefined) delete copy.image;
      else copy.image = { ...embed.image, url: image };
    }
    const thumbnail = reference(embed.thumbnail?.url);
    if (embed.thumbnail !== undefined) {
      if (thumbnail === undefined) delete copy.thumbnail;
      else copy.thumbnail = { ...embed.thumbnail, url: thumbnail };
    }
    return copy;
  });
  const content = [view.content, ...fitted.notes].filter((part) => part !== '').join('\n');
  return { ...view, content: content.length > 2000 ? `${content.slice(0, 1999)}…` : content, embeds, files };
}
