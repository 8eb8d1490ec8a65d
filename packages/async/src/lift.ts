/**
 * `canon lift` of functions whose tasks may outlive their first core call
 * (`CanonicalABI.md#canon-lift`): `async` lifts with and without
 * `callback`, and sync-ABI lifts of `async` functions.
 *
 * - Callback lifts: the core function returns a packed code
 *   (`EXIT = 0`, `YIELD = 1`, `WAIT = 2 | (set << 4)`); the host drives the
 *   event loop, calling the callback with each event. No core stack is live
 *   between calls, so this works on every engine.
 * - Stackful lifts (async without callback) and sync-ABI lifts of async
 *   functions run the core function through JSPI `promising` when the
 *   engine has it, so their built-ins can suspend; without JSPI they run
 *   directly and trap if they would block.
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import { type CoreSig, runOnStack, type StackEntry, stackEntry } from './stack.js';
import type { Store } from './scheduler.js';
import { type AsyncInstance, type OnResolve, Task, type TaskOptions, type TaskRoot } from './task.js';
import { Cancelled, Thread } from './thread.js';
import { EventCode, type EventTuple, WaitableSet } from './waitable.js';
import { CANNOT_BLOCK_SYNC } from './builtins/caller.js';

/** Callback result codes (`CallbackCode`). */
export const CallbackCode = {
  EXIT: 0,
  YIELD: 1,
  WAIT: 2,
} as const;
/** One of the {@link CallbackCode} values. */
export type CallbackCode = (typeof CallbackCode)[keyof typeof CallbackCode];

/** The trap of a callback result with an unknown code (the reference tests' wording). */
export const UNSUPPORTED_CALLBACK_CODE: string = 'unsupported callback code';

/** What {@link startTask} needs from the embedding for one lifted function. */
export interface LiftSpec {
  readonly inst: AsyncInstance;
  readonly opts: TaskOptions;
  /** Whether the function type is `async`. */
  readonly ftAsync: boolean;
  /** The core function. */
  readonly core: (...flat: unknown[]) => unknown;
  /** The core function on its own JSPI stack (see {@link stackEntry}); undefined without JSPI. */
  readonly coreEntry: StackEntry | undefined;
  /** The callback core function of a callback lift. */
  readonly callback: ((code: number, p1: number, p2: number) => unknown) | undefined;
  /** The callback on its own JSPI stack; undefined without JSPI or callback. */
  readonly callbackEntry: StackEntry | undefined;
  /**
   * Makes the embedding's frame for the new task (restored whenever its
   * thread runs); `caller` is what {@link startTask} was given. The spec is
   * made once per lift, so per-call state lives in the frame.
   */
  makeFrame(task: Task, thread: Thread, caller: unknown): unknown;
  /** Lowers the arguments into the callee (`frame`: the task's, from {@link makeFrame}); returns the flat core arguments. */
  lowerArgs(task: Task, args: readonly unknown[], frame: unknown): unknown[];
  /** Sync ABI only: lifts the flat core results into the result value. */
  liftResults(task: Task, flat: unknown, frame: unknown): unknown;
  /** Sync ABI only: runs `post-return` (if any) with the flat results. */
  postReturn(flat: unknown): void;
  /** Called with any error of the task (poisons the instance); returns the error to report. */
  onError(e: unknown): unknown;
}

/**
 * The stack entries of a lift's core function and callback (signatures
 * from `canon lift`'s flattening); both undefined without JSPI.
 */
export function liftEntries(
  core: unknown,
  coreSig: CoreSig,
  callback: unknown,
): { readonly coreEntry: StackEntry | undefined; readonly callbackEntry: StackEntry | undefined } {
  return {
    coreEntry: stackEntry(core, coreSig),
    callbackEntry: callback === undefined ? undefined : stackEntry(callback, { params: ['i32', 'i32', 'i32'], results: ['i32'] }),
  };
}

function withFrame<T>(store: Store, thread: Thread, f: () => T): T {
  const saved = store.frames.get();
  store.frames.set(thread.frame);
  try {
    return f();
  } finally {
    store.frames.set(saved);
  }
}

/**
 * Calls core code for `thread`: on its own stack when `entry` is given (so
 * it may block), else directly. `k` gets the results: synchronously when the
 * code did not suspend, later otherwise (errors then go to `fail`).
 */
export function callCore(
  thread: Thread,
  entry: StackEntry | undefined,
  direct: (...flat: unknown[]) => unknown,
  args: readonly unknown[],
  k: (results: unknown) => void,
  fail: (e: unknown) => void,
): void {
  const store = thread.task.store as Store;
  if (entry === undefined) {
    const frames = store.frames;
    const saved = frames.get();
    frames.set(thread.frame);
    let v: unknown;
    try {
      v = direct(...args);
    } finally {
      frames.set(saved);
    }
    k(v);
    return;
  }
  const o = runOnStack(thread, entry, args);
  if (o.sync) {
    k(o.value);
    return;
  }
  o.promise.then((v) => {
    try {
      k(v);
    } catch (e) {
      fail(e);
    }
  }, fail).finally(o.release);
}

/**
 * Starts one call (`canon_lift`): makes the task and its thread, enters
 * (possibly waiting for backpressure), lowers the arguments and runs the
 * core code. Errors before the first suspension are thrown to the caller;
 * later ones go to `spec.onError` and the task's root. `caller` is passed
 * to `spec.makeFrame`.
 */
export function startTask(spec: LiftSpec, onStart: () => readonly unknown[], onResolve: OnResolve, root: TaskRoot | null, caller?: unknown): Task {
  const task = new Task(spec.opts, spec.inst, spec.ftAsync, onResolve, root);
  const thread = new Thread(task);
  thread.frame = spec.makeFrame(task, thread, caller);
  if (task.tryEnter(thread)) {
    try {
      runTask(spec, task, thread, onStart);
    } catch (e) {
      throw spec.onError(e);
    }
  } else {
    task.enter(thread, (entered) => {
      if (!entered) return;
      try {
        runTask(spec, task, thread, onStart);
      } catch (e) {
        task.fail(spec.onError(e));
      }
    });
  }
  return task;
}

/** The body of {@link startTask} once the task entered: lowers the arguments and runs the core code. */
function runTask(spec: LiftSpec, task: Task, thread: Thread, onStart: () => readonly unknown[]): void {
  const frame = thread.frame;
  const store = spec.inst.store;
  const frames = store.frames;
  const saved = frames.get();
  frames.set(frame);
  let flat: unknown[];
  try {
    flat = spec.lowerArgs(task, onStart(), frame);
  } catch (e) {
    // Nothing ran in the callee: it must not keep the instance (a bad host argument is no trap of it).
    task.abandon(thread);
    throw e;
  } finally {
    frames.set(saved);
  }
  const cb = spec.callback;
  if (cb !== undefined && spec.coreEntry === undefined) {
    // No stack: the first result is known at once, and a task that exits from its
    // first call (`task.return` then EXIT) needs none of the event loop's state.
    let packed: unknown;
    frames.set(frame);
    try {
      packed = spec.core(...flat);
    } finally {
      frames.set(saved);
    }
    if (((Number(packed) >>> 0) & 0xf) === CallbackCode.EXIT) task.exit(thread);
    else driveCallbackLoop(task, thread, packed, cb, failTask(spec, task), spec.callbackEntry);
    return;
  }
  const entry = spec.coreEntry;
  if (cb === undefined && spec.opts.async && entry !== undefined) {
    // A stackful lift (callCore inlined: a call that does not suspend makes no closure).
    const o = runOnStack(thread, entry, flat);
    if (o.sync) {
      task.exit(thread);
      return;
    }
    const failLater = failTask(spec, task);
    o.promise
      .then(() => {
        try {
          task.exit(thread);
        } catch (e) {
          failLater(e);
        }
      }, failLater)
      .finally(o.release);
    return;
  }
  const fail = failTask(spec, task);
  if (cb !== undefined) {
    callCore(thread, spec.coreEntry, spec.core, flat, (packed) => driveCallbackLoop(task, thread, packed, cb, fail, spec.callbackEntry), fail);
    return;
  }
  if (!spec.opts.async) {
    callCore(
      thread,
      spec.coreEntry,
      spec.core,
      flat,
      (res) => {
        withFrame(store, thread, () => {
          task.return(spec.liftResults(task, res, frame));
          spec.postReturn(res);
        });
        task.exit(thread);
      },
      fail,
    );
    return;
  }
  callCore(thread, entry, spec.core, flat, () => task.exit(thread), fail);
}

/** Where errors of `task` go once its first call has returned: the instance is poisoned and the task's root told. */
function failTask(spec: LiftSpec, task: Task): (e: unknown) => void {
  return (e) => task.fail(spec.onError(e));
}

const SUSPENDED: unique symbol = Symbol('suspended');

/**
 * The event loop of a callback lift (the `while code != EXIT` loop of
 * `canon_lift`): releases exclusive access while waiting, waits for the
 * set's event or a yield turn, reacquires it and calls the callback.
 */
export function driveCallbackLoop(
  task: Task,
  thread: Thread,
  firstPacked: unknown,
  callback: (code: number, p1: number, p2: number) => unknown,
  fail: (e: unknown) => void,
  callbackEntry?: StackEntry,
): void {
  const inst = task.inst;
  const store = inst.store;
  let wset: WaitableSet | null = null;
  // The ready conditions of a YIELD and of a WAIT on `wset` (made once per task, not per wait).
  const mayResume = (): boolean => inst.exclusive === null;
  const eventReady = (): boolean => inst.exclusive === null && wset !== null && wset.hasPendingEvent();
  /**
   * Calls the callback with `ev`. Returns its packed result when it did not
   * suspend; otherwise `SUSPENDED`, and the loop continues when it finishes.
   */
  const call = (ev: EventTuple): unknown => {
    inst.exclusive = task;
    if (callbackEntry === undefined) {
      // No stack: the result is known at once (callCore's direct path, without its closures).
      const frames = store.frames;
      const saved = frames.get();
      frames.set(thread.frame);
      try {
        return callback(ev[0], ev[1], ev[2]);
      } finally {
        frames.set(saved);
      }
    }
    let out: unknown = SUSPENDED;
    let sync = true;
    callCore(
      thread,
      callbackEntry,
      callback as (...flat: unknown[]) => unknown,
      [ev[0], ev[1], ev[2]],
      (packed) => {
        if (sync) out = packed;
        else step(packed);
      },
      fail,
    );
    sync = false;
    return out;
  };
  const resume = (cancelled: Cancelled): void => {
    try {
      let ev: EventTuple;
      if (wset !== null) {
        const s = wset;
        wset = null;
        s.numWaiting--;
        ev = cancelled === Cancelled.TRUE ? [EventCode.TASK_CANCELLED, 0, 0] : s.getPendingEvent(store.pick);
      } else {
        ev = cancelled === Cancelled.TRUE ? [EventCode.TASK_CANCELLED, 0, 0] : [EventCode.NONE, 0, 0];
      }
      const packed = call(ev);
      if (packed !== SUSPENDED) step(packed);
    } catch (e) {
      fail(e);
    }
  };
  const step = (packed: unknown): void => {
    for (;;) {
      const p = Number(packed) >>> 0;
      const code = p & 0xf;
      if (code > CallbackCode.WAIT) trap(UNSUPPORTED_CALLBACK_CODE);
      if (code === CallbackCode.EXIT) {
        task.exit(thread);
        return;
      }
      if (inst.exclusive === task) inst.exclusive = null;
      let ev: EventTuple;
      if (code === CallbackCode.YIELD) {
        if (!task.mayBlock()) {
          ev = [EventCode.NONE, 0, 0];
        } else {
          const c = thread.waitUntil(mayResume, true, resume);
          if (c === null) return;
          ev = [EventCode.TASK_CANCELLED, 0, 0];
        }
      } else {
        if (!task.mayBlock()) trap(CANNOT_BLOCK_SYNC);
        const si = p >>> 4;
        const s = inst.handles.get(si);
        if (!(s instanceof WaitableSet)) trap(`callback WAIT on handle ${si}, which is not a waitable set`);
        s.numWaiting++;
        wset = s;
        const c = thread.waitUntil(eventReady, true, resume);
        if (c === null) return;
        wset = null;
        s.numWaiting--;
        ev = [EventCode.TASK_CANCELLED, 0, 0];
      }
      packed = call(ev);
      if (packed === SUSPENDED) return;
    }
  };
  step(firstPacked);
}
