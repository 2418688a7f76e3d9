import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleBotRoute } from './bot-routes.js';
import { createDriver, type Driver } from './driver.js';
import { FakeGateway, type ShardKey } from './gateway.js';
import { handleCallback, handleWebhook } from './interaction-routes.js';
import { snapshotMessage } from './messages.js';
import { parseBody, readBody } from './request-body.js';
import type { RouteRequest, RouteResult } from './route-types.js';
import { shardOf } from './snowflake.js';
import {
  createState,
  type FakeDiscordOptions,
  type FakeState,
  hostBytes,
  type StoredCommand,
} from './state.js';
import type { FakeGuildConfig, FakeMessage, RecordedRequest } from './types.js';

export type {
  AutocompleteResult,
  ClickButtonParams,
  CommandOptions,
  InteractionSender,
  RawOption,
  SendAutocompleteParams,
  SendCommandParams,
  SubmitModalParams,
  UploadedAttachment,
} from './driver.js';
export type {
  CallbackEvent,
  DeleteEvent,
  EditEvent,
  FollowUpEvent,
  InteractionHandle,
  RejectedEvent,
  TimelineEvent,
} from './interaction-handle.js';
export type { FakeDiscordOptions, StoredCommand } from './state.js';
export type {
  FakeAttachment,
  FakeChannelConfig,
  FakeFile,
  FakeGuildConfig,
  FakeMessage,
  RecordedRequest,
} from './types.js';

/** Which requests a fault applies to: a RegExp tested against `"METHOD /api/v10/decoded/path"`, or a predicate. */
export type RouteMatcher = RegExp | ((request: { method: string; path: string }) => boolean);

export type RateLimitInjection = {
  route?: RouteMatcher;
  times?: number;
  retryAfterSeconds?: number;
  global?: boolean;
};
export type ServerErrorInjection = { route?: RouteMatcher; times?: number; status?: 500 | 502 | 503 | 504 };

export type FakeDiscord = Driver & {
  /** What discord.js takes as `rest.api`: `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  /** `http://127.0.0.1:PORT`. */
  baseUrl: string;
  gatewayUrl: string;
  token: string;
  applicationId: string;
  botUserId: string;
  /** The default member that sends interactions. */
  userId: string;
  /** First guild, its first channel (`general` by default) and its first NSFW channel (`nsfw-art`). */
  guildId: string;
  channelId: string;
  nsfwChannelId: string | null;
  guilds: FakeGuildConfig[];
  /** Every HTTP request, in arrival order. */
  requests: RecordedRequest[];
  commands: { readonly global: StoredCommand[]; guild(guildId: string): StoredCommand[] };
  /** Number of command writes (bulk PUT, POST, PATCH, DELETE) — 0 means registration was skipped. */
  readonly registrationCalls: number;
  gateway: FakeGateway;
  now(): number;
  advanceClock(ms: number): void;
  /** Current state of a message (any channel), deleted ones included with `deleted: true`. */
  message(id: string): FakeMessage | undefined;
  /** Live (not deleted) messages in a channel, oldest first. */
  messagesIn(channelId: string): FakeMessage[];
  /** Resolves with the first message created with the bot token (channel or DM) that matches. */
  waitForChannelMessage(
    predicate?: (message: FakeMessage) => boolean,
    timeoutMs?: number,
  ): Promise<FakeMessage>;
  /** The DM channel id the bot opened with a user, if any. */
  dmChannelOf(userId: string): string | undefined;
  /** Serves `bytes` from the fake and returns their URL. */
  hostFile(name: string, bytes: Buffer | Uint8Array, contentType?: string): string;
  /** `false` makes posting in the channel answer 403 code 50013. */
  setChannelPostable(channelId: string, postable: boolean): void;
  /** Makes DMs to the user answer 403 code 50007. */
  blockDms(userId: string): void;
  injectRateLimit(injection?: RateLimitInjection): void;
  injectServerError(injection?: ServerErrorInjection): void;
  /** Closes the gateway socket (default code 4000, which discord.js resumes). */
  dropGateway(code?: number): void;
  waitForResume(timeoutMs?: number): Promise<void>;
  waitForIdentify(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

type Fault = {
  matches: (request: { method: string; path: string }) => boolean;
  remaining: number;
  respond: () => { status: number; headers: Record<string, string>; body: unknown };
};

/** Starts a fake Discord (REST + gateway) on 127.0.0.1 with a random port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const state = createState(options);
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  const server = createServer((req, res) => {
    handleHttp(state, faults, requests, req, res, gatewayUrl()).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `fake discord crashed: ${String(error)}`, code: 0 }));
    });
  });
  const gatewayUrl = () => `${state.baseUrl.replace('http://', 'ws://')}/gateway`;
  const gateway = new FakeGateway({
    server,
    token: state.token,
    now: state.now,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 45_000,
    readyPayload: (shard) => readyPayload(state, shard),
    guildCreatePayloads: (shard) => guildsOn(state, shard).map((guild) => guildCreatePayload(state, guild)),
    resumeUrl: gatewayUrl,
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}`;
  const driver = createDriver(state, gateway);
  const firstGuild = state.guilds[0];
  const firstChannel = firstGuild?.channels[0];
  if (!firstGuild || !firstChannel) throw new Error('fake discord: need at least one guild with one channel');

  return {
    ...driver,
    apiUrl: `${state.baseUrl}/api`,
    baseUrl: state.baseUrl,
    gatewayUrl: gatewayUrl(),
    token: state.token,
    applicationId: state.applicationId,
    botUserId: state.botUser.id,
    userId: state.defaultUser.id,
    guildId: firstGuild.id,
    channelId: firstChannel.id,
    nsfwChannelId: firstGuild.channels.find((channel) => channel.nsfw)?.id ?? null,
    guilds: state.guilds,
    requests,
    commands: {
      get global() {
        return state.commands.global;
      },
      guild: (guildId) => state.commands.guilds.get(guildId) ?? [],
    },
    get registrationCalls() {
      return state.registrationCalls;
    },
    gateway,
    now: state.now,
    advanceClock: state.advance,
    message: (id) => {
      const message = state.messages.get(id);
      return message ? snapshotMessage(message) : undefined;
    },
    messagesIn: (channelId) =>
      [...state.messages.values()]
        .filter((message) => message.channelId === channelId && !message.deleted)
        .map(snapshotMessage),
    waitForChannelMessage: (predicate = () => true, timeoutMs = 10_000) =>
      waitForChannelMessage(state, predicate, timeoutMs),
    dmChannelOf: (userId) => state.dmChannels.get(userId)?.id,
    hostFile: (name, bytes, contentType = 'application/octet-stream') => {
      const path = `/attachments/hosted/${state.nextId()}/${encodeURIComponent(name)}`;
      return hostBytes(state, path, { filename: name, contentType, bytes: Buffer.from(bytes) });
    },
    setChannelPostable: (channelId, postable) => {
      if (postable) state.blockedChannels.delete(channelId);
      else state.blockedChannels.add(channelId);
    },
    blockDms: (userId) => {
      state.blockedDmUsers.add(userId);
    },
    injectRateLimit: (injection = {}) => {
      const retryAfter = injection.retryAfterSeconds ?? 0.2;
      const global = injection.global ?? false;
      faults.push({
        matches: toMatcher(injection.route),
        remaining: injection.times ?? 1,
        respond: () => ({
          status: 429,
          headers: {
            'Retry-After': String(retryAfter),
            'X-RateLimit-Limit': '1',
            'X-RateLimit-Remaining': '0',
            'X-RateLimit-Reset-After': String(retryAfter),
            'X-RateLimit-Scope': global ? 'global' : 'user',
            ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
          },
          body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
        }),
      });
    },
    injectServerError: (injection = {}) => {
      const status = injection.status ?? 500;
      faults.push({
        matches: toMatcher(injection.route),
        remaining: injection.times ?? 1,
        respond: () => ({ status, headers: {}, body: { message: `${status}: Server Error`, code: 0 } }),
      });
    },
    dropGateway: (code = 4000) => gateway.drop(code),
    waitForResume: (timeoutMs) => gateway.waitForResume(timeoutMs),
    waitForIdentify: (timeoutMs) => gateway.waitForIdentify(timeoutMs),
    close: async () => {
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function toMatcher(route: RouteMatcher | undefined): Fault['matches'] {
  if (route === undefined) return () => true;
  if (route instanceof RegExp) return ({ method, path }) => route.test(`${method} ${path}`);
  return route;
}

function waitForChannelMessage(
  state: FakeState,
  predicate: (message: FakeMessage) => boolean,
  timeoutMs: number,
): Promise<FakeMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FakeMessage) => {
      if (!predicate(message)) return;
      clearTimeout(timer);
      state.emitter.off('message', onMessage);
      resolve(snapshotMessage(message));
    };
    const timer = setTimeout(() => {
      state.emitter.off('message', onMessage);
      reject(new Error(`fake discord: no matching channel/DM message within ${timeoutMs} ms`));
    }, timeoutMs);
    state.emitter.on('message', onMessage);
  });
}

async function handleHttp(
  state: FakeState,
  faults: Fault[],
  requests: RecordedRequest[],
  req: IncomingMessage,
  res: ServerResponse,
  gatewayUrl: string,
): Promise<void> {
  const at = state.now();
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = (req.method ?? 'GET').toUpperCase();
  const rawBody = await readBody(req);
  const receivedAt = performance.timeOrigin + performance.now();

  if (!url.pathname.startsWith('/api/')) {
    const file = method === 'GET' ? state.files.get(url.pathname) : undefined;
    if (!file) {
      writeJson(res, 404, { message: '404: Not Found', code: 0 }, {});
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.bytes.length) });
    res.end(file.bytes);
    return;
  }

  const body = await parseBody(req.headers['content-type'], rawBody);
  const decoded = url.pathname.split('/').map(safeDecode);
  const path = decoded.join('/');
  const segments = decoded.slice(3);
  const record: RecordedRequest = {
    method,
    path,
    rawUrl: req.url ?? '',
    query: Object.fromEntries(url.searchParams),
    headers: { ...req.headers },
    json: body.json,
    parts: body.parts,
    files: body.files,
    status: 0,
    response: undefined,
    at,
    receivedAt,
  };
  requests.push(record);

  const fault = faults.find((candidate) => candidate.remaining > 0 && candidate.matches({ method, path }));
  if (fault) {
    fault.remaining -= 1;
    const { status, headers, body: faultBody } = fault.respond();
    record.status = status;
    record.response = faultBody;
    writeJson(res, status, faultBody, headers);
    return;
  }

  const routeRequest: RouteRequest = {
    method,
    path,
    segments,
    query: url.searchParams,
    headers: req.headers,
    body,
    authorized: req.headers.authorization === `Bot ${state.token}`,
  };
  const result =
    decoded[2] === 'v10' ? route(state, routeRequest, gatewayUrl) : { status: 404, body: notFound };
  record.status = result.status;
  record.response = result.body;
  if (result.body === undefined) {
    res.writeHead(result.status, rateLimitHeaders(segments));
    res.end();
    return;
  }
  writeJson(res, result.status, result.body, result.status < 400 ? rateLimitHeaders(segments) : {});
}

const notFound = { message: '404: Not Found', code: 0 };

function route(state: FakeState, req: RouteRequest, gatewayUrl: string): RouteResult {
  const [first, second, third, fourth, fifth, sixth] = req.segments;
  if (first === 'interactions' && second && third && fourth === 'callback' && fifth === undefined) {
    return req.method === 'POST'
      ? handleCallback(state, req, second, third)
      : { status: 405, body: notFound };
  }
  if (first === 'webhooks' && second && third) {
    if (fourth === undefined) return handleWebhook(state, req, second, third, null);
    if (fourth === 'messages' && fifth && sixth === undefined)
      return handleWebhook(state, req, second, third, fifth);
    return { status: 404, body: notFound };
  }
  return handleBotRoute(state, req, gatewayUrl);
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function rateLimitHeaders(segments: string[]): Record<string, string> {
  return {
    'X-RateLimit-Limit': '50',
    'X-RateLimit-Remaining': '49',
    'X-RateLimit-Reset': String(Math.ceil(Date.now() / 1000) + 1),
    'X-RateLimit-Reset-After': '1.000',
    'X-RateLimit-Bucket': `fake-${segments[0] ?? 'root'}`,
  };
}

function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string>,
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/** The guilds whose events go to this shard (Discord's rule, see `shardOf`). */
function guildsOn(state: FakeState, [id, count]: ShardKey): FakeGuildConfig[] {
  return state.guilds.filter((guild) => shardOf(guild.id, count) === id);
}

function readyPayload(state: FakeState, shard: ShardKey): Record<string, unknown> {
  return {
    v: 10,
    user: { ...state.botUser, verified: true, mfa_enabled: false, flags: 0 },
    guilds: guildsOn(state, shard).map((guild) => ({ id: guild.id, unavailable: true })),
    application: { id: state.applicationId, flags: 0 },
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: [],
    shard: [...shard],
    user_settings: {},
    session_type: 'normal',
  };
}

function guildCreatePayload(state: FakeState, guild: FakeGuildConfig): Record<string, unknown> {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: state.defaultUser.id,
    unavailable: false,
    large: false,
    member_count: 2,
    joined_at: new Date(state.now()).toISOString(),
    preferred_locale: 'en-US',
    features: [],
    premium_tier: 0,
    verification_level: 0,
    nsfw_level: 0,
    mfa_level: 0,
    explicit_content_filter: 0,
    default_message_notifications: 0,
    system_channel_flags: 0,
    system_channel_id: null,
    afk_channel_id: null,
    afk_timeout: 300,
    channels: guild.channels.map((channel, position) => ({
      id: channel.id,
      type: channel.type,
      name: channel.name,
      nsfw: channel.nsfw,
      position,
      parent_id: null,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      permission_overwrites: [],
      flags: 0,
    })),
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        permissions: '104324673',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    members: [],
    threads: [],
    emojis: [],
    stickers: [],
    voice_states: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
  };
}
