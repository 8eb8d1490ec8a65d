/**
 * Growable, LEB128-aware writing of WebAssembly binaries.
 *
 * Methods return `this` so writes chain. Length-prefixed regions are written
 * by reserving the prefix, writing the content, then fixing the prefix up
 * ({@link Writer.beginLength} / {@link Writer.endLength}). Padding hints
 * recorded by the {@link Reader} make the writer reproduce padded LEB128
 * values exactly.
 *
 * @module
 */
import { EncodeError } from './errors.js';
import { type Padding, lebSizeSigned, lebSizeU32 } from './reader.js';

/** Saved state of an enclosing padding scope, see {@link Writer.beginPadding}. */
export interface WriterPaddingMark {
  readonly count: number;
  readonly hints: Padding | undefined;
  readonly next: number;
}

/** A reserved length prefix, see {@link Writer.beginLength}. */
export interface LengthMark {
  readonly at: number;
  readonly width: number;
  readonly padded: number;
}

const utf8 = new TextEncoder();

/** Writes bytes into a buffer that grows by doubling. */
export class Writer {
  private buf: Uint8Array;
  private view: DataView;
  /** Number of bytes written so far. */
  pos = 0;
  private lebCount = 0;
  private hints: Padding | undefined = undefined;
  private next = 0;

  constructor(initialSize = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** The bytes written so far (a copy, safe to keep). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Write one byte. */
  u8(v: number): this {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = v;
    return this;
  }

  /** Write raw bytes. */
  bytes(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Width to use for the next LEB128: the recorded padding, else `minimal`. */
  private width(minimal: number): number {
    const ord = this.lebCount++;
    const hints = this.hints;
    if (hints === undefined) return minimal;
    // Hints are in increasing ordinal order; skip any left behind by an edited AST.
    let i = this.next;
    while (i < hints.length && hints[i]! < ord) i += 2;
    this.next = i;
    if (i < hints.length && hints[i] === ord) {
      this.next = i + 2;
      const w = hints[i + 1]!;
      return w >= minimal ? w : minimal;
    }
    return minimal;
  }

  /** Write an unsigned LEB128 u32. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(`expected a u32, got ${String(v)}`);
    const width = this.width(lebSizeU32(v));
    this.ensure(width);
    const buf = this.buf;
    for (let i = 1; i < width; i++) {
      buf[this.pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[this.pos++] = v & 0x7f;
    return this;
  }

  /** Write a signed LEB128 (s32 or s33) from a safe integer. */
  sN(v: number, bits: 32 | 33 = 32): this {
    if (!Number.isInteger(v) || v < -(2 ** (bits - 1)) || v >= 2 ** (bits - 1)) throw new EncodeError(`expected an s${bits}, got ${String(v)}`);
    const width = this.width(lebSizeSigned(v));
    this.ensure(width);
    const buf = this.buf;
    for (let i = 1; i < width; i++) {
      buf[this.pos++] = ((v % 128) + 128) % 128 | 0x80;
      v = Math.floor(v / 128);
    }
    buf[this.pos++] = ((v % 128) + 128) % 128;
    return this;
  }

  /** Write a signed LEB128 s32. */
  s32(v: number): this {
    return this.sN(v, 32);
  }

  /** Write a signed LEB128 s33 (block types). */
  s33(v: number): this {
    return this.sN(v, 33);
  }

  /** Write a signed LEB128 s64 from a bigint. */
  s64(v: bigint): this {
    if (v < -(1n << 63n) || v >= 1n << 63n) throw new EncodeError(`expected an s64, got ${v}`);
    let n = 1;
    for (let t = v; t >= 64n || t < -64n; t >>= 7n) n++;
    const width = this.width(n);
    this.ensure(width);
    for (let i = 1; i < width; i++) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v & 0x7fn);
    return this;
  }

  /** Write an unsigned LEB128 u64 from a bigint. */
  u64(v: bigint): this {
    if (v < 0n || v >= 1n << 64n) throw new EncodeError(`expected a u64, got ${v}`);
    let n = 1;
    for (let t = v; t >= 128n; t >>= 7n) n++;
    const width = this.width(n);
    this.ensure(width);
    for (let i = 1; i < width; i++) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v & 0x7fn);
    return this;
  }

  /** Write the raw bits of an f32 (a uint32). */
  f32Bits(bits: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, bits >>> 0, true);
    this.pos += 4;
    return this;
  }

  /** Write the raw bits of an f64 (a uint64 bigint). */
  f64Bits(bits: bigint): this {
    this.ensure(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, bits), true);
    this.pos += 8;
    return this;
  }

  /** Write a fixed little-endian u32 (as in the preamble). */
  u32Fixed(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
    return this;
  }

  /** Write a `name`: u32 byte length then UTF-8. */
  name(s: string): this {
    // Fast path for short ASCII names.
    if (s.length < 128) {
      let ascii = true;
      for (let i = 0; i < s.length; i++) {
        if (s.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.u32(s.length);
        this.ensure(s.length);
        for (let i = 0; i < s.length; i++) this.buf[this.pos++] = s.charCodeAt(i);
        return this;
      }
    }
    const b = utf8.encode(s);
    return this.u32(b.length).bytes(b);
  }

  /**
   * Reserve a u32 length prefix for the content written next. The prefix is
   * an LEB128 of this scope, so its padding is reproduced too.
   */
  beginLength(): LengthMark {
    // Ask the padding hints now, in read order (the prefix comes before the content).
    const padded = this.width(0);
    const width = padded === 0 ? 1 : padded;
    this.ensure(width);
    const mark: LengthMark = { at: this.pos, width, padded };
    this.pos += width;
    return mark;
  }

  /** Fix up a length prefix reserved with {@link Writer.beginLength}. */
  endLength(mark: LengthMark): this {
    const start = mark.at + mark.width;
    const len = this.pos - start;
    const minimal = lebSizeU32(len);
    const width = mark.padded === 0 ? minimal : Math.max(mark.padded, minimal);
    if (width !== mark.width) {
      this.ensure(width - mark.width);
      this.buf.copyWithin(mark.at + width, start, this.pos);
      this.pos += width - mark.width;
    }
    let v = len;
    let p = mark.at;
    for (let i = 1; i < width; i++) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buf[p] = v & 0x7f;
    return this;
  }

  /** Start a padding scope using the hints a {@link Reader} recorded for the same scope. */
  beginPadding(hints: Padding | undefined): WriterPaddingMark {
    const mark: WriterPaddingMark = { count: this.lebCount, hints: this.hints, next: this.next };
    this.lebCount = 0;
    this.hints = hints;
    this.next = 0;
    return mark;
  }

  /** End a padding scope begun with {@link Writer.beginPadding}. */
  endPadding(mark: WriterPaddingMark): void {
    this.lebCount = mark.count;
    this.hints = mark.hints;
    this.next = mark.next;
  }
}
