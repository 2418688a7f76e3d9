/** Shared data types of the fake Discord (state kept by the fake, not discord.js structures). */

export type FakeChannelConfig = {
  id: string;
  name: string;
  type: 0;
  nsfw: boolean;
  /** `false` makes `POST /channels/{id}/messages` answer 403 code 50013 (Missing Permissions). */
  postable?: boolean;
};

export type FakeGuildConfig = {
  id: string;
  name: string;
  channels: FakeChannelConfig[];
};

export type FakeUser = {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
};

/** An uploaded file as the fake received it (`files[n]` part of a multipart body). */
export type FakeFile = {
  /** The multipart field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
};

export type FakeAttachment = {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxyUrl: string;
  contentType: string;
  description: string | null;
  width: number | null;
  height: number | null;
  bytes: Buffer;
};

export type FakeMessage = {
  id: string;
  channelId: string;
  content: string;
  embeds: Record<string, unknown>[];
  components: Record<string, unknown>[];
  flags: number;
  attachments: FakeAttachment[];
  timestamp: string;
  editedTimestamp: string | null;
  /** Set for messages created through an interaction token (original response or follow-up). */
  interactionToken: string | null;
  deleted: boolean;
};

/** The JSON error Discord sends, with the HTTP status the fake uses for it. */
export type ApiError = {
  status: number;
  body: { message: string; code: number; errors?: Record<string, unknown> };
};

export type RecordedPart = {
  name: string;
  filename: string | null;
  contentType: string | null;
  /** Text value for plain fields; `null` for files. */
  value: string | null;
  size: number;
};

export type RecordedRequest = {
  method: string;
  /** Path with `%40original` decoded to `@original`, without the query string. */
  path: string;
  rawUrl: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the parsed `payload_json` part of a multipart body. */
  json: unknown;
  parts: RecordedPart[] | null;
  files: FakeFile[];
  status: number;
  response: unknown;
  /** Fake clock time at which the request arrived. */
  at: number;
  /**
   * When the body's last byte was read, on the shared clock `performance.timeOrigin + performance.now()`
   * (real time, sub-millisecond, not the fake clock; benchmarks compare it across fakes).
   */
  receivedAt: number;
};

export const MESSAGE_FLAG_EPHEMERAL = 1 << 6;
export const MESSAGE_FLAG_LOADING = 1 << 7;
export const DEFAULT_ATTACHMENT_SIZE_LIMIT = 10_485_760;
export const INTERACTION_RESPONSE_DEADLINE_MS = 3_000;
export const INTERACTION_TOKEN_LIFETIME_MS = 15 * 60_000;
