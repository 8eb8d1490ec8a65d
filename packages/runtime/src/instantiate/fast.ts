/**
 * A fast path of `canon lift` for functions whose parameters and result are
 * all scalars (integers, floats, `bool`, `char`) and that have no
 * `post-return`: such calls touch neither memory nor handles, so no
 * `LiftLowerContext`, flat arrays or borrow bookkeeping are needed beyond
 * what the spec checks (reentrance, poisoning, the value range of each
 * argument). The semantics are exactly those of the general path in
 * `instantiate.ts`; only allocation is avoided.
 *
 * @module
 */
import {
  canonicalizeNaN,
  compileLowerFlat,
  type FuncType,
  i32ToChar,
  LiftLowerContext,
  MAX_FLAT_PARAMS,
  type ValType,
} from '@wasm-components/canonical-abi';
import type { RuntimeInstance } from './task.js';

const SCALARS: ReadonlySet<string> = new Set(['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char']);

/**
 * True when every parameter and the result of `ft` is a scalar and the
 * parameters are passed flat (at most `MAX_FLAT_PARAMS`; past that they are
 * spilled into memory, which the general path handles).
 */
export function isScalarFunction(ft: FuncType): boolean {
  if (ft.params.length > MAX_FLAT_PARAMS) return false;
  for (const p of ft.params) if (!SCALARS.has(p.type.kind)) return false;
  return ft.result === undefined || SCALARS.has(ft.result.kind);
}

/** Core result -> host value for a scalar type (`lift_flat` of a scalar). */
export function scalarLifter(ty: ValType | undefined): (r: unknown) => unknown {
  switch (ty?.kind) {
    case undefined:
      return () => undefined;
    case 'bool':
      return (r) => r !== 0;
    case 's8':
      return (r) => ((r as number) << 24) >> 24;
    case 'u8':
      return (r) => (r as number) & 0xff;
    case 's16':
      return (r) => ((r as number) << 16) >> 16;
    case 'u16':
      return (r) => (r as number) & 0xffff;
    case 's32':
      return (r) => (r as number) | 0;
    case 'u32':
      return (r) => (r as number) >>> 0;
    case 's64':
      return (r) => BigInt.asIntN(64, r as bigint);
    case 'u64':
      return (r) => BigInt.asUintN(64, r as bigint);
    case 'f32':
    case 'f64':
      return (r) => canonicalizeNaN(r as number);
    case 'char':
      return (r) => i32ToChar(r as number);
    default:
      throw new Error(`internal error: ${String(ty?.kind)} is not a scalar`);
  }
}

/** Host argument -> its one core value, for a scalar type. */
export type ScalarLowerer = (v: unknown) => unknown;

/**
 * The exact-shape test of each integer type's host value; values that pass
 * are their own core value. Anything else goes to canonical-abi's lowerer,
 * which accepts the other forms it allows (a safe-integer `number` for a
 * 64-bit type...) or throws its `HostValueError`, so the semantics are
 * canonical-abi's; only the common case is quicker.
 */
const EXACT: Readonly<Record<string, (v: unknown) => boolean>> = {
  u8: (v) => typeof v === 'number' && (v & 0xff) === v,
  s8: (v) => typeof v === 'number' && (v << 24) >> 24 === v,
  u16: (v) => typeof v === 'number' && (v & 0xffff) === v,
  s16: (v) => typeof v === 'number' && (v << 16) >> 16 === v,
  u32: (v) => typeof v === 'number' && v >>> 0 === v,
  s32: (v) => typeof v === 'number' && (v | 0) === v,
  u64: (v) => typeof v === 'bigint' && BigInt.asUintN(64, v) === v,
  s64: (v) => typeof v === 'bigint' && BigInt.asIntN(64, v) === v,
  f64: (v) => typeof v === 'number',
};

/** The lowerer of one scalar parameter: the exact-shape fast test, else canonical-abi's lowering. */
export function scalarLowerer(ty: ValType, cx: LiftLowerContext): ScalarLowerer {
  let general: ReturnType<typeof compileLowerFlat> | undefined; // compiled when first needed
  const slow = (v: unknown): unknown => {
    const out: unknown[] = [];
    (general ??= compileLowerFlat(ty))(cx, v, out);
    return out[0];
  };
  const exact = EXACT[ty.kind];
  if (exact === undefined) return slow;
  return (v) => (exact(v) ? v : slow(v));
}

/**
 * Host argument -> core value lowerers of a scalar function's parameters
 * (canonical-abi's, which check ranges and throw `HostValueError`), with the
 * one context they need (scalars never read it beyond `inst`).
 */
export function scalarLowerers(ft: FuncType, inst: RuntimeInstance): readonly ScalarLowerer[] {
  const cx = new LiftLowerContext({ stringEncoding: 'utf8' }, inst);
  return ft.params.map((p) => scalarLowerer(p.type, cx));
}
