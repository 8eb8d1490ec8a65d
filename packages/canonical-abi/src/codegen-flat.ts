/**
 * Generated code for flat lifting and lowering of compound types (see
 * `codegen.ts` for why code is generated and how it stays safe).
 *
 * Flattening is static, so the generated code reads flat value `k` of a
 * value as `V[b + k]` and writes with `out.push(...)` in order, with the
 * variant coercions of `CanonicalABI.md#flat-lifting` / `#flat-lowering`
 * (`CoerceValueIter`, the payload `join`) resolved at generation time: no
 * iterator objects or temporary arrays per variant level.
 *
 * @module
 */

import { caseCodec, type CaseCodec, type VariantLike } from './cases.js';
import type { LiftLowerContext } from './context.js';
import { badValue, rethrowAt, trap } from './errors.js';
import { handleLifter, handleLowerer } from './handles.js';
import {
  type CoreValType,
  despecialize,
  flattenType,
  flattenVariant,
  mapEntryType,
} from './layout.js';
import type { FlatIterator } from './lift.js';
import { loadListFromRange } from './load.js';
import { asArrayLike, mapEntries, storeListIntoRange } from './store.js';
import { loadStringFromRange, storeStringIntoRange } from './strings.js';
import type { RecordType, ValType, VariantType } from './types.js';
import { typeToString } from './types.js';
import {
  canonicalizeNaN,
  charToI32,
  checkS64,
  checkU64,
  decodeI32AsFloat,
  decodeI64AsFloat,
  encodeFloatAsI32,
  encodeFloatAsI64,
  flatI32,
  flatI64,
  i32ToChar,
  wrapI64ToI32,
} from './values.js';

/** Widest flattening generated inline; wider types (big fixed-length lists) use closures. */
const MAX_GEN_FLAT = 64;

/** True when flat code should be generated for `ty`. */
export function isFlatCompound(ty: ValType): boolean {
  switch (ty.kind) {
    case 'record':
    case 'tuple':
    case 'variant':
    case 'option':
    case 'result':
    case 'enum':
    case 'flags':
      return flattenType(ty).length <= MAX_GEN_FLAT && !hasProto(ty);
    default:
      return false;
  }
}

function hasProto(ty: ValType): boolean {
  switch (ty.kind) {
    case 'record':
      return ty.fields.some((f) => f.label === '__proto__' || hasProto(f.type));
    case 'flags':
      return ty.labels.includes('__proto__');
    case 'tuple':
      return ty.types.some(hasProto);
    case 'variant':
      return ty.cases.some((c) => c.type !== undefined && hasProto(c.type));
    case 'option':
      return hasProto(ty.type);
    case 'result':
      return (ty.ok !== undefined && hasProto(ty.ok)) || (ty.err !== undefined && hasProto(ty.err));
    case 'list':
      return hasProto(ty.elem);
    default:
      return false;
  }
}

class Gen {
  readonly consts: unknown[] = [];
  lines: string[] = [];
  #tmp = 0;

  k(value: unknown): string {
    let i = this.consts.indexOf(value);
    if (i < 0) {
      i = this.consts.length;
      this.consts.push(value);
    }
    return `K[${i}]`;
  }

  tmp(prefix: string): string {
    return `${prefix}${this.#tmp++}`;
  }

  emit(line: string): void {
    this.lines.push(line);
  }

  build<F>(params: string, body: string[]): F {
    const src = `"use strict";\nreturn function (${params}) {\n${body.join('\n')}\n};`;
    return (new Function('K', src) as (k: unknown[]) => F)(this.consts);
  }
}

const S = JSON.stringify;

function joinPath(path: string, seg: string): string {
  if (path === '') return seg;
  return seg.startsWith('[') ? path + seg : `${path}.${seg}`;
}

// --------------------------------------------------------------------------
// Lifting

/** Reads flat value `k` (relative to the value being lifted) as core type `want`. */
type Reader = (k: number, want: CoreValType) => string;

function coerceLift(g: Gen, x: string, have: CoreValType, want: CoreValType): string {
  if (have === want) return x;
  if (have === 'i32' && want === 'f32') return `${g.k(decodeI32AsFloat)}(${g.k(flatI32)}(${x}))`;
  if (have === 'i64' && want === 'i32') return `${g.k(wrapI64ToI32)}(${x})`;
  if (have === 'i64' && want === 'f32') return `${g.k(decodeI32AsFloat)}(${g.k(wrapI64ToI32)}(${x}))`;
  if (have === 'i64' && want === 'f64') return `${g.k(decodeI64AsFloat)}(${g.k(flatI64)}(${x}))`;
  throw new Error(`internal error: no coercion from ${have} to ${want}`);
}

/** A generated flat lifter `(cx, it) => value` for a compound type. */
export function genLiftFlat(ty: ValType): (cx: LiftLowerContext, it: FlatIterator) => unknown {
  const g = new Gen();
  const width = flattenType(ty).length;
  g.emit('const V = it.values;');
  g.emit('const b = it.i;');
  g.emit(`if (b + ${width} > V.length) throw new Error("internal error: " + ${width} + " flat values needed, " + (V.length - b) + " given");`);
  const read: Reader = (k) => `V[b + ${k}]`;
  const e = emitLift(g, ty, read, 0);
  g.emit(`it.i = b + ${width};`);
  g.emit(`return ${e};`);
  return g.build('cx, it', g.lines);
}

function i32(g: Gen, x: string): string {
  return `${g.k(flatI32)}(${x})`;
}

/** Emits the lift of `ty` whose flat values start at `at`; returns the value expression. */
function emitLift(g: Gen, ty: ValType, read: Reader, at: number): string {
  switch (ty.kind) {
    case 'bool':
      return `(${i32(g, read(at, 'i32'))} !== 0)`;
    case 'u8':
      return `(${i32(g, read(at, 'i32'))} & 255)`;
    case 's8':
      return `((${i32(g, read(at, 'i32'))} << 24) >> 24)`;
    case 'u16':
      return `(${i32(g, read(at, 'i32'))} & 65535)`;
    case 's16':
      return `((${i32(g, read(at, 'i32'))} << 16) >> 16)`;
    case 'u32':
      return `(${i32(g, read(at, 'i32'))} >>> 0)`;
    case 's32':
      return i32(g, read(at, 'i32'));
    case 'u64':
      return `BigInt.asUintN(64, ${g.k(flatI64)}(${read(at, 'i64')}))`;
    case 's64':
      return `BigInt.asIntN(64, ${g.k(flatI64)}(${read(at, 'i64')}))`;
    case 'f32':
      return `${g.k(canonicalizeNaN)}(${read(at, 'f32')})`;
    case 'f64':
      return `${g.k(canonicalizeNaN)}(${read(at, 'f64')})`;
    case 'char':
      return `${g.k(i32ToChar)}(${i32(g, read(at, 'i32'))})`;
    case 'string':
      return `${g.k(loadStringFromRange)}(cx, ${i32(g, read(at, 'i32'))} >>> 0, ${i32(g, read(at + 1, 'i32'))} >>> 0)`;
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
    case 'error-context':
      return `${g.k(handleLifter(ty))}(cx, ${i32(g, read(at, 'i32'))} >>> 0)`;
    case 'map':
      return `cx.liftMap(${g.k(loadListFromRange)}(cx, ${i32(g, read(at, 'i32'))} >>> 0, ${i32(g, read(at + 1, 'i32'))} >>> 0, ${g.k(mapEntryType(ty))}))`;
    case 'list': {
      if (ty.length === undefined) {
        return `${g.k(loadListFromRange)}(cx, ${i32(g, read(at, 'i32'))} >>> 0, ${i32(g, read(at + 1, 'i32'))} >>> 0, ${g.k(ty.elem)})`;
      }
      const w = flattenType(ty.elem).length;
      const items: string[] = [];
      for (let i = 0; i < ty.length; i++) {
        const x = g.tmp('e');
        g.emit(`const ${x} = ${emitLift(g, ty.elem, read, at + i * w)};`);
        items.push(x);
      }
      const typed = TYPED[ty.elem.kind];
      return typed === undefined ? `[${items.join(', ')}]` : `${typed}.from([${items.join(', ')}])`;
    }
    case 'record':
    case 'tuple': {
      const rec = despecialize(ty) as RecordType;
      let k = at;
      const parts = rec.fields.map((f) => {
        const x = g.tmp('v');
        g.emit(`const ${x} = ${emitLift(g, f.type, read, k)};`);
        k += flattenType(f.type).length;
        return ty.kind === 'tuple' ? x : `${S(f.label)}: ${x}`;
      });
      return ty.kind === 'tuple' ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
    }
    case 'flags': {
      const x = g.tmp('f');
      g.emit(`const ${x} = ${i32(g, read(at, 'i32'))};`);
      return `{ ${ty.labels.map((l, b) => `${S(l)}: ((${x} >>> ${b}) & 1) === 1`).join(', ')} }`;
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      return emitLiftVariant(g, ty, read, at);
  }
}

const TYPED: Partial<Record<ValType['kind'], string>> = {
  u8: 'Uint8Array',
  s8: 'Int8Array',
  u16: 'Uint16Array',
  s16: 'Int16Array',
  u32: 'Uint32Array',
  s32: 'Int32Array',
  u64: 'BigUint64Array',
  s64: 'BigInt64Array',
  f32: 'Float32Array',
  f64: 'Float64Array',
};

function trapDisc(d: number, n: number): never {
  return trap(`invalid variant discriminant: discriminant ${d} is out of range, the type has ${n} cases`);
}

function emitLiftVariant(g: Gen, ty: VariantLike, read: Reader, at: number): string {
  const cases = (despecialize(ty) as VariantType).cases;
  const n = cases.length;
  const slots = flattenVariant(cases).slice(1);
  const d = g.tmp('d');
  const r = g.tmp('r');
  g.emit(`const ${d} = ${i32(g, read(at, 'i32'))} >>> 0;`);
  g.emit(`if (${d} >= ${n}) ${g.k(trapDisc)}(${d}, ${n});`);
  g.emit(`let ${r};`);
  if (ty.kind === 'enum') {
    g.emit(`${r} = ${g.k(ty.labels)}[${d}];`);
    return r;
  }
  // Payload value j sits in slot j (joined type slots[j]); read it as that
  // type from the parent, then coerce to what the case's own type wants.
  const payloadRead: Reader = (k, want) => {
    const slot = slots[k - (at + 1)] as CoreValType;
    return coerceLift(g, read(k, slot), slot, want);
  };
  g.emit(`switch (${d}) {`);
  cases.forEach((c, i) => {
    g.emit(`case ${i}: {`);
    const val = c.type === undefined ? undefined : emitLift(g, c.type, payloadRead, at + 1);
    g.emit(`${r} = ${make(ty, i, c.label, val)};`);
    g.emit('break; }');
  });
  g.emit('}');
  return r;
}

function make(ty: VariantLike, i: number, label: string, val: string | undefined): string {
  switch (ty.kind) {
    case 'option':
      if (i === 0) return 'undefined';
      return ty.type.kind === 'option' ? `{ tag: "some", val: ${val as string} }` : (val as string);
    case 'result': {
      const tag = i === 0 ? '"ok"' : '"err"';
      return val === undefined ? `{ tag: ${tag} }` : `{ tag: ${tag}, val: ${val} }`;
    }
    default:
      return val === undefined ? `{ tag: ${S(label)} }` : `{ tag: ${S(label)}, val: ${val} }`;
  }
}

// --------------------------------------------------------------------------
// Lowering

/**
 * Writes flat value `pos` (relative to the start of the value being lowered,
 * of core type `have`). Every code path writes its positions in increasing
 * order, so the top-level writer can simply push.
 */
type Writer = (pos: number, expr: string, have: CoreValType) => void;

function coerceLower(g: Gen, x: string, have: CoreValType, want: CoreValType): string {
  if (have === want) return x;
  if (have === 'f32' && want === 'i32') return `${g.k(encodeFloatAsI32)}(${x})`;
  if (have === 'i32' && want === 'i64') return `BigInt(${g.k(flatI32)}(${x}) >>> 0)`;
  if (have === 'f32' && want === 'i64') return `BigInt(${g.k(encodeFloatAsI32)}(${x}) >>> 0)`;
  if (have === 'f64' && want === 'i64') return `${g.k(encodeFloatAsI64)}(${x})`;
  throw new Error(`internal error: no coercion from ${have} to ${want}`);
}

/** A generated flat lowerer `(cx, v, out) => void` for a compound type. */
export function genLowerFlat(ty: ValType): (cx: LiftLowerContext, v: unknown, out: unknown[]) => void {
  const g = new Gen();
  const write: Writer = (_pos, expr) => g.emit(`out.push(${expr});`);
  emitLower(g, ty, 'v', write, 0, '');
  return g.build('cx, v, out', g.lines);
}

function check(g: Gen, cond: string, expected: string, v: string, path: string): void {
  g.emit(`if (${cond}) ${g.k(badValue)}(${g.k(expected)}, ${v}, ${S(path)});`);
}

/** `const x = f(args)` with a HostValueError from `f` re-thrown at `path`. */
function callAt(g: Gen, x: string, call: string, path: string): void {
  if (path === '') g.emit(`const ${x} = ${call};`);
  else {
    g.emit(`let ${x};`);
    g.emit(`try { ${x} = ${call}; } catch (e) { ${g.k(rethrowAt)}(e, ${S(path)}); }`);
  }
}

const INT: Partial<Record<ValType['kind'], [string, string]>> = {
  u8: ['(V & 255) !== V', 'u8 (an integer in 0..255)'],
  s8: ['((V << 24) >> 24) !== V', 's8 (an integer in -128..127)'],
  u16: ['(V & 65535) !== V', 'u16 (an integer in 0..65535)'],
  s16: ['((V << 16) >> 16) !== V', 's16 (an integer in -32768..32767)'],
  u32: ['(V >>> 0) !== V', 'u32 (an integer in 0..4294967295)'],
  s32: ['(V | 0) !== V', 's32 (an integer in -2147483648..2147483647)'],
};

function emitLower(g: Gen, ty: ValType, v: string, write: Writer, at: number, path: string): void {
  const ic = INT[ty.kind];
  if (ic !== undefined) {
    check(g, `typeof ${v} !== "number" || ${ic[0].replaceAll('V', v)}`, ic[1], v, path);
    write(at, v, 'i32');
    return;
  }
  switch (ty.kind) {
    case 'bool':
      check(g, `typeof ${v} !== "boolean"`, 'bool (true or false)', v, path);
      write(at, `(${v} ? 1 : 0)`, 'i32');
      return;
    case 'u64':
    case 's64': {
      const x = g.tmp('x');
      const fits = ty.kind === 'u64' ? `BigInt.asUintN(64, ${v}) === ${v}` : `BigInt.asIntN(64, ${v}) === ${v}`;
      g.emit(`let ${x} = ${v};`);
      g.emit(`if (typeof ${v} !== "bigint" || !(${fits})) {`);
      callAt(g, `${x}_`, `${g.k(ty.kind === 'u64' ? checkU64 : checkS64)}(${v})`, path);
      g.emit(`${x} = ${x}_; }`);
      write(at, x, 'i64');
      return;
    }
    case 'f32':
      check(g, `typeof ${v} !== "number"`, 'f32 (a number)', v, path);
      write(at, `Math.fround(${v})`, 'f32');
      return;
    case 'f64':
      check(g, `typeof ${v} !== "number"`, 'f64 (a number)', v, path);
      write(at, v, 'f64');
      return;
    case 'char': {
      const x = g.tmp('c');
      callAt(g, x, `${g.k(charToI32)}(${v})`, path);
      write(at, x, 'i32');
      return;
    }
    case 'string': {
      const x = g.tmp('s');
      callAt(g, x, `${g.k(storeStringIntoRange)}(cx, ${v})`, path);
      write(at, `${x}[0]`, 'i32');
      write(at + 1, `${x}[1]`, 'i32');
      return;
    }
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
    case 'error-context': {
      const x = g.tmp('h');
      callAt(g, x, `${g.k(handleLowerer(ty))}(cx, ${v})`, path);
      write(at, x, 'i32');
      return;
    }
    case 'map': {
      const x = g.tmp('l');
      callAt(g, x, `${g.k(storeListIntoRange)}(cx, ${g.k(mapEntries)}(${v}, ${g.k(ty)}), ${g.k(mapEntryType(ty))})`, path);
      write(at, `${x}[0]`, 'i32');
      write(at + 1, `${x}[1]`, 'i32');
      return;
    }
    case 'list': {
      if (ty.length === undefined) {
        const x = g.tmp('l');
        callAt(g, x, `${g.k(storeListIntoRange)}(cx, ${g.k(asArrayLike)}(${v}, ${g.k(ty)}), ${g.k(ty.elem)})`, path);
        write(at, `${x}[0]`, 'i32');
        write(at + 1, `${x}[1]`, 'i32');
        return;
      }
      const a = g.tmp('a');
      callAt(g, a, `${g.k(asArrayLike)}(${v}, ${g.k(ty)})`, path);
      check(g, `${a}.length !== ${ty.length}`, `${typeToString(ty)} (exactly ${ty.length} elements)`, v, path);
      const w = flattenType(ty.elem).length;
      for (let i = 0; i < ty.length; i++) {
        const e = g.tmp('e');
        g.emit(`const ${e} = ${a}[${i}];`);
        emitLower(g, ty.elem, e, write, at + i * w, joinPath(path, `[${i}]`));
      }
      return;
    }
    case 'record':
    case 'tuple': {
      const rec = despecialize(ty) as RecordType;
      if (ty.kind === 'tuple') {
        const n = rec.fields.length;
        check(g, `!Array.isArray(${v}) || ${v}.length !== ${n}`, `${typeToString(ty)} (an array of ${n} elements)`, v, path);
      } else {
        check(g, `typeof ${v} !== "object" || ${v} === null`, `${typeToString(ty)} (an object)`, v, path);
      }
      let k = at;
      rec.fields.forEach((f, i) => {
        const fv = g.tmp('v');
        g.emit(`const ${fv} = ${ty.kind === 'tuple' ? `${v}[${i}]` : `${v}[${S(f.label)}]`};`);
        emitLower(g, f.type, fv, write, k, joinPath(path, ty.kind === 'tuple' ? `[${i}]` : f.label));
        k += flattenType(f.type).length;
      });
      return;
    }
    case 'flags': {
      check(g, `typeof ${v} !== "object" || ${v} === null`, `${typeToString(ty)} (an object of booleans keyed by label)`, v, path);
      write(at, `(${ty.labels.map((l, b) => `(${v}[${S(l)}] ? ${1 << b} : 0)`).join(' | ')})`, 'i32');
      return;
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      emitLowerVariant(g, ty, v, write, at, path);
  }
}

function indexOf(codec: CaseCodec, v: unknown, path: string): number {
  try {
    return codec.indexOf(v);
  } catch (e) {
    return rethrowAt(e, path);
  }
}

function zero(t: CoreValType): string {
  return t === 'i64' ? '0n' : '0';
}

function emitLowerVariant(g: Gen, ty: VariantLike, v: string, write: Writer, at: number, path: string): void {
  const cases = (despecialize(ty) as VariantType).cases;
  const slots = flattenVariant(cases).slice(1);
  const seg = ty.kind === 'option' ? 'some' : 'val';
  // Payload value at position p sits in slot p - (at + 1), of the joined type.
  const payloadWrite: Writer = (pos, expr, have) => {
    const slot = slots[pos - (at + 1)] as CoreValType;
    write(pos, coerceLower(g, expr, have, slot), slot);
  };
  // Each branch writes the discriminant, the coerced payload and zero padding.
  const branch = (index: string, c: { type?: ValType }, payload: string | undefined) => {
    write(at, index, 'i32');
    let j = 0;
    if (c.type !== undefined) {
      emitLower(g, c.type, payload as string, payloadWrite, at + 1, joinPath(path, seg));
      j = flattenType(c.type).length;
    }
    for (; j < slots.length; j++) write(at + 1 + j, zero(slots[j] as CoreValType), slots[j] as CoreValType);
  };
  if (ty.kind === 'option' && ty.type.kind !== 'option') {
    g.emit(`if (${v} === undefined || ${v} === null) {`);
    branch('0', {}, undefined);
    g.emit('} else {');
    branch('1', { type: ty.type }, v);
    g.emit('}');
    return;
  }
  const codec = caseCodec(ty);
  const i = g.tmp('i');
  g.emit(
    path === ''
      ? `const ${i} = ${g.k(codec)}.indexOf(${v});`
      : `const ${i} = ${g.k(indexOf)}(${g.k(codec)}, ${v}, ${S(path)});`,
  );
  g.emit(`switch (${i}) {`);
  cases.forEach((c, ci) => {
    g.emit(`case ${ci}: {`);
    let payload: string | undefined;
    if (c.type !== undefined) {
      payload = g.tmp('v');
      g.emit(`const ${payload} = ${v}.val;`);
    }
    branch(String(ci), c, payload);
    g.emit('break; }');
  });
  g.emit('}');
}
