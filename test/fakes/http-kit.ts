/**
 * Pieces the loopback fakes share: the FIFO lock the image servers hold while they generate (one
 * generation at a time, the others wait in order), a sleep that an abort ends early, and a body reader.
 */
import type { IncomingMessage } from 'node:http';

export function createFifoLock(): { acquire(): Promise<() => void>; waiting(): number; held(): boolean } {
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;
  let held = false;
  return {
    async acquire() {
      const previous = tail;
      let release: () => void = () => undefined;
      tail = new Promise<void>((resolve) => {
        release = resolve;
      });
      waiting += 1;
      await previous;
      waiting -= 1;
      held = true;
      return () => {
        held = false;
        release();
      };
    },
    waiting: () => waiting,
    held: () => held,
  };
}

/** Resolves after `ms`, or early (without error) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
