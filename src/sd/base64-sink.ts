/**
 * Decodes one base64 JSON string value as its raw bytes arrive, so a WebUI answer never exists as
 * text: memory is the decoded image plus a few bytes of carry. Accepts exactly what
 * `decodeBase64Image` accepts (bare or data-URI base64, padded, standard alphabet).
 */
import { DATA_URI_PREFIX, decodeBase64Image } from './schemas.js';

const BACKSLASH = 0x5c;
const EQUALS = 0x3d;
const DASH = 0x2d;
const UNDERSCORE = 0x5f;
/** Long enough for `data:image/png;base64,` and the like (`decodeBase64Image` looks at 64 characters). */
const HEAD_BYTES = 64;
const EMPTY = Buffer.alloc(0);
/** The first room for decoded bytes when no size is expected; it doubles as needed. */
const FIRST_ROOM = 256 * 1024;

export class Base64Sink {
  /** The first bytes, held until we know whether they start with a data-URI prefix. */
  private head: Buffer[] | null = [];
  private headLength = 0;
  /** Alphabet characters not yet decoded (fewer than 4). */
  private carry: Buffer = EMPTY;
  /** `=` seen so far; only more `=` may follow. */
  private padding = 0;
  /**
   * The bytes decoded so far, `out[0, length)`. Decoding straight into one Buffer (grown by doubling)
   * takes a third of the time of a Buffer per chunk joined at the end, and allocates about one
   * image's worth outside V8's heap instead of two (the pieces, then their join).
   */
  private out: Buffer = EMPTY;
  private length = 0;
  private invalid = false;
  /** Raw bytes after a JSON escape showed up: decoded at the end the slow way (never seen in practice). */
  private raw: Buffer[] | null = null;

  /** `expectedBytes`: about how large the image will be (the one before it in the same answer), or 0. */
  constructor(private readonly expectedBytes = 0) {}

  /** Raw bytes of the string's content (between the quotes, escapes as sent). */
  push(segment: Buffer): void {
    if (segment.length === 0) return;
    if (this.raw !== null) {
      this.raw.push(Buffer.from(segment));
      return;
    }
    if (segment.includes(BACKSLASH)) {
      this.toRaw(segment);
      return;
    }
    if (this.head !== null) {
      this.head.push(Buffer.from(segment));
      this.headLength += segment.length;
      if (this.headLength >= HEAD_BYTES) this.settleHead();
      return;
    }
    this.feed(segment);
  }

  /** The decoded bytes, or `null` when the value was not valid, non-empty base64. */
  finish(): Buffer | null {
    if (this.raw !== null) {
      try {
        const text: unknown = JSON.parse(`"${Buffer.concat(this.raw).toString('utf8')}"`);
        return typeof text === 'string' ? decodeBase64Image(text) : null;
      } catch {
        // A broken escape: not base64 either.
        return null;
      }
    }
    if (this.head !== null) this.settleHead();
    if (this.invalid) return null;
    const tail = this.carry.length;
    if (tail !== 0 || this.padding !== 0) {
      // The last quantum: `xx==` or `xxx=` (unpadded endings are refused, as before).
      if (tail + this.padding !== 4) return null;
      const last = Buffer.concat([this.carry, Buffer.alloc(this.padding, EQUALS)]);
      if (!this.decodeQuantum(last, this.padding)) return null;
    }
    if (this.length === 0) return null;
    const bytes = this.out.subarray(0, this.length);
    // Room left over from the last doubling is given back when it is more than an eighth.
    return this.out.length - this.length > this.length / 8 ? Buffer.from(bytes) : bytes;
  }

  private settleHead(): void {
    const head = Buffer.concat(this.head ?? []);
    this.head = null;
    const match = DATA_URI_PREFIX.exec(head.subarray(0, HEAD_BYTES).toString('latin1'));
    this.feed(match === null ? head : head.subarray(match[0].length));
  }

  private feed(segment: Buffer): void {
    if (this.invalid) return;
    if (this.padding > 0) {
      this.takePadding(segment);
      return;
    }
    const equals = segment.indexOf(EQUALS);
    this.decodeBody(equals < 0 ? segment : segment.subarray(0, equals));
    if (equals >= 0) this.takePadding(segment.subarray(equals));
  }

  private takePadding(segment: Buffer): void {
    for (const byte of segment) {
      if (byte !== EQUALS) {
        this.invalid = true;
        return;
      }
    }
    this.padding += segment.length;
    if (this.padding > 2) this.invalid = true;
  }

  private decodeBody(body: Buffer): void {
    let start = 0;
    if (this.carry.length > 0) {
      const need = 4 - this.carry.length;
      if (body.length < need) {
        this.carry = Buffer.concat([this.carry, body]);
        return;
      }
      if (!this.decodeQuantum(Buffer.concat([this.carry, body.subarray(0, need)]), 0)) return;
      start = need;
      this.carry = EMPTY;
    }
    const aligned = start + Math.floor((body.length - start) / 4) * 4;
    if (aligned > start && !this.decodeQuantum(body.subarray(start, aligned), 0)) return;
    this.carry = Buffer.from(body.subarray(aligned));
  }

  /**
   * Decodes whole 4-character groups. Node's decoder skips characters outside the alphabet, so the
   * group is valid exactly when the decoded length matches; `-`/`_` (base64url) are refused.
   */
  private decodeQuantum(chars: Buffer, padding: number): boolean {
    const expected = (chars.length / 4) * 3 - padding;
    if (chars.includes(DASH) || chars.includes(UNDERSCORE)) {
      this.invalid = true;
      return false;
    }
    this.makeRoom(expected);
    const written = this.out.write(chars.toString('latin1'), this.length, expected, 'base64');
    if (written !== expected) {
      this.invalid = true;
      return false;
    }
    this.length += written;
    return true;
  }

  /** Room for `bytes` more: the expected size at first, then twice as much each time it is short. */
  private makeRoom(bytes: number): void {
    const needed = this.length + bytes;
    if (needed <= this.out.length) return;
    const first = this.expectedBytes > 0 ? this.expectedBytes + (this.expectedBytes >> 4) : FIRST_ROOM;
    const room = Buffer.allocUnsafe(Math.max(needed, this.out.length === 0 ? first : this.out.length * 2));
    this.out.copy(room, 0, 0, this.length);
    this.out = room;
  }

  /** An escape arrived: keep everything as raw JSON text from here (what was decoded re-encodes exactly). */
  private toRaw(segment: Buffer): void {
    const seen: Buffer[] = [];
    if (this.head !== null) {
      seen.push(...this.head);
    } else {
      seen.push(Buffer.from(this.out.toString('base64', 0, this.length), 'latin1'), this.carry);
      if (this.padding > 0) seen.push(Buffer.alloc(this.padding, EQUALS));
      if (this.invalid) seen.push(Buffer.from('!'));
    }
    this.raw = [...seen, Buffer.from(segment)];
    this.out = EMPTY;
    this.length = 0;
  }
}
