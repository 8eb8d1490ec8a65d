/**
 * Who calls a core built-in: the component instance (known statically, from
 * the `canon` definition) and, when the call happens inside a task, the
 * calling thread. Outside any task (a core `start` function during
 * instantiation) there is no thread: the caller may not block.
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import type { AsyncInstance } from '../task.js';
import type { Thread } from '../thread.js';

/** The caller of a built-in. */
export interface Caller {
  /** The instance whose core code called the built-in (`thread.task.inst`). */
  readonly inst: AsyncInstance;
  /** The calling thread, or null outside of any async-capable task. */
  readonly thread: Thread | null;
}

/** `trap_if(not thread.task.inst.may_leave)`. */
export function checkLeave(c: Caller): void {
  if (!c.inst.mayLeave) trap('cannot leave component instance');
}

/** `thread.task.may_block()` (false without a thread). */
export function mayBlock(c: Caller): boolean {
  return c.thread !== null && c.thread.task.mayBlock();
}

/** The reference tests' wording for blocking where the task may not block. */
export const CANNOT_BLOCK_SYNC: string = 'cannot block a synchronous task before returning';

/** Returns the thread, trapping with {@link CANNOT_BLOCK_SYNC} when the caller may not block. */
export function blockingThread(c: Caller): Thread {
  if (c.thread === null || !c.thread.task.mayBlock()) trap(CANNOT_BLOCK_SYNC);
  return c.thread;
}

/** Applies `f` to a value or to the value of a Promise. */
export function andThen<T, U>(v: T | Promise<T>, f: (x: T) => U | Promise<U>): U | Promise<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}
