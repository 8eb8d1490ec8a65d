/**
 * `thread.yield` and `thread.index` (`CanonicalABI.md#-canon-threadyield`).
 * The other `thread.*` built-ins (new-indirect, switch-to, suspend,
 * resume-later, yield-to) are not implemented yet.
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import { suspend } from '../jspi.js';
import { Cancelled } from '../thread.js';
import { type Caller, checkLeave } from './caller.js';

/**
 * `canon thread.yield`: lets other threads run. A task that may not block,
 * or a thread that cannot be suspended (no JSPI, or a callback-lifted
 * thread inside its core code), returns `Cancelled.FALSE` at once: the spec
 * allows a yield to return immediately when nothing forces a switch.
 */
export function threadYield(c: Caller, cancellable: boolean): number | Promise<number> {
  checkLeave(c);
  const thread = c.thread;
  if (thread === null || !thread.task.mayBlock()) return Cancelled.FALSE;
  if (!thread.canSuspend) return thread.task.deliverPendingCancel(cancellable) ? Cancelled.TRUE : Cancelled.FALSE;
  return suspend(thread, () => true, cancellable, true);
}

/** `canon thread.index`. */
export function threadIndex(c: Caller): number {
  checkLeave(c);
  if (c.thread === null) trap('thread.index called outside of a thread');
  return c.thread.index;
}
