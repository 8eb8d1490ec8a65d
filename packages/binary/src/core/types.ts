/**
 * Core value types, reference types and heap types
 * (core spec `valtype`, `reftype`, `heaptype`, with GC, function-references,
 * exception-handling, stack-switching and shared-everything-threads additions).
 *
 * Shared by the core module codec, the instruction codec and the component
 * codec (component `core:type` definitions embed core types).
 *
 * @module
 */
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { EncodeError } from '../errors.js';
import { hex } from '../reader.js';

/** Number and vector types, by their text-format names. */
export type NumType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

/** Abstract heap types (text-format names) and their binary codes. */
export const AbstractHeapTypeCode = {
  nocont: 0x75,
  noexn: 0x74,
  nofunc: 0x73,
  noextern: 0x72,
  none: 0x71,
  func: 0x70,
  extern: 0x6f,
  any: 0x6e,
  eq: 0x6d,
  i31: 0x6c,
  struct: 0x6b,
  array: 0x6a,
  exn: 0x69,
  cont: 0x68,
} as const;
/** Name of an abstract heap type. */
export type AbstractHeapTypeName = keyof typeof AbstractHeapTypeCode;

const abstractByCode: ReadonlyMap<number, AbstractHeapTypeName> = new Map(
  Object.entries(AbstractHeapTypeCode).map(([k, v]) => [v, k as AbstractHeapTypeName]),
);

/** A heap type: abstract (optionally `shared`) or a type index. */
export type HeapType =
  | { readonly kind: 'abstract'; readonly name: AbstractHeapTypeName; readonly shared: boolean }
  | { readonly kind: 'index'; readonly index: number };

/**
 * A reference type. `short` records that the input used the abbreviation
 * (`0x70` for `funcref`, i.e. `(ref null func)`, or `0x65 0x70` for
 * `(ref null (shared func))`), so the encoder writes the same bytes; it is
 * only meaningful for nullable abstract heap types.
 */
export interface RefType {
  readonly kind: 'ref';
  readonly nullable: boolean;
  readonly heap: HeapType;
  readonly short?: boolean;
}

/** A core value type. */
export type ValType = NumType | RefType;

/** Binary codes of the number and vector types. */
export const NumTypeCode = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/** Prefix byte of a non-nullable reference type. */
export const REF = 0x64;
/** Prefix byte of a nullable reference type. */
export const REF_NULL = 0x63;
/** Prefix byte of a `shared` abstract heap type. */
export const SHARED = 0x65;

/** True if `b` can start a value type (used to tell value types from other constructs). */
export function isValTypeByte(b: number): boolean {
  return (b >= 0x7b && b <= 0x7f) || b === REF || b === REF_NULL || b === SHARED || abstractByCode.has(b);
}

/** Read a heap type (`s33` index or abstract code, optionally `shared`). */
export function readHeapType(r: Reader): HeapType {
  const at = r.pos;
  const b = r.peek();
  if (b === SHARED) {
    r.pos++;
    const code = r.u8('abstract heap type');
    const name = abstractByCode.get(code);
    if (name === undefined) r.fail('abstract heap type after 0x65 (shared)', hex(code), at + 1);
    return { kind: 'abstract', name, shared: true };
  }
  const name = b === -1 ? undefined : abstractByCode.get(b);
  if (name !== undefined) {
    r.pos++;
    return { kind: 'abstract', name, shared: false };
  }
  const index = r.s33('heap type');
  if (index < 0) r.fail('heap type (abstract code or type index)', hex(b), at);
  return { kind: 'index', index };
}

/** Read a reference type (`0x64 ht`, `0x63 ht`, or an abbreviation). */
export function readRefType(r: Reader): RefType {
  const at = r.pos;
  const b = r.u8('reference type');
  if (b === REF || b === REF_NULL) return { kind: 'ref', nullable: b === REF_NULL, heap: readHeapType(r) };
  if (b === SHARED) {
    // `0x65 ht` abbreviates `(ref null (shared ht))` (shared-everything-threads).
    const code = r.u8('abstract heap type');
    const shared = abstractByCode.get(code);
    if (shared === undefined) r.fail('abstract heap type after 0x65 (shared)', hex(code), at + 1);
    return { kind: 'ref', nullable: true, heap: { kind: 'abstract', name: shared, shared: true }, short: true };
  }
  const name = abstractByCode.get(b);
  if (name === undefined) r.fail('reference type', hex(b), at);
  return { kind: 'ref', nullable: true, heap: { kind: 'abstract', name, shared: false }, short: true };
}

/** Read a value type. */
export function readValType(r: Reader): ValType {
  const at = r.pos;
  const b = r.peek();
  switch (b) {
    case 0x7f:
      r.pos++;
      return 'i32';
    case 0x7e:
      r.pos++;
      return 'i64';
    case 0x7d:
      r.pos++;
      return 'f32';
    case 0x7c:
      r.pos++;
      return 'f64';
    case 0x7b:
      r.pos++;
      return 'v128';
    case -1:
      return r.failEnd('value type');
    default:
      if (b === REF || b === REF_NULL || b === SHARED || abstractByCode.has(b)) return readRefType(r);
      return r.fail('value type', hex(b), at);
  }
}

/** Write a heap type. */
export function writeHeapType(w: Writer, h: HeapType): void {
  if (h.kind === 'index') {
    w.s33(h.index);
    return;
  }
  const code = AbstractHeapTypeCode[h.name];
  if (code === undefined) throw new EncodeError(`unknown abstract heap type ${String(h.name)}`);
  if (h.shared) w.u8(SHARED);
  w.u8(code);
}

/** Write a reference type, using the abbreviation when the node says the input did. */
export function writeRefType(w: Writer, t: RefType): void {
  if (t.short === true && t.nullable && t.heap.kind === 'abstract') {
    if (t.heap.shared) w.u8(SHARED);
    w.u8(AbstractHeapTypeCode[t.heap.name]);
    return;
  }
  w.u8(t.nullable ? REF_NULL : REF);
  writeHeapType(w, t.heap);
}

/** Write a value type. */
export function writeValType(w: Writer, t: ValType): void {
  if (typeof t === 'string') {
    const code = NumTypeCode[t];
    if (code === undefined) throw new EncodeError(`unknown value type ${String(t)}`);
    w.u8(code);
  } else {
    writeRefType(w, t);
  }
}
