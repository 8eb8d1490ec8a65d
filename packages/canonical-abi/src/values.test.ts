import { describe, expect, it } from 'vitest';
import { trapReason } from '../test/helpers.js';
import {
  canonicalizeNaN,
  decodeI32AsFloat,
  decodeI64AsFloat,
  encodeFloatAsI32,
  encodeFloatAsI64,
  i32ToChar,
} from './values.js';

const f32Bits = (f: number) => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, f, true);
  return b.getUint32(0, true);
};

describe('floats', () => {
  it.each([
    [0x3fc00000, 1.5],
    [0x80000000, -0],
    [0x7f800000, Infinity],
    [0x7fc00000, NaN],
    [0x7f800001, NaN],
    [0xffc00000, NaN],
  ])('should decode i32 bits 0x%s', (bits, f) => {
    expect(decodeI32AsFloat(bits)).toEqual(f);
    expect(decodeI32AsFloat(bits | 0)).toEqual(f);
  });

  it('should encode every NaN as the canonical NaN', () => {
    expect(encodeFloatAsI32(NaN) >>> 0).toBe(0x7fc00000);
    expect(encodeFloatAsI64(NaN)).toBe(0x7ff8000000000000n);
    expect(encodeFloatAsI32(decodeI32AsFloat(0x7f800001)) >>> 0).toBe(0x7fc00000);
    expect(f32Bits(canonicalizeNaN(decodeI32AsFloat(0xffc00001)))).toBe(0x7fc00000);
  });

  it('should round-trip f64 bits', () => {
    expect(encodeFloatAsI64(1)).toBe(0x3ff0000000000000n);
    expect(decodeI64AsFloat(0x3ff0000000000000n)).toBe(1);
    expect(decodeI64AsFloat(-1n)).toBeNaN();
    expect(encodeFloatAsI64(decodeI64AsFloat(0x7ff0000000000001n))).toBe(0x7ff8000000000000n);
    expect(encodeFloatAsI32(-0) >>> 0).toBe(0x80000000);
  });
});

describe('chars', () => {
  it.each([
    [0, '\0'],
    [0xd7ff, '\ud7ff'],
    [0xe000, '\ue000'],
    [0x10ffff, '\u{10ffff}'],
  ])('should accept code point %i', (i, c) => {
    expect(i32ToChar(i)).toBe(c);
  });

  it.each([
    [0xd800, /^invalid `char` bit pattern: code point 0xd800 is a surrogate/],
    [0xdfff, /surrogate/],
    [0x110000, /^invalid `char` bit pattern: code point 0x110000 is past U\+10FFFF/],
    [-1, /past U\+10FFFF/],
  ])('should trap on code point %i', (i, reason) => {
    expect(trapReason(() => i32ToChar(i))).toMatch(reason);
  });
});
