/**
 * Reads a JSON answer chunk by chunk and pulls the base64 images out of it as they arrive. What is
 * left (the skeleton: the same document with those strings emptied) is small and parsed with
 * `JSON.parse` at the end. A 4×1024² answer is then never held as one buffer, one string and one
 * parsed copy at once, and no tick spends tens of milliseconds on it.
 */
import { Base64Sink } from './base64-sink.js';

/** What to do with one string value: decode it as base64, leave it out, or keep it in the skeleton. */
export type StringAction = 'decode' | 'drop' | 'keep';
/** Keys and array indices from the root to a value. */
export type JsonPath = readonly (string | number)[];

export interface ExtractedImage {
  path: JsonPath;
  /** `null` when the value was not valid, non-empty base64. */
  bytes: Buffer | null;
}

export interface StreamedJson {
  /** The document with every decoded or dropped string replaced by `""`. */
  skeleton: string;
  /** Decoded strings in document order. */
  images: ExtractedImage[];
}

type Frame = { kind: 'object'; key: string; expectKey: boolean } | { kind: 'array'; index: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const CLOSING_QUOTE = Buffer.from('"');
/** Keys longer than this are not captured (no WebUI key is); their path entry is `''`. */
const MAX_KEY_BYTES = 256;

export class JsonImageStream {
  private readonly frames: Frame[] = [];
  private readonly skeleton: Buffer[] = [];
  private readonly images: ExtractedImage[] = [];
  private inString = false;
  /** The string being read: a key, or a value with its action. */
  private current: 'key' | StringAction = 'keep';
  /** The previous chunk ended inside an escape (`\` just before the boundary). */
  private escaped = false;
  private keyParts: Buffer[] = [];
  private keyLength = 0;
  private sink: Base64Sink | null = null;
  private sinkPath: JsonPath = [];

  /** `onImage`: each decoded string as soon as it is whole, before the rest of the document. */
  constructor(
    private readonly select: (path: JsonPath) => StringAction,
    private readonly onImage?: (image: ExtractedImage) => void,
  ) {}

  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      at = this.inString ? this.readString(chunk, at) : this.readStructure(chunk, at);
    }
  }

  end(): StreamedJson {
    return { skeleton: Buffer.concat(this.skeleton).toString('utf8'), images: this.images };
  }

  /** Copies structure to the skeleton and tracks where we are, up to the next string. */
  private readStructure(chunk: Buffer, from: number): number {
    for (let at = from; at < chunk.length; at++) {
      const byte = chunk[at];
      const top = this.frames.at(-1);
      if (byte === QUOTE) {
        this.skeleton.push(Buffer.from(chunk.subarray(from, at + 1)));
        this.startString(top);
        return at + 1;
      }
      if (byte === OPEN_OBJECT) this.frames.push({ kind: 'object', key: '', expectKey: true });
      else if (byte === OPEN_ARRAY) this.frames.push({ kind: 'array', index: 0 });
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) this.frames.pop();
      else if (byte === COMMA && top !== undefined) {
        if (top.kind === 'array') top.index++;
        else top.expectKey = true;
      } else if (byte === COLON && top?.kind === 'object') top.expectKey = false;
    }
    this.skeleton.push(Buffer.from(chunk.subarray(from)));
    return chunk.length;
  }

  private startString(top: Frame | undefined): void {
    this.inString = true;
    if (top?.kind === 'object' && top.expectKey) {
      this.current = 'key';
      this.keyParts = [];
      this.keyLength = 0;
      return;
    }
    const path = this.frames.map((frame) => (frame.kind === 'object' ? frame.key : frame.index));
    this.current = this.select(path);
    if (this.current === 'decode') {
      // Images of one answer are about the same size: the one before tells the next how much room to take.
      this.sink = new Base64Sink(this.images.at(-1)?.bytes?.length ?? 0);
      this.sinkPath = path;
    }
  }

  /** Reads string content up to its closing quote (escape-aware, across chunk boundaries). */
  private readString(chunk: Buffer, from: number): number {
    // A byte escaped by the previous chunk's last backslash is content, whatever it is.
    const searchFrom = this.escaped ? from + 1 : from;
    this.escaped = false;
    let search = searchFrom;
    for (;;) {
      const quote = chunk.indexOf(QUOTE, search);
      const stop = quote < 0 ? chunk.length : quote;
      let run = 0;
      while (stop - run - 1 >= searchFrom && chunk[stop - run - 1] === BACKSLASH) run++;
      if (quote < 0) {
        this.escaped = run % 2 === 1;
        this.content(chunk.subarray(from));
        return chunk.length;
      }
      if (run % 2 === 1) {
        search = quote + 1;
        continue;
      }
      this.content(chunk.subarray(from, quote));
      this.endString();
      return quote + 1;
    }
  }

  private content(bytes: Buffer): void {
    if (bytes.length === 0) return;
    switch (this.current) {
      case 'key':
        if (this.keyLength <= MAX_KEY_BYTES) this.keyParts.push(Buffer.from(bytes));
        this.keyLength += bytes.length;
        this.skeleton.push(Buffer.from(bytes));
        break;
      case 'keep':
        this.skeleton.push(Buffer.from(bytes));
        break;
      case 'decode':
        this.sink?.push(bytes);
        break;
      case 'drop':
        break;
    }
  }

  private endString(): void {
    this.inString = false;
    this.skeleton.push(CLOSING_QUOTE);
    if (this.current === 'key') {
      const top = this.frames.at(-1);
      if (top?.kind === 'object') top.key = this.keyLength <= MAX_KEY_BYTES ? parseKey(this.keyParts) : '';
    } else if (this.current === 'decode' && this.sink !== null) {
      const image = { path: this.sinkPath, bytes: this.sink.finish() };
      this.images.push(image);
      this.sink = null;
      this.onImage?.(image);
    }
  }
}

function parseKey(parts: Buffer[]): string {
  try {
    const key: unknown = JSON.parse(`"${Buffer.concat(parts).toString('utf8')}"`);
    return typeof key === 'string' ? key : '';
  } catch {
    // A broken escape: the skeleton will not parse either, and that error is the one reported.
    return '';
  }
}
