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
// end of streams, futures, error contexts
