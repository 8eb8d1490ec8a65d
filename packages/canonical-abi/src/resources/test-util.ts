// Shared helpers of the resources tests (not exported from the package).
import { isTrap } from '../errors.js';
import type { ResourceType } from '../types.js';
import { HandleTable, type HandleTableOptions } from './table.js';
import type { ResourceContext, ResourceInstance } from './lift-lower.js';
import type { BorrowScope } from './borrow-scope.js';

/** Runs `f` and returns the reason of the trap it throws; fails if it returns or throws anything else. */
export function trapReason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isTrap(e)) return e.reason;
    throw e;
  }
  throw new Error('expected a trap, but the call returned');
}

/** A fresh instance state with an empty table. */
export function instance(options?: HandleTableOptions): ResourceInstance {
  return { handles: new HandleTable<unknown>(options), mayLeave: true };
}

/** A context for `inst` with an optional borrow scope. */
export function context(inst: ResourceInstance, borrowScope?: BorrowScope): ResourceContext {
  return borrowScope === undefined ? { inst } : { inst, borrowScope };
}

/** A resource type implemented by `impl` (host-defined when `impl` is undefined). */
export function rtOf(impl: unknown, name?: string, dtor?: (rep: number) => void | Promise<void>): ResourceType {
  const rt: { kind: 'resource'; instance?: unknown; name?: string; dtor?: (rep: number) => void | Promise<void> } = {
    kind: 'resource',
  };
  if (impl !== undefined) rt.instance = impl;
  if (name !== undefined) rt.name = name;
  if (dtor !== undefined) rt.dtor = dtor;
  return rt;
}
