/**
 * Storing values into linear memory (`store` in `CanonicalABI.md#storing`),
 * compiled once per type into a closure `(cx, value, ptr) => void`.
 *
 * The value is a JS host value (see the README for the representation of
 * each type); one of the wrong shape or out of range is a
 * {@link HostValueError} whose `path` says where inside the value. Like the
 * spec's `store`, `ptr` is assumed aligned and in bounds; nested lists and
 * strings are allocated through `realloc` and checked (alignment, bounds).
 *
 * @module
 */

import { caseCodec, type VariantLike } from './cases.js';
import { codegenEnabled, genStore, genStoreListBody, isCompound } from './codegen.js';
import type { LiftLowerContext } from './context.js';
import { badValue, rethrowAt, trap } from './errors.js';
import { handleLowerer } from './handles.js';
import {
  alignment,
  despecialize,
  discriminantSize,
  elemSize,
  mapEntryType,
  MAX_LIST_BYTE_LENGTH,
  recordFieldOffsets,
  variantPayloadOffset,
} from './layout.js';
import { storeString } from './strings.js';
import { copyIn, type NumericArray, type NumericArrayConstructor, typedArrayFor } from './typed.js';
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
  LITTLE_ENDIAN,
} from './values.js';

/** A compiled storer: writes `value` (of one type) at `ptr`. */
export type Storer = (cx: LiftLowerContext, value: unknown, ptr: number) => void;

const cache = new WeakMap<ValType, Storer>();

/** The compiled storer of `ty` (built on first use, then cached per type object). */
export function compileStore(ty: ValType): Storer {
  let f = cache.get(ty);
  if (f === undefined) {
    f = build(ty);
    cache.set(ty, f);
  }
  return f;
}

/** Stores `value` of type `ty` at `ptr` (`store`). Convenience over {@link compileStore}. */
export function store(cx: LiftLowerContext, value: unknown, ty: ValType, ptr: number): void {
  compileStore(ty)(cx, value, ptr);
}

/** Checks that a host list value is array-like and returns it. */
export function asArrayLike(v: unknown, ty: ValType): ArrayLike<unknown> {
  if (typeof v === 'object' && v !== null && typeof (v as { length?: unknown }).length === 'number' && !(v instanceof DataView)) {
    return v as ArrayLike<unknown>;
  }
  return badValue(`${typeToString(ty)} (an array or array-like)`, v);
}

/**
 * Allocates room for a list through `realloc` and stores its elements
 * (`store_list_into_range`); returns `[pointer, length]`. Traps when the
 * list exceeds the value-size limit ({@link MAX_LIST_BYTE_LENGTH}) or when
 * `realloc` returns a misaligned or out-of-bounds block.
 */
export function storeListIntoRange(cx: LiftLowerContext, v: ArrayLike<unknown>, elem: ValType): [ptr: number, length: number] {
  const length = v.length;
  const byteLength = length * elemSize(elem);
  if (byteLength > MAX_LIST_BYTE_LENGTH) {
    trap(`list of ${length} elements (${byteLength} bytes) exceeds the maximum list byte length ${MAX_LIST_BYTE_LENGTH}`);
  }
  const ptr = cx.realloc(0, 0, alignment(elem), byteLength);
  compileStoreListBody(elem)(cx, v, ptr);
  return [ptr, length];
}

/** Stores the elements of `v` at `ptr` (a valid, allocated range). */
export type StoreListBody = (cx: LiftLowerContext, v: ArrayLike<unknown>, ptr: number) => void;
const bodies = new WeakMap<ValType, StoreListBody>();

/** The compiled loop storing the elements of a list of `elem` into a valid range (`store_list_into_valid_range`). */
export function compileStoreListBody(elem: ValType): StoreListBody {
  let f = bodies.get(elem);
  if (f === undefined) {
    f = buildListBody(elem);
    bodies.set(elem, f);
  }
  return f;
}

const NUMERIC_CHECKS: Partial<Record<ValType['kind'], (v: unknown) => unknown>> = {
  u8: checkU8,
  s8: checkS8,
  u16: checkU16,
  s16: checkS16,
  u32: checkU32,
  s32: checkS32,
  u64: checkU64,
  s64: checkS64,
  f32: (v) => checkFloat(v, 'f32'),
  f64: (v) => checkFloat(v, 'f64'),
};

function buildListBody(elem: ValType): StoreListBody {
  const Ctor = LITTLE_ENDIAN ? typedArrayFor(elem) : undefined;
  const check = NUMERIC_CHECKS[elem.kind];
  if (Ctor !== undefined && check !== undefined) return numericListBody(Ctor, check);
  const store1 = compileStore(elem);
  const size = elemSize(elem);
  if (codegenEnabled()) return genStoreListBody(store1, size);
  return (cx, v, ptr) => {
    const n = v.length;
    let i = 0;
    try {
      for (; i < n; i++) store1(cx, v[i], ptr + i * size);
    } catch (e) {
      rethrowAt(e, `[${i}]`);
    }
  };
}

function numericListBody(Ctor: NumericArrayConstructor, check: (v: unknown) => unknown): StoreListBody {
  return (cx, v, ptr) => {
    const n = v.length;
    if (v instanceof Ctor) {
      copyIn(cx.u8(), ptr, v as NumericArray);
      return;
    }
    // `ptr` is aligned to the element size (checked after realloc / by the
    // containing layout), so a typed view over memory is valid here.
    const dst = new Ctor(cx.u8().buffer, ptr, n) as unknown as { [i: number]: unknown };
    let i = 0;
    try {
      for (; i < n; i++) dst[i] = check(v[i]);
    } catch (e) {
      rethrowAt(e, `[${i}]`);
    }
  };
}

function int(check: (v: unknown) => number, write: (dv: DataView, p: number, x: number) => void): Storer {
  return (cx, v, ptr) => write(cx.view(), ptr, check(v));
}

function build(ty: ValType): Storer {
  if (codegenEnabled() && isCompound(ty)) return genStore(ty, compileStore);
  switch (ty.kind) {
    case 'bool':
      return (cx, v, ptr) => {
        const b = checkBool(v);
        cx.u8()[ptr] = b ? 1 : 0;
      };
    case 'u8':
      return (cx, v, ptr) => {
        const x = checkU8(v);
        cx.u8()[ptr] = x;
      };
    case 's8':
      return int(checkS8, (dv, p, x) => dv.setInt8(p, x));
    case 'u16':
      return int(checkU16, (dv, p, x) => dv.setUint16(p, x, true));
    case 's16':
      return int(checkS16, (dv, p, x) => dv.setInt16(p, x, true));
    case 'u32':
      return int(checkU32, (dv, p, x) => dv.setUint32(p, x, true));
    case 's32':
      return int(checkS32, (dv, p, x) => dv.setInt32(p, x, true));
    case 'u64':
      return (cx, v, ptr) => {
        const x = checkU64(v);
        cx.view().setBigUint64(ptr, x, true);
      };
    case 's64':
      return (cx, v, ptr) => {
        const x = checkS64(v);
        cx.view().setBigInt64(ptr, x, true);
      };
    case 'f32':
      // A NaN is written as the canonical NaN (the deterministic profile's
      // `maybe_scramble_nan32`); DataView writes JS NaN as 0x7fc00000.
      return (cx, v, ptr) => {
        const x = checkFloat(v, 'f32');
        const dv = cx.view();
        if (x !== x) dv.setUint32(ptr, 0x7fc00000, true);
        else dv.setFloat32(ptr, x, true);
      };
    case 'f64':
      return (cx, v, ptr) => {
        const x = checkFloat(v, 'f64');
        const dv = cx.view();
        if (x !== x) dv.setBigUint64(ptr, 0x7ff8000000000000n, true);
        else dv.setFloat64(ptr, x, true);
      };
    case 'char':
      return (cx, v, ptr) => {
        const c = charToI32(v);
        cx.view().setUint32(ptr, c, true);
      };
    case 'string':
      return (cx, v, ptr) => storeString(cx, v as string, ptr);
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
    case 'error-context': {
      const lower = handleLowerer(ty);
      return (cx, v, ptr) => {
        const i = lower(cx, v);
        cx.view().setUint32(ptr, i, true);
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
      const n = labels.length;
      return (cx, v, ptr) => {
        const i = packFlags(v, labels, ty);
        const dv = cx.view();
        if (n <= 8) dv.setUint8(ptr, i);
        else if (n <= 16) dv.setUint16(ptr, i, true);
        else dv.setUint32(ptr, i >>> 0, true);
      };
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      return buildVariant(ty);
  }
}

/**
 * `pack_flags_into_int`: one bit per label, set when the host object's
 * property of that label is truthy. Returns a signed i32.
 */
export function packFlags(v: unknown, labels: readonly string[], ty: ValType): number {
  if (typeof v !== 'object' || v === null) return badValue(`${typeToString(ty)} (an object of booleans keyed by label)`, v);
  let i = 0;
  for (let b = 0; b < labels.length; b++) if ((v as Record<string, unknown>)[labels[b] as string]) i |= 1 << b;
  return i;
}

function buildList(ty: ListType): Storer {
  const elem = ty.elem;
  const fixed = ty.length;
  if (fixed !== undefined) {
    const body = compileStoreListBody(elem);
    return (cx, v, ptr) => {
      const a = asArrayLike(v, ty);
      if (a.length !== fixed) badValue(`${typeToString(ty)} (exactly ${fixed} elements)`, v);
      body(cx, a, ptr);
    };
  }
  return (cx, v, ptr) => {
    const [begin, length] = storeListIntoRange(cx, asArrayLike(v, ty), elem);
    const dv = cx.view();
    dv.setUint32(ptr, begin, true);
    dv.setUint32(ptr + 4, length, true);
  };
}

/** Host `Map` (or array of `[key, value]` pairs) to the entry list a map lowers as. */
export function mapEntries(v: unknown, ty: MapType): ArrayLike<unknown> {
  if (v instanceof Map) return Array.from(v as Map<unknown, unknown>);
  if (Array.isArray(v)) return v;
  return badValue(`${typeToString(ty)} (a Map or an array of [key, value] pairs)`, v);
}

function buildMap(ty: MapType): Storer {
  const entry = mapEntryType(ty);
  return (cx, v, ptr) => {
    const [begin, length] = storeListIntoRange(cx, mapEntries(v, ty), entry);
    const dv = cx.view();
    dv.setUint32(ptr, begin, true);
    dv.setUint32(ptr + 4, length, true);
  };
}

function buildRecord(rec: RecordType, original: ValType, asArray: boolean): Storer {
  const offsets = recordFieldOffsets(rec.fields);
  const storers = rec.fields.map((f) => compileStore(f.type));
  const labels = rec.fields.map((f) => f.label);
  const n = storers.length;
  if (asArray) {
    const expected = `${typeToString(original)} (an array of ${n} elements)`;
    return (cx, v, ptr) => {
      if (!Array.isArray(v) || v.length !== n) badValue(expected, v);
      const a = v as unknown[];
      let i = 0;
      try {
        for (; i < n; i++) (storers[i] as Storer)(cx, a[i], ptr + (offsets[i] as number));
      } catch (e) {
        rethrowAt(e, `[${i}]`);
      }
    };
  }
  const expected = `${typeToString(original)} (an object)`;
  return (cx, v, ptr) => {
    if (typeof v !== 'object' || v === null) badValue(expected, v);
    const o = v as Record<string, unknown>;
    let i = 0;
    try {
      for (; i < n; i++) (storers[i] as Storer)(cx, o[labels[i] as string], ptr + (offsets[i] as number));
    } catch (e) {
      rethrowAt(e, labels[i] as string);
    }
  };
}

function buildVariant(ty: VariantLike): Storer {
  const codec = caseCodec(ty);
  const cases = (despecialize(ty) as VariantType).cases;
  const discSize = discriminantSize(cases.length);
  const payloadOffset = variantPayloadOffset(cases);
  const payloadStorers = cases.map((c) => (c.type === undefined ? undefined : compileStore(c.type)));
  const segment = ty.kind === 'option' ? 'some' : 'val';
  return (cx, v, ptr) => {
    const index = codec.indexOf(v);
    const dv = cx.view();
    if (discSize === 1) dv.setUint8(ptr, index);
    else if (discSize === 2) dv.setUint16(ptr, index, true);
    else dv.setUint32(ptr, index, true);
    const ps = payloadStorers[index];
    if (ps !== undefined) {
      try {
        ps(cx, codec.payloadOf(v), ptr + payloadOffset);
      } catch (e) {
        rethrowAt(e, segment);
      }
    }
  };
}
