/**
 * The per-component-instance handle table (`CanonicalABI.md#table-state`,
 * `Table` in `definitions.py`).
 *
 * One table per component instance holds every kind of handle the instance
 * can name with an `i32`: resource handles (this package) and, when the async
 * package is used, stream and future ends, error contexts, subtasks and
 * waitable sets. That is why the table is generic and knows nothing about its
 * elements: callers check the kind of what they get back (and trap with
 * {@link trapWrongHandleKind} when it is the wrong one).
 *
 * Index allocation is normative, because guests (and the reference tests)
 * observe the numbers:
 * - index 0 is never handed out (it is reserved so that 0 can mean "none");
 * - a freed index goes on a free list and the most recently freed index is
 *   reused first (last-in-first-out);
 * - when the free list is empty the table grows by one, up to
 *   {@link MAX_TABLE_LENGTH}, which leaves the top 4 bits of an index free
 *   (async built-ins pack an index with a 4-bit code into one `i32`).
 *
 * @module
 */

import { trap } from '../errors.js';
import { describeResourceType, ResourceHandle } from './handle.js';

/**
 * Largest index a handle table hands out: `2**28 - 1` (the spec's
 * `Table.MAX_LENGTH`). Adding past it traps.
 */
export const MAX_TABLE_LENGTH: number = 2 ** 28 - 1;

/** Options of a {@link HandleTable}. Only tests have a reason to set them. */
export interface HandleTableOptions {
  /**
   * Largest index the table may hand out. Defaults to {@link MAX_TABLE_LENGTH};
   * a smaller value lets tests reach the "table full" trap without allocating
   * 2^28 slots. Values above the default are clamped to it.
   */
  readonly maxLength?: number;
}

/**
 * A handle table: a slab of slots addressed by `u32` indices with a LIFO free
 * list. `T` is whatever the instance stores (see the module documentation).
 *
 * Indices are read as unsigned 32-bit integers (`i >>> 0`), because core
 * WebAssembly hands an `i32` to JavaScript as a signed number: the handle
 * `0xffffffff` arrives as `-1` and must be reported as 4294967295.
 */
export class HandleTable<T> {
  /** `MAX_TABLE_LENGTH`, also reachable from the class like the spec's `Table.MAX_LENGTH`. */
  static readonly MAX_LENGTH: number = MAX_TABLE_LENGTH;

  /** Slot 0 is the reserved, always-empty slot. */
  readonly #array: (T | undefined)[] = [undefined];
  readonly #free: number[] = [];
  readonly #maxLength: number;
  #live = 0;

  constructor(options?: HandleTableOptions) {
    const max = options?.maxLength ?? MAX_TABLE_LENGTH;
    this.#maxLength = Math.min(Math.max(0, Math.floor(max)), MAX_TABLE_LENGTH);
  }

  /** Largest index this table may hand out. */
  get maxLength(): number {
    return this.#maxLength;
  }

  /** Number of occupied slots. */
  get size(): number {
    return this.#live;
  }

  /**
   * Number of slots ever allocated, including the reserved slot 0 and freed
   * slots (the spec's `len(array)`); every valid index is below it.
   */
  get length(): number {
    return this.#array.length;
  }

  /** True when index `i` is occupied. Never traps. */
  has(i: number): boolean {
    const idx = i >>> 0;
    return idx < this.#array.length && this.#array[idx] !== undefined;
  }

  /**
   * The element at `i` (the spec's `Table.get`). Traps with
   * "unknown handle index i" when `i` is out of range, 0, or a freed slot.
   */
  get(i: number): T {
    const idx = i >>> 0;
    const e = idx < this.#array.length ? this.#array[idx] : undefined;
    if (e === undefined) return trapUnknownHandle(idx);
    return e;
  }

  /**
   * Stores `e` and returns its index (the spec's `Table.add`): the most
   * recently freed index if any, otherwise the next new one. Traps when the
   * table would exceed its maximum length.
   */
  add(e: T): number {
    if (e === undefined) throw new TypeError('a handle table cannot store undefined (it marks an empty slot)');
    const free = this.#free;
    let i: number;
    if (free.length > 0) {
      i = free.pop() as number;
      this.#array[i] = e;
    } else {
      i = this.#array.length;
      if (i > this.#maxLength) {
        trap(`handle table is full: an instance can hold at most ${this.#maxLength} handles`);
      }
      this.#array.push(e);
    }
    this.#live++;
    return i;
  }

  /**
   * Empties slot `i` and returns what it held (the spec's `Table.remove`); the
   * index becomes the first one {@link add} reuses. Traps like {@link get}.
   */
  remove(i: number): T {
    const idx = i >>> 0;
    const e = idx < this.#array.length ? this.#array[idx] : undefined;
    if (e === undefined) return trapUnknownHandle(idx);
    this.#array[idx] = undefined;
    this.#free.push(idx);
    this.#live--;
    return e;
  }

  /** The occupied slots in index order, for debugging and tests. */
  *entries(): IterableIterator<[index: number, element: T]> {
    const a = this.#array;
    for (let i = 1; i < a.length; i++) {
      const e = a[i];
      if (e !== undefined) yield [i, e];
    }
  }
}

/**
 * Traps with the message every engine and the reference tests use for an
 * index that names nothing: "unknown handle index N" (N unsigned).
 */
export function trapUnknownHandle(i: number): never {
  return trap(`unknown handle index ${i >>> 0}`);
}

/**
 * Traps because index `i` names an element of the wrong kind or type, in the
 * wording of the reference tests: "handle index N used with the wrong type,
 * expected X but found Y". Exported so the async package reports its own
 * kind checks (a stream end where a waitable set was expected...) the same way.
 */
export function trapWrongHandleKind(i: number, expected: string, found: string): never {
  return trap(`handle index ${i >>> 0} used with the wrong type, expected ${expected} but found ${found}`);
}

/**
 * Short description of a table element for trap messages. A resource handle
 * is "guest-defined resource" or "host-defined resource"; other elements that
 * carry a string `kind` (the async package's classes do) are described by it;
 * anything else generically.
 */
export function describeTableEntry(e: unknown): string {
  if (e instanceof ResourceHandle) return describeResourceType(e.resource);
  if (typeof e === 'object' && e !== null) {
    const kind = (e as { kind?: unknown }).kind;
    if (typeof kind === 'string') return kind;
  }
  return 'a non-resource table entry';
}
