/**
 * Threads (`CanonicalABI.md#thread-state`): the unit that runs guest code
 * and may be suspended. This module starts with the small interfaces other
 * modules (the stream/future built-ins, host adapters) may rely on; the
 * implementation lives in `scheduler.ts`/`task.ts` and satisfies them.
 *
 * @module
 */

import type { ComponentInstanceState } from '@wasm-components/canonical-abi';
import type { PickIndex } from './waitable.js';

/**
 * What a built-in needs to know about the task of the calling thread
 * (`thread.task`).
 */
export interface TaskLike {
  /** The component instance the task runs in (`task.inst`). */
  readonly inst: ComponentInstanceState;
  /**
   * `Task.may_block()`: true when the task's function type is `async`, or
   * the task has already returned its value. A task that may not block
   * must trap ("cannot block a synchronous task before returning") rather
   * than wait.
   */
  mayBlock(): boolean;
}

/** The calling thread, as seen by a built-in (`thread` in `definitions.py`). */
export interface ThreadLike {
  /** The task the thread belongs to. */
  readonly task: TaskLike;
}

/**
 * `Cancelled` of the spec: what a suspension reports when it resumes. A
 * thread suspended with `cancellable = true` may be resumed with `TRUE`
 * when its task's caller requests cancellation.
 */
export const Cancelled = {
  FALSE: 0,
  TRUE: 1,
} as const;
/** One of the {@link Cancelled} values. */
export type Cancelled = (typeof Cancelled)[keyof typeof Cancelled];

/**
 * How a suspended thread continues when the scheduler picks it: a JSPI
 * thread resolves the promise its stack awaits; a callback-lifted thread
 * runs the next step of its event loop synchronously.
 */
export type ResumeFn = (cancelled: Cancelled) => void;

/**
 * The state a thread needs from its task; implemented by `Task` (task.ts).
 * Kept structural so this module does not import task.ts.
 */
export interface ThreadTask extends TaskLike {
  /** `Task.deliver_pending_cancel(cancellable)`. */
  deliverPendingCancel(cancellable: boolean): boolean;
  /** The scheduler the task's instance belongs to. */
  readonly store: ThreadStore;
}

/** What a thread needs of the scheduler (implemented by `Store`, scheduler.ts). */
export interface ThreadStore {
  /** Adds `t` to the threads waiting for their ready condition. */
  addWaiting(t: Thread): void;
  /** Removes `t` from the waiting threads. */
  removeWaiting(t: Thread): void;
  /** Chooses among several ready waitables (seeded), or undefined for the first. */
  readonly pick: PickIndex | undefined;
}

/**
 * A thread of a task (`Thread` in `CanonicalABI.md#thread-state`).
 *
 * The spec models a thread as a fiber that can be suspended anywhere. Here
 * a thread is either *stackful* (its core code runs inside
 * `WebAssembly.promising`, and suspending returns a Promise to a
 * `WebAssembly.Suspending` import: see jspi.ts) or *stackless* (a
 * callback-lifted task between two callback calls, which has no live core
 * stack, so suspending it needs no engine support). Both wait the same way:
 * with a ready condition in the store's waiting list, resumed by the
 * scheduler through {@link resumeFn}.
 *
 * ```text
 *   running ──wait/suspend──▶ waiting (readyFunc set, in store.waiting)
 *      ▲                          │ scheduler: ready() true, or cancelled
 *      └──────── resume ◀─────────┘
 * ```
 */
export class Thread implements ThreadLike {
  /** The task this thread runs for. */
  readonly task: ThreadTask;
  /** While waiting: the condition that makes the thread ready (`ready_func`). */
  readyFunc: (() => boolean) | null = null;
  /** Whether the current suspension may be ended by a cancellation request. */
  cancellable = false;
  /** What the last resumption reported. */
  cancelled: Cancelled = Cancelled.FALSE;
  /** Index in the instance's thread table (`thread.index`); 0 until registered. */
  index = 0;
  /** Context-local storage (`context.get/set`), two slots, zero-initialised. */
  readonly storage: (number | bigint)[] = [0, 0];
  /** How to continue the thread when resumed (set while it waits). */
  resumeFn: ResumeFn | null = null;
  /**
   * True while the thread's core code runs inside a JSPI `promising` call,
   * so a built-in may suspend it by returning a Promise.
   */
  canSuspend = false;
  /** True once the thread finished (its function returned or trapped). */
  done = false;
  /** Opaque state of the embedding (the runtime's call-stack frame) restored whenever the thread runs. */
  frame: unknown = undefined;

  constructor(task: ThreadTask) {
    this.task = task;
  }

  /** True when the thread waits in the store (`waiting()`). */
  waiting(): boolean {
    return this.readyFunc !== null;
  }

  /** True when a waiting thread may run now (`ready()`). */
  ready(): boolean {
    const f = this.readyFunc;
    return f !== null && f();
  }

  /**
   * Parks the thread until `readyFunc` holds (or, if `cancellable`, its
   * task is cancelled), then the scheduler calls `resume`. Returns
   * `Cancelled.TRUE` at once when a cancellation is already pending
   * (`deliver_pending_cancel`), without parking; otherwise `null`.
   */
  waitUntil(readyFunc: () => boolean, cancellable: boolean, resume: ResumeFn): Cancelled | null {
    if (this.task.deliverPendingCancel(cancellable)) return Cancelled.TRUE;
    this.readyFunc = readyFunc;
    this.cancellable = cancellable;
    this.resumeFn = resume;
    this.task.store.addWaiting(this);
    return null;
  }

  /** Resumes a waiting thread (`Thread.resume`): leaves the waiting list and continues it. */
  resume(cancelled: Cancelled): void {
    const f = this.resumeFn;
    if (this.readyFunc !== null) this.task.store.removeWaiting(this);
    this.readyFunc = null;
    this.resumeFn = null;
    this.cancelled = cancelled;
    if (f !== null) f(cancelled);
  }
}
