import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCodegen } from './codegen.js';
import { harness, hexAt, hostError, trapReason, writeHex } from '../test/helpers.js';
import { isTrap } from './errors.js';
import { CallBorrowScope } from './resources/index.js';
import { compileLoad, load } from './load.js';
import { compileStore, store } from './store.js';
import { t, type ValType } from './types.js';

const labels = (n: number): string[] => Array.from({ length: n }, (_, i) => `l${i}`);
const PTR = 8;

// [name, type, value (in its lifted form), bytes at the value's address]:
// the bytes follow store()/load() of definitions.py (little-endian ints,
// discriminant then payload at the aligned payload offset, untouched padding).
const BYTES: [string, ValType, unknown, string][] = [
  ['bool true', t.bool, true, '01'],
  ['bool false', t.bool, false, '00'],
  ['u8 255', t.u8, 255, 'ff'],
  ['s8 -1', t.s8, -1, 'ff'],
  ['s8 -128', t.s8, -128, '80'],
  ['u16 0x1234', t.u16, 0x1234, '34 12'],
  ['s16 -2', t.s16, -2, 'fe ff'],
  ['u32 0xdeadbeef', t.u32, 0xdeadbeef, 'ef be ad de'],
  ['s32 -1', t.s32, -1, 'ff ff ff ff'],
  ['u64 max', t.u64, 2n ** 64n - 1n, 'ff ff ff ff ff ff ff ff'],
  ['s64 -2', t.s64, -2n, 'fe ff ff ff ff ff ff ff'],
  ['f32 1.5', t.f32, 1.5, '00 00 c0 3f'],
  ['f32 -0', t.f32, -0, '00 00 00 80'],
  ['f32 NaN (canonical)', t.f32, NaN, '00 00 c0 7f'],
  ['f64 1', t.f64, 1, '00 00 00 00 00 00 f0 3f'],
  ['f64 NaN (canonical)', t.f64, NaN, '00 00 00 00 00 00 f8 7f'],
  ['char A', t.char, 'A', '41 00 00 00'],
  ['char U+1F600', t.char, '😀', '00 f6 01 00'],
  ['char U+E000', t.char, '\ue000', '00 e0 00 00'],
  ['record { a: u8, b: u32 }', t.record({ a: t.u8, b: t.u32 }), { a: 1, b: 2 }, '01 00 00 00 02 00 00 00'],
  ['tuple<u8, u16>', t.tuple(t.u8, t.u16), [1, 0x203], '01 00 03 02'],
  ['tuple<u8, u64>', t.tuple(t.u8, t.u64), [1, 2n], '01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00'],
  ['enum c', t.enum('a', 'b', 'c'), 'c', '02'],
  ['enum (300) l299', t.enum(...labels(300)), 'l299', '2b 01'],
  ['enum (65537) l65536 (u32 discriminant)', t.enum(...labels(65537)), 'l65536', '00 00 01 00'],
  ['option<u32> none', t.option(t.u32), undefined, '00 00 00 00 00 00 00 00'],
  ['option<u32> some', t.option(t.u32), 7, '01 00 00 00 07 00 00 00'],
  ['option<option<u8>> some(none)', t.option(t.option(t.u8)), { tag: 'some', val: undefined }, '01 00 00'],
  ['option<option<u8>> some(some(5))', t.option(t.option(t.u8)), { tag: 'some', val: 5 }, '01 01 05'],
  ['result<u8, u16> ok', t.result(t.u8, t.u16), { tag: 'ok', val: 9 }, '00 00 09 00'],
  ['result<u8, u16> err', t.result(t.u8, t.u16), { tag: 'err', val: 0x102 }, '01 00 02 01'],
  ['result (no payloads) err', t.result(), { tag: 'err' }, '01'],
  ['variant { a, b(u64) } b', t.variant({ a: null, b: t.u64 }), { tag: 'b', val: 3n }, '01 00 00 00 00 00 00 00 03 00 00 00 00 00 00 00'],
  ['variant { a, b(u64) } a', t.variant({ a: null, b: t.u64 }), { tag: 'a' }, '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'],
  ['flags { a, b, c }', t.flags('a', 'b', 'c'), { a: true, b: false, c: true }, '05'],
  ['flags (9) l0, l8', t.flags(...labels(9)), { ...Object.fromEntries(labels(9).map((l) => [l, false])), l0: true, l8: true }, '01 01'],
  ['flags (32) l31', t.flags(...labels(32)), { ...Object.fromEntries(labels(32).map((l) => [l, false])), l31: true }, '00 00 00 80'],
  ['list<u8, 3>', t.list(t.u8, 3), new Uint8Array([1, 2, 3]), '01 02 03'],
  ['list<u16, 2>', t.list(t.u16, 2), new Uint16Array([1, 0x203]), '01 00 03 02'],
  ['list<bool, 2>', t.list(t.bool, 2), [true, false], '01 00'],
  ['list<char, 1>', t.list(t.char, 1), ['z'], '7a 00 00 00'],
];

describe.each([true, false])('store and load (code generation: %s)', (gen) => {
  beforeAll(() => setCodegen(gen));
  afterAll(() => setCodegen(true));

  it.each(BYTES)('should store %s as the spec bytes and load it back', (_name, shared, value, hex) => {
    const ty = structuredClone(shared);
    const h = harness();
    store(h.cx, value, ty, PTR);
    const n = hex.split(' ').length;
    expect(hexAt(h.memory, PTR, n)).toBe(hex);
    expect(load(h.cx, PTR, ty)).toEqual(value);
  });

  it('should cache one compiled closure per type object', () => {
    const ty = t.record({ a: t.u8 });
    expect(compileLoad(ty)).toBe(compileLoad(ty));
    expect(compileStore(ty)).toBe(compileStore(ty));
  });

  it('should store a list through realloc and write (pointer, length)', () => {
    const h = harness({}, 1, 64);
    store(h.cx, new Uint16Array([1, 0x203]), t.list(t.u16), PTR);
    expect(h.calls).toEqual([[0, 0, 2, 4, 64]]);
    expect(hexAt(h.memory, PTR, 8)).toBe('40 00 00 00 02 00 00 00');
    expect(hexAt(h.memory, 64, 4)).toBe('01 00 03 02');
  });

  it('should call realloc even for an empty list, as the spec does', () => {
    const h = harness({}, 1, 64);
    store(h.cx, [], t.list(t.u32), PTR);
    expect(h.calls).toEqual([[0, 0, 4, 0, 64]]);
    expect(load(h.cx, PTR, t.list(t.u32))).toEqual(new Uint32Array(0));
  });

  it.each([
    ['list<u8>', t.list(t.u8), new Uint8Array([1, 2, 255])],
    ['list<s8>', t.list(t.s8), new Int8Array([-1, 2, -128])],
    ['list<u16>', t.list(t.u16), new Uint16Array([1, 65535])],
    ['list<s16>', t.list(t.s16), new Int16Array([-1, 300])],
    ['list<u32>', t.list(t.u32), new Uint32Array([0xffffffff, 3])],
    ['list<s32>', t.list(t.s32), new Int32Array([-5, 7])],
    ['list<u64>', t.list(t.u64), new BigUint64Array([2n ** 64n - 1n, 0n])],
    ['list<s64>', t.list(t.s64), new BigInt64Array([-(2n ** 63n), 5n])],
    ['list<f32>', t.list(t.f32), new Float32Array([1.5, -0, Infinity])],
    ['list<f64>', t.list(t.f64), new Float64Array([Math.PI, -1e300])],
  ])('should move %s as a typed array, from a typed array or a plain array', (_name, ty, value) => {
    const h = harness();
    store(h.cx, value, ty, PTR);
    const back = load(h.cx, PTR, ty);
    expect(back).toEqual(value);
    expect((back as { buffer: ArrayBuffer }).buffer).not.toBe(h.memory.buffer);
    store(h.cx, Array.from(value as ArrayLike<unknown>), ty, PTR);
    expect(load(h.cx, PTR, ty)).toEqual(value);
  });

  it('should canonicalise NaN payloads when lifting list<f32> and list<f64>', () => {
    const h = harness();
    writeHex(h.memory, 64, '01 00 80 7f  00 00 c0 ff');
    writeHex(h.memory, PTR, '40 00 00 00 02 00 00 00');
    const f = load(h.cx, PTR, t.list(t.f32)) as Float32Array;
    expect(Array.from(new Uint32Array(f.buffer, f.byteOffset, 2))).toEqual([0x7fc00000, 0x7fc00000]);
    writeHex(h.memory, 64, '01 00 00 00 00 00 f0 7f  00 00 00 00 00 00 f0 7f');
    const d = load(h.cx, PTR, t.list(t.f64)) as Float64Array;
    const w = new Uint32Array(d.buffer, d.byteOffset, 4);
    expect(Array.from(w)).toEqual([0, 0x7ff80000, 0, 0x7ff00000]);
  });

  it('should canonicalise a NaN with payload when loading f32 and f64', () => {
    const h = harness();
    writeHex(h.memory, PTR, '01 00 80 7f');
    expect(load(h.cx, PTR, t.f32)).toBeNaN();
    store(h.cx, load(h.cx, PTR, t.f32), t.f32, PTR);
    expect(hexAt(h.memory, PTR, 4)).toBe('00 00 c0 7f');
  });

  it('should store and load strings, lists of strings, records of mixed fields and maps', () => {
    const h = harness();
    const rec = t.record({ id: t.u32, name: t.string, tags: t.list(t.string), score: t.f64, ok: t.bool });
    const ty = t.list(rec);
    const value = [
      { id: 1, name: 'héllo', tags: ['a', 'ü'], score: 0.5, ok: true },
      { id: 2, name: '', tags: [], score: -1, ok: false },
    ];
    store(h.cx, value, ty, PTR);
    expect(load(h.cx, PTR, ty)).toEqual(value);
    const m = t.map(t.string, t.option(t.u8));
    const mv = new Map<string, number | undefined>([
      ['x', 1],
      ['y', undefined],
    ]);
    store(h.cx, mv, m, PTR);
    expect(load(h.cx, PTR, m)).toEqual(mv);
    store(h.cx, [['z', 3]], m, PTR);
    expect(load(h.cx, PTR, m)).toEqual(new Map([['z', 3]]));
  });

  it('should load nested maps as Maps by default and as pair arrays, duplicates kept, with mapsAsPairs', () => {
    const h = harness();
    const ty = t.map(t.string, t.map(t.string, t.list(t.u8)));
    const value = [
      ['k', [['d', [0]]]],
      ['k', [['d', [7, 8]], ['d', [9]]]],
    ];
    store(h.cx, value, ty, PTR);
    expect(load(h.cx, PTR, ty)).toEqual(new Map([['k', new Map([['d', new Uint8Array([9])]])]]));
    h.cx.mapsAsPairs = true;
    expect(load(h.cx, PTR, ty)).toEqual([
      ['k', [['d', new Uint8Array([0])]]],
      ['k', [['d', new Uint8Array([7, 8])], ['d', new Uint8Array([9])]]],
    ]);
  });

  it('should refresh memory views after realloc grows memory', () => {
    const h = harness({}, 1, 65536 - 8);
    const big = new Uint8Array(100_000).fill(7);
    store(h.cx, { a: big, b: 5 }, t.record({ a: t.list(t.u8), b: t.u32 }), PTR);
    expect(h.memory.buffer.byteLength).toBeGreaterThan(65536);
    const back = load(h.cx, PTR, t.record({ a: t.list(t.u8), b: t.u32 })) as { a: Uint8Array; b: number };
    expect(back.b).toBe(5);
    expect(back.a.length).toBe(100_000);
    expect(back.a.every((x) => x === 7)).toBe(true);
  });

  it.each([
    ['utf8', 'a\u00e9\u4e2d\ud83d\ude00'],
    ['utf16', 'a\u00e9\u4e2d\ud83d\ude00'],
    ['latin1+utf16', 'caf\u00e9'],
    ['latin1+utf16', '\u4e2d'],
  ] as const)('should round-trip strings in %s', (enc, s) => {
    const h = harness({ stringEncoding: enc });
    store(h.cx, s, t.string, PTR);
    expect(load(h.cx, PTR, t.string)).toBe(s);
  });
});

describe.each([true, false])('load traps (code generation: %s)', (gen) => {
  beforeAll(() => setCodegen(gen));
  afterAll(() => setCodegen(true));

  const rt = t.resource('r');
  // [name, type, bytes at PTR, bytes at 64, expected trap reason]
  const TRAPS: [string, ValType, string, string, RegExp][] = [
    ['a surrogate char', t.char, '00 d8 00 00', '', /^invalid `char` bit pattern: .*surrogate/],
    ['a char past U+10FFFF', t.char, '00 00 11 00', '', /^invalid `char` bit pattern: .*past U\+10FFFF/],
    ['an enum discriminant out of range', t.enum('a', 'b', 'c'), '03', '', /^invalid variant discriminant: discriminant 3 is out of range.*3 cases/],
    ['an option discriminant out of range', t.option(t.u8), '02', '', /discriminant 2/],
    ['a u16 discriminant out of range', t.enum(...labels(300)), '2c 01', '', /discriminant 300/],
    ['a misaligned list<u32>', t.list(t.u32), '42 00 00 00 01 00 00 00', '', /^unaligned pointer: list pointer 66 is not aligned to 4/],
    ['a list past the end of memory', t.list(t.u8), 'fa ff 00 00 0a 00 00 00', '', /out of bounds of memory/],
    ['a list<u8> over the value-size limit', t.list(t.u8), '40 00 00 00 00 00 00 10', '', /maximum list byte length/],
    ['a list<u32> over the value-size limit', t.list(t.u32), '40 00 00 00 00 00 00 04', '', /maximum list byte length/],
    ['an invalid char inside a list', t.list(t.char), '40 00 00 00 01 00 00 00', 'ff ff ff ff', /past U\+10FFFF/],
    ['an own handle that is not in the table', t.own(rt), '05 00 00 00', '', /./],
    ['a borrow handle that is not in the table', t.borrow(rt), '05 00 00 00', '', /./],
    ['a stream without async hooks', t.stream(t.u8), '01 00 00 00', '', /stream values need the async support/],
    ['a future without async hooks', t.future(), '01 00 00 00', '', /future values need/],
    ['an error-context without async hooks', t.errorContext, '01 00 00 00', '', /error-context values need/],
    ['invalid UTF-8', t.string, '40 00 00 00 01 00 00 00', 'ff', /./],
  ];

  it.each(TRAPS)('should trap on %s', (_name, shared, at, at64, reason) => {
    const ty = shared.kind === 'own' || shared.kind === 'borrow' ? shared : structuredClone(shared);
    const h = harness();
    h.cx.borrowScope = new CallBorrowScope();
    writeHex(h.memory, PTR, at);
    if (at64 !== '') writeHex(h.memory, 64, at64);
    expect(trapReason(() => load(h.cx, PTR, ty))).toMatch(reason);
  });

  it('should trap when the memory option is missing', () => {
    const h = harness();
    const cx = new (h.cx.constructor as typeof h.cx.constructor & (new (...a: unknown[]) => typeof h.cx))(
      { stringEncoding: 'utf8' },
      h.cx.inst,
    );
    expect(trapReason(() => load(cx, 0, t.u8))).toMatch(/`memory`/);
  });
});

describe('store traps', () => {
  it.each([
    ['misaligned', 65, /^realloc return: result not aligned: unaligned pointer: realloc returned pointer 65, which is not aligned to 4/],
    ['out of bounds', 65532, /^realloc return: beyond end of memory: list content out-of-bounds: .*out of bounds of memory/],
  ])('should trap when realloc returns a %s block', (_name, ptr, reason) => {
    const h = harness({}, 1, 64, () => ptr);
    expect(trapReason(() => store(h.cx, [1, 2], t.list(t.u32), PTR))).toMatch(reason);
  });

  it('should trap when the realloc option is missing', () => {
    const h = harness({ realloc: undefined as never });
    const h2 = harness();
    const cx = new (h2.cx.constructor as new (...a: unknown[]) => typeof h2.cx)(
      { memory: h.memory, stringEncoding: 'utf8' },
      h2.cx.inst,
    );
    expect(trapReason(() => store(cx, [1], t.list(t.u8), PTR))).toMatch(/`realloc`/);
  });

  it('should trap on a host list over the value-size limit before calling realloc', () => {
    const h = harness();
    const huge = { length: 2 ** 26 } as ArrayLike<unknown>;
    expect(trapReason(() => store(h.cx, huge, t.list(t.u32), PTR))).toMatch(/maximum list byte length/);
    expect(h.calls).toEqual([]);
  });

  it('should trap when lowering a stream without async hooks', () => {
    const h = harness();
    expect(trapReason(() => store(h.cx, {}, t.stream(), PTR))).toMatch(/stream values need/);
  });
});

describe.each([true, false])('host value errors (code generation: %s)', (gen) => {
  beforeAll(() => setCodegen(gen));
  afterAll(() => setCodegen(true));

  const rec = t.record({ name: t.string });
  // [name, type, value, expected text in the message, path]
  const BAD: [string, ValType, unknown, RegExp, string][] = [
    ['u8 256', t.u8, 256, /expected u8 \(an integer in 0\.\.255\), found number 256/, ''],
    ['u8 from a string', t.u8, '1', /expected u8/, ''],
    ['u8 1.5', t.u8, 1.5, /expected u8/, ''],
    ['s8 -129', t.s8, -129, /expected s8/, ''],
    ['u16 -1', t.u16, -1, /expected u16/, ''],
    ['s16 40000', t.s16, 40000, /expected s16/, ''],
    ['u32 -1', t.u32, -1, /expected u32/, ''],
    ['s32 2^31', t.s32, 2 ** 31, /expected s32/, ''],
    ['u64 -1n', t.u64, -1n, /expected u64.*-1n/, ''],
    ['u64 1.5', t.u64, 1.5, /expected u64/, ''],
    ['s64 2^63', t.s64, 2n ** 63n, /expected s64/, ''],
    ['bool 1', t.bool, 1, /expected bool/, ''],
    ['f32 from a string', t.f32, 'x', /expected f32 \(a number\)/, ''],
    ['char of two code points', t.char, 'ab', /expected char/, ''],
    ['char of a lone surrogate', t.char, '\ud800', /expected char/, ''],
    ['empty char', t.char, '', /expected char/, ''],
    ['record from null', rec, null, /expected record \{ name: string \} \(an object\), found null/, ''],
    ['a missing record field', t.record({ a: t.u8, b: t.u8 }), { a: 1 }, /expected u8.*found undefined/, 'b'],
    ['a deep field', t.list(rec), [{ name: 'a' }, { name: 1 }], /./, '[1].name'],
    ['a list from a number', t.list(t.u8), 5, /expected list<u8> \(an array or array-like\)/, ''],
    ['a list<u32> element', t.list(t.u32), [1, -2], /expected u32/, '[1]'],
    ['a fixed list of the wrong length', t.list(t.u8, 3), [1, 2], /exactly 3 elements/, ''],
    ['a tuple of the wrong length', t.tuple(t.u8, t.u8), [1], /an array of 2 elements/, ''],
    ['a tuple element', t.tuple(t.u8, t.bool), [1, 'x'], /expected bool/, '[1]'],
    ['a variant tag', t.variant({ a: null, b: t.u8 }), { tag: 'c' }, /tag one of "a", "b"/, ''],
    ['a variant payload', t.variant({ a: null, b: t.u8 }), { tag: 'b', val: 'x' }, /expected u8/, 'val'],
    ['an enum label', t.enum('x', 'y'), 'z', /an enum label, one of "x", "y"/, ''],
    ['a result tag', t.result(t.u8), { tag: 'nope' }, /tag: 'ok'/, ''],
    ['an option payload', t.option(t.u8), 300, /expected u8/, 'some'],
    ['an option<option<T>> without a tag', t.option(t.option(t.u8)), 5, /tag: 'some', val/, ''],
    ['flags from a number', t.flags('a'), 3, /an object of booleans/, ''],
    ['a map from an object', t.map(t.u8, t.u8), { a: 1 }, /a Map or an array/, ''],
    ['a string from a number', t.string, 5, /./, ''],
    ['an own rep from a string', t.own(t.resource()), 'x', /resource representation/, ''],
  ];

  it.each(BAD)('should reject %s with a HostValueError', (_name, shared, value, message, path) => {
    const ty = structuredClone(shared);
    const h = harness();
    const e = hostError(() => store(h.cx, value, ty, PTR));
    expect(e.message).toMatch(message);
    expect(e.path).toBe(path);
  });

  it('should not report host errors as traps', () => {
    const h = harness();
    try {
      store(h.cx, 300, t.u8, PTR);
    } catch (e) {
      expect(isTrap(e)).toBe(false);
      expect(e).toBeInstanceOf(TypeError);
    }
  });
});
