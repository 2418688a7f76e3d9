import { afterEach, describe, expect, it } from 'vitest';
import {
  type HealthServer,
  type HealthSnapshot,
  startHealthServer,
  toHealthReport,
} from '../src/health-server.js';
import { createMetrics } from '../src/metrics.js';

describe('toHealthReport', () => {
  it.each([
    [{ gatewayConnected: true, backendsUp: 1, backendsTotal: 2 }, 'ok', []],
    [
      { gatewayConnected: false, backendsUp: 2, backendsTotal: 2 },
      'unavailable',
      ['not connected to the Discord gateway'],
    ],
    [
      { gatewayConnected: true, backendsUp: 0, backendsTotal: 2 },
      'unavailable',
      ['no WebUI backend is up (0 of 2)'],
    ],
  ])('judges %o as %s', (snapshot, status, reasons) => {
    const report = toHealthReport(snapshot);
    expect(report.status).toBe(status);
    expect(report.reasons).toEqual(reasons);
  });
});

describe('startHealthServer', () => {
  let server: HealthServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(snapshot: () => HealthSnapshot) {
    const metrics = createMetrics();
    server = await startHealthServer({ port: 0, host: '127.0.0.1', metrics, health: snapshot });
    return { metrics, base: `http://127.0.0.1:${server.port}` };
  }

  it('answers /healthz 200 when the gateway is connected and a backend is up', async () => {
    const { base } = await start(() => ({ gatewayConnected: true, backendsUp: 1, backendsTotal: 1 }));
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      gateway: 'connected',
      backends: { up: 1, total: 1 },
    });
  });

  it('answers /healthz 503 with the reason when every backend is down, and recovers', async () => {
    let up = 0;
    const { base } = await start(() => ({ gatewayConnected: true, backendsUp: up, backendsTotal: 1 }));
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({
      status: 'unavailable',
      reasons: ['no WebUI backend is up (0 of 1)'],
    });
    up = 1;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers /healthz 503 when the health callback throws', async () => {
    const { base } = await start(() => {
      throw new Error('not started');
    });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable' });
  });

  it('serves the Prometheus text on /metrics with what the bot recorded', async () => {
    const { base, metrics } = await start(() => ({
      gatewayConnected: true,
      backendsUp: 1,
      backendsTotal: 1,
    }));
    metrics.jobState('succeeded');
    metrics.backendUp('http://gpu1:7860', true);
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('sdbot_jobs_total{state="succeeded"} 1');
    expect(text).toContain('sdbot_backend_up{backend="http://gpu1:7860"} 1');
    expect(text).toContain('# TYPE sdbot_generation_seconds histogram');
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const { base } = await start(() => ({ gatewayConnected: true, backendsUp: 1, backendsTotal: 1 }));
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/x`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('rejects when the port is already taken', async () => {
    await start(() => ({ gatewayConnected: true, backendsUp: 1, backendsTotal: 1 }));
    const port = server?.port ?? 0;
    await expect(
      startHealthServer({
        port,
        host: '127.0.0.1',
        metrics: createMetrics(),
        health: () => ({ gatewayConnected: true, backendsUp: 1, backendsTotal: 1 }),
      }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
