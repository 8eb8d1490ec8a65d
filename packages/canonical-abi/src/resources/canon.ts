/**
 * The resource built-ins: `canon resource.new`, `canon resource.drop` and
 * `canon resource.rep` (`CanonicalABI.md#canon-resourcenew` and following).
 *
 * Each takes the state of the calling component instance (the spec reaches it
 * through `thread.task.inst`) and the resource type the built-in was defined
 * for, then the core arguments.
 *
 * @module
 */

import { trap, trapIf } from '../errors.js';
import type { ResourceType } from '../types.js';
import { checkResourceHandle, OWN_LENT_MESSAGE, type ResourceInstance } from './lift-lower.js';
import { ResourceHandle } from './handle.js';

/** Trap message when a built-in is called while the instance may not leave. */
const CANNOT_LEAVE = 'cannot leave component instance';

/** Hooks of {@link canonResourceDrop}. */
export interface ResourceDropHooks {
  /**
   * Runs the destructor of a resource implemented by another instance than
   * the one dropping the handle. The spec makes this a full cross-instance
   * call (a synchronous `canon lower` of the destructor lifted with the
   * implementation's options, `async`/`callback` included), which may trap
   * on reentrance or block on backpressure: that is the runtime's business,
   * so the runtime supplies this hook. It is called even when `rt.dtor` is
   * absent, as the spec still makes the (empty) call. Without the hook the
   * destructor, if any, is called directly.
   */
  readonly callDestructor?: (rt: ResourceType, rep: number, caller: ResourceInstance) => void | Promise<void>;
}

/**
 * `canon resource.new`: adds an owning handle for `rep` to the calling
 * instance's table and returns its index. Traps when the instance may not
 * leave or the table is full. `rep` is read as an unsigned `i32`.
 */
export function canonResourceNew(inst: ResourceInstance, rt: ResourceType, rep: number): number {
  trapIf(!inst.mayLeave, CANNOT_LEAVE);
  return inst.handles.add(new ResourceHandle(rt, rep >>> 0, true));
}

/**
 * `canon resource.drop`: removes handle `i` from the calling instance's table.
 *
 * - An own handle: runs the destructor, directly when the calling instance
 *   implements the resource, otherwise through
 *   {@link ResourceDropHooks.callDestructor}. Returns what the destructor
 *   returns, so an async destructor's promise reaches the runtime (which
 *   suspends the caller where the spec blocks).
 * - A borrow handle: ends the borrow (its scope's `numBorrows` goes down);
 *   no destructor runs.
 *
 * Traps when the instance may not leave, on an unknown index, a non-resource
 * entry, another resource type, or a handle lent to a call.
 */
export function canonResourceDrop(
  inst: ResourceInstance,
  rt: ResourceType,
  i: number,
  hooks?: ResourceDropHooks,
): void | Promise<void> {
  trapIf(!inst.mayLeave, CANNOT_LEAVE);
  const handles = inst.handles;
  const h = checkResourceHandle(i, handles.get(i), rt);
  if (h.numLends !== 0) {
    trap(h.own ? OWN_LENT_MESSAGE : `cannot drop borrow handle ${i >>> 0} while it is lent to a call`);
  }
  handles.remove(i);
  if (!h.own) {
    const scope = h.borrowScope;
    if (scope !== undefined) scope.numBorrows--;
    return undefined;
  }
  if (inst === rt.instance) {
    const dtor = rt.dtor;
    return dtor === undefined ? undefined : dtor(h.rep);
  }
  const call = hooks?.callDestructor;
  if (call !== undefined) return call(rt, h.rep, inst);
  const dtor = rt.dtor;
  return dtor === undefined ? undefined : dtor(h.rep);
}

/**
 * `canon resource.rep`: the rep of handle `i` (own or borrow) in the calling
 * instance's table. Traps on an unknown index, a non-resource entry or
 * another resource type. (The spec has no `may_leave` check here.)
 */
export function canonResourceRep(inst: ResourceInstance, rt: ResourceType, i: number): number {
  return checkResourceHandle(i, inst.handles.get(i), rt).rep;
}
