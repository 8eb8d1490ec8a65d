/**
 * Copy buffers: the spec's `Buffer`, `ReadableBuffer`, `WritableBuffer` and
 * their guest implementations (`BufferGuestImpl`,
 * `ReadableBufferGuestImpl`, `WritableBufferGuestImpl`,
 * `CanonicalABI.md#buffer-state`), plus host-side buffers for the JS
 * adapters.
 *
 * A buffer is a range of `length` elements of the stream's element type
 * that a copy consumes (readable: the writer's values) or fills (writable:
 * the reader's room); `progress` counts elements done. Values cross between
 * buffers as an {@link ElementValues} batch:
 * - element types that are numbers (`u8`...`f64`) travel as typed arrays, so
 *   `stream<u8>` moves as `Uint8Array` chunks with one `memcpy`-like copy and
 *   no per-byte work;
 * - a stream or future without an element type carries only a count
 *   (`{ length: n }`);
 * - other types are arrays of the canonical-abi package's JS values, lifted
 *   and lowered one element at a time (handles move between tables then:
 *   reading an `own` from the writer's memory removes it from the writer's
 *   table, writing it into the reader's memory adds it to the reader's).
 *
 * Between two guest buffers of a number type {@link copyElements} copies the
 * bytes straight from one memory to the other. For `f32`/`f64` this skips
 * NaN canonicalisation, which the spec allows: outside its deterministic
 * profile a lowered NaN may have any payload (`maybe_scramble_nan32`).
 *
 * @module
 */

import {
  alignment,
  compileLoad,
  compileStore,
  elemSize,
  type LiftLowerContext,
  trap,
  type ValType,
} from '@wasm-components/canonical-abi';
import { noneOrNumberType } from './types.js';

/** The spec's `Buffer.MAX_LENGTH`: a copy names at most `2**28 - 1` elements (the count is packed above a 4-bit code). */
export const BUFFER_MAX_LENGTH: number = 2 ** 28 - 1;

/**
 * A batch of element values moving from a readable buffer to a writable
 * one: a typed array (number element types), a plain array, or only a
 * length (no element type). See the module documentation.
 */
export type ElementValues = ArrayLike<unknown>;

/** What every buffer exposes to the shared stream/future state (the spec's `Buffer`). */
export interface CopyBuffer {
  /** The element type, `undefined` for `stream`/`future` without one. */
  readonly elem: ValType | undefined;
  /** Elements consumed or filled so far. */
  readonly progress: number;
  /** Elements left (`length - progress`). */
  remain(): number;
  /** True when the buffer was created with length 0 (a zero-length copy, `CanonicalABI.md#stream-state`). */
  isZeroLength(): boolean;
}

/** A buffer values are read from: the writer's side of a copy. */
export interface ReadableBuffer extends CopyBuffer {
  /** Takes the next `n` values (`n <= remain()`). */
  read(n: number): ElementValues;
}

/** A buffer values are written into: the reader's side of a copy. */
export interface WritableBuffer extends CopyBuffer {
  /** Appends `vs` (`vs.length <= remain()`). */
  write(vs: ElementValues): void;
}

/** Typed-array constructors by number kind (little-endian hosts only, like the canonical-abi fast paths). */
type NumberArrayCtor =
  | Uint8ArrayConstructor
  | Int8ArrayConstructor
  | Uint16ArrayConstructor
  | Int16ArrayConstructor
  | Uint32ArrayConstructor
  | Int32ArrayConstructor
  | BigUint64ArrayConstructor
  | BigInt64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The typed array a number element type travels as, or `undefined` for
 * other types (and on a big-endian host, where memory bytes are not the
 * typed array's bytes).
 */
export function typedArrayCtorFor(t: ValType | undefined): NumberArrayCtor | undefined {
  if (t === undefined || !LITTLE_ENDIAN) return undefined;
  switch (t.kind) {
    case 'u8':
      return Uint8Array;
    case 's8':
      return Int8Array;
    case 'u16':
      return Uint16Array;
    case 's16':
      return Int16Array;
    case 'u32':
      return Uint32Array;
    case 's32':
      return Int32Array;
    case 'u64':
      return BigUint64Array;
    case 's64':
      return BigInt64Array;
    case 'f32':
      return Float32Array;
    case 'f64':
      return Float64Array;
    default:
      return undefined;
  }
}

/** A batch of `n` values of a stream without element type. */
function countOnly(n: number): ElementValues {
  return { length: n };
}

/**
 * The part shared by guest buffers (`BufferGuestImpl`): a range of `length`
 * elements at `ptr` in the memory of `cx`, checked when created exactly as
 * the spec checks it (length limit; then, for a typed non-empty buffer,
 * alignment and bounds). Traps otherwise.
 */
export abstract class GuestBuffer implements CopyBuffer {
  readonly elem: ValType | undefined;
  readonly cx: LiftLowerContext;
  /** Address of the next element (advances with {@link progress}). */
  ptr: number;
  progress = 0;
  readonly length: number;
  /** Size in bytes of one element (0 without element type). */
  readonly size: number;

  constructor(elem: ValType | undefined, cx: LiftLowerContext, ptr: number, length: number) {
    ptr >>>= 0;
    length >>>= 0;
    if (length > BUFFER_MAX_LENGTH) {
      trap(`stream or future buffer of ${length} elements exceeds the maximum of ${BUFFER_MAX_LENGTH}`);
    }
    const size = elem === undefined ? 0 : elemSize(elem);
    if (elem !== undefined && length > 0) {
      const align = alignment(elem);
      if (ptr % align !== 0) trap(`unaligned pointer: buffer pointer ${ptr} is not aligned to ${align}`);
      const memLen = cx.u8().length;
      if (ptr + length * size > memLen) {
        trap(`buffer [${ptr}, ${ptr + length * size}) is out of bounds of memory (${memLen} bytes)`);
      }
    }
    this.elem = elem;
    this.cx = cx;
    this.ptr = ptr;
    this.length = length;
    this.size = size;
  }

  remain(): number {
    return this.length - this.progress;
  }

  isZeroLength(): boolean {
    return this.length === 0;
  }

  /** Advances past `n` elements. */
  protected advance(n: number): void {
    this.ptr += n * this.size;
    this.progress += n;
  }
}

/** The writer's range in guest memory (`ReadableBufferGuestImpl`). */
export class ReadableGuestBuffer extends GuestBuffer implements ReadableBuffer {
  read(n: number): ElementValues {
    const elem = this.elem;
    let vs: ElementValues;
    if (elem === undefined) {
      vs = countOnly(n);
    } else {
      const Ctor = typedArrayCtorFor(elem);
      if (Ctor !== undefined) {
        // One copy out of memory; the result owns its buffer.
        const bytes = this.cx.u8().slice(this.ptr, this.ptr + n * this.size);
        vs = new Ctor(bytes.buffer, 0, n);
      } else {
        const load1 = compileLoad(elem);
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = load1(this.cx, this.ptr + i * this.size);
        vs = out;
      }
    }
    this.advance(n);
    return vs;
  }
}

/** The reader's range in guest memory (`WritableBufferGuestImpl`). */
export class WritableGuestBuffer extends GuestBuffer implements WritableBuffer {
  /** Writes `n` elements given as their bytes (`bytes.length === n * size`): one copy into memory. */
  writeBytes(bytes: Uint8Array, n: number): void {
    if (bytes.length > 0) this.cx.u8().set(bytes, this.ptr);
    this.advance(n);
  }

  write(vs: ElementValues): void {
    const n = vs.length;
    const elem = this.elem;
    if (elem !== undefined && n > 0) {
      const Ctor = typedArrayCtorFor(elem);
      if (Ctor !== undefined && vs instanceof Ctor) {
        const src = vs as ArrayBufferView;
        this.cx.u8().set(new Uint8Array(src.buffer, src.byteOffset, n * this.size), this.ptr);
      } else {
        const store1 = compileStore(elem);
        for (let i = 0; i < n; i++) store1(this.cx, vs[i], this.ptr + i * this.size);
      }
    }
    this.advance(n);
  }
}

/**
 * Moves `n` elements from `src` to `dst` (the spec's
 * `dst.write(src.read(n))`). Between two guest buffers of a number type
 * (or without element type) it copies bytes directly from memory to memory
 * (overlapping ranges in one memory behave like `memmove`).
 */
export function copyElements(dst: WritableBuffer, src: ReadableBuffer, n: number): void {
  if (dst instanceof WritableGuestBuffer && src instanceof ReadableGuestBuffer) {
    if (!noneOrNumberType(src.elem)) {
      // Values going from one component to another keep every map entry
      // (the spec's maps are lists of pairs); a host reader gets `Map`s.
      src.cx.mapsAsPairs = true;
      dst.write(src.read(n));
      return;
    }
    const bytes = n * src.size;
    if (bytes > 0) dst.cx.u8().set(src.cx.u8().subarray(src.ptr, src.ptr + bytes), dst.ptr);
    src.ptr += bytes;
    src.progress += n;
    dst.ptr += bytes;
    dst.progress += n;
    return;
  }
  if (dst instanceof WritableGuestBuffer && src instanceof HostReadableBuffer && src.copyInto(dst, n)) return;
  dst.write(src.read(n));
}

/**
 * Host values offered to a reader (the host is the writer): a typed array,
 * an array or, without element type, a count. Reading takes views/slices,
 * no per-element work for typed arrays.
 */
export class HostReadableBuffer implements ReadableBuffer {
  readonly elem: ValType | undefined;
  progress = 0;
  readonly #values: ElementValues;

  /** `values` are not copied: the caller must not change them until the copy is done. */
  constructor(elem: ValType | undefined, values: ElementValues) {
    if (values.length > BUFFER_MAX_LENGTH) {
      throw new RangeError(`a host write of ${values.length} elements exceeds the maximum of ${BUFFER_MAX_LENGTH}; split it`);
    }
    this.elem = elem;
    this.#values = values;
  }

  remain(): number {
    return this.#values.length - this.progress;
  }

  isZeroLength(): boolean {
    return this.#values.length === 0;
  }

  /**
   * Copies the next `n` values straight into guest memory when they are a
   * typed array of the element type (no intermediate view when the whole
   * `Uint8Array` goes at once); false when they are not (then use {@link read}).
   */
  copyInto(dst: WritableGuestBuffer, n: number): boolean {
    const v = this.#values;
    const Ctor = typedArrayCtorFor(this.elem);
    if (Ctor === undefined || !(v instanceof Ctor)) return false;
    const from = this.progress;
    const size = v.BYTES_PER_ELEMENT;
    const whole = from === 0 && n === v.length && v instanceof Uint8Array;
    dst.writeBytes(whole ? v : new Uint8Array(v.buffer, v.byteOffset + from * size, n * size), n);
    this.progress += n;
    return true;
  }

  read(n: number): ElementValues {
    const from = this.progress;
    const v = this.#values;
    this.progress += n;
    if (ArrayBuffer.isView(v)) return (v as unknown as Uint8Array).subarray(from, from + n);
    if (Array.isArray(v)) return v.slice(from, from + n);
    if (this.elem === undefined) return countOnly(n);
    return Array.prototype.slice.call(v, from, from + n);
  }
}

/**
 * Room for up to `capacity` values the host reads (the host is the reader).
 * Received batches are kept as they came; {@link take} joins them.
 */
export class HostWritableBuffer implements WritableBuffer {
  readonly elem: ValType | undefined;
  progress = 0;
  readonly capacity: number;
  readonly #chunks: ElementValues[] = [];

  constructor(elem: ValType | undefined, capacity: number) {
    if (capacity > BUFFER_MAX_LENGTH) {
      throw new RangeError(`a host read of ${capacity} elements exceeds the maximum of ${BUFFER_MAX_LENGTH}`);
    }
    this.elem = elem;
    this.capacity = capacity;
  }

  remain(): number {
    return this.capacity - this.progress;
  }

  isZeroLength(): boolean {
    return this.capacity === 0;
  }

  write(vs: ElementValues): void {
    this.progress += vs.length;
    if (vs.length > 0) this.#chunks.push(vs);
  }

  /**
   * The values received: a typed array for number types (the single chunk
   * itself when there is one, else one concatenation), an array otherwise,
   * `{ length }` without element type.
   */
  take(): ElementValues {
    const chunks = this.#chunks;
    const Ctor = typedArrayCtorFor(this.elem);
    if (this.elem === undefined) return countOnly(this.progress);
    if (chunks.length === 1) {
      const c = chunks[0] as ElementValues;
      return Ctor !== undefined || Array.isArray(c) ? c : Array.from(c);
    }
    if (Ctor !== undefined) {
      const out = new Ctor(this.progress);
      let at = 0;
      for (const c of chunks) {
        if (c instanceof Ctor) (out as unknown as Uint8Array).set(c as unknown as Uint8Array, at);
        else for (let i = 0; i < c.length; i++) (out as unknown as unknown[])[at + i] = c[i];
        at += c.length;
      }
      return out;
    }
    const out: unknown[] = [];
    for (const c of chunks) for (let i = 0; i < c.length; i++) out.push(c[i]);
    return out;
  }
}
