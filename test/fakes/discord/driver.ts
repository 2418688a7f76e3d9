import type { FakeGateway } from './gateway.js';
import {
  createInteractionState,
  InteractionHandle,
  type InteractionType,
  type RejectedEvent,
} from './interaction-handle.js';
import { isRecord, toRecords } from './limits.js';
import { toApiMessage } from './messages.js';
import { attachmentPath, type FakeState, findGuildChannel, hostBytes } from './state.js';
import { DEFAULT_ATTACHMENT_SIZE_LIMIT, type FakeMessage, type FakeUser } from './types.js';

/** A raw application command option as Discord sends it. */
export type RawOption = {
  name: string;
  type: number;
  value?: unknown;
  options?: RawOption[];
  focused?: boolean;
};

/** An explicit option type (`{ type: 4, value: 3 }`) inside the `{ name: value }` form. */
export type TypedOptionValue = { type: number; value: unknown };

/** `{ prompt: 'apple', steps: 20 }` (types inferred: string 3, integer 4, other number 10, boolean 5) or raw. */
export type CommandOptions = Record<string, string | number | boolean | TypedOptionValue> | RawOption[];

/** Who sends an interaction, and from where. */
export type InteractionSender = {
  /** Merged over the default member user (`fake.userId`, username `alice`). */
  user?: Partial<FakeUser>;
  /** Member permission bitfield; default `'0'` (none). */
  permissions?: string | number | bigint;
  roles?: string[];
  /** Default: the first channel of the first guild (`general`). */
  channelId?: string;
  /** Default 10485760 (10 MiB). */
  attachmentSizeLimit?: number;
  /** The bot's permissions in the channel; default View/Send/Embed/Attach/History/External emojis. */
  appPermissions?: string;
  locale?: string;
};

/** A file the user attached to an attachment option; hosted by the fake, listed in `data.resolved`. */
export type UploadedAttachment = { filename: string; bytes: Buffer | Uint8Array; contentType?: string };

export type SendCommandParams = InteractionSender & {
  name: string;
  options?: CommandOptions;
  subcommand?: string;
  subcommandGroup?: string;
  /** Attachment options by name (option type 11 + `resolved.attachments`). */
  attachments?: Record<string, UploadedAttachment>;
  /** Merged into `data.resolved`. */
  resolved?: Record<string, unknown>;
};

export type SendAutocompleteParams = InteractionSender & {
  name: string;
  options?: CommandOptions;
  /** Name of the focused option; added with value `''` when missing from `options`. */
  focused: string;
  subcommand?: string;
  subcommandGroup?: string;
  /** How long to wait for the bot's answer; default 5000 ms. */
  timeoutMs?: number;
};

export type ClickButtonParams = InteractionSender & {
  customId: string;
  /** The message the component is on: a message from the fake's state, or its id. */
  message: FakeMessage | string;
  /** For select menus: the chosen values. */
  values?: string[];
};

export type SubmitModalParams = InteractionSender & {
  customId: string;
  /** Text input values by custom id. */
  fields: Record<string, string>;
  /** The message whose component opened the modal (enables callback types 6/7). */
  message?: FakeMessage | string;
};

export type AutocompleteResult = {
  choices: { name: string; value: string | number }[];
  delayMs: number;
  /** The refusal, when the fake rejected the answer (late, too many choices, ...). */
  rejected: RejectedEvent | null;
  handle: InteractionHandle;
};

const DEFAULT_APP_PERMISSIONS = String((1 << 10) | (1 << 11) | (1 << 14) | (1 << 15) | (1 << 16) | (1 << 18));

export type Driver = {
  sendCommand(params: SendCommandParams): InteractionHandle;
  sendAutocomplete(params: SendAutocompleteParams): Promise<AutocompleteResult>;
  clickButton(params: ClickButtonParams): InteractionHandle;
  submitModal(params: SubmitModalParams): InteractionHandle;
};

export function createDriver(state: FakeState, gateway: FakeGateway): Driver {
  let tokenCounter = 0;
  const lookup = (id: string) => state.messages.get(id);

  const send = (
    type: InteractionType,
    data: Record<string, unknown>,
    sender: InteractionSender,
    message: FakeMessage | null,
  ): InteractionHandle => {
    const channelId = sender.channelId ?? state.guilds[0]?.channels[0]?.id;
    const found = channelId === undefined ? undefined : findGuildChannel(state, channelId);
    if (!found) throw new Error(`fake discord: unknown channel ${String(channelId)}; configure it in guilds`);
    const { guild, channel } = found;
    const user: FakeUser = { ...state.defaultUser, ...sender.user };
    state.users.set(user.id, user);
    tokenCounter += 1;
    const id = state.nextId();
    const token = `fake-interaction-token-${tokenCounter}-${id}`;
    const appPermissions = sender.appPermissions ?? DEFAULT_APP_PERMISSIONS;
    const locale = sender.locale ?? 'en-US';
    const attachmentSizeLimit = sender.attachmentSizeLimit ?? DEFAULT_ATTACHMENT_SIZE_LIMIT;
    const payload: Record<string, unknown> = {
      id,
      application_id: state.applicationId,
      type,
      token,
      version: 1,
      guild_id: guild.id,
      guild: { id: guild.id, locale: 'en-US', features: [] },
      guild_locale: 'en-US',
      channel_id: channel.id,
      channel: {
        id: channel.id,
        type: channel.type,
        name: channel.name,
        nsfw: channel.nsfw,
        guild_id: guild.id,
        parent_id: null,
        flags: 0,
        permissions: appPermissions,
      },
      member: {
        user,
        roles: sender.roles ?? [],
        permissions: String(sender.permissions ?? '0'),
        joined_at: new Date(state.now()).toISOString(),
        nick: null,
        avatar: null,
        deaf: false,
        mute: false,
        flags: 0,
        pending: false,
        premium_since: null,
        communication_disabled_until: null,
      },
      app_permissions: appPermissions,
      locale,
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: attachmentSizeLimit,
      data,
      ...(message ? { message: toApiMessage(message, state.botUser, state.applicationId) } : {}),
    };
    const interaction = createInteractionState({
      id,
      token,
      type,
      payload,
      sentAt: state.now(),
      channelId: channel.id,
      attachmentSizeLimit,
      sourceMessageId: message?.id ?? null,
    });
    state.interactionsByToken.set(token, interaction);
    gateway.dispatch('INTERACTION_CREATE', payload);
    return new InteractionHandle(interaction, lookup);
  };

  const commandData = (
    params: Pick<SendCommandParams, 'name' | 'options' | 'subcommand' | 'subcommandGroup'>,
    extra: RawOption[],
    resolved: Record<string, unknown> | undefined,
    guildId: string,
  ): Record<string, unknown> => {
    let options = [...toRawOptions(params.options), ...extra];
    if (params.subcommand !== undefined) options = [{ name: params.subcommand, type: 1, options }];
    if (params.subcommandGroup !== undefined) options = [{ name: params.subcommandGroup, type: 2, options }];
    const registered =
      state.commands.guilds.get(guildId)?.find((command) => command.name === params.name) ??
      state.commands.global.find((command) => command.name === params.name);
    return {
      id: registered?.id ?? state.nextId(),
      name: params.name,
      type: 1,
      options,
      ...(registered && typeof registered.guild_id === 'string' ? { guild_id: registered.guild_id } : {}),
      ...(resolved ? { resolved } : {}),
    };
  };

  const guildOf = (channelId: string | undefined): string => {
    const id = channelId ?? state.guilds[0]?.channels[0]?.id ?? '';
    return findGuildChannel(state, id)?.guild.id ?? '';
  };

  const messageFrom = (ref: FakeMessage | string): FakeMessage => {
    const id = typeof ref === 'string' ? ref : ref.id;
    const message = state.messages.get(id);
    if (!message || message.deleted)
      throw new Error(`fake discord: message ${id} does not exist (or was deleted)`);
    return message;
  };

  return {
    sendCommand(params) {
      const extra: RawOption[] = [];
      const attachments: Record<string, unknown> = {};
      for (const [name, upload] of Object.entries(params.attachments ?? {})) {
        const attachmentId = state.nextId();
        const contentType = upload.contentType ?? 'application/octet-stream';
        const bytes = Buffer.from(upload.bytes);
        const path = attachmentPath('uploads', attachmentId, upload.filename);
        const url = hostBytes(state, path, { filename: upload.filename, contentType, bytes });
        hostBytes(state, `/proxy${path}`, { filename: upload.filename, contentType, bytes });
        attachments[attachmentId] = {
          id: attachmentId,
          filename: upload.filename,
          size: bytes.length,
          url,
          proxy_url: `${state.baseUrl}/proxy${path}`,
          content_type: contentType,
        };
        extra.push({ name, type: 11, value: attachmentId });
      }
      const hasAttachments = Object.keys(attachments).length > 0;
      const resolved =
        hasAttachments || params.resolved
          ? { ...params.resolved, ...(hasAttachments ? { attachments } : {}) }
          : undefined;
      return send(2, commandData(params, extra, resolved, guildOf(params.channelId)), params, null);
    },

    async sendAutocomplete(params) {
      const options = toRawOptions(params.options).map((option) =>
        option.name === params.focused ? { ...option, focused: true } : option,
      );
      if (!options.some((option) => option.focused))
        options.push({ name: params.focused, type: 3, value: '', focused: true });
      const data = commandData({ ...params, options }, [], undefined, guildOf(params.channelId));
      const handle = send(4, data, params, null);
      const event = await handle.waitFor(
        (candidate) => candidate.kind === 'callback' || candidate.kind === 'rejected',
        params.timeoutMs ?? 5_000,
        'an autocomplete answer',
      );
      if (event.kind === 'rejected') return { choices: [], delayMs: event.delayMs, rejected: event, handle };
      const data8 = event.kind === 'callback' && isRecord(event.data) ? event.data : {};
      const choices = toRecords(data8.choices).map((choice) => ({
        name: String(choice.name),
        value: typeof choice.value === 'number' ? choice.value : String(choice.value),
      }));
      return { choices, delayMs: event.delayMs, rejected: null, handle };
    },

    clickButton(params) {
      const message = messageFrom(params.message);
      const component = findComponent(message.components, params.customId);
      if (!component) {
        const ids = listCustomIds(message.components).join(', ') || 'none';
        throw new Error(
          `fake discord: no component "${params.customId}" on message ${message.id} (has: ${ids})`,
        );
      }
      const componentType = typeof component.type === 'number' ? component.type : 2;
      const data: Record<string, unknown> = {
        custom_id: params.customId,
        component_type: componentType,
        ...(params.values ? { values: params.values } : {}),
      };
      return send(3, data, params, message);
    },

    submitModal(params) {
      const message = params.message === undefined ? null : messageFrom(params.message);
      const data = {
        custom_id: params.customId,
        components: Object.entries(params.fields).map(([customId, value]) => ({
          type: 1,
          components: [{ type: 4, custom_id: customId, value }],
        })),
      };
      return send(5, data, params, message);
    },
  };
}

function toRawOptions(options: CommandOptions | undefined): RawOption[] {
  if (options === undefined) return [];
  if (Array.isArray(options)) return structuredClone(options);
  return Object.entries(options).map(([name, value]) => {
    if (typeof value === 'object') return { name, type: value.type, value: value.value };
    if (typeof value === 'boolean') return { name, type: 5, value };
    if (typeof value === 'number') return { name, type: Number.isInteger(value) ? 4 : 10, value };
    return { name, type: 3, value };
  });
}

function findComponent(
  components: Record<string, unknown>[],
  customId: string,
): Record<string, unknown> | undefined {
  for (const component of components) {
    if (component.custom_id === customId) return component;
    const inner = findComponent(toRecords(component.components), customId);
    if (inner) return inner;
    if (isRecord(component.accessory) && component.accessory.custom_id === customId)
      return component.accessory;
  }
  return undefined;
}

function listCustomIds(components: Record<string, unknown>[]): string[] {
  return components.flatMap((component) => [
    ...(typeof component.custom_id === 'string' ? [component.custom_id] : []),
    ...listCustomIds(toRecords(component.components)),
  ]);
}
