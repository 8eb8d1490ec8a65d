/**
 * Ready-made core functions for the stream, future and error-context
 * built-ins, for a runtime's `canon` instantiation: one call per `canon`
 * definition, given the resolved type, options and an environment that
 * knows the calling thread and how to wait.
 *
 * ```ts
 * const b = streamFutureBuiltin(c.kind, { type, opts, async: c.async }, env);
 * if (b !== undefined) return b.mayBlock && hasJspi() ? suspending(b.fn) : b.fn;
 * ```
 *
 * @module
 */

import type { AsyncHooks, CanonicalOptions, ComponentInstanceState, ErrorContextType, FutureType, StreamType } from '@wasm-components/canonical-abi';
import type { ThreadLike } from '../thread.js';
import { type BlockedCopy, type CopyOutcome, isBlocked } from './copy.js';
import { errorContextDebugMessage, errorContextDrop, errorContextNew } from './error-context.js';
import {
  futureCancelRead,
  futureCancelWrite,
  futureDropReadable,
  futureDropWritable,
  futureNew,
  futureRead,
  futureWrite,
} from './future.js';
import {
  streamCancelRead,
  streamCancelWrite,
  streamDropReadable,
  streamDropWritable,
  streamNew,
  streamRead,
  streamWrite,
} from './stream.js';

/** What the core functions need from the runtime. */
export interface StreamBuiltinEnv {
  /** The component instance the `canon` definition belongs to. */
  readonly inst: ComponentInstanceState;
  /** The calling thread, or `null` outside any task (then the caller may not block). */
  thread(): ThreadLike | null;
  /**
   * Waits for a synchronous copy or cancel: suspend `thread` until
   * `blocked.ready()`, then return `blocked.finish()`. May return a Promise
   * (a JSPI suspension); must trap where the thread cannot be suspended.
   */
  block(blocked: BlockedCopy, thread: ThreadLike): number | Promise<number>;
  /** Hooks for element values that are streams, futures or error contexts (default: the package's `asyncHooks`). */
  readonly hooks?: AsyncHooks;
}

/** The `canon` definition's immediates, resolved. */
export interface StreamBuiltinSpec {
  /** The `stream`/`future` type (absent for `error-context.*`). */
  readonly type?: StreamType | FutureType | ErrorContextType;
  /** The canonical options (`stream.read/write`, `future.read/write`, `error-context.new/debug-message`). */
  readonly opts?: CanonicalOptions;
  /** The `async` immediate of `cancel-read`/`cancel-write`. */
  readonly async?: boolean;
}

/** A core function for a built-in, and whether it may return a Promise (wrap it with `WebAssembly.Suspending` then). */
export interface StreamBuiltin {
  readonly fn: (...args: never[]) => unknown;
  readonly mayBlock: boolean;
}

/** The kinds {@link streamFutureBuiltin} implements. */
export const STREAM_BUILTIN_KINDS: ReadonlySet<string> = new Set([
  'stream.new',
  'stream.read',
  'stream.write',
  'stream.cancel-read',
  'stream.cancel-write',
  'stream.drop-readable',
  'stream.drop-writable',
  'future.new',
  'future.read',
  'future.write',
  'future.cancel-read',
  'future.cancel-write',
  'future.drop-readable',
  'future.drop-writable',
  'error-context.new',
  'error-context.debug-message',
  'error-context.drop',
]);

function need<T>(v: T | undefined, what: string, kind: string): T {
  if (v === undefined) throw new TypeError(`${kind} needs its ${what}`);
  return v;
}

/**
 * The core function of built-in `kind`, or `undefined` for kinds this
 * module does not implement. Arguments arrive as core wasm passes them
 * (signed `i32`s are reinterpreted as unsigned inside).
 */
export function streamFutureBuiltin(kind: string, spec: StreamBuiltinSpec, env: StreamBuiltinEnv): StreamBuiltin | undefined {
  if (!STREAM_BUILTIN_KINDS.has(kind)) return undefined;
  const inst = env.inst;
  const noThread: ThreadLike = { task: { inst, mayBlock: () => false } };
  const threadOf = (): ThreadLike => env.thread() ?? noThread;
  const hooks = env.hooks;
  const settle = (o: CopyOutcome, thread: ThreadLike): number | Promise<number> => (isBlocked(o) ? env.block(o, thread) : o);
  if (kind.startsWith('error-context.')) {
    switch (kind) {
      case 'error-context.new': {
        const opts = need(spec.opts, 'options', kind);
        return { fn: ((ptr: number, units: number) => errorContextNew(inst, opts, ptr, units, hooks)) as never, mayBlock: false };
      }
      case 'error-context.debug-message': {
        const opts = need(spec.opts, 'options', kind);
        return { fn: ((i: number, ptr: number) => errorContextDebugMessage(inst, opts, i >>> 0, ptr, hooks)) as never, mayBlock: false };
      }
      default:
        return { fn: ((i: number) => errorContextDrop(inst, i >>> 0)) as never, mayBlock: false };
    }
  }
  const ty = need(spec.type, 'type', kind);
  if (kind.startsWith('stream.')) {
    const st = ty as StreamType;
    switch (kind) {
      case 'stream.new':
        return { fn: (() => streamNew(st, inst)) as never, mayBlock: false };
      case 'stream.read':
      case 'stream.write': {
        const opts = need(spec.opts, 'options', kind);
        const op = kind === 'stream.read' ? streamRead : streamWrite;
        const fn = (i: number, ptr: number, n: number): number | Promise<number> => {
          const thread = threadOf();
          return settle(op(st, opts, thread, i >>> 0, ptr >>> 0, n >>> 0, hooks), thread);
        };
        return { fn: fn as never, mayBlock: opts.async !== true };
      }
      case 'stream.cancel-read':
      case 'stream.cancel-write': {
        const isAsync = spec.async === true;
        const op = kind === 'stream.cancel-read' ? streamCancelRead : streamCancelWrite;
        const fn = (i: number): number | Promise<number> => {
          const thread = threadOf();
          return settle(op(st, isAsync, thread, i >>> 0), thread);
        };
        return { fn: fn as never, mayBlock: !isAsync };
      }
      case 'stream.drop-readable':
        return { fn: ((i: number) => streamDropReadable(st, inst, i >>> 0)) as never, mayBlock: false };
      default:
        return { fn: ((i: number) => streamDropWritable(st, inst, i >>> 0)) as never, mayBlock: false };
    }
  }
  const ft = ty as FutureType;
  switch (kind) {
    case 'future.new':
      return { fn: (() => futureNew(ft, inst)) as never, mayBlock: false };
    case 'future.read':
    case 'future.write': {
      const opts = need(spec.opts, 'options', kind);
      const op = kind === 'future.read' ? futureRead : futureWrite;
      const fn = (i: number, ptr: number): number | Promise<number> => {
        const thread = threadOf();
        return settle(op(ft, opts, thread, i >>> 0, ptr >>> 0, hooks), thread);
      };
      return { fn: fn as never, mayBlock: opts.async !== true };
    }
    case 'future.cancel-read':
    case 'future.cancel-write': {
      const isAsync = spec.async === true;
      const op = kind === 'future.cancel-read' ? futureCancelRead : futureCancelWrite;
      const fn = (i: number): number | Promise<number> => {
        const thread = threadOf();
        return settle(op(ft, isAsync, thread, i >>> 0), thread);
      };
      return { fn: fn as never, mayBlock: !isAsync };
    }
    case 'future.drop-readable':
      return { fn: ((i: number) => futureDropReadable(ft, inst, i >>> 0)) as never, mayBlock: false };
    default:
      return { fn: ((i: number) => futureDropWritable(ft, inst, i >>> 0)) as never, mayBlock: false };
  }
}
