import { EventEmitter } from 'node:events';
import type { InteractionState } from './interaction-handle.js';
import { createSnowflakes } from './snowflake.js';
import type { FakeChannelConfig, FakeGuildConfig, FakeMessage, FakeUser } from './types.js';

export type StoredCommand = Record<string, unknown> & { id: string; name: string; type: number };

export type HostedFile = { filename: string; contentType: string; bytes: Buffer };

export type DmChannel = { id: string; userId: string };

export type FakeDiscordOptions = {
  token?: string;
  applicationId?: string;
  botUserId?: string;
  /** The default member that sends interactions. */
  userId?: string;
  guilds?: FakeGuildConfig[];
  /** Base clock (ms); `advanceClock()` adds to it. Default `Date.now`. */
  clock?: () => number;
  /** HELLO heartbeat interval; default 45 000 ms. */
  heartbeatIntervalMs?: number;
};

export const DEFAULT_IDS = {
  applicationId: '1300000000000000001',
  guildId: '1300000000000000100',
  generalChannelId: '1300000000000000101',
  nsfwChannelId: '1300000000000000102',
  userId: '1300000000000000200',
} as const;

export const DEFAULT_TOKEN = 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.fake.discord-bot-token';

/** All mutable state of one fake Discord, shared by the routes, the gateway and the driver. */
export type FakeState = {
  token: string;
  applicationId: string;
  botUser: FakeUser;
  defaultUser: FakeUser;
  guilds: FakeGuildConfig[];
  now: () => number;
  advance: (ms: number) => void;
  nextId: () => string;
  baseUrl: string;
  messages: Map<string, FakeMessage>;
  interactionsByToken: Map<string, InteractionState>;
  files: Map<string, HostedFile>;
  commands: { global: StoredCommand[]; guilds: Map<string, StoredCommand[]> };
  registrationCalls: number;
  dmChannels: Map<string, DmChannel>;
  users: Map<string, FakeUser>;
  blockedChannels: Set<string>;
  blockedDmUsers: Set<string>;
  /** Emits `message` (FakeMessage) for every message created with the bot token. */
  emitter: EventEmitter;
};

export function createState(options: FakeDiscordOptions): FakeState {
  const baseClock = options.clock ?? Date.now;
  let offset = 0;
  const now = () => baseClock() + offset;
  const applicationId = options.applicationId ?? DEFAULT_IDS.applicationId;
  const botUser: FakeUser = {
    id: options.botUserId ?? applicationId,
    username: 'Fake SD Bot',
    global_name: null,
    discriminator: '0',
    avatar: null,
    bot: true,
  };
  const defaultUser: FakeUser = {
    id: options.userId ?? DEFAULT_IDS.userId,
    username: 'alice',
    global_name: 'Alice',
    discriminator: '0',
    avatar: null,
  };
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    token: options.token ?? DEFAULT_TOKEN,
    applicationId,
    botUser,
    defaultUser,
    guilds: options.guilds ?? [defaultGuild()],
    now,
    advance: (ms) => {
      offset += ms;
    },
    nextId: createSnowflakes(now),
    baseUrl: '',
    messages: new Map(),
    interactionsByToken: new Map(),
    files: new Map(),
    commands: { global: [], guilds: new Map() },
    registrationCalls: 0,
    dmChannels: new Map(),
    users: new Map([
      [botUser.id, botUser],
      [defaultUser.id, defaultUser],
    ]),
    blockedChannels: new Set(),
    blockedDmUsers: new Set(),
    emitter,
  };
}

function defaultGuild(): FakeGuildConfig {
  return {
    id: DEFAULT_IDS.guildId,
    name: 'Fake Guild',
    channels: [
      { id: DEFAULT_IDS.generalChannelId, name: 'general', type: 0, nsfw: false },
      { id: DEFAULT_IDS.nsfwChannelId, name: 'nsfw-art', type: 0, nsfw: true },
    ],
  };
}

export function findGuildChannel(
  state: FakeState,
  channelId: string,
): { guild: FakeGuildConfig; channel: FakeChannelConfig } | undefined {
  for (const guild of state.guilds) {
    const channel = guild.channels.find((candidate) => candidate.id === channelId);
    if (channel) return { guild, channel };
  }
  return undefined;
}

export function findDmChannel(state: FakeState, channelId: string): DmChannel | undefined {
  for (const dm of state.dmChannels.values()) if (dm.id === channelId) return dm;
  return undefined;
}

/** Builds the URL of a hosted file and remembers its bytes (attachment URLs and `hostFile`). */
export function hostBytes(state: FakeState, path: string, file: HostedFile): string {
  state.files.set(path, file);
  return `${state.baseUrl}${path}`;
}

export function attachmentPath(channelId: string, attachmentId: string, filename: string): string {
  return `/attachments/${channelId}/${attachmentId}/${encodeURIComponent(filename)}`;
}

/** Hosts the bytes of every attachment of a freshly written message. */
export function hostAttachments(state: FakeState, message: FakeMessage): void {
  for (const attachment of message.attachments) {
    const path = attachmentPath(message.channelId, attachment.id, attachment.filename);
    const file = {
      filename: attachment.filename,
      contentType: attachment.contentType,
      bytes: attachment.bytes,
    };
    state.files.set(path, file);
    state.files.set(`/proxy${path}`, file);
  }
}
