import { describe, expect, it } from 'vitest';
import { isInvalidTypeError } from './errors.js';
import {
  alignment,
  type CoreValType,
  despecialize,
  discriminantType,
  elemSize,
  flattenFuncType,
  flattenType,
  joinCoreTypes,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
  MAX_LIST_BYTE_LENGTH,
  recordFieldOffsets,
  variantPayloadOffset,
} from './layout.js';
import { t, type ValType } from './types.js';

const labels = (n: number): string[] => Array.from({ length: n }, (_, i) => `l${i}`);
const rt = t.resource('r');

// [name, type, alignment, elem_size, flatten_type]: each row can be checked
// by hand against definitions.py (alignment / elem_size / flatten_type).
const VECTORS: [string, ValType, number, number, CoreValType[]][] = [
  ['bool', t.bool, 1, 1, ['i32']],
  ['s8', t.s8, 1, 1, ['i32']],
  ['u8', t.u8, 1, 1, ['i32']],
  ['s16', t.s16, 2, 2, ['i32']],
  ['u16', t.u16, 2, 2, ['i32']],
  ['s32', t.s32, 4, 4, ['i32']],
  ['u32', t.u32, 4, 4, ['i32']],
  ['s64', t.s64, 8, 8, ['i64']],
  ['u64', t.u64, 8, 8, ['i64']],
  ['f32', t.f32, 4, 4, ['f32']],
  ['f64', t.f64, 8, 8, ['f64']],
  ['char', t.char, 4, 4, ['i32']],
  ['string', t.string, 4, 8, ['i32', 'i32']],
  ['list<u8>', t.list(t.u8), 4, 8, ['i32', 'i32']],
  ['list<u64>', t.list(t.u64), 4, 8, ['i32', 'i32']],
  ['list<u16, 3>', t.list(t.u16, 3), 2, 6, ['i32', 'i32', 'i32']],
  ['list<f64, 2>', t.list(t.f64, 2), 8, 16, ['f64', 'f64']],
  ['list<string, 2>', t.list(t.string, 2), 4, 16, ['i32', 'i32', 'i32', 'i32']],
  ['map<string, u8>', t.map(t.string, t.u8), 4, 8, ['i32', 'i32']],
  ['record { a: u8, b: u32 }', t.record({ a: t.u8, b: t.u32 }), 4, 8, ['i32', 'i32']],
  ['record { a: u8, b: u16, c: u8 }', t.record({ a: t.u8, b: t.u16, c: t.u8 }), 2, 6, ['i32', 'i32', 'i32']],
  ['record { a: u64, b: u8 }', t.record({ a: t.u64, b: t.u8 }), 8, 16, ['i64', 'i32']],
  ['record { x: list<u8, 3>, y: u16 }', t.record({ x: t.list(t.u8, 3), y: t.u16 }), 2, 6, ['i32', 'i32', 'i32', 'i32']],
  ['tuple<u8, u64>', t.tuple(t.u8, t.u64), 8, 16, ['i32', 'i64']],
  ['tuple<f32, string>', t.tuple(t.f32, t.string), 4, 12, ['f32', 'i32', 'i32']],
  ['enum (3)', t.enum('a', 'b', 'c'), 1, 1, ['i32']],
  ['enum (256)', t.enum(...labels(256)), 1, 1, ['i32']],
  ['enum (257)', t.enum(...labels(257)), 2, 2, ['i32']],
  ['enum (65536)', t.enum(...labels(65536)), 2, 2, ['i32']],
  ['enum (65537)', t.enum(...labels(65537)), 4, 4, ['i32']],
  ['variant { a(u8) } with 65537 cases', t.variant(Object.fromEntries(labels(65537).map((l, i) => [l, i === 0 ? t.u8 : null]))), 4, 8, ['i32', 'i32']],
  ['option<u8>', t.option(t.u8), 1, 2, ['i32', 'i32']],
  ['option<u32>', t.option(t.u32), 4, 8, ['i32', 'i32']],
  ['option<u64>', t.option(t.u64), 8, 16, ['i32', 'i64']],
  ['option<string>', t.option(t.string), 4, 12, ['i32', 'i32', 'i32']],
  ['option<option<u8>>', t.option(t.option(t.u8)), 1, 3, ['i32', 'i32', 'i32']],
  ['result', t.result(), 1, 1, ['i32']],
  ['result<u32, f32>', t.result(t.u32, t.f32), 4, 8, ['i32', 'i32']],
  ['result<u64, f32>', t.result(t.u64, t.f32), 8, 16, ['i32', 'i64']],
  ['result<f64, f32>', t.result(t.f64, t.f32), 8, 16, ['i32', 'i64']],
  ['result<f32, f32>', t.result(t.f32, t.f32), 4, 8, ['i32', 'f32']],
  ['result<_, string>', t.result(undefined, t.string), 4, 12, ['i32', 'i32', 'i32']],
  [
    'variant { a(u8), b(tuple<f32, f32>), c(u64) }',
    t.variant({ a: t.u8, b: t.tuple(t.f32, t.f32), c: t.u64 }),
    8,
    16,
    ['i32', 'i64', 'f32'],
  ],
  ['variant { a, b(u16) }', t.variant({ a: null, b: t.u16 }), 2, 4, ['i32', 'i32']],
  ['flags (1)', t.flags('a'), 1, 1, ['i32']],
  ['flags (8)', t.flags(...labels(8)), 1, 1, ['i32']],
  ['flags (9)', t.flags(...labels(9)), 2, 2, ['i32']],
  ['flags (16)', t.flags(...labels(16)), 2, 2, ['i32']],
  ['flags (17)', t.flags(...labels(17)), 4, 4, ['i32']],
  ['flags (32)', t.flags(...labels(32)), 4, 4, ['i32']],
  ['own', t.own(rt), 4, 4, ['i32']],
  ['borrow', t.borrow(rt), 4, 4, ['i32']],
  ['stream<u8>', t.stream(t.u8), 4, 4, ['i32']],
  ['future', t.future(), 4, 4, ['i32']],
  ['error-context', t.errorContext, 4, 4, ['i32']],
];

describe('layout', () => {
  it.each(VECTORS)('should lay out %s', (_name, ty, align, size, flat) => {
    expect(alignment(ty)).toBe(align);
    expect(elemSize(ty)).toBe(size);
    expect(flattenType(ty)).toEqual(flat);
  });

  it('should give the spec constants', () => {
    expect([MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, MAX_FLAT_ASYNC_PARAMS]).toEqual([16, 1, 4]);
    expect(MAX_LIST_BYTE_LENGTH).toBe(2 ** 28 - 1);
  });

  it.each([
    [1, 'u8'],
    [2, 'u8'],
    [256, 'u8'],
    [257, 'u16'],
    [65536, 'u16'],
    [65537, 'u32'],
  ])('should pick the discriminant type for %i cases', (n, kind) => {
    expect(discriminantType(n).kind).toBe(kind);
  });

  it('should despecialize tuple, enum, option and result', () => {
    expect(despecialize(t.tuple(t.u8, t.string))).toEqual(
      t.record({ 0: t.u8, 1: t.string }),
    );
    expect(despecialize(t.enum('x', 'y'))).toEqual({ kind: 'variant', cases: [{ label: 'x' }, { label: 'y' }] });
    expect(despecialize(t.option(t.u8))).toEqual({
      kind: 'variant',
      cases: [{ label: 'none' }, { label: 'some', type: t.u8 }],
    });
    expect(despecialize(t.result(t.u8))).toEqual({
      kind: 'variant',
      cases: [{ label: 'ok', type: t.u8 }, { label: 'error' }],
    });
    const rec = t.record({ a: t.u8 });
    expect(despecialize(rec)).toBe(rec);
    const tup = t.tuple(t.u8);
    expect(despecialize(tup)).toBe(despecialize(tup));
  });

  it('should compute field and payload offsets', () => {
    expect(recordFieldOffsets(t.record({ a: t.u8, b: t.u64, c: t.u16, d: t.string }).fields)).toEqual([0, 8, 16, 20]);
    expect(variantPayloadOffset(t.variant({ a: t.u8, b: t.u64 }).cases)).toBe(8);
    expect(variantPayloadOffset(t.variant({ a: null, b: null }).cases)).toBe(1);
    expect(variantPayloadOffset(t.variant({ a: t.u16 }).cases)).toBe(2);
  });

  it.each([
    ['i32', 'i32', 'i32'],
    ['i32', 'f32', 'i32'],
    ['f32', 'i32', 'i32'],
    ['f32', 'f32', 'f32'],
    ['i32', 'i64', 'i64'],
    ['f32', 'f64', 'i64'],
    ['f64', 'f64', 'f64'],
    ['i64', 'f64', 'i64'],
    ['i32', 'f64', 'i64'],
  ] as const)('should join %s and %s to %s', (a, b, j) => {
    expect(joinCoreTypes(a, b)).toBe(j);
  });

  it.each([
    ['flags with no labels', () => t.flags()],
    ['flags with 33 labels', () => t.flags(...labels(33))],
    ['a variant without cases', () => t.variant({})],
    ['an enum without labels', () => t.enum()],
    ['a record without fields', () => t.record({})],
    ['an empty tuple', () => t.tuple()],
    ['a fixed-length list of length 0', () => t.list(t.u8, 0)],
    ['a fixed-length list of length 1.5', () => t.list(t.u8, 1.5)],
  ])('should reject %s with an InvalidTypeError', (_name, make) => {
    let err: unknown;
    try {
      elemSize(make());
    } catch (e) {
      err = e;
    }
    expect(isInvalidTypeError(err)).toBe(true);
  });
});

describe('flattenFuncType', () => {
  const u32s = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, t.u32]));
  const i32s = (n: number): CoreValType[] => Array.from({ length: n }, () => 'i32');

  it.each([
    ['add(u32, u32) -> u32', t.func(u32s(2), t.u32), 'lift', {}, i32s(2), ['i32']],
    ['add(u32, u32) -> u32', t.func(u32s(2), t.u32), 'lower', {}, i32s(2), ['i32']],
    ['16 params stay flat', t.func(u32s(16)), 'lift', {}, i32s(16), []],
    ['17 params spill', t.func(u32s(17)), 'lift', {}, ['i32'], []],
    ['17 params spill (lower)', t.func(u32s(17)), 'lower', {}, ['i32'], []],
    ['string result (lift)', t.func({}, t.string), 'lift', {}, [], ['i32']],
    ['string result (lower)', t.func({ a: t.f64 }, t.string), 'lower', {}, ['f64', 'i32'], []],
    ['async lower, 4 params', t.func(u32s(4)), 'lower', { async: true }, i32s(4), ['i32']],
    ['async lower, 5 params', t.func(u32s(5)), 'lower', { async: true }, ['i32'], ['i32']],
    ['async lower with result', t.func(u32s(1), t.u8), 'lower', { async: true }, ['i32', 'i32'], ['i32']],
    ['async lower, 5 params and result', t.func(u32s(5), t.u8), 'lower', { async: true }, ['i32', 'i32'], ['i32']],
    ['async lift without callback', t.func(u32s(16), t.u8), 'lift', { async: true }, i32s(16), []],
    ['async lift with callback', t.func(u32s(17), t.u8), 'lift', { async: true, callback: 1 }, ['i32'], ['i32']],
  ] as const)('should flatten %s for %s', (_name, ft, context, opts, params, results) => {
    expect(flattenFuncType(ft, context, opts)).toEqual({ params, results });
  });
});
