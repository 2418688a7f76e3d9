import { msg } from '../../i18n/translate.js';
import { loadSharp } from '../../images/sharp.js';
import { UserError } from '../../user-error.js';
import { formatBytes } from './upload-preflight.js';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

/** An attachment as Discord describes it (the `image` option of /imagine). */
export interface InputAttachment {
  url: string;
  /** Declared size in bytes. */
  size: number;
  name: string;
}

export interface InputImage {
  bytes: Buffer;
  format: ImageFormat;
  width: number;
  height: number;
}

export interface InputImageLimits {
  maxBytes: number;
  /** Most pixels of the input (the per-image budget, MAX_PIXELS). */
  maxPixels: number;
}

const DOWNLOAD_TIMEOUT_MS = 30_000;

/** The format the first bytes announce (PNG, JPEG or WebP), whatever the file's name or type says. */
export function detectImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  const starts = (offset: number, signature: number[]) =>
    signature.every((byte, index) => bytes[offset + index] === byte);
  if (starts(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(0, [0xff, 0xd8, 0xff])) return 'jpeg';
  // "RIFF" <size> "WEBP"
  if (starts(0, [0x52, 0x49, 0x46, 0x46]) && starts(8, [0x57, 0x45, 0x42, 0x50])) return 'webp';
  return undefined;
}

/** `size` undefined: the download passed the limit (its real size is not known). */
const tooLarge = (size: number | undefined, maxBytes: number) =>
  new UserError(
    'input-too-large',
    size === undefined
      ? msg('refusals.input.tooLargeStreamed', { limit: formatBytes(maxBytes) })
      : msg('refusals.input.tooLarge', { size: formatBytes(size), limit: formatBytes(maxBytes) }),
  );

/** Refuses, before any download, an attachment whose declared size is over the limit. */
export function checkDeclaredSize(attachment: InputAttachment, maxBytes: number): void {
  if (attachment.size > maxBytes) throw tooLarge(attachment.size, maxBytes);
}

/**
 * Downloads an attachment, counting the bytes as they arrive: past `maxBytes` the download stops
 * (whatever the declared size said). Network failures become a plain message.
 */
export async function downloadAttachment(
  url: string,
  maxBytes: number,
  fetchImpl: typeof fetch = fetch,
): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), DOWNLOAD_TIMEOUT_MS);
  const failed = () => new UserError('input-download-failed', msg('refusals.input.downloadFailed'));
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, { signal: controller.signal });
    } catch {
      throw failed();
    }
    if (!response.ok || response.body === null) throw failed();
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      controller.abort();
      throw tooLarge(declared, maxBytes);
    }
    const chunks: Buffer[] = [];
    let received = 0;
    try {
      for await (const chunk of response.body) {
        received += chunk.byteLength;
        if (received > maxBytes) {
          controller.abort();
          throw tooLarge(undefined, maxBytes);
        }
        chunks.push(Buffer.from(chunk));
      }
    } catch (error: unknown) {
      if (error instanceof UserError) throw error;
      throw failed();
    }
    return Buffer.concat(chunks);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The /imagine input image: declared size, download with a byte cap, content by magic bytes
 * (PNG, JPEG or WebP only), then its size in pixels against the budget (sharp reads the header).
 */
export async function loadInputImage(
  attachment: InputAttachment,
  limits: InputImageLimits,
  fetchImpl: typeof fetch = fetch,
): Promise<InputImage> {
  checkDeclaredSize(attachment, limits.maxBytes);
  const bytes = await downloadAttachment(attachment.url, limits.maxBytes, fetchImpl);
  const format = detectImageFormat(bytes);
  const notAnImage = new UserError('input-not-an-image', msg('refusals.input.notAnImage'));
  if (format === undefined) throw notAnImage;
  const sharp = await loadSharp();
  const metadata = await sharp(bytes)
    .metadata()
    .catch(() => undefined);
  if (metadata?.width === undefined || metadata.height === undefined) throw notAnImage;
  const { width, height } = metadata;
  if (width * height > limits.maxPixels) {
    throw new UserError(
      'input-too-many-pixels',
      msg('refusals.input.tooManyPixels', { width, height, pixels: width * height, limit: limits.maxPixels }),
    );
  }
  if (width < 64 || height < 64) {
    throw new UserError('input-too-small', msg('refusals.input.tooSmall', { width, height, min: 64 }));
  }
  return { bytes, format, width, height };
}
