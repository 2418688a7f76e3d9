import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, requestsTo, startHarness } from './harness.js';
import {
  ALICE,
  BOB,
  errorLines,
  hasImage,
  imagine,
  inLine,
  logLines,
  type Submitted,
  startOrder,
  WAIT_MS,
} from './job-helpers.js';

let harness: Harness | undefined;
let proxy: DelayingProxy | undefined;
afterEach(async () => {
  const errors = errorLines(harness);
  await harness?.close();
  await proxy?.close();
  harness = undefined;
  proxy = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

interface DelayingProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the fake WebUI that holds back some answers: `delayFor(method, path, n)`
 * (n counts the requests of that method and path, from 0) says how long each answer waits once the
 * WebUI has sent it. The answers of requests sent together then come back in another order.
 */
async function startDelayingProxy(
  target: string,
  delayFor: (method: string, path: string, n: number) => number,
): Promise<DelayingProxy> {
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const key = `${req.method} ${url.pathname}`;
    const n = counts.get(key) ?? 0;
    counts.set(key, n + 1);
    const delayMs = delayFor(req.method ?? 'GET', url.pathname, n);
    if (delayMs < 0) {
      // A negative delay: the WebUI "fails" this one (500), as a busy server may.
      req.resume();
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'RuntimeError', detail: '', body: '', errors: 'busy' }));
      return;
    }
    const upstream = httpRequest(url, { method: req.method, headers: req.headers }, (answer) => {
      setTimeout(() => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }, delayMs);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const promptsReceived = (h: Harness) =>
  requestsTo(h.webui, '/sdapi/v1/txt2img').map((request) => (request.body as { prompt: string }).prompt);

describe('the order of jobs across a restart and right after start', () => {
  it('serves the member not served last first after a restart (the fairness history is kept)', async () => {
    harness = await startHarness({
      webuis: [{ generationMs: 4000 }],
      env: { MAX_PENDING_PER_USER: '10', SHUTDOWN_GRACE_SECONDS: '1' },
    });
    const h = harness;
    // Alice is served: her first job holds the only server.
    const aliceFirst = await imagine(h, ALICE, 'alice 1');
    await h.webui.whenGenerating();
    // Then alice's second job and bob's first wait; alice's is the older one.
    const aliceSecond = await imagine(h, ALICE, 'alice 2');
    const bobFirst = await imagine(h, BOB, 'bob 1');
    expect(promptsReceived(h)).toEqual(['alice 1']);

    // Restart past the grace period: alice's first job goes back in line too.
    h.webui.configure({ generationMs: 300 });
    const from = h.logs.length;
    await h.restart();
    await Promise.all(
      [aliceFirst, aliceSecond, bobFirst].map((job) => job.handle.waitForEdit(hasImage, WAIT_MS)),
    );

    // Bob, never served, goes first; without the kept history alice's older jobs would win the tie.
    const byId = new Map([aliceFirst, aliceSecond, bobFirst].map((job) => [job.jobId, job.prompt]));
    expect(startOrder(h, from).map((id) => byId.get(id))).toEqual(['bob 1', 'alice 1', 'alice 2']);
    expect(promptsReceived(h)).toEqual(['alice 1', 'bob 1', 'alice 1', 'alice 2']);
  });

  it('starts three jobs a member sent at once right after start in the order sent', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 200 }], env: { MAX_PENDING_PER_USER: '10' } });
    const h = harness;
    // The restarted bot reaches the WebUI through a proxy that makes the first list answers slow (so
    // the catalog is still cold when the commands arrive), fails the probe's read of the loaded model
    // (so each command has to ask for it), and answers the next three option reads (the loaded model
    // each command asks for) last-asked first.
    const optionDelays = [-1, 900, 600, 300];
    proxy = await startDelayingProxy(h.webui.url, (method, path, n) => {
      if (method === 'GET' && path === '/sdapi/v1/samplers' && n === 0) return 500;
      if (method === 'GET' && path === '/sdapi/v1/options') return optionDelays[n] ?? 0;
      return 0;
    });
    await h.restart({ SD_API_URL: proxy.url });
    const from = h.logs.length;
    const prompts = ['first sent', 'second sent', 'third sent'];
    const handles = prompts.map((prompt) =>
      h.discord.sendCommand({ name: 'imagine', options: { prompt }, user: ALICE }),
    );
    const jobs: Submitted[] = await Promise.all(
      handles.map((handle, index) => inLine(handle, ALICE, prompts[index] as string)),
    );
    await Promise.all(jobs.map((job) => job.handle.waitForEdit(hasImage, WAIT_MS)));

    // Each command asked for the loaded model: the reads the proxy answered last-asked first.
    const optionReads = requestsTo(h.webui, '/sdapi/v1/options').filter(
      (request) => request.method === 'GET',
    );
    expect(optionReads.length).toBeGreaterThanOrEqual(4);
    const byId = new Map(jobs.map((job) => [job.jobId, job.prompt]));
    const queuedOrder = logLines(h, from)
      .filter((line) => line.msg === 'job queued')
      .map((line) => byId.get(line.jobId as string));
    expect(queuedOrder).toEqual(prompts);
    expect(startOrder(h, from).map((id) => byId.get(id))).toEqual(prompts);
    expect(promptsReceived(h)).toEqual(prompts);
  });
});
