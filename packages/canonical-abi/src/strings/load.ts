/**
 * Lifting strings out of linear memory: `load_string` and
 * `load_string_from_range` of `definitions.py` (`CanonicalABI.md#loading`).
 *
 * Trap order follows the spec: the byte length against
 * `MAX_STRING_BYTE_LENGTH`, alignment of the pointer, then bounds of the
 * whole byte range (also for an empty string), then validity of the encoding.
 *
 * Trap messages contain the phrases wasmtime prints for the same faults,
 * because the reference test suite's `assert_trap` directives quote them:
 * "unaligned pointer", "string pointer/length out of bounds of memory" (a
 * host-side lift) and "string content out-of-bounds" (a lift inside an
 * adapter), "invalid utf-8 sequence ..." and "incomplete utf-8 byte sequence".
 *
 * @module
 */

import type { LiftLowerContext } from '../context.js';
import { badValue, trap } from '../errors.js';
import { decodeLatin1, decodeUtf16, decodeUtf8, describeUtf16Error, describeUtf8Error, SHORT_STRING_LIMIT } from './codec.js';
import { MAX_STRING_BYTE_LENGTH, UTF16_TAG, type LiftedString } from './types.js';

/**
 * Reads a string's `(pointer, tagged length)` pair stored at `ptr` and lifts
 * the string it points to. Port of `load_string`. `ptr` must be 4-aligned and
 * in bounds (the caller, loading the containing value, checked that).
 */
export function loadString(cx: LiftLowerContext, ptr: number): string {
  if (cx.opts.stringEncoding === 'utf8') {
    // Fast path for short UTF-8 strings: the pair read byte by byte (no
    // DataView calls) and, when the range is in bounds, decoded directly;
    // anything else (long, out of bounds, invalid) goes through
    // loadStringFromRange, which makes the checks in the spec's order.
    const u8 = cx.u8();
    const begin = ((u8[ptr] as number) | ((u8[ptr + 1] as number) << 8) | ((u8[ptr + 2] as number) << 16) | ((u8[ptr + 3] as number) << 24)) >>> 0;
    const n = ((u8[ptr + 4] as number) | ((u8[ptr + 5] as number) << 8) | ((u8[ptr + 6] as number) << 16) | ((u8[ptr + 7] as number) << 24)) >>> 0;
    if (n <= SHORT_STRING_LIMIT && begin + n <= u8.length) {
      const s = decodeUtf8(u8, begin, n);
      if (s !== undefined) return s;
    }
    return loadStringFromRange(cx, begin, n);
  }
  const view = cx.view();
  return loadStringFromRange(cx, view.getUint32(ptr, true), view.getUint32(ptr + 4, true));
}

/**
 * Lifts the string stored at `ptr` with length `taggedCodeUnits` in the
 * context's string encoding. Port of `load_string_from_range` (also what
 * `lift_flat_string` does with its two `i32`s). Traps on a byte length above
 * {@link MAX_STRING_BYTE_LENGTH}, on a misaligned pointer (utf16 and
 * latin1+utf16 need 2), on a range past the end of memory,
 * on invalid UTF-8 and on unpaired UTF-16 surrogates.
 *
 * Both numbers may come straight from core wasm as signed `i32`s; they are
 * reinterpreted as unsigned.
 */
export function loadStringFromRange(cx: LiftLowerContext, ptr: number, taggedCodeUnits: number): string {
  ptr >>>= 0;
  taggedCodeUnits >>>= 0;
  const u8 = cx.u8();
  switch (cx.opts.stringEncoding) {
    case 'utf8': {
      checkLength(taggedCodeUnits, 'utf8');
      checkRange(u8, ptr, taggedCodeUnits, 'utf8');
      const s = decodeUtf8(u8, ptr, taggedCodeUnits);
      if (s === undefined) {
        trap(`string is not valid UTF-8: ${describeUtf8Error(u8, ptr, taggedCodeUnits)} (string at ${ptr}, ${taggedCodeUnits} bytes)`);
      }
      return s;
    }
    case 'utf16':
      return loadUtf16(u8, ptr, taggedCodeUnits, 'utf16');
    case 'latin1+utf16':
      if (taggedCodeUnits >= UTF16_TAG) return loadUtf16(u8, ptr, taggedCodeUnits - UTF16_TAG, 'latin1+utf16 (UTF-16 tagged)');
      checkLength(taggedCodeUnits, 'latin1+utf16 (Latin-1)');
      checkAligned(ptr, 'latin1+utf16 (Latin-1)');
      checkRange(u8, ptr, taggedCodeUnits, 'latin1+utf16 (Latin-1)');
      return decodeLatin1(u8, ptr, taggedCodeUnits);
    default:
      return badEncoding(cx.opts.stringEncoding);
  }
}

/**
 * Like {@link loadString} but keeps how the string was stored, for lowering
 * it into another component with the spec's exact allocation sizes.
 */
export function loadStringTagged(cx: LiftLowerContext, ptr: number): LiftedString {
  const view = cx.view();
  return loadStringFromRangeTagged(cx, view.getUint32(ptr, true), view.getUint32(ptr + 4, true));
}

/**
 * Like {@link loadStringFromRange} but returns the spec's full string value
 * `(s, encoding, tagged_code_units)` (see {@link LiftedString}).
 */
export function loadStringFromRangeTagged(cx: LiftLowerContext, ptr: number, taggedCodeUnits: number): LiftedString {
  const s = loadStringFromRange(cx, ptr, taggedCodeUnits);
  return { s, encoding: cx.opts.stringEncoding, taggedCodeUnits: taggedCodeUnits >>> 0 };
}

function loadUtf16(u8: Uint8Array, ptr: number, units: number, what: string): string {
  checkLength(2 * units, what);
  checkAligned(ptr, what);
  checkRange(u8, ptr, 2 * units, what);
  const s = decodeUtf16(u8, ptr, units);
  if (s === undefined) {
    trap(`string is not valid UTF-16: invalid utf-16: ${describeUtf16Error(u8, ptr, units)} (string at ${ptr}, ${units} code units)`);
  }
  return s;
}

function checkLength(byteLength: number, what: string): void {
  if (byteLength > MAX_STRING_BYTE_LENGTH) {
    trap(`string too large: a ${what} string of ${byteLength} bytes exceeds MAX_STRING_BYTE_LENGTH (2^28 - 1)`);
  }
}

function checkAligned(ptr: number, what: string): void {
  if ((ptr & 1) !== 0) trap(`unaligned pointer: ${what} string pointer ${ptr} is not 2-byte aligned`);
}

function checkRange(u8: Uint8Array, ptr: number, byteLength: number, what: string): void {
  if (ptr + byteLength > u8.length) {
    trap(
      `string content out-of-bounds: string pointer/length out of bounds of memory ` +
        `(${what} string at ${ptr}, ${byteLength} bytes, memory is ${u8.length} bytes)`,
    );
  }
}

/**
 * Reached only when a caller bypasses the types (the encoding is a closed
 * union): a host configuration error, not a fault of the component.
 * @internal
 */
export function badEncoding(e: unknown): never {
  return badValue('a string encoding (utf8, utf16 or latin1+utf16)', e, 'stringEncoding');
}
