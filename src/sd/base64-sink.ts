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

export class Base64Sink {
  /** The first bytes, held until we know whether they start with a data-URI prefix. */
  private head: Buffer[] | null = [];
  private headLength = 0;
  /** Alphabet characters not yet decoded (fewer than 4). */
  private carry: Buffer = EMPTY;
  /** `=` seen so far; only more `=` may follow. */
  private padding = 0;
  private readonly parts: Buffer[] = [];
  private invalid = false;
  /** Raw bytes after a JSON escape showed up: decoded at the end the slow way (never seen in practice). */
  private raw: Buffer[] | null = null;

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
    if (tail === 0 && this.padding === 0) {
      return this.parts.length === 0 ? null : Buffer.concat(this.parts);
    }
    // The last quantum: `xx==` or `xxx=` (unpadded endings are refused, as before).
    if (tail + this.padding !== 4) return null;
    const last = Buffer.concat([this.carry, Buffer.alloc(this.padding, EQUALS)]);
    if (!this.decodeQuantum(last, this.padding)) return null;
    return Buffer.concat(this.parts);
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
    const decoded = Buffer.from(chars.toString('latin1'), 'base64');
    if (
      decoded.length !== (chars.length / 4) * 3 - padding ||
      chars.includes(DASH) ||
      chars.includes(UNDERSCORE)
    ) {
      this.invalid = true;
      return false;
    }
    this.parts.push(decoded);
    return true;
  }

  /** An escape arrived: keep everything as raw JSON text from here (what was decoded re-encodes exactly). */
  private toRaw(segment: Buffer): void {
    const seen: Buffer[] = [];
    if (this.head !== null) {
      seen.push(...this.head);
    } else {
      seen.push(Buffer.from(Buffer.concat(this.parts).toString('base64'), 'latin1'), this.carry);
      if (this.padding > 0) seen.push(Buffer.alloc(this.padding, EQUALS));
      if (this.invalid) seen.push(Buffer.from('!'));
    }
    this.raw = [...seen, Buffer.from(segment)];
    this.parts.length = 0;
  }
}
