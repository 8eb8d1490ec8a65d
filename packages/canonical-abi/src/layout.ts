/**
 * Memory layout and flattening of value types: the pure, type-level half of
 * the Canonical ABI (`CanonicalABI.md#despecialization`, `#alignment`,
 * `#element-size`, `#flattening`).
 *
 * Everything here depends only on the type, so results are computed once per
 * type object and cached in a `WeakMap` (types are immutable plain data).
 * Only 32-bit memories are supported (the spec's `ptr_type` is always `i32`
 * here, because a `WebAssembly.Memory` from JS is a 32-bit memory).
 *
 * @module
 */

import { InvalidTypeError } from './errors.js';
import type {
  BorrowType,
  Case,
  ErrorContextType,
  Field,
  FlagsType,
  FuncType,
  FutureType,
  ListType,
  MapType,
  OwnType,
  PrimValType,
  RecordType,
  StreamType,
  ValType,
  VariantType,
} from './types.js';
import { t as T, typeToString } from './types.js';

/** A core WebAssembly value type, as flattening produces them. */
export type CoreValType = 'i32' | 'i64' | 'f32' | 'f64';

/** Most flat core params a function passes directly; beyond, they go through memory (`MAX_FLAT_PARAMS`). */
export const MAX_FLAT_PARAMS = 16 as const;
/** Most flat core results a function returns directly (`MAX_FLAT_RESULTS`). */
export const MAX_FLAT_RESULTS = 1 as const;
/** Most flat core params of an async-lowered import (`MAX_FLAT_ASYNC_PARAMS`). */
export const MAX_FLAT_ASYNC_PARAMS = 4 as const;
/**
 * The value-size limit for lists: a list's byte length (`length * elemSize`)
 * must not exceed this (`MAX_LIST_BYTE_LENGTH`, `CanonicalABI.md#loading`).
 * It keeps `2 * length` inside the `i32` range of `realloc`'s arguments.
 */
export const MAX_LIST_BYTE_LENGTH: number = (1 << 28) - 1;

/**
 * A type after {@link despecialize}: tuples became records with fields
 * "0", "1"...; enums, options and results became variants. `map` is kept: it
 * lays out like `list<tuple<K, V>>` but carries a `Map` value in JS.
 */
export type DespecializedType =
  | PrimValType
  | ListType
  | MapType
  | RecordType
  | VariantType
  | FlagsType
  | OwnType
  | BorrowType
  | StreamType
  | FutureType
  | ErrorContextType;

/** Everything layout-related about one type, computed once. */
interface LayoutInfo {
  readonly despecialized: DespecializedType;
  readonly alignment: number;
  readonly elemSize: number;
  readonly flat: readonly CoreValType[];
}

const cache = new WeakMap<ValType, LayoutInfo>();

/**
 * Replaces the specialized types by their general form
 * (`CanonicalABI.md#despecialization`): `tuple` -> `record` with labels
 * "0".."n-1", `enum` -> payload-less `variant`, `option<T>` ->
 * `variant { none, some(T) }`, `result<O, E>` -> `variant { ok(O?), error(E?) }`.
 * The result is cached, so the same type object always gives the same object.
 */
export function despecialize(ty: ValType): DespecializedType {
  return info(ty).despecialized;
}

/** Alignment in bytes of a value of type `ty` in memory (`alignment`). */
export function alignment(ty: ValType): number {
  return info(ty).alignment;
}

/** Size in bytes of a value of type `ty` as a list element or field (`elem_size`). */
export function elemSize(ty: ValType): number {
  return info(ty).elemSize;
}

/** The core value types `ty` flattens to (`flatten_type`). */
export function flattenType(ty: ValType): readonly CoreValType[] {
  return info(ty).flat;
}

/** The concatenated flattening of several types (`flatten_types`). */
export function flattenTypes(tys: readonly ValType[]): CoreValType[] {
  const out: CoreValType[] = [];
  for (const ty of tys) for (const c of info(ty).flat) out.push(c);
  return out;
}

/** Rounds `ptr` up to a multiple of `align` (a power of two) (`align_to`). */
export function alignTo(ptr: number, align: number): number {
  return Math.ceil(ptr / align) * align;
}

/**
 * The integer type of a variant's discriminant: the smallest of u8/u16/u32
 * that can number all cases (`discriminant_type`). Takes the cases or their count.
 */
export function discriminantType(cases: readonly Case[] | number): { readonly kind: 'u8' | 'u16' | 'u32' } {
  const n = typeof cases === 'number' ? cases : cases.length;
  if (!(n > 0 && n < 2 ** 32)) throw new InvalidTypeError(`a variant needs between 1 and 2^32-1 cases, got ${n}`);
  if (n <= 256) return T.u8;
  if (n <= 65536) return T.u16;
  return T.u32;
}

/** The largest alignment of any case payload, at least 1 (`max_case_alignment`). */
export function maxCaseAlignment(cases: readonly Case[]): number {
  let a = 1;
  for (const c of cases) if (c.type !== undefined) a = Math.max(a, alignment(c.type));
  return a;
}

/**
 * The smallest core type that can carry both `a` and `b` in one flat slot of
 * a variant (`join` in `CanonicalABI.md#flattening`).
 */
export function joinCoreTypes(a: CoreValType, b: CoreValType): CoreValType {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

/** Options that change a function's flattening: the `async` and `callback` canonical options. */
export interface FlattenFuncOptions {
  /** The `async` canonical option. */
  readonly async?: boolean;
  /** Whether a `callback` option is present (async lift only). */
  readonly callback?: unknown;
}

/** The core function type of a lifted or lowered component function. */
export interface CoreFuncType {
  readonly params: readonly CoreValType[];
  readonly results: readonly CoreValType[];
}

/**
 * The core signature of `canon lift` (`'lift'`) or `canon lower` (`'lower'`)
 * for `ft` (`flatten_functype`): params beyond {@link MAX_FLAT_PARAMS} (or
 * {@link MAX_FLAT_ASYNC_PARAMS} for an async lower) are passed as one
 * pointer; results beyond {@link MAX_FLAT_RESULTS} come back through a
 * pointer (returned by a lift, passed as an extra param to a lower).
 */
export function flattenFuncType(
  ft: FuncType,
  context: 'lift' | 'lower',
  opts: FlattenFuncOptions = {},
): CoreFuncType {
  let params = flattenTypes(ft.params.map((p) => p.type));
  let results = ft.result === undefined ? [] : [...flattenType(ft.result)];
  if (opts.async !== true) {
    if (params.length > MAX_FLAT_PARAMS) params = ['i32'];
    if (results.length > MAX_FLAT_RESULTS) {
      if (context === 'lift') results = ['i32'];
      else {
        params = [...params, 'i32'];
        results = [];
      }
    }
    return { params, results };
  }
  if (context === 'lift') {
    if (params.length > MAX_FLAT_PARAMS) params = ['i32'];
    results = opts.callback !== undefined && opts.callback !== null && opts.callback !== false ? ['i32'] : [];
  } else {
    if (params.length > MAX_FLAT_ASYNC_PARAMS) params = ['i32'];
    if (results.length > 0) params = [...params, 'i32'];
    results = ['i32'];
  }
  return { params, results };
}

/**
 * The flat slots of a variant: the discriminant's `i32` followed by, slot by
 * slot, the {@link joinCoreTypes join} of every case payload's flattening
 * (`flatten_variant`).
 */
export function flattenVariant(cases: readonly Case[]): CoreValType[] {
  const flat: CoreValType[] = [];
  for (const c of cases) {
    if (c.type === undefined) continue;
    const ft = flattenType(c.type);
    for (let i = 0; i < ft.length; i++) {
      flat[i] = i < flat.length ? joinCoreTypes(flat[i] as CoreValType, ft[i] as CoreValType) : (ft[i] as CoreValType);
    }
  }
  return ['i32', ...flat];
}

/** Number of bytes the discriminant of a variant with `n` cases takes. */
export function discriminantSize(n: number): number {
  return elemSize(discriminantType(n));
}

/** Offset of the payload of a variant from its start (discriminant size aligned to the payloads). */
export function variantPayloadOffset(cases: readonly Case[]): number {
  return alignTo(discriminantSize(cases.length), maxCaseAlignment(cases));
}

/** Byte offsets of the fields of a record in memory, in field order. */
export function recordFieldOffsets(fields: readonly Field[]): number[] {
  const out: number[] = [];
  let s = 0;
  for (const f of fields) {
    s = alignTo(s, alignment(f.type));
    out.push(s);
    s += elemSize(f.type);
  }
  return out;
}

const mapEntryTypes = new WeakMap<MapType, ValType>();

/**
 * The `tuple<K, V>` the entries of a `map<K, V>` lay out as (a map lowers
 * like `list<tuple<K, V>>`). Cached per map type so the compiled code of the
 * entry type is shared.
 */
export function mapEntryType(ty: MapType): ValType {
  let e = mapEntryTypes.get(ty);
  if (e === undefined) {
    e = T.tuple(ty.key, ty.value);
    mapEntryTypes.set(ty, e);
  }
  return e;
}

// ---------------------------------------------------------------------------

function info(ty: ValType): LayoutInfo {
  let i = cache.get(ty);
  if (i === undefined) {
    i = compute(ty);
    cache.set(ty, i);
  }
  return i;
}

function prim(alignmentAndSize: number, flat: CoreValType): (ty: PrimValType) => LayoutInfo {
  const f = [flat] as const;
  return (ty) => ({ despecialized: ty, alignment: alignmentAndSize, elemSize: alignmentAndSize, flat: f });
}

const PRIMS: Record<PrimValType['kind'], (ty: PrimValType) => LayoutInfo> = {
  bool: prim(1, 'i32'),
  s8: prim(1, 'i32'),
  u8: prim(1, 'i32'),
  s16: prim(2, 'i32'),
  u16: prim(2, 'i32'),
  s32: prim(4, 'i32'),
  u32: prim(4, 'i32'),
  s64: prim(8, 'i64'),
  u64: prim(8, 'i64'),
  f32: prim(4, 'f32'),
  f64: prim(8, 'f64'),
  char: prim(4, 'i32'),
  string: (ty) => ({ despecialized: ty, alignment: 4, elemSize: 8, flat: ['i32', 'i32'] }),
};

const HANDLE_FLAT: readonly CoreValType[] = ['i32'];

function compute(ty: ValType): LayoutInfo {
  switch (ty.kind) {
    case 'bool':
    case 's8':
    case 'u8':
    case 's16':
    case 'u16':
    case 's32':
    case 'u32':
    case 's64':
    case 'u64':
    case 'f32':
    case 'f64':
    case 'char':
    case 'string':
      return PRIMS[ty.kind](ty);
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
    case 'error-context':
      return { despecialized: ty, alignment: 4, elemSize: 4, flat: HANDLE_FLAT };
    case 'list': {
      if (ty.length === undefined) return { despecialized: ty, alignment: 4, elemSize: 8, flat: ['i32', 'i32'] };
      if (!Number.isInteger(ty.length) || ty.length <= 0 || ty.length >= 2 ** 32) {
        throw new InvalidTypeError(`a fixed-length list needs a length in 1..2^32-1, got ${ty.length}`);
      }
      const e = info(ty.elem);
      const flat: CoreValType[] = [];
      for (let i = 0; i < ty.length; i++) for (const c of e.flat) flat.push(c);
      return { despecialized: ty, alignment: e.alignment, elemSize: ty.length * e.elemSize, flat };
    }
    case 'map':
      // Validates the key and value types eagerly so a bad map type fails here.
      info(ty.key);
      info(ty.value);
      return { despecialized: ty, alignment: 4, elemSize: 8, flat: ['i32', 'i32'] };
    case 'record':
      return recordInfo(ty, ty);
    case 'tuple': {
      const rec: RecordType = { kind: 'record', fields: ty.types.map((type, i) => ({ label: String(i), type })) };
      return recordInfo(rec, ty);
    }
    case 'variant':
      return variantInfo(ty, ty);
    case 'enum':
      return variantInfo({ kind: 'variant', cases: ty.labels.map((label) => ({ label })) }, ty);
    case 'option':
      return variantInfo({ kind: 'variant', cases: [{ label: 'none' }, { label: 'some', type: ty.type }] }, ty);
    case 'result': {
      const ok: Case = ty.ok === undefined ? { label: 'ok' } : { label: 'ok', type: ty.ok };
      const error: Case = ty.err === undefined ? { label: 'error' } : { label: 'error', type: ty.err };
      return variantInfo({ kind: 'variant', cases: [ok, error] }, ty);
    }
    case 'flags': {
      const n = ty.labels.length;
      if (n === 0 || n > 32) throw new InvalidTypeError(`flags need 1 to 32 labels, got ${n}: ${typeToString(ty)}`);
      const size = n <= 8 ? 1 : n <= 16 ? 2 : 4;
      return { despecialized: ty, alignment: size, elemSize: size, flat: ['i32'] };
    }
    default: {
      const never: never = ty;
      throw new InvalidTypeError(`unknown value type kind ${JSON.stringify((never as { kind: unknown }).kind)}`);
    }
  }
}

function recordInfo(rec: RecordType, original: ValType): LayoutInfo {
  if (rec.fields.length === 0) throw new InvalidTypeError(`a ${original.kind} needs at least one field`);
  let s = 0;
  let a = 1;
  const flat: CoreValType[] = [];
  for (const f of rec.fields) {
    const fi = info(f.type);
    s = alignTo(s, fi.alignment);
    s += fi.elemSize;
    a = Math.max(a, fi.alignment);
    for (const c of fi.flat) flat.push(c);
  }
  return { despecialized: rec, alignment: a, elemSize: alignTo(s, a), flat };
}

function variantInfo(v: VariantType, original: ValType): LayoutInfo {
  if (v.cases.length === 0) throw new InvalidTypeError(`a ${original.kind} needs at least one case`);
  const disc = discriminantType(v.cases.length);
  const discSize = disc.kind === 'u8' ? 1 : disc.kind === 'u16' ? 2 : 4;
  const maxCaseAlign = maxCaseAlignment(v.cases);
  let maxCaseSize = 0;
  for (const c of v.cases) if (c.type !== undefined) maxCaseSize = Math.max(maxCaseSize, elemSize(c.type));
  const a = Math.max(discSize, maxCaseAlign);
  const size = alignTo(alignTo(discSize, maxCaseAlign) + maxCaseSize, a);
  return { despecialized: v, alignment: a, elemSize: size, flat: flattenVariant(v.cases) };
}
