/**
 * Threads (`CanonicalABI.md#thread-state`): the unit that runs guest code
 * and may be suspended. This module starts with the small interfaces other
 * modules (the stream/future built-ins, host adapters) may rely on; the
 * implementation lives in `scheduler.ts`/`task.ts` and satisfies them.
 *
 * @module
 */

import type { ComponentInstanceState } from '@wasm-components/canonical-abi';

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
