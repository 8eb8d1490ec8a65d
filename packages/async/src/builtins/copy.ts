/**
 * The machinery shared by the stream and future built-ins: starting a copy
 * on an end, packing its result, cancelling, dropping, and the contract
 * with the runtime for a synchronous caller that has to wait.
 *
 * ## Blocking contract
 *
 * The built-ins never block. Where `definitions.py` makes a synchronous
 * caller wait (`thread.wait_until(e.has_pending_event)` in `stream_copy`,
 * `future_copy` and `cancel_copy`), they return a {@link BlockedCopy}: the
 * end is left in `SYNC_COPYING` (or `CANCELLING_COPY`) and the runtime must
 * (1) suspend the calling thread until `blocked.ready()` is true (the copy's
 * event is pending on `blocked.waitable`), using JSPI or trapping with
 * "cannot block ..." where it cannot suspend, then (2) call
 * `blocked.finish()`, which consumes the event and returns the `i32` the
 * built-in returns to core wasm. An async caller instead gets {@link BLOCKED}
 * (`0xffffffff`, i.e. `-1`) and later receives the event through
 * `waitable-set.wait`/`poll` or a callback.
 *
 * @module
 */

import {
  type AsyncHooks,
  type CanonicalOptions,
  type ComponentInstanceState,
  LiftLowerContext,
  trap,
  type ValType,
} from '@wasm-components/canonical-abi';
import type { ThreadLike } from '../thread.js';
import { EventCode, type Waitable } from '../waitable.js';
import { asyncHooks } from '../streams/hooks.js';
import { ReadableGuestBuffer, WritableGuestBuffer } from '../streams/buffer.js';
import {
  CopyEnd,
  CopyState,
  ReadableFutureEnd,
  ReadableStreamEnd,
  SYNC_IN_SET_TRAP,
  WritableFutureEnd,
  WritableStreamEnd,
} from '../streams/ends.js';
import { CopyResult, type ReclaimBuffer } from '../streams/shared.js';
import { elemTypesEqual, noneOrNumberType } from '../streams/types.js';
import { BLOCKED, CANNOT_BLOCK, checkMayLeave, getAs, removeAs } from './common.js';

/**
 * The async hooks a copy puts on its lift/lower context when none are given
 * (elements that are themselves streams, futures or error contexts need them).
 */
let defaultHooks: AsyncHooks = asyncHooks;

/** Replaces the hooks copies use by default (a runtime with its own {@link createAsyncHooks} options). */
export function setDefaultCopyHooks(hooks: AsyncHooks): void {
  defaultHooks = hooks;
}

/**
 * A synchronous copy or cancel that has to wait (see the module
 * documentation): wait until {@link ready}, then call {@link finish}.
 */
export interface BlockedCopy {
  readonly kind: 'blocked';
  /** The end whose event completes the operation. */
  readonly waitable: Waitable;
  /** True once the event is pending (`e.has_pending_event()`). */
  ready(): boolean;
  /** Consumes the event and returns the built-in's result (packed copy result). Call only when {@link ready}. */
  finish(): number;
}

/** What a copying or cancelling built-in returns: its `i32` result, or a {@link BlockedCopy} for a synchronous caller. */
export type CopyOutcome = number | BlockedCopy;

/** True when `o` is a {@link BlockedCopy}. */
export function isBlocked(o: CopyOutcome): o is BlockedCopy {
  return typeof o === 'object';
}

/** The stream or future type of a built-in: its element type (`undefined` when it has none). */
export interface CopyTypeInfo {
  readonly kind: 'stream' | 'future';
  readonly elem?: ValType;
}

function deliver(e: CopyEnd): number {
  const ev = e.getPendingEvent();
  return ev[2] as number;
}

/**
 * Delivers the event that ends a cancelled *stream* copy. An event that
 * was armed by a partial copy (`COMPLETED | n << 4`) but not yet delivered
 * is reported as `CANCELLED | n << 4`: the guest asked to cancel and never
 * saw the completion. This follows the reference test suite
 * (`cancel-stream.wast` expects `0x42` after a 4-element copy, for both
 * cancel-read and cancel-write; so does wasmtime), where the stored
 * `definitions.py` returns the pending payload unchanged. `DROPPED` and
 * future results are delivered unchanged.
 */
function deliverCancelled(e: CopyEnd): number {
  const payload = deliver(e);
  if (e.shared.kind === 'stream' && (payload & 0xf) === CopyResult.COMPLETED) {
    return ((payload & ~0xf) | CopyResult.CANCELLED) >>> 0;
  }
  return payload;
}

function blocked(e: CopyEnd, finish: (e: CopyEnd) => number = deliver): BlockedCopy {
  return {
    kind: 'blocked',
    waitable: e,
    ready: () => e.hasPendingEvent(),
    finish: () => finish(e),
  };
}

type AnyEndCtor =
  | typeof ReadableStreamEnd
  | typeof WritableStreamEnd
  | typeof ReadableFutureEnd
  | typeof WritableFutureEnd;

/** The constructors as one class type for `instanceof` lookups. */
type EndClass = abstract new (...args: never[]) => CopyEnd;

function endName(Ctor: AnyEndCtor): string {
  switch (Ctor) {
    case ReadableStreamEnd:
      return 'readable stream end';
    case WritableStreamEnd:
      return 'writable stream end';
    case ReadableFutureEnd:
      return 'readable future end';
    default:
      return 'writable future end';
  }
}

/** Trap text for a copy started on an end that is DONE (the reference tests' wording). */
function doneTrap(Ctor: AnyEndCtor): string {
  switch (Ctor) {
    case ReadableStreamEnd:
      return 'cannot read from stream after being notified that the writable end dropped';
    case WritableStreamEnd:
      return 'cannot write to stream after being notified that the readable end dropped';
    case ReadableFutureEnd:
      return 'cannot read from future after previous read succeeded';
    default:
      return 'cannot write to future after previous write succeeded or readable end dropped';
  }
}

/** The common checks of `stream_copy`/`future_copy`/`cancel_copy` before touching the end. */
function enter(thread: ThreadLike, isAsync: boolean): void {
  checkMayLeave(thread.task.inst);
  if (!isAsync && !thread.task.mayBlock()) trap(CANNOT_BLOCK);
}

function checkType<E extends CopyEnd>(e: E, ty: CopyTypeInfo): E {
  if (!elemTypesEqual(e.shared.t, ty.elem)) {
    trap(`${ty.kind} type mismatch: the handle's element type differs from the built-in's`);
  }
  return e;
}

function getEnd<E extends CopyEnd>(thread: ThreadLike, i: number, Ctor: AnyEndCtor, ty: CopyTypeInfo): E {
  return checkType(getAs(thread.task.inst, i, Ctor as EndClass, endName(Ctor)) as E, ty);
}

function checkIdle(e: CopyEnd, Ctor: AnyEndCtor): void {
  if (e.state === CopyState.IDLE) return;
  if (e.state === CopyState.DONE) trap(doneTrap(Ctor));
  trap(`cannot have concurrent operations active on a future/stream: a copy is already in progress on this ${endName(Ctor)}`);
}

function checkSyncNotInSet(e: CopyEnd, isAsync: boolean): void {
  if (!isAsync && e.inSet()) trap(SYNC_IN_SET_TRAP);
}

/** The context of the last copy of number elements per options object (see {@link copyContext}). */
const numberContexts = new WeakMap<CanonicalOptions, LiftLowerContext>();

/**
 * The lift/lower context of a copy. Copies of number elements (or none)
 * only read and write memory bytes, so they share one context per options
 * object and instance (it caches the memory view); copies of other types
 * get their own (lifting may move handles and mark the context).
 */
function copyContext(opts: CanonicalOptions, inst: ComponentInstanceState, hooks: AsyncHooks, elem: ValType | undefined): LiftLowerContext {
  if (!noneOrNumberType(elem)) return new LiftLowerContext(opts, inst, undefined, hooks);
  const cx = numberContexts.get(opts);
  if (cx !== undefined && cx.inst === inst && cx.hooks === hooks) return cx;
  const made = new LiftLowerContext(opts, inst, undefined, hooks);
  numberContexts.set(opts, made);
  return made;
}

/** A copy started by {@link beginCopy}: the end, whether it reads, its guest buffer. */
interface Begun<E extends CopyEnd> {
  readonly e: E;
  readonly inst: ComponentInstanceState;
  readonly reading: boolean;
  readonly buffer: WritableGuestBuffer | ReadableGuestBuffer;
}

/**
 * The checks and the buffer of `stream_copy`/`future_copy` before the end's
 * `copy`: may-leave and may-block, the end's kind, type and state, then a
 * guest buffer of `n` elements at `ptr` (reads write into it, writes read from it).
 */
function beginCopy<E extends CopyEnd>(Ctor: AnyEndCtor, ty: CopyTypeInfo, opts: CanonicalOptions, thread: ThreadLike, i: number, ptr: number, n: number, hooks: AsyncHooks): Begun<E> {
  const isAsync = opts.async === true;
  enter(thread, isAsync);
  const e = getEnd<E>(thread, i, Ctor, ty);
  checkIdle(e, Ctor);
  checkSyncNotInSet(e, isAsync);
  const inst = thread.task.inst;
  const cx = copyContext(opts, inst, hooks, ty.elem);
  const reading = Ctor === ReadableStreamEnd || Ctor === ReadableFutureEnd;
  const buffer = reading ? new WritableGuestBuffer(ty.elem, cx, ptr, n) : new ReadableGuestBuffer(ty.elem, cx, ptr, n);
  return { e, inst, reading, buffer };
}

/**
 * The end of `stream_copy`/`future_copy` after the end's `copy`: the
 * result at once when the copy's event is already pending, else
 * {@link BLOCKED} (async) or a {@link BlockedCopy} (sync).
 */
function finishCopy(e: CopyEnd, isAsync: boolean): CopyOutcome {
  if (e.hasPendingEvent()) return deliver(e);
  if (!isAsync) {
    e.state = CopyState.SYNC_COPYING;
    return blocked(e);
  }
  e.state = CopyState.ASYNC_COPYING;
  return BLOCKED;
}

/**
 * `stream.read` and `stream.write` (`stream_copy`): starts a copy of up to
 * `n` elements at `ptr` on end `i`. Returns the packed result
 * `CopyResult | (elements << 4)`, {@link BLOCKED} (async caller), or a
 * {@link BlockedCopy} (sync caller).
 */
export function streamCopy(
  Ctor: typeof ReadableStreamEnd | typeof WritableStreamEnd,
  ty: CopyTypeInfo,
  opts: CanonicalOptions,
  thread: ThreadLike,
  i: number,
  ptr: number,
  n: number,
  hooks: AsyncHooks = defaultHooks,
): CopyOutcome {
  const { e, inst, reading, buffer } = beginCopy<ReadableStreamEnd | WritableStreamEnd>(Ctor, ty, opts, thread, i, ptr, n, hooks);
  const code = reading ? EventCode.STREAM_READ : EventCode.STREAM_WRITE;
  const index = i >>> 0;
  const event = (result: CopyResult, reclaim: ReclaimBuffer | undefined): [number, number, number] => {
    reclaim?.();
    e.state = result === CopyResult.DROPPED ? CopyState.DONE : CopyState.IDLE;
    return [code, index, (result | (buffer.progress << 4)) >>> 0];
  };
  const onCopy = (reclaim: ReclaimBuffer): void => e.setPendingEvent(() => event(CopyResult.COMPLETED, reclaim));
  const onCopyDone = (result: CopyResult): void => e.setPendingEvent(() => event(result, undefined));
  if (reading) (e as ReadableStreamEnd).copy(inst, buffer as WritableGuestBuffer, onCopy, onCopyDone);
  else (e as WritableStreamEnd).copy(inst, buffer as ReadableGuestBuffer, onCopy, onCopyDone);
  return finishCopy(e, opts.async === true);
}

/**
 * `future.read` and `future.write` (`future_copy`): copies the one value at
 * `ptr`. Returns the `CopyResult`, {@link BLOCKED}, or a {@link BlockedCopy}.
 */
export function futureCopy(
  Ctor: typeof ReadableFutureEnd | typeof WritableFutureEnd,
  ty: CopyTypeInfo,
  opts: CanonicalOptions,
  thread: ThreadLike,
  i: number,
  ptr: number,
  hooks: AsyncHooks = defaultHooks,
): CopyOutcome {
  const { e, inst, reading, buffer } = beginCopy<ReadableFutureEnd | WritableFutureEnd>(Ctor, ty, opts, thread, i, ptr, 1, hooks);
  const code = reading ? EventCode.FUTURE_READ : EventCode.FUTURE_WRITE;
  const index = i >>> 0;
  const event = (result: CopyResult): [number, number, number] => {
    e.state = result === CopyResult.DROPPED || result === CopyResult.COMPLETED ? CopyState.DONE : CopyState.IDLE;
    return [code, index, result];
  };
  const onCopyDone = (result: CopyResult): void => e.setPendingEvent(() => event(result));
  if (reading) (e as ReadableFutureEnd).copy(inst, buffer as WritableGuestBuffer, onCopyDone);
  else (e as WritableFutureEnd).copy(inst, buffer as ReadableGuestBuffer, onCopyDone);
  return finishCopy(e, opts.async === true);
}

/**
 * `{stream,future}.cancel-{read,write}` (`cancel_copy`): cancels the async
 * copy in progress on end `i`. Returns the copy's packed result (which may
 * count elements copied before the cancel; see `deliverCancelled` for how a
 * partial copy not yet delivered is reported), {@link BLOCKED} or a
 * {@link BlockedCopy}.
 */
export function cancelCopy(Ctor: AnyEndCtor, ty: CopyTypeInfo, isAsync: boolean, thread: ThreadLike, i: number): CopyOutcome {
  enter(thread, isAsync);
  const e = getEnd<CopyEnd>(thread, i, Ctor, ty);
  if (e.state !== CopyState.ASYNC_COPYING) {
    trap(`cannot cancel: no async ${ty.kind} copy is in progress on this ${endName(Ctor)}`);
  }
  checkSyncNotInSet(e, isAsync);
  e.state = CopyState.CANCELLING_COPY;
  if (!e.hasPendingEvent()) {
    e.shared.cancel();
    if (!e.hasPendingEvent()) {
      if (!isAsync) return blocked(e, deliverCancelled);
      return BLOCKED;
    }
  }
  return deliverCancelled(e);
}

/** `{stream,future}.drop-{readable,writable}`: removes end `i` and drops it (traps while it is copying). */
export function dropEnd(Ctor: AnyEndCtor, ty: CopyTypeInfo, inst: ComponentInstanceState, i: number): void {
  checkMayLeave(inst);
  const e = checkType(removeAs(inst, i, Ctor as EndClass, endName(Ctor)), ty);
  e.drop();
}

/** A `{stream,future}.cancel-{read,write}` built-in of type `T` (`isAsync` = the built-in's `async` immediate). */
export type CancelBuiltin<T extends CopyTypeInfo> = (ty: T, isAsync: boolean, thread: ThreadLike, i: number) => CopyOutcome;

/** A `{stream,future}.drop-{readable,writable}` built-in of type `T`. */
export type DropBuiltin<T extends CopyTypeInfo> = (ty: T, inst: ComponentInstanceState, i: number) => void;

/** The cancel built-in of the ends made by `Ctor` (so stream.ts and future.ts each state only which end). */
export function cancelBuiltin<T extends CopyTypeInfo>(Ctor: AnyEndCtor): CancelBuiltin<T> {
  return (ty, isAsync, thread, i) => cancelCopy(Ctor, ty, isAsync, thread, i);
}

/** The drop built-in of the ends made by `Ctor`. */
export function dropBuiltin<T extends CopyTypeInfo>(Ctor: AnyEndCtor): DropBuiltin<T> {
  return (ty, inst, i) => dropEnd(Ctor, ty, inst, i);
}

/**
 * `{stream,future}.new`: puts both ends of `shared` into the caller's table
 * (readable first) and returns the core `i64` result `readable | (writable << 32)`.
 */
export function newEnds(inst: ComponentInstanceState, readable: CopyEnd, writable: CopyEnd): bigint {
  checkMayLeave(inst);
  const ri = inst.handles.add(readable);
  const wi = inst.handles.add(writable);
  return BigInt(ri) | (BigInt(wi) << 32n);
}
