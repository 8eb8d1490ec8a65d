import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCodegen } from './codegen.js';
import { harness, hostError, trapReason, writeHex } from '../test/helpers.js';
import type { AsyncHooks } from './context.js';
import { compileLiftFlat, FlatIterator, liftFlat } from './lift.js';
import { compileLowerFlat, lowerFlat } from './lower.js';
import { t, type ValType } from './types.js';

const F32_1_5 = 0x3fc00000;

// [name, type, value (lifted form), flat values (lower_flat of definitions.py,
// i64 as bigint)]. Variant payloads are coerced to the joined slot types.
const FLAT: [string, ValType, unknown, unknown[]][] = [
  ['bool true', t.bool, true, [1]],
  ['bool false', t.bool, false, [0]],
  ['u8', t.u8, 200, [200]],
  ['s8', t.s8, -3, [-3]],
  ['u32 max', t.u32, 0xffffffff, [0xffffffff]],
  ['s32 min', t.s32, -(2 ** 31), [-(2 ** 31)]],
  ['u64', t.u64, 2n ** 64n - 1n, [2n ** 64n - 1n]],
  ['s64', t.s64, -5n, [-5n]],
  ['f32', t.f32, 1.5, [1.5]],
  ['f64', t.f64, -0.1, [-0.1]],
  ['char', t.char, 'A', [65]],
  ['record', t.record({ a: t.u8, b: t.f64, c: t.u64 }), { a: 1, b: 2.5, c: 3n }, [1, 2.5, 3n]],
  ['tuple', t.tuple(t.char, t.bool), ['x', false], [120, 0]],
  ['enum', t.enum('a', 'b', 'c'), 'b', [1]],
  ['flags', t.flags('a', 'b', 'c'), { a: false, b: true, c: true }, [6]],
  ['flags (32) top bit', t.flags(...Array.from({ length: 32 }, (_, i) => `f${i}`)), Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`f${i}`, i === 31])), [-(2 ** 31)]],
  ['option<u32> none', t.option(t.u32), undefined, [0, 0]],
  ['option<u32> some', t.option(t.u32), 7, [1, 7]],
  ['option<u64> none', t.option(t.u64), undefined, [0, 0n]],
  ['option<f32> none', t.option(t.f32), undefined, [0, 0]],
  ['result<u32, f32> err 1.5', t.result(t.u32, t.f32), { tag: 'err', val: 1.5 }, [1, F32_1_5]],
  ['result<u32, f32> ok', t.result(t.u32, t.f32), { tag: 'ok', val: 9 }, [0, 9]],
  ['result<u64, f32> err 1.5', t.result(t.u64, t.f32), { tag: 'err', val: 1.5 }, [1, BigInt(F32_1_5)]],
  ['result<f64, f32> ok 1', t.result(t.f64, t.f32), { tag: 'ok', val: 1 }, [0, 0x3ff0000000000000n]],
  ['result<f32, f32> err', t.result(t.f32, t.f32), { tag: 'err', val: 2 }, [1, 2]],
  ['result<u8, u64> ok', t.result(t.u8, t.u64), { tag: 'ok', val: 255 }, [0, 255n]],
  ['result<s32, u64> ok -1 (zero-extended)', t.result(t.s32, t.u64), { tag: 'ok', val: -1 }, [0, 0xffffffffn]],
  ['result', t.result(), { tag: 'ok' }, [0]],
  [
    'variant b(tuple<f32, f32>)',
    t.variant({ a: t.u8, b: t.tuple(t.f32, t.f32), c: t.u64 }),
    { tag: 'b', val: [1.5, 2] },
    [1, BigInt(F32_1_5), 2],
  ],
  ['variant a(u8)', t.variant({ a: t.u8, b: t.tuple(t.f32, t.f32), c: t.u64 }), { tag: 'a', val: 5 }, [0, 5n, 0]],
  ['variant c(u64)', t.variant({ a: t.u8, b: t.tuple(t.f32, t.f32), c: t.u64 }), { tag: 'c', val: 7n }, [2, 7n, 0]],
  ['variant d(f64) / e(string)', t.variant({ d: t.f64, e: t.string }), { tag: 'd', val: 1 }, [0, 0x3ff0000000000000n, 0]],
  ['option<option<u8>> some(none)', t.option(t.option(t.u8)), { tag: 'some', val: undefined }, [1, 0, 0]],
  ['list<u8, 3>', t.list(t.u8, 3), new Uint8Array([1, 2, 3]), [1, 2, 3]],
  ['list<f64, 2>', t.list(t.f64, 2), new Float64Array([1, 2]), [1, 2]],
  ['list<bool, 2>', t.list(t.bool, 2), [true, false], [1, 0]],
];

describe.each([true, false])('lower_flat and lift_flat (code generation: %s)', (gen) => {
  beforeAll(() => setCodegen(gen));
  afterAll(() => setCodegen(true));

  it.each(FLAT)('should lower %s to the spec flat values and lift it back', (_name, shared, value, flat) => {
    const ty = structuredClone(shared);
    const h = harness();
    expect(lowerFlat(h.cx, value, ty)).toEqual(flat);
    const it = new FlatIterator(flat);
    expect(liftFlat(h.cx, it, ty)).toEqual(value);
    expect(it.done()).toBe(true);
  });

  it('should cache one compiled closure per type object', () => {
    const ty = t.option(t.string);
    expect(compileLiftFlat(ty)).toBe(compileLiftFlat(ty));
    expect(compileLowerFlat(ty)).toBe(compileLowerFlat(ty));
  });

  // [name, type, flat values as core wasm may pass them, lifted value]
  const LIFT_ONLY: [string, ValType, unknown[], unknown][] = [
    ['u8 truncates to 8 bits', t.u8, [0x1ff], 0xff],
    ['s8 sign-extends the low 8 bits', t.s8, [0xff], -1],
    ['u16 truncates', t.u16, [0x12345], 0x2345],
    ['s16 sign-extends', t.s16, [0xffff], -1],
    ['u32 from a signed i32', t.u32, [-1], 0xffffffff],
    ['s32 from an unsigned value', t.s32, [0xffffffff], -1],
    ['u64 from a signed i64', t.u64, [-1n], 2n ** 64n - 1n],
    ['s64 from an unsigned value', t.s64, [2n ** 64n - 1n], -1n],
    ['bool from any non-zero i32', t.bool, [2], true],
    ['char from a signed i32 of a valid code point', t.char, [0x1f600], '😀'],
    ['f64 NaN', t.f64, [NaN], NaN],
    ['result<u32, f32> err from i32 bits', t.result(t.u32, t.f32), [1, 0x7fc00001], { tag: 'err', val: NaN }],
    ['result<u64, f32> ok wraps i64 to i32', t.result(t.u32, t.u64), [0, 0x1_0000_0005n], { tag: 'ok', val: 5 }],
    ['flags ignore bits above the labels', t.flags('a'), [0xfe], { a: false }],
  ];

  it.each(LIFT_ONLY)('should lift %s', (_name, shared, flat, value) => {
    const ty = structuredClone(shared);
    const h = harness();
    expect(liftFlat(h.cx, new FlatIterator(flat), ty)).toEqual(value);
  });

  it('should lower a string and a list through realloc', () => {
    const h = harness({}, 1, 64);
    expect(lowerFlat(h.cx, 'hi', t.string)).toEqual([64, 2]);
    expect(lowerFlat(h.cx, [1, 2], t.list(t.u32))).toEqual([68, 2]);
    expect(liftFlat(h.cx, new FlatIterator([68, 2]), t.list(t.u32))).toEqual(new Uint32Array([1, 2]));
    expect(liftFlat(h.cx, new FlatIterator([64, 2]), t.string)).toBe('hi');
    const m = lowerFlat(h.cx, new Map([[1, 'x']]), t.map(t.u8, t.string));
    expect(liftFlat(h.cx, new FlatIterator(m), t.map(t.u8, t.string))).toEqual(new Map([[1, 'x']]));
  });

  it('should lift a map as a Map by default and as its pairs, duplicates kept, with mapsAsPairs', () => {
    const h = harness({}, 1, 64);
    const map = t.map(t.string, t.u32);
    const ty = t.tuple(map, t.u8);
    const pairs = [['k', 1], ['k', 2], ['a', 0]];
    const flat = lowerFlat(h.cx, [pairs, 7], ty);
    expect(liftFlat(h.cx, new FlatIterator(flat), ty)).toEqual([new Map([['k', 2], ['a', 0]]), 7]);
    h.cx.mapsAsPairs = true;
    expect(liftFlat(h.cx, new FlatIterator(flat), ty)).toEqual([pairs, 7]);
    expect(liftFlat(h.cx, new FlatIterator(flat.slice(0, 2)), map)).toEqual(pairs);
    // Lowering the pairs again keeps every pair.
    const again = lowerFlat(h.cx, liftFlat(h.cx, new FlatIterator(flat.slice(0, 2)), map), map);
    expect(again[1]).toBe(3);
    expect(liftFlat(h.cx, new FlatIterator(again), map)).toEqual(pairs);
  });

  it('should lift a flat string in latin1+utf16 with the UTF-16 tag bit', () => {
    const h = harness({ stringEncoding: 'latin1+utf16' });
    writeHex(h.memory, 64, '2d 4e');
    expect(liftFlat(h.cx, new FlatIterator([64, (1 << 31) | 1]), t.string)).toBe('\u4e2d');
  });

  it.each([
    ['a surrogate char', t.char, [0xdfff], /^invalid `char` bit pattern: .*surrogate/],
    ['a char past U+10FFFF', t.char, [0x110000], /^invalid `char` bit pattern: .*past U\+10FFFF/],
    ['a negative i32 char', t.char, [-1], /past U\+10FFFF/],
    ['a variant discriminant out of range', t.variant({ a: null }), [1], /^invalid variant discriminant: discriminant 1 is out of range/],
    ['an option discriminant from a negative i32', t.option(t.u8), [-1, 0], /discriminant 4294967295/],
    ['a misaligned list', t.list(t.u64), [12, 1], /^unaligned pointer: list pointer 12 is not aligned to 8/],
    ['a list out of bounds', t.list(t.u8), [65535, 2], /out of bounds/],
    ['a list over the value-size limit', t.list(t.u8), [0, 2 ** 28], /maximum list byte length/],
    ['a map out of bounds', t.map(t.u8, t.u8), [65535, 1], /out of bounds/],
    ['a stream without hooks', t.stream(), [1], /stream values need/],
  ])('should trap lifting %s', (_name, shared, flat, reason) => {
    const ty = structuredClone(shared);
    const h = harness();
    expect(trapReason(() => liftFlat(h.cx, new FlatIterator(flat), ty))).toMatch(reason);
  });

  it.each([
    ['u8 256', t.u8, 256, ''],
    ['a record field', t.record({ a: t.u8 }), { a: -1 }, 'a'],
    ['a fixed list element', t.list(t.s8, 2), [1, 200], '[1]'],
    ['a variant payload', t.result(t.u8), { tag: 'ok', val: 'x' }, 'val'],
    ['a fixed list length', t.list(t.u8, 2), [1], ''],
  ])('should reject %s with a HostValueError', (_name, shared, value, path) => {
    const ty = structuredClone(shared);
    const h = harness();
    expect(hostError(() => lowerFlat(h.cx, value, ty)).path).toBe(path);
  });

  it('should lift and lower async types through the hooks', () => {
    const h = harness();
    const seen: string[] = [];
    const hooks: AsyncHooks = {
      liftStream: (_cx, i, ty) => (seen.push(`liftStream ${i} ${ty.kind}`), { stream: i }),
      lowerStream: (_cx, v) => (seen.push('lowerStream'), (v as { stream: number }).stream),
      liftFuture: (_cx, i) => ({ future: i }),
      lowerFuture: (_cx, v) => (v as { future: number }).future,
      liftErrorContext: (_cx, i) => ({ err: i }),
      lowerErrorContext: (_cx, v) => (v as { err: number }).err,
    };
    h.cx.hooks = hooks;
    const ty = t.tuple(t.stream(t.u8), t.future(), t.errorContext);
    const flat = lowerFlat(h.cx, [{ stream: 3 }, { future: 4 }, { err: 5 }], ty);
    expect(flat).toEqual([3, 4, 5]);
    expect(liftFlat(h.cx, new FlatIterator(flat), ty)).toEqual([{ stream: 3 }, { future: 4 }, { err: 5 }]);
    expect(seen).toEqual(['lowerStream', 'liftStream 3 stream']);
  });
});
