/**
 * `canon lower` of a call that may not complete at once
 * (`CanonicalABI.md#canon-lower`): an `async` lower, or a sync lower of an
 * `async` function. The caller gets a {@link Subtask}; an async lower
 * returns the packed `state | (index << 4)` (or `RETURNED` when the callee
 * finished at once), a sync lower waits for the result (suspending its
 * thread through JSPI when it has to).
 *
 * The lifting of arguments and lowering of results stay with the embedding
 * (it knows the types and options); this module runs the protocol.
 *
 * @module
 */

import { suspend } from './jspi.js';
import { type Store, whenIdle } from './scheduler.js';
import { SubtaskState, Subtask } from './subtask.js';
import type { Call, OnResolve } from './task.js';
import { EventCode } from './waitable.js';
import { blockingThread, type Caller, CANNOT_BLOCK_SYNC, checkLeave, mayBlock } from './builtins/caller.js';
import { trap } from '@wasm-components/canonical-abi';

/** `BLOCKED`: what async built-ins return when the operation has not completed. */
export const BLOCKED_RESULT: number = 0xffff_ffff;

/**
 * A callee as the spec models it (`FuncInst`): starts the call and returns
 * it. `onStart` gives the arguments (when the callee is ready for them),
 * `onResolve` takes the result or `null` when cancelled.
 */
export type StartCall = (onStart: () => readonly unknown[], onResolve: OnResolve) => Call;

/** What {@link canonLower} needs from the embedding for one call. */
export interface LowerCall {
  /** The calling instance and thread. */
  readonly caller: Caller;
  /** The `async` option of the lower. */
  readonly async: boolean;
  /** Whether the callee's function type is `async`. */
  readonly ftAsync: boolean;
  /** Starts the callee. */
  readonly start: StartCall;
  /** Lifts the core arguments from the caller (`on_start`). */
  liftArgs(): readonly unknown[];
  /** Lowers the result into the caller (`on_resolve`); returns the flat results (none for an async lower). */
  lowerResult(value: unknown): unknown[];
  /** Gives lent borrows back (`deliver_resolve`). */
  release(): void;
}

/**
 * Runs one lowered call. Returns the flat results (sync lower), the packed
 * subtask state (async lower), or a Promise of the flat results when a sync
 * lower had to suspend its thread.
 */
export function canonLower(call: LowerCall): unknown[] | number | Promise<unknown[] | number> {
  const c = call.caller;
  checkLeave(c);
  if (!mayBlock(c) && call.ftAsync && !call.async) trap(CANNOT_BLOCK_SYNC);
  const subtask = new Subtask();
  subtask.onDeliverResolve = () => call.release();
  let onProgress: () => void = () => {};
  let flatResults: unknown[] = [];
  const onStart = (): readonly unknown[] => {
    onProgress();
    subtask.state = SubtaskState.STARTED;
    return call.liftArgs();
  };
  const onResolve: OnResolve = (result) => {
    onProgress();
    if (result === null) {
      subtask.state = subtask.state === SubtaskState.STARTING ? SubtaskState.CANCELLED_BEFORE_STARTED : SubtaskState.CANCELLED_BEFORE_RETURNED;
    } else {
      if (subtask.state === SubtaskState.STARTING) subtask.state = SubtaskState.STARTED;
      subtask.state = SubtaskState.RETURNED;
      flatResults = call.lowerResult(result.value);
    }
  };
  subtask.callee = call.start(onStart, onResolve);
  // A Promise resolves to a plain value: Promise results of `finishLower` are flattened by `then`.
  // Only a sync lower's import is `Suspending` (an async lower's caller may be core code on no stack).
  if (call.async) {
    // Deferred entry decision (as wasmtime; the suite's sync-streams.wast expects it): a callee still
    // waiting to enter is reported STARTING only after the work queued before it had a turn.
    const t = c.thread;
    if (subtask.state === SubtaskState.STARTING && t !== null && t.canSuspend) {
      const r = suspend(t, () => true, false, true);
      if (r instanceof Promise) return r.then(() => finishLower(call, c, subtask, () => flatResults, (f) => (onProgress = f)));
    }
    return finishLower(call, c, subtask, () => flatResults, (f) => (onProgress = f));
  }
  return afterFlight(c, subtask, () => finishLower(call, c, subtask, () => flatResults, (f) => (onProgress = f))) as unknown[] | number | Promise<unknown[] | number>;
}

/**
 * Runs `k` once the callee has run as far as it can without blocking. In
 * the spec a callee runs synchronously until it blocks or returns, before
 * its caller's `canon lower` answers. V8 suspends a JSPI stack at every
 * `Suspending` import, even one that does not block, so a callee may come
 * back *in flight*; a caller on a stack of its own then suspends too (its
 * lower import is `Suspending`) until the callee parks or finishes.
 */
export function afterFlight<T>(c: Caller, subtask: Subtask, k: () => T): T | Promise<T> {
  const t = subtask.resolved() ? undefined : subtask.callee?.inFlight?.();
  const self = c.thread;
  if (t === undefined || self === null || !self.canSuspend) return k();
  const frames = (self.task.store as Store).frames;
  const saved = frames.get();
  return whenIdle(t).then(() => {
    frames.set(saved);
    return afterFlight(c, subtask, k);
  });
}

/** The rest of {@link canonLower} once the callee ran as far as it could. */
function finishLower(
  call: LowerCall,
  c: Caller,
  subtask: Subtask,
  results: () => unknown[],
  setProgress: (f: () => void) => void,
): unknown[] | number | Promise<unknown[]> {
  if (!call.async) {
    if (!subtask.resolved()) {
      // A sync-typed callee that switched threads has not blocked in the spec's sense: its caller just waits for it.
      const thread = call.ftAsync ? blockingThread(c) : (c.thread ?? blockingThread(c));
      const r = suspend(thread, () => subtask.resolved(), false);
      if (r instanceof Promise) {
        return r.then(() => {
          subtask.deliverResolve();
          return results();
        });
      }
    }
    subtask.deliverResolve();
    return results();
  }
  if (subtask.resolved()) {
    subtask.deliverResolve();
    return SubtaskState.RETURNED;
  }
  const index = c.inst.handles.add(subtask);
  setProgress(() => {
    subtask.setPendingEvent(() => {
      if (subtask.resolved()) subtask.deliverResolve();
      return [EventCode.SUBTASK, index, subtask.state];
    });
  });
  return (subtask.state | (index << 4)) >>> 0;
}
