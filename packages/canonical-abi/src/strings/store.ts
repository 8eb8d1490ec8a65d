/**
 * Lowering strings into linear memory: `store_string`,
 * `store_string_into_range` and the transcoders of `definitions.py`
 * (`CanonicalABI.md#storing`), one function per spec function.
 *
 * The guest observes the `realloc` calls (arguments and order) and the bytes
 * it finds in memory, so every function here makes exactly the spec's calls:
 * when the destination size is not known up front it allocates a first guess,
 * grows to the worst case when the guess proves too small, and shrinks to the
 * exact size at the end. After every call the returned pointer is checked
 * (alignment where the spec checks it, then bounds) and the cached memory
 * view is refreshed, since `realloc` may grow memory.
 *
 * Source strings: a JavaScript `string` is the spec's `(s, 'utf16',
 * s.length)`; a {@link LiftedString} carries the encoding and length it had
 * in the component it was lifted from. Only the *destination* bytes are
 * produced here; source bytes are re-encoded from the JS string, which gives
 * the same bytes because lifting already validated them.
 *
 * Fast paths keep that exactness: long strings find their ASCII prefix with
 * `encodeInto` into a scratch buffer and copy only that prefix into guest
 * memory, so the bytes the guest finds when its growing `realloc` runs are
 * the ones the spec's character loop leaves.
 *
 * @module
 */

import type { LiftLowerContext } from '../context.js';
import { badValue, HostValueError, trap } from '../errors.js';
import {
  firstUnpairedSurrogate,
  SHORT_STRING_LIMIT,
  textEncoder,
  writeLatin1,
  writeUtf16,
  writeAsciiPrefix,
  writeUtf8,
} from './codec.js';
import { badEncoding } from './load.js';
import { REALLOC_I32_MAX, UTF16_TAG, type CanonString, type SimpleEncoding } from './types.js';

/**
 * Lowers `v` into memory (through `realloc`) and writes its `(pointer,
 * tagged length)` pair at `ptr` (4-aligned, in bounds: checked by the
 * caller storing the containing value). Port of `store_string`.
 */
export function storeString(cx: LiftLowerContext, v: CanonString, ptr: number): void {
  // Fast path for the common case: a short host string into UTF-8. When
  // every code unit is ASCII (which also rules out surrogates) the spec's
  // sequence is a single `realloc(0, 0, 1, n)` followed by the bytes, with
  // no shrinking call. Anything else takes the general path, before any
  // `realloc` call. Written inline (no helper call per string).
  if (typeof v === 'string') {
    const n = v.length;
    if (n <= SHORT_STRING_LIMIT && cx.opts.stringEncoding === 'utf8') {
      let any = 0;
      for (let i = 0; i < n; i++) any |= v.charCodeAt(i);
      const f = cx.opts.realloc;
      if (any < 0x80 && f !== undefined) {
        // `callRealloc(cx, 0, 0, 1, n, false, 'utf8')`, inlined.
        const begin = f(0, 0, 1, n) >>> 0;
        const u8 = cx.u8();
        const len = u8.length;
        if (begin + n > len) outOfBounds(begin, 0, 0, 1, n, 'utf8', len);
        for (let i = 0; i < n; i++) u8[begin + i] = v.charCodeAt(i);
        // The pair, little-endian, byte by byte (cheaper than DataView calls;
        // `ptr` was bounds-checked by the caller, memory only changes in realloc).
        u8[ptr] = begin;
        u8[ptr + 1] = begin >>> 8;
        u8[ptr + 2] = begin >>> 16;
        u8[ptr + 3] = begin >>> 24;
        u8[ptr + 4] = n;
        u8[ptr + 5] = n >>> 8;
        u8[ptr + 6] = 0;
        u8[ptr + 7] = 0;
        return;
      }
    }
  }
  storeStringGeneral(cx, v, ptr);
}

/** {@link storeString} for everything but its fast path. */
function storeStringGeneral(cx: LiftLowerContext, v: CanonString, ptr: number): void {
  const [begin, taggedCodeUnits] = storeStringIntoRange(cx, v);
  // The view is fetched after the realloc calls: they may have grown memory.
  const view = cx.view();
  view.setUint32(ptr, begin, true);
  view.setUint32(ptr + 4, taggedCodeUnits, true);
}

/**
 * Lowers `v` into freshly `realloc`ed memory in the context's string
 * encoding and returns `[pointer, tagged length]` (also the two flat `i32`s
 * of `lower_flat_string`). Port of `store_string_into_range`: picks the
 * transcoder from the source encoding and the destination encoding.
 *
 * A host `string` with an unpaired surrogate is not a component-model string
 * (a sequence of Unicode scalar values): that is a {@link HostValueError},
 * thrown before any `realloc` call.
 */
export function storeStringIntoRange(cx: LiftLowerContext, v: CanonString): [ptr: number, taggedCodeUnits: number] {
  let src: string;
  let srcSimple: SimpleEncoding;
  let srcCodeUnits: number;
  let srcIsLatin1OrUtf16 = false;
  if (typeof v === 'string') {
    const bad = hasSurrogate(v) ? firstUnpairedSurrogate(v) : -1;
    if (bad !== -1) {
      throw new HostValueError('a string of Unicode scalar values', `a string with an unpaired surrogate at index ${bad}`);
    }
    src = v;
    srcSimple = 'utf16';
    srcCodeUnits = v.length;
  } else {
    if (v === null || typeof v !== 'object' || typeof v.s !== 'string') badValue('a string', v);
    src = v.s;
    const tagged = v.taggedCodeUnits >>> 0;
    switch (v.encoding) {
      case 'utf8':
      case 'utf16':
        srcSimple = v.encoding;
        srcCodeUnits = tagged;
        break;
      case 'latin1+utf16':
        srcIsLatin1OrUtf16 = true;
        if (tagged >= UTF16_TAG) {
          srcSimple = 'utf16';
          srcCodeUnits = tagged - UTF16_TAG;
        } else {
          srcSimple = 'latin1';
          srcCodeUnits = tagged;
        }
        break;
      default:
        return badEncoding(v.encoding);
    }
  }

  switch (cx.opts.stringEncoding) {
    case 'utf8':
      if (srcSimple === 'utf8') return storeStringCopy(cx, src, srcCodeUnits, 1, 1, 'utf8');
      if (srcSimple === 'utf16') return storeUtf16ToUtf8(cx, src, srcCodeUnits);
      return storeLatin1ToUtf8(cx, src, srcCodeUnits);
    case 'utf16':
      if (srcSimple === 'utf8') return storeUtf8ToUtf16(cx, src, srcCodeUnits);
      // Both a UTF-16 and a Latin-1 source copy as UTF-16 (the latter inflates).
      return storeStringCopy(cx, src, srcCodeUnits, 2, 2, 'utf16');
    case 'latin1+utf16':
      // The spec matches on the full source encoding here: only a
      // latin1+utf16 source takes the copy / "probably UTF-16" paths.
      if (!srcIsLatin1OrUtf16) return storeStringToLatin1OrUtf16(cx, src, srcCodeUnits);
      if (srcSimple === 'latin1') return storeStringCopy(cx, src, srcCodeUnits, 1, 2, 'latin1');
      return storeProbablyUtf16ToLatin1OrUtf16(cx, src, srcCodeUnits);
    default:
      return badEncoding(cx.opts.stringEncoding);
  }
}

/**
 * Copies a string whose destination size is known up front: one `realloc(0,
 * 0, dstAlignment, dstCodeUnitSize * srcCodeUnits)`, then the bytes. Port of
 * `store_string_copy`, used for utf8→utf8, utf16→utf16, latin1→utf16 and
 * latin1→latin1+utf16 (Latin-1 kept: code unit size 1, alignment 2).
 * Returns `[pointer, srcCodeUnits]`: the length does not change and no tag
 * is added (a Latin-1 length is untagged).
 *
 * Traps when `realloc`'s result is misaligned or out of bounds.
 */
export function storeStringCopy(
  cx: LiftLowerContext,
  src: string,
  srcCodeUnits: number,
  dstCodeUnitSize: 1 | 2,
  dstAlignment: 1 | 2,
  dstEncoding: SimpleEncoding,
): [ptr: number, taggedCodeUnits: number] {
  const dstByteLength = dstCodeUnitSize * srcCodeUnits;
  checkMaxLength(dstByteLength, dstEncoding);
  const ptr = callRealloc(cx, 0, 0, dstAlignment, dstByteLength, dstAlignment !== 1, dstEncoding);
  const u8 = mem;
  switch (dstEncoding) {
    case 'utf8': {
      const r = writeUtf8(u8, ptr, src, dstByteLength);
      // The source length must describe `src` (a LiftedString built by hand may lie).
      if (r.read !== src.length || r.written !== dstByteLength) lengthMismatch(src, srcCodeUnits, 'utf8');
      break;
    }
    case 'utf16':
      if (src.length !== srcCodeUnits) lengthMismatch(src, srcCodeUnits, 'utf16');
      writeUtf16(u8, ptr, src, 0);
      break;
    case 'latin1':
      if (src.length !== srcCodeUnits) lengthMismatch(src, srcCodeUnits, 'latin1');
      writeLatin1(u8, ptr, src);
      break;
  }
  return [ptr, srcCodeUnits];
}

/**
 * UTF-16 (or a JS string) into UTF-8: worst case 3 bytes per code unit.
 * Port of `store_utf16_to_utf8`.
 */
export function storeUtf16ToUtf8(cx: LiftLowerContext, src: string, srcCodeUnits: number): [ptr: number, taggedCodeUnits: number] {
  return storeStringToUtf8(cx, src, srcCodeUnits, 3 * srcCodeUnits);
}

/**
 * Latin-1 into UTF-8: worst case 2 bytes per byte. Port of
 * `store_latin1_to_utf8`.
 */
export function storeLatin1ToUtf8(cx: LiftLowerContext, src: string, srcCodeUnits: number): [ptr: number, taggedCodeUnits: number] {
  return storeStringToUtf8(cx, src, srcCodeUnits, 2 * srcCodeUnits);
}

/**
 * Into UTF-8 from a source of `srcCodeUnits` single-unit-per-ASCII-char code
 * units (UTF-16 or Latin-1). Port of `store_string_to_utf8`:
 *
 * 1. `realloc(0, 0, 1, srcCodeUnits)` (optimistic: all ASCII), bounds check;
 *    ASCII characters are written one byte each.
 * 2. At the first non-ASCII character: `realloc(ptr, srcCodeUnits, 1,
 *    worstCaseSize)`, bounds check, write the rest.
 * 3. If fewer bytes were needed: `realloc(ptr, worstCaseSize, 1, length)`,
 *    bounds check.
 *
 * Returns `[pointer, byte length]`.
 */
export function storeStringToUtf8(
  cx: LiftLowerContext,
  src: string,
  srcCodeUnits: number,
  worstCaseSize: number,
): [ptr: number, taggedCodeUnits: number] {
  checkMaxLength(srcCodeUnits, 'utf8');
  if (src.length !== srcCodeUnits) lengthMismatch(src, srcCodeUnits, 'utf16 or latin1');
  let ptr = callRealloc(cx, 0, 0, 1, srcCodeUnits, false, 'utf8');
  let u8 = mem;
  // `i`: length of the ASCII prefix (in code units = code points = bytes).
  let i = 0;
  if (srcCodeUnits <= SHORT_STRING_LIMIT) {
    for (; i < srcCodeUnits; i++) {
      const c = src.charCodeAt(i);
      if (c >= 0x80) break;
      u8[ptr + i] = c;
    }
    if (i === srcCodeUnits) return [ptr, srcCodeUnits];
  } else {
    i = writeAsciiPrefix(u8, ptr, src);
    if (i === srcCodeUnits) return [ptr, srcCodeUnits];
  }
  checkMaxLength(worstCaseSize, 'utf8');
  ptr = callRealloc(cx, ptr, srcCodeUnits, 1, worstCaseSize, false, 'utf8');
  u8 = mem;
  const rest = i === 0 ? src : src.substring(i);
  const length = i + textEncoder().encodeInto(rest, u8.subarray(ptr + i, ptr + worstCaseSize)).written;
  if (worstCaseSize > length) {
    ptr = callRealloc(cx, ptr, worstCaseSize, 1, length, false, 'utf8');
  }
  return [ptr, length];
}

/**
 * UTF-8 into UTF-16: allocate the worst case (2 bytes per UTF-8 byte), write,
 * shrink. Port of `store_utf8_to_utf16`. Returns `[pointer, code units]`.
 */
export function storeUtf8ToUtf16(cx: LiftLowerContext, src: string, srcCodeUnits: number): [ptr: number, taggedCodeUnits: number] {
  const worstCaseSize = 2 * srcCodeUnits;
  checkMaxLength(worstCaseSize, 'utf16');
  let ptr = callRealloc(cx, 0, 0, 2, worstCaseSize, true, 'utf16');
  const encodedLength = 2 * src.length;
  if (encodedLength > worstCaseSize) lengthMismatch(src, srcCodeUnits, 'utf8');
  writeUtf16(mem, ptr, src, 0);
  if (encodedLength < worstCaseSize) {
    ptr = callRealloc(cx, ptr, worstCaseSize, 2, encodedLength, true, 'utf16');
  }
  return [ptr, src.length];
}

/**
 * A UTF-8 or UTF-16 source into `latin1+utf16`: Latin-1 when every
 * character is below U+0100, else UTF-16 with the tag. Port of
 * `store_string_to_latin1_or_utf16`:
 *
 * 1. `realloc(0, 0, 2, srcCodeUnits)` (optimistic: all Latin-1), alignment
 *    and bounds checks; Latin-1 characters are written one byte each.
 * 2. At the first character ≥ U+0100: `realloc(ptr, srcCodeUnits, 2, 2 *
 *    srcCodeUnits)`, checks, inflate the bytes written so far to UTF-16 in
 *    place (back to front), write the rest as UTF-16, shrink with
 *    `realloc(ptr, 2 * srcCodeUnits, 2, 2 * codeUnits)` if smaller (only a
 *    UTF-8 source can be), and return the length with {@link UTF16_TAG}.
 * 3. All Latin-1: shrink with `realloc(ptr, srcCodeUnits, 2, bytes)` if
 *    smaller (again only for a UTF-8 source), return the untagged length.
 */
export function storeStringToLatin1OrUtf16(
  cx: LiftLowerContext,
  src: string,
  srcCodeUnits: number,
): [ptr: number, taggedCodeUnits: number] {
  checkMaxLength(srcCodeUnits, 'latin1+utf16');
  if (src.length > srcCodeUnits) lengthMismatch(src, srcCodeUnits, 'utf8 or utf16');
  let ptr = callRealloc(cx, 0, 0, 2, srcCodeUnits, true, 'latin1+utf16');
  let u8 = mem;
  const n = src.length;
  let dstByteLength = 0;
  for (; dstByteLength < n; dstByteLength++) {
    const c = src.charCodeAt(dstByteLength);
    if (c >= 0x100) break;
    u8[ptr + dstByteLength] = c;
  }
  if (dstByteLength < n) {
    const worstCaseSize = 2 * srcCodeUnits;
    checkMaxLength(worstCaseSize, 'latin1+utf16');
    ptr = callRealloc(cx, ptr, srcCodeUnits, 2, worstCaseSize, true, 'latin1+utf16');
    u8 = mem;
    for (let j = dstByteLength - 1; j >= 0; j--) {
      u8[ptr + 2 * j] = u8[ptr + j] as number;
      u8[ptr + 2 * j + 1] = 0;
    }
    writeUtf16(u8, ptr + 2 * dstByteLength, src, dstByteLength);
    const encodedLength = 2 * n;
    if (worstCaseSize > encodedLength) {
      ptr = callRealloc(cx, ptr, worstCaseSize, 2, encodedLength, true, 'latin1+utf16');
    }
    return [ptr, n + UTF16_TAG];
  }
  if (dstByteLength < srcCodeUnits) {
    ptr = callRealloc(cx, ptr, srcCodeUnits, 2, dstByteLength, true, 'latin1+utf16');
  }
  return [ptr, dstByteLength];
}

/**
 * A UTF-16-tagged `latin1+utf16` source into `latin1+utf16`: copy as UTF-16
 * (the source was probably UTF-16 for a reason), and only if every character
 * turns out to be below U+0100, deflate to Latin-1 in place and shrink.
 * Port of `store_probably_utf16_to_latin1_or_utf16`:
 * `realloc(0, 0, 2, 2 * srcCodeUnits)` with alignment and bounds checks; when
 * deflating, `realloc(ptr, 2 * srcCodeUnits, 1, srcCodeUnits)` with a bounds
 * check only (the spec passes alignment 1 and checks no alignment there), made
 * even when the string is empty.
 */
export function storeProbablyUtf16ToLatin1OrUtf16(
  cx: LiftLowerContext,
  src: string,
  srcCodeUnits: number,
): [ptr: number, taggedCodeUnits: number] {
  const srcByteLength = 2 * srcCodeUnits;
  checkMaxLength(srcByteLength, 'latin1+utf16');
  if (src.length !== srcCodeUnits) lengthMismatch(src, srcCodeUnits, 'utf16');
  let ptr = callRealloc(cx, 0, 0, 2, srcByteLength, true, 'latin1+utf16');
  const u8 = mem;
  writeUtf16(u8, ptr, src, 0);
  const n = src.length;
  for (let i = 0; i < n; i++) {
    if (src.charCodeAt(i) >= 0x100) return [ptr, n + UTF16_TAG];
  }
  for (let i = 0; i < n; i++) u8[ptr + i] = u8[ptr + 2 * i] as number;
  ptr = callRealloc(cx, ptr, srcByteLength, 1, n, false, 'latin1+utf16');
  return [ptr, n];
}

/**
 * The memory view `callRealloc` checked its result against: valid until the
 * next call into the guest, so the transcoders write through it instead of
 * asking the context again (each `memory.buffer` read is a native call).
 */
let mem: Uint8Array = new Uint8Array(0);

/** The `memory` option {@link mem} views, and whether it is shared (never detached by growth). */
let memOwner: WebAssembly.Memory | undefined;
let memShared = false;

/**
 * The context's memory as a `Uint8Array`, reusing {@link mem} while it still
 * views the same memory: a non-shared memory's growth detaches the old
 * buffer (length 0), so the check is one length read and one comparison,
 * cheaper than asking the context after every `realloc` call.
 */
function memoryOf(cx: LiftLowerContext): Uint8Array {
  const m = mem;
  if (m.length !== 0 && memOwner === cx.opts.memory && !memShared) return m;
  const u = cx.u8();
  memOwner = cx.opts.memory;
  memShared = typeof SharedArrayBuffer !== 'undefined' && u.buffer instanceof SharedArrayBuffer;
  return u;
}

/**
 * Calls the `realloc` option the way the string transcoders do: the result
 * is reinterpreted as unsigned, checked for alignment when `checkAlign`
 * (the spec omits the check where the alignment is 1) and for bounds.
 * Message phrases follow wasmtime ("realloc return: result not aligned",
 * "realloc return: beyond end of memory") for the reference test suite.
 */
function callRealloc(
  cx: LiftLowerContext,
  originalPtr: number,
  originalSize: number,
  alignment: 1 | 2,
  newSize: number,
  checkAlign: boolean,
  what: string,
): number {
  const f = cx.opts.realloc;
  if (f === undefined) trap(`lowering a ${what} string needs the canonical option \`realloc\`, which was not given`);
  const ptr = f(originalPtr, originalSize, alignment, newSize) >>> 0;
  if (checkAlign && (ptr & (alignment - 1)) !== 0) {
    trap(
      `realloc return: result not aligned: unaligned pointer ${ptr} for a ${what} string ` +
        `(realloc(${originalPtr}, ${originalSize}, ${alignment}, ${newSize}))`,
    );
  }
  mem = memoryOf(cx);
  const len = mem.length;
  if (ptr + newSize > len) outOfBounds(ptr, originalPtr, originalSize, alignment, newSize, what, len);
  return ptr;
}

/** The bounds trap of {@link callRealloc}. */
function outOfBounds(
  ptr: number,
  originalPtr: number,
  originalSize: number,
  alignment: number,
  newSize: number,
  what: string,
  len: number,
): never {
  return trap(
    `realloc return: beyond end of memory: string content out-of-bounds: block [${ptr}, ${ptr + newSize}) for a ` +
      `${what} string (realloc(${originalPtr}, ${originalSize}, ${alignment}, ${newSize})) ends past memory (${len} bytes)`,
  );
}

/**
 * Cheap pre-check for host strings: short strings are scanned inline (a
 * native `isWellFormed` call costs more than scanning a dozen code units);
 * long ones are left to {@link firstUnpairedSurrogate}.
 */
function hasSurrogate(s: string): boolean {
  const n = s.length;
  if (n > SHORT_STRING_LIMIT) return true;
  for (let i = 0; i < n; i++) if ((s.charCodeAt(i) & 0xf800) === 0xd800) return true;
  return false;
}

/**
 * The spec's `assert(size <= REALLOC_I32_MAX)`: never fails for strings that
 * were lifted (at most `MAX_STRING_BYTE_LENGTH` bytes) or for JS strings
 * (V8 caps them at 2^29 code units); kept as a trap for hand-built values.
 */
function checkMaxLength(byteLength: number, what: string): void {
  if (byteLength > REALLOC_I32_MAX) {
    trap(`string too large: a ${what} allocation of ${byteLength} bytes exceeds REALLOC_I32_MAX (2^32 - 1)`);
  }
}

function lengthMismatch(src: string, srcCodeUnits: number, encoding: string): never {
  throw new HostValueError(
    `a LiftedString whose taggedCodeUnits matches its ${encoding} content`,
    `${srcCodeUnits} code units for a string of length ${src.length}`,
  );
}
