import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  contentTypeFor,
  fitAttachments,
  formatBytes,
  prepareUpload,
} from '../../src/discord/uploads/upload-preflight.js';
import type { MessageView } from '../../src/discord/views/render.js';

/** Incompressible pixels: PNG about width × height × 3 bytes. */
async function noisePng(size: number): Promise<Buffer> {
  return sharp(randomBytes(size * size * 3), { raw: { width: size, height: size, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

/** A flat image: compresses to almost nothing. */
async function flatPng(size: number): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: '#336699' } })
    .png()
    .toBuffer();
}

const view = (files: MessageView['files']): MessageView => ({
  content: '',
  embeds: [{ title: 'x', image: { url: `attachment://${files[0]?.name ?? 'none'}` } }],
  components: [],
  files,
});

describe('formatBytes and contentTypeFor', () => {
  it.each([
    [10 * 1024 * 1024, '10 MB'],
    [13_212_058, '12.6 MB'],
    [200_000, '195 KB'],
    [500, '500 bytes'],
  ])('%d bytes → %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
  it('knows the types it produces', () => {
    expect([contentTypeFor('1.webp'), contentTypeFor('1.jpg'), contentTypeFor('1.png')]).toEqual([
      'image/webp',
      'image/jpeg',
      'image/png',
    ]);
  });
});

describe('fitAttachments', () => {
  it('passes files within the limit through byte for byte', async () => {
    const png = await flatPng(64);
    const result = await fitAttachments([{ name: '1.png', data: png }], 10_000_000);
    expect(result.files[0]?.data.equals(png)).toBe(true);
    expect(result.notes).toEqual([]);
  });

  it('re-encodes a file over the limit until it fits, and says how', async () => {
    const png = await noisePng(512);
    const limit = 200_000;
    expect(png.length).toBeGreaterThan(limit);
    const result = await fitAttachments([{ name: '42.png', data: png }], limit);
    const file = result.files[0];
    expect(file?.data.length).toBeLessThanOrEqual(limit);
    expect(file?.name).toMatch(/^42\.(webp|jpg)$/);
    const meta = await sharp(file?.data).metadata();
    expect(['webp', 'jpeg']).toContain(meta.format);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatch(
      /^Image 1 was 770 KB, over Discord’s 195 KB limit here: sent as (WebP|JPEG)/,
    );
    expect(result.renamed.get('42.png')).toBe(file?.name);
  });

  it('uses lossless WebP first when that is enough', async () => {
    // Smooth gradients: PNG at level 0 is big, lossless WebP is small.
    const raw = Buffer.alloc(256 * 256 * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = Math.floor(i / 768) % 256;
    const png = await sharp(raw, { raw: { width: 256, height: 256, channels: 3 } })
      .png({ compressionLevel: 0 })
      .toBuffer();
    const result = await fitAttachments([{ name: '1.png', data: png }], 100_000);
    expect(result.notes[0]).toContain('sent as lossless WebP');
  });

  it('downscales when no quality fits', async () => {
    const png = await noisePng(512);
    const result = await fitAttachments([{ name: '1.png', data: png }], 60_000);
    expect(result.files[0]?.data.length).toBeLessThanOrEqual(60_000);
    expect(result.notes[0]).toMatch(/sent as WebP at \d+×\d+ \(quality 80/);
  });

  it('leaves out what cannot fit or is not an image, and says so', async () => {
    const result = await fitAttachments(
      [
        { name: '1.png', data: await noisePng(256) },
        { name: '2.png', data: Buffer.alloc(5000, 1) },
      ],
      100,
    );
    expect(result.files).toEqual([]);
    expect(result.notes).toHaveLength(2);
    expect(result.notes[1]).toMatch(/Image 2 .* could not be made small enough: it was left out\./);
    expect(result.renamed.get('1.png')).toBeUndefined();
  });

  it('never sends more than 10 files', async () => {
    const png = await flatPng(8);
    const files = Array.from({ length: 12 }, (_, index) => ({ name: `${index}.png`, data: png }));
    const result = await fitAttachments(files, 10_000_000);
    expect(result.files).toHaveLength(10);
    expect(result.notes).toEqual(['2 more images were left out: Discord allows 10 per message.']);
  });
});

describe('prepareUpload', () => {
  it('keeps the embed image pointing at the renamed file and adds the note to the content', async () => {
    const prepared = await prepareUpload(view([{ name: '7.png', data: await noisePng(512) }]), {
      attachmentSizeLimit: 200_000,
    });
    const name = prepared.files[0]?.name;
    expect(prepared.embeds[0]?.image?.url).toBe(`attachment://${name}`);
    expect(prepared.content).toMatch(/^Image 1 was/);
  });

  it('prefixes spoilers and keeps the image out of the embed, which would not blur it', async () => {
    const prepared = await prepareUpload(view([{ name: '7.png', data: await flatPng(64) }]), {
      spoiler: true,
    });
    expect(prepared.files.map((file) => file.name)).toEqual(['SPOILER_7.png']);
    expect(prepared.embeds[0]?.image).toBeUndefined();
    expect(prepared.content).toBe('');
  });

  it('falls back to 10 MB when the limit is missing or nonsense', async () => {
    const png = await flatPng(64);
    for (const attachmentSizeLimit of [undefined, 0, -1, Number.NaN]) {
      const prepared = await prepareUpload(view([{ name: '1.png', data: png }]), { attachmentSizeLimit });
      expect(prepared.files[0]?.data.equals(png)).toBe(true);
    }
  });
});
