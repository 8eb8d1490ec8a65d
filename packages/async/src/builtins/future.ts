/**
 * The `future.*` built-ins (`CanonicalABI.md#canon-streamfuturenew` and
 * following): `future.new`, `future.read`, `future.write`,
 * `future.cancel-read`, `future.cancel-write`, `future.drop-readable`,
 * `future.drop-writable`. See `./copy.ts` for the blocking contract.
 *
 * @module
 */

import type { AsyncHooks, CanonicalOptions, ComponentInstanceState, FutureType } from '@wasm-components/canonical-abi';
import { ReadableFutureEnd, WritableFutureEnd } from '../streams/ends.js';
import { SharedFuture } from '../streams/shared.js';
import type { ThreadLike } from '../thread.js';
import { type CancelBuiltin, cancelBuiltin, type CopyOutcome, type DropBuiltin, dropBuiltin, futureCopy, newEnds } from './copy.js';

/** `future.new`: returns the core `i64` result `readable | (writable << 32)`. */
export function futureNew(ty: FutureType, inst: ComponentInstanceState): bigint {
  const shared = new SharedFuture(ty.elem);
  return newEnds(inst, new ReadableFutureEnd(shared), new WritableFutureEnd(shared));
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
export const futureCancelRead: CancelBuiltin<FutureType> = cancelBuiltin(ReadableFutureEnd);

/** `future.cancel-write`. */
export const futureCancelWrite: CancelBuiltin<FutureType> = cancelBuiltin(WritableFutureEnd);

/** `future.drop-readable`. */
export const futureDropReadable: DropBuiltin<FutureType> = dropBuiltin(ReadableFutureEnd);

/** `future.drop-writable`: traps unless the value was written (or the reader dropped). */
export const futureDropWritable: DropBuiltin<FutureType> = dropBuiltin(WritableFutureEnd);
