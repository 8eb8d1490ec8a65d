/**
 * Lowering host values to flat core values (`lower_flat` in
 * `CanonicalABI.md#flat-lowering`), compiled once per type into a closure
 * `(cx, value, out) => void` that pushes the flat values onto `out`.
 *
 * Flat values produced: `i32` as a JS number, `i64` as a bigint, `f32`/`f64`
 * as numbers: what a core wasm function accepts. Host values are checked
 * ({@link HostValueError} with a path when the shape or range is wrong);
 * lists and strings are allocated through `realloc` (checked, may trap).
 *
 * @module
 */

import { caseCodec, type VariantLike } from './cases.js';
import { codegenEnabled } from './codegen.js';
import { genLowerFlat, isFlatCompound } from './codegen-flat.js';
import type { LiftLowerContext } from './context.js';
import { badValue, rethrowAt } from './errors.js';
import { handleLowerer } from './handles.js';
import { type CoreValType, despecialize, flattenType, flattenVariant, mapEntryType } from './layout.js';
import { asArrayLike, mapEntries, packFlags, storeListIntoRange } from './store.js';
import { storeStringIntoRange } from './strings.js';
import type { ListType, MapType, RecordType, ValType, VariantType } from './types.js';
import { typeToString } from './types.js';
import {
  charToI32,
  checkBool,
  checkFloat,
  checkS16,
  checkS32,
  checkS64,
  checkS8,
  checkU16,
  checkU32,
  checkU64,
  checkU8,
  encodeFloatAsI32,
  encodeFloatAsI64,
  flatI32,
} from './values.js';

/** A compiled flat lowerer: pushes the flat values of `value` onto `out`. */
export type FlatLowerer = (cx: LiftLowerContext, value: unknown, out: unknown[]) => void;

const cache = new WeakMap<ValType, FlatLowerer>();

/** The compiled flat lowerer of `ty` (built on first use, cached per type object). */
export function compileLowerFlat(ty: ValType): FlatLowerer {
  let f = cache.get(ty);
  if (f === undefined) {
    f = build(ty);
    cache.set(ty, f);
  }
  return f;
}

/** Lowers `value` of type `ty` to its flat values (`lower_flat`). */
export function lowerFlat(cx: LiftLowerContext, value: unknown, ty: ValType): unknown[] {
  const out: unknown[] = [];
  compileLowerFlat(ty)(cx, value, out);
  return out;
}

function scalar(check: (v: unknown) => unknown): FlatLowerer {
  return (_cx, v, out) => {
    out.push(check(v));
  };
}

function build(ty: ValType): FlatLowerer {
  if (codegenEnabled() && isFlatCompound(ty)) return genLowerFlat(ty);
  switch (ty.kind) {
    case 'bool':
      return (_cx, v, out) => {
        out.push(checkBool(v) ? 1 : 0);
      };
    case 'u8':
      return scalar(checkU8);
    case 's8':
      return scalar(checkS8);
    case 'u16':
      return scalar(checkU16);
    case 's16':
      return scalar(checkS16);
    case 'u32':
      return scalar(checkU32);
    case 's32':
      return scalar(checkS32);
    case 'u64':
      return scalar(checkU64);
    case 's64':
      return scalar(checkS64);
    case 'f32':
      return (_cx, v, out) => {
        out.push(Math.fround(checkFloat(v, 'f32')));
      };
    case 'f64':
      return (_cx, v, out) => {
        out.push(checkFloat(v, 'f64'));
      };
    case 'char':
      return scalar(charToI32);
    case 'string':
      return (cx, v, out) => {
        const [ptr, units] = storeStringIntoRange(cx, v as string);
        out.push(ptr, units);
      };
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
    case 'error-context': {
      const lower = handleLowerer(ty);
      return (cx, v, out) => {
        out.push(lower(cx, v));
      };
    }
    case 'list':
      return buildList(ty);
    case 'map':
      return buildMap(ty);
    case 'record':
      return buildRecord(ty, ty, false);
    case 'tuple':
      return buildRecord(despecialize(ty) as RecordType, ty, true);
    case 'flags': {
      const labels = ty.labels;
      return (_cx, v, out) => {
        out.push(packFlags(v, labels, ty));
      };
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      return buildVariant(ty);
  }
}

function buildList(ty: ListType): FlatLowerer {
  const elem = ty.elem;
  const fixed = ty.length;
  if (fixed !== undefined) {
    const lower1 = compileLowerFlat(elem);
    return (cx, v, out) => {
      const a = asArrayLike(v, ty);
      if (a.length !== fixed) badValue(`${typeToString(ty)} (exactly ${fixed} elements)`, v);
      let i = 0;
      try {
        for (; i < fixed; i++) lower1(cx, a[i], out);
      } catch (e) {
        rethrowAt(e, `[${i}]`);
      }
    };
  }
  return (cx, v, out) => {
    const [ptr, length] = storeListIntoRange(cx, asArrayLike(v, ty), elem);
    out.push(ptr, length);
  };
}

function buildMap(ty: MapType): FlatLowerer {
  const entry = mapEntryType(ty);
  return (cx, v, out) => {
    const [ptr, length] = storeListIntoRange(cx, mapEntries(v, ty), entry);
    out.push(ptr, length);
  };
}

function buildRecord(rec: RecordType, original: ValType, asArray: boolean): FlatLowerer {
  const lowerers = rec.fields.map((f) => compileLowerFlat(f.type));
  const labels = rec.fields.map((f) => f.label);
  const n = lowerers.length;
  if (asArray) {
    const expected = `${typeToString(original)} (an array of ${n} elements)`;
    return (cx, v, out) => {
      if (!Array.isArray(v) || v.length !== n) badValue(expected, v);
      const a = v as unknown[];
      let i = 0;
      try {
        for (; i < n; i++) (lowerers[i] as FlatLowerer)(cx, a[i], out);
      } catch (e) {
        rethrowAt(e, `[${i}]`);
      }
    };
  }
  const expected = `${typeToString(original)} (an object)`;
  return (cx, v, out) => {
    if (typeof v !== 'object' || v === null) badValue(expected, v);
    const o = v as Record<string, unknown>;
    let i = 0;
    try {
      for (; i < n; i++) (lowerers[i] as FlatLowerer)(cx, o[labels[i] as string], out);
    } catch (e) {
      rethrowAt(e, labels[i] as string);
    }
  };
}

/** Converts a case's own flat value (`have`) into the joined slot type (`want`). */
function coercion(have: CoreValType, want: CoreValType): ((x: unknown) => unknown) | undefined {
  if (have === want) return undefined;
  if (have === 'f32' && want === 'i32') return (x) => encodeFloatAsI32(x as number);
  if (have === 'i32' && want === 'i64') return (x) => BigInt(flatI32(x) >>> 0);
  if (have === 'f32' && want === 'i64') return (x) => BigInt(encodeFloatAsI32(x as number) >>> 0);
  if (have === 'f64' && want === 'i64') return (x) => encodeFloatAsI64(x as number);
  throw new Error(`internal error: no coercion from ${have} to ${want}`);
}

function zero(t: CoreValType): unknown {
  return t === 'i64' ? 0n : 0;
}

function buildVariant(ty: VariantLike): FlatLowerer {
  const codec = caseCodec(ty);
  const cases = (despecialize(ty) as VariantType).cases;
  const slots = flattenVariant(cases).slice(1);
  const nSlots = slots.length;
  const zeros = slots.map(zero);
  const segment = ty.kind === 'option' ? 'some' : 'val';
  const plans = cases.map((c) => {
    if (c.type === undefined) return undefined;
    const have = flattenType(c.type);
    const coerce = have.map((h, i) => coercion(h, slots[i] as CoreValType));
    return {
      lower: compileLowerFlat(c.type),
      coerce: coerce.every((x) => x === undefined) ? undefined : coerce,
    };
  });
  return (cx, v, out) => {
    const index = codec.indexOf(v);
    out.push(index);
    const start = out.length;
    const plan = plans[index];
    if (plan !== undefined) {
      try {
        plan.lower(cx, codec.payloadOf(v), out);
      } catch (e) {
        rethrowAt(e, segment);
      }
      const co = plan.coerce;
      if (co !== undefined) {
        for (let i = 0; i < co.length; i++) {
          const c = co[i];
          if (c !== undefined) out[start + i] = c(out[start + i]);
        }
      }
    }
    for (let j = out.length - start; j < nSlots; j++) out.push(zeros[j]);
  };
}
