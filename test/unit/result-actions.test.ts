import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  composeGrid,
  GRID_BACKGROUND,
  placeCells,
  prepareGridCell,
  toGridCell,
  toGridLayout,
} from '../../src/discord/results/grid.js';
import { renderResultButtons } from '../../src/discord/results/result-buttons.js';
import { renderJobInfo } from '../../src/discord/results/result-info.js';
import { detectImageFormat, downloadAttachment } from '../../src/discord/uploads/input-image.js';
import {
  checkDerivedLimits,
  toRerollParams,
  toUpscaleParams,
  toVaryParams,
} from '../../src/generation/derive.js';
import { toImg2ImgParams, toImg2ImgSize } from '../../src/generation/img2img.js';
import type { GenerationParams } from '../../src/generation/request.js';
import { render } from '../../src/i18n/translate.js';
import { createFileImageStore } from '../../src/jobs/image-store.js';
import type { Job } from '../../src/jobs/types.js';
import { openDatabase } from '../../src/store/database.js';
import { UserError } from '../../src/user-error.js';
import { renderPng } from '../fakes/webui/png.js';

const PARAMS: GenerationParams = {
  prompt: 'apple',
  negativePrompt: 'blur',
  seed: 100,
  steps: 20,
  cfgScale: 7,
  width: 512,
  height: 512,
  count: 1,
  sampler: 'DPM++ 2M',
  scheduler: 'Karras',
  model: 'chilloutmix-Ni.safetensors [7234b76e42]',
};
const LIMITS = {
  maxSteps: 50,
  maxPixels: 1024 * 1024,
  maxCount: 4,
  maxPromptLength: 1000,
  maxTotalPixels: 4 * 1024 * 1024,
};

const job = (overrides: Partial<Job> = {}): Job => ({
  id: 'AbCdEfGhIjK',
  kind: 'txt2img',
  state: 'succeeded',
  userId: '1300000000000000200',
  guildId: '1300000000000000100',
  channelId: '1300000000000000101',
  applicationId: '1300000000000000001',
  interactionToken: null,
  tokenExpiresAt: 0,
  params: PARAMS,
  backend: 'http://127.0.0.1:7860',
  attempts: 1,
  error: null,
  result: {
    seeds: [100],
    model: 'chilloutmix-Ni',
    modelHash: '7234b76e42',
    sampler: 'DPM++ 2M',
    infotexts: ['apple\nNegative prompt: blur\nSteps: 20, Seed: 100'],
    durationMs: 1200,
    backend: 'http://127.0.0.1:7860',
  },
  parentId: null,
  messageId: null,
  createdAt: 1_700_000_000_000,
  startedAt: null,
  finishedAt: null,
  ...overrides,
});

describe('toGridLayout', () => {
  it.each([
    [1, 1, 1, 512, 512],
    [2, 2, 1, 1024, 512],
    [3, 2, 2, 1024, 1024],
    [4, 2, 2, 1024, 1024],
  ])('lays out %i images as %i×%i cells, %i×%i pixels', (count, columns, rows, width, height) => {
    const layout = toGridLayout(count, 512, 512);
    expect({
      columns: layout.columns,
      rows: layout.rows,
      width: layout.width,
      height: layout.height,
    }).toEqual({
      columns,
      rows,
      width,
      height,
    });
    expect(layout.cells).toHaveLength(count);
  });

  it('puts the third image bottom left and leaves the last cell empty', () => {
    expect(toGridLayout(3, 640, 480).cells).toEqual([
      { left: 0, top: 0 },
      { left: 640, top: 0 },
      { left: 0, top: 480 },
    ]);
  });

  it('refuses counts it cannot lay out', () => {
    expect(() => toGridLayout(5, 8, 8)).toThrow();
    expect(() => toGridLayout(0, 8, 8)).toThrow();
  });
});

describe('composeGrid', () => {
  it('scales cells of large images down to the preview size, each image in its own cell', async () => {
    const big = (g: number) =>
      sharp({ create: { width: 1024, height: 768, channels: 3, background: { r: 0, g, b: 0 } } })
        .png()
        .toBuffer();
    const grid = await composeGrid([await big(40), await big(80), await big(120), await big(160)]);
    const { data, info } = await sharp(grid).raw().toBuffer({ resolveWithObject: true });
    expect((await sharp(grid).metadata()).format).toBe('jpeg');
    expect([info.width, info.height]).toEqual([1024, 768]);
    const green = (x: number, y: number) => data[(y * info.width + x) * info.channels + 1] ?? Number.NaN;
    const cells = [green(256, 192), green(768, 192), green(256, 576), green(768, 576)];
    // A lossy preview: each cell within a few levels of its image.
    const expected = [40, 80, 120, 160];
    for (const [index, value] of cells.entries())
      expect(Math.abs(value - (expected[index] ?? 0))).toBeLessThan(6);
    expect(toGridCell(1024, 768)).toEqual({ width: 512, height: 384 });
    expect(toGridCell(512, 512)).toEqual({ width: 512, height: 512 });
  });

  it('is smaller than the images it shows when they are noisy 1024² PNGs', async () => {
    const images = [1, 2, 3, 4].map((seed) => renderPng({ width: 1024, height: 1024, seed, noise: 'grain' }));
    const grid = await composeGrid(images);
    expect(grid.length).toBeLessThan((images[0]?.length ?? 0) / 4);
  });

  it('composes grids one at a time, and a failed grid does not hold up the next', async () => {
    const image = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const results = await Promise.allSettled([
      composeGrid([image, image]),
      composeGrid([Buffer.from('not an image'), image]),
      composeGrid([image, image, image, image]),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const last = results[2];
    const meta = last?.status === 'fulfilled' ? await sharp(last.value).metadata() : undefined;
    expect([meta?.width, meta?.height]).toEqual([32, 32]);
  });

  it('takes a cell started before the grid instead of decoding its image again', async () => {
    const colour = (r: number) =>
      sharp({ create: { width: 64, height: 32, channels: 3, background: { r, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    const [first, second] = [await colour(40), await colour(200)];
    await prepareGridCell(second);
    // Its bytes are gone: only the cell decoded before can put it in the grid.
    second.fill(0);
    const grid = await composeGrid([first, second]);
    const { data, info } = await sharp(grid).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([128, 32]);
    expect(Math.abs((data[(16 * 128 + 96) * 3] ?? 0) - 200)).toBeLessThan(12);
    // Taken once: the same buffer in a later grid is decoded afresh (and is no image now).
    await expect(composeGrid([first, second])).rejects.toThrow();
  });

  it('decodes afresh a cell started at another size than the grid’s', async () => {
    const solid = (width: number, r: number) =>
      sharp({ create: { width, height: 32, channels: 3, background: { r, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    const [first, second] = [await solid(64, 40), await solid(32, 200)];
    await prepareGridCell(second);
    second.fill(0);
    // The early cell is 32 wide, the grid's cells 64: the image is read again, and is no image now.
    await expect(composeGrid([first, second])).rejects.toThrow();
    // What is not an image is left for the grid to refuse.
    await expect(prepareGridCell(Buffer.from('not an image'))).resolves.toBeUndefined();
  });

  it('composes each image into its cell and fills the empty cell with the background', async () => {
    const colour = (r: number) =>
      sharp({ create: { width: 64, height: 32, channels: 3, background: { r, g: 0, b: 0 } } })
        .png()
        .toBuffer();
    const grid = await composeGrid([await colour(200), await colour(120), await colour(40)]);
    const { data, info } = await sharp(grid).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([128, 64, 3]);
    const pixel = (x: number, y: number) => [...data.subarray((y * 128 + x) * 3, (y * 128 + x) * 3 + 3)];
    const near = (actual: number[], expected: number[]) => {
      for (const [index, value] of actual.entries())
        expect(Math.abs(value - (expected[index] ?? 0))).toBeLessThan(12);
    };
    near(pixel(16, 16), [200, 0, 0]);
    near(pixel(80, 16), [120, 0, 0]);
    near(pixel(16, 48), [40, 0, 0]);
    near(pixel(96, 48), [GRID_BACKGROUND.r, GRID_BACKGROUND.g, GRID_BACKGROUND.b]);
  });
});

describe('placeCells', () => {
  it('copies each cell to its corner row by row and fills the rest with the background', () => {
    const cell = (value: number) => ({ data: Buffer.alloc(2 * 1 * 3, value), width: 2, height: 1 });
    const canvas = placeCells(toGridLayout(3, 2, 1), [cell(1), cell(2), cell(3)], { r: 9, g: 8, b: 7 });
    const pixels = Array.from({ length: 8 }, (_, i) => [...canvas.subarray(i * 3, i * 3 + 3)]);
    expect(pixels).toEqual([
      [1, 1, 1],
      [1, 1, 1],
      [2, 2, 2],
      [2, 2, 2],
      [3, 3, 3],
      [3, 3, 3],
      [9, 8, 7],
      [9, 8, 7],
    ]);
  });

  it('keeps a smaller stray cell inside its corner', () => {
    const small = { data: Buffer.alloc(3, 5), width: 1, height: 1 };
    const canvas = placeCells(toGridLayout(2, 2, 2), [small, small], { r: 0, g: 0, b: 0 });
    expect(canvas.length).toBe(4 * 2 * 3);
    expect([...canvas.subarray(0, 3)]).toEqual([5, 5, 5]);
    expect([...canvas.subarray(3, 6)]).toEqual([0, 0, 0]);
    expect([...canvas.subarray(6, 9)]).toEqual([5, 5, 5]);
    expect([...canvas.subarray(12, 24)].every((value) => value === 0)).toBe(true);
  });
});

describe('renderResultButtons', () => {
  const ids = (rows: ReturnType<typeof renderResultButtons>) =>
    rows.flatMap((row) => row.components.map((button) => ('custom_id' in button ? button.custom_id : '')));

  it('gives one image Reroll, Vary, Upscale, Remix, Info and Delete', () => {
    const rows = renderResultButtons(job(), 1);
    expect(ids(rows)).toEqual([
      'reroll:AbCdEfGhIjK',
      'vary:AbCdEfGhIjK:0',
      'upscale:AbCdEfGhIjK:0',
      'remix:AbCdEfGhIjK',
      'info:AbCdEfGhIjK',
      'delete:AbCdEfGhIjK',
    ]);
  });

  it('gives a batch of 4 U, V and Image rows within 5 rows of 5 with unique ids', () => {
    const rows = renderResultButtons(job(), 4);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const row of rows) expect(row.components.length).toBeLessThanOrEqual(5);
    const all = ids(rows);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(
      expect.arrayContaining(['upscale:AbCdEfGhIjK:3', 'vary:AbCdEfGhIjK:3', 'image:AbCdEfGhIjK:3']),
    );
    for (const id of all) expect(id.length).toBeLessThanOrEqual(100);
  });

  it('gives an upscale only Info and Delete', () => {
    expect(ids(renderResultButtons(job({ kind: 'upscale' }), 1))).toEqual([
      'info:AbCdEfGhIjK',
      'delete:AbCdEfGhIjK',
    ]);
  });
});

describe('derived parameters', () => {
  const origin = { action: 'reroll' as const };

  it('rerolls with a new seed and drops a variation', () => {
    const parent = { ...PARAMS, subseed: -1, subseedStrength: 0.3 };
    expect(toRerollParams(parent, origin)).toEqual({
      ...PARAMS,
      seed: -1,
      subseed: undefined,
      subseedStrength: undefined,
      origin,
    });
  });

  it('varies around the chosen seed with a random subseed', () => {
    expect(toVaryParams(PARAMS, 101, 0.3, { action: 'vary', index: 1 })).toMatchObject({
      seed: 101,
      subseed: -1,
      subseedStrength: 0.3,
      prompt: 'apple',
    });
  });

  it('upscales one image to the factor, without a checkpoint, and checks the pixel budget', () => {
    const params = toUpscaleParams(
      { ...PARAMS, count: 4 },
      { base64: 'AAAA', width: 1024, height: 1024, seed: 7 },
      { upscaler: 'R-ESRGAN 4x+', factor: 2 },
      { action: 'upscale', index: 0 },
    );
    expect(params).toMatchObject({
      count: 1,
      width: 2048,
      height: 2048,
      seed: 7,
      initImage: 'AAAA',
      model: undefined,
    });
    expect(checkDerivedLimits(params, LIMITS)).toEqual([]);
    expect(
      checkDerivedLimits(params, { ...LIMITS, maxTotalPixels: 1024 * 1024 }).map((problem) =>
        render(problem),
      )[0],
    ).toContain('2048×2048');
  });

  it('refuses a derived job the current limits no longer allow', () => {
    expect(
      checkDerivedLimits({ ...PARAMS, steps: 60, prompt: '' }, LIMITS).map((problem) => render(problem)),
    ).toEqual(['The prompt is empty.', 'Steps must be at most 50 now.']);
  });
});

describe('img2img parameters', () => {
  it.each([
    [643, 481, 640, 480],
    [512, 512, 512, 512],
    [1000, 71, 1000, 64],
  ])('snaps %i×%i down to %i×%i', (width, height, w, h) => {
    expect(toImg2ImgSize(width, height)).toEqual({ width: w, height: h });
  });

  it('takes the input’s size unless the member gave one, and re-checks the total budget', () => {
    const image = { base64: 'AAAA', width: 800, height: 600 };
    const own = toImg2ImgParams(PARAMS, {}, image, 0.5, LIMITS);
    expect(own.ok && own.params).toMatchObject({
      width: 800,
      height: 600,
      initImage: 'AAAA',
      denoisingStrength: 0.5,
    });
    const given = toImg2ImgParams(PARAMS, { width: 512 }, image, undefined, LIMITS);
    expect(given.ok && given.params).toMatchObject({ width: 512, height: 512, denoisingStrength: 0.75 });
    const tooMany = toImg2ImgParams({ ...PARAMS, count: 4 }, {}, image, undefined, {
      ...LIMITS,
      maxTotalPixels: 1024 * 1024,
    });
    expect(tooMany.ok).toBe(false);
  });
});

describe('detectImageFormat', () => {
  it.each([
    ['png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]],
    ['jpeg', [0xff, 0xd8, 0xff, 0xe0]],
    ['webp', [...Buffer.from('RIFF'), 1, 2, 3, 4, ...Buffer.from('WEBPVP8 ')]],
    [undefined, [...Buffer.from('GIF89a')]],
    [undefined, [...Buffer.from('<html>not a png</html>')]],
    [undefined, []],
  ])('reads %s from the first bytes', (format, bytes) => {
    expect(detectImageFormat(Uint8Array.from(bytes))).toBe(format);
  });
});

describe('downloadAttachment', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  /** Serves `bytes` in chunks without a Content-Length, as a server that lies about the size would. */
  async function serve(bytes: Buffer): Promise<string> {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      for (let offset = 0; offset < bytes.length; offset += 1024)
        res.write(bytes.subarray(offset, offset + 1024));
      res.end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.png`;
  }

  it('returns the bytes when they fit', async () => {
    const bytes = Buffer.alloc(3000, 7);
    expect((await downloadAttachment(await serve(bytes), 4096)).equals(bytes)).toBe(true);
  });

  it('stops and refuses once more bytes arrive than the limit allows', async () => {
    const url = await serve(Buffer.alloc(64 * 1024, 1));
    const error = await downloadAttachment(url, 8192).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('the limit is 8 KB');
  });

  it('turns a failed download into a plain message', async () => {
    const error = await downloadAttachment('http://127.0.0.1:1/nothing.png', 8192).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('Could not download the image');
  });
});

describe('renderJobInfo', () => {
  it('stays within Discord’s 6000 characters across embeds, even with long texts', () => {
    const long = 'word '.repeat(400);
    const info = renderJobInfo(
      job({
        params: { ...PARAMS, prompt: long, negativePrompt: long },
        result: {
          ...(job().result as NonNullable<Job['result']>),
          seeds: [1, 2, 3, 4],
          infotexts: [long, long, long, long],
        },
      }),
    );
    expect(JSON.stringify(info.embeds).length).toBeGreaterThan(1000);
    const total = info.embeds.reduce(
      (sum, embed) =>
        sum +
        (embed.title?.length ?? 0) +
        (embed.description?.length ?? 0) +
        (embed.fields ?? []).reduce((inner, field) => inner + field.name.length + field.value.length, 0),
      0,
    );
    expect(total).toBeLessThanOrEqual(6000);
    for (const embed of info.embeds) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
  });
});

describe('createFileImageStore', () => {
  it('keeps, returns and forgets a job’s images in files indexed in a real SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sdbot-images-'));
    try {
      const db = openDatabase(join(dir, 'bot.sqlite'));
      const store = createFileImageStore(db, join(dir, 'images'));
      await store.save('job1', [Buffer.from('one'), Buffer.from('two')], 1);
      expect(store.count('job1')).toBe(2);
      expect((await store.get('job1', 1))?.toString()).toBe('two');
      expect(await store.get('job1', 2)).toBeUndefined();
      await store.remove('job1');
      expect(await store.get('job1', 0)).toBeUndefined();
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
