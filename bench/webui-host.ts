/**
 * Fake WebUIs in a process of their own: a GPU server does not share the bench's event loop, so
 * what it takes to serve a request should not depend on the fake Discord's work beside it.
 *
 * The child is `startWebuiHost(options)`'s: it starts one fake per entry of `options`, answers
 * `stamps` with each fake's txt2img/options requests (method, path and the shared-clock stamps,
 * no bodies) and stops on `close` or when the parent goes.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FakeWebuiOptions, RecordedRequest } from '../test/fakes/webui/server.js';
import { processCpuMs, TSX_LOADER } from './proc.js';

/** What the parent sees of one request: enough for `backendStamps` and the readiness check. */
export type Stamp = Pick<RecordedRequest, 'method' | 'path' | 'receivedAt' | 'finishedAt'>;

type ToHost = { type: 'stamps'; id: number } | { type: 'close' };
type FromHost =
  | { type: 'ready'; urls: string[] }
  | { type: 'stamps'; id: number; stamps: Stamp[][] }
  | { type: 'failed'; message: string };

export interface WebuiHost {
  urls: string[];
  /** Per fake, every request so far, in the order received. */
  stamps(): Promise<Stamp[][]>;
  /** CPU time the host process has used so far, ms. */
  cpuMs(): number;
  close(): Promise<void>;
}

const HERE = fileURLToPath(import.meta.url);

export async function startWebuiHost(options: FakeWebuiOptions[]): Promise<WebuiHost> {
  const child: ChildProcess = fork(HERE, [JSON.stringify(options)], {
    execArgv: ['--import', TSX_LOADER],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiting = new Map<number, (stamps: Stamp[][]) => void>();
  let nextId = 0;
  const urls = await new Promise<string[]>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench: the WebUI host exited with ${String(code)}`)));
    child.on('message', (message: FromHost) => {
      if (message.type === 'ready') resolve(message.urls);
      else if (message.type === 'failed')
        reject(new Error(`bench: the WebUI host failed: ${message.message}`));
      else waiting.get(message.id)?.(message.stamps);
    });
  });
  const send = (message: ToHost) => child.send(message);
  return {
    urls,
    stamps: () =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, (stamps) => {
          waiting.delete(id);
          resolve(stamps);
        });
        send({ type: 'stamps', id });
      }),
    cpuMs: () => (child.pid === undefined ? 0 : processCpuMs(child.pid)),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      send({ type: 'close' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function host(): Promise<void> {
  const { startFakeWebui } = await import('../test/fakes/webui/server.js');
  const send = (message: FromHost) => process.send?.(message);
  const options = JSON.parse(process.argv[2] ?? '[]') as FakeWebuiOptions[];
  const fakes = await Promise.all(options.map((option) => startFakeWebui(option)));
  const close = async () => {
    await Promise.all(fakes.map((fake) => fake.close()));
    process.exit(0);
  };
  process.on('disconnect', () => void close());
  process.on('message', (message: ToHost) => {
    if (message.type === 'close') {
      void close();
      return;
    }
    const stamps = fakes.map((fake) =>
      fake.requests.map(({ method, path, receivedAt, finishedAt }) =>
        finishedAt === undefined ? { method, path, receivedAt } : { method, path, receivedAt, finishedAt },
      ),
    );
    send({ type: 'stamps', id: message.id, stamps });
  });
  send({ type: 'ready', urls: fakes.map((fake) => fake.url) });
}

if (process.argv[1] === HERE && process.send !== undefined) {
  host().catch((error: unknown) => {
    process.send?.({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
