import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../fakes/discord/interaction-handle.js';
import type { FakeMessage, RecordedRequest } from '../fakes/discord/types.js';
import type { FakeWebui } from '../fakes/webui/server.js';
import { type Harness, requestsTo, startHarness } from './harness.js';

/** Members of the fake guild; alice is the fake's default sender. */
const ALICE = { id: '1300000000000000200', username: 'alice' };
const BOB = { id: '1300000000000000301', username: 'bob' };
const CAROL = { id: '1300000000000000302', username: 'carol' };
type Member = typeof ALICE;

const MANAGE_MESSAGES = String(1n << 13n);
const INTERVAL_MS = 250;
const BASE_ENV = { MAX_PENDING_PER_USER: '10', PROGRESS_INTERVAL_MS: String(INTERVAL_MS) };
const WAIT_MS = 20_000;
/**
 * The runner decides an edit at most once per interval; the fake sees it after a progress poll and
 * the REST round trip, whose latency varies. Edits closer than this would mean no throttle at all.
 */
const MIN_GAP_MS = INTERVAL_MS * 0.4;

let harness: Harness | undefined;
afterEach(async () => {
  const errors = (harness?.logs ?? []).filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
  await harness?.close();
  harness = undefined;
  expect(errors, 'error-level log lines').toEqual([]);
});

const started = (options: { generationMs?: number; env?: Record<string, string> } = {}) =>
  startHarness({
    webuis: [{ generationMs: options.generationMs ?? 300 }, { generationMs: options.generationMs ?? 300 }],
    env: { ...BASE_ENV, ...options.env },
  });

const hasImage = (message: FakeMessage) =>
  message.attachments.some(
    (attachment) => attachment.filename.endsWith('.png') && attachment.filename !== 'preview.png',
  );

const describedAs = (message: FakeMessage) =>
  message.embeds.map((embed) => String((embed as { description?: unknown }).description ?? '')).join('\n');

/** The job id carried by the Cancel button of a queued or running reply. */
function jobIdOf(message: FakeMessage): string | undefined {
  for (const row of message.components as { components?: { custom_id?: string }[] }[]) {
    for (const component of row.components ?? []) {
      if (component.custom_id?.startsWith('cancel:')) return component.custom_id.slice('cancel:'.length);
    }
  }
  return undefined;
}

interface Submitted {
  member: Member;
  prompt: string;
  handle: InteractionHandle;
  jobId: string;
}

/** Sends `/imagine` as `member` and waits until the job is in line (its reply carries a Cancel button). */
async function imagine(h: Harness, member: Member, prompt: string): Promise<Submitted> {
  const handle = h.discord.sendCommand({ name: 'imagine', options: { prompt }, user: member });
  const queued = await handle.waitForEdit((message) => jobIdOf(message) !== undefined, WAIT_MS);
  return { member, prompt, handle, jobId: jobIdOf(queued) as string };
}

const waitForImage = (job: Submitted) => job.handle.waitForEdit(hasImage, WAIT_MS);

async function until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface LogLine {
  msg?: string;
  jobId?: string;
  state?: string;
  backend?: string;
  userId?: string;
}
const logLines = (h: Harness): LogLine[] => h.logs.map((line) => JSON.parse(line) as LogLine);

/**
 * The prompts in the order their jobs were taken from the line (`started_at`, stamped by the claim),
 * `expected`'s order kept among jobs claimed in the same millisecond. A job claimed ahead starts when
 * the job before it on its server answers, so the order of starts may swap two jobs claimed within
 * `SCHEDULER_CLAIM_AHEAD_MS` of each other on two servers; the order of claims is the fair one.
 */
function claimOrder(h: Harness, jobs: readonly Submitted[], expected: readonly string[]): string[] {
  const db = new Database(h.env.DATABASE_PATH as string, { readonly: true });
  try {
    const at = db.prepare<[string], { started_at: number }>('SELECT started_at FROM jobs WHERE id = ?');
    return jobs
      .map((job) => ({ prompt: job.prompt, at: at.get(job.jobId)?.started_at ?? Number.NaN }))
      .sort((a, b) => a.at - b.at || expected.indexOf(a.prompt) - expected.indexOf(b.prompt))
      .map((job) => job.prompt);
  } finally {
    db.close();
  }
}

/** Job ids in the order the runner started them (every attempt). */
const startOrder = (h: Harness) =>
  logLines(h)
    .filter((line) => line.msg === 'job running')
    .map((line) => line.jobId as string);

/** Prompts of the txt2img requests the fake WebUIs received, in arrival order. */
const txt2imgPrompts = (webuis: FakeWebui[]) =>
  webuis
    .flatMap((webui) => requestsTo(webui, '/sdapi/v1/txt2img'))
    .sort((a, b) => a.at - b.at)
    .map((request) => (request.body as { prompt: string }).prompt);

/** Accepted PATCHes of one interaction's reply (its webhook `@original`), in arrival order. */
const editsOf = (h: Harness, job: Submitted): RecordedRequest[] =>
  h.discord.requests.filter(
    (request) =>
      request.method === 'PATCH' &&
      request.path.includes(`/${job.handle.token}/messages/@original`) &&
      request.status < 300,
  );

const editText = (request: RecordedRequest) =>
  ((request.json as { embeds?: { description?: string }[] } | null)?.embeds ?? [])
    .map((embed) => embed.description ?? '')
    .join('\n');

/**
 * Consecutive edits of one job that show the same state (both "Queued", both "Generating") must be
 * at least about the progress interval apart. State changes and final edits may follow at once.
 */
function throttleViolations(h: Harness, job: Submitted, minGapMs: number): string[] {
  const stateOf = (request: RecordedRequest) => {
    const text = editText(request);
    return text.includes('**Queued**') ? 'queued' : text.includes('**Generating**') ? 'running' : 'final';
  };
  const edits = editsOf(h, job);
  const problems: string[] = [];
  for (let index = 1; index < edits.length; index++) {
    const previous = edits[index - 1] as RecordedRequest;
    const current = edits[index] as RecordedRequest;
    const state = stateOf(current);
    if (state === 'final' || state !== stateOf(previous)) continue;
    if (current.at - previous.at < minGapMs) {
      problems.push(`${job.prompt}: ${state} edits ${current.at - previous.at} ms apart`);
    }
  }
  return problems;
}

/** Consecutive "Queued" edits of one job that show the same place in line: edits nobody needed. */
function repeatedPositions(h: Harness, job: Submitted): string[] {
  const positions = editsOf(h, job).map(
    (request) => /\*\*Queued\*\* — (position \d+ of \d+)/.exec(editText(request))?.[1],
  );
  return positions
    .filter((position, index) => position !== undefined && index > 0 && position === positions[index - 1])
    .map((position) => `${job.prompt}: ${position} shown twice in a row`);
}

describe('job queue end to end with two WebUI backends', () => {
  it('finishes 10 jobs from 3 members in round-robin order, each with its image', async () => {
    harness = await started({ generationMs: 2000 });
    const h = harness;
    // The first two jobs hold both backends long enough for the other eight to queue up behind them.
    const plan: [Member, string][] = [
      [ALICE, 'alice 1'],
      [ALICE, 'alice 2'],
      [ALICE, 'alice 3'],
      [ALICE, 'alice 4'],
      [BOB, 'bob 1'],
      [BOB, 'bob 2'],
      [BOB, 'bob 3'],
      [CAROL, 'carol 1'],
      [CAROL, 'carol 2'],
      [CAROL, 'carol 3'],
    ];
    const jobs: Submitted[] = [];
    for (const [member, prompt] of plan) {
      jobs.push(await imagine(h, member, prompt));
      if (jobs.length === 2) {
        await Promise.all(h.webuis.map((webui) => webui.whenGenerating()));
        for (const webui of h.webuis) webui.configure({ generationMs: 300 });
      }
    }
    expect(
      logLines(h).some((line) => line.msg === 'job succeeded'),
      'all jobs queued before the first finished',
    ).toBe(false);

    // /queue shows alice her two running jobs and her place for the other two in the fair line.
    const queue = h.discord.sendCommand({ name: 'queue', user: ALICE });
    const queueText = String(
      ((await queue.ack()).data?.embeds as { description: string }[] | undefined)?.[0]?.description,
    );
    expect(queueText).toContain('**8** waiting, **2** generating.');
    expect(queueText.match(/generating now/g)).toHaveLength(2);
    expect(queueText).toContain('position 7 of 8 — alice 3');
    expect(queueText).toContain('position 8 of 8 — alice 4');

    const replies = await Promise.all(jobs.map(waitForImage));
    expect(replies.every(hasImage)).toBe(true);

    const fair = [
      'alice 1',
      'alice 2',
      'bob 1',
      'carol 1',
      'alice 3',
      'bob 2',
      'carol 2',
      'alice 4',
      'bob 3',
      'carol 3',
    ];
    expect(claimOrder(h, jobs, fair)).toEqual(fair);
    const byId = new Map(jobs.map((job) => [job.jobId, job]));
    const order = startOrder(h).map((id) => byId.get(id)?.prompt);
    expect([...order].sort()).toEqual([...fair].sort());
    // The WebUIs saw every job exactly once, in the same order. Requests to two servers a few
    // milliseconds apart may arrive either way round: a job is handed to a server as soon as it
    // starts answering, over a fresh connection while the old one still carries that answer.
    const received = h.webuis.flatMap((webui) =>
      requestsTo(webui, '/sdapi/v1/txt2img').map((request) => ({
        at: request.at,
        rank: order.indexOf((request.body as { prompt: string }).prompt),
      })),
    );
    expect(received.map((request) => request.rank).sort((a, b) => a - b)).toEqual(
      order.map((_, index) => index),
    );
    const outOfOrder = received.filter((a) => received.some((b) => a.at + 10 < b.at && a.rank > b.rank));
    expect(outOfOrder).toEqual([]);
    // Both backends shared the work.
    for (const webui of h.webuis)
      expect(requestsTo(webui, '/sdapi/v1/txt2img').length).toBeGreaterThanOrEqual(3);

    // Place-in-line edits went out as the line moved, but never faster than the interval.
    const positions = jobs
      .flatMap((job) => editsOf(h, job).map(editText))
      .filter((text) => text.includes('position'));
    expect(positions.some((text) => text.includes('position 1 of'))).toBe(true);
    expect(jobs.flatMap((job) => throttleViolations(h, job, MIN_GAP_MS))).toEqual([]);
    expect(jobs.flatMap((job) => repeatedPositions(h, job))).toEqual([]);
  });

  it('cancels a queued job before it reaches a WebUI and interrupts a running one', async () => {
    harness = await started({ generationMs: 2000 });
    const h = harness;
    const first = await imagine(h, ALICE, 'running one');
    const second = await imagine(h, BOB, 'keeps going');
    const third = await imagine(h, ALICE, 'waiting one');
    await Promise.all(h.webuis.map((webui) => webui.whenGenerating()));

    // Another member may not cancel it.
    const intruder = h.discord.clickButton({
      customId: `cancel:${third.jobId}`,
      message: third.handle.original() as FakeMessage,
      user: CAROL,
    });
    const refusal = await intruder.ack();
    expect(String(refusal.data?.content)).toContain('Only the member who asked');

    const cancelQueued = h.discord.clickButton({
      customId: `cancel:${third.jobId}`,
      message: third.handle.original() as FakeMessage,
      user: ALICE,
    });
    expect(String((await cancelQueued.ack()).data?.content)).toBe('Cancelled.');
    const cancelledReply = await third.handle.waitForEdit(
      (message) => describedAs(message).includes('Cancelled'),
      WAIT_MS,
    );
    expect(cancelledReply.components).toEqual([]);

    // A moderator may cancel someone else's running job: the WebUI is told to interrupt.
    const cancelRunning = h.discord.clickButton({
      customId: `cancel:${first.jobId}`,
      message: first.handle.original() as FakeMessage,
      user: CAROL,
      permissions: MANAGE_MESSAGES,
    });
    expect(String((await cancelRunning.ack()).data?.content)).toContain('Stopping');
    const stopped = await first.handle.waitForEdit(
      (message) => describedAs(message).includes('Cancelled'),
      WAIT_MS,
    );
    expect(hasImage(stopped)).toBe(false);
    expect(h.webuis.flatMap((webui) => requestsTo(webui, '/sdapi/v1/interrupt'))).toHaveLength(1);

    await waitForImage(second);
    // Give the runner a moment in which it could (wrongly) still start the cancelled job.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(txt2imgPrompts(h.webuis)).toEqual(['running one', 'keeps going']);
    expect(hasImage(first.handle.original() as FakeMessage)).toBe(false);
  });

  it('says a job was already cancelled when its Cancel is pressed a second time', async () => {
    harness = await started({ generationMs: 2000 });
    const h = harness;
    await imagine(h, ALICE, 'running one');
    await imagine(h, BOB, 'keeps going');
    const waiting = await imagine(h, ALICE, 'waiting one');
    await Promise.all(h.webuis.map((webui) => webui.whenGenerating()));
    const press = () =>
      h.discord.clickButton({
        customId: `cancel:${waiting.jobId}`,
        message: waiting.handle.original() as FakeMessage,
        user: ALICE,
      });
    // Two presses before the first one's edit takes the button away, as a quick double click does.
    const [first, second] = [press(), press()];
    expect(String((await first.ack()).data?.content)).toBe('Cancelled.');
    expect(String((await second.ack()).data?.content)).toBe('This job was already cancelled.');
  });

  it('shows live progress while generating, at most one edit per interval', async () => {
    harness = await started({ generationMs: 2500 });
    const h = harness;
    const job = await imagine(h, ALICE, 'slow lighthouse');
    await waitForImage(job);

    const progress = editsOf(h, job).filter((request) => editText(request).includes('Step '));
    expect(progress.length, 'progress edits during a 2.5 s generation').toBeGreaterThanOrEqual(3);
    // Never more than one per interval (a little slack for the tick), however often we could poll.
    expect(progress.length).toBeLessThanOrEqual(Math.ceil(2500 / INTERVAL_MS) + 1);
    expect(throttleViolations(h, job, MIN_GAP_MS)).toEqual([]);
    const percents = progress.map((request) => Number(/(\d+)%/.exec(editText(request))?.[1]));
    expect(
      percents.every((percent, index) => index === 0 || percent >= (percents[index - 1] as number)),
    ).toBe(true);
    expect(progress.some((request) => request.files.some((file) => file.filename === 'preview.png'))).toBe(
      true,
    );
    // The final reply carries the image, not the preview.
    const reply = job.handle.original() as FakeMessage;
    expect(reply.attachments.map((attachment) => attachment.filename)).not.toContain('preview.png');
  });

  it('moves the jobs of a backend killed mid-queue to the other one', async () => {
    harness = await started({ generationMs: 600 });
    const h = harness;
    const [first, second] = h.webuis as [FakeWebui, FakeWebui];
    const jobs: Submitted[] = [];
    for (const [member, prompt] of [
      [ALICE, 'a one'],
      [BOB, 'b one'],
      [ALICE, 'a two'],
      [BOB, 'b two'],
      [CAROL, 'c one'],
      [CAROL, 'c two'],
    ] as [Member, string][]) {
      jobs.push(await imagine(h, member, prompt));
    }
    await second.whenGenerating();
    const victim = requestsTo(second, '/sdapi/v1/txt2img').at(-1)?.body as { prompt: string };
    await second.kill();

    const replies = await Promise.all(jobs.map(waitForImage));
    expect(replies.every(hasImage)).toBe(true);
    const retried = jobs.find((job) => job.prompt === victim.prompt) as Submitted;
    const notice = await retried.handle.waitForEdit(
      (message) => describedAs(message).includes('retrying'),
      WAIT_MS,
    );
    expect(describedAs(notice)).toContain('The image server failed; retrying on another server.');
    // Everything after the kill ran on the first backend, the interrupted job included.
    const afterKill = txt2imgPrompts([first]);
    expect(afterKill).toContain(victim.prompt);
    expect(
      new Set([
        ...afterKill,
        ...requestsTo(second, '/sdapi/v1/txt2img').map((r) => (r.body as { prompt: string }).prompt),
      ]),
    ).toEqual(new Set(jobs.map((job) => job.prompt)));
    expect(logLines(h).some((line) => line.msg === 'backend left the rotation')).toBe(true);
    expect(jobs.flatMap((job) => throttleViolations(h, job, MIN_GAP_MS))).toEqual([]);
    expect(jobs.flatMap((job) => repeatedPositions(h, job))).toEqual([]);

    // /queue tells members the second server is down.
    const queue = h.discord.sendCommand({ name: 'queue', user: BOB });
    const ack = await queue.ack();
    const description = String((ack.data?.embeds as { description: string }[] | undefined)?.[0]?.description);
    expect(description).toContain('server 2: down');
    expect(description).toContain('server 1: idle');
  });

  it('finishes every waiting job after a restart and tells each requester', async () => {
    harness = await started({ generationMs: 3000, env: { SHUTDOWN_GRACE_SECONDS: '1' } });
    const h = harness;
    const jobs: Submitted[] = [];
    for (const [member, prompt] of [
      [ALICE, 'r a1'],
      [BOB, 'r b1'],
      [CAROL, 'r c1'],
      [ALICE, 'r a2'],
      [BOB, 'r b2'],
    ] as [Member, string][]) {
      jobs.push(await imagine(h, member, prompt));
    }
    await Promise.all(h.webuis.map((webui) => webui.whenGenerating()));
    for (const webui of h.webuis) webui.configure({ generationMs: 300 });

    // Both backends are mid-generation and three jobs wait: the grace period runs out.
    await h.restart();
    const replies = await Promise.all(jobs.map(waitForImage));
    expect(replies.every(hasImage)).toBe(true);
    for (const job of jobs) {
      await job.handle.waitForEdit(
        (message) => describedAs(message).includes('The bot restarted; your job is back in line.'),
        WAIT_MS,
      );
    }
    // The two interrupted jobs ran again; nothing ran three times.
    const prompts = txt2imgPrompts(h.webuis);
    for (const job of jobs)
      expect(prompts.filter((prompt) => prompt === job.prompt).length).toBeLessThanOrEqual(2);
    expect(prompts).toHaveLength(jobs.length + 2);
    expect(jobs.flatMap((job) => throttleViolations(h, job, MIN_GAP_MS))).toEqual([]);
    expect(jobs.flatMap((job) => repeatedPositions(h, job))).toEqual([]);
  });

  it('delivers the result as a channel message mentioning the requester once the token expired', async () => {
    harness = await started({ generationMs: 1500 });
    const h = harness;
    const running = await imagine(h, ALICE, 'expiring running');
    const other = await imagine(h, BOB, 'expiring other');
    const waiting = await imagine(h, CAROL, 'expiring waiting');
    await Promise.all(h.webuis.map((webui) => webui.whenGenerating()));

    h.discord.advanceClock(16 * 60_000);
    const messages = await Promise.all(
      [running, other, waiting].map((job) =>
        h.discord.waitForChannelMessage(
          (message) => hasImage(message) && message.content.includes(`<@${job.member.id}>`),
          WAIT_MS,
        ),
      ),
    );
    for (const message of messages) expect(message.channelId).toBe(h.discord.channelId);
    // The reply through the dead token was refused, and no stale progress message is left behind.
    expect(running.handle.rejections.some((event) => event.code === 50027)).toBe(true);
    const live = () =>
      h.discord
        .messagesIn(h.discord.channelId)
        .filter((message) => !message.deleted && message.interactionToken === null)
        .map((message) => message.id)
        .sort();
    const expected = messages.map((message) => message.id).sort();
    await until(
      () => JSON.stringify(live()) === JSON.stringify(expected),
      'the progress messages to be removed',
    );
    // Mentions ping only the requester.
    const posts = h.discord.requests.filter(
      (request) =>
        request.method === 'POST' && request.path.endsWith(`/channels/${h.discord.channelId}/messages`),
    );
    for (const post of posts) {
      const mentions = (post.json as { allowed_mentions?: { parse: string[]; users?: string[] } })
        .allowed_mentions;
      expect(mentions?.parse).toEqual([]);
      expect((mentions?.users ?? []).length).toBeLessThanOrEqual(1);
    }
  });

  it('moves a waiting job’s reply once Discord refuses its token, and edits it there from then on', async () => {
    harness = await startHarness({ webuis: [{ generationMs: 600 }], env: BASE_ENV });
    const h = harness;
    await imagine(h, ALICE, 'refused first');
    await h.webuis[0]?.whenGenerating();
    await imagine(h, BOB, 'refused second');
    await imagine(h, CAROL, 'refused third');
    const last = await imagine(h, ALICE, 'refused last');
    // Discord's clock runs ahead of the bot's: the tokens are dead there while the bot holds them usable.
    h.discord.advanceClock(16 * 60_000);
    await h.discord.waitForChannelMessage(
      (message) => hasImage(message) && message.content.includes(`<@${ALICE.id}>`) && message.content !== '',
      WAIT_MS,
    );
    await until(
      () =>
        h.discord
          .messagesIn(h.discord.channelId)
          .some((message) => hasImage(message) && describedAs(message).includes('refused last')),
      'the last job’s result in the channel',
    );
    // Its place moved twice after the refusal, yet the dead token was tried once: then the channel message.
    expect(last.handle.rejections.filter((event) => event.code === 50027)).toHaveLength(1);
    // One channel message for it, the result: its places went to one channel message, since removed.
    await until(
      () =>
        h.discord
          .messagesIn(h.discord.channelId)
          .filter(
            (message) =>
              !message.deleted &&
              message.interactionToken === null &&
              describedAs(message).includes('refused last'),
          ).length === 1,
      'one message for the last job',
    );
  });

  it('sends the result by direct message when the token expired and the bot may not post in the channel', async () => {
    harness = await started({ generationMs: 1000 });
    const h = harness;
    const job = await imagine(h, BOB, 'private result');
    // Either backend may take it: wait for whichever does.
    await Promise.race(h.webuis.map((webui) => webui.whenGenerating()));
    h.discord.setChannelPostable(h.discord.channelId, false);
    h.discord.advanceClock(16 * 60_000);

    const message = await h.discord.waitForChannelMessage((candidate) => hasImage(candidate), WAIT_MS);
    expect(message.channelId).toBe(h.discord.dmChannelOf(BOB.id));
    expect(message.content).toContain(`<@${BOB.id}>`);
    expect(job.handle.rejections.some((event) => event.code === 50027)).toBe(true);
    // Any progress message posted in the meantime is gone: one message, the result.
    const dm = message.channelId;
    await until(
      () => h.discord.messagesIn(dm).filter((candidate) => !candidate.deleted).length === 1,
      'the progress message in the DM to be removed',
    );
    expect(
      h.discord.messagesIn(h.discord.channelId).filter((candidate) => candidate.interactionToken === null),
    ).toEqual([]);
  });
});
