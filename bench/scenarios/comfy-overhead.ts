/**
 * Bot overhead per job on ComfyUI, in the image runs of the A1111 overhead scenario: from the fake
 * ComfyUI finishing the prompt (its `execution_success`, noted by the fake as it happens) to the fake Discord
 * reading the last byte of the upload. The span holds what the bot does for a ComfyUI result: hear the
 * end over the WebSocket, read `/history`, fetch every image from `/view`, and deliver. Jobs run one at
 * a time; both fakes stamp on the same clock.
 */
import type { FakeComfy } from '../../test/fakes/comfyui/server.js';
import { type LoopDelay, startLoopWindow } from '../event-loop.js';
import type { BenchParams, ImageRun } from '../params.js';
import { round, type Summary, summarize } from '../stats.js';
import {
  type BenchContext,
  imagine,
  isResultFile,
  startWorld,
  type World,
  waitForOutcome,
} from '../world.js';

export interface ComfyOverheadRun {
  label: string;
  /** Milliseconds, ComfyUI done → upload received. */
  overheadMs: Summary;
  samplesMs: number[];
  failedJobs: number;
}

export interface ComfyOverheadResult {
  runs: ComfyOverheadRun[];
  /** Event-loop delay while the bot handled the ComfyUI runs. */
  loop: LoopDelay;
}

async function runOne(
  world: World,
  comfy: FakeComfy,
  run: ImageRun,
  index: number,
): Promise<number | undefined> {
  const before = comfy.prompts.length;
  const handle = imagine(world, 0, {
    prompt: `a harbour at night ${run.label} ${index}`,
    width: run.width,
    height: run.height,
    count: run.count,
    steps: 4,
  });
  const outcome = await waitForOutcome(handle);
  if (!outcome.ok) return undefined;
  const prompt = comfy.prompts.slice(before).find((candidate) => candidate.accepted);
  if (prompt === undefined) return undefined;
  // On the fake Discord's clock: the /history timestamp is wall-clock time, which drifts from it.
  const done = prompt.succeededAt;
  const upload = world.discord.requests.find(
    (request) =>
      request.path.includes(handle.token) &&
      request.files.some((file) => isResultFile(file.filename)) &&
      done !== undefined &&
      request.receivedAt >= done,
  );
  if (done === undefined || upload === undefined) return undefined;
  return upload.receivedAt - done;
}

export async function measureComfyOverhead(
  context: BenchContext,
  params: BenchParams['overhead'],
): Promise<ComfyOverheadResult> {
  const world = await startWorld({ context, webuis: [], comfys: [{ stepMs: 1, previews: false }] });
  const comfy = world.comfys[0] as FakeComfy;
  try {
    const runs: ComfyOverheadRun[] = [];
    const endWindow = await startLoopWindow(world.bot);
    for (const run of params.runs.filter((candidate) => !candidate.noise)) {
      for (let i = 0; i < params.warmup; i++) await runOne(world, comfy, run, -1 - i);
      const samples: number[] = [];
      let failed = 0;
      for (let i = 0; i < run.repeats; i++) {
        const overhead = await runOne(world, comfy, run, i);
        if (overhead === undefined) failed++;
        else samples.push(overhead);
      }
      world.discord.requests.length = 0;
      runs.push({
        label: run.label,
        overheadMs: summarize(samples),
        samplesMs: samples.map((value) => round(value)),
        failedJobs: failed,
      });
    }
    return { runs, loop: await endWindow() };
  } finally {
    await world.close();
  }
}
