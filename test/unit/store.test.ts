import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqliteJobStore } from '../../src/jobs/job-store.js';
import { LATEST_SCHEMA_VERSION, openDatabase, schemaVersion } from '../../src/store/database.js';
import { createSqliteSettingsStore } from '../../src/store/settings-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'sdbot-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'folder', 'bot.sqlite');
}

describe('SQLite store', () => {
  it('creates the folder, uses WAL and applies every migration once', () => {
    const path = tempPath();
    const db = openDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
    const again = openDatabase(path);
    expect(schemaVersion(again)).toBe(LATEST_SCHEMA_VERSION);
    again.close();
  });

  it('keeps a server default model across reopenings', () => {
    const path = tempPath();
    const db = openDatabase(path);
    createSqliteSettingsStore(db).setDefaultModel('g1', 'model [abc]');
    db.close();
    const reopened = openDatabase(path);
    const settings = createSqliteSettingsStore(reopened);
    expect(settings.get('g1').defaultModel).toBe('model [abc]');
    expect(settings.get('g2').defaultModel).toBeUndefined();
    reopened.close();
  });

  it('persists jobs with their parameters and lists the pending ones oldest first', () => {
    const db = openDatabase(tempPath());
    const store = createSqliteJobStore(db);
    const params = {
      prompt: 'p',
      negativePrompt: '',
      seed: -1,
      steps: 20,
      cfgScale: 7,
      width: 512,
      height: 512,
      count: 1,
      sampler: 'Euler',
      scheduler: undefined,
      model: undefined,
    };
    const base = {
      kind: 'txt2img' as const,
      userId: 'u',
      guildId: 'g',
      channelId: 'c',
      applicationId: 'a',
      interactionToken: 't',
      tokenExpiresAt: 1000,
      params,
      parentId: null,
    };
    const first = store.create(base, 1);
    const second = store.create({ ...base, userId: 'v' }, 2);
    store.update(first.id, { state: 'succeeded', finishedAt: 5 });
    expect(store.listPending().map((job) => job.id)).toEqual([second.id]);
    expect(store.get(first.id)?.state).toBe('succeeded');
    expect(store.get(second.id)?.params.prompt).toBe('p');
    expect(store.countByState()).toMatchObject({ queued: 1, succeeded: 1 });
    db.close();
  });
});

describe('image retention', () => {
  it('forgets kept images and finished jobs’ input images older than the cutoff, and nothing newer', async () => {
    const { createFileImageStore } = await import('../../src/jobs/image-store.js');
    const path = tempPath();
    const db = openDatabase(path);
    const jobs = createSqliteJobStore(db);
    const images = createFileImageStore(db, join(dirname(path), 'images'));
    const params = {
      prompt: 'p',
      negativePrompt: '',
      seed: -1,
      steps: 20,
      cfgScale: 7,
      width: 512,
      height: 512,
      count: 1,
      sampler: 'Euler',
      scheduler: undefined,
      model: undefined,
      initImage: 'aGVsbG8=',
    };
    const base = {
      kind: 'img2img' as const,
      userId: 'u',
      guildId: 'g',
      channelId: 'c',
      applicationId: 'a',
      interactionToken: 't',
      tokenExpiresAt: 1000,
      params,
      parentId: null,
    };
    const old = jobs.create(base, 1);
    const recent = jobs.create(base, 1);
    jobs.update(old.id, { state: 'succeeded', finishedAt: 100 });
    jobs.update(recent.id, { state: 'succeeded', finishedAt: 5000 });
    await images.save(old.id, [Buffer.from('a'), Buffer.from('b')], 100);
    await images.save(recent.id, [Buffer.from('c')], 5000);

    expect(await images.pruneBefore(1000)).toBe(2);
    expect(images.count(old.id)).toBe(0);
    expect(await images.get(old.id, 0)).toBeUndefined();
    expect(readdirSync(join(dirname(path), 'images')).sort()).toEqual([`${recent.id}-0.img`]);
    expect((await images.get(recent.id, 0))?.toString()).toBe('c');
    expect(jobs.get(old.id)?.params.initImage).toBeUndefined();
    expect(jobs.get(recent.id)?.params.initImage).toBe('aGVsbG8=');
    db.close();
  });
});

describe('kept images', () => {
  it('moves images an earlier version kept in SQLite into files, once', async () => {
    const { createFileImageStore } = await import('../../src/jobs/image-store.js');
    const path = tempPath();
    const db = openDatabase(path);
    const insert = db.prepare('INSERT INTO job_images (job_id, idx, data, created_at) VALUES (?, ?, ?, ?)');
    insert.run('oldJob_1', 0, Buffer.from('first'), 10);
    insert.run('oldJob_1', 1, Buffer.from('second'), 10);
    const dir = join(dirname(path), 'images');
    const images = createFileImageStore(db, dir);
    expect(images.count('oldJob_1')).toBe(2);
    expect((await images.get('oldJob_1', 1))?.toString()).toBe('second');
    expect(readdirSync(dir).sort()).toEqual(['oldJob_1-0.img', 'oldJob_1-1.img']);
    const table = db.prepare("SELECT name FROM sqlite_master WHERE name = 'job_images'").get();
    expect(table).toBeUndefined();
    // Opening again finds nothing left to move and keeps what is there.
    const again = createFileImageStore(db, dir);
    expect((await again.get('oldJob_1', 0))?.toString()).toBe('first');
    db.close();
  });

  it('replaces a job’s images, forgets the extra ones, and never builds a path from a foreign id', async () => {
    const { createFileImageStore } = await import('../../src/jobs/image-store.js');
    const path = tempPath();
    const db = openDatabase(path);
    const dir = join(dirname(path), 'images');
    const images = createFileImageStore(db, dir);
    await images.save('job', [Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], 1);
    await images.save('job', [Buffer.from('x')], 2);
    expect(images.count('job')).toBe(1);
    expect((await images.get('job', 0))?.toString()).toBe('x');
    expect(readdirSync(dir)).toEqual(['job-0.img']);
    expect(await images.get('../bot.sqlite', 0)).toBeUndefined();
    // A click right after the result (the save still being written) waits for it.
    const saving = images.save('later', [Buffer.from('fresh')], 3);
    expect((await images.get('later', 0))?.toString()).toBe('fresh');
    await saving;
    await images.remove('later');
    await images.remove('job');
    expect(readdirSync(dir)).toEqual([]);
    db.close();
  });
});
