/**
 * Lifting and lowering `own<R>` and `borrow<R>` (`lift_own`, `lift_borrow`,
 * `lower_own`, `lower_borrow` in `CanonicalABI.md#loading` and `#storing`).
 *
 * On the guest side a handle is an `i32` index into the instance's table; on
 * the lifted side it is the resource's rep. Lifting an `own` moves the handle
 * out of the table; lifting a `borrow` lends it to the current call; lowering
 * adds a handle (a borrow handle tied to the callee's scope, or, when the
 * receiving instance implements the resource itself, just the rep).
 *
 * @module
 */

import { trap } from '../errors.js';
import type { ResourceType } from '../types.js';
import type { BorrowScope } from './borrow-scope.js';
import { describeResourceType, ResourceHandle } from './handle.js';
import { describeTableEntry, type HandleTable, trapWrongHandleKind } from './table.js';

/**
 * The part of a component instance's state the resource functions use;
 * `ComponentInstanceState` (`context.ts`) satisfies it.
 */
export interface ResourceInstance {
  /** The instance's single handle table. */
  readonly handles: HandleTable<unknown>;
  /** Cleared while the instance may not call out (e.g. during lowering or post-return). */
  mayLeave: boolean;
}

/**
 * The part of a lift/lower context the resource functions use;
 * `LiftLowerContext` (`context.ts`) satisfies it.
 */
export interface ResourceContext {
  /** The instance whose table the handles are in. */
  readonly inst: ResourceInstance;
  /** The current call's borrow scope: a subtask when lifting, a task when lowering. */
  readonly borrowScope?: BorrowScope | undefined;
}

/** Message of the trap on moving or dropping an `own` handle that is lent to a call. */
export const OWN_LENT_MESSAGE = 'cannot remove owned resource while borrowed' as const;

/**
 * Traps unless table element `e` (at index `i`) is a resource handle of type
 * `rt`. Exported for the async package and the runtime.
 */
export function checkResourceHandle(i: number, e: unknown, rt: ResourceType): ResourceHandle {
  if (!(e instanceof ResourceHandle)) {
    return trapWrongHandleKind(i, describeResourceType(rt), describeTableEntry(e));
  }
  if (e.resource !== rt) {
    return trapWrongHandleKind(i, describeResourceType(rt), `a different ${describeResourceType(e.resource)}${names(rt, e.resource)}`);
  }
  return e;
}

function names(expected: ResourceType, found: ResourceType): string {
  if (expected.name === undefined && found.name === undefined) return '';
  return ` (expected \`${expected.name ?? '?'}\`, found \`${found.name ?? '?'}\`)`;
}

/**
 * The resource handle at index `i` of `inst`'s table, checked to be of type
 * `rt` (traps on an unknown index, a non-resource entry or another resource type).
 */
export function getResourceHandle(inst: ResourceInstance, i: number, rt: ResourceType): ResourceHandle {
  return checkResourceHandle(i, inst.handles.get(i), rt);
}

/**
 * Lifts an `own<R>` handle: removes it from the table and returns its rep
 * (`lift_own`). Traps on an unknown index, a wrong type, a handle lent to a
 * call ({@link OWN_LENT_MESSAGE}) or a borrow handle.
 */
export function liftOwn(cx: ResourceContext, i: number, rt: ResourceType): number {
  const handles = cx.inst.handles;
  // The spec removes first and checks afterwards; checking first is the same
  // to any observer, since every failure traps and poisons the instance.
  const h = checkResourceHandle(i, handles.get(i), rt);
  if (h.numLends !== 0) trap(OWN_LENT_MESSAGE);
  if (!h.own) trap(`handle index ${i >>> 0} is a borrow handle and cannot be passed as an own`);
  handles.remove(i);
  return h.rep;
}

/**
 * Lifts a `borrow<R>` handle: lends it (own or borrow handle alike) to the
 * current call and returns its rep (`lift_borrow`). The call's borrow scope
 * (`cx.borrowScope`, the caller's subtask) gives the lend back when the call
 * resolves. Traps on an unknown index or a wrong type.
 */
export function liftBorrow(cx: ResourceContext, i: number, rt: ResourceType): number {
  const scope = cx.borrowScope;
  if (scope === undefined) {
    throw new Error('liftBorrow needs cx.borrowScope: the scope (subtask) of the call the borrow is lent to');
  }
  const h = checkResourceHandle(i, cx.inst.handles.get(i), rt);
  scope.addLender(h);
  return h.rep;
}

/**
 * Lowers an `own<R>`: adds an owning handle for `rep` to the table and
 * returns its index (`lower_own`). Traps only when the table is full.
 */
export function lowerOwn(cx: ResourceContext, rep: number, rt: ResourceType): number {
  return cx.inst.handles.add(new ResourceHandle(rt, rep, true));
}

/**
 * Lowers a `borrow<R>` (`lower_borrow`). When the receiving instance
 * implements `R` it gets the rep itself (it can use it directly and there is
 * nothing to track). Otherwise a borrow handle is added, counted on the
 * callee's scope (`cx.borrowScope`), which must see it dropped before the
 * call ends. Traps only when the table is full.
 */
export function lowerBorrow(cx: ResourceContext, rep: number, rt: ResourceType): number {
  if (cx.inst === rt.instance) return rep;
  const scope = cx.borrowScope;
  if (scope === undefined) {
    throw new Error('lowerBorrow needs cx.borrowScope: the scope (task) of the call receiving the borrow');
  }
  const i = cx.inst.handles.add(new ResourceHandle(rt, rep, false, scope));
  scope.numBorrows++;
  return i;
}
