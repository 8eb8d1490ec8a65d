/**
 * `stream<T>` for JavaScript: the host side of a stream's rendezvous.
 *
 * - A stream a component gives to JS (an export's result, an import's
 *   argument) arrives as a {@link ComponentReadableStream}: a real WHATWG
 *   `ReadableStream` (so `pipeTo`, `getReader`, `for await` all work) whose
 *   chunks are typed arrays for number element types (`stream<u8>` gives
 *   `Uint8Array` chunks, each one copy out of guest memory, no per-byte
 *   work) and single values otherwise.
 * - JS gives a stream to a component as any of: a
 *   {@link ComponentReadableStream} (passed through untouched when it has
 *   not been read from: component-to-component streams never go through JS
 *   chunks), a WHATWG `ReadableStream`, an async or sync iterable, or for a
 *   number element type a single typed array. Chunks are typed arrays/arrays
 *   (number types) or single values.
 * - {@link createStream} makes a pair: `readable` to hand to a component,
 *   `writable` a WHATWG `WritableStream` the host writes into.
 *
 * Backpressure: copies are rendezvous (`CanonicalABI.md#stream-state`):
 * a host read starts only when the JS consumer asks for data (the
 * `ReadableStream` has a high-water mark of 0), and a host write resolves
 * only when the component has read all of it; a pump reads its next chunk
 * from a JS source only after the previous one was consumed.
 *
 * @module
 */

import { badValue, HostValueError, type ValType } from '@wasm-components/canonical-abi';
import { checkElement, checkElements } from './check.js';
import { type ElementValues, HostReadableBuffer, HostWritableBuffer, typedArrayCtorFor } from '../streams/buffer.js';
import { CopyResult, SharedStream } from '../streams/shared.js';
import {
  isWebReadableStream,
  type ReadableController,
  ReadableStreamBase,
  type WebReadableStream,
  type WritableController,
  WritableStreamBase,
} from './web.js';

/** Default number of elements one host read asks for (a 64 KiB chunk for `stream<u8>`). */
export const DEFAULT_READ_CHUNK: number = 65536;

/** Result of one host read: the values received and whether the writer is gone. */
export interface HostReadResult {
  readonly values: ElementValues;
  /** The writable end was dropped: no more values will come. */
  readonly done: boolean;
}

/**
 * One read of up to `capacity` elements by the host. Resolves when a writer
 * provided values (`done: false`), or with what was received and `done:
 * true` when the writable end was dropped, or with nothing when the read
 * was cancelled. `signal.cancel()` cancels a read still pending.
 */
export function hostRead(shared: SharedStream, capacity: number, signal?: { cancel?: () => void }): Promise<HostReadResult> {
  return new Promise((resolve) => {
    const buf = new HostWritableBuffer(shared.t, capacity);
    let settled = false;
    shared.read(
      undefined,
      buf,
      (reclaim) => {
        reclaim();
        settled = true;
        resolve({ values: buf.take(), done: false });
      },
      (result) => {
        settled = true;
        resolve({ values: buf.take(), done: result === CopyResult.DROPPED });
      },
    );
    if (signal !== undefined) {
      signal.cancel = () => {
        if (!settled && shared.pendingBuffer === buf) shared.cancel();
      };
    }
  });
}

/**
 * Writes all of `values` as the host. Resolves `true` once a reader took
 * them all (possibly over several partial copies), `false` when the
 * readable end was dropped first.
 */
export async function hostWrite(shared: SharedStream, values: ElementValues): Promise<boolean> {
  return hostWriteNow(shared, values);
}

/**
 * {@link hostWrite}, answering at once when it can: `true` (or `false`)
 * without a Promise when a reader was already waiting and took every value
 * (or the readable end was already dropped), so a pump moving a chunk into
 * a component that waits for it pays no Promise for the write. Otherwise
 * the Promise {@link hostWrite} gives.
 */
export function hostWriteNow(shared: SharedStream, values: ElementValues): boolean | Promise<boolean> {
  // A zero-length write still rendezvouses once (it tells a reader nothing but lets it observe the writer).
  return writeFrom(shared, new HostReadableBuffer(shared.t, values), values.length === 0);
}

/** Writes the rest of `buf`, one rendezvous at a time, synchronously as long as readers are waiting. */
function writeFrom(shared: SharedStream, buf: HostReadableBuffer, once: boolean): boolean | Promise<boolean> {
  for (;;) {
    let now: CopyResult | undefined;
    let later: ((r: CopyResult) => void) | undefined;
    const done = (r: CopyResult): void => {
      if (later !== undefined) later(r);
      else now = r;
    };
    shared.write(
      undefined,
      buf,
      (reclaim) => {
        reclaim();
        done(CopyResult.COMPLETED);
      },
      done,
    );
    if (now === undefined) {
      // Pending: a reader will take (some of) the values, or the readable end will be dropped.
      return new Promise<CopyResult>((resolve) => {
        later = resolve;
      }).then((r) => (r === CopyResult.DROPPED ? false : once || buf.remain() === 0 ? true : writeFrom(shared, buf, once)));
    }
    if (now === CopyResult.DROPPED) return false;
    if (once || buf.remain() === 0) return true;
  }
}

/** Turns one JS chunk into the element values of a write. */
export function chunkToValues(elem: ValType | undefined, chunk: unknown): ElementValues {
  const Ctor = typedArrayCtorFor(elem);
  if (Ctor !== undefined) {
    if (chunk instanceof Ctor) return chunk as unknown as ElementValues;
    // Anything else is converted element by element, each checked first: a typed array conversion would wrap or truncate silently.
    const items: ArrayLike<unknown> = ArrayBuffer.isView(chunk) || Array.isArray(chunk) ? (chunk as unknown as ArrayLike<unknown>) : [chunk];
    checkElements(elem, items as ElementValues, false);
    return (Ctor as unknown as { from(a: ArrayLike<unknown>): ElementValues }).from(items);
  }
  if (elem === undefined) return { length: 1 };
  checkElement(elem, chunk);
  return [chunk];
}

/**
 * A stream received from a component, as a WHATWG `ReadableStream` (see the
 * module documentation). Dropping: cancelling the stream (or breaking out of
 * `for await`) drops the readable end, which the writer sees as `DROPPED`.
 */
export class ComponentReadableStream<T = unknown> extends ReadableStreamBase<T> {
  /** The shared state; taken when the stream is passed on to a component. */
  readonly #shared: SharedStream;
  #controller: ReadableController<T> | undefined;
  #started = false;
  #claimed = false;

  /** Wraps the readable side of `shared`. `chunk` caps elements per read (default {@link DEFAULT_READ_CHUNK}). */
  constructor(shared: SharedStream, chunk: number = DEFAULT_READ_CHUNK) {
    let self: ComponentReadableStream<T> | undefined;
    let controller: ReadableController<T> | undefined;
    const signal: { cancel?: () => void } = {};
    let cancelled = false;
    const numbers = typedArrayCtorFor(shared.t) !== undefined;
    super(
      {
        start: (c) => {
          // Called during super(), before `this` exists: keep the controller in a closure.
          controller = c;
        },
        pull: async (c) => {
          if (self !== undefined) self.#started = true;
          for (;;) {
            const { values, done } = await hostRead(shared, numbers ? chunk : 1, signal);
            if (cancelled) return;
            if (values.length > 0) {
              if (numbers) c.enqueue(values as unknown as T);
              else for (let i = 0; i < values.length; i++) c.enqueue(values[i] as T);
            }
            if (done) {
              shared.drop();
              c.close();
              return;
            }
            if (values.length > 0) return;
            // A zero-length copy: keep waiting for values, since the consumer asked for some.
          }
        },
        cancel: () => {
          cancelled = true;
          signal.cancel?.();
          shared.drop();
        },
      },
      { highWaterMark: 0 },
    );
    self = this;
    this.#shared = shared;
    this.#controller = controller;
  }

  /** The element type. */
  get elementType(): ValType | undefined {
    return this.#shared.t;
  }

  /**
   * Takes the shared state to pass the stream on to a component (lowering).
   * Only a stream nobody has read from or locked can be passed on; it is
   * unusable from JS afterwards.
   */
  claim(): SharedStream {
    if (this.#claimed || this.#started || this.locked) {
      // A HostValueError (a TypeError): the host's mistake, which must leave the component it was passed to as it was.
      throw new HostValueError('a stream nobody read from, locked or passed to a component', 'one that was already (it cannot be passed to a component)');
    }
    this.#claimed = true;
    this.#controller?.error(new TypeError('this stream was passed to a component'));
    return this.#shared;
  }
}

/**
 * The host's writable side of a stream it created with {@link createStream}:
 * a WHATWG `WritableStream`. Each `write(chunk)` resolves when the reading
 * component has taken all of the chunk (backpressure); `close()` drops the
 * writable end (the reader sees `DROPPED` after the last value); `abort()`
 * drops it too. A write after the reader dropped rejects.
 */
export class ComponentWritableStream<T = unknown> extends WritableStreamBase<T> {
  constructor(shared: SharedStream) {
    super(
      {
        write: async (chunk: T, c: WritableController) => {
          const ok = await hostWrite(shared, chunkToValues(shared.t, chunk));
          if (!ok) {
            const e = new Error('the readable end of this stream was dropped');
            c.error(e);
            throw e;
          }
        },
        close: () => shared.drop(),
        abort: () => shared.drop(),
      },
      { highWaterMark: 1 },
    );
  }
}

/** A new host-created stream: hand `readable` to a component, write into `writable`. */
export function createStream<T = unknown>(elem: ValType | undefined): {
  readable: ComponentReadableStream<T>;
  writable: ComponentWritableStream<T>;
} {
  const shared = new SharedStream(elem);
  return { readable: new ComponentReadableStream<T>(shared), writable: new ComponentWritableStream<T>(shared) };
}

/**
 * The shared state to lower for a JS stream value `v` of element type
 * `elem` (see the module documentation for what `v` may be). A JS source is
 * pumped into a new shared stream in the background; errors of the source
 * end the stream (the writable end is dropped) and are reported to
 * `onError` (default: rethrown in a microtask, like an unhandled rejection).
 */
export function sharedStreamFor(v: unknown, elem: ValType | undefined, onError?: (e: unknown) => void): SharedStream {
  if (v instanceof ComponentReadableStream) return v.claim();
  if (v instanceof SharedStream) return v;
  const shared = new SharedStream(elem);
  const report =
    onError ??
    ((e: unknown) => {
      void Promise.reject(e);
    });
  if (ArrayBuffer.isView(v) && typedArrayCtorFor(elem) !== undefined) {
    void pump(shared, [v][Symbol.iterator](), undefined, report);
  } else if (isWebReadableStream(v)) {
    void pumpReader(shared, v, report);
  } else if (v !== null && typeof v === 'object' && Symbol.asyncIterator in v) {
    void pump(shared, undefined, (v as AsyncIterable<unknown>)[Symbol.asyncIterator](), report);
  } else if (v !== null && typeof v === 'object' && Symbol.iterator in v) {
    void pump(shared, (v as Iterable<unknown>)[Symbol.iterator](), undefined, report);
  } else {
    // A HostValueError (a TypeError): the host's mistake, which must leave the component it was passed to as it was.
    badValue('a stream value (a ComponentReadableStream, a ReadableStream, an (async) iterable or a typed array)', v);
  }
  return shared;
}

async function pump(
  shared: SharedStream,
  it: Iterator<unknown> | undefined,
  ait: AsyncIterator<unknown> | undefined,
  report: (e: unknown) => void,
): Promise<void> {
  try {
    for (;;) {
      const r = it !== undefined ? it.next() : await (ait as AsyncIterator<unknown>).next();
      if (r.done === true) break;
      const w = hostWriteNow(shared, chunkToValues(shared.t, r.value));
      if (!(w === true || (w !== false && (await w)))) {
        await (it?.return?.() ?? ait?.return?.());
        return;
      }
    }
  } catch (e) {
    report(e);
  }
  shared.drop();
}

async function pumpReader(shared: SharedStream, rs: WebReadableStream<unknown>, report: (e: unknown) => void): Promise<void> {
  const reader = rs.getReader();
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) break;
      const w = hostWriteNow(shared, chunkToValues(shared.t, r.value));
      if (!(w === true || (w !== false && (await w)))) {
        await reader.cancel();
        return;
      }
    }
  } catch (e) {
    report(e);
  } finally {
    reader.releaseLock();
  }
  shared.drop();
}
