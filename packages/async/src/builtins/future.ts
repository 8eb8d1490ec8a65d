/**
 * The `future.*` built-ins (`CanonicalABI.md#canon-streamfuturenew` and
 * following): `future.new`, `future.read`, `future.write`,
 * `future.cancel-read`, `future.cancel-write`, `future.drop-readable`,
 * `future.drop-writable`. See `./copy.ts` for the blocking contract.
 *
 * @module
 */

import type { CanonicalOptions, ComponentInstanceState, FutureType } from '@wasm-components/canonical-abi';
import { ReadableFutureEnd, WritableFutureEnd } from '../streams/ends.js';
import { SharedFuture } from '../streams/shared.js';
import { checkMayLeave } from './common.js';
import type { AsyncHooks } from '@wasm-components/canonical-abi';
import type { ThreadLike } from '../thread.js';
import { cancelCopy, type CopyOutcome, dropEnd, futureCopy } from './copy.js';

/** `future.new`: returns the core `i64` result `readable | (writable << 32)`. */
export function futureNew(ty: FutureType, inst: ComponentInstanceState): bigint {
  checkMayLeave(inst);
  const shared = new SharedFuture(ty.elem);
  const ri = inst.handles.add(new ReadableFutureEnd(shared));
  const wi = inst.handles.add(new WritableFutureEnd(shared));
  return BigInt(ri) | (BigInt(wi) << 32n);
}

/** `future.read`: reads the value into `ptr` from readable end `i`. */
export function futureRead(ty: FutureType, opts: CanonicalOptions, thread: ThreadLike, i: number, ptr: number, hooks?: AsyncHooks): CopyOutcome {
  return futureCopy(ReadableFutureEnd, ty, opts, thread, i, ptr, hooks);
}

/** `future.write`: writes the value at `ptr` to writable end `i`. */
export function futureWrite(ty: FutureType, opts: CanonicalOptions, thread: ThreadLike, i: number, ptr: number, hooks?: AsyncHooks): CopyOutcome {
  return futureCopy(WritableFutureEnd, ty, opts, thread, i, ptr, hooks);
}

/** `future.cancel-read`. */
export function futureCancelRead(ty: FutureType, isAsync: boolean, thread: ThreadLike, i: number): CopyOutcome {
  return cancelCopy(ReadableFutureEnd, ty, isAsync, thread, i);
}

/** `future.cancel-write`. */
export function futureCancelWrite(ty: FutureType, isAsync: boolean, thread: ThreadLike, i: number): CopyOutcome {
  return cancelCopy(WritableFutureEnd, ty, isAsync, thread, i);
}

/** `future.drop-readable`. */
export function futureDropReadable(ty: FutureType, inst: ComponentInstanceState, i: number): void {
  dropEnd(ReadableFutureEnd, ty, inst, i);
}

/** `future.drop-writable`: traps unless the value was written (or the reader dropped). */
export function futureDropWritable(ty: FutureType, inst: ComponentInstanceState, i: number): void {
  dropEnd(WritableFutureEnd, ty, inst, i);
}
