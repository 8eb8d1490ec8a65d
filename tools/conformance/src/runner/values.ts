/**
 * Conversion between the suite's values (`WastValue`, from `@wasm-components/wast`)
 * and the JS values the runtime's lifted functions take and return (the host-side
 * representation of `@wasm-components/canonical-abi`, see /work/CANON_COMMON.md):
 *
 * - ints: `number`, except `u64`/`s64` (and core `i64`): `bigint`;
 * - floats: `number`; char, string: `string`; bool: `boolean`;
 * - list: an Array (numeric lists lift to typed arrays; lowering takes any array-like);
 * - tuple: an Array; record: an object keyed by field label;
 * - variant: `{ tag, val? }`; enum: the label; flags: an object of booleans;
 * - option: `undefined` for none, the payload for some, except `{ tag: 'some', val }`
 *   when the payload type is itself an option (`option<option<T>>`);
 * - result: `{ tag: 'ok' | 'err', val? }`.
 *
 * Both directions work from the value alone, and take the component value type
 * (canonical-abi `ValType`) when the engine can say what it is: then arguments are
 * checked against the parameter types and the comparison of results is exact
 * about the shape (e.g. the full label set of flags).
 *
 * @module
 */
import type { ValType } from '@wasm-components/canonical-abi';
import type { WastValue } from '@wasm-components/wast';

/** A value the runner could not convert: the directive fails with cause `bad-argument`. */
export class ValueConversionError extends Error {
  override readonly name = 'ValueConversionError' as const;
}

/**
 * `kebab-case` to `lowerCamelCase`, the naming JS users expect for members
 * (`get-a` -> `getA`; an all-caps word is lower-cased first: `get-HTTP` -> `getHttp`),
 * as the runtime names exports. The raw label is always tried first.
 */
export function camelCase(name: string): string {
  let out = '';
  for (const w of name.split('-')) {
    if (w === '') continue;
    const lower = w === w.toUpperCase() ? w.toLowerCase() : w;
    out += out === '' ? lower : lower[0]!.toUpperCase() + lower.slice(1);
  }
  return out;
}

const INT64 = new Set(['u64', 's64', 'i64']);

/** A label as the suite writes it (`foo-bar`) against one as the runtime spells it (`foo-bar` or `fooBar`). */
export function sameLabel(js: string, suite: string): boolean {
  return js === suite || js === camelCase(suite);
}

function typeName(t: ValType): string {
  return t.kind;
}

function expectKind(v: WastValue, t: ValType | undefined, kinds: readonly string[]): void {
  if (t !== undefined && !kinds.includes(t.kind)) {
    throw new ValueConversionError(`a ${v.kind} value cannot be passed as ${typeName(t)}`);
  }
}

/**
 * The JS value for a suite value, as a host passes it to a lifted function.
 * With `type`, the value must fit it (an `(u32.const 1)` for a `u64` parameter
 * is converted, a `str.const` for a `u32` is a {@link ValueConversionError}).
 */
export function toJs(v: WastValue, type?: ValType): unknown {
  switch (v.kind) {
    case 'int': {
      if (type !== undefined) {
        const k = type.kind;
        if (k === 'u64' || k === 's64') return v.value;
        if (k === 'u8' || k === 's8' || k === 'u16' || k === 's16' || k === 'u32' || k === 's32') return Number(v.value);
        throw new ValueConversionError(`an integer cannot be passed as ${typeName(type)}`);
      }
      return INT64.has(v.type) ? v.value : Number(v.value);
    }
    case 'float':
      expectKind(v, type, ['f32', 'f64']);
      return v.value;
    case 'bool':
      expectKind(v, type, ['bool']);
      return v.value;
    case 'char':
      expectKind(v, type, ['char']);
      return v.value;
    case 'string':
      expectKind(v, type, ['string']);
      return v.value;
    case 'list': {
      expectKind(v, type, ['list']);
      const elem = type?.kind === 'list' ? type.elem : undefined;
      return v.items.map((x) => toJs(x, elem));
    }
    case 'tuple': {
      expectKind(v, type, ['tuple']);
      const types = type?.kind === 'tuple' ? type.types : undefined;
      if (types !== undefined && types.length !== v.items.length) {
        throw new ValueConversionError(`a tuple of ${v.items.length} values cannot be passed as a tuple of ${types.length}`);
      }
      return v.items.map((x, i) => toJs(x, types?.[i]));
    }
    case 'record': {
      expectKind(v, type, ['record']);
      const out: Record<string, unknown> = {};
      for (const f of v.fields) {
        const ft = type?.kind === 'record' ? type.fields.find((x) => sameLabel(x.label, f.name)) : undefined;
        if (type?.kind === 'record' && ft === undefined) throw new ValueConversionError(`the record type has no field "${f.name}"`);
        const x = toJs(f.value, ft?.type);
        // The label as written, and its camelCase form for a runtime that renames members.
        out[f.name] = x;
        out[camelCase(f.name)] = x;
      }
      return out;
    }
    case 'variant': {
      expectKind(v, type, ['variant']);
      const c = type?.kind === 'variant' ? type.cases.find((x) => sameLabel(x.label, v.case)) : undefined;
      if (type?.kind === 'variant' && c === undefined) throw new ValueConversionError(`the variant type has no case "${v.case}"`);
      const tag = c?.label ?? v.case;
      return v.value === undefined ? { tag } : { tag, val: toJs(v.value, c?.type) };
    }
    case 'enum': {
      expectKind(v, type, ['enum']);
      const l = type?.kind === 'enum' ? type.labels.find((x) => sameLabel(x, v.case)) : undefined;
      if (type?.kind === 'enum' && l === undefined) throw new ValueConversionError(`the enum type has no case "${v.case}"`);
      return l ?? v.case;
    }
    case 'flags': {
      expectKind(v, type, ['flags']);
      const out: Record<string, boolean> = {};
      if (type?.kind === 'flags') for (const l of type.labels) out[l] = false;
      for (const n of v.names) {
        out[n] = true;
        out[camelCase(n)] = true;
      }
      return out;
    }
    case 'option': {
      expectKind(v, type, ['option']);
      if (v.value === undefined) return undefined;
      const inner = type?.kind === 'option' ? type.type : undefined;
      const x = toJs(v.value, inner);
      const nested = inner !== undefined ? inner.kind === 'option' : v.value.kind === 'option';
      return nested ? { tag: 'some', val: x } : x;
    }
    case 'result': {
      expectKind(v, type, ['result']);
      const payload = type?.kind === 'result' ? (v.case === 'ok' ? type.ok : type.err) : undefined;
      return v.value === undefined ? { tag: v.case } : { tag: v.case, val: toJs(v.value, payload) };
    }
    case 'ref':
    case 'either':
      throw new ValueConversionError(`a ${v.kind} value cannot be an argument of a component function`);
  }
}

/** A short text form of a suite value, for messages. */
export function showWast(v: WastValue): string {
  switch (v.kind) {
    case 'int':
      return `${v.type}:${v.value}`;
    case 'float':
      return `${v.type}:${v.text}`;
    case 'bool':
    case 'char':
    case 'string':
      return JSON.stringify(v.value);
    case 'list':
    case 'tuple':
      return `${v.kind}(${v.items.map(showWast).join(', ')})`;
    case 'record':
      return `{${v.fields.map((f) => `${f.name}: ${showWast(f.value)}`).join(', ')}}`;
    case 'variant':
      return v.value === undefined ? `${v.case}` : `${v.case}(${showWast(v.value)})`;
    case 'enum':
      return v.case;
    case 'flags':
      return `flags(${v.names.join(' ')})`;
    case 'option':
      return v.value === undefined ? 'none' : `some(${showWast(v.value)})`;
    case 'result':
      return v.value === undefined ? v.case : `${v.case}(${showWast(v.value)})`;
    case 'ref':
      return `ref.${v.op}`;
    case 'either':
      return `either(${v.alternatives.map(showWast).join(' | ')})`;
  }
}

/** A short text form of a JS value, for messages (bigints get an `n`, typed arrays their name). */
export function showJs(x: unknown): string {
  if (typeof x === 'bigint') return `${x}n`;
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (x === undefined || x === null || typeof x === 'boolean') return String(x);
  if (typeof x === 'function') return 'function';
  if (ArrayBuffer.isView(x)) return `${x.constructor.name}[${Array.from(x as unknown as ArrayLike<unknown>, showJs).join(', ')}]`;
  if (Array.isArray(x)) return `[${x.map(showJs).join(', ')}]`;
  if (typeof x === 'object') {
    return `{${Object.entries(x)
      .map(([k, v]) => `${k}: ${showJs(v)}`)
      .join(', ')}}`;
  }
  return typeof x;
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function field(o: object, name: string): unknown {
  const r = o as Record<string, unknown>;
  return name in r ? r[name] : r[camelCase(name)];
}

/**
 * Compare a JS result with the suite's expected value. Returns undefined when
 * it matches, else a description of the first difference (with its path).
 *
 * Floats compare bit-exactly as far as a JS number can tell (`-0` is not `0`);
 * any NaN pattern (`nan:canonical`, `nan:arithmetic`, a payload) matches any
 * NaN, because a JS number does not reliably keep NaN payloads and the
 * Canonical ABI canonicalises NaNs crossing a component boundary.
 */
export function matchValue(actual: unknown, expected: WastValue, type?: ValType, path = 'result'): string | undefined {
  const bad = (what = `expected ${showWast(expected)}`): string => `${path}: ${what}, got ${showJs(actual)}`;
  switch (expected.kind) {
    case 'int': {
      const big = type !== undefined ? type.kind === 'u64' || type.kind === 's64' : INT64.has(expected.type);
      if (big) return typeof actual === 'bigint' && actual === expected.value ? undefined : bad();
      return typeof actual === 'number' && Number.isInteger(actual) && BigInt(actual) === expected.value ? undefined : bad();
    }
    case 'float': {
      if (typeof actual !== 'number') return bad();
      if (expected.nan !== undefined || Number.isNaN(expected.value)) return Number.isNaN(actual) ? undefined : bad();
      return Object.is(actual, expected.value) ? undefined : bad();
    }
    case 'bool':
    case 'char':
    case 'string':
      return actual === expected.value ? undefined : bad();
    case 'enum':
      return typeof actual === 'string' && sameLabel(actual, expected.case) ? undefined : bad();
    case 'list':
    case 'tuple': {
      if (!isArrayLike(actual)) return bad(`expected an array for ${showWast(expected)}`);
      if (actual.length !== expected.items.length) return bad(`expected ${expected.items.length} elements`);
      const elemType = (i: number): ValType | undefined =>
        type?.kind === 'list' ? type.elem : type?.kind === 'tuple' ? type.types[i] : undefined;
      for (let i = 0; i < actual.length; i++) {
        const d = matchValue(actual[i], expected.items[i]!, elemType(i), `${path}[${i}]`);
        if (d !== undefined) return d;
      }
      return undefined;
    }
    case 'record': {
      if (typeof actual !== 'object' || actual === null) return bad('expected a record object');
      for (const f of expected.fields) {
        const ft = type?.kind === 'record' ? type.fields.find((x) => sameLabel(x.label, f.name))?.type : undefined;
        const d = matchValue(field(actual, f.name), f.value, ft, `${path}.${f.name}`);
        if (d !== undefined) return d;
      }
      return undefined;
    }
    case 'variant':
    case 'result': {
      if (typeof actual !== 'object' || actual === null) return bad(`expected { tag: ${JSON.stringify(expected.case)} }`);
      const a = actual as { tag?: unknown; val?: unknown };
      if (typeof a.tag !== 'string' || !sameLabel(a.tag, expected.case)) return bad();
      let pt: ValType | undefined;
      if (type?.kind === 'variant') pt = type.cases.find((c) => sameLabel(c.label, expected.case))?.type;
      else if (type?.kind === 'result') pt = expected.case === 'ok' ? type.ok : type.err;
      if (expected.value === undefined) return a.val === undefined ? undefined : bad('expected no payload');
      return matchValue(a.val, expected.value, pt, `${path}.val`);
    }
    case 'flags': {
      if (typeof actual !== 'object' || actual === null) return bad('expected a flags object');
      const want = new Set(expected.names);
      const labels = type?.kind === 'flags' ? type.labels : Object.keys(actual);
      for (const n of expected.names) if (field(actual, n) !== true) return bad(`expected flag "${n}" set`);
      for (const l of labels) {
        if (want.has(l) || expected.names.some((n) => camelCase(n) === l)) continue;
        if ((actual as Record<string, unknown>)[l] === true) return bad(`expected flag "${l}" clear`);
      }
      return undefined;
    }
    case 'option': {
      if (expected.value === undefined) return actual === undefined || actual === null ? undefined : bad();
      const inner = type?.kind === 'option' ? type.type : undefined;
      const nested = inner !== undefined ? inner.kind === 'option' : expected.value.kind === 'option';
      if (nested) {
        const a = actual as { tag?: unknown; val?: unknown } | null | undefined;
        if (typeof a !== 'object' || a === null || a.tag !== 'some') return bad(`expected { tag: 'some', val } for ${showWast(expected)}`);
        return matchValue(a.val, expected.value, inner, `${path}.val`);
      }
      if (actual === undefined || actual === null) return bad();
      return matchValue(actual, expected.value, inner, path);
    }
    case 'either': {
      const ds = expected.alternatives.map((alt) => matchValue(actual, alt, type, path));
      return ds.some((d) => d === undefined) ? undefined : bad();
    }
    case 'ref':
      return bad('reference results are not supported for components');
  }
}
