/**
 * Lifting flat core values (`lift_flat` in `CanonicalABI.md#flat-lifting`),
 * compiled once per type into a closure `(cx, it) => value`.
 *
 * Flat values are what core wasm passes: `i32` as a JS number (signed, as
 * wasm gives it; unsigned is accepted too), `i64` as a bigint, `f32`/`f64`
 * as numbers. Integers narrower than their core type are truncated to their
 * width as the spec does (`lift_flat_unsigned/signed`); floats have NaNs
 * canonicalised; chars, discriminants, list ranges and handles trap when
 * invalid.
 *
 * @module
 */

import { caseCodec, type VariantLike } from './cases.js';
import { codegenEnabled } from './codegen.js';
import { genLiftFlat, isFlatCompound } from './codegen-flat.js';
import type { LiftLowerContext } from './context.js';
import { trap } from './errors.js';
import { handleLifter } from './handles.js';
import { type CoreValType, despecialize, flattenType, flattenVariant, mapEntryType } from './layout.js';
import { loadListFromRange } from './load.js';
import { loadStringFromRange } from './strings.js';
import type { ListType, MapType, RecordType, ValType, VariantType } from './types.js';
import { canonicalizeNaN, decodeI32AsFloat, decodeI64AsFloat, flatI32, flatI64, i32ToChar, wrapI64ToI32 } from './values.js';

/**
 * Walks a list of flat core values (the spec's `CoreValueIter`). Running out
 * of values means the caller passed fewer than the core signature has: a
 * runtime bug, reported as a plain `Error`.
 */
export class FlatIterator {
  /** The flat values. */
  readonly values: ArrayLike<unknown>;
  /** Index of the next value. */
  i: number;

  constructor(values: ArrayLike<unknown>, start = 0) {
    this.values = values;
    this.i = start;
  }

  /** The next flat value. */
  next(): unknown {
    const i = this.i;
    if (i >= this.values.length) {
      throw new Error(`internal error: flat value ${i} requested but only ${this.values.length} were given`);
    }
    this.i = i + 1;
    return this.values[i];
  }

  /** True when every value was consumed. */
  done(): boolean {
    return this.i === this.values.length;
  }
}

/** A compiled flat lifter. */
export type FlatLifter = (cx: LiftLowerContext, it: FlatIterator) => unknown;

const cache = new WeakMap<ValType, FlatLifter>();

/** The compiled flat lifter of `ty` (built on first use, cached per type object). */
export function compileLiftFlat(ty: ValType): FlatLifter {
  let f = cache.get(ty);
  if (f === undefined) {
    f = build(ty);
    cache.set(ty, f);
  }
  return f;
}

/** Lifts one value of type `ty` from `it` (`lift_flat`). */
export function liftFlat(cx: LiftLowerContext, it: FlatIterator, ty: ValType): unknown {
  return compileLiftFlat(ty)(cx, it);
}

function build(ty: ValType): FlatLifter {
  if (codegenEnabled() && isFlatCompound(ty)) return genLiftFlat(ty);
  switch (ty.kind) {
    case 'bool':
      return (_cx, it) => flatI32(it.next()) !== 0;
    case 'u8':
      return (_cx, it) => flatI32(it.next()) & 0xff;
    case 's8':
      return (_cx, it) => (flatI32(it.next()) << 24) >> 24;
    case 'u16':
      return (_cx, it) => flatI32(it.next()) & 0xffff;
    case 's16':
      return (_cx, it) => (flatI32(it.next()) << 16) >> 16;
    case 'u32':
      return (_cx, it) => flatI32(it.next()) >>> 0;
    case 's32':
      return (_cx, it) => flatI32(it.next());
    case 'u64':
      return (_cx, it) => BigInt.asUintN(64, flatI64(it.next()));
    case 's64':
      return (_cx, it) => BigInt.asIntN(64, flatI64(it.next()));
    case 'f32':
    case 'f64':
      return (_cx, it) => canonicalizeNaN(it.next() as number);
    case 'char':
      return (_cx, it) => i32ToChar(flatI32(it.next()));
    case 'string':
      return (cx, it) => {
        const ptr = flatI32(it.next()) >>> 0;
        const units = flatI32(it.next()) >>> 0;
        return loadStringFromRange(cx, ptr, units);
      };
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
    case 'error-context': {
      const lift = handleLifter(ty);
      return (cx, it) => lift(cx, flatI32(it.next()) >>> 0);
    }
    case 'list':
      return buildList(ty);
    case 'map':
      return buildMap(ty);
    case 'record':
      return buildRecord(ty, false);
    case 'tuple':
      return buildRecord(despecialize(ty) as RecordType, true);
    case 'flags': {
      const labels = ty.labels;
      return (_cx, it) => {
        const i = flatI32(it.next());
        const out: Record<string, boolean> = {};
        for (let b = 0; b < labels.length; b++) out[labels[b] as string] = ((i >>> b) & 1) === 1;
        return out;
      };
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      return buildVariant(ty);
  }
}

function buildList(ty: ListType): FlatLifter {
  const elem = ty.elem;
  const fixed = ty.length;
  if (fixed !== undefined) {
    const lift1 = compileLiftFlat(elem);
    const numeric = isNumeric(elem);
    return (cx, it) => {
      const out = new Array<unknown>(fixed);
      for (let i = 0; i < fixed; i++) out[i] = lift1(cx, it);
      return numeric ? toTyped(elem, out) : out;
    };
  }
  return (cx, it) => {
    const ptr = flatI32(it.next()) >>> 0;
    const length = flatI32(it.next()) >>> 0;
    return loadListFromRange(cx, ptr, length, elem);
  };
}

function isNumeric(ty: ValType): boolean {
  switch (ty.kind) {
    case 'u8':
    case 's8':
    case 'u16':
    case 's16':
    case 'u32':
    case 's32':
    case 'u64':
    case 's64':
    case 'f32':
    case 'f64':
      return true;
    default:
      return false;
  }
}

/** Numeric fixed-length lists lift to typed arrays, like numeric lists loaded from memory. */
function toTyped(elem: ValType, a: unknown[]): unknown {
  switch (elem.kind) {
    case 'u8':
      return Uint8Array.from(a as number[]);
    case 's8':
      return Int8Array.from(a as number[]);
    case 'u16':
      return Uint16Array.from(a as number[]);
    case 's16':
      return Int16Array.from(a as number[]);
    case 'u32':
      return Uint32Array.from(a as number[]);
    case 's32':
      return Int32Array.from(a as number[]);
    case 'u64':
      return BigUint64Array.from(a as bigint[]);
    case 's64':
      return BigInt64Array.from(a as bigint[]);
    case 'f32':
      return Float32Array.from(a as number[]);
    case 'f64':
      return Float64Array.from(a as number[]);
    default:
      return a;
  }
}

function buildMap(ty: MapType): FlatLifter {
  const entry = mapEntryType(ty);
  return (cx, it) => {
    const ptr = flatI32(it.next()) >>> 0;
    const length = flatI32(it.next()) >>> 0;
    return cx.liftMap(loadListFromRange(cx, ptr, length, entry) as [unknown, unknown][]);
  };
}

function buildRecord(rec: RecordType, asArray: boolean): FlatLifter {
  const lifters = rec.fields.map((f) => compileLiftFlat(f.type));
  const labels = rec.fields.map((f) => f.label);
  const n = lifters.length;
  if (asArray) {
    return (cx, it) => {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = (lifters[i] as FlatLifter)(cx, it);
      return out;
    };
  }
  return (cx, it) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const label = labels[i] as string;
      const x = (lifters[i] as FlatLifter)(cx, it);
      // A `__proto__` label must become an own property, not the prototype.
      if (label === '__proto__') Object.defineProperty(out, label, { value: x, enumerable: true, writable: true, configurable: true });
      else out[label] = x;
    }
    return out;
  };
}

/** Converts the flat value in a joined slot (`have`) to the case's own type (`want`). */
type Coerce = (x: unknown) => unknown;

function coercion(have: CoreValType, want: CoreValType): Coerce | undefined {
  if (have === want) return undefined;
  if (have === 'i32' && want === 'f32') return (x) => decodeI32AsFloat(flatI32(x));
  if (have === 'i64' && want === 'i32') return wrapI64ToI32;
  if (have === 'i64' && want === 'f32') return (x) => decodeI32AsFloat(wrapI64ToI32(x));
  if (have === 'i64' && want === 'f64') return (x) => decodeI64AsFloat(flatI64(x));
  throw new Error(`internal error: no coercion from ${have} to ${want}`);
}

function buildVariant(ty: VariantLike): FlatLifter {
  const codec = caseCodec(ty);
  const cases = (despecialize(ty) as VariantType).cases;
  const n = cases.length;
  const slots = flattenVariant(cases).slice(1);
  const nSlots = slots.length;
  const plans = cases.map((c) => {
    if (c.type === undefined) return undefined;
    const want = flattenType(c.type);
    const coerce = want.map((w, i) => coercion(slots[i] as CoreValType, w));
    return {
      lift: compileLiftFlat(c.type),
      width: want.length,
      coerce: coerce.every((x) => x === undefined) ? undefined : coerce,
    };
  });
  return (cx, it) => {
    const index = flatI32(it.next()) >>> 0;
    if (index >= n) trap(`invalid variant discriminant: discriminant ${index} is out of range, the type has ${n} cases`);
    const plan = plans[index];
    const start = it.i;
    let payload: unknown;
    if (plan !== undefined) {
      if (plan.coerce === undefined) {
        payload = plan.lift(cx, it);
      } else {
        const vals = new Array<unknown>(plan.width);
        for (let i = 0; i < plan.width; i++) {
          const x = it.next();
          const c = plan.coerce[i];
          vals[i] = c === undefined ? x : c(x);
        }
        payload = plan.lift(cx, new FlatIterator(vals));
      }
    }
    // Skip the slots this case does not use.
    it.i = start + nSlots;
    if (it.i > it.values.length) {
      throw new Error(`internal error: variant needs ${nSlots} payload slots but only ${it.values.length - start} were given`);
    }
    return codec.make(index, payload);
  };
}
