import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { isRecord } from './limits.js';
import { shardOf } from './snowflake.js';

/** `[shard_id, num_shards]` as IDENTIFY sends it; `[0, 1]` when it sends none. */
export type ShardKey = readonly [id: number, count: number];

/** A frame the client sent, as recorded by the fake gateway. */
export type GatewayFrame = { op: number; d: unknown; at: number };

export type GatewayOptions = {
  server: Server;
  token: string;
  now: () => number;
  /** Heartbeat interval announced in HELLO; large by default so tests stay quiet. */
  heartbeatIntervalMs: number;
  /** READY `d` of one shard without `session_id`, `resume_gateway_url` (the gateway adds both). */
  readyPayload: (shard: ShardKey) => Record<string, unknown>;
  /** The GUILD_CREATEs of the guilds on one shard. */
  guildCreatePayloads: (shard: ShardKey) => Record<string, unknown>[];
  resumeUrl: () => string;
};

type Session = {
  id: string;
  shard: ShardKey;
  seq: number;
  socket: WebSocket | null;
  history: { s: number; t: string; d: unknown }[];
};

const OP = {
  dispatch: 0,
  heartbeat: 1,
  identify: 2,
  resume: 6,
  invalidSession: 9,
  hello: 10,
  heartbeatAck: 11,
} as const;

/**
 * The gateway side of the fake: HELLO, IDENTIFY (close 4004 on a bad token, 4010 on a bad `shard`),
 * READY + GUILD_CREATE, heartbeat ACKs, RESUME with replay of missed dispatches, then `RESUMED`.
 * Plain JSON text frames. Each shard is its own session (one live session per shard id): a guild's
 * READY entry, GUILD_CREATE and events go to the shard `(guild_id >> 22) % num_shards`, DMs to shard 0.
 */
export class FakeGateway {
  readonly frames: GatewayFrame[] = [];
  identifies = 0;
  resumes = 0;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  /** The live session of each shard id. */
  private readonly live = new Map<number, Session>();
  /** `num_shards` of the latest IDENTIFY: the count events are routed by. */
  private lastCount: number | undefined;
  private readonly events = new EventEmitter();
  private resumesAtLastDrop = 0;
  private sessionCounter = 0;

  constructor(private readonly options: GatewayOptions) {
    this.events.setMaxListeners(0);
    this.wss = new WebSocketServer({ server: options.server });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  /**
   * Sends a dispatch to the session of the shard its `guild_id` falls on (shard 0 without one);
   * while that shard is disconnected it is kept and replayed on RESUME.
   */
  dispatch(t: string, d: unknown): void {
    const count = this.lastCount;
    if (count === undefined)
      throw new Error(`fake gateway: cannot dispatch ${t}, no client has identified yet`);
    const guildId = isRecord(d) && typeof d.guild_id === 'string' ? d.guild_id : undefined;
    const shard = shardOf(guildId, count);
    const session = this.live.get(shard);
    if (!session) throw new Error(`fake gateway: cannot dispatch ${t}, no client holds shard ${shard}`);
    this.sendDispatch(session, t, d);
  }

  /**
   * Sends later dispatches of its shard to the session that identified `nth` (1-based) rather than
   * the latest: several bot processes holding one shard, each given the interactions a test means for it.
   */
  focus(nth: number): void {
    const session = this.sessions.get(`fake-session-${nth}`);
    if (!session) throw new Error(`fake gateway: no session ${nth} (${this.sessions.size} so far)`);
    this.live.set(session.shard[0], session);
  }

  /** Every identified shard's socket is open. */
  get connected(): boolean {
    const sessions = [...this.live.values()];
    return sessions.length > 0 && sessions.every((session) => session.socket?.readyState === 1);
  }

  /** The `[id, count]` of every shard with a session, by id. */
  get shards(): ShardKey[] {
    return [...this.live.values()].map((session) => session.shard).sort((a, b) => a[0] - b[0]);
  }

  /** Closes the live socket of `shard` (default: every shard) with `code` (4000: the client resumes). */
  drop(code = 4000, shard?: number): void {
    this.resumesAtLastDrop = this.resumes;
    for (const session of this.live.values()) {
      if (shard !== undefined && session.shard[0] !== shard) continue;
      const socket = session.socket;
      session.socket = null;
      socket?.close(code, 'fake gateway drop');
    }
  }

  /** Resolves once the client has resumed after the last `drop()` (immediately if it already has). */
  waitForResume(timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(
      () => this.resumes > this.resumesAtLastDrop,
      'RESUME after dropGateway()',
      timeoutMs,
    );
  }

  /** Resolves once a client identified and got READY + GUILD_CREATEs. */
  waitForIdentify(timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(() => this.identifies > 0, 'IDENTIFY', timeoutMs);
  }

  close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }

  private waitUntil(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        this.events.off('change', check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.events.off('change', check);
        const ops = this.frames.map((frame) => frame.op).join(',');
        reject(new Error(`fake gateway: no ${what} within ${timeoutMs} ms (client ops so far: [${ops}])`));
      }, timeoutMs);
      this.events.on('change', check);
    });
  }

  private onConnection(socket: WebSocket): void {
    socket.on('error', () => socket.terminate());
    socket.on('message', (raw) => this.onFrame(socket, raw));
    socket.on('close', () => {
      for (const session of this.sessions.values()) if (session.socket === socket) session.socket = null;
    });
    this.send(socket, { op: OP.hello, d: { heartbeat_interval: this.options.heartbeatIntervalMs } });
  }

  private onFrame(socket: WebSocket, raw: RawData): void {
    let frame: unknown;
    try {
      frame = JSON.parse(rawToString(raw));
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(frame) || typeof frame.op !== 'number') {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    this.frames.push({ op: frame.op, d: frame.d, at: this.options.now() });
    const d = isRecord(frame.d) ? frame.d : {};
    switch (frame.op) {
      case OP.heartbeat:
        this.send(socket, { op: OP.heartbeatAck });
        break;
      case OP.identify:
        this.onIdentify(socket, d);
        break;
      case OP.resume:
        this.onResume(socket, d);
        break;
      default:
        break;
    }
  }

  private onIdentify(socket: WebSocket, d: Record<string, unknown>): void {
    if (d.token !== this.options.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const shard = toShardKey(d.shard);
    if (shard === undefined) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    this.sessionCounter += 1;
    const id = `fake-session-${this.sessionCounter}`;
    const session: Session = { id, shard, seq: 0, socket, history: [] };
    this.sessions.set(session.id, session);
    this.live.set(shard[0], session);
    this.lastCount = shard[1];
    this.sendDispatch(session, 'READY', {
      ...this.options.readyPayload(shard),
      session_id: session.id,
      resume_gateway_url: this.options.resumeUrl(),
    });
    for (const guild of this.options.guildCreatePayloads(shard))
      this.sendDispatch(session, 'GUILD_CREATE', guild);
    this.identifies += 1;
    this.events.emit('change');
  }

  private onResume(socket: WebSocket, d: Record<string, unknown>): void {
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (d.token !== this.options.token || !session) {
      this.send(socket, { op: OP.invalidSession, d: false });
      return;
    }
    const previous = session.socket;
    session.socket = socket;
    if (previous && previous !== socket) previous.terminate();
    this.live.set(session.shard[0], session);
    const from = typeof d.seq === 'number' ? d.seq : 0;
    for (const event of session.history) {
      if (event.s > from) this.send(socket, { op: OP.dispatch, t: event.t, s: event.s, d: event.d });
    }
    this.sendDispatch(session, 'RESUMED', {});
    this.resumes += 1;
    this.events.emit('change');
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    session.history.push({ s: session.seq, t, d });
    if (session.socket) this.send(session.socket, { op: OP.dispatch, t, s: session.seq, d });
  }

  private send(socket: WebSocket, payload: Record<string, unknown>): void {
    if (socket.readyState === 1) socket.send(JSON.stringify(payload));
  }
}

/** IDENTIFY's `shard`: absent is `[0, 1]`; anything but `[id, count]` with `0 <= id < count` is invalid. */
function toShardKey(raw: unknown): ShardKey | undefined {
  if (raw === undefined) return [0, 1];
  if (!Array.isArray(raw) || raw.length !== 2) return undefined;
  const [id, count] = raw as unknown[];
  if (!Number.isInteger(id) || !Number.isInteger(count)) return undefined;
  const [shard, total] = [Number(id), Number(count)];
  return shard >= 0 && total >= 1 && shard < total ? [shard, total] : undefined;
}

function rawToString(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}
