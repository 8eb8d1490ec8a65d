/**
 * The `stream.*` built-ins (`CanonicalABI.md#canon-streamfuturenew` and
 * following): `stream.new`, `stream.read`, `stream.write`,
 * `stream.cancel-read`, `stream.cancel-write`, `stream.drop-readable`,
 * `stream.drop-writable`. See `./copy.ts` for the blocking contract.
 *
 * @module
 */

import type { CanonicalOptions, ComponentInstanceState, StreamType } from '@wasm-components/canonical-abi';
import { ReadableStreamEnd, WritableStreamEnd } from '../streams/ends.js';
import { SharedStream } from '../streams/shared.js';
import { checkMayLeave } from './common.js';
import type { AsyncHooks } from '@wasm-components/canonical-abi';
import type { ThreadLike } from '../thread.js';
import { cancelCopy, type CopyOutcome, dropEnd, streamCopy } from './copy.js';

/**
 * `stream.new`: a new stream whose two ends both go into the caller's table.
 * Returns the core `i64` result `readable | (writable << 32)`.
 */
export function streamNew(ty: StreamType, inst: ComponentInstanceState): bigint {
  checkMayLeave(inst);
  const shared = new SharedStream(ty.elem);
  const ri = inst.handles.add(new ReadableStreamEnd(shared));
  const wi = inst.handles.add(new WritableStreamEnd(shared));
  return BigInt(ri) | (BigInt(wi) << 32n);
}

/** `stream.read`: reads up to `n` elements into `ptr` from readable end `i`. */
export function streamRead(ty: StreamType, opts: CanonicalOptions, thread: ThreadLike, i: number, ptr: number, n: number, hooks?: AsyncHooks): CopyOutcome {
  return streamCopy(ReadableStreamEnd, ty, opts, thread, i, ptr, n, hooks);
}

/** `stream.write`: writes up to `n` elements from `ptr` to writable end `i`. */
export function streamWrite(ty: StreamType, opts: CanonicalOptions, thread: ThreadLike, i: number, ptr: number, n: number, hooks?: AsyncHooks): CopyOutcome {
  return streamCopy(WritableStreamEnd, ty, opts, thread, i, ptr, n, hooks);
}

/** `stream.cancel-read` (`async` = the built-in's `async` immediate). */
export function streamCancelRead(ty: StreamType, isAsync: boolean, thread: ThreadLike, i: number): CopyOutcome {
  return cancelCopy(ReadableStreamEnd, ty, isAsync, thread, i);
}

/** `stream.cancel-write`. */
export function streamCancelWrite(ty: StreamType, isAsync: boolean, thread: ThreadLike, i: number): CopyOutcome {
  return cancelCopy(WritableStreamEnd, ty, isAsync, thread, i);
}

/** `stream.drop-readable`. */
export function streamDropReadable(ty: StreamType, inst: ComponentInstanceState, i: number): void {
  dropEnd(ReadableStreamEnd, ty, inst, i);
}

/** `stream.drop-writable`. */
export function streamDropWritable(ty: StreamType, inst: ComponentInstanceState, i: number): void {
  dropEnd(WritableStreamEnd, ty, inst, i);
}
