import { afterEach, describe, expect, it } from 'vitest';
import { type FakeWebui, type FakeWebuiOptions, startFakeWebui } from '../fakes/webui/server.js';

const fakes: FakeWebui[] = [];

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function startFake(options: FakeWebuiOptions = {}): Promise<FakeWebui> {
  const fake = await startFakeWebui(options);
  fakes.push(fake);
  return fake;
}

interface Answer {
  status: number;
  json: unknown;
}

async function call(fake: FakeWebui, method: string, path: string, body?: unknown): Promise<Answer> {
  const response = await fetch(`${fake.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? null : (JSON.parse(text) as unknown) };
}

function taskProgress(fake: FakeWebui, idTask: string): Promise<Record<string, unknown>> {
  return call(fake, 'POST', '/internal/progress', { id_task: idTask, id_live_preview: -1 }).then(
    (answer) => answer.json as Record<string, unknown>,
  );
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Txt2ImgAnswer {
  status: number;
  images: string[];
  info: Record<string, unknown>;
  json: unknown;
}

async function txt2img(fake: FakeWebui, body: Record<string, unknown>): Promise<Txt2ImgAnswer> {
  const answer = await call(fake, 'POST', '/sdapi/v1/txt2img', body);
  const json = answer.json as { images?: string[]; info?: string };
  return {
    status: answer.status,
    images: json.images ?? [],
    info: typeof json.info === 'string' ? (JSON.parse(json.info) as Record<string, unknown>) : {},
    json: answer.json,
  };
}

const SMALL = { width: 8, height: 8, steps: 2 };

describe('startFakeWebui tasks', () => {
  it('reports a forced task queued with its place, then active, then completed when it waits behind another', async () => {
    const fake = await startFake({ generationMs: 200 });

    const first = txt2img(fake, { ...SMALL, force_task_id: 'task(first)' });
    await fake.whenGenerating();
    const second = txt2img(fake, { ...SMALL, force_task_id: 'task(second)' });
    await until(() => fake.queued === 1);
    const waiting = await taskProgress(fake, 'task(second)');
    const running = await taskProgress(fake, 'task(first)');
    const pending = await call(fake, 'GET', '/internal/pending-tasks');
    await Promise.all([first, second]);
    const done = await taskProgress(fake, 'task(second)');

    expect(waiting).toEqual({
      active: false,
      queued: true,
      completed: false,
      progress: null,
      eta: null,
      live_preview: null,
      id_live_preview: -1,
      textinfo: 'In queue: 1/1',
    });
    expect(running).toMatchObject({ active: true, queued: false, completed: false, textinfo: null });
    expect(running.progress).toEqual(expect.any(Number));
    expect(String(running.live_preview)).toMatch(/^data:image\/png;base64,/);
    expect(pending).toEqual({ status: 200, json: { size: 1, tasks: ['task(second)'] } });
    expect(done).toMatchObject({ active: false, queued: false, completed: true, textinfo: 'Waiting...' });
  });

  it('answers Waiting... with every flag false when the task id is unknown', async () => {
    const fake = await startFake();

    await expect(taskProgress(fake, 'task(nobody)')).resolves.toMatchObject({
      active: false,
      queued: false,
      completed: false,
      textinfo: 'Waiting...',
    });
  });

  it('keeps a task active after it failed inside the lock, as A1111 skips finish_task on an exception', async () => {
    const fake = await startFake({ oomAbovePixels: 100 });

    const answer = await txt2img(fake, { width: 64, height: 64, force_task_id: 'task(oom)' });

    expect(answer.status).toBe(500);
    expect(fake.currentTask).toBe('task(oom)');
    await expect(taskProgress(fake, 'task(oom)')).resolves.toMatchObject({ active: true, completed: false });
  });

  it('does not register API tasks on SD.Next, whose API ignores force_task_id', async () => {
    const fake = await startFake({ flavour: 'sdnext' });

    await txt2img(fake, { ...SMALL, force_task_id: 'task(mine)' });

    await expect(taskProgress(fake, 'task(mine)')).resolves.toMatchObject({
      active: false,
      completed: false,
      paused: false,
      textinfo: 'Waiting...',
    });
  });

  it('answers every /internal route 404 when it runs with --nowebui', async () => {
    const fake = await startFake({ uiMode: false });

    for (const [method, path] of [
      ['POST', '/internal/progress'],
      ['GET', '/internal/pending-tasks'],
      ['GET', '/internal/ping'],
    ] as const) {
      await expect(
        call(fake, method, path, method === 'POST' ? { id_task: 'x' } : undefined),
      ).resolves.toEqual({
        status: 404,
        json: { detail: 'Not Found' },
      });
    }
  });

  it('serves /internal/progress without credentials when --api-auth is set', async () => {
    const fake = await startFake({ auth: { username: 'bot', password: 'pw' } });

    expect((await call(fake, 'POST', '/internal/progress', { id_task: 'x' })).status).toBe(200);
    expect((await call(fake, 'GET', '/sdapi/v1/progress')).status).toBe(401);
  });
});

describe('startFakeWebui page generations', () => {
  it('queues an API request behind a page generation that a global interrupt then stops', async () => {
    const fake = await startFake({ generationMs: 20 });

    const page = fake.startExternalGeneration({ durationMs: 5_000 });
    await fake.whenGenerating();
    const state = ((await call(fake, 'GET', '/sdapi/v1/progress')).json as { state: { job: string } }).state;
    const mine = txt2img(fake, { ...SMALL, force_task_id: 'task(mine)' });
    await until(() => fake.queued === 1);
    const whileWaiting = await taskProgress(fake, 'task(mine)');
    const pageTask = await taskProgress(fake, page.taskId);
    await call(fake, 'POST', '/sdapi/v1/interrupt');
    await page.done;
    const answer = await mine;

    expect(page.taskId).toMatch(/^task\([a-z0-9]{15}\)$/);
    expect(state.job).toBe(page.taskId);
    expect(whileWaiting).toMatchObject({ queued: true, active: false, textinfo: 'In queue: 1/1' });
    expect(pageTask).toMatchObject({ active: true });
    expect(page.interrupted).toBe(true);
    expect(fake.interruptedTasks).toEqual(['external']);
    expect(answer.status).toBe(200);
    expect(fake.generations).toBe(1);
  });

  it('counts an interrupt while idle but records nothing stopped', async () => {
    const fake = await startFake();

    await call(fake, 'POST', '/sdapi/v1/interrupt');

    expect(fake.interrupts).toBe(1);
    expect(fake.interruptedTasks).toEqual([]);
  });

  it('records the forced task id when an interrupt stops an API generation', async () => {
    const fake = await startFake({ generationMs: 5_000 });

    const mine = txt2img(fake, { ...SMALL, force_task_id: 'task(mine)' });
    await fake.whenGenerating();
    await call(fake, 'POST', '/sdapi/v1/interrupt');
    await call(fake, 'POST', '/sdapi/v1/interrupt');
    const answer = await mine;

    expect(answer.status).toBe(200);
    expect(fake.interrupts).toBe(2);
    expect(fake.interruptedTasks).toEqual(['task(mine)']);
    await expect(taskProgress(fake, 'task(mine)')).resolves.toMatchObject({ completed: true });
  });

  it('runs the page generation to its end when nobody interrupts it', async () => {
    const fake = await startFake();

    const page = fake.startExternalGeneration({ durationMs: 10 });
    await page.done;

    expect(page.interrupted).toBe(false);
    await expect(taskProgress(fake, page.taskId)).resolves.toMatchObject({ completed: true, active: false });
  });
});
