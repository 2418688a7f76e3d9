import { readPngSize } from '../webui/png.js';
import { apiErrors } from './api-errors.js';
import {
  isRecord,
  LIMITS,
  toRecords,
  validateComponents,
  validateContent,
  validateEmbeds,
} from './limits.js';
import {
  type ApiError,
  type FakeAttachment,
  type FakeFile,
  type FakeMessage,
  type FakeUser,
  MESSAGE_FLAG_EPHEMERAL,
  MESSAGE_FLAG_LOADING,
} from './types.js';

/** Flags a sender may set: SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2. */
const SETTABLE_FLAGS = 4 | MESSAGE_FLAG_EPHEMERAL | 4096 | 32768;

export type MessageWrite = {
  /** The message being edited; `undefined` to create one. */
  existing: FakeMessage | undefined;
  data: Record<string, unknown>;
  files: FakeFile[];
  attachmentSizeLimit: number;
  channelId: string;
  interactionToken: string | null;
  nextId: () => string;
  /** Fake clock, for timestamps. */
  now: number;
  /** Registers the bytes with the fake's file host and returns their URLs. */
  host: (channelId: string, attachmentId: string, filename: string) => { url: string; proxyUrl: string };
  /** Skips the empty-message check (a type-5 defer creates a loading message without content). */
  allowEmpty?: boolean;
  /** Extra flags to set (e.g. LOADING for a deferred response). */
  addFlags?: number;
};

export type MessageWriteResult = { ok: true; message: FakeMessage } | { ok: false; error: ApiError };

/** Creates or edits a message the way Discord does, enforcing content, embed, component and file limits. */
export function writeMessage(write: MessageWrite): MessageWriteResult {
  const { data, files, existing } = write;
  for (const file of files) {
    if (file.bytes.length > write.attachmentSizeLimit)
      return { ok: false, error: apiErrors.entityTooLarge() };
  }
  const attachments = resolveAttachments(write);
  if (!Array.isArray(attachments)) return { ok: false, error: attachments };
  if (attachments.length > LIMITS.attachments) return { ok: false, error: apiErrors.tooManyAttachments() };
  const invalid =
    validateContent(data.content) ?? validateEmbeds(data.embeds) ?? validateComponents(data.components);
  if (invalid) return { ok: false, error: invalid };

  const stamp = new Date(write.now).toISOString();
  const message: FakeMessage = {
    id: existing?.id ?? write.nextId(),
    channelId: existing?.channelId ?? write.channelId,
    content: 'content' in data ? textOrEmpty(data.content) : (existing?.content ?? ''),
    embeds: 'embeds' in data ? cloneRecords(data.embeds) : (existing?.embeds ?? []),
    components: 'components' in data ? cloneRecords(data.components) : (existing?.components ?? []),
    flags: nextFlags(existing, data.flags) | (write.addFlags ?? 0),
    attachments,
    timestamp: existing?.timestamp ?? stamp,
    editedTimestamp: existing ? stamp : null,
    interactionToken: existing?.interactionToken ?? write.interactionToken,
    deleted: false,
  };
  const isEmpty =
    message.content.length === 0 &&
    message.embeds.length === 0 &&
    message.components.length === 0 &&
    message.attachments.length === 0;
  if (isEmpty && !write.allowEmpty) return { ok: false, error: apiErrors.emptyMessage() };
  return { ok: true, message };
}

function textOrEmpty(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function cloneRecords(value: unknown): Record<string, unknown>[] {
  return structuredClone(toRecords(value));
}

function nextFlags(existing: FakeMessage | undefined, requested: unknown): number {
  const asked = typeof requested === 'number' ? requested & SETTABLE_FLAGS : undefined;
  if (!existing) return asked ?? 0;
  // The ephemeral state is fixed at creation; editing clears the loading state.
  const kept = existing.flags & MESSAGE_FLAG_EPHEMERAL;
  const rest = asked === undefined ? existing.flags & ~MESSAGE_FLAG_LOADING : asked & ~MESSAGE_FLAG_EPHEMERAL;
  return (kept | rest) & ~MESSAGE_FLAG_LOADING;
}

/**
 * With an `attachments` array only the listed attachments survive: existing ones by id, new ones by
 * the `n` of their `files[n]` part. Without it, existing attachments stay and new files are appended.
 */
function resolveAttachments(write: MessageWrite): FakeAttachment[] | ApiError {
  const { data, files, existing } = write;
  const byField = new Map(files.map((file) => [file.field, file]));
  const used = new Set<string>();
  const result: FakeAttachment[] = [];
  if (Array.isArray(data.attachments)) {
    for (const [index, entry] of data.attachments.entries()) {
      if (!isRecord(entry) || (typeof entry.id !== 'string' && typeof entry.id !== 'number')) {
        return apiErrors.invalidFormBody(
          `attachments.${index}.id`,
          'BASE_TYPE_REQUIRED',
          'This field is required',
        );
      }
      const id = String(entry.id);
      const file = byField.get(`files[${id}]`);
      if (file && !used.has(file.field)) {
        used.add(file.field);
        result.push(toAttachment(write, file, entry));
        continue;
      }
      const kept = existing?.attachments.find((attachment) => attachment.id === id);
      if (!kept) {
        return apiErrors.invalidFormBody(
          `attachments.${index}.id`,
          'ATTACHMENT_NOT_FOUND',
          `Attachment ${id} was not found in the request or the message`,
        );
      }
      result.push(typeof entry.description === 'string' ? { ...kept, description: entry.description } : kept);
    }
  } else if (existing) {
    result.push(...existing.attachments);
  }
  for (const file of files) {
    if (!used.has(file.field)) result.push(toAttachment(write, file, undefined));
  }
  return result;
}

function toAttachment(
  write: MessageWrite,
  file: FakeFile,
  entry: Record<string, unknown> | undefined,
): FakeAttachment {
  const id = write.nextId();
  const filename = typeof entry?.filename === 'string' && entry.filename ? entry.filename : file.filename;
  const channelId = write.existing?.channelId ?? write.channelId;
  const { url, proxyUrl } = write.host(channelId, id, filename);
  const size = readPngSize(file.bytes);
  return {
    id,
    filename,
    size: file.bytes.length,
    url,
    proxyUrl,
    contentType: file.contentType,
    description: typeof entry?.description === 'string' ? entry.description : null,
    width: size?.width ?? null,
    height: size?.height ?? null,
    bytes: file.bytes,
  };
}

/** A deep-enough copy for timelines: JSON parts cloned, attachment bytes shared (never mutated). */
export function snapshotMessage(message: FakeMessage): FakeMessage {
  return {
    ...message,
    embeds: structuredClone(message.embeds),
    components: structuredClone(message.components),
    attachments: message.attachments.map((attachment) => ({ ...attachment })),
  };
}

/** The message JSON Discord returns. */
export function toApiMessage(
  message: FakeMessage,
  author: FakeUser,
  applicationId: string | null,
): Record<string, unknown> {
  return {
    id: message.id,
    type: 0,
    channel_id: message.channelId,
    author,
    content: message.content,
    embeds: message.embeds,
    components: message.components,
    attachments: message.attachments.map((attachment) => ({
      id: attachment.id,
      filename: attachment.filename,
      size: attachment.size,
      url: attachment.url,
      proxy_url: attachment.proxyUrl,
      content_type: attachment.contentType,
      ...(attachment.description === null ? {} : { description: attachment.description }),
      ...(attachment.width === null ? {} : { width: attachment.width, height: attachment.height }),
      ...((message.flags & MESSAGE_FLAG_EPHEMERAL) !== 0 ? { ephemeral: true } : {}),
    })),
    flags: message.flags,
    timestamp: message.timestamp,
    edited_timestamp: message.editedTimestamp,
    tts: false,
    pinned: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    ...(applicationId === null ? {} : { webhook_id: applicationId, application_id: applicationId }),
  };
}
