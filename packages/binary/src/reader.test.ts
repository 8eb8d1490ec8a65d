import { describe, expect, it } from 'vitest';
import { DecodeError, isDecodeError } from './errors.js';
import { Reader } from './reader.js';
import { Writer } from './writer.js';

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);

describe('Reader LEB128', () => {
  const u32Cases: [string, number[], number][] = [
    ['zero', [0x00], 0],
    ['one byte max', [0x7f], 127],
    ['two bytes', [0x80, 0x01], 128],
    ['padded zero', [0x80, 0x00], 0],
    ['u32 max', [0xff, 0xff, 0xff, 0xff, 0x0f], 0xffffffff],
    ['five-byte padded', [0x85, 0x80, 0x80, 0x80, 0x00], 5],
  ];
  it.each(u32Cases)('should read u32 %s', (_name, input, value) => {
    const r = new Reader(bytes(...input));
    expect(r.u32()).toBe(value);
    expect(r.atEnd()).toBe(true);
  });

  const badU32: [string, number[], string][] = [
    ['too long', [0x80, 0x80, 0x80, 0x80, 0x80, 0x00], 'malformed'],
    ['unused bits set', [0xff, 0xff, 0xff, 0xff, 0x1f], 'malformed'],
    ['truncated', [0x80], 'unexpected-end'],
    ['empty', [], 'unexpected-end'],
  ];
  it.each(badU32)('should reject u32 %s with a typed error', (_name, input, code) => {
    const r = new Reader(bytes(...input));
    let err: unknown;
    try {
      r.u32();
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
    expect((err as DecodeError).code).toBe(code);
  });

  const s32Cases: [string, number[], number][] = [
    ['-1', [0x7f], -1],
    ['-64', [0x40], -64],
    ['64', [0xc0, 0x00], 64],
    ['min', [0x80, 0x80, 0x80, 0x80, 0x78], -0x80000000],
    ['max', [0xff, 0xff, 0xff, 0xff, 0x07], 0x7fffffff],
  ];
  it.each(s32Cases)('should read s32 %s', (_name, input, value) => {
    expect(new Reader(bytes(...input)).s32()).toBe(value);
  });

  const s64Cases: [string, number[], bigint][] = [
    ['-1', [0x7f], -1n],
    ['min', [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f], -(2n ** 63n)],
    ['max', [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00], 2n ** 63n - 1n],
  ];
  it.each(s64Cases)('should read s64 %s', (_name, input, value) => {
    expect(new Reader(bytes(...input)).s64()).toBe(value);
  });
});

describe('Reader limits', () => {
  it('should reject a count larger than the bytes left', () => {
    const r = new Reader(bytes(0x05, 0x01, 0x02));
    expect(() => r.count('items')).toThrowError(DecodeError);
  });
  it('should reject a count above options.maxItems', () => {
    const r = new Reader(bytes(0x03, 1, 2, 3), { maxItems: 2 });
    expect(() => r.count('items')).toThrowError(/maxItems/);
  });
  it('should reject nesting deeper than options.maxDepth', () => {
    const r = new Reader(bytes(), { maxDepth: 2 });
    r.push('a');
    r.push('b');
    expect(() => r.push('c')).toThrowError(DecodeError);
  });
  it('should reject invalid UTF-8 names', () => {
    expect(() => new Reader(bytes(0x01, 0xff)).name()).toThrowError(DecodeError);
  });
  it('should not read past the end of an entered region', () => {
    const r = new Reader(bytes(0xaa, 0xbb));
    const saved = r.enter(1, 'item');
    r.u8();
    expect(() => r.u8()).toThrowError(DecodeError);
    r.leave(saved, 'item');
    expect(r.u8()).toBe(0xbb);
  });
});

describe('Writer mirrors Reader', () => {
  it('should reproduce padded LEB128s recorded in a padding scope', () => {
    const input = bytes(0x80, 0x00, 0x05, 0x81, 0x80, 0x00, 0x7f);
    const r = new Reader(input);
    const m = r.beginPadding();
    const values = [r.u32(), r.u32(), r.u32(), r.s32()];
    const padding = r.endPadding(m);
    const w = new Writer();
    const wm = w.beginPadding(padding);
    w.u32(values[0]!).u32(values[1]!).u32(values[2]!).s32(values[3]!);
    w.endPadding(wm);
    expect(w.finish()).toEqual(input);
  });

  it('should write length prefixes and keep a padded prefix padded', () => {
    const input = bytes(0x83, 0x00, 0x61, 0x62, 0x63);
    const r = new Reader(input);
    const m = r.beginPadding();
    const size = r.u32();
    const saved = r.enter(size, 'payload');
    const payload = r.bytesN(3);
    r.leave(saved, 'payload');
    const padding = r.endPadding(m);
    const w = new Writer(1);
    const wm = w.beginPadding(padding);
    const len = w.beginLength();
    w.bytes(payload);
    w.endLength(len);
    w.endPadding(wm);
    expect(w.finish()).toEqual(input);
  });

  it('should round-trip names, fixed-width u32 and float bits', () => {
    const w = new Writer(2);
    w.name('héllo').u32Fixed(0x01020304).f32Bits(0x7fc00001).f64Bits(0x7ff8000000000001n).s64(-5n).u64(2n ** 64n - 1n);
    const r = new Reader(w.finish());
    expect(r.name()).toBe('héllo');
    expect(r.u32Fixed()).toBe(0x01020304);
    expect(r.f32Bits()).toBe(0x7fc00001);
    expect(r.f64Bits()).toBe(0x7ff8000000000001n);
    expect(r.s64()).toBe(-5n);
    expect(r.u64()).toBe(2n ** 64n - 1n);
    expect(r.atEnd()).toBe(true);
  });
});
