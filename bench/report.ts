/** The bench's results: the targets they are judged against, the printed table and the JSON file. */
import type { BotRuntime } from './bot-process.js';
import { type BenchParams, GRAIN_LINK_RUN, GRAIN_RUN } from './params.js';
import type { AckResult } from './scenarios/acknowledgement.js';
import type { ComfyOverheadResult } from './scenarios/comfy-overhead.js';
import type { MemoryResult } from './scenarios/memory.js';
import type { ModelLoadResult } from './scenarios/model-loads.js';
import type { OverheadResult, OverheadRun } from './scenarios/overhead.js';
import type { ProcessesResult } from './scenarios/processes.js';
import type { UtilisationRun } from './scenarios/utilisation.js';
import { type StartupFigures, toRatio, type WaveFigures } from './scenarios/versus.js';

/** The minimal bot's figures, measured alike in the same run. */
export interface VersusFigures {
  /** The minimal bot, ours (node dist/bot/index.js) and, compiled runtime only, ours through `npm start`. */
  startup: StartupFigures[];
  acknowledgement: AckResult;
  /** The grain run of the overhead scenario, and the same over a 1 Gbit/s link. */
  overhead: OverheadRun | null;
  overheadOverLink: OverheadRun | null;
  /** The minimal bot, ours, then ours with MALLOC_ARENA_MAX=2 (as systemd and Docker run it). */
  waves: WaveFigures[];
  minimalWarnings: string[];
}

export interface Figures {
  acknowledgement: AckResult;
  overhead: OverheadResult;
  /** The same image runs on a ComfyUI backend. */
  comfyOverhead: ComfyOverheadResult;
  memory: MemoryResult;
  utilisation: UtilisationRun[];
  modelLoads: ModelLoadResult;
  /** Issue 19: several processes on one PostgreSQL queue. */
  processes: ProcessesResult;
  versus: VersusFigures;
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
  durationSeconds: number;
  parameters: BenchParams;
  figures: Figures;
  targets: TargetCheck[];
  botWarnings: { count: number; first: string[] };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mib = (value: number) => `${value.toFixed(1)} MiB`;
const percent = (fraction: number) => `${(fraction * 100).toFixed(1)} %`;

const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '—');

/** Issue #18: start-up, memory, the grid and the acknowledgement tail, each also against the minimal bot. */
function versusChecks(figures: Figures): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const versus = figures.versus;
  const [floorStart, ...ourStarts] = versus.startup;
  if (floorStart !== undefined) {
    for (const start of ourStarts) {
      checks.push({
        name: `start-up, spawn → IDENTIFY, ${start.label} (median of ${start.identifyMs.n})`,
        target: '≤ 1000 ms',
        value: `${ms(start.identifyMs.p50)} (max ${ms(start.identifyMs.max)}; healthy ${ms(start.healthyMs.p50)}); minimal ${ms(floorStart.identifyMs.p50)}, ${ratio(toRatio(start.identifyMs.p50, floorStart.identifyMs.p50))}`,
        met: start.identifyMs.p50 <= 1000,
      });
    }
    for (const start of ourStarts) {
      checks.push({
        name: `idle RSS, ${start.label} (median of ${start.idleRssByStartMiB.length} starts)`,
        target: '≤ 90 MiB',
        value: `${mib(start.idleRssMiB)} (starts ${start.idleRssByStartMiB.join('/')}); minimal ${mib(floorStart.idleRssMiB)}, ${ratio(toRatio(start.idleRssMiB, floorStart.idleRssMiB))}`,
        met: start.idleRssMiB <= 90,
      });
      checks.push({
        name: `idle RSS settled, ${start.label} (one start, ${start.settledAfterMs / 1000} s after healthy)`,
        target: '—',
        value: `${mib(start.settledIdleRssMiB)}; minimal ${mib(floorStart.settledIdleRssMiB)}, ${ratio(toRatio(start.settledIdleRssMiB, floorStart.settledIdleRssMiB))}`,
        met: null,
      });
    }
  }
  const ack = figures.acknowledgement;
  const floorAck = versus.acknowledgement;
  const ackRatio = toRatio(ack.latencyMs.p99, floorAck.latencyMs.p99);
  checks.push({
    name: 'ack latency p99 against the minimal bot, same bursts',
    target: '≤ 1.10×',
    value: `${ratio(ackRatio)} (${ms(ack.latencyMs.p99)} / ${ms(floorAck.latencyMs.p99)}; p50 ${ms(ack.latencyMs.p50)} / ${ms(floorAck.latencyMs.p50)})`,
    met: ack.unacknowledged === 0 && ackRatio <= 1.1,
  });
  const grain = figures.overhead.runs.find((run) => run.label === GRAIN_RUN);
  const floorGrain = versus.overhead;
  if (grain !== undefined) {
    checks.push({
      name: `bot overhead per job, median, ${grain.label} (~${(grain.generatedMiB / 4).toFixed(2)} MiB PNGs)`,
      target: '≤ 85 ms',
      value: grainValue(grain, floorGrain),
      met: grain.overheadMs.n > 0 && grain.overheadMs.p50 <= 85,
    });
  }
  const overLink = figures.overhead.runs.find((run) => run.label === GRAIN_LINK_RUN);
  if (overLink !== undefined) {
    checks.push({
      name: `bot overhead per job, median, ${overLink.label}`,
      target: '—',
      value: grainValue(overLink, versus.overheadOverLink),
      met: null,
    });
  }
  const [floorWave, ourWave, ...otherWaves] = versus.waves;
  if (floorWave !== undefined && ourWave !== undefined) {
    checks.push({
      name: `peak RSS, ${ourWave.jobs} jobs of ${ourWave.images} at once, 2 backends`,
      target: '≤ 145 MiB',
      value: `${mib(ourWave.peakRssMiB)} (idle ${mib(ourWave.idleRssMiB)}); minimal ${mib(floorWave.peakRssMiB)} (idle ${mib(floorWave.idleRssMiB)}), ${ratio(toRatio(ourWave.peakRssMiB, floorWave.peakRssMiB))}`,
      met: ourWave.peakRssMiB <= 145 && ourWave.failedJobs === 0,
    });
    for (const other of otherWaves) {
      checks.push({
        name: `peak RSS, same wave, ${other.label}`,
        target: '—',
        value: `${mib(other.peakRssMiB)} (idle ${mib(other.idleRssMiB)})`,
        met: null,
      });
    }
  }
  return checks;
}

/** Issue 19: throughput across processes (≥ 95 %); the PostgreSQL dispatch gap and the recovery, reported. */
export function processChecks(processes: ProcessesResult): TargetCheck[] {
  const checks: TargetCheck[] = processes.throughput.map((run) => ({
    name: `throughput, ${run.workers} worker process${run.workers === 1 ? '' : 'es'} behind a gateway, one PostgreSQL queue, ${run.backends} backends`,
    target: '≥ 95 %',
    value: `${percent(run.fraction)}${run.roundFractions.length > 1 ? `, the median of ${run.roundFractions.length} runs (${run.roundFractions.map(percent).join(' / ')}); that run:` : ''} (${run.jobsPerSecond}/${run.idealJobsPerSecond} jobs/s; a request took ${ms(run.meanServiceMs)} at the fake, backends busy ${percent(run.busyFraction)} of the span; bot gap median ${ms(run.medianBotGapMs)}, p90 ${ms(run.p90BotGapMs)}, mean ${ms(run.meanBotGapMs)}; at most ${run.mostAtOnce} job at once per backend; CPU: bots ${run.botCpuCores}, PostgreSQL ${run.postgresCpuCores}, fakes ${run.benchCpuCores} cores${run.failedJobs > 0 ? `; ${run.failedJobs} failed` : ''})`,
    met: run.fraction >= 0.95 && run.failedJobs === 0 && run.mostAtOnce <= 1,
  }));
  const sqlite = processes.gap.find((run) => run.queue === 'sqlite');
  const postgres = processes.gap.find((run) => run.queue === 'postgres');
  if (sqlite !== undefined && postgres !== undefined) {
    const gap = (run: typeof sqlite) => ms(run.medianBotGapMs ?? Number.NaN);
    checks.push({
      name: `dispatch gap between two jobs on one backend, median, PostgreSQL (SQLite), ${postgres.jobs} jobs`,
      target: '—',
      value: `${gap(postgres)} (${gap(sqlite)}); utilisation ${percent(postgres.fraction)} (${percent(sqlite.fraction)})`,
      met: null,
    });
  }
  const recovery = processes.recovery;
  const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
  checks.push({
    name: `recovery of a SIGKILLed worker's job, JOB_LEASE_SECONDS=${recovery.leaseSeconds}`,
    target: '—',
    value: `on a backend again ${seconds(recovery.reclaimMs)} after the kill, delivered ${seconds(recovery.deliveredMs)} after (${recovery.deliveries} deliver${recovery.deliveries === 1 ? 'y' : 'ies'}; ${recovery.generationMs} ms jobs${recovery.warnings.length > 0 ? `; ${recovery.warnings.length} warning lines in the JSON` : ''})`,
    met: null,
  });
  return checks;
}

/** Each figure next to its target (issues #9 and #18); timing never fails the run, it is only reported. */
export function checkTargets(figures: Figures, params: BenchParams): TargetCheck[] {
  const checks: TargetCheck[] = versusChecks(figures);
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
    name: `peak RSS, ${memory.peak.jobs} jobs of ${memory.peak.images} waiting (MALLOC_ARENA_MAX=2)`,
    target: '≤ 250 MiB',
    value: `${mib(memory.peak.peakRssMiB)} (idle ${mib(memory.idleRssMiB)})`,
    met: memory.peak.peakRssMiB <= 250,
  });
  const noiseMiB = params.memory.noiseBytes / 2 ** 20;
  checks.push({
    name: `RSS growth, ${memory.afterFirst.jobs} → ${memory.afterLast.jobs} jobs (trend over ${memory.rssByWaveMiB.length} waves, MALLOC_ARENA_MAX=2)`,
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
  checks.push(...processChecks(figures.processes));
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

/** A grain run's median, per image and sent, next to the minimal bot's in the same run. */
function grainValue(run: OverheadRun, floor: OverheadRun | null): string {
  const ours = `${ms(run.overheadMs.p50)} (${ms(run.overheadMs.p50 / 4)} per image; p95 ${ms(run.overheadMs.p95)}; sent ${run.uploadedMiB} MiB)`;
  if (floor === null) return ours;
  return `${ours}; minimal ${ms(floor.overheadMs.p50)} (sends all 4 PNGs), ${ratio(toRatio(run.overheadMs.p50, floor.overheadMs.p50))}`;
}
