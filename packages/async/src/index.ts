/**
 * `@wasm-components/async`: the async part of the Component Model's
 * Canonical ABI (`CanonicalABI.md`, `Async.md`) for JavaScript hosts.
 *
 * @packageDocumentation
 */

/** The package's version, for diagnostics. */
export const VERSION: string = '0.0.0';

// tasks, threads, scheduling, waitables (helper [core]; keep this block together)
export { Cancelled, type ResumeFn, type TaskLike, Thread, type ThreadLike, type ThreadStore, type ThreadTask } from './thread.js';
export {
  EventCode,
  type EventTuple,
  type PendingEvent,
  type PickIndex,
  setWakeHook,
  wake,
  Waitable,
  WaitableSet,
} from './waitable.js';
export { abortAllStores, DEADLOCK, type DeadlockHandler, type FrameHooks, getDefaultStore, seededPick, Store, type StoreOptions, whenIdle } from './scheduler.js';
export {
  type AsyncInstance,
  type Call,
  EXIT_WITHOUT_RETURN,
  type OnResolve,
  Task,
  type TaskOptions,
  type TaskResult,
  type TaskRoot,
  TaskState,
} from './task.js';
export { DROP_UNRESOLVED, Subtask, SubtaskState } from './subtask.js';
export { hasJspi, NO_JSPI, park, promising, startStackful, suspend, suspending } from './jspi.js';
export { CallbackCode, callCore, driveCallbackLoop, liftEntries, type LiftSpec, startTask, UNSUPPORTED_CALLBACK_CODE } from './lift.js';
export { blockingImport, type CoreSig, runOnStack, shimBytes, type StackEntry, stackEntry, type StackOutcome, trampolineBytes } from './stack.js';
export { BLOCKED_RESULT, canonLower, type LowerCall, type StartCall } from './lower.js';
export { blockingThread, type Caller, CANNOT_BLOCK_SYNC, checkLeave, mayBlock, andThen } from './builtins/caller.js';
export { storeEvent, waitableJoin, waitableSetDrop, waitableSetNew, waitableSetPoll, waitableSetWait } from './builtins/waitable.js';
export { backpressureDec, backpressureInc, backpressureSet, callerTask, taskCancel, taskReturnCheck } from './builtins/task.js';
export {
  NO_SHARED_THREADS,
  NOT_SUSPENDED,
  type ThreadBody,
  threadAvailableParallelism,
  threadIndex,
  threadNew,
  threadResumeLater,
  threadSpawn,
  threadSuspend,
  threadSuspendThenPromote,
  threadSuspendThenResume,
  threadYield,
  threadYieldThenPromote,
  threadYieldThenResume,
} from './builtins/thread.js';
export { beginSyncCall, clearSyncCalls, mayRun, otherThreadReady } from './thread.js';
export { subtaskCancel, subtaskDrop } from './builtins/subtask.js';
// end of tasks, threads, scheduling, waitables

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
  hostWriteNow,
  sharedStreamFor,
} from './host/stream.js';
export { ComponentFuture, createFuture, hostReadFuture, hostWriteFuture, sharedFutureFor } from './host/future.js';
export { checkElement, checkElements } from './host/check.js';
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
export {
  STREAM_BUILTIN_KINDS,
  type StreamBuiltin,
  type StreamBuiltinEnv,
  type StreamBuiltinSpec,
  streamFutureBuiltin,
} from './builtins/glue.js';
// end of streams, futures, error contexts
