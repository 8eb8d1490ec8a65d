/**
 * `future<T>` for JavaScript.
 *
 * - A future a component gives to JS arrives as a {@link ComponentFuture}: a
 *   Promise-like (`await f`, `f.then(...)`) resolving to the value once the
 *   writer wrote it. The read starts on the first `then`; until then the
 *   future can be passed on to another component untouched.
 * - JS gives a future to a component as a {@link ComponentFuture}, a
 *   Promise-like (its value is written when it resolves), or a plain value
 *   (written as soon as the component reads). A promise that rejects leaves
 *   the future unresolved (a future's writer may not drop without writing);
 *   the rejection is reported to `onError`.
 *
 * @module
 */

import { HostValueError, type ValType } from '@wasm-components/canonical-abi';
import { HostReadableBuffer, HostWritableBuffer } from '../streams/buffer.js';
import { checkElement } from './check.js';
import { CopyResult, SharedFuture } from '../streams/shared.js';

/**
 * Reads the future's value as the host. Resolves with the value; rejects
 * if the copy ends any other way (cancelled or dropped).
 */
export function hostReadFuture(shared: SharedFuture): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const buf = new HostWritableBuffer(shared.t, 1);
    shared.read(undefined, buf, (result) => {
      if (result === CopyResult.COMPLETED) {
        const v = buf.take();
        resolve(shared.t === undefined ? undefined : v[0]);
      } else {
        reject(new Error(`future read ended without a value (copy result ${result})`));
      }
    });
  });
}

/** Writes `value` as the host; resolves `true` when read, `false` when the readable end was dropped first. */
export function hostWriteFuture(shared: SharedFuture, value: unknown): Promise<boolean> {
  return new Promise((resolve) => {
    const vs = shared.t === undefined ? { length: 1 } : [value];
    shared.write(undefined, new HostReadableBuffer(shared.t, vs), (result) => {
      if (result === CopyResult.COMPLETED) shared.drop();
      resolve(result === CopyResult.COMPLETED);
    });
  });
}

/** A future received from a component (see the module documentation). */
export class ComponentFuture<T = unknown> implements PromiseLike<T> {
  readonly #shared: SharedFuture;
  #promise: Promise<T> | undefined;
  #claimed = false;

  constructor(shared: SharedFuture) {
    this.#shared = shared;
  }

  /** The element type. */
  get elementType(): ValType | undefined {
    return this.#shared.t;
  }

  /** Starts the read (once) and waits for the value. */
  then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#start().then(onfulfilled, onrejected);
  }

  /** `Promise.prototype.catch` equivalent. */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#start().catch(onrejected);
  }

  /** Drops the readable end without reading (the writer sees `DROPPED`). No effect once read or passed on. */
  drop(): void {
    if (this.#promise === undefined && !this.#claimed) {
      this.#claimed = true;
      this.#shared.drop();
    }
  }

  /**
   * Takes the shared state to pass the future on to a component. Only a
   * future nobody awaited can be passed on.
   */
  claim(): SharedFuture {
    if (this.#claimed || this.#promise !== undefined) {
      // A HostValueError (a TypeError): the host's mistake, which must leave the component it was passed to as it was.
      throw new HostValueError('a future nobody awaited, dropped or passed to a component', 'one that was already (it cannot be passed to a component)');
    }
    this.#claimed = true;
    return this.#shared;
  }

  #start(): Promise<T> {
    if (this.#promise === undefined) {
      if (this.#claimed) return Promise.reject(new TypeError('this future was dropped or passed to a component'));
      const shared = this.#shared;
      this.#promise = hostReadFuture(shared).then((v) => {
        shared.drop();
        return v as T;
      });
    }
    return this.#promise;
  }
}

/** A host-created future: hand `future` to a component, call `resolve(value)` to write the value. */
export function createFuture<T = unknown>(elem: ValType | undefined): {
  future: ComponentFuture<T>;
  resolve: (value: T) => Promise<boolean>;
} {
  const shared = new SharedFuture(elem);
  let written = false;
  return {
    future: new ComponentFuture<T>(shared),
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

function isPromiseLike(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** The shared state to lower for a JS future value `v` (see the module documentation). */
export function sharedFutureFor(v: unknown, elem: ValType | undefined, onError?: (e: unknown) => void): SharedFuture {
  if (v instanceof ComponentFuture) return v.claim();
  if (v instanceof SharedFuture) return v;
  const shared = new SharedFuture(elem);
  if (isPromiseLike(v)) {
    v.then(
      (value) => {
        try {
          checkElement(elem, value);
        } catch (e) {
          // A wrong value: the host's error; the future is dropped unwritten, so its reader is not left waiting.
          shared.drop();
          if (onError !== undefined) onError(e);
          else void Promise.reject(e);
          return;
        }
        void hostWriteFuture(shared, value);
      },
      (e: unknown) => {
        if (onError !== undefined) onError(e);
        else void Promise.reject(e);
      },
    );
  } else {
    // Checked before anything is made visible to a component: a HostValueError of the call that passes it.
    checkElement(elem, v);
    void hostWriteFuture(shared, v);
  }
  return shared;
}
