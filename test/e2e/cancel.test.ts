import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../fakes/discord/types.js';
import { type Harness, requestsTo, startHarness } from './harness.js';
import {
  ALICE,
  describedAs,
  errorLines,
  hasImage,
  imagine,
  logLines,
  type Submitted,
  until,
  WAIT_MS,
} from './job-helpers.js';

let harness: Harness | undefined;
afterEach(async () => {
  const errors = errorLines(harness);
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

/** One AUTOMATIC1111 WebUI (per-task progress, so the bot sends its own task id), probed and ready. */
async function started(generationMs: number): Promise<Harness> {
  const h = await startHarness({ webuis: [{ generationMs }], env: { MAX_PENDING_PER_USER: '10' } });
  await until(() => logLines(h).some((line) => line.msg === 'image server probed'), 'the first probe');
  return h;
}

const taskIdOf = (h: Harness, index = 0) =>
  (requestsTo(h.webui, '/sdapi/v1/txt2img')[index]?.body as { force_task_id?: string } | undefined)
    ?.force_task_id;

const pressCancel = (h: Harness, job: Submitted) =>
  h.discord.clickButton({
    customId: `cancel:${job.jobId}`,
    message: job.handle.original() as FakeMessage,
    user: job.member,
  });

describe('Cancel never stops someone else’s generation', () => {
  it('leaves a generation started on the WebUI page running when a member cancels a job waiting behind it', async () => {
    harness = await started(2000);
    const h = harness;
    // Someone uses the WebUI's own page: the server is busy with work the bot did not start.
    const external = h.webui.startExternalGeneration({ durationMs: 1500 });
    await h.webui.whenGenerating();

    const job = await imagine(h, ALICE, 'behind the page');
    // The bot sent it with its own task id; it waits in the server's queue behind the page's generation.
    await until(() => taskIdOf(h) !== undefined, 'the txt2img request');
    const taskId = taskIdOf(h) as string;
    expect(taskId).toMatch(/^sdbot-/);
    await until(() => h.webui.queued === 1, 'the request to wait for the lock');
    expect(h.webui.currentTask).toBe(external.taskId);

    const ack = await pressCancel(h, job).ack();
    expect(String(ack.data?.content)).toContain('it is stopped the moment it starts');
    const cancelled = await job.handle.waitForEdit(
      (message) => describedAs(message).includes('Cancelled'),
      WAIT_MS,
    );
    expect(hasImage(cancelled)).toBe(false);
    expect(cancelled.components).toEqual([]);
    // Nobody stopped the page's generation: it ran its full time.
    expect(h.webui.interrupts).toBe(0);
    await external.done;
    expect(external.interrupted).toBe(false);

    // Once the bot's own task starts, it is stopped (or its answer thrown away): never the page's.
    await until(
      () => h.webui.interruptedTasks.length > 0 || h.webui.generations > 0,
      'the bot’s task to be stopped or answered',
    );
    await until(() => !h.webui.generating && h.webui.queued === 0, 'the WebUI to be idle');
    expect(h.webui.interruptedTasks).not.toContain('external');
    expect(h.webui.interruptedTasks).toEqual([taskId]);
    // Give a late answer every chance to be (wrongly) delivered.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hasImage(job.handle.original() as FakeMessage)).toBe(false);
    expect(describedAs(job.handle.original() as FakeMessage)).toContain('Cancelled');
    expect(h.discord.messagesIn(h.discord.channelId).some(hasImage)).toBe(false);
    expect(logLines(h).filter((line) => line.msg === 'job succeeded')).toEqual([]);
  });

  it('interrupts the bot’s own running job when its member cancels it', async () => {
    harness = await started(3000);
    const h = harness;
    const job = await imagine(h, ALICE, 'my own');
    await h.webui.whenGenerating();
    await until(
      () => taskIdOf(h) !== undefined && h.webui.currentTask === taskIdOf(h),
      'the bot’s task to run',
    );
    const taskId = taskIdOf(h) as string;

    const ack = await pressCancel(h, job).ack();
    expect(String(ack.data?.content)).toContain('Stopping');
    const cancelled = await job.handle.waitForEdit(
      (message) => describedAs(message).includes('Cancelled'),
      WAIT_MS,
    );
    expect(hasImage(cancelled)).toBe(false);
    await until(() => !h.webui.generating, 'the generation to stop');
    expect(h.webui.interrupts).toBe(1);
    expect(h.webui.interruptedTasks).toEqual([taskId]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(hasImage(job.handle.original() as FakeMessage)).toBe(false);
  });
});
