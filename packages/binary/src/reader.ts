/**
 * Bounds-checked reading of WebAssembly binaries.
 *
 * Every read checks the bytes that remain before it trusts them, and every
 * failure is a {@link DecodeError} with the offset and what was expected, so a
 * hostile input can only ever produce a typed error.
 *
 * ## Exact round trips
 * LEB128 allows padded encodings (`0x80 0x00` for 0). To re-encode the exact
 * bytes we keep, per *padding scope* (one section, usually), the list of
 * LEB128 values that were not written minimally, keyed by their ordinal in the
 * scope (the n-th LEB128 read). The {@link Writer} counts LEB128 values in the
 * same order and pads the same ones. Keyed by ordinal rather than offset, a
 * hint stays attached to its value even when a length prefix before it grows.
 *
 * @module
 */
import { DecodeError, DecodeErrorCode } from './errors.js';
import { type DecodeOptions, type ResolvedDecodeOptions, resolveDecodeOptions } from './options.js';

/**
 * Which LEB128 values of a scope were padded: flat pairs
 * `[ordinal, width, ordinal, width, ...]` in increasing ordinal order.
 * `undefined` on an AST node means "all minimal".
 */
export type Padding = readonly number[];

/** Saved state of an enclosing padding scope, see {@link Reader.beginPadding}. */
export interface PaddingMark {
  readonly count: number;
  readonly log: number[] | undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A cursor over a `Uint8Array` with bounds-checked, LEB128-aware reads.
 *
 * `end` is the current limit (end of the section or item being read); reads
 * past it fail even when the underlying buffer has more bytes.
 */
export class Reader {
  /** The whole input. */
  readonly bytes: Uint8Array;
  /** Offset of the next byte to read. */
  pos: number;
  /** Limit of the current region (exclusive). */
  end: number;
  /** Resolved decode options (limits). */
  readonly options: ResolvedDecodeOptions;
  /** Current nesting depth (components, modules, types), checked against `options.maxDepth`. */
  depth = 0;
  private lebCount = 0;
  private padLog: number[] | undefined = undefined;
  private view: DataView | undefined;

  constructor(bytes: Uint8Array, options?: Partial<DecodeOptions> | ResolvedDecodeOptions, start = 0, end: number = bytes.length) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    this.options = resolveDecodeOptions(options);
  }

  /** Bytes left in the current region. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** True when the current region is exhausted. */
  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Throw a `malformed` {@link DecodeError} at `offset` (default: the current position). */
  fail(expected: string, found?: string, offset: number = this.pos): never {
    throw new DecodeError(
      found === undefined
        ? { code: DecodeErrorCode.Malformed, offset, expected }
        : { code: DecodeErrorCode.Malformed, offset, expected, found },
    );
  }

  /** Throw an `unexpected-end` {@link DecodeError}. */
  failEnd(expected: string, offset: number = this.pos): never {
    throw new DecodeError({
      code: DecodeErrorCode.UnexpectedEnd,
      offset,
      expected,
      found: this.end < this.bytes.length ? 'end of the enclosing section or item' : 'end of input',
    });
  }

  /** Throw a `limit` {@link DecodeError}. */
  failLimit(expected: string, found: string, offset: number = this.pos): never {
    throw new DecodeError({ code: DecodeErrorCode.Limit, offset, expected, found });
  }

  /** Read one byte. */
  u8(what = 'byte'): number {
    if (this.pos >= this.end) this.failEnd(what);
    return this.bytes[this.pos++]!;
  }

  /** Look at the next byte without consuming it; `-1` at the end of the region. */
  peek(): number {
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  /** Read a byte that must equal `value`. */
  expectByte(value: number, what: string): void {
    const at = this.pos;
    const b = this.u8(what);
    if (b !== value) this.fail(what, hex(b), at);
  }

  /** Read `n` raw bytes (a view, not a copy). */
  bytesN(n: number, what = 'bytes'): Uint8Array {
    if (n > this.end - this.pos) this.failEnd(`${what} (${n} bytes, ${this.end - this.pos} left)`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private note(start: number, minimal: number): void {
    const width = this.pos - start;
    if (width !== minimal) (this.padLog ??= []).push(this.lebCount - 1, width);
  }

  /** Read an unsigned LEB128 of at most 32 bits (at most 5 bytes, unused bits zero). */
  u32(what = 'u32'): number {
    this.lebCount++;
    const start = this.pos;
    const bytes = this.bytes;
    const end = this.end;
    // Fast path: a single byte.
    if (start < end) {
      const b = bytes[start]!;
      if (b < 0x80) {
        this.pos = start + 1;
        return b;
      }
    }
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= end) this.failEnd(`${what} (LEB128)`, this.pos);
      const b = bytes[this.pos++]!;
      if (shift === 28) {
        if ((b & 0x80) !== 0) this.fail(`${what}: LEB128 of at most 5 bytes`, 'a longer encoding', start);
        if ((b & 0x70) !== 0) this.fail(`${what}: unused bits of a u32 LEB128 to be zero`, hex(b), this.pos - 1);
        result = (result | (b << 28)) >>> 0;
        break;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        result >>>= 0;
        break;
      }
      shift += 7;
    }
    this.note(start, lebSizeU32(result));
    return result;
  }

  /** Read a u32 used as a count of items that take at least `minItemBytes` each; checked against the bytes left. */
  count(what: string, minItemBytes = 1): number {
    const at = this.pos;
    const n = this.u32(what);
    if (n > this.options.maxItems) this.failLimit(`${what}: at most ${this.options.maxItems} items (options.maxItems)`, String(n), at);
    if (n * minItemBytes > this.end - this.pos) {
      throw new DecodeError({
        code: DecodeErrorCode.UnexpectedEnd,
        offset: at,
        expected: `${what}: a count that fits in the ${this.end - this.pos} bytes left`,
        found: String(n),
      });
    }
    return n;
  }

  /** Read a signed LEB128 of at most `bits` bits (32 or 33), as a JS number. */
  sN(bits: 32 | 33, what: string = bits === 32 ? 's32' : 's33'): number {
    this.lebCount++;
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0;
    let mul = 1;
    let i = 0;
    for (;;) {
      if (this.pos >= this.end) this.failEnd(`${what} (LEB128)`, this.pos);
      const b = this.bytes[this.pos++]!;
      i++;
      if (i === maxBytes) {
        if ((b & 0x80) !== 0) this.fail(`${what}: LEB128 of at most ${maxBytes} bytes`, 'a longer encoding', start);
        // Remaining bits of the last byte must be a sign extension of the top value bit.
        const used = bits - 7 * (maxBytes - 1);
        const rest = b & 0x7f;
        const signBits = rest >> (used - 1);
        if (signBits !== 0 && signBits !== (0x7f >> (used - 1))) {
          this.fail(`${what}: unused bits of a signed LEB128 to be a sign extension`, hex(b), this.pos - 1);
        }
        result += (rest & ((1 << used) - 1)) * mul;
        if (signBits !== 0) result -= 2 ** bits;
        break;
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        if ((b & 0x40) !== 0) result -= mul;
        break;
      }
    }
    this.note(start, lebSizeSigned(result));
    return result;
  }

  /** Read a signed LEB128 of at most 32 bits. */
  s32(what = 's32'): number {
    return this.sN(32, what);
  }

  /** Read a signed LEB128 of at most 33 bits (block types). */
  s33(what = 's33'): number {
    return this.sN(33, what);
  }

  /** Read a signed LEB128 of at most 64 bits, as a bigint. */
  s64(what = 's64'): bigint {
    return this.big(64, true, what);
  }

  /** Read an unsigned LEB128 of at most 64 bits, as a bigint. */
  u64(what = 'u64'): bigint {
    return this.big(64, false, what);
  }

  private big(bits: number, signed: boolean, what: string): bigint {
    this.lebCount++;
    const start = this.pos;
    const maxBytes = Math.ceil(bits / 7);
    let result = 0n;
    let shift = 0n;
    let i = 0;
    for (;;) {
      if (this.pos >= this.end) this.failEnd(`${what} (LEB128)`, this.pos);
      const b = this.bytes[this.pos++]!;
      i++;
      if (i === maxBytes) {
        if ((b & 0x80) !== 0) this.fail(`${what}: LEB128 of at most ${maxBytes} bytes`, 'a longer encoding', start);
        const used = bits - 7 * (maxBytes - 1);
        const rest = b & 0x7f;
        if (signed) {
          const signBits = rest >> (used - 1);
          if (signBits !== 0 && signBits !== 0x7f >> (used - 1)) {
            this.fail(`${what}: unused bits of a signed LEB128 to be a sign extension`, hex(b), this.pos - 1);
          }
          result |= BigInt(rest & ((1 << used) - 1)) << shift;
          if (signBits !== 0) result -= 1n << BigInt(bits);
        } else {
          if (rest >> used !== 0) this.fail(`${what}: unused bits of a LEB128 to be zero`, hex(b), this.pos - 1);
          result |= BigInt(rest) << shift;
        }
        break;
      }
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) {
        if (signed && (b & 0x40) !== 0) result -= 1n << shift;
        break;
      }
    }
    this.note(start, signed ? lebSizeSignedBig(result) : lebSizeUnsignedBig(result));
    return result;
  }

  private dv(): DataView {
    return (this.view ??= new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength));
  }

  /** Read the 4 bytes of an f32 as their raw bits (a uint32), so NaN payloads survive. */
  f32Bits(what = 'f32'): number {
    if (this.end - this.pos < 4) this.failEnd(what);
    const v = this.dv().getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Read the 8 bytes of an f64 as their raw bits (a uint64 bigint), so NaN payloads survive. */
  f64Bits(what = 'f64'): bigint {
    if (this.end - this.pos < 8) this.failEnd(what);
    const v = this.dv().getBigUint64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Read a little-endian u32 (fixed 4 bytes, as in the preamble). */
  u32Fixed(what = 'u32'): number {
    if (this.end - this.pos < 4) this.failEnd(what);
    const v = this.dv().getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Read a `name`: a u32 byte length followed by valid UTF-8. */
  name(what = 'name'): string {
    const len = this.u32(`${what} length`);
    const start = this.pos;
    if (len > this.end - start) this.failEnd(`${what} (${len} bytes of UTF-8)`);
    const bytes = this.bytes;
    const stop = start + len;
    // Fast path for ASCII, the overwhelmingly common case in names.
    let ascii = true;
    for (let i = start; i < stop; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    let s: string;
    if (ascii) {
      s = len < 64 ? String.fromCharCode.apply(null, bytes.subarray(start, stop) as unknown as number[]) : utf8.decode(bytes.subarray(start, stop));
    } else {
      try {
        s = utf8.decode(bytes.subarray(start, stop));
      } catch (cause) {
        throw new DecodeError({ code: DecodeErrorCode.Malformed, offset: start, expected: `${what}: valid UTF-8`, found: 'invalid UTF-8', cause });
      }
    }
    this.pos = stop;
    return s;
  }

  /**
   * Narrow the region to the next `size` bytes (a section or length-prefixed
   * item). Returns the previous end, to pass to {@link Reader.leave}.
   */
  enter(size: number, what: string): number {
    if (size > this.end - this.pos) this.failEnd(`${what} of ${size} bytes (${this.end - this.pos} left)`);
    const saved = this.end;
    this.end = this.pos + size;
    return saved;
  }

  /** Check that the current region was consumed exactly and restore the enclosing one. */
  leave(savedEnd: number, what: string): void {
    if (this.pos !== this.end) this.fail(`end of ${what}`, `${this.end - this.pos} more bytes`);
    this.end = savedEnd;
  }

  /** Enter one more level of nesting; fails past `options.maxDepth`. */
  push(what: string): void {
    if (++this.depth > this.options.maxDepth) this.failLimit(`${what} nested at most ${this.options.maxDepth} deep`, `depth ${this.depth}`);
  }

  /** Leave a level of nesting entered with {@link Reader.push}. */
  pop(): void {
    this.depth--;
  }

  /** Start a padding scope (see the module docs). Pass the result to {@link Reader.endPadding}. */
  beginPadding(): PaddingMark {
    const mark: PaddingMark = { count: this.lebCount, log: this.padLog };
    this.lebCount = 0;
    this.padLog = undefined;
    return mark;
  }

  /** End a padding scope: the padded LEB128 values seen in it, or `undefined` if all were minimal. */
  endPadding(mark: PaddingMark): Padding | undefined {
    const log = this.padLog;
    this.lebCount = mark.count;
    this.padLog = mark.log;
    return log;
  }
}

/** Minimal byte width of an unsigned LEB128 for a u32. */
export function lebSizeU32(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** Minimal byte width of a signed LEB128 for a safe integer. */
export function lebSizeSigned(v: number): number {
  let n = 1;
  while (v >= 64 || v < -64) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function lebSizeSignedBig(v: bigint): number {
  let n = 1;
  while (v >= 64n || v < -64n) {
    v >>= 7n;
    n++;
  }
  return n;
}

function lebSizeUnsignedBig(v: bigint): number {
  let n = 1;
  while (v >= 128n) {
    v >>= 7n;
    n++;
  }
  return n;
}

/** `0x` + two hex digits, for messages. */
export function hex(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

export type { DecodeOptions };
