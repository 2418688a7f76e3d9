import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { isRecord } from './limits.js';

/** A frame the client sent, as recorded by the fake gateway. */
export type GatewayFrame = { op: number; d: unknown; at: number };

export type GatewayOptions = {
  server: Server;
  token: string;
  now: () => number;
  /** Heartbeat interval announced in HELLO; large by default so tests stay quiet. */
  heartbeatIntervalMs: number;
  /** READY `d` without `session_id`, `resume_gateway_url` (the gateway adds both). */
  readyPayload: () => Record<string, unknown>;
  guildCreatePayloads: () => Record<string, unknown>[];
  resumeUrl: () => string;
};

type Session = {
  id: string;
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
 * The gateway side of the fake: HELLO, IDENTIFY (close 4004 on a bad token), READY + GUILD_CREATE,
 * heartbeat ACKs, RESUME with replay of missed dispatches, then `RESUMED`. Plain JSON text frames.
 */
export class FakeGateway {
  readonly frames: GatewayFrame[] = [];
  identifies = 0;
  resumes = 0;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Map<string, Session>();
  private current: Session | null = null;
  private readonly events = new EventEmitter();
  private resumesAtLastDrop = 0;
  private sessionCounter = 0;

  constructor(private readonly options: GatewayOptions) {
    this.events.setMaxListeners(0);
    this.wss = new WebSocketServer({ server: options.server });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  /** Sends a dispatch to the live session; while disconnected it is kept and replayed on RESUME. */
  dispatch(t: string, d: unknown): void {
    const session = this.current;
    if (!session) throw new Error(`fake gateway: cannot dispatch ${t}, no client has identified yet`);
    this.sendDispatch(session, t, d);
  }

  /**
   * Sends later dispatches to the session that identified `nth` (1-based) rather than the latest:
   * several bot processes on one token, each given the interactions a test means for it.
   */
  focus(nth: number): void {
    const session = this.sessions.get(`fake-session-${nth}`);
    if (!session) throw new Error(`fake gateway: no session ${nth} (${this.sessions.size} so far)`);
    this.current = session;
  }

  get connected(): boolean {
    return this.current?.socket?.readyState === 1;
  }

  /** Closes the live socket with `code` (4000 = unknown error, the client resumes). */
  drop(code = 4000): void {
    this.resumesAtLastDrop = this.resumes;
    const socket = this.current?.socket;
    if (this.current) this.current.socket = null;
    socket?.close(code, 'fake gateway drop');
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
    this.sessionCounter += 1;
    const session: Session = { id: `fake-session-${this.sessionCounter}`, seq: 0, socket, history: [] };
    this.sessions.set(session.id, session);
    this.current = session;
    this.sendDispatch(session, 'READY', {
      ...this.options.readyPayload(),
      session_id: session.id,
      resume_gateway_url: this.options.resumeUrl(),
    });
    for (const guild of this.options.guildCreatePayloads()) this.sendDispatch(session, 'GUILD_CREATE', guild);
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
    this.current = session;
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

function rawToString(raw: RawData): string {
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  return Buffer.from(raw).toString('utf8');
}
