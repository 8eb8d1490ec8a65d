/**
 * Values in `invoke` arguments and `assert_return` results.
 *
 * Covers the core constants (`i32.const` ... `f64.const`, `ref.*`) and the
 * component-model value syntax the suite uses (`u8.const` ... `s64.const`,
 * `bool.const`, `char.const`, `str.const`, `list.const`, `record.const`,
 * `tuple.const`, `variant.const`, `enum.const`, `flags.const`, `option.some` /
 * `option.none`, `result.ok` / `result.err`). Kept as plain data for the
 * runtime that will later lower and lift them through the canonical ABI.
 *
 * @module
 */
import { WastSyntaxError, positionOf } from './errors.js';
import type { SExpr } from './sexpr.js';

/** Integer types of the component model, plus the core `i32`/`i64`. */
export type IntType = 'u8' | 's8' | 'u16' | 's16' | 'u32' | 's32' | 'u64' | 's64' | 'i32' | 'i64';

const INT_BITS: Readonly<Record<IntType, number>> = { u8: 8, s8: 8, u16: 16, s16: 16, u32: 32, s32: 32, u64: 64, s64: 64, i32: 32, i64: 64 };

/**
 * An integer. `value` is the mathematical value *in the type's own reading*:
 * unsigned types (`u*`) are in `0 .. 2^n-1`, signed ones (`s*`, and the core
 * `i32`/`i64`, which the spec interpreter prints signed) in `-2^(n-1) .. 2^(n-1)-1`;
 * a literal written in the other reading (`(s32.const 0xffffffff)`) is wrapped.
 */
export interface IntValue {
  readonly kind: 'int';
  readonly type: IntType;
  readonly value: bigint;
}

/**
 * A float, or a NaN pattern of an expected result. `value` is the JS number
 * (for `f32`, rounded to single precision with `Math.fround`; a hex literal
 * with more than 53 significant bits is rounded twice, which no suite value
 * needs). `nan` is set for `nan:canonical` / `nan:arithmetic` patterns and for
 * NaNs with an explicit payload (`nan:0x200000`), whose payload is `payload`.
 */
export interface FloatValue {
  readonly kind: 'float';
  readonly type: 'f32' | 'f64';
  readonly value: number;
  readonly nan?: 'canonical' | 'arithmetic' | 'payload';
  readonly payload?: bigint;
  /** The literal as written. */
  readonly text: string;
}

/** `(bool.const true|false)`. */
export interface BoolValue {
  readonly kind: 'bool';
  readonly value: boolean;
}
/** `(char.const "c")`: one Unicode scalar value. */
export interface CharValue {
  readonly kind: 'char';
  readonly value: string;
}
/** `(str.const "...")`. */
export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
}
/** `(list.const v*)`. */
export interface ListValue {
  readonly kind: 'list';
  readonly items: readonly WastValue[];
}
/** `(tuple.const v*)`. */
export interface TupleValue {
  readonly kind: 'tuple';
  readonly items: readonly WastValue[];
}
/** `(record.const (field "name" v)*)`. */
export interface RecordValue {
  readonly kind: 'record';
  readonly fields: readonly { readonly name: string; readonly value: WastValue }[];
}
/** `(variant.const "case" v?)`. */
export interface VariantValue {
  readonly kind: 'variant';
  readonly case: string;
  readonly value?: WastValue;
}
/** `(enum.const "case")`. */
export interface EnumValue {
  readonly kind: 'enum';
  readonly case: string;
}
/** `(flags.const "name"*)`. */
export interface FlagsValue {
  readonly kind: 'flags';
  readonly names: readonly string[];
}
/** `(option.some v)` (value present) or `(option.none)`. */
export interface OptionValue {
  readonly kind: 'option';
  readonly value?: WastValue;
}
/** `(result.ok v?)` or `(result.err v?)`. */
export interface ResultValue {
  readonly kind: 'result';
  readonly case: 'ok' | 'err';
  readonly value?: WastValue;
}
/** A core reference constant (`ref.null func`, `ref.extern 1`, `ref.func`...), kept as words. */
export interface RefValue {
  readonly kind: 'ref';
  /** `null`, `extern`, `host`, `func`... */
  readonly op: string;
  readonly args: readonly string[];
}
/** `(either v*)`: an expected result matching any of the alternatives. */
export interface EitherValue {
  readonly kind: 'either';
  readonly alternatives: readonly WastValue[];
}

/** A value or expected-result pattern of a script. */
export type WastValue =
  | IntValue
  | FloatValue
  | BoolValue
  | CharValue
  | StringValue
  | ListValue
  | TupleValue
  | RecordValue
  | VariantValue
  | EnumValue
  | FlagsValue
  | OptionValue
  | ResultValue
  | RefValue
  | EitherValue;

const INT_RE = /^([+-]?)(0x[0-9a-fA-F](?:_?[0-9a-fA-F])*|[0-9](?:_?[0-9])*)$/;

/**
 * Parse an integer literal of the text format (sign, decimal or `0x` hex,
 * `_` separators). Returns undefined when `text` is not one.
 */
export function parseIntLiteral(text: string): bigint | undefined {
  const m = INT_RE.exec(text);
  if (m === null) return undefined;
  const v = BigInt(m[2]!.replaceAll('_', ''));
  return m[1] === '-' ? -v : v;
}

/** Wrap/check an integer literal into the range of `type`, see {@link IntValue}. */
function intInRange(type: IntType, v: bigint): bigint | undefined {
  const bits = BigInt(INT_BITS[type]);
  const full = 1n << bits;
  const half = 1n << (bits - 1n);
  if (v < -half || v >= full) return undefined;
  if (type.startsWith('u')) return v < 0n ? v + full : v;
  return v >= half ? v - full : v;
}

const HEX_FLOAT_RE = /^0x([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?(?:[pP]([+-]?[0-9_]+))?$/;
const DEC_FLOAT_RE = /^[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][+-]?[0-9_]+)?$/;

function hexFloat(body: string): number | undefined {
  const m = HEX_FLOAT_RE.exec(body);
  if (m === null) return undefined;
  const intPart = (m[1] ?? '').replaceAll('_', '');
  const frac = (m[2] ?? '').replaceAll('_', '');
  if (intPart === '' && frac === '') return undefined;
  let mant = BigInt('0x' + (intPart + frac === '' ? '0' : intPart + frac));
  let exp = (m[3] === undefined ? 0 : Number(m[3].replaceAll('_', ''))) - 4 * frac.length;
  if (mant === 0n) return 0;
  // Keep 60 significant bits with a sticky bit so Number() rounds once, correctly.
  const len = mant.toString(2).length;
  if (len > 60) {
    const shift = BigInt(len - 60);
    const sticky = (mant & ((1n << shift) - 1n)) !== 0n ? 1n : 0n;
    mant = (mant >> shift) | sticky;
    exp += len - 60;
  }
  let v = Number(mant);
  // Scale in steps so 2^exp itself never overflows or underflows.
  while (exp > 0) {
    const s = Math.min(exp, 1000);
    v *= 2 ** s;
    exp -= s;
  }
  while (exp < 0) {
    const s = Math.max(exp, -1000);
    v *= 2 ** s;
    exp -= s;
  }
  return v;
}

/**
 * Parse a float literal of the text format: decimal or hex (`0x1.8p3`), `inf`,
 * `nan`, `nan:0xPAYLOAD`, and the result patterns `nan:canonical` /
 * `nan:arithmetic`. Returns undefined when `text` is not one.
 */
export function parseFloatLiteral(
  type: 'f32' | 'f64',
  text: string,
): Omit<FloatValue, 'kind' | 'type' | 'text'> | undefined {
  const neg = text.startsWith('-');
  const body = text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text;
  const sign = neg ? -1 : 1;
  if (body === 'inf') return { value: sign * Infinity };
  if (body === 'nan') return { value: NaN };
  if (body === 'nan:canonical') return { value: NaN, nan: 'canonical' };
  if (body === 'nan:arithmetic') return { value: NaN, nan: 'arithmetic' };
  if (body.startsWith('nan:0x')) {
    const p = parseIntLiteral(body.slice(4));
    if (p === undefined || p === 0n) return undefined;
    return { value: NaN, nan: 'payload', payload: p };
  }
  let v: number | undefined;
  if (body.startsWith('0x')) v = hexFloat(body);
  else if (DEC_FLOAT_RE.test(body)) v = Number(body.replaceAll('_', ''));
  if (v === undefined || Number.isNaN(v)) return undefined;
  v *= sign;
  return { value: type === 'f32' ? Math.fround(v) : v };
}

/**
 * Parse one value written as a list: `(u32.const 7)`, `(list.const ...)`.
 *
 * @param src - the script text, for error positions
 * @throws {@link WastSyntaxError} when the form is not a value
 */
export function parseValue(e: SExpr, src: string): WastValue {
  if (e.kind !== 'list' || e.items[0]?.kind !== 'keyword') {
    throw new WastSyntaxError('expected a value like (u32.const 1)', positionOf(src, e.start));
  }
  return parseValueParts(e.items[0].text, e.items.slice(1), e.start, src);
}

function stringArg(e: SExpr | undefined, at: number, src: string, what: string): string {
  if (e?.kind !== 'string' || e.value === undefined) throw new WastSyntaxError(`expected a string (${what})`, positionOf(src, e?.start ?? at));
  return e.value;
}

function noMore(args: readonly SExpr[], n: number, head: string, src: string): void {
  const extra = args[n];
  if (extra !== undefined) throw new WastSyntaxError(`unexpected extra operand of ${head}`, positionOf(src, extra.start));
}

function optionalValue(args: readonly SExpr[], head: string, at: number, src: string): WastValue | undefined {
  noMore(args, 1, head, src);
  return args[0] === undefined ? undefined : parseValue(args[0], src);
}

/**
 * Parse a value given its head keyword and operands, for the flattened form
 * `(field "name" str.const "x")` as well as the usual parenthesised one.
 */
function parseValueParts(head: string, args: readonly SExpr[], at: number, src: string): WastValue {
  const fail = (msg: string, where: number = at): never => {
    throw new WastSyntaxError(msg, positionOf(src, where));
  };
  const dot = head.indexOf('.');
  const type = dot < 0 ? head : head.slice(0, dot);
  const op = dot < 0 ? '' : head.slice(dot + 1);
  if (op === 'const' && type in INT_BITS) {
    const t = type as IntType;
    const a = args[0];
    const lit = a?.kind === 'number' ? parseIntLiteral(a.text) : undefined;
    if (lit === undefined) return fail(`expected an integer operand of ${head}`, a?.start ?? at);
    const v = intInRange(t, lit);
    if (v === undefined) return fail(`integer constant out of range for ${t}`, a!.start);
    noMore(args, 1, head, src);
    return { kind: 'int', type: t, value: v };
  }
  if (op === 'const' && (type === 'f32' || type === 'f64')) {
    const a = args[0];
    const text = a?.kind === 'number' || a?.kind === 'keyword' ? a.text : undefined;
    const f = text === undefined ? undefined : parseFloatLiteral(type, text);
    if (f === undefined || text === undefined) return fail(`expected a float operand of ${head}`, a?.start ?? at);
    noMore(args, 1, head, src);
    return { kind: 'float', type, ...f, text };
  }
  switch (head) {
    case 'bool.const': {
      const a = args[0];
      if (a?.kind !== 'keyword' || (a.text !== 'true' && a.text !== 'false')) return fail('expected true or false', a?.start ?? at);
      noMore(args, 1, head, src);
      return { kind: 'bool', value: a.text === 'true' };
    }
    case 'char.const': {
      const s = stringArg(args[0], at, src, 'a character');
      if ([...s].length !== 1) return fail('expected exactly one character', args[0]!.start);
      noMore(args, 1, head, src);
      return { kind: 'char', value: s };
    }
    case 'str.const': {
      const s = stringArg(args[0], at, src, 'the string');
      noMore(args, 1, head, src);
      return { kind: 'string', value: s };
    }
    case 'list.const':
      return { kind: 'list', items: args.map((a) => parseValue(a, src)) };
    case 'tuple.const':
      return { kind: 'tuple', items: args.map((a) => parseValue(a, src)) };
    case 'either':
      return { kind: 'either', alternatives: args.map((a) => parseValue(a, src)) };
    case 'record.const':
      return {
        kind: 'record',
        fields: args.map((f) => {
          if (f.kind !== 'list' || f.items[0]?.kind !== 'keyword' || f.items[0].text !== 'field') {
            return fail('expected (field "name" value)', f.start);
          }
          const name = stringArg(f.items[1], f.start, src, 'the field name');
          const rest = f.items.slice(2);
          const first = rest[0];
          // Both `(field "a" (u32.const 1))` and the flat `(field "a" u32.const 1)` occur.
          if (first?.kind === 'keyword') return { name, value: parseValueParts(first.text, rest.slice(1), first.start, src) };
          if (first === undefined || rest.length !== 1) return fail('expected one value in a field', f.start);
          return { name, value: parseValue(first, src) };
        }),
      };
    case 'variant.const': {
      const c = stringArg(args[0], at, src, 'the case name');
      const v = optionalValue(args.slice(1), head, at, src);
      return v === undefined ? { kind: 'variant', case: c } : { kind: 'variant', case: c, value: v };
    }
    case 'enum.const': {
      const c = stringArg(args[0], at, src, 'the case name');
      noMore(args, 1, head, src);
      return { kind: 'enum', case: c };
    }
    case 'flags.const':
      return { kind: 'flags', names: args.map((a) => stringArg(a, at, src, 'a flag name')) };
    case 'option.none':
      noMore(args, 0, head, src);
      return { kind: 'option' };
    case 'option.some': {
      if (args[0] === undefined) return fail('expected a value in option.some');
      return { kind: 'option', value: parseValue(args[0], src) };
    }
    case 'result.ok':
    case 'result.err': {
      const v = optionalValue(args, head, at, src);
      const c = head === 'result.ok' ? 'ok' : 'err';
      return v === undefined ? { kind: 'result', case: c } : { kind: 'result', case: c, value: v };
    }
    default:
      if (type === 'ref') return { kind: 'ref', op, args: args.map((a) => src.slice(a.start, a.end)) };
      return fail(`unknown value form ${head}`);
  }
}

/** Parse the operands of an `invoke` or the results of an `assert_return`. */
export function parseValues(es: readonly SExpr[], src: string): WastValue[] {
  return es.map((e) => parseValue(e, src));
}

