/**
 * The `stream.*` built-ins (`CanonicalABI.md#canon-streamfuturenew` and
 * following): `stream.new`, `stream.read`, `stream.write`,
 * `stream.cancel-read`, `stream.cancel-write`, `stream.drop-readable`,
 * `stream.drop-writable`. See `./copy.ts` for the blocking contract.
 *
 * @module
 */

import type { AsyncHooks, CanonicalOptions, ComponentInstanceState, StreamType } from '@wasm-components/canonical-abi';
import { ReadableStreamEnd, WritableStreamEnd } from '../streams/ends.js';
import { SharedStream } from '../streams/shared.js';
import type { ThreadLike } from '../thread.js';
import { type CancelBuiltin, cancelBuiltin, type CopyOutcome, type DropBuiltin, dropBuiltin, newEnds, streamCopy } from './copy.js';

/**
 * `stream.new`: a new stream whose two ends both go into the caller's table.
 * Returns the core `i64` result `readable | (writable << 32)`.
 */
export function streamNew(ty: StreamType, inst: ComponentInstanceState): bigint {
  const shared = new SharedStream(ty.elem);
  return newEnds(inst, new ReadableStreamEnd(shared), new WritableStreamEnd(shared));
}

/** `stream.read`: reads up to `n` elements into `ptr` from readable end `i`. */
export function streamRead(ty: StreamType, opts: CanonicalOptions, thread: ThreadLike, i: number, ptr: number, n: number, hooks?: AsyncHooks): CopyOutcome {
  return streamCopy(ReadableStreamEnd, ty, opts, thread, i, ptr, n, hooks);
}

/** `stream.write`: writes up to `n` elements from `ptr` to writable end `i`. */
export function streamWrite(ty: StreamType, opts: CanonicalOptions, thread: ThreadLike, i: number, ptr: number, n: number, hooks?: AsyncHooks): CopyOutcome {
  return streamCopy(WritableStreamEnd, ty, opts, thread, i, ptr, n, hooks);
}

/** `stream.cancel-read` (`isAsync` = the built-in's `async` immediate). */
export const streamCancelRead: CancelBuiltin<StreamType> = cancelBuiltin(ReadableStreamEnd);

/** `stream.cancel-write`. */
export const streamCancelWrite: CancelBuiltin<StreamType> = cancelBuiltin(WritableStreamEnd);

/** `stream.drop-readable`. */
export const streamDropReadable: DropBuiltin<StreamType> = dropBuiltin(ReadableStreamEnd);

/** `stream.drop-writable`. */
export const streamDropWritable: DropBuiltin<StreamType> = dropBuiltin(WritableStreamEnd);
