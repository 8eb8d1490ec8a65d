/**
 * Byte-level string codecs used by the string lifting and lowering code:
 * decoding UTF-8, UTF-16LE and Latin-1 out of linear memory and encoding into
 * it, each with a short-string loop (no allocation, no native call) and a bulk
 * path through `TextDecoder`/`TextEncoder.encodeInto`/typed arrays.
 *
 * Nothing here allocates guest memory or decides what traps; `load.ts` and
 * `store.ts` do that in the order `definitions.py` prescribes. Decoders return
 * `undefined` when the bytes are not valid so the caller can trap with a
 * message that says where (see {@link describeUtf8Error}).
 *
 * @module
 */

/**
 * Strings up to this many code units go through plain JS loops. Below it the
 * fixed cost of a native `TextDecoder`/`encodeInto` call and of creating a
 * subarray dominates; above it the native bulk code wins. Measured on V8
 * (Node 24): the crossover is between 16 and 64 code units.
 */
export const SHORT_STRING_LIMIT = 32;

/** True on little-endian engines (all current ones); then UTF-16LE can use `Uint16Array` views. */
const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let utf8Decoder: TextDecoder | undefined;
let utf16Decoder: TextDecoder | null | undefined;
let encoder: TextEncoder | undefined;

/** The shared `TextEncoder` (created on first use so importing this module has no side effects). */
export function textEncoder(): TextEncoder {
  return (encoder ??= new TextEncoder());
}

/**
 * A fatal UTF-8 decoder that keeps a leading U+FEFF: the spec decodes with
 * Python's `bytes.decode('utf-8')`, which does not strip a byte-order mark.
 */
function utf8(): TextDecoder {
  return (utf8Decoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }));
}

/** A fatal UTF-16LE decoder that keeps a leading U+FEFF, or `null` where the engine lacks one. */
function utf16(): TextDecoder | null {
  if (utf16Decoder === undefined) {
    try {
      utf16Decoder = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
    } catch {
      utf16Decoder = null;
    }
  }
  return utf16Decoder;
}

/**
 * `TextDecoder.decode` rejects views of a `SharedArrayBuffer` in browsers
 * (Node accepts them); a shared memory is copied first. Only the bulk paths
 * call this, so the check is off the short-string path.
 */
function unshared(bytes: Uint8Array): Uint8Array {
  return typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer ? bytes.slice() : bytes;
}

/**
 * Decodes `n` bytes of UTF-8 at `ptr`; `undefined` when they are not valid
 * UTF-8 (overlong forms, surrogates, code points above U+10FFFF, truncated
 * sequences: exactly what Python's strict `utf-8` codec rejects).
 */
export function decodeUtf8(u8: Uint8Array, ptr: number, n: number): string | undefined {
  if (n <= SHORT_STRING_LIMIT) {
    // Short ASCII: no native call. Any non-ASCII byte sends the whole string
    // to the validating decoder.
    let any = 0;
    for (let i = 0; i < n; i++) any |= u8[ptr + i] as number;
    if (any < 0x80) return bytesToString(u8, ptr, n);
  }
  return decodeUtf8Bulk(u8, ptr, n);
}

function decodeUtf8Bulk(u8: Uint8Array, ptr: number, n: number): string | undefined {
  try {
    return utf8().decode(unshared(u8.subarray(ptr, ptr + n)));
  } catch {
    return undefined;
  }
}

/**
 * Decodes `units` UTF-16LE code units at `ptr` (which the caller has checked
 * is 2-aligned); `undefined` when there is an unpaired surrogate, which
 * Python's strict `utf-16-le` codec rejects.
 */
export function decodeUtf16(u8: Uint8Array, ptr: number, units: number): string | undefined {
  if (units <= SHORT_STRING_LIMIT) {
    let surrogates = false;
    for (let i = 0; i < units; i++) {
      if (((u8[ptr + 2 * i + 1] as number) & 0xf8) === 0xd8) {
        surrogates = true;
        break;
      }
    }
    if (!surrogates) return unitsToString(u8, ptr, units);
    return shortUtf16WithSurrogates(u8, ptr, units);
  }
  const d = utf16();
  if (d !== null) {
    try {
      return d.decode(unshared(u8.subarray(ptr, ptr + 2 * units)));
    } catch {
      return undefined;
    }
  }
  const s = codeUnitsToString(u8, ptr, units);
  return firstUnpairedSurrogate(s) === -1 ? s : undefined;
}

const fromCharCode = String.fromCharCode;

/**
 * A short string from bytes that are each one code unit (ASCII or Latin-1),
 * up to eight code units per `fromCharCode` call: several times faster on V8
 * than one concatenation per character, and no subarray to allocate.
 */
function bytesToString(u8: Uint8Array, ptr: number, n: number): string {
  let s = '';
  let i = 0;
  // Eight per call first (fewer calls and concatenations: ~20% faster on
  // the 6 to 14 byte strings of a typical list), then four, then one.
  for (; i + 8 <= n; i += 8) {
    const p = ptr + i;
    s += fromCharCode(
      u8[p] as number,
      u8[p + 1] as number,
      u8[p + 2] as number,
      u8[p + 3] as number,
      u8[p + 4] as number,
      u8[p + 5] as number,
      u8[p + 6] as number,
      u8[p + 7] as number,
    );
  }
  for (; i + 4 <= n; i += 4) {
    const p = ptr + i;
    s += fromCharCode(u8[p] as number, u8[p + 1] as number, u8[p + 2] as number, u8[p + 3] as number);
  }
  for (; i < n; i++) s += fromCharCode(u8[ptr + i] as number);
  return s;
}

/** A short string from UTF-16LE code units known to hold no surrogates, four per call. */
function unitsToString(u8: Uint8Array, ptr: number, units: number): string {
  let s = '';
  let i = 0;
  const unit = (k: number): number => (u8[ptr + 2 * k] as number) | ((u8[ptr + 2 * k + 1] as number) << 8);
  for (; i + 4 <= units; i += 4) s += fromCharCode(unit(i), unit(i + 1), unit(i + 2), unit(i + 3));
  for (; i < units; i++) s += fromCharCode(unit(i));
  return s;
}

/** The validating loop for short UTF-16 with surrogates: `undefined` on an unpaired one. */
function shortUtf16WithSurrogates(u8: Uint8Array, ptr: number, units: number): string | undefined {
  let s = '';
  for (let i = 0; i < units; i++) {
    const p = ptr + 2 * i;
    const c = (u8[p] as number) | ((u8[p + 1] as number) << 8);
    if (c >= 0xd800 && c <= 0xdfff) {
      // A high surrogate must be followed by a low one; a low one never comes first.
      if (c >= 0xdc00 || i + 1 === units) return undefined;
      const q = p + 2;
      const d = (u8[q] as number) | ((u8[q + 1] as number) << 8);
      if (d < 0xdc00 || d > 0xdfff) return undefined;
      s += fromCharCode(c, d);
      i++;
    } else {
      s += fromCharCode(c);
    }
  }
  return s;
}

/** Builds a string from UTF-16LE code units without validating them (chunked `fromCharCode`). */
function codeUnitsToString(u8: Uint8Array, ptr: number, units: number): string {
  const CHUNK = 8192;
  let s = '';
  if (LITTLE_ENDIAN && (u8.byteOffset + ptr) % 2 === 0) {
    const all = new Uint16Array(u8.buffer, u8.byteOffset + ptr, units);
    for (let i = 0; i < units; i += CHUNK) {
      s += String.fromCharCode.apply(null, all.subarray(i, Math.min(units, i + CHUNK)) as unknown as number[]);
    }
    return s;
  }
  for (let i = 0; i < units; i++) {
    const p = ptr + 2 * i;
    s += String.fromCharCode((u8[p] as number) | ((u8[p + 1] as number) << 8));
  }
  return s;
}

/**
 * Decodes `n` Latin-1 bytes at `ptr`. Every byte is valid; byte `b` is
 * U+00`b` (true ISO-8859-1 as in Python's `latin-1` codec, not the
 * windows-1252 that WHATWG's `TextDecoder('latin1')` means).
 */
export function decodeLatin1(u8: Uint8Array, ptr: number, n: number): string {
  if (n <= SHORT_STRING_LIMIT) return bytesToString(u8, ptr, n);
  // Bulk: pure ASCII is valid UTF-8, which V8 decodes fastest. Otherwise
  // widen the bytes to UTF-16 with a native typed-array copy and decode that
  // (about twice as fast as chunked `fromCharCode`, and `TextDecoder('latin1')`
  // would be windows-1252 anyway).
  let any = 0;
  for (let i = 0; i < n; i++) any |= u8[ptr + i] as number;
  if (any < 0x80) return utf8().decode(unshared(u8.subarray(ptr, ptr + n)));
  const d = utf16();
  if (d !== null) {
    const wide = new Uint16Array(n);
    wide.set(u8.subarray(ptr, ptr + n));
    return d.decode(wide);
  }
  const CHUNK = 8192;
  let s = '';
  for (let i = 0; i < n; i += CHUNK) {
    s += String.fromCharCode.apply(null, u8.subarray(ptr + i, ptr + Math.min(n, i + CHUNK)) as unknown as number[]);
  }
  return s;
}

/**
 * Writes `s.charCodeAt(from..)` as UTF-16LE code units at `ptr` (2-aligned
 * in every spec path) and returns the number of bytes written.
 * Uses a `Uint16Array` view for long strings on little-endian engines.
 */
export function writeUtf16(u8: Uint8Array, ptr: number, s: string, from: number): number {
  const n = s.length - from;
  if (n > SHORT_STRING_LIMIT && LITTLE_ENDIAN && (u8.byteOffset + ptr) % 2 === 0) {
    const view = new Uint16Array(u8.buffer, u8.byteOffset + ptr, n);
    for (let i = 0; i < n; i++) view[i] = s.charCodeAt(from + i);
    return 2 * n;
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(from + i);
    const p = ptr + 2 * i;
    u8[p] = c & 0xff;
    u8[p + 1] = c >>> 8;
  }
  return 2 * n;
}

/** Writes `s` (all code units below 256) as Latin-1 bytes at `ptr`. */
export function writeLatin1(u8: Uint8Array, ptr: number, s: string): void {
  const n = s.length;
  for (let i = 0; i < n; i++) u8[ptr + i] = s.charCodeAt(i);
}

/**
 * Writes the UTF-8 encoding of `s` at `ptr` into at most `room` bytes and
 * returns `{ read, written }` like `encodeInto`. Short ASCII goes through a
 * plain loop; anything else through `TextEncoder.encodeInto`.
 */
export function writeUtf8(u8: Uint8Array, ptr: number, s: string, room: number): { read: number; written: number } {
  const n = s.length;
  if (n <= SHORT_STRING_LIMIT && n <= room) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      u8[ptr + i] = c;
    }
    if (i === n) return { read: n, written: n };
  }
  return textEncoder().encodeInto(s, u8.subarray(ptr, ptr + room));
}

/** Code units per chunk of {@link writeAsciiPrefix}; also the size of its scratch buffer. */
const SCRATCH_UNITS = 16384;
let scratch: Uint8Array | undefined;

/**
 * Writes the longest ASCII prefix of `s` at `ptr` and returns its length,
 * touching no byte past it (what the spec's per-character loop in
 * `store_string_to_utf8` leaves in memory before its growing `realloc`).
 * `encodeInto` runs on chunks into a scratch buffer and only the ASCII part
 * is copied into guest memory: nearly memcpy speed for ASCII, and exact when
 * a non-ASCII character turns up (encoding straight into guest memory would
 * leave its UTF-8 bytes in the block that is about to be reallocated).
 */
export function writeAsciiPrefix(u8: Uint8Array, ptr: number, s: string): number {
  const n = s.length;
  const buf = (scratch ??= new Uint8Array(SCRATCH_UNITS));
  for (let k = 0; k < n; k += SCRATCH_UNITS) {
    const len = Math.min(SCRATCH_UNITS, n - k);
    const chunk = k === 0 && len === n ? s : s.substring(k, k + len);
    const r = textEncoder().encodeInto(chunk, len === SCRATCH_UNITS ? buf : buf.subarray(0, len));
    // `len` units in `len` bytes: every unit took one byte, so all were ASCII.
    if (r.read === len) {
      u8.set(len === SCRATCH_UNITS ? buf : buf.subarray(0, len), ptr + k);
      continue;
    }
    let i = 0;
    while (i < r.written && (buf[i] as number) < 0x80) i++;
    u8.set(buf.subarray(0, i), ptr + k);
    return k + i;
  }
  return n;
}

/** Number of bytes of the UTF-8 encoding of a well-formed string. */
export function utf8ByteLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair: 2 code units, 4 bytes.
      n += 2;
      i++;
    } else n += 2;
  }
  return n;
}

const HAS_IS_WELL_FORMED: boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function';

/**
 * Index of the first unpaired surrogate of `s`, or -1 when `s` is a sequence
 * of Unicode scalar values (what a component-model `string` is).
 * `String.prototype.isWellFormed` (ES2024) answers the common case natively.
 */
export function firstUnpairedSurrogate(s: string): number {
  if (HAS_IS_WELL_FORMED && (s as unknown as { isWellFormed(): boolean }).isWellFormed()) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/**
 * Says why `n` bytes at `ptr` are not valid UTF-8, in the words of Rust's
 * `Utf8Error` (which is what wasmtime's traps print, and so what the
 * reference test suite's `assert_trap` messages quote): "invalid utf-8
 * sequence of N bytes from index I" or "incomplete utf-8 byte sequence from
 * index I". Only called after a decode failed, so speed does not matter.
 */
export function describeUtf8Error(u8: Uint8Array, ptr: number, n: number): string {
  let i = 0;
  const at = (k: number): number => u8[ptr + k] as number;
  const cont = (b: number): boolean => (b & 0xc0) === 0x80;
  while (i < n) {
    const b = at(i);
    if (b < 0x80) {
      i++;
      continue;
    }
    const start = i;
    const invalid = (len: number): string => `invalid utf-8 sequence of ${len} bytes from index ${start}`;
    const incomplete = `incomplete utf-8 byte sequence from index ${start}`;
    let width: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) width = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      width = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      width = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return invalid(1);
    // Second byte has the lead-specific range; the rest are plain continuations.
    if (i + 1 >= n) return incomplete;
    const b1 = at(i + 1);
    if (b1 < lo || b1 > hi) return invalid(1);
    for (let k = 2; k < width; k++) {
      if (i + k >= n) return incomplete;
      if (!cont(at(i + k))) return invalid(k);
    }
    i += width;
  }
  return 'invalid utf-8';
}

/** Describes the first unpaired surrogate of UTF-16LE code units at `ptr`, for a trap message. */
export function describeUtf16Error(u8: Uint8Array, ptr: number, units: number): string {
  for (let i = 0; i < units; i++) {
    const p = ptr + 2 * i;
    const c = (u8[p] as number) | ((u8[p + 1] as number) << 8);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < units) {
      const d = (u8[p + 2] as number) | ((u8[p + 3] as number) << 8);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return `lone surrogate 0x${c.toString(16).toUpperCase()} at code unit index ${i}`;
  }
  return 'lone surrogate';
}
