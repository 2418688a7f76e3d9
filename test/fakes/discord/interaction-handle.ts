import { EventEmitter } from 'node:events';
import { snapshotMessage } from './messages.js';
import { type FakeFile, type FakeMessage, MESSAGE_FLAG_LOADING } from './types.js';

/** Interaction types as Discord numbers them. */
export type InteractionType = 2 | 3 | 4 | 5;

type EventBase = {
  /** Fake clock time of the request. */
  at: number;
  /** `at` minus the time the interaction was sent. */
  delayMs: number;
};

/** An accepted `POST /interactions/{id}/{token}/callback`. */
export type CallbackEvent = EventBase & {
  kind: 'callback';
  type: number;
  data: Record<string, unknown> | null;
  files: FakeFile[];
  /** The message the callback created or updated (types 4, 5, 7), after the callback. */
  message: FakeMessage | null;
};

/** An accepted `PATCH` of `@original` or of a follow-up. */
export type EditEvent = EventBase & {
  kind: 'edit';
  target: 'original' | 'followup';
  messageId: string;
  data: Record<string, unknown>;
  files: FakeFile[];
  message: FakeMessage;
};

/** An accepted follow-up `POST /webhooks/{app}/{token}`. */
export type FollowUpEvent = EventBase & {
  kind: 'followup';
  data: Record<string, unknown>;
  files: FakeFile[];
  message: FakeMessage;
  /** A follow-up right after a type-5 defer replaces the loading original instead (Discord's old behaviour). */
  replacedOriginal: boolean;
};

export type DeleteEvent = EventBase & { kind: 'delete'; target: 'original' | 'followup'; messageId: string };

/** A callback or webhook request the fake refused (the error Discord would have sent). */
export type RejectedEvent = EventBase & {
  kind: 'rejected';
  method: string;
  path: string;
  status: number;
  code: number;
  message: string;
  /** The callback type, for rejected callbacks. */
  type: number | null;
};

export type TimelineEvent = CallbackEvent | EditEvent | FollowUpEvent | DeleteEvent | RejectedEvent;

/** What the fake keeps per interaction; shared by the HTTP routes and the test-facing handle. */
export type InteractionState = {
  id: string;
  token: string;
  type: InteractionType;
  payload: Record<string, unknown>;
  sentAt: number;
  channelId: string;
  attachmentSizeLimit: number;
  acknowledged: boolean;
  callbackType: number | null;
  /** The message a component or modal interaction came from. */
  sourceMessageId: string | null;
  originalId: string | null;
  followUpIds: string[];
  events: TimelineEvent[];
  emitter: EventEmitter;
};

export function createInteractionState(
  fields: Omit<
    InteractionState,
    'acknowledged' | 'callbackType' | 'originalId' | 'followUpIds' | 'events' | 'emitter'
  >,
): InteractionState {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    ...fields,
    acknowledged: false,
    callbackType: null,
    originalId: null,
    followUpIds: [],
    events: [],
    emitter,
  };
}

export function recordEvent(state: InteractionState, event: TimelineEvent): void {
  state.events.push(event);
  state.emitter.emit('event', event);
}

/** The test-facing view of one interaction: its timeline and waits on it. */
export class InteractionHandle {
  constructor(
    private readonly state: InteractionState,
    private readonly lookup: (messageId: string) => FakeMessage | undefined,
  ) {}

  get id(): string {
    return this.state.id;
  }

  get token(): string {
    return this.state.token;
  }

  /** The raw INTERACTION_CREATE `d` that was dispatched. */
  get payload(): Record<string, unknown> {
    return this.state.payload;
  }

  /** Everything the bot did with this interaction, in order (including refused requests). */
  get events(): readonly TimelineEvent[] {
    return this.state.events;
  }

  /** The first accepted callback, if any. */
  get callback(): CallbackEvent | undefined {
    return this.state.events.find((event): event is CallbackEvent => event.kind === 'callback');
  }

  get rejections(): RejectedEvent[] {
    return this.state.events.filter((event): event is RejectedEvent => event.kind === 'rejected');
  }

  /** The current state of the original response (or of the message a button was on), if any. */
  original(): FakeMessage | undefined {
    const id = this.state.originalId ?? this.state.sourceMessageId;
    const message = id === null ? undefined : this.lookup(id);
    return message && !message.deleted ? snapshotMessage(message) : undefined;
  }

  /** Current state of every follow-up message (deleted ones left out). */
  get followUps(): FakeMessage[] {
    return this.state.followUpIds
      .map((id) => this.lookup(id))
      .filter((message): message is FakeMessage => message !== undefined && !message.deleted)
      .map(snapshotMessage);
  }

  /** Resolves with the first accepted callback (`{ type, data, delayMs, files }`). */
  async ack(timeoutMs = 5_000): Promise<CallbackEvent> {
    const event = await this.waitFor(
      (candidate) => candidate.kind === 'callback',
      timeoutMs,
      'an accepted callback',
    );
    if (event.kind !== 'callback') throw new Error('unreachable');
    return event;
  }

  /** Resolves with the first event (past or future) that satisfies `predicate`. */
  waitFor(
    predicate: (event: TimelineEvent) => boolean,
    timeoutMs = 10_000,
    description = 'an event matching the predicate',
  ): Promise<TimelineEvent> {
    const past = this.state.events.find(predicate);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const onEvent = (event: TimelineEvent) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.state.emitter.off('event', onEvent);
        resolve(event);
      };
      const timer = setTimeout(() => {
        this.state.emitter.off('event', onEvent);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.\n${this.describe()}`));
      }, timeoutMs);
      this.state.emitter.on('event', onEvent);
    });
  }

  /**
   * Resolves with the original message as it was after the first change to it (callback 4/7, edit of
   * `@original`, follow-up replacing a loading original) whose resulting message satisfies `predicate`.
   * The "thinking..." message of a type-5 defer is skipped; use `ack()` for that.
   */
  async waitForEdit(
    predicate: (message: FakeMessage) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<FakeMessage> {
    const event = await this.waitFor(
      (candidate) => {
        const message = originalAfter(candidate);
        return message !== null && predicate(message);
      },
      timeoutMs,
      'a change of the original message matching the predicate',
    );
    const message = originalAfter(event);
    if (!message) throw new Error('unreachable');
    return message;
  }

  /** Resolves with the first follow-up message satisfying `predicate`. */
  async waitForFollowUp(
    predicate: (message: FakeMessage) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<FakeMessage> {
    const event = await this.waitFor(
      (candidate) =>
        candidate.kind === 'followup' && !candidate.replacedOriginal && predicate(candidate.message),
      timeoutMs,
      'a follow-up matching the predicate',
    );
    if (event.kind !== 'followup') throw new Error('unreachable');
    return event.message;
  }

  /** A readable dump of the timeline, used in timeout errors. */
  describe(): string {
    const kind =
      ['', '', 'command', 'component', 'autocomplete', 'modal submit'][this.state.type] ?? 'interaction';
    const lines = [`Timeline of ${kind} interaction ${this.state.id}:`];
    if (this.state.events.length === 0) lines.push('  (nothing: the bot never answered)');
    for (const event of this.state.events) lines.push(`  +${event.delayMs}ms ${describeEvent(event)}`);
    return lines.join('\n');
  }
}

/** The original message after `event`, skipping the loading state of a type-5 defer. */
function originalAfter(event: TimelineEvent): FakeMessage | null {
  if (event.kind === 'callback')
    return event.message && (event.message.flags & MESSAGE_FLAG_LOADING) === 0 ? event.message : null;
  if (event.kind === 'edit' && event.target === 'original') return event.message;
  if (event.kind === 'followup' && event.replacedOriginal) return event.message;
  return null;
}

function describeEvent(event: TimelineEvent): string {
  switch (event.kind) {
    case 'callback':
      return `callback type ${event.type}${event.message ? ` ${describeMessage(event.message)}` : ''}`;
    case 'edit':
      return `edit ${event.target} ${describeMessage(event.message)}`;
    case 'followup':
      return `follow-up${event.replacedOriginal ? ' (replaced loading original)' : ''} ${describeMessage(event.message)}`;
    case 'delete':
      return `delete ${event.target} ${event.messageId}`;
    case 'rejected':
      return `REJECTED ${event.method} ${event.path}${event.type === null ? '' : ` (type ${event.type})`} -> ${event.status} code ${event.code} "${event.message}"`;
  }
}

function describeMessage(message: FakeMessage): string {
  const content = message.content.length > 80 ? `${message.content.slice(0, 77)}...` : message.content;
  const files = message.attachments
    .map((attachment) => `${attachment.filename} ${attachment.size}B`)
    .join(', ');
  const rows = message.components.length;
  return `content=${JSON.stringify(content)} embeds=${message.embeds.length} rows=${rows} files=[${files}] flags=${message.flags}`;
}
