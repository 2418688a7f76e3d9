import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_WITH_PARENT } from '../support/bot-process.js';

/** Running: it exists and is not a zombie (an orphan's new parent may not reap it at once). */
const alive = (pid: number) => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

/**
 * A stand-in for a test worker: a process that starts one idle child (with or without the preload)
 * and tells its pid; the test then SIGKILLs the stand-in, as vitest would kill its worker.
 */
async function orphan(preload: boolean): Promise<number> {
  const args = preload ? ['--import', EXIT_WITH_PARENT] : [];
  const script = `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ${JSON.stringify([...args, '-e', 'setInterval(() => {}, 1000)'])}, { stdio: 'ignore' });
    // Its pid once it is up (the preload has run): the worker dies after that, not during its start.
    setTimeout(() => console.log(child.pid), 500);
    setInterval(() => {}, 1000);`;
  const worker = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => {
    worker.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  expect(alive(pid)).toBe(true);
  worker.kill('SIGKILL');
  await new Promise((resolve) => worker.once('exit', resolve));
  return pid;
}

async function within(ms: number, condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('a process a test spawns', () => {
  it('ends once the test worker that spawned it is SIGKILLed, with the preload', async () => {
    const pid = await orphan(true);
    expect(await within(3000, () => !alive(pid))).toBe(true);
  });

  it('lives on without it (what the preload is for)', async () => {
    const pid = await orphan(false);
    try {
      expect(await within(1000, () => !alive(pid))).toBe(false);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});
