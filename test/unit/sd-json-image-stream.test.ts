import { describe, expect, it } from 'vitest';
import { JsonImageStream, type JsonPath, type StringAction } from '../../src/sd/json-image-stream.js';
import { decodeBase64Image } from '../../src/sd/schemas.js';
import { createRandom, type Random } from './seeded-random.js';

/** What the WebUI client asks for: images decoded, echoed input images left out, the rest kept. */
function select(path: JsonPath): StringAction {
  if (path.length === 2 && path[0] === 'images') return 'decode';
  if (path.length === 1 && path[0] === 'image') return 'decode';
  if (path[0] === 'parameters' && (path[1] === 'init_images' || path[1] === 'mask')) return 'drop';
  return 'keep';
}

function run(chunks: Buffer[]) {
  const stream = new JsonImageStream(select);
  for (const chunk of chunks) stream.write(chunk);
  return stream.end();
}

const whole = (text: string) => [Buffer.from(text, 'utf8')];
const bytewise = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => Buffer.of(byte));

/** What the stream must produce, computed the slow way: parse everything, then decode. */
function reference(text: string) {
  const images = new Map<string, string | null>();
  const walk = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') {
      const action = select(path);
      if (action === 'decode')
        images.set(JSON.stringify(path), decodeBase64Image(value)?.toString('hex') ?? null);
      return action === 'keep' ? value : '';
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, [...path, key])]),
      );
    }
    return value;
  };
  return { skeleton: walk(JSON.parse(text), []), images };
}

function actual(chunks: Buffer[]) {
  const result = run(chunks);
  return {
    skeleton: JSON.parse(result.skeleton) as unknown,
    images: new Map(
      result.images.map((image) => [JSON.stringify(image.path), image.bytes?.toString('hex') ?? null]),
    ),
  };
}

const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('JsonImageStream', () => {
  it('hands each decoded image over as soon as its string closes, before the rest arrives', () => {
    const first = Buffer.from('first image');
    const text = JSON.stringify({
      images: [first.toString('base64'), 'not base64!'],
      parameters: { init_images: ['AAAA'] },
      info: '{}',
    });
    const handed: { path: JsonPath; bytes: Buffer | null; at: number }[] = [];
    let written = 0;
    const stream = new JsonImageStream(select, (image) => handed.push({ ...image, at: written }));
    for (const chunk of bytewise(text)) {
      stream.write(chunk);
      written += 1;
    }
    const { images } = stream.end();
    // Each is handed over while its closing quote is written; the dropped input image never is.
    const closing = text.indexOf('",');
    expect(handed.map((image) => [image.path, image.bytes, image.at])).toEqual([
      [['images', 0], first, closing],
      [['images', 1], null, text.indexOf('"]', closing + 1)],
    ]);
    expect(handed.map((image) => image.bytes)).toEqual(images.map((image) => image.bytes));
  });

  it('decodes the images of a WebUI answer and keeps parameters and info', () => {
    const text = JSON.stringify({
      images: [png.toString('base64'), `data:image/png;base64,${Buffer.from('second').toString('base64')}`],
      parameters: { prompt: 'a "quoted" \\ cat', init_images: ['AAAA'], mask: 'AAAA', steps: 20 },
      info: JSON.stringify({ seed: 1, all_seeds: [1, 2] }),
    });
    for (const chunks of [whole(text), bytewise(text)]) {
      const result = run(chunks);
      expect(result.images.map((image) => image.path)).toEqual([
        ['images', 0],
        ['images', 1],
      ]);
      expect(result.images[0]?.bytes?.equals(png)).toBe(true);
      expect(result.images[1]?.bytes?.toString()).toBe('second');
      expect(JSON.parse(result.skeleton)).toEqual({
        images: ['', ''],
        parameters: { prompt: 'a "quoted" \\ cat', init_images: [''], mask: '', steps: 20 },
        info: '{"seed":1,"all_seeds":[1,2]}',
      });
    }
  });

  it.each([
    ['escaped slashes', png.toString('base64').replaceAll('/', '\\/')],
    ['a unicode escape', `\\u0041${png.toString('base64').slice(1)}`],
  ])('decodes an image written with %s', (_case, escaped) => {
    const text = `{"images":["${escaped}"],"info":"{}"}`;
    const expected = decodeBase64Image(JSON.parse(`"${escaped}"`) as string);
    for (const chunks of [whole(text), bytewise(text)]) {
      expect(run(chunks).images[0]?.bytes?.equals(expected ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it.each([
    ['not base64', '<html>502</html>'],
    ['whitespace inside', 'aGVs bG8='],
    ['padding in the middle', 'aG==bG8='],
    ['a missing padding', 'aGVsbG8'],
    ['too much padding', 'aGVsbG8==='],
    ['base64url characters', 'aGV-bG8_'],
    ['nothing', ''],
    ['a broken escape', 'aGVs\\qbG8='],
  ])('reports an image that is %s as null', (_case, value) => {
    const text = `{"images":["${value}"],"info":""}`;
    for (const chunks of [whole(text), bytewise(text)]) {
      expect(run(chunks).images).toEqual([{ path: ['images', 0], bytes: null }]);
    }
  });

  it('leaves a truncated answer unparseable instead of inventing its end', () => {
    const text = JSON.stringify({ images: [png.toString('base64')], info: '{}' });
    const result = run(whole(text.slice(0, 20)));
    expect(() => JSON.parse(result.skeleton)).toThrow(SyntaxError);
  });

  it('agrees with JSON.parse + decodeBase64Image on 2000 seeded documents split at random', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const random = createRandom(seed);
      const text = serialise(random, randomAnswer(random));
      const expected = reference(text);
      const got = actual(split(random, Buffer.from(text, 'utf8')));
      expect({ seed, ...got }).toEqual({ seed, ...expected });
    }
  });

  it('agrees with them on images of several mebibytes, damaged anywhere, in socket-sized chunks', () => {
    for (let seed = 1; seed <= 24; seed++) {
      const random = createRandom(seed);
      const bytes = Buffer.alloc(random.int(700_000, 2_600_000), seed);
      for (let i = 0; i < bytes.length; i += 997) bytes[i] = random.int(0, 255);
      let image = bytes.toString('base64');
      if (seed % 3 === 0) image = `data:image/png;base64,${image}`;
      if (seed % 4 === 1) {
        // Anywhere: inside the first mebibyte of text, across its end, or in the last quantum.
        const at = random.pick([
          random.int(0, image.length - 1),
          1024 * 1024 - 1,
          1024 * 1024,
          image.length - 2,
        ]);
        image = image.slice(0, at) + random.pick(['-', '_', '!', '=', '']) + image.slice(at + 1);
      }
      if (seed % 8 === 2) image = image.replace(/=+$/, '');
      const text = JSON.stringify({ images: [image, png.toString('base64')], info: '{"seed": 1}' });
      const chunks: Buffer[] = [];
      const all = Buffer.from(text, 'utf8');
      for (let at = 0; at < all.length; ) {
        const size = random.pick([65_536, 16_384, random.int(1, 200_000)]);
        chunks.push(all.subarray(at, at + size));
        at += size;
      }
      expect({ seed, ...actual(chunks) }).toEqual({ seed, ...reference(text) });
    }
  });

  it('decodes every image of a batch exactly and keeps little spare room, whatever the size of the one before', () => {
    const random = createRandom(7);
    // Smaller, larger, much larger, much smaller and equal to the image before each.
    const sizes = [300_000, 1_900_000, 5_000_000, 40_000, 40_000, 1_000, 2_000_000];
    const originals = sizes.map((size) => {
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i += 13) bytes[i] = random.int(0, 255);
      return bytes;
    });
    const text = JSON.stringify({ images: originals.map((bytes) => bytes.toString('base64')) });
    const all = Buffer.from(text, 'utf8');
    const chunks: Buffer[] = [];
    for (let at = 0; at < all.length; at += 65_536) chunks.push(all.subarray(at, at + 65_536));
    const { images } = run(chunks);
    expect(
      images.map((image) => image.bytes?.equals(originals[image.path[1] as number] ?? Buffer.alloc(0))),
    ).toEqual(sizes.map(() => true));
    for (const image of images) {
      const bytes = image.bytes as Buffer;
      // Small Buffers share Node's pool; a large one holds at most an eighth more than its bytes.
      if (bytes.length > 8192) expect(bytes.buffer.byteLength).toBeLessThanOrEqual(bytes.length * 1.125);
    }
  });
});

function split(random: Random, bytes: Buffer): Buffer[] {
  if (random.next() < 0.1) return [...bytes].map((byte) => Buffer.of(byte));
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const size = random.pick([1, 2, 3, 5, 7, 64, 1000, random.int(1, bytes.length)]);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function serialise(random: Random, value: unknown): string {
  let text = JSON.stringify(value, null, random.pick([0, 0, 1, 2]));
  // Python's json escapes non-ASCII by default; some servers escape `/`. Both are valid JSON.
  if (random.next() < 0.3)
    text = text.replace(/[^\x20-\x7e\n]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (random.next() < 0.2) text = text.replaceAll('/', '\\/');
  return text;
}

function randomImage(random: Random): string {
  const bytes = Buffer.from(Array.from({ length: random.int(0, 400) }, () => random.int(0, 255)));
  let text = bytes.toString('base64');
  if (random.next() < 0.2) text = `data:image/${random.pick(['png', 'jpeg', 'webp'])};base64,${text}`;
  if (random.next() < 0.25 && text.length > 0) {
    const at = random.int(0, text.length - 1);
    const damage = random.pick([' ', '-', '_', '=', '!', '\n', '"', '\\', 'é', '']);
    text = text.slice(0, at) + damage + text.slice(at + (random.next() < 0.5 ? 1 : 0));
  }
  return text;
}

function randomText(random: Random): string {
  const alphabet = [
    'a',
    'Z',
    ' ',
    '"',
    '\\',
    '/',
    '\n',
    '\t',
    'é',
    '猫',
    '🐈',
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '\u0000',
  ];
  return Array.from({ length: random.int(0, 30) }, () => random.pick(alphabet)).join('');
}

function randomValue(random: Random, depth: number): unknown {
  const kind = random.int(0, depth > 2 ? 3 : 5);
  if (kind === 0) return randomText(random);
  if (kind === 1) return random.pick([0, -1.5, 1e21, 42, true, false, null]);
  if (kind === 2) return randomImage(random);
  if (kind === 3) return random.next() < 0.5 ? [] : {};
  if (kind === 4) return Array.from({ length: random.int(0, 4) }, () => randomValue(random, depth + 1));
  return randomObject(random, depth + 1);
}

function randomObject(random: Random, depth: number): Record<string, unknown> {
  const keys = [
    'images',
    'image',
    'parameters',
    'info',
    'init_images',
    'mask',
    'prompt',
    'k"ey',
    'ké\\y',
    'x',
  ];
  return Object.fromEntries(
    Array.from({ length: random.int(0, 4) }, () => [random.pick(keys), randomValue(random, depth)]),
  );
}

function randomAnswer(random: Random): unknown {
  const answer: Record<string, unknown> = randomObject(random, 1);
  if (random.next() < 0.8)
    answer.images = Array.from({ length: random.int(0, 4) }, () => randomImage(random));
  if (random.next() < 0.5) {
    answer.parameters = {
      prompt: randomText(random),
      init_images: [randomImage(random)],
      mask: random.next() < 0.5 ? null : randomImage(random),
      ...randomObject(random, 2),
    };
  }
  if (random.next() < 0.3) answer.image = randomImage(random);
  answer.info = JSON.stringify({ prompt: randomText(random), seed: random.int(0, 10) });
  return random.next() < 0.1 ? [answer, randomValue(random, 1)] : answer;
}
