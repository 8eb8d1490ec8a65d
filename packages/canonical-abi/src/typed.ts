/**
 * Typed-array fast paths for lists of numeric primitives: `list<u8>` and
 * friends move with one copy instead of an element loop. Used by the
 * compiled loaders/storers and flat lifters/lowerers.
 *
 * @module
 */

import type { ValType } from './types.js';

/** Any of the typed arrays numeric lists lift to. */
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | BigUint64Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

/** A typed-array constructor. */
export interface NumericArrayConstructor {
  new (length: number): NumericArray;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): NumericArray;
  readonly BYTES_PER_ELEMENT: number;
}

/** The typed array a numeric element kind lifts to, or `undefined`. */
export function typedArrayFor(ty: ValType): NumericArrayConstructor | undefined {
  switch (ty.kind) {
    case 'u8':
      return Uint8Array as unknown as NumericArrayConstructor;
    case 's8':
      return Int8Array as unknown as NumericArrayConstructor;
    case 'u16':
      return Uint16Array as unknown as NumericArrayConstructor;
    case 's16':
      return Int16Array as unknown as NumericArrayConstructor;
    case 'u32':
      return Uint32Array as unknown as NumericArrayConstructor;
    case 's32':
      return Int32Array as unknown as NumericArrayConstructor;
    case 'u64':
      return BigUint64Array as unknown as NumericArrayConstructor;
    case 's64':
      return BigInt64Array as unknown as NumericArrayConstructor;
    case 'f32':
      return Float32Array as unknown as NumericArrayConstructor;
    case 'f64':
      return Float64Array as unknown as NumericArrayConstructor;
    default:
      return undefined;
  }
}

/**
 * Copies `count` elements of `Ctor` from memory at `ptr` into a fresh typed
 * array (its own buffer, so later memory growth does not affect it), with
 * float NaNs canonicalised as lifting requires.
 */
export function copyOut(u8: Uint8Array, ptr: number, count: number, Ctor: NumericArrayConstructor): NumericArray {
  const bytes = count * Ctor.BYTES_PER_ELEMENT;
  const copy = u8.slice(ptr, ptr + bytes);
  if ((Ctor as unknown) === Uint8Array) return copy;
  if ((Ctor as unknown) === Float32Array) canonicalizeF32Bits(new Uint32Array(copy.buffer, 0, count));
  else if ((Ctor as unknown) === Float64Array) canonicalizeF64Bits(new Uint32Array(copy.buffer, 0, count * 2));
  return new Ctor(copy.buffer, 0, count);
}

/**
 * Copies a typed array of exactly the list's element type into memory at
 * `ptr` (bytewise, so `ptr` needs no alignment beyond what the ABI gives).
 */
export function copyIn(u8: Uint8Array, ptr: number, v: NumericArray): void {
  if (v instanceof Uint8Array) u8.set(v, ptr);
  else u8.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), ptr);
}

function canonicalizeF32Bits(w: Uint32Array): void {
  for (let i = 0; i < w.length; i++) {
    const x = w[i] as number;
    // Exponent all ones and a non-zero fraction: a NaN.
    if ((x & 0x7f800000) === 0x7f800000 && (x & 0x007fffff) !== 0 && x !== 0x7fc00000) w[i] = 0x7fc00000;
  }
}

function canonicalizeF64Bits(w: Uint32Array): void {
  for (let i = 0; i < w.length; i += 2) {
    const lo = w[i] as number;
    const hi = w[i + 1] as number;
    if ((hi & 0x7ff00000) === 0x7ff00000 && ((hi & 0x000fffff) !== 0 || lo !== 0) && !(hi === 0x7ff80000 && lo === 0)) {
      w[i] = 0;
      w[i + 1] = 0x7ff80000;
    }
  }
}
