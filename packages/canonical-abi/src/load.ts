/**
 * Loading values from linear memory (`load` in `CanonicalABI.md#loading`),
 * compiled once per type into a closure `(cx, ptr) => value`.
 *
 * Like the spec's `load`, a compiled loader assumes `ptr` is aligned and the
 * whole value lies in memory: the callers that take pointers from a
 * component (list and string ranges, spilled parameters and results) check
 * that first and trap. Everything a loader finds *inside* the value
 * (discriminants, chars, nested list/string ranges, handles) is checked and
 * traps with a message.
 *
 * @module
 */

import { caseCodec, type VariantLike } from './cases.js';
import { codegenEnabled, genLoad, genLoadListBody, isCompound } from './codegen.js';
import type { LiftLowerContext } from './context.js';
import { trap } from './errors.js';
import { handleLifter } from './handles.js';
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
import { loadString } from './strings.js';
import { copyOut, typedArrayFor } from './typed.js';
import type { ListType, RecordType, ValType, VariantType } from './types.js';
import { canonicalizeNaN, i32ToChar, LITTLE_ENDIAN } from './values.js';

/** A compiled loader: reads the value of one type at `ptr`. */
export type Loader = (cx: LiftLowerContext, ptr: number) => unknown;

const cache = new WeakMap<ValType, Loader>();

/**
 * The compiled loader of `ty` (built on first use, then cached per type
 * object). The result follows the package's JS value conventions (README).
 */
export function compileLoad(ty: ValType): Loader {
  let f = cache.get(ty);
  if (f === undefined) {
    f = build(ty);
    cache.set(ty, f);
  }
  return f;
}

/** Loads one value of type `ty` at `ptr` (`load`). Convenience over {@link compileLoad}. */
export function load(cx: LiftLowerContext, ptr: number, ty: ValType): unknown {
  return compileLoad(ty)(cx, ptr);
}

/**
 * Checks a list range taken from a component (`load_list_from_range`):
 * the value-size limit, the element alignment, then the bounds. Traps.
 */
export function checkListRange(cx: LiftLowerContext, ptr: number, length: number, elem: ValType): void {
  const size = elemSize(elem);
  const byteLength = length * size;
  if (byteLength > MAX_LIST_BYTE_LENGTH) {
    trap(`list of ${length} elements (${byteLength} bytes) exceeds the maximum list byte length ${MAX_LIST_BYTE_LENGTH}`);
  }
  const align = alignment(elem);
  if (ptr % align !== 0) trap(`unaligned pointer: list pointer ${ptr} is not aligned to ${align}`);
  const memLen = cx.u8().length;
  if (ptr + byteLength > memLen) {
    trap(`list [${ptr}, ${ptr + byteLength}) is out of bounds of memory (${memLen} bytes)`);
  }
}

/**
 * Loads the `length` elements of a list at `ptr` after checking the range
 * (`load_list_from_range`). Numeric lists come back as typed arrays.
 */
export function loadListFromRange(cx: LiftLowerContext, ptr: number, length: number, elem: ValType): unknown {
  checkListRange(cx, ptr, length, elem);
  return compileListBody(elem)(cx, ptr, length);
}

type ListBody = (cx: LiftLowerContext, ptr: number, length: number) => unknown;
const bodies = new WeakMap<ValType, ListBody>();

/** The compiled loop loading `length` elements of type `elem` from a valid range. */
export function compileListBody(elem: ValType): ListBody {
  let f = bodies.get(elem);
  if (f === undefined) {
    f = buildListBody(elem);
    bodies.set(elem, f);
  }
  return f;
}

function buildListBody(elem: ValType): ListBody {
  const Ctor = LITTLE_ENDIAN ? typedArrayFor(elem) : undefined;
  if (Ctor !== undefined) return (cx, ptr, length) => copyOut(cx.u8(), ptr, length, Ctor);
  const load1 = compileLoad(elem);
  const size = elemSize(elem);
  if (codegenEnabled()) return genLoadListBody(load1, size);
  return (cx, ptr, length) => {
    const out = new Array<unknown>(length);
    for (let i = 0; i < length; i++) out[i] = load1(cx, ptr + i * size);
    return out;
  };
}

function build(ty: ValType): Loader {
  if (codegenEnabled() && isCompound(ty)) return genLoad(ty, compileLoad);
  switch (ty.kind) {
    case 'bool':
      return (cx, ptr) => cx.u8()[ptr] !== 0;
    case 'u8':
      return (cx, ptr) => cx.u8()[ptr];
    case 's8':
      return (cx, ptr) => cx.view().getInt8(ptr);
    case 'u16':
      return (cx, ptr) => cx.view().getUint16(ptr, true);
    case 's16':
      return (cx, ptr) => cx.view().getInt16(ptr, true);
    case 'u32':
      return (cx, ptr) => cx.view().getUint32(ptr, true);
    case 's32':
      return (cx, ptr) => cx.view().getInt32(ptr, true);
    case 'u64':
      return (cx, ptr) => cx.view().getBigUint64(ptr, true);
    case 's64':
      return (cx, ptr) => cx.view().getBigInt64(ptr, true);
    case 'f32':
      return (cx, ptr) => canonicalizeNaN(cx.view().getFloat32(ptr, true));
    case 'f64':
      return (cx, ptr) => canonicalizeNaN(cx.view().getFloat64(ptr, true));
    case 'char':
      return (cx, ptr) => i32ToChar(cx.view().getUint32(ptr, true));
    case 'string':
      return loadString;
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
    case 'error-context': {
      const lift = handleLifter(ty);
      return (cx, ptr) => lift(cx, cx.view().getUint32(ptr, true));
    }
    case 'list':
      return buildList(ty);
    case 'map': {
      const entry = mapEntryType(ty);
      const body = compileListBody(entry);
      return (cx, ptr) => {
        const v = cx.view();
        const begin = v.getUint32(ptr, true);
        const length = v.getUint32(ptr + 4, true);
        checkListRange(cx, begin, length, entry);
        return cx.liftMap(body(cx, begin, length) as [unknown, unknown][]);
      };
    }
    case 'record':
      return buildRecord(ty, false);
    case 'tuple':
      return buildRecord(despecialize(ty) as RecordType, true);
    case 'flags': {
      const labels = ty.labels;
      const n = labels.length;
      const read: (v: DataView, p: number) => number =
        n <= 8 ? (v, p) => v.getUint8(p) : n <= 16 ? (v, p) => v.getUint16(p, true) : (v, p) => v.getUint32(p, true);
      return (cx, ptr) => unpackFlags(read(cx.view(), ptr), labels);
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      return buildVariant(ty);
  }
}

/** `unpack_flags_from_int`: an object with one boolean per label (bits above the labels ignored). */
export function unpackFlags(i: number, labels: readonly string[]): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (let b = 0; b < labels.length; b++) out[labels[b] as string] = ((i >>> b) & 1) === 1;
  return out;
}

function buildList(ty: ListType): Loader {
  const elem = ty.elem;
  const body = compileListBody(elem);
  const fixed = ty.length;
  if (fixed !== undefined) return (cx, ptr) => body(cx, ptr, fixed);
  return (cx, ptr) => {
    const v = cx.view();
    const begin = v.getUint32(ptr, true);
    const length = v.getUint32(ptr + 4, true);
    return loadListFromRange(cx, begin, length, elem);
  };
}

function buildRecord(rec: RecordType, asArray: boolean): Loader {
  const offsets = recordFieldOffsets(rec.fields);
  const loaders = rec.fields.map((f) => compileLoad(f.type));
  const labels = rec.fields.map((f) => f.label);
  const n = loaders.length;
  if (asArray) {
    return (cx, ptr) => {
      const out = new Array<unknown>(n);
      for (let i = 0; i < n; i++) out[i] = (loaders[i] as Loader)(cx, ptr + (offsets[i] as number));
      return out;
    };
  }
  return (cx, ptr) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const label = labels[i] as string;
      const x = (loaders[i] as Loader)(cx, ptr + (offsets[i] as number));
      // A `__proto__` label must become an own property, not the prototype.
      if (label === '__proto__') Object.defineProperty(out, label, { value: x, enumerable: true, writable: true, configurable: true });
      else out[label] = x;
    }
    return out;
  };
}

function buildVariant(ty: VariantLike): Loader {
  const codec = caseCodec(ty);
  const cases = (despecialize(ty) as VariantType).cases;
  const n = cases.length;
  const discSize = discriminantSize(n);
  const payloadOffset = variantPayloadOffset(cases);
  const payloadLoaders = cases.map((c) => (c.type === undefined ? undefined : compileLoad(c.type)));
  const readDisc: (cx: LiftLowerContext, ptr: number) => number =
    discSize === 1
      ? (cx, ptr) => cx.u8()[ptr] as number
      : discSize === 2
        ? (cx, ptr) => cx.view().getUint16(ptr, true)
        : (cx, ptr) => cx.view().getUint32(ptr, true);
  return (cx, ptr) => {
    const index = readDisc(cx, ptr);
    if (index >= n) trap(`invalid variant discriminant: discriminant ${index} is out of range, the type has ${n} cases`);
    const pl = payloadLoaders[index];
    return codec.make(index, pl === undefined ? undefined : pl(cx, ptr + payloadOffset));
  };
}
