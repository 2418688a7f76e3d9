import type { IncomingMessage } from 'node:http';
import type { FakeFile, RecordedPart } from './types.js';

export type ParsedBody = {
  /** JSON body, or the parsed `payload_json` part of a multipart body; `undefined` when there is none. */
  json: unknown;
  parts: RecordedPart[] | null;
  files: FakeFile[];
  /** Set when the body could not be parsed (bad JSON or multipart). */
  error: string | null;
};

const MAX_BODY_BYTES = 64 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Parses a JSON or `multipart/form-data` (`payload_json` + `files[n]`) body. */
export async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return { json: undefined, parts: null, files: [], error: null };
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) return parseMultipart(contentType ?? '', raw);
  try {
    return { json: JSON.parse(raw.toString('utf8')), parts: null, files: [], error: null };
  } catch {
    return { json: undefined, parts: null, files: [], error: 'body is not valid JSON' };
  }
}

async function parseMultipart(contentType: string, raw: Buffer): Promise<ParsedBody> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return { json: undefined, parts: null, files: [], error: 'body is not valid multipart/form-data' };
  }
  const parts: RecordedPart[] = [];
  const files: FakeFile[] = [];
  let json: unknown;
  let error: string | null = null;
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      parts.push({ name, filename: null, contentType: null, value, size: Buffer.byteLength(value) });
      if (name === 'payload_json') {
        try {
          json = JSON.parse(value);
        } catch {
          error = 'payload_json is not valid JSON';
        }
      }
      continue;
    }
    const bytes = Buffer.from(await value.arrayBuffer());
    const fileType = value.type || 'application/octet-stream';
    parts.push({ name, filename: value.name, contentType: fileType, value: null, size: bytes.length });
    files.push({ field: name, filename: value.name, contentType: fileType, bytes });
  }
  return { json, parts, files, error };
}
