import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { createDiscordJobReporter } from '../../src/discord/delivery/job-reporter.js';
import type { Job } from '../../src/jobs/types.js';
import { createLogger } from '../../src/log.js';
import { sampleJob } from '../support/sample-job.js';

/**
 * The reply of a finished job goes out once its originals are kept: its buttons (Image n, Upscale)
 * may be pressed the moment it shows, and served by another process that reads only what was kept.
 */

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Answers every Discord request with a message, and records which ones came. */
async function startDiscord(): Promise<{ rest: REST; requests: string[] }> {
  const requests: string[] = [];
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: '1300000000000000009', channel_id: '1300000000000000002' }));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const rest = new REST({ api: `http://127.0.0.1:${port}`, retries: 0 }).setToken('test-token');
  return { rest, requests };
}

const job: Job = sampleJob(
  {
    id: 'kept-job',
    interactionToken: 'the-token',
    tokenExpiresAt: Number.MAX_SAFE_INTEGER,
    backend: 'webui',
    finishedAt: 1000,
    result: {
      seeds: [20],
      model: 'the-model',
      modelHash: null,
      sampler: 'Euler a',
      infotexts: [],
      durationMs: 1000,
      backend: 'webui',
    },
  },
  { prompt: 'apple', seed: 20, width: 64, height: 64, model: undefined },
);

describe('the Discord job reporter', () => {
  it('sends a finished reply only once its images are kept, and at once after', async () => {
    const { rest, requests } = await startDiscord();
    const reporter = createDiscordJobReporter({
      rest,
      store: { get: async () => job, update: async () => undefined },
      log: createLogger({ level: 'silent' }),
      now: () => 2000,
    });
    const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c00' } })
      .png()
      .toBuffer();
    let keep: () => void = () => undefined;
    const kept = new Promise<void>((resolve) => {
      keep = resolve;
    });
    const delivered = reporter.finished(
      job,
      { images: [png], seeds: [20], model: 'the-model', modelHash: null, sampler: 'Euler a', infotexts: [] },
      kept,
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(requests).toEqual([]);

    keep();
    await delivered;
    expect(requests).toEqual([`PATCH /v10/webhooks/${job.applicationId}/the-token/messages/%40original`]);
  });
});
