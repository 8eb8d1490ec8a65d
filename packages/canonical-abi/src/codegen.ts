/**
 * Generated code for the hot memory paths: loading and storing records,
 * tuples, variants, options, results, enums and flags, and the loops over
 * lists of them.
 *
 * Why: closures built from the same source share their inline caches, so
 * once a program uses more than a few record types every field access in the
 * shared closure code goes megamorphic (about 10x slower for a
 * `list<record>`). A function generated per type has its own monomorphic
 * caches, like the code jco emits, while still being built from the type at
 * run time. Everything non-trivial (strings, lists, maps, handles, chars,
 * 64-bit checks) is delegated to the closures of `load.ts`/`store.ts`, passed
 * in as constants, so the generated code only contains field accesses,
 * `DataView` calls and checks.
 *
 * Safety: the only strings interpolated into the code are `JSON.stringify`d
 * labels and numbers computed from the type; values are passed as
 * parameters. Where `new Function` is forbidden (a strict Content Security
 * Policy) {@link CODEGEN_AVAILABLE} is false and the closures are used.
 *
 * @module
 */

import { caseCodec, type CaseCodec, type VariantLike } from './cases.js';
import { badValue, rethrowAt, trap } from './errors.js';
import type { LiftLowerContext } from './context.js';
import { despecialize, discriminantSize, recordFieldOffsets, variantPayloadOffset } from './layout.js';
import type { RecordType, ValType, VariantType } from './types.js';
import { typeToString } from './types.js';
import { canonicalizeNaN, i32ToChar } from './values.js';

/** True when this engine allows `new Function` (false under a strict CSP). */
export const CODEGEN_AVAILABLE: boolean = (() => {
  try {
    return (new Function('return 1') as () => number)() === 1;
  } catch {
    return false;
  }
})();

let enabled = CODEGEN_AVAILABLE;

/**
 * Turns code generation off (or back on when available) for types compiled
 * from now on. Types already compiled keep their code. For tests and for
 * hosts that want to avoid `new Function` even where it is allowed.
 */
export function setCodegen(on: boolean): void {
  enabled = on && CODEGEN_AVAILABLE;
}

/** Whether code generation is used for types compiled from now on. */
export function codegenEnabled(): boolean {
  return enabled;
}

/** True when `ty` is worth generating code for (a compound with fields or cases). */
export function isCompound(ty: ValType): boolean {
  switch (ty.kind) {
    case 'record':
    case 'tuple':
    case 'variant':
    case 'option':
    case 'result':
    case 'enum':
    case 'flags':
      return !hasProtoLabel(ty);
    default:
      return false;
  }
}

function hasProtoLabel(ty: ValType): boolean {
  switch (ty.kind) {
    case 'record':
      return ty.fields.some((f) => f.label === '__proto__' || hasProtoLabel(f.type));
    case 'flags':
      return ty.labels.includes('__proto__');
    case 'tuple':
      return ty.types.some(hasProtoLabel);
    case 'variant':
      return ty.cases.some((c) => c.type !== undefined && hasProtoLabel(c.type));
    case 'option':
      return hasProtoLabel(ty.type);
    case 'result':
      return (ty.ok !== undefined && hasProtoLabel(ty.ok)) || (ty.err !== undefined && hasProtoLabel(ty.err));
    default:
      return false;
  }
}

/** Accumulates generated source lines and the constants they refer to. */
class Gen {
  readonly consts: unknown[] = [];
  lines: string[] = [];
  #tmp = 0;

  /** A reference to `value` from the generated code. */
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

  /** Runs `f` collecting its lines separately; returns them. */
  block(f: () => void): string[] {
    const saved = this.lines;
    this.lines = [];
    f();
    const out = this.lines;
    this.lines = saved;
    return out;
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
// Loading

/** A generated loader for a compound type; `inner` gives the closure loader of any other type. */
export function genLoad(
  ty: ValType,
  inner: (t: ValType) => (cx: LiftLowerContext, ptr: number) => unknown,
): (cx: LiftLowerContext, ptr: number) => unknown {
  const g = new Gen();
  const body = g.block(() => {
    g.emit('const dv = cx.view();');
    const e = emitLoad(g, ty, 'ptr', inner);
    g.emit(`return ${e};`);
  });
  return g.build('cx, ptr', body);
}

function emitLoad(g: Gen, ty: ValType, p: string, inner: (t: ValType) => unknown): string {
  switch (ty.kind) {
    case 'bool':
      return `(dv.getUint8(${p}) !== 0)`;
    case 'u8':
      return `dv.getUint8(${p})`;
    case 's8':
      return `dv.getInt8(${p})`;
    case 'u16':
      return `dv.getUint16(${p}, true)`;
    case 's16':
      return `dv.getInt16(${p}, true)`;
    case 'u32':
      return `dv.getUint32(${p}, true)`;
    case 's32':
      return `dv.getInt32(${p}, true)`;
    case 'u64':
      return `dv.getBigUint64(${p}, true)`;
    case 's64':
      return `dv.getBigInt64(${p}, true)`;
    case 'f32':
      return `${g.k(canonicalizeNaN)}(dv.getFloat32(${p}, true))`;
    case 'f64':
      return `${g.k(canonicalizeNaN)}(dv.getFloat64(${p}, true))`;
    case 'char':
      return `${g.k(i32ToChar)}(dv.getUint32(${p}, true))`;
    case 'record':
    case 'tuple': {
      const rec = despecialize(ty) as RecordType;
      const offs = recordFieldOffsets(rec.fields);
      const parts = rec.fields.map((f, i) => {
        const q = g.tmp('p');
        g.emit(`const ${q} = ${p} + ${offs[i] as number};`);
        const v = g.tmp('v');
        g.emit(`const ${v} = ${emitLoad(g, f.type, q, inner)};`);
        return ty.kind === 'tuple' ? v : `${S(f.label)}: ${v}`;
      });
      return ty.kind === 'tuple' ? `[${parts.join(', ')}]` : `{ ${parts.join(', ')} }`;
    }
    case 'flags': {
      const n = ty.labels.length;
      const x = g.tmp('f');
      const read = n <= 8 ? `dv.getUint8(${p})` : n <= 16 ? `dv.getUint16(${p}, true)` : `dv.getUint32(${p}, true)`;
      g.emit(`const ${x} = ${read};`);
      return `{ ${ty.labels.map((l, b) => `${S(l)}: ((${x} >>> ${b}) & 1) === 1`).join(', ')} }`;
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      return emitLoadVariant(g, ty, p, inner);
    default:
      return `${g.k(inner(ty))}(cx, ${p})`;
  }
}

function emitLoadVariant(g: Gen, ty: VariantLike, p: string, inner: (t: ValType) => unknown): string {
  const cases = (despecialize(ty) as VariantType).cases;
  const n = cases.length;
  const discSize = discriminantSize(n);
  const d = g.tmp('d');
  const r = g.tmp('r');
  const read = discSize === 1 ? `dv.getUint8(${p})` : discSize === 2 ? `dv.getUint16(${p}, true)` : `dv.getUint32(${p}, true)`;
  g.emit(`const ${d} = ${read};`);
  g.emit(`let ${r};`);
  if (ty.kind === 'enum') {
    g.emit(`if (${d} >= ${n}) ${g.k(trapDisc)}(${d}, ${n});`);
    g.emit(`${r} = ${g.k(ty.labels)}[${d}];`);
    return r;
  }
  const payload = g.tmp('q');
  g.emit(`const ${payload} = ${p} + ${variantPayloadOffset(cases)};`);
  g.emit(`switch (${d}) {`);
  cases.forEach((c, i) => {
    g.emit(`case ${i}: {`);
    let val: string | undefined;
    if (c.type !== undefined) {
      const lines = g.block(() => {
        val = emitLoad(g, c.type as ValType, payload, inner);
      });
      for (const l of lines) g.emit(l);
    }
    g.emit(`${r} = ${make(ty, i, c.label, val)};`);
    g.emit('break; }');
  });
  g.emit(`default: ${g.k(trapDisc)}(${d}, ${n});`);
  g.emit('}');
  return r;
}

/** The JS value of case `i` of a variant-like (see `cases.ts`), as an expression. */
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

function trapDisc(d: number, n: number): never {
  return trap(`invalid variant discriminant: discriminant ${d} is out of range, the type has ${n} cases`);
}

// --------------------------------------------------------------------------
// Storing

/** A generated storer for a compound type; `inner` gives the closure storer of any other type. */
export function genStore(
  ty: ValType,
  inner: (t: ValType) => (cx: LiftLowerContext, v: unknown, ptr: number) => void,
): (cx: LiftLowerContext, v: unknown, ptr: number) => void {
  const g = new Gen();
  const body = g.block(() => {
    g.emit('let dv = cx.view();');
    emitStore(g, ty, 'v', 'ptr', '', inner);
  });
  return g.build('cx, v, ptr', body);
}

function callInner(g: Gen, ty: ValType, v: string, p: string, path: string, inner: (t: ValType) => unknown): void {
  const f = g.k(inner(ty));
  if (path === '') g.emit(`${f}(cx, ${v}, ${p});`);
  else g.emit(`try { ${f}(cx, ${v}, ${p}); } catch (e) { ${g.k(rethrowAt)}(e, ${S(path)}); }`);
  // The callee may have called realloc, which may have grown memory.
  g.emit('dv = cx.view();');
}

function check(g: Gen, cond: string, expected: string, v: string, path: string): void {
  g.emit(`if (${cond}) ${g.k(badValue)}(${g.k(expected)}, ${v}, ${S(path)});`);
}

const INT_CHECKS: Partial<Record<ValType['kind'], [string, string]>> = {
  u8: ['(V & 255) !== V', 'u8 (an integer in 0..255)'],
  s8: ['((V << 24) >> 24) !== V', 's8 (an integer in -128..127)'],
  u16: ['(V & 65535) !== V', 'u16 (an integer in 0..65535)'],
  s16: ['((V << 16) >> 16) !== V', 's16 (an integer in -32768..32767)'],
  u32: ['(V >>> 0) !== V', 'u32 (an integer in 0..4294967295)'],
  s32: ['(V | 0) !== V', 's32 (an integer in -2147483648..2147483647)'],
};
const INT_SETTERS: Partial<Record<ValType['kind'], string>> = {
  u8: 'setUint8(P, V)',
  s8: 'setInt8(P, V)',
  u16: 'setUint16(P, V, true)',
  s16: 'setInt16(P, V, true)',
  u32: 'setUint32(P, V, true)',
  s32: 'setInt32(P, V, true)',
};

function emitStore(g: Gen, ty: ValType, v: string, p: string, path: string, inner: (t: ValType) => unknown): void {
  const ic = INT_CHECKS[ty.kind];
  if (ic !== undefined) {
    check(g, `typeof ${v} !== "number" || ${ic[0].replaceAll('V', v)}`, ic[1], v, path);
    g.emit(`dv.${(INT_SETTERS[ty.kind] as string).replace('P', p).replace('V', v)};`);
    return;
  }
  switch (ty.kind) {
    case 'bool':
      check(g, `typeof ${v} !== "boolean"`, 'bool (true or false)', v, path);
      g.emit(`dv.setUint8(${p}, ${v} ? 1 : 0);`);
      return;
    case 'f32':
      check(g, `typeof ${v} !== "number"`, 'f32 (a number)', v, path);
      g.emit(`if (${v} !== ${v}) dv.setUint32(${p}, 0x7fc00000, true); else dv.setFloat32(${p}, ${v}, true);`);
      return;
    case 'f64':
      check(g, `typeof ${v} !== "number"`, 'f64 (a number)', v, path);
      g.emit(`if (${v} !== ${v}) { dv.setUint32(${p}, 0, true); dv.setUint32(${p} + 4, 0x7ff80000, true); } else dv.setFloat64(${p}, ${v}, true);`);
      return;
    case 'record':
    case 'tuple': {
      const rec = despecialize(ty) as RecordType;
      const offs = recordFieldOffsets(rec.fields);
      if (ty.kind === 'tuple') {
        const n = rec.fields.length;
        check(g, `!Array.isArray(${v}) || ${v}.length !== ${n}`, `${typeToString(ty)} (an array of ${n} elements)`, v, path);
      } else {
        check(g, `typeof ${v} !== "object" || ${v} === null`, `${typeToString(ty)} (an object)`, v, path);
      }
      rec.fields.forEach((f, i) => {
        const fv = g.tmp('v');
        const fp = g.tmp('p');
        const access = ty.kind === 'tuple' ? `${v}[${i}]` : `${v}[${S(f.label)}]`;
        g.emit(`const ${fv} = ${access};`);
        g.emit(`const ${fp} = ${p} + ${offs[i] as number};`);
        emitStore(g, f.type, fv, fp, joinPath(path, ty.kind === 'tuple' ? `[${i}]` : f.label), inner);
      });
      return;
    }
    case 'flags': {
      const n = ty.labels.length;
      check(g, `typeof ${v} !== "object" || ${v} === null`, `${typeToString(ty)} (an object of booleans keyed by label)`, v, path);
      const x = g.tmp('f');
      const bits = ty.labels.map((l, b) => `(${v}[${S(l)}] ? ${b === 31 ? '-2147483648' : 1 << b} : 0)`);
      g.emit(`const ${x} = ${bits.join(' | ')};`);
      if (n <= 8) g.emit(`dv.setUint8(${p}, ${x});`);
      else if (n <= 16) g.emit(`dv.setUint16(${p}, ${x}, true);`);
      else g.emit(`dv.setUint32(${p}, ${x} >>> 0, true);`);
      return;
    }
    case 'variant':
    case 'enum':
    case 'option':
    case 'result':
      emitStoreVariant(g, ty, v, p, path, inner);
      return;
    default:
      callInner(g, ty, v, p, path, inner);
  }
}

function indexOf(codec: CaseCodec, v: unknown, path: string): number {
  try {
    return codec.indexOf(v);
  } catch (e) {
    return rethrowAt(e, path);
  }
}

function emitStoreVariant(g: Gen, ty: VariantLike, v: string, p: string, path: string, inner: (t: ValType) => unknown): void {
  const cases = (despecialize(ty) as VariantType).cases;
  const discSize = discriminantSize(cases.length);
  const setDisc = (x: string) =>
    discSize === 1 ? `dv.setUint8(${p}, ${x});` : discSize === 2 ? `dv.setUint16(${p}, ${x}, true);` : `dv.setUint32(${p}, ${x}, true);`;
  const payloadPtr = g.tmp('q');
  g.emit(`const ${payloadPtr} = ${p} + ${variantPayloadOffset(cases)};`);
  if (ty.kind === 'option' && ty.type.kind !== 'option') {
    g.emit(`if (${v} === undefined || ${v} === null) { ${setDisc('0')} } else {`);
    g.emit(setDisc('1'));
    emitStore(g, ty.type, v, payloadPtr, joinPath(path, 'some'), inner);
    g.emit('}');
    return;
  }
  const codec = caseCodec(ty);
  const i = g.tmp('i');
  const slow = path === '' ? `${g.k(codec)}.indexOf(${v})` : `${g.k(indexOf)}(${g.k(codec)}, ${v}, ${S(path)})`;
  // Tag to case index by a switch on the label (string constants compare by
  // identity when interned): no Map lookup or call per value. Anything the
  // switch does not match goes to the codec, which gives the typed error.
  let labels: [string, number][] | undefined;
  let subject: string | undefined;
  if (ty.kind === 'variant') {
    labels = cases.map((c, ci) => [c.label, ci]);
    subject = `(typeof ${v} === "object" && ${v} !== null ? ${v}.tag : undefined)`;
  } else if (ty.kind === 'enum') {
    labels = ty.labels.map((l, li) => [l, li]);
    subject = v;
  } else if (ty.kind === 'result') {
    labels = [['ok', 0], ['err', 1], ['error', 1]];
    subject = `(typeof ${v} === "object" && ${v} !== null ? ${v}.tag : undefined)`;
  }
  if (labels !== undefined && subject !== undefined) {
    g.emit(`let ${i};`);
    g.emit(`switch (${subject}) {`);
    for (const [l, li] of labels) g.emit(`case ${S(l)}: ${i} = ${li}; break;`);
    g.emit(`default: ${i} = ${slow};`);
    g.emit('}');
  } else {
    g.emit(`const ${i} = ${slow};`);
  }
  g.emit(setDisc(i));
  if (cases.every((c) => c.type === undefined)) return;
  const seg = ty.kind === 'option' ? 'some' : 'val';
  g.emit(`switch (${i}) {`);
  cases.forEach((c, ci) => {
    if (c.type === undefined) return;
    g.emit(`case ${ci}: {`);
    const pv = g.tmp('v');
    g.emit(`const ${pv} = ${v}.val;`);
    emitStore(g, c.type, pv, payloadPtr, joinPath(path, seg), inner);
    g.emit('break; }');
  });
  g.emit('}');
}

// --------------------------------------------------------------------------
// List loops

/** A generated loop loading `length` elements with `load1` (monomorphic call site). */
export function genLoadListBody(
  load1: (cx: LiftLowerContext, ptr: number) => unknown,
  size: number,
): (cx: LiftLowerContext, ptr: number, length: number) => unknown[] {
  const g = new Gen();
  const f = g.k(load1);
  return g.build('cx, ptr, length', [
    'const out = new Array(length);',
    `for (let i = 0; i < length; i++) out[i] = ${f}(cx, ptr + i * ${size});`,
    'return out;',
  ]);
}

/** A generated loop storing the elements of `v` with `store1` (monomorphic call site). */
export function genStoreListBody(
  store1: (cx: LiftLowerContext, v: unknown, ptr: number) => void,
  size: number,
): (cx: LiftLowerContext, v: ArrayLike<unknown>, ptr: number) => void {
  const g = new Gen();
  const f = g.k(store1);
  return g.build('cx, v, ptr', [
    'const n = v.length;',
    'let i = 0;',
    `try { for (; i < n; i++) ${f}(cx, v[i], ptr + i * ${size}); } catch (e) { ${g.k(rethrowAt)}(e, "[" + i + "]"); }`,
  ]);
}
