/**
 * Waitables and waitable sets (`CanonicalABI.md#waitable-state`).
 *
 * A {@link Waitable} is anything a component can wait on: a subtask, or an
 * end of a stream or future. It holds at most one *pending event*, stored as
 * a closure so that the state change the event reports (e.g. a stream end
 * going back to IDLE) happens only when the event is actually delivered to
 * the guest, exactly as `definitions.py` does.
 *
 * A {@link WaitableSet} groups waitables so that one `waitable-set.wait` or
 * `waitable-set.poll`, or one callback-loop iteration, can deliver the event
 * of whichever member has one.
 *
 * Waking: setting a pending event is the only way a waitable becomes ready,
 * so {@link Waitable.setPendingEvent} tells the scheduler (through the hook
 * installed with {@link setWakeHook}) that a waiting thread may now be
 * ready. This replaces the spec's polling `Store.tick` loop with a push: no
 * timers, no polling.
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';

/**
 * Event codes delivered to the guest (`EventCode` in
 * `CanonicalABI.md#waitable-state`). The numbers are ABI: they are what
 * `waitable-set.wait`/`poll` store and what a callback receives.
 */
export const EventCode = {
  NONE: 0,
  SUBTASK: 1,
  STREAM_READ: 2,
  STREAM_WRITE: 3,
  FUTURE_READ: 4,
  FUTURE_WRITE: 5,
  TASK_CANCELLED: 6,
} as const;
/** One of the {@link EventCode} values. */
export type EventCode = (typeof EventCode)[keyof typeof EventCode];

/**
 * An event as delivered to the guest: `[code, index, payload]`
 * (`EventTuple`). `code` is an {@link EventCode} value (typed as `number`
 * so producers may build tuples without casts), `index` the waitable's
 * handle index (0 for NONE and TASK_CANCELLED), `payload` a `u32` whose
 * meaning depends on the code (subtask state, packed copy result).
 */
export type EventTuple = readonly [code: number, index: number, payload: number];

/** Produces the event when it is delivered (and applies its state change then). */
export type PendingEvent = () => EventTuple;

let wakeHook: () => void = () => {};

/**
 * Installs the function called whenever any waitable gets a pending event.
 * Used by the scheduler (`scheduler.ts`) to re-check waiting threads; the
 * hook must be cheap and must not run guest code synchronously (it should
 * schedule a microtask).
 */
export function setWakeHook(hook: () => void): void {
  wakeHook = hook;
}

/** Tells the scheduler that some waiting thread may have become ready (e.g. backpressure went down). */
export function wake(): void {
  wakeHook();
}

/**
 * Something a component can wait on (`Waitable`). Subclasses: subtasks
 * (`subtask.ts`) and stream/future ends (`streams/ends.ts`).
 */
export class Waitable {
  /** The event to deliver next, if any (`pending_event`). */
  pendingEvent: PendingEvent | null = null;
  /** The set this waitable is joined to, if any (`wset`). */
  wset: WaitableSet | null = null;

  /**
   * Records the event to deliver (replacing an undelivered one, as the spec
   * does) and wakes the scheduler.
   */
  setPendingEvent(ev: PendingEvent): void {
    this.pendingEvent = ev;
    wakeHook();
  }

  /** True when an event waits to be delivered. */
  hasPendingEvent(): boolean {
    return this.pendingEvent !== null;
  }

  /** Removes and produces the pending event. Call only when {@link hasPendingEvent}. */
  getPendingEvent(): EventTuple {
    const ev = this.pendingEvent;
    if (ev === null) return trap('internal: no pending event to deliver');
    this.pendingEvent = null;
    return ev();
  }

  /**
   * Moves this waitable into `wset`, or out of any set with `null`
   * (`waitable.join`; `Waitable.join`).
   */
  join(wset: WaitableSet | null): void {
    const old = this.wset;
    if (old !== null) old.remove(this);
    this.wset = wset;
    if (wset !== null) wset.elems.push(this);
  }

  /**
   * Called when the handle is removed from its table (`Waitable.drop`):
   * leaves its set. Subclasses add their own checks (and trap) first.
   */
  drop(): void {
    this.join(null);
  }
}

/**
 * Picks which of several ready members delivers its event. The spec
 * shuffles; a seeded scheduler installs a deterministic choice, the default
 * is the first (oldest-joined) member, which is fair enough and cheap.
 */
export type PickIndex = (n: number) => number;

/** A set of waitables waited on together (`WaitableSet`). */
export class WaitableSet {
  /** For trap messages (`describeTableEntry`). */
  readonly kind: 'waitable set' = 'waitable set';
  /** The members, in join order. */
  readonly elems: Waitable[] = [];
  /** How many threads are currently waiting on this set; dropping traps while non-zero. */
  numWaiting = 0;

  /** True when some member has a pending event. */
  hasPendingEvent(): boolean {
    for (const w of this.elems) if (w.pendingEvent !== null) return true;
    return false;
  }

  /**
   * Delivers the event of one member that has one (`get_pending_event`).
   * `pick` chooses among the ready members (see {@link PickIndex}).
   */
  getPendingEvent(pick?: PickIndex): EventTuple {
    if (pick === undefined) {
      for (const w of this.elems) if (w.pendingEvent !== null) return w.getPendingEvent();
      return trap('internal: no pending event in the waitable set');
    }
    const ready = this.elems.filter((w) => w.pendingEvent !== null);
    if (ready.length === 0) return trap('internal: no pending event in the waitable set');
    return ready[pick(ready.length)]!.getPendingEvent();
  }

  /** Removes `w` from the members (used by {@link Waitable.join}). */
  remove(w: Waitable): void {
    const i = this.elems.indexOf(w);
    if (i >= 0) this.elems.splice(i, 1);
  }

  /** Checks that the set may be dropped (`WaitableSet.drop`): no members, nobody waiting. */
  drop(): void {
    if (this.elems.length > 0) trap('cannot drop waitable set with waiters');
    if (this.numWaiting > 0) trap('cannot drop waitable set with waiters');
  }
}
