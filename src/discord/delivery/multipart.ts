import { randomBytes } from 'node:crypto';

export interface MessageFile {
  name: string;
  data: Buffer;
  contentType: string;
}

/** What `rest.post`/`rest.patch` take for a message: JSON, or a multipart body in parts, with files. */
export interface MessageRequest {
  body: unknown;
  passThroughBody?: boolean;
  headers?: Record<string, string>;
}

const CRLF = Buffer.from('\r\n');

/**
 * A message with files as a `multipart/form-data` body (`payload_json` and `files[n]`, as the Discord
 * docs describe), sent through as is. Left to discord.js, every file would be copied into a `Blob`
 * whose memory V8 does not count: nothing pushes the garbage collector to free it, and the bot's
 * memory grew by every image it had sent until a full collection happened to run. The body is the
 * list of its parts, the files' own Buffers among them, with its length given: undici writes them
 * one after the other (and again on a retry), so the images are not copied into one more Buffer.
 */
export function toMessageRequest(body: object, files: readonly MessageFile[]): MessageRequest {
  if (files.length === 0) return { body };
  const boundary = `sdbot-${randomBytes(12).toString('hex')}`;
  const part = (name: string, type: string, filename?: string) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${
        filename === undefined ? '' : `; filename="${toQuoted(filename)}"`
      }\r\nContent-Type: ${type}\r\n\r\n`,
    );
  const parts: Buffer[] = [part('payload_json', 'application/json'), Buffer.from(JSON.stringify(body)), CRLF];
  files.forEach((file, index) => {
    parts.push(part(`files[${index}]`, file.contentType, file.name), file.data, CRLF);
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const length = parts.reduce((sum, item) => sum + item.length, 0);
  return {
    body: parts,
    passThroughBody: true,
    headers: {
      'Content-Type': `multipart/form-data; boundary=${boundary}`,
      'Content-Length': String(length),
    },
  };
}

/** A file name inside a quoted header parameter: no quotes, backslashes or line breaks. */
function toQuoted(name: string): string {
  return name.replace(/["\\\r\n]/g, '_');
}
