/**
 * `subtask.cancel` and `subtask.drop` (`CanonicalABI.md#-canon-subtaskcancel`).
 *
 * @module
 */

import { describeTableEntry, trap, trapWrongHandleKind } from '@wasm-components/canonical-abi';
import { suspend } from '../jspi.js';
import { Subtask } from '../subtask.js';
import { SYNC_IN_SET_TRAP } from '../streams/ends.js';
import { afterFlight, BLOCKED_RESULT } from '../lower.js';
import { blockingThread, type Caller, checkLeave, andThen } from './caller.js';

function getSubtask(c: Caller, i: number): Subtask {
  const s = c.inst.handles.get(i);
  if (!(s instanceof Subtask)) return trapWrongHandleKind(i, 'subtask', describeTableEntry(s));
  return s;
}

/**
 * `canon subtask.cancel`: asks the callee to cancel. Returns the subtask's
 * final state, `BLOCKED` (async) when it has not resolved yet, or (sync) a
 * Promise after suspending until it resolves.
 */
export function subtaskCancel(c: Caller, isAsync: boolean, i: number): number | Promise<number> {
  checkLeave(c);
  if (!isAsync) blockingThread(c);
  const s = getSubtask(c, i);
  // The suite at 6d28164 (trap-if-sync-and-waitable-set.wast): a synchronous cancel of a subtask in a set traps, as a sync stream copy does.
  if (!isAsync && s.wset !== null) trap(SYNC_IN_SET_TRAP);
  if (s.resolveDelivered) trap('cannot cancel a subtask whose resolution was already delivered');
  if (s.cancellationRequested) trap('cannot cancel a subtask twice');
  const finish = (): number => {
    const ev = s.getPendingEvent();
    return ev[2];
  };
  if (!s.resolved()) {
    s.cancellationRequested = true;
    s.callee?.requestCancellation();
    // A callee woken by the request runs on until it parks or finishes before the answer
    // (`Thread.resume` in the spec); under JSPI its stack continues later, so a caller on a
    // stack waits for it (lower.ts `afterFlight`; the import is a blocking one).
    return andThen(afterFlight(c, s, () => s.resolved()), (resolved): number | Promise<number> => {
      if (resolved) return finish();
      if (isAsync) return BLOCKED_RESULT;
      const thread = blockingThread(c);
      return andThen(suspend(thread, () => s.resolved(), false), () => finish());
    });
  }
  return finish();
}

/** `canon subtask.drop`: only after its resolution was delivered. */
export function subtaskDrop(c: Caller, i: number): void {
  checkLeave(c);
  const s = c.inst.handles.remove(i);
  if (!(s instanceof Subtask)) {
    trapWrongHandleKind(i, 'subtask', describeTableEntry(s));
  }
  s.drop();
}
