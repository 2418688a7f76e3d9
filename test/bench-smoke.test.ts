import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BenchResults } from '../bench/report.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX_LOADER = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Runs `bench/run.ts` as `npm run bench` would, with BENCH_SMOKE=1; resolves with its exit code and output. */
function runSmoke(out: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, 'bench/run.ts'], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SMOKE: '1', BENCH_RUNTIME: 'tsx', BENCH_OUT: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

// Exercises the benchmark end to end in CI; its figures are never judged here (timing would be flaky).
describe('bench smoke', () => {
  it('completes and writes well-formed results when BENCH_SMOKE=1', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sdbot-bench-smoke-'));
    const out = join(dir, 'results.json');

    const { code, output } = await runSmoke(out);

    expect(code, output).toBe(0);
    const results = JSON.parse(readFileSync(out, 'utf8')) as BenchResults;
    expect(results.smoke).toBe(true);
    expect(results.node).toBe(process.version);
    expect(results.cpus).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(results.date))).toBe(false);
    expect(Object.keys(results.figures).sort()).toEqual([
      'acknowledgement',
      'comfyOverhead',
      'memory',
      'modelLoads',
      'overhead',
      'processes',
      'utilisation',
      'versus',
    ]);
    // The minimal bot ran the same burst and the same realistic 4×1024² job.
    expect(results.figures.versus.acknowledgement.latencyMs.n).toBe(results.parameters.ack.commands);
    expect(results.figures.versus.overhead?.overheadMs.n).toBe(1);
    expect(results.figures.versus.startup.map((start) => start.label)).toEqual(['minimal', 'ours']);
    for (const start of results.figures.versus.startup) expect(start.identifyMs.p50).toBeGreaterThan(0);
    expect(results.figures.acknowledgement.latencyMs.n).toBe(results.parameters.ack.commands);
    // Every ComfyUI job of the overhead runs was delivered and measured.
    for (const run of results.figures.comfyOverhead.runs) {
      expect(run.failedJobs, run.label).toBe(0);
      expect(run.overheadMs.n, run.label).toBeGreaterThan(0);
    }
    expect(results.figures.modelLoads.runs.map((run) => run.affinity)).toEqual(
      Array.from({ length: results.parameters.modelLoads.repeats }, () => [true, false]).flat(),
    );
    // Several processes on one PostgreSQL queue: every job delivered, a backend never given two at once,
    // and the SIGKILLed worker's job delivered once, by the front.
    const processes = results.figures.processes;
    expect(processes.throughput.map((run) => run.workers)).toEqual(
      results.parameters.processes.throughput.workers,
    );
    for (const run of processes.throughput) {
      expect(run.failedJobs, `${run.workers} workers`).toBe(0);
      expect(run.mostAtOnce, `${run.workers} workers`).toBe(1);
    }
    expect(processes.gap.map((run) => [run.queue, run.failedJobs])).toEqual([
      ['sqlite', 0],
      ['postgres', 0],
    ]);
    expect(processes.recovery.deliveries).toBe(1);
    expect(processes.recovery.otherDelivered).toBe(true);
    // Not before the lease ran out (its last renewal was at most a third of a lease before the kill).
    expect(processes.recovery.reclaimMs).toBeGreaterThan((processes.recovery.leaseSeconds * 1000) / 2);
    expect(results.targets.length).toBeGreaterThan(0);
    for (const check of results.targets) expect([true, false, null]).toContain(check.met);
  }, 180_000);
});
