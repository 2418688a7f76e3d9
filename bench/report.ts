/** The bench's results: the targets they are judged against, the printed table and the JSON file. */
import type { BotRuntime } from './bot-process.js';
import type { BenchParams } from './params.js';
import type { AckResult } from './scenarios/acknowledgement.js';
import type { ComfyOverheadResult } from './scenarios/comfy-overhead.js';
import type { MemoryResult } from './scenarios/memory.js';
import type { ModelLoadResult } from './scenarios/model-loads.js';
import type { OverheadResult } from './scenarios/overhead.js';
import type { UtilisationRun } from './scenarios/utilisation.js';

export interface Figures {
  acknowledgement: AckResult;
  overhead: OverheadResult;
  /** The same image runs on a ComfyUI backend. */
  comfyOverhead: ComfyOverheadResult;
  memory: MemoryResult;
  utilisation: UtilisationRun[];
  modelLoads: ModelLoadResult;
}

export interface TargetCheck {
  name: string;
  target: string;
  value: string;
  /** null: no target, reported only. */
  met: boolean | null;
}

export interface BenchResults {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  platform: string;
  smoke: boolean;
  runtime: BotRuntime;
  /** Type errors tsc reported while building the bot (it emits anyway). */
  buildTypeErrors: number;
  durationSeconds: number;
  parameters: BenchParams;
  figures: Figures;
  targets: TargetCheck[];
  botWarnings: { count: number; first: string[] };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (value: number) => `${value.toFixed(1)} MiB`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;

/** Each figure next to its target (issue #9); timing never fails the run, it is only reported. */
export function checkTargets(figures: Figures, params: BenchParams): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ack = figures.acknowledgement;
  checks.push({
    name: `ack latency p99 (${ack.rounds.length} × ${ack.commands} /imagine, ${ack.members} members at once)`,
    target: '≤ 250 ms',
    value: `${ms(ack.latencyMs.p99)} (p50 ${ms(ack.latencyMs.p50)}, max ${ms(ack.latencyMs.max)}; p99 per burst ${ack.rounds.map((round) => round.latencyMs.p99).join('/')} ms)`,
    met: ack.unacknowledged === 0 && ack.latencyMs.p99 <= 250,
  });
  const overheadTargets: Record<string, number> = { '1×512²': 15, '4×1024²': 120 };
  for (const run of figures.overhead.runs) {
    const limit = overheadTargets[run.label];
    checks.push({
      name: `bot overhead per job p95, ${run.label}${run.reencoded ? ' (re-encoded to fit 10 MiB)' : ''}`,
      target: limit === undefined ? '—' : `≤ ${limit} ms`,
      value: `${ms(run.overheadMs.p95)} (median ${ms(run.overheadMs.p50)}, n=${run.overheadMs.n})`,
      met: limit === undefined ? null : run.overheadMs.n > 0 && run.overheadMs.p95 <= limit,
    });
  }
  for (const run of figures.comfyOverhead.runs) {
    // No target of its own: the figure stands next to the A1111 one of the same run.
    checks.push({
      name: `bot overhead per job p95, ${run.label}, ComfyUI (history + /view + delivery)`,
      target: '—',
      value: `${ms(run.overheadMs.p95)} (median ${ms(run.overheadMs.p50)}, n=${run.overheadMs.n}${run.failedJobs > 0 ? `, ${run.failedJobs} failed` : ''})`,
      met: null,
    });
  }
  const memory = figures.memory;
  checks.push({
    name: `peak RSS, ${memory.peak.jobs} jobs of ${memory.peak.images} waiting`,
    target: '≤ 250 MiB',
    value: mib(memory.peak.peakRssMiB),
    met: memory.peak.peakRssMiB <= 250,
  });
  const noiseMiB = params.memory.noiseBytes / 2 ** 20;
  checks.push({
    name: `RSS growth, ${memory.afterFirst.jobs} → ${memory.afterLast.jobs} jobs (trend over ${memory.rssByWaveMiB.length} waves)`,
    target: `≤ ${noiseMiB} MiB (noise)`,
    value: `${mib(memory.trendGrowthMiB)} ± ${mib(memory.noiseSdMiB)} (readings ${mib(memory.afterFirst.rssMiB)} → ${mib(memory.afterLast.rssMiB)}; heap ${mib(memory.afterFirst.heapUsedMiB)} → ${mib(memory.afterLast.heapUsedMiB)}, external ${mib(memory.afterFirst.externalMiB)} → ${mib(memory.afterLast.externalMiB)})`,
    met: memory.trendGrowthMiB <= noiseMiB,
  });
  for (const run of figures.utilisation) {
    const pipelined = run.concurrency > 1;
    const gap = run.medianBotGapMs === null ? '' : `; bot gap ${ms(run.medianBotGapMs)}/job`;
    checks.push({
      name: `backend utilisation, ${run.backends} backend${run.backends === 1 ? '' : 's'}${pipelined ? `, ${run.concurrency} jobs per backend at once` : ''}`,
      target: pipelined ? '— (extra)' : '≥ 95 %',
      value: `${percent(run.fraction)} (${run.jobsPerSecond}/${run.idealJobsPerSecond} jobs/s${gap})`,
      met: pipelined ? null : run.fraction >= 0.95,
    });
  }
  const loops: [string, { p99Ms: number; maxMs: number } | null][] = [
    ['event-loop delay p99, burst', ack.loop],
    ['event-loop delay p99, image handling (PNG runs)', figures.overhead.loop],
    ['event-loop delay p99, image handling on ComfyUI (PNG runs)', figures.comfyOverhead.loop],
    [`event-loop delay p99, ${memory.peak.jobs} × ${memory.peak.images} on the backends`, memory.peak.loop],
  ];
  if (figures.overhead.loopReencoding !== null)
    loops.push(['event-loop delay p99, re-encoding 2048²', figures.overhead.loopReencoding]);
  for (const [name, loop] of loops) {
    if (loop === null) continue;
    checks.push({
      name,
      target: '≤ 30 ms',
      value: `${ms(loop.p99Ms)} (max ${ms(loop.maxMs)})`,
      met: loop.p99Ms <= 30,
    });
  }
  const loads = figures.modelLoads;
  for (const affinity of [true, false]) {
    const runs = loads.runs.filter((run) => run.affinity === affinity);
    checks.push({
      name: `model loads, ${loads.jobs} jobs, ${params.modelLoads.models} models, ${params.modelLoads.backends} backends, affinity ${affinity ? 'on' : 'off'}`,
      target: '—',
      value: `${runs.map((run) => run.modelLoads).join(', ')} loads (${runs.map((run) => `${run.wallSeconds} s`).join(', ')})`,
      met: null,
    });
  }
  return checks;
}

export function renderTable(checks: TargetCheck[]): string {
  const header = { name: 'measure', target: 'target', value: 'measured', met: 'met' };
  const rows = [
    header,
    ...checks.map((check) => ({ ...check, met: check.met === null ? '' : check.met ? 'yes' : 'NO' })),
  ];
  const width = (key: 'name' | 'target' | 'value') => Math.max(...rows.map((row) => row[key].length));
  const widths = { name: width('name'), target: width('target'), value: width('value') };
  const line = (row: (typeof rows)[number]) =>
    `| ${row.name.padEnd(widths.name)} | ${row.target.padEnd(widths.target)} | ${row.value.padEnd(widths.value)} | ${row.met.padEnd(3)} |`;
  const rule = `|${'-'.repeat(widths.name + 2)}|${'-'.repeat(widths.target + 2)}|${'-'.repeat(widths.value + 2)}|-----|`;
  return [line(header), rule, ...rows.slice(1).map(line)].join('\n');
}
