/**
 * The `error-context.*` built-ins (`CanonicalABI.md#canon-error-contextnew`,
 * `#canon-error-contextdebug-message`, `#canon-error-contextdrop`).
 *
 * Each takes the calling component instance (its handle table and
 * `mayLeave` flag) and, where memory is involved, the built-in's canonical
 * options; none of them blocks.
 *
 * @module
 */

import {
  type AsyncHooks,
  type CanonicalOptions,
  type ComponentInstanceState,
  LiftLowerContext,
  loadStringFromRangeTagged,
  storeString,
  trap,
} from '@wasm-components/canonical-abi';
import { ErrorContext } from '../error-context.js';
import { checkMayLeave, getAs, removeAs } from './common.js';

/**
 * `error-context.new`: lifts the debug message at `[ptr, taggedCodeUnits)`
 * (as a string in the options' encoding, trapping on invalid encodings or
 * bounds) and returns the new handle. The spec lets an implementation keep
 * the message or replace it (even by ""); this one keeps it.
 */
export function errorContextNew(
  inst: ComponentInstanceState,
  opts: CanonicalOptions,
  ptr: number,
  taggedCodeUnits: number,
  hooks?: AsyncHooks,
): number {
  checkMayLeave(inst);
  const cx = new LiftLowerContext(opts, inst, undefined, hooks);
  const s = loadStringFromRangeTagged(cx, ptr >>> 0, taggedCodeUnits >>> 0);
  return inst.handles.add(new ErrorContext(s));
}

/**
 * `error-context.debug-message`: lowers the message (through `realloc`)
 * and writes its `(pointer, length)` pair at `ptr`. `ptr` must be 4-aligned
 * with 8 bytes in bounds (the spec's `store` asserts it; we trap).
 */
export function errorContextDebugMessage(
  inst: ComponentInstanceState,
  opts: CanonicalOptions,
  i: number,
  ptr: number,
  hooks?: AsyncHooks,
): void {
  checkMayLeave(inst);
  const e = getAs(inst, i, ErrorContext, 'error-context');
  const cx = new LiftLowerContext(opts, inst, undefined, hooks);
  ptr >>>= 0;
  if (ptr % 4 !== 0) trap(`unaligned pointer: error-context.debug-message result pointer ${ptr} is not aligned to 4`);
  cx.checkRange(ptr, 8, 'error-context.debug-message result');
  storeString(cx, e.message, ptr);
}

/** `error-context.drop`: removes the handle (the value lives on in other tables holding it). */
export function errorContextDrop(inst: ComponentInstanceState, i: number): void {
  checkMayLeave(inst);
  removeAs(inst, i, ErrorContext, 'error-context');
}
