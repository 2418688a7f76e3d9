import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Metrics } from './metrics.js';

/** What `/healthz` judges: the bot is healthy when the gateway is up and at least one backend answers. */
export interface HealthSnapshot {
  gatewayConnected: boolean;
  backendsUp: number;
  backendsTotal: number;
}

export interface HealthServerOptions {
  port: number;
  /** Default `0.0.0.0`; tests pass `127.0.0.1`. */
  host?: string;
  metrics: Pick<Metrics, 'render' | 'contentType'>;
  health: () => HealthSnapshot;
}

export interface HealthServer {
  /** The port really bound (useful with `port: 0`). */
  port: number;
  close(): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'unavailable';
  gateway: 'connected' | 'disconnected';
  backends: { up: number; total: number };
  /** Why the bot is unavailable; empty when ok. */
  reasons: string[];
}

/** Pure: the `/healthz` verdict for a snapshot. */
export function toHealthReport(snapshot: HealthSnapshot): HealthReport {
  const reasons: string[] = [];
  if (!snapshot.gatewayConnected) reasons.push('not connected to the Discord gateway');
  if (snapshot.backendsUp < 1) {
    reasons.push(`no WebUI backend is up (0 of ${snapshot.backendsTotal})`);
  }
  return {
    status: reasons.length === 0 ? 'ok' : 'unavailable',
    gateway: snapshot.gatewayConnected ? 'connected' : 'disconnected',
    backends: { up: snapshot.backendsUp, total: snapshot.backendsTotal },
    reasons,
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(head ? undefined : body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, head: boolean): void {
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, head);
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: HealthServerOptions,
): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  if (path !== '/healthz' && path !== '/metrics') {
    sendJson(res, 404, { error: 'not found', paths: ['/healthz', '/metrics'] }, head);
    return;
  }
  if (method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { error: 'method not allowed' }, false);
    return;
  }
  if (path === '/healthz') {
    let report: HealthReport;
    try {
      report = toHealthReport(options.health());
    } catch (error: unknown) {
      const reason = error instanceof Error ? error.message : String(error);
      sendJson(res, 503, { status: 'unavailable', reasons: [`health check failed: ${reason}`] }, head);
      return;
    }
    sendJson(res, report.status === 'ok' ? 200 : 503, report, head);
    return;
  }
  try {
    send(res, 200, options.metrics.contentType, await options.metrics.render(), head);
  } catch {
    sendJson(res, 500, { error: 'could not collect metrics' }, head);
  }
}

/**
 * Serves `GET /healthz` (200 or 503 with the reasons, JSON) and `GET /metrics` (Prometheus text).
 * Rejects when the port cannot be bound (in use, no permission).
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const host = options.host ?? '0.0.0.0';
  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
