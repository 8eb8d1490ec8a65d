/**
 * Resource handles and resource types (`CanonicalABI.md#resource-state`).
 *
 * @module
 */

import type { ResourceType } from '../types.js';
import type { BorrowScope } from './borrow-scope.js';

/**
 * One resource handle in an instance's {@link HandleTable} (the spec's
 * `ResourceHandle`).
 *
 * - `own` handles are created by `resource.new` and by lowering an `own<R>`;
 *   dropping one runs the destructor.
 * - borrow handles (`own === false`) are created by lowering a `borrow<R>`
 *   into an instance that does not implement `R`; `borrowScope` is the callee
 *   task, whose call may not end while the borrow is still in the table.
 * - `numLends` counts the calls this handle is currently lent to (lifting a
 *   `borrow<R>` from it); while it is non-zero the handle can be neither
 *   dropped nor moved out with `own<R>`, so a callee never sees its borrow
 *   outlive the resource.
 *
 * A class rather than plain data because it is mutable state (`numLends`) and
 * because the table mixes it with other element kinds, told apart with
 * {@link isResourceHandle}.
 */
export class ResourceHandle {
  /** Discriminant among table elements. */
  readonly kind: 'resource-handle' = 'resource-handle';
  /** The resource type; compared by identity. */
  readonly resource: ResourceType;
  /** The representation (`i32` for guest-defined resources). */
  readonly rep: number;
  /** `true` for an `own` handle, `false` for a borrow handle. */
  readonly own: boolean;
  /** For a borrow handle: the scope (callee task) that must see it dropped before the call ends. */
  readonly borrowScope: BorrowScope | undefined;
  /** Number of calls this handle is lent to right now. */
  numLends = 0;

  constructor(resource: ResourceType, rep: number, own: boolean, borrowScope?: BorrowScope) {
    this.resource = resource;
    this.rep = rep;
    this.own = own;
    this.borrowScope = borrowScope;
  }
}

/** True when a table element is a {@link ResourceHandle}. */
export function isResourceHandle(e: unknown): e is ResourceHandle {
  return e instanceof ResourceHandle;
}

/**
 * Options of {@link resourceType}: everything the spec's `ResourceType` has
 * that a JS host needs.
 */
export interface ResourceTypeOptions {
  /** Name for messages and debugging (identity is the object, not the name). */
  readonly name?: string;
  /**
   * The state of the component instance that implements the resource (the
   * spec's `ResourceType.impl`). Leave it out for a host-defined resource.
   * `lower_borrow` into this instance passes the rep instead of a handle, and
   * `resource.drop` from it calls the destructor directly.
   */
  readonly instance?: unknown;
  /**
   * Destructor, called with the rep when an owning handle is dropped. It may
   * return a promise: that is the hook for destructors lifted with the
   * `async` option (the runtime awaits it where the spec would block).
   */
  readonly dtor?: (rep: number) => void | Promise<void>;
}

/**
 * Makes a fresh resource type. Each call returns a distinct type, as each
 * `(type (resource ...))` definition (or each instantiation of one) is
 * distinct in the Component Model.
 */
export function resourceType(options: ResourceTypeOptions = {}): ResourceType {
  const rt: { kind: 'resource'; name?: string; instance?: unknown; dtor?: (rep: number) => void | Promise<void> } = {
    kind: 'resource',
  };
  if (options.name !== undefined) rt.name = options.name;
  if (options.instance !== undefined) rt.instance = options.instance;
  if (options.dtor !== undefined) rt.dtor = options.dtor;
  return rt;
}

/**
 * How trap messages name a resource type: "guest-defined resource" or
 * "host-defined resource", the words of the reference tests.
 */
export function describeResourceType(rt: ResourceType): string {
  return rt.instance === undefined ? 'host-defined resource' : 'guest-defined resource';
}
