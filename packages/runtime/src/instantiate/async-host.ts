/**
 * The JS host's side of Component Model async (`Async.md`, issue 6): what a
 * JS caller of an async export and a JS implementation of an import see.
 *
 * - An export whose lift is async-capable is a function returning a
 *   Promise. An optional last argument `{ signal }` (one past the declared
 *   parameters) cancels the call with an `AbortSignal`: the task gets the
 *   spec's `request_cancellation` (`CanonicalABI.md#task-state`); the Promise
 *   rejects with the signal's reason once the task acknowledges with
 *   `task.cancel`, or resolves normally if the task returns a value first.
 * - A `stream<T>` or `future<T>` the host gives a component (an export's
 *   argument, an import's result) may be any JS source: an async or sync
 *   iterable, a WHATWG `ReadableStream`, a typed array (number element
 *   types), a Promise-like (futures). This module pumps such a source into
 *   the shared stream/future itself so the scheduler knows a host source is
 *   still attached: until the source ends (or the Promise settles) the store
 *   counts it in `pendingHost` and is not deadlocked (`Store.runReady`); a
 *   source that fails ends the stream and rejects the pending call.
 *   Values the component made (`ComponentReadableStream`, `ComponentFuture`)
 *   pass through untouched, so component-to-component streams never go
 *   through JS chunks; those the host made with {@link createStream} /
 *   {@link createFuture} keep the store alive while the host holds the
 *   writer.
 *
 * @module
 */
import {
  checkElement,
  chunkToValues,
  ComponentFuture,
  ComponentReadableStream,
  ComponentWritableStream,
  DEADLOCK,
  hostWriteFuture,
  hostWriteNow,
  SharedFuture,
  SharedStream,
  type Store,
  type TaskResult,
  type TaskRoot,
} from '@wasm-components/async';
import { type FuncType, Trap, type ValType } from '@wasm-components/canonical-abi';
import { ASYNC_START, type AsyncStart, CALL_CANCELLED } from './async.js';
import { FUNC_TYPE, LIFTED } from './model.js';
import { currentFrame, type Frame, type RuntimeInstance, runtimeStore } from './task.js';

/** Where a host source reports: the store to keep alive, and the call to fail when the source throws. */
export interface SourceEnv {
  readonly store: Store;
  /** Called with a source's error; the pending host call (if any) rejects with it. */
  fail(e: unknown): void;
}

/** Maps a JS value of one type to what is lowered, pumping host sources found in it. */
export type SourceMapper = (v: unknown, env: SourceEnv) => unknown;

const mappers = new WeakMap<ValType, SourceMapper | null>();

/**
 * The mapper for values of type `t` that may hold streams or futures, or
 * undefined when `t` holds none (then values pass as they are).
 */
export function sourceMapper(t: ValType): SourceMapper | undefined {
  const c = mappers.get(t);
  if (c !== undefined) return c ?? undefined;
  const m = buildMapper(t);
  mappers.set(t, m ?? null);
  return m;
}

function buildMapper(t: ValType): SourceMapper | undefined {
  switch (t.kind) {
    case 'stream':
      return (v, env) => streamSource(v, t.elem, env);
    case 'future':
      return (v, env) => futureSource(v, t.elem, env);
    case 'list': {
      const m = sourceMapper(t.elem);
      return m === undefined ? undefined : (v, env) => Array.from(v as ArrayLike<unknown>, (x) => m(x, env));
    }
    case 'option': {
      const m = sourceMapper(t.type);
      if (m === undefined) return undefined;
      if (t.type.kind === 'option') {
        return (v, env) => {
          if (v === undefined || v === null) return v;
          const s = v as { tag: string; val?: unknown };
          return s.tag === 'some' ? { tag: s.tag, val: m(s.val, env) } : s;
        };
      }
      return (v, env) => (v === undefined || v === null ? v : m(v, env));
    }
    case 'result': {
      const ok = t.ok === undefined ? undefined : sourceMapper(t.ok);
      const err = t.err === undefined ? undefined : sourceMapper(t.err);
      if (ok === undefined && err === undefined) return undefined;
      return (v, env) => {
        const r = v as { tag: string; val?: unknown };
        const m = r.tag === 'ok' ? ok : err;
        return m === undefined ? r : { tag: r.tag, val: m(r.val, env) };
      };
    }
    case 'variant': {
      const ms = new Map<string, SourceMapper>();
      for (const c of t.cases) {
        const m = c.type === undefined ? undefined : sourceMapper(c.type);
        if (m !== undefined) ms.set(c.label, m);
      }
      if (ms.size === 0) return undefined;
      return (v, env) => {
        const r = v as { tag: string; val?: unknown };
        const m = ms.get(r.tag);
        return m === undefined ? r : { tag: r.tag, val: m(r.val, env) };
      };
    }
    case 'record': {
      const ms: [string, SourceMapper][] = [];
      for (const f of t.fields) {
        const m = sourceMapper(f.type);
        if (m !== undefined) ms.push([f.label, m]);
      }
      if (ms.length === 0) return undefined;
      return (v, env) => {
        const o = { ...(v as Record<string, unknown>) };
        for (const [k, m] of ms) o[k] = m(o[k], env);
        return o;
      };
    }
    case 'tuple': {
      const ms = t.types.map((x) => sourceMapper(x));
      if (ms.every((m) => m === undefined)) return undefined;
      return (v, env) =>
        Array.from(v as ArrayLike<unknown>, (x, i) => {
          const m = ms[i];
          return m === undefined ? x : m(x, env);
        });
    }
    default:
      return undefined;
  }
}

function isObject(v: unknown): v is object {
  return (typeof v === 'object' || typeof v === 'function') && v !== null;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return isObject(v) && typeof (v as { then?: unknown }).then === 'function';
}

/** One step of a host source: the next chunk, or done. */
type Next = () => Promise<IteratorResult<unknown>>;

/**
 * The value to lower for a JS `stream<T>` value: component streams pass
 * through; a JS source becomes a new shared stream that {@link pump} fills.
 * What is not a source (a sync iterable, a typed array) is left to the
 * lowering, which needs no help for it.
 */
function streamSource(v: unknown, elem: ValType | undefined, env: SourceEnv): unknown {
  if (v instanceof ComponentReadableStream) {
    hostWritten.get(v)?.attach(env.store);
    return v;
  }
  if (v instanceof SharedStream || !isObject(v)) return v;
  let next: Next;
  let stop: () => unknown;
  if (typeof (v as { getReader?: unknown }).getReader === 'function' && 'locked' in v) {
    const reader = (v as unknown as { getReader(): { read(): Promise<IteratorResult<unknown>>; cancel(): Promise<void>; releaseLock(): void } }).getReader();
    next = () => reader.read();
    stop = () => reader.cancel();
  } else if (Symbol.asyncIterator in v) {
    const it = (v as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    next = () => it.next();
    stop = () => it.return?.();
  } else {
    return v;
  }
  const shared = new SharedStream(elem);
  void pump(shared, next, stop, env);
  return shared;
}

/**
 * Moves a host source's chunks into `shared`, one write at a time (a write
 * resolves when the component took all of it: backpressure). For as long
 * as the source is attached the store counts a pending host operation: the
 * host can still end or feed the stream, so a component waiting on it is
 * not deadlocked (between a completed write and the next chunk there is no
 * moment the store could safely call stuck). The count drops in the same
 * synchronous step that drops the writable end.
 */
async function pump(shared: SharedStream, next: Next, stop: () => unknown, env: SourceEnv): Promise<void> {
  const store = env.store;
  store.pendingHost++;
  let failure: { readonly e: unknown } | undefined;
  try {
    for (;;) {
      let r: IteratorResult<unknown>;
      try {
        r = await next();
      } catch (e) {
        failure = { e };
        return;
      }
      if (r.done === true) return;
      // At once when the component already waits for the chunk (no Promise per chunk then).
      const w = hostWriteNow(shared, chunkToValues(shared.t, r.value));
      if (!(w === true || (w !== false && (await w)))) {
        // The component dropped its readable end: stop the source.
        try {
          await stop();
        } catch {
          // the source's own cleanup failing changes nothing for the component
        }
        return;
      }
    }
  } catch (e) {
    failure = { e };
  } finally {
    store.pendingHost--;
    shared.drop();
    store.schedule();
    if (failure !== undefined) env.fail(failure.e);
  }
}

/** The value to lower for a JS `future<T>` value: a Promise-like is awaited while counted as pending host work. */
function futureSource(v: unknown, elem: ValType | undefined, env: SourceEnv): unknown {
  if (v instanceof ComponentFuture) {
    hostWritten.get(v)?.attach(env.store);
    return v;
  }
  if (v instanceof SharedFuture || !isThenable(v)) return v;
  const shared = new SharedFuture(elem);
  const store = env.store;
  store.pendingHost++;
  v.then(
    (value) => {
      store.pendingHost--;
      store.schedule();
      try {
        checkElement(elem, value);
      } catch (e) {
        // A wrong value is the host's error: the call fails, as when the Promise rejects.
        env.fail(e);
        return;
      }
      void hostWriteFuture(shared, value);
    },
    (e: unknown) => {
      // A future's writer may not drop without writing: the future stays unresolved and the call fails.
      store.pendingHost--;
      store.schedule();
      env.fail(e);
    },
  );
  return shared;
}

/**
 * The parts of a WHATWG `AbortSignal` used (declared here: this package
 * needs neither DOM nor Node typings).
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/**
 * The host's hold on the writable end of a stream or future it made with
 * {@link createStream} / {@link createFuture}. Once the readable end is given
 * to a component, the store counts one pending host operation until either
 * end is dropped (the host closed the stream or wrote the future, or the
 * component dropped its end): while the host holds a writer, a component
 * waiting on it is not deadlocked.
 */
class HostWriter {
  #store: Store | undefined = undefined;
  #done = false;

  /** The readable end was lowered into a component of `store`. */
  attach(store: Store): void {
    if (this.#done || this.#store !== undefined) return;
    this.#store = store;
    store.pendingHost++;
  }

  /** One end was dropped. */
  done(): void {
    if (this.#done) return;
    this.#done = true;
    const store = this.#store;
    if (store !== undefined) {
      store.pendingHost--;
      store.schedule();
    }
  }
}

/** Readable ends made by {@link createStream} / {@link createFuture}, and their host writer. */
const hostWritten = new WeakMap<object, HostWriter>();

/** A stream whose writer is the host: tells its {@link HostWriter} when an end drops. */
class HostSharedStream extends SharedStream {
  readonly writer: HostWriter = new HostWriter();
  override drop(): void {
    super.drop();
    this.writer.done();
  }
}

/** A future whose writer is the host: tells its {@link HostWriter} when an end drops. */
class HostSharedFuture extends SharedFuture {
  readonly writer: HostWriter = new HostWriter();
  override drop(): void {
    super.drop();
    this.writer.done();
  }
}

/**
 * A new stream the host writes and a component reads: give `readable` to
 * the component (as an argument or an import's result) and write into
 * `writable` (a WHATWG `WritableStream`; each write resolves when the
 * component has taken all of it; `close()` ends the stream). `elem` is the
 * stream's element type (canonical-abi's `t`, e.g. `t.u8`). Until the
 * writable is closed or aborted, a component waiting on the stream is not
 * reported as deadlocked.
 */
export function createStream<T = unknown>(elem: ValType | undefined): { readable: ComponentReadableStream<T>; writable: ComponentWritableStream<T> } {
  const shared = new HostSharedStream(elem);
  const readable = new ComponentReadableStream<T>(shared);
  hostWritten.set(readable, shared.writer);
  return { readable, writable: new ComponentWritableStream<T>(shared) };
}

/**
 * A new future the host resolves and a component reads: give `future` to the
 * component, call `resolve(value)` once (it resolves `true` when the
 * component read the value, `false` when it dropped its end first). `elem` is
 * the value type. Until resolved, a component waiting on the future is not
 * reported as deadlocked.
 */
export function createFuture<T = unknown>(elem: ValType | undefined): { future: ComponentFuture<T>; resolve: (value: T) => Promise<boolean> } {
  const shared = new HostSharedFuture(elem);
  const future = new ComponentFuture<T>(shared);
  hostWritten.set(future, shared.writer);
  let written = false;
  return {
    future,
    resolve: (value) => {
      if (written) return Promise.reject(new TypeError('this future was already resolved'));
      try {
        checkElement(elem, value);
      } catch (e) {
        // Not written: the host may resolve again with a right value.
        return Promise.reject(e);
      }
      written = true;
      return hostWriteFuture(shared, value);
    },
  };
}

/** The host's options for one call of an async export (an extra argument after the declared parameters). */
export interface AsyncCallOptions {
  /** Cancels the call (`request_cancellation`). */
  readonly signal?: AbortSignalLike;
}

/** A plain object with a `signal` that is an `AbortSignal` (anything else is an ordinary, extra argument). */
function isCallOptions(v: unknown): v is AsyncCallOptions {
  if (!isObject(v) || Object.getPrototypeOf(v) !== Object.prototype || !Object.prototype.hasOwnProperty.call(v, 'signal')) return false;
  const s = (v as { signal?: unknown }).signal;
  return isObject(s) && typeof (s as { aborted?: unknown }).aborted === 'boolean' && typeof (s as { addEventListener?: unknown }).addEventListener === 'function';
}

function abortReason(signal: AbortSignalLike): unknown {
  return signal.reason ?? new Trap(CALL_CANCELLED);
}

/**
 * One call of an async export from the host: the task's root (traps of
 * threads the scheduler resumed land here), the store's deadlock handler,
 * and the signal's listener, in one object so a call allocates little.
 */
class HostCall implements TaskRoot, SourceEnv {
  readonly store: Store;
  readonly signal: AbortSignalLike | undefined;
  readonly #resolve: (v: unknown) => void;
  readonly #reject: (e: unknown) => void;
  #settled = false;
  call: { requestCancellation(): void } | undefined = undefined;

  constructor(store: Store, signal: AbortSignalLike | undefined, resolve: (v: unknown) => void, reject: (e: unknown) => void) {
    this.store = store;
    this.signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  #settle(): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    this.store.removeHostCall(this.onDeadlock);
    this.signal?.removeEventListener('abort', this.onAbort);
    return true;
  }

  /** The store can make no more progress. A call the host can still cancel is not stuck: aborting is progress the store cannot see. */
  readonly onDeadlock = (): void => {
    if (this.signal !== undefined && !this.signal.aborted) return;
    if (this.#settle()) this.#reject(new Trap(DEADLOCK));
  };

  /** The signal fired: `request_cancellation`. */
  readonly onAbort = (): void => {
    if (this.#settled || this.call === undefined) return;
    this.call.requestCancellation();
    this.store.schedule();
  };

  /** The task resolved: with a value, or cancelled (`null`). */
  readonly onResolve = (r: TaskResult): void => {
    if (!this.#settle()) return;
    if (r !== null) this.#resolve(r.value);
    else this.#reject(this.signal?.aborted === true ? abortReason(this.signal) : new Trap(CALL_CANCELLED));
  };

  /** {@link TaskRoot.fail} and {@link SourceEnv.fail}: the call rejects with `e`. */
  fail(e: unknown): void {
    if (this.#settle()) this.#reject(e);
  }
}

/**
 * A call of an async export from the host: a Promise settled by
 * `task.return`, cancellation, a trap, a failing host source, or deadlock.
 */
export function callFromHost(inst: RuntimeInstance, start: AsyncStart, args: readonly unknown[], params: readonly (SourceMapper | undefined)[], signal?: AbortSignalLike): Promise<unknown> {
  if (signal?.aborted === true) return Promise.reject(abortReason(signal));
  const store = inst.store;
  return new Promise<unknown>((resolve, reject) => {
    const hc = new HostCall(store, signal, resolve, reject);
    store.addHostCall(hc.onDeadlock);
    signal?.addEventListener('abort', hc.onAbort, { once: true });
    const onStart =
      params.length === 0 ? () => args : () => args.map((a, i) => (params[i] === undefined ? a : (params[i] as SourceMapper)(a, hc)));
    try {
      hc.call = start(currentFrame(), onStart, hc.onResolve, hc);
    } catch (e) {
      hc.fail(e);
    }
    store.schedule();
  });
}

/**
 * The function the host sees for a lifted async-capable export `fn` (made
 * by `liftAsync`): the same call, plus host sources pumped with the store
 * kept alive, plus the optional `{ signal }` argument. Component-to-component
 * calls keep using the original through the copied {@link ASYNC_START}.
 */
export function hostAsyncExport(fn: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const f = fn as unknown as Record<symbol, unknown>;
  const start = f[ASYNC_START] as AsyncStart | undefined;
  const inst = f[LIFTED] as RuntimeInstance | undefined;
  const ft = f[FUNC_TYPE] as FuncType | undefined;
  if (start === undefined || inst === undefined || ft === undefined) return fn;
  const n = ft.params.length;
  const ms = ft.params.map((p) => sourceMapper(p.type));
  const params = ms.every((m) => m === undefined) ? [] : ms;
  const wrapped = (...args: unknown[]): Promise<unknown> => {
    if (args.length === n + 1 && isCallOptions(args[n])) {
      const o = args[n] as AsyncCallOptions;
      return callFromHost(inst, start, args.slice(0, n), params, o.signal);
    }
    // Checked before the task starts: a wrong call by the host is no trap of the instance.
    if (args.length !== n) return Promise.reject(new TypeError(`expected ${n} parameters, got ${args.length}`));
    return callFromHost(inst, start, args, params);
  };
  Object.defineProperty(wrapped, FUNC_TYPE, { value: ft });
  Object.defineProperty(wrapped, LIFTED, { value: inst });
  Object.defineProperty(wrapped, ASYNC_START, { value: start });
  Object.defineProperty(wrapped, 'name', { value: fn.name });
  return wrapped;
}

/** The store of the call in progress: the innermost instance on the frame chain, else the runtime's default. */
function currentStore(): Store {
  for (let f: Frame | undefined = currentFrame(); f !== undefined; f = f.supertask) {
    if (f.inst !== undefined) return f.inst.store;
  }
  return runtimeStore();
}

/**
 * A host implementation of an imported function of type `ft` whose result
 * holds streams or futures: its result (awaited when a Promise) has its JS
 * sources pumped with the calling store kept alive. Other functions are
 * returned as they are.
 */
export function hostImportWithSources(fn: (...args: unknown[]) => unknown, ft: FuncType): (...args: unknown[]) => unknown {
  const m = ft.result === undefined ? undefined : sourceMapper(ft.result);
  if (m === undefined) return fn;
  return (...args) => {
    const store = currentStore();
    let failed: unknown;
    let hasFailed = false;
    const env: SourceEnv = {
      store,
      fail(e) {
        // No call of ours to reject: the error surfaces as an unhandled rejection, like a failing async import.
        if (!hasFailed) {
          hasFailed = true;
          failed = e;
          void Promise.reject(failed);
        }
      },
    };
    const r = fn(...args);
    return isThenable(r) ? Promise.resolve(r).then((v) => m(v, env)) : m(r, env);
  };
}
