/**
 * Scalar conversions shared by the compiled loaders, storers, lifters and
 * lowerers: checking JS host values against their type (a wrong value is a
 * {@link HostValueError}, never silently truncated), the float bit
 * reinterpretations with the spec's NaN canonicalisation, and `char`
 * validity (`CanonicalABI.md#loading`, `#storing`).
 *
 * @module
 */

import { badValue, trap } from './errors.js';

// Scratch space for bit reinterpretation (single-threaded JS: safe to share).
const scratch = new ArrayBuffer(8);
const f32s = new Float32Array(scratch, 0, 1);
const f64s = new Float64Array(scratch, 0, 1);
const u32s = new Uint32Array(scratch, 0, 2);
const i32s = new Int32Array(scratch, 0, 2);
const u64s = new BigUint64Array(scratch, 0, 1);

/** True on little-endian engines (all mainstream ones); typed-array fast paths need it. */
export const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `CANONICAL_FLOAT32_NAN`: the only f32 NaN bit pattern a lifted value may have. */
export const CANONICAL_FLOAT32_NAN = 0x7fc00000 as const;
/** `CANONICAL_FLOAT64_NAN`: the only f64 NaN bit pattern a lifted value may have. */
export const CANONICAL_FLOAT64_NAN = 0x7ff8000000000000n as const;

/**
 * The JS `NaN` constant. Engines keep it as the canonical quiet NaN, and a
 * NaN that came out of core wasm may carry payload bits, so lifted NaNs are
 * replaced by this one (`canonicalize_nan32/64`).
 */
const CANON_NAN = Number.NaN;

/** `canonicalize_nan32/64` for a JS number: any NaN becomes the canonical NaN. */
export function canonicalizeNaN(f: number): number {
  return f !== f ? CANON_NAN : f;
}

/** `decode_i32_as_float`: the f32 whose bits are `i` (NaNs canonicalised). */
export function decodeI32AsFloat(i: number): number {
  u32s[0] = i;
  const f = f32s[0] as number;
  return f !== f ? CANON_NAN : f;
}

/** `decode_i64_as_float`: the f64 whose bits are `i` (NaNs canonicalised). */
export function decodeI64AsFloat(i: bigint): number {
  u64s[0] = BigInt.asUintN(64, i);
  const f = f64s[0] as number;
  return f !== f ? CANON_NAN : f;
}

/**
 * `encode_float_as_i32` in the deterministic profile: the bits of `f` as an
 * f32, NaNs written as {@link CANONICAL_FLOAT32_NAN}. Returns a signed i32.
 */
export function encodeFloatAsI32(f: number): number {
  if (f !== f) return CANONICAL_FLOAT32_NAN | 0;
  f32s[0] = f;
  return i32s[0] as number;
}

/** `encode_float_as_i64` in the deterministic profile, as an unsigned bigint. */
export function encodeFloatAsI64(f: number): bigint {
  if (f !== f) return CANONICAL_FLOAT64_NAN;
  f64s[0] = f;
  return u64s[0] as bigint;
}

/**
 * `convert_i32_to_char`: the char with code point `i`; traps on surrogates
 * and values past U+10FFFF.
 */
export function i32ToChar(i: number): string {
  const u = i >>> 0;
  if (u >= 0x110000) return trap(`invalid \`char\` bit pattern: code point 0x${u.toString(16)} is past U+10FFFF`);
  if (u >= 0xd800 && u <= 0xdfff) return trap(`invalid \`char\` bit pattern: code point 0x${u.toString(16)} is a surrogate, not a Unicode scalar value`);
  return String.fromCodePoint(u);
}

/** The code point of a JS host `char` (exactly one Unicode scalar value); HostValueError otherwise. */
export function charToI32(v: unknown): number {
  if (typeof v === 'string') {
    const n = v.length;
    if (n === 1) {
      const c = v.charCodeAt(0);
      if (c < 0xd800 || c > 0xdfff) return c;
    } else if (n === 2) {
      const c = v.codePointAt(0) as number;
      if (c > 0xffff) return c;
    }
  }
  return badValue('char (a string of exactly one Unicode scalar value)', v);
}

/** Checks a host `bool`. */
export function checkBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return badValue('bool (true or false)', v);
}

/** Checks a host `u8`. */
export function checkU8(v: unknown): number {
  if (typeof v === 'number' && (v & 0xff) === v) return v;
  return badValue('u8 (an integer in 0..255)', v);
}
/** Checks a host `s8`. */
export function checkS8(v: unknown): number {
  if (typeof v === 'number' && (v << 24) >> 24 === v) return v;
  return badValue('s8 (an integer in -128..127)', v);
}
/** Checks a host `u16`. */
export function checkU16(v: unknown): number {
  if (typeof v === 'number' && (v & 0xffff) === v) return v;
  return badValue('u16 (an integer in 0..65535)', v);
}
/** Checks a host `s16`. */
export function checkS16(v: unknown): number {
  if (typeof v === 'number' && (v << 16) >> 16 === v) return v;
  return badValue('s16 (an integer in -32768..32767)', v);
}
/** Checks a host `u32`. */
export function checkU32(v: unknown): number {
  if (typeof v === 'number' && v >>> 0 === v) return v;
  return badValue('u32 (an integer in 0..4294967295)', v);
}
/** Checks a host `s32`. */
export function checkS32(v: unknown): number {
  if (typeof v === 'number' && (v | 0) === v) return v;
  return badValue('s32 (an integer in -2147483648..2147483647)', v);
}
/** Checks a host `u64`: a bigint in range, or a non-negative safe-integer number (converted). */
export function checkU64(v: unknown): bigint {
  if (typeof v === 'bigint') {
    if (BigInt.asUintN(64, v) === v) return v;
  } else if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
    return BigInt(v);
  }
  return badValue('u64 (a bigint in 0..2^64-1)', v);
}
/** Checks a host `s64`: a bigint in range, or a safe-integer number (converted). */
export function checkS64(v: unknown): bigint {
  if (typeof v === 'bigint') {
    if (BigInt.asIntN(64, v) === v) return v;
  } else if (typeof v === 'number' && Number.isSafeInteger(v)) {
    return BigInt(v);
  }
  return badValue('s64 (a bigint in -2^63..2^63-1)', v);
}
/** Checks a host `f32`/`f64`: any number (NaN included). */
export function checkFloat(v: unknown, kind: 'f32' | 'f64'): number {
  if (typeof v === 'number') return v;
  return badValue(`${kind} (a number)`, v);
}

/** Reads a flat `i64` core value (a bigint from wasm; a number is tolerated). */
export function flatI64(x: unknown): bigint {
  return typeof x === 'bigint' ? x : BigInt(x as number);
}

/** Reads a flat `i32` core value as a signed 32-bit number (a bigint is tolerated). */
export function flatI32(x: unknown): number {
  return typeof x === 'number' ? x | 0 : Number(BigInt.asIntN(32, x as bigint));
}

/** `wrap_i64_to_i32`: the low 32 bits of a flat i64, as a signed i32 number. */
export function wrapI64ToI32(x: unknown): number {
  return Number(BigInt.asIntN(32, flatI64(x)));
}
