/**
 * The state a lift or lower operation runs in: the canonical options of the
 * `canon lift`/`canon lower` definition, the component instance whose
 * memory and handle table are used, the borrow scope of the current call, and
 * the hooks through which an async implementation plugs in streams, futures
 * and error contexts.
 *
 * See `CanonicalABI.md#context` (`LiftLowerContext`, `CanonicalOptions`,
 * `ComponentInstance`).
 *
 * @module
 */

import { trap } from './errors.js';
import type { ErrorContextType, FutureType, StreamType } from './types.js';
import type { BorrowScope, HandleTable } from './resources/index.js';

/** The three string encodings a component can choose with `string-encoding=`. */
export type StringEncoding = 'utf8' | 'utf16' | 'latin1+utf16';

/**
 * The spec's `realloc` canonical option: `(originalPtr, originalSize,
 * alignment, newSize) -> ptr`. A fresh allocation passes `0, 0`.
 */
export type Realloc = (originalPtr: number, originalSize: number, alignment: number, newSize: number) => number;

/**
 * Canonical options (`canonopt`), see `CanonicalABI.md#canonical-options`.
 * `memory` and `realloc` are only needed when a type needs them (strings,
 * lists, values spilled to memory); using such a type without them traps.
 */
export interface CanonicalOptions {
  /** The exported linear memory the flat values point into. */
  memory?: WebAssembly.Memory;
  /** How strings are encoded in `memory`. Defaults nowhere: always give it. */
  stringEncoding: StringEncoding;
  /** Allocation function of the component (needed to lower lists and strings into it). */
  realloc?: Realloc;
  /** Called with the flat results after they have been lifted (`post-return`). */
  postReturn?: (...flat: unknown[]) => void;
  /** `async` option: the lifted/lowered function uses the async ABI. */
  async?: boolean;
  /** `callback` option of an async lift; interpreted by the async package. */
  callback?: unknown;
}

/**
 * Per-component-instance state the Canonical ABI needs (the spec's
 * `ComponentInstance`). The async package adds its fields (backpressure,
 * waitable sets...) by extending this interface.
 */
export interface ComponentInstanceState {
  /**
   * The instance's handle table. One table holds resource handles and, when
   * the async package is used, streams, futures, error contexts and waitables.
   */
  handles: HandleTable<unknown>;
  /** Cleared while the instance must not be left (e.g. during post-return); calls then trap. */
  mayLeave: boolean;
}

/**
 * Lifts/lowers the handle types owned by the async package. Lifting takes the
 * flat `i32` handle index and returns the host value; lowering takes the host
 * value and returns the handle index to store.
 */
export interface AsyncHooks {
  liftStream(cx: LiftLowerContext, index: number, type: StreamType): unknown;
  lowerStream(cx: LiftLowerContext, value: unknown, type: StreamType): number;
  liftFuture(cx: LiftLowerContext, index: number, type: FutureType): unknown;
  lowerFuture(cx: LiftLowerContext, value: unknown, type: FutureType): number;
  liftErrorContext(cx: LiftLowerContext, index: number, type: ErrorContextType): unknown;
  lowerErrorContext(cx: LiftLowerContext, value: unknown, type: ErrorContextType): number;
}

/**
 * Everything a lift or lower needs (`LiftLowerContext` in the spec).
 *
 * It also caches views of the memory: `u8()` and `view()` return a
 * `Uint8Array`/`DataView` over `memory.buffer`, rebuilt only when the buffer
 * object changed (memory growth detaches the old one). Callers must call them
 * again after anything that may grow memory (a `realloc` call).
 */
export class LiftLowerContext {
  /** The canonical options in force. */
  readonly opts: CanonicalOptions;
  /** The component instance whose memory and handle table are used. */
  readonly inst: ComponentInstanceState;
  /** The call's borrow scope (task or subtask), for lifting `borrow` handles. */
  borrowScope: BorrowScope | undefined;
  /** Stream/future/error-context support; absent when the async package is not used. */
  hooks: AsyncHooks | undefined;
  /**
   * How lifted `map<K, V>` values are represented. `false` (the default, for
   * values going to the JS host): a `Map`, where a later pair with the same
   * key replaces an earlier one. `true`: the array of `[key, value]` pairs,
   * in memory order with duplicates kept, for a value lifted from one
   * component only to be lowered into another. The spec keeps every pair
   * (a map is lowered like `list<tuple<K, V>>`, `CanonicalABI.md#lifting-and-lowering-values`),
   * so a runtime passing values between components sets this to carry them
   * unchanged; lowering accepts either form, so it only matters for lifting.
   * Nested maps follow the same choice.
   */
  mapsAsPairs = false;

  #buffer: ArrayBuffer | undefined = undefined;
  #shared = false;
  #u8: Uint8Array | undefined = undefined;
  #view: DataView | undefined = undefined;

  constructor(opts: CanonicalOptions, inst: ComponentInstanceState, borrowScope?: BorrowScope, hooks?: AsyncHooks) {
    this.opts = opts;
    this.inst = inst;
    this.borrowScope = borrowScope;
    this.hooks = hooks;
  }

  /** The memory, or a trap when the `memory` option is missing. */
  memory(): WebAssembly.Memory {
    const m = this.opts.memory;
    if (m === undefined) return trap('this type needs linear memory but the canonical option `memory` was not given');
    return m;
  }

  /** A `Uint8Array` over the whole memory (cached until the buffer changes). */
  u8(): Uint8Array {
    // Growing a non-shared memory detaches its old buffer (length 0), which
    // is much cheaper to test than reading `memory.buffer` on every access.
    // (`length`, not `byteLength`: V8 reads the latter much more slowly on
    // a typed array over wasm memory.)
    const u = this.#u8;
    if (u !== undefined && u.length !== 0 && !this.#shared) return u;
    return this.#refresh().u8;
  }

  /** A little-endian-capable `DataView` over the whole memory (cached until the buffer changes). */
  view(): DataView {
    const u = this.#u8;
    if (u !== undefined && u.length !== 0 && !this.#shared) return this.#view as DataView;
    return this.#refresh().view;
  }

  /**
   * Traps unless `[ptr, ptr + size)` lies inside memory. Every load/store of
   * a value or a list goes through this once (the spec's `ptr + size > len(memory)`).
   */
  checkRange(ptr: number, size: number, what: string): void {
    const len = this.u8().length;
    if (ptr + size > len) {
      trap(`${what} at ${ptr} (${size} bytes) is out of bounds of memory (${len} bytes)`);
    }
  }

  /**
   * Calls the `realloc` option and checks the result: traps when the option
   * is missing, when the result is not aligned to `alignment`, or when the
   * new block does not fit in memory (`CanonicalABI.md#loading`/`store_list_into_range`).
   *
   * The trap messages start with the phrases the reference test suite looks
   * for (wasmtime's): a misaligned result says both "realloc return: result
   * not aligned" (a host-side lowering) and "unaligned pointer" (a
   * component-to-component one); a block out of bounds says "realloc return:
   * beyond end of memory" and "`what` content out-of-bounds". `what` names
   * the allocation: "list" (the default) for list and map contents,
   * "parameters", "results" or "values" for a spilled tuple of flat values.
   */
  realloc(originalPtr: number, originalSize: number, alignment: number, newSize: number, what = 'list'): number {
    const f = this.opts.realloc;
    if (f === undefined) return trap('this value needs an allocation but the canonical option `realloc` was not given');
    const ptr = f(originalPtr, originalSize, alignment, newSize) >>> 0;
    if ((ptr & (alignment - 1)) !== 0) {
      trap(`realloc return: result not aligned: unaligned pointer: realloc returned pointer ${ptr}, which is not aligned to ${alignment}`);
    }
    if (ptr + newSize > this.u8().length) {
      trap(
        `realloc return: beyond end of memory: ${what} content out-of-bounds: ` +
          `realloc returned a block [${ptr}, ${ptr + newSize}) that is out of bounds of memory (${this.u8().length} bytes)`,
      );
    }
    return ptr;
  }

  /**
   * The lifted form of a map whose entries are `pairs` (each a `[key, value]`
   * array): `pairs` itself when {@link mapsAsPairs} is set, else a `Map`.
   */
  liftMap(pairs: [unknown, unknown][]): Map<unknown, unknown> | [unknown, unknown][] {
    return this.mapsAsPairs ? pairs : new Map(pairs);
  }

  #refresh(): { u8: Uint8Array; view: DataView } {
    const m = this.memory();
    const buffer = m.buffer;
    if (buffer !== this.#buffer || this.#u8 === undefined || this.#view === undefined) {
      this.#buffer = buffer;
      // A shared memory's buffer is never detached by growth: compare the
      // buffer object on every access instead (slower, but correct).
      this.#shared = !(buffer instanceof ArrayBuffer);
      this.#u8 = new Uint8Array(buffer);
      this.#view = new DataView(buffer);
    }
    return { u8: this.#u8, view: this.#view };
  }
}
