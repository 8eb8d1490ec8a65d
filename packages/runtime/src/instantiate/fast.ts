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
  type FlatLowerer,
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

/**
 * Host argument -> core value lowerers of a scalar function's parameters
 * (canonical-abi's, which check ranges and throw `HostValueError`), with the
 * one context they need (scalars never read it beyond `inst`).
 */
export function scalarLowerers(ft: FuncType, inst: RuntimeInstance): { readonly cx: LiftLowerContext; readonly lowerers: readonly FlatLowerer[] } {
  return {
    cx: new LiftLowerContext({ stringEncoding: 'utf8' }, inst),
    lowerers: ft.params.map((p) => compileLowerFlat(p.type)),
  };
}
