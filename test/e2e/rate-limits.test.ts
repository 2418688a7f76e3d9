import { RESTEvents } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const member = (i: number) => ({ id: `13000000000000005${String(i).padStart(2, '0')}`, username: `m${i}` });
const hasCancel = (components: unknown[]) => JSON.stringify(components).includes('"cancel:');

describe('Discord rate limits', () => {
  it('keeps interaction edits out of the client-side global cap of 50 requests per second', async () => {
    harness = await startHarness({
      webuis: [{ generationMs: 10 }],
      env: { MAX_PENDING_PER_USER: '20', PROGRESS_INTERVAL_MS: '250' },
    });
    const globalWaits = { client: 0, interactions: 0 };
    harness.bot.client.rest.on(RESTEvents.RateLimited, (info) => {
      if (info.global) globalWaits.client++;
    });
    harness.bot.interactionRest.on(RESTEvents.RateLimited, (info) => {
      if (info.global) globalWaits.interactions++;
    });
    const handles = Array.from({ length: 80 }, (_, i) =>
      harness?.discord.sendCommand({
        name: 'imagine',
        options: { prompt: `a kite ${i}`, width: 64, height: 64 },
        user: member(i % 8),
      }),
    );
    await Promise.all(
      handles.map((handle) => handle?.waitForEdit((message) => !hasCancel(message.components), 60_000)),
    );
    const edits = harness.discord.requests.filter(
      (request) => request.method === 'PATCH' && request.path.includes('/messages/@original'),
    );
    // Far more edits than the cap allows in the time they took: with them under the cap, discord.js
    // would have held some back (a `rateLimited` event with `global: true`).
    expect(edits.length).toBeGreaterThan(150);
    expect(globalWaits).toEqual({ client: 0, interactions: 0 });
  }, 90_000);
});
