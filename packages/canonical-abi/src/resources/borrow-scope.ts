/**
 * Borrow scopes: how a call keeps `borrow<R>` handles from outliving it
 * (`CanonicalABI.md#task-state` and `#subtask-state`, the `num_borrows` of a
 * `Task` and the `lenders` of a `Subtask` in `definitions.py`).
 *
 * A call has two sides, and each keeps one count:
 *
 * - The callee side (the spec's `Task`): lowering a `borrow<R>` argument into
 *   an instance that does not implement `R` creates a borrow handle in the
 *   callee's table and increments `numBorrows`; `resource.drop` of that handle
 *   decrements it. The call may not return while it is non-zero: "borrow
 *   handles still remain at the end of the call".
 * - The caller side (the spec's `Subtask`): lifting a `borrow<R>` argument out
 *   of the caller's table lends the caller's handle to the call
 *   (`numLends + 1`, and the handle is remembered as a lender); when the call
 *   has resolved and the caller has been told, every lender gets its lend back.
 *
 * {@link BorrowScope} is the structural interface the lift/lower functions
 * use, so the async package's `Task` and `Subtask` classes can implement it
 * directly; {@link CallBorrowScope} is a ready-made implementation of both
 * sides for synchronous calls.
 *
 * @module
 */

import { trapIf } from '../errors.js';
import type { ResourceHandle } from './handle.js';

/** The trap message when a call ends with borrow handles still in its callee's table. */
export const BORROWS_REMAIN_MESSAGE = 'borrow handles still remain at the end of the call' as const;

/**
 * What `lowerBorrow`, `liftBorrow` and `resource.drop` need from the current
 * call. A task (callee side) uses `numBorrows`; a subtask (caller side) uses
 * `addLender`. An object may serve as both.
 */
export interface BorrowScope {
  /**
   * Borrow handles created for this call in the callee's table and not yet
   * dropped. `lowerBorrow` increments it, `resource.drop` of such a handle
   * decrements it.
   */
  numBorrows: number;
  /**
   * Lends `handle` (from the caller's table) to this call: must increment
   * `handle.numLends` and give it back when the call resolves.
   */
  addLender(handle: ResourceHandle): void;
}

/**
 * Both sides of one call's borrow bookkeeping (see the module documentation).
 *
 * Typical synchronous use by a runtime:
 * ```ts
 * const callee = new CallBorrowScope();          // Task of the callee
 * lower arguments with cx.borrowScope = callee; run the callee;
 * callee.checkNoBorrows();                        // before the result is delivered
 * const caller = new CallBorrowScope();          // Subtask of the caller
 * lift arguments with cx.borrowScope = caller; call; caller.releaseLenders();
 * ```
 */
export class CallBorrowScope implements BorrowScope {
  numBorrows = 0;
  #lenders: ResourceHandle[] | undefined = [];

  /** Lends `handle` to this call (the spec's `Subtask.add_lender`). */
  addLender(handle: ResourceHandle): void {
    const lenders = this.#lenders;
    if (lenders === undefined) {
      throw new Error('internal error: a handle was lent to a call whose lenders were already released');
    }
    handle.numLends++;
    lenders.push(handle);
  }

  /** Number of lends this scope holds (0 once released). */
  get numLenders(): number {
    return this.#lenders === undefined ? 0 : this.#lenders.length;
  }

  /** True once {@link releaseLenders} ran (the spec's `resolve_delivered`). */
  get lendersReleased(): boolean {
    return this.#lenders === undefined;
  }

  /**
   * Gives every lent handle its lend back (the spec's
   * `Subtask.deliver_resolve`). Runs once; a second call is a runtime bug.
   */
  releaseLenders(): void {
    const lenders = this.#lenders;
    if (lenders === undefined) throw new Error('internal error: the lenders of a call were released twice');
    for (let i = 0; i < lenders.length; i++) (lenders[i] as ResourceHandle).numLends--;
    this.#lenders = undefined;
  }

  /**
   * Traps when the callee still holds borrow handles of this call (the check
   * of the spec's `Task.return_` and `Task.cancel`).
   */
  checkNoBorrows(): void {
    trapIfBorrowsRemain(this);
  }

  /**
   * Ends the call on both sides: traps if borrows remain, otherwise releases
   * the lenders (if not already released).
   */
  exit(): void {
    trapIfBorrowsRemain(this);
    if (this.#lenders !== undefined) this.releaseLenders();
  }
}

/**
 * Traps with {@link BORROWS_REMAIN_MESSAGE} when `scope.numBorrows > 0`; for
 * task implementations that do not extend {@link CallBorrowScope}.
 */
export function trapIfBorrowsRemain(scope: Pick<BorrowScope, 'numBorrows'>): void {
  trapIf(scope.numBorrows > 0, BORROWS_REMAIN_MESSAGE);
}
