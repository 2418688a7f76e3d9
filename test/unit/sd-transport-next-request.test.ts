import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonImageStream } from '../../src/sd/json-image-stream.js';
import { createSend } from '../../src/sd/transport.js';

/** About 1.5 MB of base64 in one write: the whole answer is in the bot's socket when its headers are read. */
const ANSWER = JSON.stringify({ images: [Buffer.alloc(1_100_000, 7).toString('base64')], info: '{}' });

let server: Server | undefined;
let pool: Pool | undefined;

afterEach(async () => {
  await pool?.close();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
  pool = undefined;
});

async function start() {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(req.url?.includes('txt2img') ? ANSWER : '{}');
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = new Pool(origin);
  return createSend({
    origin,
    prefix: '',
    label: origin,
    authorization: null,
    dispatcher: pool,
    timeoutMs: 10_000,
    gzip: false,
  });
}

/**
 * Sends a txt2img whose answer's `onResponseStart` runs `handOver` (which sends the next request),
 * and gives the order of what happened: the next request's headers written, the answer's body read,
 * and whatever `handOver` records.
 */
async function answerThenNext(
  send: Awaited<ReturnType<typeof start>>,
  handOver: (events: string[], sendNext: () => void) => void | Promise<void>,
): Promise<string[]> {
  // Two sockets kept alive: the answer comes on one, the next request reuses the other.
  await Promise.all([send('GET', '/progress', {}), send('GET', '/progress', {})]);
  const events: string[] = [];
  const onHeaders = (message: unknown) => {
    const { request } = message as { request: { path: string } };
    if (request.path.endsWith('/options')) events.push('next request written');
  };
  subscribe('undici:client:sendHeaders', onHeaders);
  try {
    const stream = new JsonImageStream((path) => (path[0] === 'images' ? 'decode' : 'keep'));
    const write = stream.write.bind(stream);
    stream.write = (chunk: Buffer) => {
      if (!events.includes('body read')) events.push('body read');
      write(chunk);
    };
    let next: Promise<unknown> | undefined;
    await send('POST', '/txt2img', {
      body: { prompt: 'a lighthouse' },
      stream,
      onResponseStart: () =>
        handOver(events, () => {
          next = send('GET', '/options', {});
        }),
    });
    await next;
    expect(stream.end().images).toHaveLength(1);
    return events;
  } finally {
    unsubscribe('undici:client:sendHeaders', onHeaders);
  }
}

describe('the SD transport, once a server starts answering', () => {
  it('lets the next request out on a kept-alive socket before the answer’s body is read', async () => {
    const events = await answerThenNext(await start(), (_, sendNext) => sendNext());
    expect(events).toEqual(['next request written', 'body read']);
  });

  it('reads the answer’s body only once the promise its hand-over returned has settled', async () => {
    // As a claim over the network does: the next job is known only some turns of the loop later.
    const events = await answerThenNext(await start(), async (recorded, sendNext) => {
      await new Promise((resolve) => setTimeout(resolve, 40));
      recorded.push('next job claimed');
      sendNext();
    });
    expect(events).toEqual(['next job claimed', 'next request written', 'body read']);
  });
});
