/**
 * Subtasks (`Subtask` in `CanonicalABI.md#subtask-state`): the caller's side
 * of a call made through an async `canon lower` (or a sync lower of an
 * async function). A subtask is a {@link Waitable}: its state changes are
 * delivered as `SUBTASK` events.
 *
 * ```text
 *  STARTING ──on_start──▶ STARTED ──on_resolve(value)──▶ RETURNED
 *     │                      └──on_resolve(cancelled)──▶ CANCELLED_BEFORE_RETURNED
 *     └──on_resolve(cancelled)──▶ CANCELLED_BEFORE_STARTED
 * ```
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import type { Call } from './task.js';
import { Waitable } from './waitable.js';

/** States of a subtask (`Subtask.State`); the numbers are ABI (packed into results and event payloads). */
export const SubtaskState = {
  STARTING: 0,
  STARTED: 1,
  RETURNED: 2,
  CANCELLED_BEFORE_STARTED: 3,
  CANCELLED_BEFORE_RETURNED: 4,
} as const;
/** One of the {@link SubtaskState} values. */
export type SubtaskState = (typeof SubtaskState)[keyof typeof SubtaskState];

/** The trap of `subtask.drop` before the resolution was delivered (the reference tests' wording). */
export const DROP_UNRESOLVED: string = 'cannot drop a subtask which has not yet resolved';

/** A call in progress, seen from the caller (`Subtask`). */
export class Subtask extends Waitable {
  readonly kind: 'subtask' = 'subtask';
  state: SubtaskState = SubtaskState.STARTING;
  /** The callee's call, for `subtask.cancel`. */
  callee: Call | null = null;
  cancellationRequested = false;
  /** Whether the resolution was delivered to the caller (`resolve_delivered`). */
  resolveDelivered = false;
  /** Gives lent borrows back when the resolution is delivered (`deliver_resolve`); set by the embedding. */
  onDeliverResolve: (() => void) | null = null;

  /** RETURNED or cancelled. */
  resolved(): boolean {
    return this.state >= SubtaskState.RETURNED;
  }

  /** `deliver_resolve`: the caller learned of the resolution; lends end. */
  deliverResolve(): void {
    if (this.resolveDelivered) return;
    this.resolveDelivered = true;
    const f = this.onDeliverResolve;
    this.onDeliverResolve = null;
    if (f !== null) f();
  }

  /** `Subtask.drop`: only once the caller has seen it resolve. */
  override drop(): void {
    if (!this.resolveDelivered) trap(DROP_UNRESOLVED);
    super.drop();
  }
}
