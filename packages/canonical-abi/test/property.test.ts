// Property tests: for random value types and random values of them, lowering
// then lifting is the identity, in every string encoding, through memory
// (store/load), through flat values (lower_flat/lift_flat) and through whole
// parameter lists (lower_flat_values/lift_flat_values, spilled or not), with a
// real WebAssembly.Memory and the bump allocator of test/helpers.ts.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setCodegen } from '../src/codegen.js';
import type { StringEncoding } from '../src/context.js';
import { liftFlatValues, lowerFlatValues } from '../src/function.js';
import { alignment, elemSize, flattenType, flattenTypes } from '../src/layout.js';
import { FlatIterator, liftFlat } from '../src/lift.js';
import { load } from '../src/load.js';
import { lowerFlat } from '../src/lower.js';
import { store } from '../src/store.js';
import { t, type ValType } from '../src/types.js';
import { harness } from './helpers.js';

const ENCODINGS: StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];
const RT = t.resource('prop');

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
const labels = (min: number, max: number) => fc.uniqueArray(label, { minLength: min, maxLength: max });

const prims: ValType[] = [
  t.bool, t.s8, t.u8, t.s16, t.u16, t.s32, t.u32, t.s64, t.u64, t.f32, t.f64, t.char, t.string, t.own(RT),
];
const mapKeys: ValType[] = [t.string, t.u32, t.char, t.bool, t.s64];

function typeArb(depth: number): fc.Arbitrary<ValType> {
  const prim = fc.constantFrom(...prims);
  if (depth === 0) return prim;
  const sub = typeArb(depth - 1);
  return fc.oneof(
    { weight: 3, arbitrary: prim },
    { weight: 1, arbitrary: sub.map((e) => t.list(e)) },
    { weight: 1, arbitrary: fc.tuple(sub, fc.integer({ min: 1, max: 4 })).map(([e, n]) => t.list(e, n)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...mapKeys), sub).map(([k, v]) => t.map(k, v)) },
    {
      weight: 1,
      arbitrary: labels(1, 4).chain((ls) =>
        fc.tuple(...ls.map(() => sub)).map((ts) => t.record(Object.fromEntries(ls.map((l, i) => [l, ts[i] as ValType])))),
      ),
    },
    { weight: 1, arbitrary: fc.array(sub, { minLength: 1, maxLength: 4 }).map((ts) => t.tuple(...ts)) },
    {
      weight: 1,
      arbitrary: labels(1, 4).chain((ls) =>
        fc
          .tuple(...ls.map(() => fc.option(sub, { nil: null })))
          .map((ts) => t.variant(Object.fromEntries(ls.map((l, i) => [l, ts[i] ?? null])))),
      ),
    },
    { weight: 1, arbitrary: labels(1, 5).map((ls) => t.enum(...ls)) },
    { weight: 1, arbitrary: sub.map((e) => t.option(e)) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.option(sub, { nil: null }), fc.option(sub, { nil: null }))
        .map(([ok, err]) => t.result(ok, err)),
    },
    { weight: 1, arbitrary: labels(1, 32).map((ls) => t.flags(...ls)) },
  );
}

const TYPED: Partial<Record<ValType['kind'], { from(a: ArrayLike<unknown>): unknown }>> = {
  u8: Uint8Array as never,
  s8: Int8Array as never,
  u16: Uint16Array as never,
  s16: Int16Array as never,
  u32: Uint32Array as never,
  s32: Int32Array as never,
  u64: BigUint64Array as never,
  s64: BigInt64Array as never,
  f32: Float32Array as never,
  f64: Float64Array as never,
};

const scalar = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((s) => {
  const c = s.codePointAt(0) as number;
  return !(c >= 0xd800 && c <= 0xdfff);
});
const str = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('a', 'é', 'ÿ', '\u00a0'), maxLength: 12 }),
);

/** An arbitrary value of `ty`, in the form lifting produces. */
function valueArb(ty: ValType): fc.Arbitrary<unknown> {
  switch (ty.kind) {
    case 'bool':
      return fc.boolean();
    case 's8':
      return fc.integer({ min: -128, max: 127 });
    case 'u8':
      return fc.integer({ min: 0, max: 255 });
    case 's16':
      return fc.integer({ min: -32768, max: 32767 });
    case 'u16':
      return fc.integer({ min: 0, max: 65535 });
    case 's32':
      return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    case 'u32':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 's64':
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
    case 'u64':
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    case 'f32':
      return fc.float();
    case 'f64':
      return fc.double();
    case 'char':
      return scalar;
    case 'string':
      return str;
    case 'own':
      return fc.integer({ min: 0, max: 2 ** 32 - 1 });
    case 'list': {
      const n = ty.length;
      const arr =
        n === undefined
          ? fc.array(valueArb(ty.elem), { maxLength: 5 })
          : fc.array(valueArb(ty.elem), { minLength: n, maxLength: n });
      const typed = TYPED[ty.elem.kind];
      return typed === undefined ? arr : arr.map((a) => typed.from(a));
    }
    case 'map':
      return fc
        .uniqueArray(fc.tuple(valueArb(ty.key), valueArb(ty.value)), { selector: (e) => e[0], maxLength: 4 })
        .map((entries) => new Map(entries));
    case 'record':
      return fc.record(Object.fromEntries(ty.fields.map((f) => [f.label, valueArb(f.type)])));
    case 'tuple':
      return fc.tuple(...ty.types.map(valueArb));
    case 'variant':
      return fc.oneof(
        ...ty.cases.map((c) =>
          c.type === undefined ? fc.constant({ tag: c.label }) : valueArb(c.type).map((val) => ({ tag: c.label, val })),
        ),
      );
    case 'enum':
      return fc.constantFrom(...ty.labels);
    case 'option': {
      const inner = valueArb(ty.type);
      const some = ty.type.kind === 'option' ? inner.map((val) => ({ tag: 'some', val })) : inner;
      return fc.oneof(fc.constant(undefined), some);
    }
    case 'result': {
      const ok = ty.ok === undefined ? fc.constant({ tag: 'ok' }) : valueArb(ty.ok).map((val) => ({ tag: 'ok', val }));
      const err = ty.err === undefined ? fc.constant({ tag: 'err' }) : valueArb(ty.err).map((val) => ({ tag: 'err', val }));
      return fc.oneof(ok, err);
    }
    case 'flags':
      return fc.record(Object.fromEntries(ty.labels.map((l) => [l, fc.boolean()])));
    default:
      throw new Error(`no value arbitrary for ${ty.kind}`);
  }
}

const typed = typeArb(3).chain((ty) => fc.tuple(fc.constant(ty), valueArb(ty)));
const RUNS = 300;

describe.each(ENCODINGS.flatMap((enc) => [true, false].map((gen) => [enc, gen] as const)))(
  'lower then lift is the identity (%s, code generation: %s)',
  (enc, gen) => {
  beforeAll(() => setCodegen(gen));
  afterAll(() => setCodegen(true));

  it('should hold through memory (store then load)', () => {
    fc.assert(
      fc.property(typed, ([ty, v]) => {
        const h = harness({ stringEncoding: enc });
        const ptr = h.cx.realloc(0, 0, alignment(ty), elemSize(ty));
        store(h.cx, v, ty, ptr);
        expect(load(h.cx, ptr, ty)).toEqual(v);
      }),
      { numRuns: RUNS },
    );
  });

  it('should hold through flat values (lower_flat then lift_flat)', () => {
    fc.assert(
      fc.property(typed, ([ty, v]) => {
        const h = harness({ stringEncoding: enc });
        const flat = lowerFlat(h.cx, v, ty);
        expect(flat.length).toBe(flattenType(ty).length);
        const it = new FlatIterator(flat);
        expect(liftFlat(h.cx, it, ty)).toEqual(v);
        expect(it.done()).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it('should hold through parameter lists, spilled to memory past the limit', () => {
    const many = fc
      .array(typeArb(2), { minLength: 1, maxLength: 6 })
      .chain((ts) => fc.tuple(fc.constant(ts), fc.tuple(...ts.map(valueArb)), fc.constantFrom(0, 1, 4, 16)));
    fc.assert(
      fc.property(many, ([ts, vs, maxFlat]) => {
        const h = harness({ stringEncoding: enc });
        const flat = lowerFlatValues(h.cx, maxFlat, vs, ts);
        const spilled = flattenTypes(ts).length > maxFlat;
        expect(flat.length).toBe(spilled ? 1 : flattenTypes(ts).length);
        expect(liftFlatValues(h.cx, maxFlat, new FlatIterator(flat), ts)).toEqual(vs);
      }),
      { numRuns: RUNS },
    );
  });
  },
);
