/**
 * `waitable-set.new`, `waitable-set.wait`, `waitable-set.poll`,
 * `waitable-set.drop` and `waitable.join`
 * (`CanonicalABI.md#canon-waitable-setnew` and following).
 *
 * @module
 */

import { trap, trapWrongHandleKind, describeTableEntry } from '@wasm-components/canonical-abi';
import { suspend } from '../jspi.js';
import { Cancelled } from '../thread.js';
import { EventCode, type EventTuple, Waitable, WaitableSet } from '../waitable.js';
import { blockingThread, type Caller, checkLeave, andThen } from './caller.js';

/** `canon waitable-set.new`: a new empty set in the caller's table. */
export function waitableSetNew(c: Caller): number {
  checkLeave(c);
  return c.inst.handles.add(new WaitableSet());
}

function getSet(c: Caller, i: number): WaitableSet {
  const s = c.inst.handles.get(i);
  if (!(s instanceof WaitableSet)) return trapWrongHandleKind(i, 'waitable set', describeTableEntry(s));
  return s;
}

/** Stores an event's two payload words at `ptr` (`unpack_event`) and returns its code. */
export function storeEvent(memory: WebAssembly.Memory, ptr: number, ev: EventTuple): number {
  const p = ptr >>> 0;
  if (p % 4 !== 0) trap('unaligned pointer for the event payload');
  if (p + 8 > memory.buffer.byteLength) trap('out of bounds: the event payload does not fit in memory');
  const v = new DataView(memory.buffer);
  v.setUint32(p, ev[1] >>> 0, true);
  v.setUint32(p + 4, ev[2] >>> 0, true);
  return ev[0];
}

/**
 * `canon waitable-set.wait`: waits until a member of set `si` has an event
 * (or the task is cancelled, when `cancellable`), stores it at `ptr` and
 * returns its code. Returns a Promise when the thread had to suspend.
 */
export function waitableSetWait(c: Caller, cancellable: boolean, memory: WebAssembly.Memory, si: number, ptr: number): number | Promise<number> {
  checkLeave(c);
  const thread = blockingThread(c);
  const wset = getSet(c, si);
  const pick = thread.task.store.pick;
  wset.numWaiting++;
  const attempt = (): number | Promise<number> =>
    andThen(suspend(thread, () => wset.hasPendingEvent(), cancellable), (cancelled) => {
      if (cancelled === Cancelled.TRUE) {
        wset.numWaiting--;
        return storeEvent(memory, ptr, [EventCode.TASK_CANCELLED, 0, 0]);
      }
      if (!wset.hasPendingEvent()) return attempt();
      wset.numWaiting--;
      return storeEvent(memory, ptr, wset.getPendingEvent(pick));
    });
  return attempt();
}

/** `canon waitable-set.poll`: like wait, but returns `NONE` instead of waiting. */
export function waitableSetPoll(c: Caller, cancellable: boolean, memory: WebAssembly.Memory, si: number, ptr: number): number {
  checkLeave(c);
  const wset = getSet(c, si);
  const thread = c.thread;
  if (thread !== null && thread.task.deliverPendingCancel(cancellable)) return storeEvent(memory, ptr, [EventCode.TASK_CANCELLED, 0, 0]);
  if (!wset.hasPendingEvent()) return storeEvent(memory, ptr, [EventCode.NONE, 0, 0]);
  return storeEvent(memory, ptr, wset.getPendingEvent(thread?.task.store.pick));
}

/** `canon waitable-set.drop`: traps while the set has members or waiters. */
export function waitableSetDrop(c: Caller, i: number): void {
  checkLeave(c);
  const s = c.inst.handles.remove(i);
  if (!(s instanceof WaitableSet)) {
    trapWrongHandleKind(i, 'waitable set', describeTableEntry(s));
  }
  s.drop();
}

/** `canon waitable.join`: moves waitable `wi` into set `si`, or out of its set with `si = 0`. */
export function waitableJoin(c: Caller, wi: number, si: number): void {
  checkLeave(c);
  const w = c.inst.handles.get(wi);
  if (!(w instanceof Waitable)) {
    trapWrongHandleKind(wi, 'waitable', describeTableEntry(w));
  }
  w.join(si === 0 ? null : getSet(c, si));
}
