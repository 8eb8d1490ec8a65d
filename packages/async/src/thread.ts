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
  /** Whether the task's lift runs its core code with exclusive access (`needs_exclusive`: sync-ABI and callback lifts). */
  needsExclusive(): boolean;
  /** Whether the task's function type is `async` (`task.ft.async_`). */
  readonly ftAsync: boolean;
  /** True once the task returned its value or acknowledged cancellation. */
  resolved(): boolean;
  /** `Task.register_thread`: gives a new thread of the task its index. */
  registerThread(thread: Thread): void;
  /** `Task.unregister_thread`: traps when the last thread leaves an unresolved task. */
  unregisterThread(thread: Thread): void;
}

/** What a thread needs of the scheduler (implemented by `Store`, scheduler.ts). */
export interface ThreadStore {
  /** The threads waiting for their ready condition (`waiting`). */
  readonly waiting: readonly Thread[];
  /** The calls from the host not yet resolved (only their number matters here). */
  readonly hostCalls: { readonly size: number };
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
  #storage: (number | bigint)[] | undefined = undefined;
  /** Context-local storage (`context.get/set`), two slots, zero-initialised (made on first use). */
  get storage(): (number | bigint)[] {
    return (this.#storage ??= [0, 0]);
  }
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
  /**
   * True for the thread a task starts with (`canon lift`), false for the
   * threads `thread.new-indirect` adds. The scheduler treats the implicit
   * thread of a task that needs exclusive access differently while a
   * synchronous call is in progress (see {@link mayRun}).
   */
  implicit = true;

  constructor(task: ThreadTask) {
    this.task = task;
  }

  /** True when the thread waits in the store (`waiting()`). */
  waiting(): boolean {
    return this.readyFunc !== null;
  }

  /**
   * True when the thread is *suspended* (`suspended()`): not running, not
   * waiting for a condition, so only an explicit resumption
   * (`thread.resume-later`, `thread.*-then-resume`) continues it. A thread
   * made by `thread.new-indirect` starts suspended.
   */
  suspended(): boolean {
    return !this.done && this.readyFunc === null && this.resumeFn !== null;
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

  /**
   * Parks the thread *suspended* (`Thread.suspend`): no ready condition, so
   * it stays out of the store's waiting list until someone resumes it.
   */
  suspendUntilResumed(cancellable: boolean, resume: ResumeFn): void {
    this.readyFunc = null;
    this.cancellable = cancellable;
    this.resumeFn = resume;
  }

  /**
   * `Thread.resume_later`: a suspended thread becomes ready at once, so the
   * scheduler continues it at its next opportunity.
   */
  resumeLater(): void {
    this.readyFunc = () => true;
    this.task.store.addWaiting(this);
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

/** The outermost component instance containing `inst` (instances are linked through an optional `parent`). */
function rootOf(inst: object): object {
  let i = inst as { readonly parent?: object | undefined };
  while (i.parent !== undefined) i = i.parent as { readonly parent?: object | undefined };
  return i;
}

/**
 * Whether a thread of `task` other than the running one is ready to run in
 * the same tree of component instances: then a task whose function type is
 * not `async` may still block (the spec lets any thread of the instance
 * take the stack in its place; `during-sync-call-may-block-if-other-ready-threads.wast`).
 */
export function otherThreadReady(task: TaskLike & { readonly store: ThreadStore }): boolean {
  const root = rootOf(task.inst);
  for (const t of task.store.waiting) {
    if (t.ready() && rootOf(t.task.inst) === root) return true;
  }
  return false;
}

/**
 * The synchronous (non-`async`-typed) calls in progress on JSPI stacks, per
 * store, innermost last. While one is in progress only some threads may
 * take the stack: see {@link mayRun}.
 */
const syncCalls = new WeakMap<ThreadStore, ThreadTask[]>();

/** Records that a non-`async`-typed task started running core code on its own stack. */
export function beginSyncCall(task: ThreadTask): void {
  let calls = syncCalls.get(task.store);
  if (calls === undefined) syncCalls.set(task.store, (calls = []));
  // Calls nest, so finished ones gather at the end: drop them, keeping the list as deep as the live calls.
  while (calls.length > 0 && !live(calls[calls.length - 1] as ThreadTask)) calls.pop();
  calls.push(task);
}

/** Forgets every synchronous call of `store` (after a deadlock rejected all calls from the host). */
export function clearSyncCalls(store: ThreadStore): void {
  syncCalls.delete(store);
}

function live(task: ThreadTask): boolean {
  const inst = task.inst as { readonly poisoned?: unknown };
  return !task.resolved() && inst.poisoned === undefined;
}

/** The innermost synchronous call still in progress in `store`, dropping finished ones. */
function innermostSyncCall(store: ThreadStore): ThreadTask | undefined {
  const calls = syncCalls.get(store);
  if (calls === undefined) return undefined;
  for (let i = calls.length - 1; i >= 0; i--) {
    const t = calls[i] as ThreadTask;
    if (live(t)) return t;
    calls.splice(i, 1);
  }
  return undefined;
}

/**
 * Whether the scheduler may resume `t` now. While a non-`async`-typed call
 * is in progress (`during-sync-call-*.wast`) only threads of that call's
 * component instance may run (anything else would be unexpected
 * reentrance), and not the implicit thread of a task that needs exclusive
 * access (a callback-lifted task between two callbacks); the call's own
 * threads always may. Threads made by `thread.new-indirect` run only while
 * a call from the host is in progress: like the spec's `Store.tick`, the
 * event loop is driven by the embedder's calls, so a thread left ready by a
 * finished call waits for the next one.
 */
export function mayRun(store: ThreadStore, t: Thread): boolean {
  if (!t.implicit && store.hostCalls.size === 0) return false;
  const call = innermostSyncCall(store);
  if (call === undefined || t.task === call) return true;
  if (t.task.inst !== call.inst) return false;
  return !(t.implicit && t.task.needsExclusive());
}
