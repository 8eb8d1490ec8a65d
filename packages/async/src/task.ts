/**
 * Tasks (`Task` in `CanonicalABI.md#task-state`): one call of a lifted
 * function, from `canon lift` until it resolves (returns a value or
 * acknowledges cancellation) and its threads have exited.
 *
 * ```text
 *  INITIAL ──request_cancellation (no cancellable thread)──▶ PENDING_CANCEL
 *     │  └──request_cancellation (cancellable thread woken)──▶ CANCEL_DELIVERED ◀─┘ deliver_pending_cancel
 *     │ task.return                                                │ task.cancel
 *     ▼                                                            ▼
 *  RESOLVED ◀──────────────────────────────────────────────────────┘
 * ```
 *
 * Entering (`Task.enter`) applies the three kinds of backpressure: the
 * instance's `backpressure` counter, exclusive access (a sync-ABI or
 * callback lift holds the instance while its core code runs), and the
 * queue of tasks already waiting to enter (no barging).
 *
 * @module
 */

import { type ComponentInstanceState, type HandleTable, trap } from '@wasm-components/canonical-abi';
import type { Store } from './scheduler.js';
import { beginSyncCall, Cancelled, otherThreadReady, type Thread, type ThreadTask } from './thread.js';
import { wake } from './waitable.js';

/** States of a task (`Task.State`). */
export const TaskState = {
  INITIAL: 1,
  PENDING_CANCEL: 2,
  CANCEL_DELIVERED: 3,
  RESOLVED: 4,
} as const;
/** One of the {@link TaskState} values. */
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/**
 * The per-instance state async needs (`ComponentInstance` fields
 * `backpressure`, `exclusive`, `num_waiting_to_enter`, `threads`); the
 * runtime's instance object implements it.
 */
export interface AsyncInstance extends ComponentInstanceState {
  /** `backpressure.inc/dec` counter; tasks of async functions wait to enter while it is non-zero. */
  backpressure: number;
  /** The task holding exclusive access (a sync-ABI or callback lift running core code), if any. */
  exclusive: Task | null;
  /** Tasks waiting to enter; new tasks queue behind them. */
  numWaitingToEnter: number;
  /** The instance's threads (`thread.index` values). */
  readonly threads: HandleTable<Thread>;
  /** The scheduler of the instance. */
  readonly store: Store;
}

/** The result a task resolves with: `{ value }` (value `undefined` when the type has no result), or `null` when cancelled. */
export type TaskResult = { readonly value: unknown } | null;

/** Told once when the task resolves (`OnResolve`). */
export type OnResolve = (result: TaskResult) => void;

/** The canonical options of a lift that change how a task runs. */
export interface TaskOptions {
  /** The `async` option. */
  readonly async: boolean;
  /** Whether a `callback` option is present. */
  readonly callback: boolean;
}

/** What a caller can do with a call it started (`Call`). */
export interface Call {
  /** Asks the callee to cancel (`request_cancellation`). */
  requestCancellation(): void;
  /**
   * A thread of the callee whose JSPI stack is live but not parked: the
   * engine suspended it at a `Suspending` import that did not block, so in
   * the spec's terms it is still running (see lower.ts). Undefined for
   * callees without stacks.
   */
  inFlight?(): Thread | undefined;
}

/** Where a trap in a thread resumed by the scheduler is reported (the host call at the root of the task tree). */
export interface TaskRoot {
  /** Reports the error; the root's promise rejects. */
  fail(e: unknown): void;
}

/** The trap when a task's last thread exits before it returned or was cancelled. */
export const EXIT_WITHOUT_RETURN: string = 'task exited without calling task.return or task.cancel';

/** A call of a lifted function (`Task`). */
export class Task implements ThreadTask, Call {
  state: TaskState = TaskState.INITIAL;
  readonly opts: TaskOptions;
  readonly inst: AsyncInstance;
  /** Whether the function type is `async`. */
  readonly ftAsync: boolean;
  readonly onResolve: OnResolve;
  /** Where traps of scheduler-resumed threads go. */
  root: TaskRoot | null;
  /** The borrows lent to this call; `checkNoBorrows` traps while any is held (`trap_if(num_borrows > 0)`). Supplied by the embedding. */
  borrows: { checkNoBorrows(): void } | null = null;
  /** The thread waiting in {@link enter}, if any (`waiting_to_enter`). */
  waitingToEnter: Thread | null = null;
  readonly threads: Thread[] = [];

  constructor(opts: TaskOptions, inst: AsyncInstance, ftAsync: boolean, onResolve: OnResolve, root: TaskRoot | null) {
    this.opts = opts;
    this.inst = inst;
    this.ftAsync = ftAsync;
    this.onResolve = onResolve;
    this.root = root;
    // A non-async-typed call restricts which threads may run while it is in progress (thread.ts `mayRun`).
    if (!ftAsync) beginSyncCall(this);
  }

  /** The scheduler of the task's instance. */
  get store(): Store {
    return this.inst.store;
  }

  /** Sync-ABI and callback lifts run their core code with exclusive access (`needs_exclusive`). */
  needsExclusive(): boolean {
    return !this.opts.async || this.opts.callback;
  }

  /**
   * `may_block`: async-typed, or already resolved, or another thread of the
   * same instance tree is ready to take the stack (thread.ts `otherThreadReady`).
   */
  mayBlock(): boolean {
    return this.ftAsync || this.state === TaskState.RESOLVED || otherThreadReady(this);
  }

  /** {@link Call.inFlight}: a thread on a live stack that has not parked (waiting or suspended). */
  inFlight(): Thread | undefined {
    for (const t of this.threads) if (t.canSuspend && !t.done && t.resumeFn === null) return t;
    return undefined;
  }

  /** True once the task returned its value or acknowledged cancellation. */
  resolved(): boolean {
    return this.state === TaskState.RESOLVED;
  }

  private hasBackpressure(): boolean {
    const inst = this.inst;
    return inst.backpressure > 0 || (this.needsExclusive() && inst.exclusive !== null);
  }

  /**
   * `Task.enter`: for async-typed functions, waits while the instance has
   * backpressure (or others already wait); then takes exclusive access if
   * needed and registers the thread. Returns true when entered at once;
   * otherwise the thread is parked and `onEntered(entered)` runs later
   * (false when the task was cancelled while waiting: it is then resolved
   * as cancelled).
   */
  enter(thread: Thread, onEntered: (entered: boolean) => void): boolean {
    if (this.tryEnter(thread)) return true;
    const inst = this.inst;
    inst.numWaitingToEnter++;
    this.waitingToEnter = thread;
    const resume = (cancelled: Cancelled): void => {
      this.waitingToEnter = null;
      inst.numWaitingToEnter--;
      if (cancelled === Cancelled.TRUE) {
        this.cancel();
        onEntered(false);
        return;
      }
      this.takeExclusive();
      this.registerThread(thread);
      onEntered(true);
    };
    const c = thread.waitUntil(() => !this.hasBackpressure(), true, resume);
    if (c !== null) resume(c);
    return false;
  }

  /**
   * The part of {@link enter} that needs no waiting: enters and returns true
   * when no backpressure applies (and nobody waits before), else changes
   * nothing and returns false.
   */
  tryEnter(thread: Thread): boolean {
    if (this.ftAsync) {
      if (this.hasBackpressure() || this.inst.numWaitingToEnter > 0) return false;
      this.takeExclusive();
    }
    this.registerThread(thread);
    return true;
  }

  private takeExclusive(): void {
    if (this.needsExclusive()) {
      if (this.inst.exclusive !== null) trap('internal: exclusive access already held');
      this.inst.exclusive = this;
    }
  }

  /** `register_thread`: the thread gets its index. */
  registerThread(thread: Thread): void {
    this.threads.push(thread);
    thread.index = this.inst.threads.add(thread);
  }

  /** `Task.exit`: the thread is done; releases exclusive access. */
  exit(thread: Thread): void {
    this.unregisterThread(thread);
    if (this.ftAsync && this.needsExclusive()) {
      if (this.inst.exclusive === this) this.inst.exclusive = null;
      wake();
    }
  }

  /** `unregister_thread`: traps when the last thread leaves an unresolved task. */
  unregisterThread(thread: Thread): void {
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
    thread.done = true;
    if (thread.index !== 0 && this.inst.threads.has(thread.index)) this.inst.threads.remove(thread.index);
    if (this.threads.length === 0 && this.state !== TaskState.RESOLVED) trap(EXIT_WITHOUT_RETURN);
  }

  /**
   * Undoes {@link enter} for a call that failed before its core code ran
   * (the host's arguments could not be lowered), or that can never continue
   * (it waits on a host function that failed; its parked stack is dropped):
   * the thread leaves and
   * exclusive access is released, so later calls may enter. The task never
   * resolves (its caller already got the error) but counts as finished: a
   * non-`async`-typed one must not stay the synchronous call in progress
   * that restricts which threads may run (thread.ts `mayRun`).
   */
  abandon(thread: Thread): void {
    this.state = TaskState.RESOLVED;
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
    thread.done = true;
    if (thread.index !== 0 && this.inst.threads.has(thread.index)) this.inst.threads.remove(thread.index);
    if (this.inst.exclusive === this) {
      this.inst.exclusive = null;
      wake();
    }
  }

  /**
   * `request_cancellation`: wakes a cancellable thread of the task with
   * `Cancelled.TRUE`, or records the request for the next cancellable
   * suspension.
   */
  requestCancellation(): void {
    const w = this.waitingToEnter;
    if (w !== null) {
      this.state = TaskState.CANCEL_DELIVERED;
      w.resume(Cancelled.TRUE);
      return;
    }
    if (this.state !== TaskState.INITIAL) return;
    const inst = this.inst;
    if (!this.needsExclusive() || inst.exclusive === null || inst.exclusive === this) {
      for (const t of this.threads) {
        if ((t.waiting() || t.suspended()) && t.cancellable) {
          this.state = TaskState.CANCEL_DELIVERED;
          t.resume(Cancelled.TRUE);
          return;
        }
      }
    }
    this.state = TaskState.PENDING_CANCEL;
  }

  /** `deliver_pending_cancel`. */
  deliverPendingCancel(cancellable: boolean): boolean {
    if (cancellable && this.state === TaskState.PENDING_CANCEL) {
      this.state = TaskState.CANCEL_DELIVERED;
      return true;
    }
    return false;
  }

  /** `Task.return_`: resolves with a value (traps when already resolved or borrows remain). */
  return(value: unknown): void {
    if (this.state === TaskState.RESOLVED) trap('cannot call task.return after the task has already resolved');
    this.borrows?.checkNoBorrows();
    this.state = TaskState.RESOLVED;
    this.onResolve({ value });
  }

  /** `Task.cancel`: resolves as cancelled; only after cancellation was delivered. */
  cancel(): void {
    if (this.state !== TaskState.CANCEL_DELIVERED) trap('cannot cancel a task whose cancellation was not requested and delivered');
    this.borrows?.checkNoBorrows();
    this.state = TaskState.RESOLVED;
    this.onResolve(null);
  }

  /** Reports an error from a thread resumed by the scheduler (no JS caller to throw to). */
  fail(e: unknown): void {
    if (this.root !== null) this.root.fail(e);
    // No host call at the root to tell: every call waiting on the store fails with the trap.
    else this.store.abort(e);
  }
}
