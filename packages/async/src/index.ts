/**
 * `@wasm-components/async`: the async part of the Component Model's
 * Canonical ABI (`CanonicalABI.md`, `Async.md`) for JavaScript hosts.
 *
 * @packageDocumentation
 */

/** The package's version, for diagnostics. */
export const VERSION: string = '0.0.0';

// streams, futures, error contexts (helper [streams]; keep this block together)
export {
  BUFFER_MAX_LENGTH,
  copyElements,
  type CopyBuffer,
  type ElementValues,
  GuestBuffer,
  HostReadableBuffer,
  HostWritableBuffer,
  type ReadableBuffer,
  ReadableGuestBuffer,
  typedArrayCtorFor,
  type WritableBuffer,
  WritableGuestBuffer,
} from './streams/buffer.js';
export {
  CopyResult,
  INTRA_COMPONENT_TRAP,
  type OnCopy,
  type OnCopyDone,
  type ReclaimBuffer,
  SharedFuture,
  SharedStream,
} from './streams/shared.js';
export { elemTypesEqual, noneOrNumberType, typesEqual } from './streams/types.js';
export { ErrorContext, isErrorContext } from './error-context.js';
export { BLOCKED, CANNOT_BLOCK, CANNOT_LEAVE } from './builtins/common.js';
export { errorContextDebugMessage, errorContextDrop, errorContextNew } from './builtins/error-context.js';
export {
  chunkToValues,
  ComponentReadableStream,
  ComponentWritableStream,
  createStream,
  DEFAULT_READ_CHUNK,
  hostRead,
  type HostReadResult,
  hostWrite,
  sharedStreamFor,
} from './host/stream.js';
export { ComponentFuture, createFuture, hostReadFuture, hostWriteFuture, sharedFutureFor } from './host/future.js';
export {
  CopyEnd,
  CopyState,
  ReadableFutureEnd,
  ReadableStreamEnd,
  SYNC_IN_SET_TRAP,
  WritableFutureEnd,
  WritableStreamEnd,
} from './streams/ends.js';
export { asyncHooks, type AsyncHooksOptions, createAsyncHooks } from './streams/hooks.js';
export {
  type BlockedCopy,
  cancelCopy,
  type CopyOutcome,
  type CopyTypeInfo,
  dropEnd,
  futureCopy,
  isBlocked,
  setDefaultCopyHooks,
  streamCopy,
} from './builtins/copy.js';
export {
  streamCancelRead,
  streamCancelWrite,
  streamDropReadable,
  streamDropWritable,
  streamNew,
  streamRead,
  streamWrite,
} from './builtins/stream.js';
export {
  futureCancelRead,
  futureCancelWrite,
  futureDropReadable,
  futureDropWritable,
  futureNew,
  futureRead,
  futureWrite,
} from './builtins/future.js';
// end of streams, futures, error contexts
