/**
 * The {@link AsyncHooks} of `@wasm-components/canonical-abi`: how stream,
 * future and error-context values are lifted from and lowered into a
 * component instance's handle table (`lift_stream`, `lift_future`,
 * `lift_async_value`, `lower_stream`, `lower_future`, `lift_error_context`,
 * `lower_error_context` in `CanonicalABI.md#loading` and `#storing`).
 *
 * Lifting a stream or future *moves* its readable end out of the table (the
 * end must be idle, not done, and not in a waitable set); the lifted value
 * is a {@link ComponentReadableStream} / {@link ComponentFuture}, which is
 * both what JS code uses and what lowering into another component accepts
 * (passing the shared state through, no copying). Lowering adds a fresh
 * readable end. Error contexts are shared: lifting leaves the handle in the
 * table.
 *
 * @module
 */

import {
  type AsyncHooks,
  badValue,
  describeTableEntry,
  type ErrorContextType,
  type FutureType,
  type LiftLowerContext,
  type StreamType,
  trap,
  trapWrongHandleKind,
} from '@wasm-components/canonical-abi';
import { ErrorContext, isErrorContext } from '../error-context.js';
import { ComponentFuture, sharedFutureFor } from '../host/future.js';
import { ComponentReadableStream, sharedStreamFor } from '../host/stream.js';
import { CopyEnd, CopyState, ReadableFutureEnd, ReadableStreamEnd } from './ends.js';
import { elemTypesEqual } from './types.js';
import { linkStores, type Store } from '../scheduler.js';
import type { AsyncInstance } from '../task.js';

/**
 * The store a lifted readable end came from: lowering it into a component
 * of another store links the two stores (see `linkStores`: the writer may
 * keep feeding the reader with no host call in progress).
 */
const liftedFrom = new WeakMap<object, Store>();

/** The store of the instance (none for instances of embeddings without a scheduler, e.g. unit tests). */
function storeOf(cx: LiftLowerContext): Store | undefined {
  return (cx.inst as Partial<AsyncInstance>).store;
}

function linkTo(cx: LiftLowerContext, value: unknown): void {
  const from = typeof value === 'object' && value !== null ? liftedFrom.get(value) : undefined;
  const to = storeOf(cx);
  if (from !== undefined && to !== undefined && from !== to) linkStores(from, to);
}

/** Options of {@link createAsyncHooks}. */
export interface AsyncHooksOptions {
  /** Elements per host read of a lifted number stream (default 65536). */
  readonly streamChunk?: number;
  /** Told about errors of JS sources pumped into lowered streams/futures (default: an unhandled rejection). */
  readonly onHostError?: (e: unknown) => void;
}

function liftEnd(cx: LiftLowerContext, i: number, Ctor: typeof ReadableStreamEnd | typeof ReadableFutureEnd, ty: StreamType | FutureType): CopyEnd {
  const e = cx.inst.handles.remove(i);
  const what = ty.kind === 'stream' ? 'readable stream end' : 'readable future end';
  if (!(e instanceof Ctor)) return trapWrongHandleKind(i, what, describeTableEntry(e));
  if (!elemTypesEqual(e.shared.t, ty.elem)) trap(`${ty.kind} type mismatch: the handle's element type differs from the lifted type`);
  if (e.state !== CopyState.IDLE) {
    if (e.state === CopyState.DONE) {
      trap(
        ty.kind === 'stream'
          ? 'cannot lift stream after being notified that the writable end dropped'
          : 'cannot lift future after previous read succeeded',
      );
    }
    trap(e.busyTrap());
  }
  if (e.inSet()) trap(`cannot lift ${ty.kind} while it's in a waitable set`);
  return e;
}

/** The hooks for a runtime (one object can serve every instance). */
export function createAsyncHooks(options: AsyncHooksOptions = {}): AsyncHooks {
  const chunk = options.streamChunk;
  const onError = options.onHostError;
  return {
    liftStream(cx, index, type) {
      const e = liftEnd(cx, index, ReadableStreamEnd, type) as ReadableStreamEnd;
      const s = chunk === undefined ? new ComponentReadableStream(e.shared) : new ComponentReadableStream(e.shared, chunk);
      const from = storeOf(cx);
      if (from !== undefined) liftedFrom.set(s, from);
      return s;
    },
    lowerStream(cx, value, type) {
      linkTo(cx, value);
      return cx.inst.handles.add(new ReadableStreamEnd(sharedStreamFor(value, type.elem, onError)));
    },
    liftFuture(cx, index, type) {
      const e = liftEnd(cx, index, ReadableFutureEnd, type) as ReadableFutureEnd;
      const f = new ComponentFuture(e.shared);
      const from = storeOf(cx);
      if (from !== undefined) liftedFrom.set(f, from);
      return f;
    },
    lowerFuture(cx, value, type) {
      linkTo(cx, value);
      return cx.inst.handles.add(new ReadableFutureEnd(sharedFutureFor(value, type.elem, onError)));
    },
    liftErrorContext(cx, index, _type: ErrorContextType) {
      const e = cx.inst.handles.get(index);
      if (!(e instanceof ErrorContext)) return trapWrongHandleKind(index, 'error-context', describeTableEntry(e));
      return e;
    },
    lowerErrorContext(cx, value, _type: ErrorContextType) {
      if (!isErrorContext(value)) return badValue('error-context (an ErrorContext: use ErrorContext.fromHost(message) to make one)', value);
      return cx.inst.handles.add(value);
    },
  };
}

/** Hooks with default options. */
export const asyncHooks: AsyncHooks = createAsyncHooks();
