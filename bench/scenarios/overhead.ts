/**
 * Bot overhead per job: from the fake WebUI handing the last byte of its txt2img answer to the socket
 * to the fake Discord reading the last byte of the upload (the final edit with the images). Jobs run
 * one at a time, so each answer and each upload belong to one job. Both fakes stamp on the same clock.
 */
import { renderPng } from '../../test/fakes/webui/png.js';
import { type LoopDelay, startLoopWindow } from '../event-loop.js';
import type { BenchParams, ImageRun } from '../params.js';
import { percentile, round, type Summary, summarize } from '../stats.js';
import {
  type BenchContext,
  imagine,
  isResultFile,
  startWorld,
  type World,
  waitForOutcome,
} from '../world.js';

export interface OverheadRun {
  label: string;
  /** Milliseconds, WebUI answer sent → upload received. */
  overheadMs: Summary;
  /** Every job's overhead in the order they ran, ms (to tell a one-off hiccup from a trend). */
  samplesMs: number[];
  /**
   * The median split of it: answer sent → the upload's first byte at the fake Discord (the bot's
   * processing), then → its last byte (the transfer). The first byte is stamped on Date.now, so the
   * split is good to about 1 ms.
   */
  medianProcessingMs: number;
  medianTransferMs: number;
  /** Median bot CPU time for a whole job (command, edits, progress, result), ms at 10 ms resolution. */
  medianCpuMsPerJob: number;
  /** Size of the WebUI's images (without their infotext) and of what reached Discord (last job), MiB. */
  generatedMiB: number;
  uploadedMiB: number;
  /** The files of the last job's final message. */
  uploadedFiles: string[];
  /** The upload preflight re-encoded the images to fit Discord's limit. */
  reencoded: boolean;
  failedJobs: number;
}

export interface OverheadResult {
  runs: OverheadRun[];
  /** Event-loop delay while the bot handled the PNG runs, and separately while it re-encoded. */
  loop: LoopDelay;
  loopReencoding: LoopDelay | null;
}

interface OneJob {
  overheadMs: number;
  processingMs: number;
  cpuMs: number;
  uploadedBytes: number;
  files: string[];
}

/** performance.timeOrigin + performance.now() → Date.now(), for comparing with the fake clock. */
const clockOffset = () => Date.now() - (performance.timeOrigin + performance.now());

async function runOne(world: World, run: ImageRun, index: number): Promise<OneJob | undefined> {
  const before = world.webuis.map((webui) => webui.requests.length);
  const cpuBefore = world.bot.cpuMs();
  const handle = imagine(world, 0, {
    prompt: `a harbour at night ${run.label} ${index}`,
    width: run.width,
    height: run.height,
    count: run.count,
  });
  const outcome = await waitForOutcome(handle);
  const cpuMs = world.bot.cpuMs() - cpuBefore;
  if (!outcome.ok) return undefined;
  const generation = world.webuis
    .flatMap((webui, i) => webui.requests.slice(before[i]))
    .find((request) => request.path === '/sdapi/v1/txt2img');
  const finishedAt = generation?.finishedAt;
  const upload = world.discord.requests.find(
    (request) =>
      request.path.includes(handle.token) &&
      request.files.some((file) => isResultFile(file.filename)) &&
      finishedAt !== undefined &&
      request.receivedAt >= finishedAt,
  );
  if (finishedAt === undefined || upload === undefined) return undefined;
  const files = upload.files.filter((file) => isResultFile(file.filename));
  return {
    overheadMs: upload.receivedAt - finishedAt,
    processingMs: upload.at - clockOffset() - finishedAt,
    cpuMs,
    uploadedBytes: files.reduce((sum, file) => sum + file.bytes.length, 0),
    files: outcome.message.attachments.map((attachment) => attachment.filename),
  };
}

async function measureRun(world: World, run: ImageRun, warmup: number): Promise<OverheadRun> {
  for (const webui of world.webuis) webui.configure({ noise: run.noise, linkMbps: run.linkMbps ?? 0 });
  for (let i = 0; i < warmup; i++) await runOne(world, run, -1 - i);
  const jobs: OneJob[] = [];
  let failed = 0;
  for (let i = 0; i < run.repeats; i++) {
    const job = await runOne(world, run, i);
    if (job === undefined) failed++;
    else jobs.push(job);
  }
  // Recorded bodies hold every upload; drop them between runs.
  world.discord.requests.length = 0;
  const last = jobs.at(-1);
  // The fake's answers are not recorded; its PNGs are deterministic in size, so render one alike.
  const generated = renderPng({ width: run.width, height: run.height, seed: 1, noise: run.noise }).length;
  const overheads = jobs.map((job) => job.overheadMs);
  const processing = jobs.map((job) => job.processingMs);
  return {
    label: run.label,
    overheadMs: summarize(overheads),
    samplesMs: overheads.map((value) => round(value)),
    medianProcessingMs: round(percentile(processing, 50)),
    medianTransferMs: round(
      percentile(
        jobs.map((job) => job.overheadMs - job.processingMs),
        50,
      ),
    ),
    medianCpuMsPerJob: round(
      percentile(
        jobs.map((job) => job.cpuMs),
        50,
      ),
    ),
    generatedMiB: round((generated * run.count) / 2 ** 20, 2),
    uploadedMiB: round((last?.uploadedBytes ?? 0) / 2 ** 20, 2),
    uploadedFiles: last?.files ?? [],
    // The batch grid is a JPEG preview by design; any other file not a PNG was re-encoded to fit.
    reencoded: jobs.some((job) =>
      job.files.some((name) => isResultFile(name) && !name.endsWith('.png') && !/^grid\./.test(name)),
    ),
    failedJobs: failed,
  };
}

export async function measureOverhead(
  context: BenchContext,
  params: BenchParams['overhead'],
): Promise<OverheadResult> {
  const world = await startWorld({
    context,
    webuis: Array.from({ length: params.backends }, () => ({ generationMs: params.generationMs })),
  });
  try {
    const runs: OverheadRun[] = [];
    const plain = params.runs.filter((run) => run.noise !== true);
    const noisy = params.runs.filter((run) => run.noise === true);
    let endWindow = await startLoopWindow(world.bot);
    for (const run of plain) runs.push(await measureRun(world, run, params.warmup));
    const loop = await endWindow();
    let loopReencoding: LoopDelay | null = null;
    if (noisy.length > 0) {
      endWindow = await startLoopWindow(world.bot);
      for (const run of noisy) runs.push(await measureRun(world, run, 0));
      loopReencoding = await endWindow();
    }
    return { runs, loop, loopReencoding };
  } finally {
    await world.close();
  }
}
