import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, startHarness } from './harness.js';

const hasImage = (message: FakeMessage) =>
  message.attachments.some((attachment) => attachment.filename.endsWith('.png'));

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function metricValue(text: string, name: string, labels: string): number {
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{${labels}}`) || (labels === '' && candidate.startsWith(`${name} `)),
    );
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}

describe('health and metrics during a run', () => {
  it('serves /healthz and /metrics whose counters move with the jobs', async () => {
    harness = await startHarness({ env: { METRICS_PORT: '0' } });
    const base = `http://127.0.0.1:${harness.bot.healthPort}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);

    const before = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(before, 'sdbot_jobs_total', 'state="succeeded"')).toBe(0);

    await harness.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'one' } })
      .waitForEdit(hasImage, 15_000);
    harness.webui.failNext('oom');
    await harness.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'two' } })
      .waitForEdit((message) => JSON.stringify(message.embeds).includes('GPU memory'), 15_000);

    const after = await (await fetch(`${base}/metrics`)).text();
    expect(metricValue(after, 'sdbot_jobs_total', 'state="queued"')).toBe(2);
    expect(metricValue(after, 'sdbot_jobs_total', 'state="succeeded"')).toBe(1);
    expect(metricValue(after, 'sdbot_jobs_total', 'state="failed"')).toBe(1);
    expect(after).toMatch(/sdbot_generation_seconds_count\{[^}]*model="chilloutmix-Ni"[^}]*\} 1/);
    expect(after).toMatch(/sdbot_backend_up\{backend="http:\/\/127\.0\.0\.1:\d+"\} 1/);

    await harness.webui.kill();
    await harness.discord
      .sendCommand({ name: 'imagine', options: { prompt: 'three' } })
      .waitForEdit((message) => JSON.stringify(message.embeds).includes('not reachable'), 15_000);
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/sdbot_backend_up\{backend="http:\/\/127\.0\.0\.1:\d+"\} 0/);
  });
});
