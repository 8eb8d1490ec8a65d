/**
 * Resources and handles of the Canonical ABI: the per-instance handle table,
 * resource handles, borrow scopes, `own`/`borrow` lifting and lowering and
 * the `resource.new/drop/rep` built-ins.
 *
 * See `CanonicalABI.md#table-state`, `#resource-state`, `#lifting-and-lowering-values`
 * and `#canon-resourcenew`.
 *
 * @module
 */
export {
  describeTableEntry,
  HandleTable,
  type HandleTableOptions,
  MAX_TABLE_LENGTH,
  trapUnknownHandle,
  trapWrongHandleKind,
} from './table.js';
export {
  describeResourceType,
  isResourceHandle,
  ResourceHandle,
  resourceType,
  type ResourceTypeOptions,
} from './handle.js';
export { BORROWS_REMAIN_MESSAGE, type BorrowScope, CallBorrowScope, trapIfBorrowsRemain } from './borrow-scope.js';
export {
  checkResourceHandle,
  getResourceHandle,
  liftBorrow,
  liftOwn,
  lowerBorrow,
  lowerOwn,
  OWN_LENT_MESSAGE,
  type ResourceContext,
  type ResourceInstance,
} from './lift-lower.js';
export { canonResourceDrop, canonResourceNew, canonResourceRep, type ResourceDropHooks } from './canon.js';
