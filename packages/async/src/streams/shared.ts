/**
 * The state both ends of one stream or future share: the spec's
 * `SharedStreamImpl` and `SharedFutureImpl` (`CanonicalABI.md#stream-state`,
 * `#future-state`).
 *
 * A copy is a rendezvous. The first side to arrive (a read or a write)
 * leaves its buffer *pending* with two callbacks; the second side copies
 * `min(remain, remain)` elements between the two buffers at once and
 * reports to both. Nothing is buffered in between, so backpressure is
 * inherent: a writer finishes only when a reader has taken its values.
 *
 * ```text
 *            read/write (nothing pending)
 *   empty ─────────────────────────────────▶ pending(inst, buffer, onCopy, onCopyDone)
 *     ▲  ◀── cancel / drop / partial copy ──┘   │ other side arrives: copy, notify
 *     └─────────────────────────────────────────┘
 * ```
 *
 * `inst` is the component instance doing the operation (any object
 * identity; `undefined` for the host). A copy between two operations of the
 * *same* instance traps unless the element type is a number type or absent
 * (the spec's temporary rule, `none_or_number_type`).
 *
 * @module
 */

import { trap, type ValType } from '@wasm-components/canonical-abi';
import { copyElements, type CopyBuffer, type ReadableBuffer, type WritableBuffer } from './buffer.js';
import { noneOrNumberType } from './types.js';

/** How a copy ended (`CopyResult`): the low 4 bits of a copy's packed result. */
export const CopyResult = {
  /** The copy happened (possibly of 0 elements, possibly partial for streams). */
  COMPLETED: 0,
  /** The other end was dropped: no more copies are possible. */
  DROPPED: 1,
  /** The copy was cancelled (`cancel-read`/`cancel-write`). */
  CANCELLED: 2,
} as const;
/** One of the {@link CopyResult} codes. */
export type CopyResult = (typeof CopyResult)[keyof typeof CopyResult];

/** Releases a pending buffer after a partial copy (`ReclaimBuffer`): the copier may then start a new copy. */
export type ReclaimBuffer = () => void;
/** Told that some elements were copied into/out of a pending stream buffer that stays usable (`OnCopy`). */
export type OnCopy = (reclaim: ReclaimBuffer) => void;
/** Told that a copy ended with a result (`OnCopyDone`). */
export type OnCopyDone = (result: CopyResult) => void;

/** Trap text of the same-instance rule (the reference tests' wording). */
export const INTRA_COMPONENT_TRAP: string = 'cannot read from and write to intra-component future or stream';

function checkNotSameInstance(inst: unknown, pendingInst: unknown, t: ValType | undefined): void {
  if (inst !== undefined && inst === pendingInst && !noneOrNumberType(t)) {
    trap(
      `${INTRA_COMPONENT_TRAP}: both ends are used by the same component instance and the element type is not a number type`,
    );
  }
}

/**
 * What the shared states of streams and futures have in common (`SharedBase`
 * with the pending-side bookkeeping of `SharedStreamImpl`/`SharedFutureImpl`).
 */
abstract class SharedBase {
  /** Element type, `undefined` for a stream or future without one. */
  readonly t: ValType | undefined;
  /** Set once either end is dropped; copies then end with `DROPPED`. */
  dropped = false;
  pendingInst: unknown = undefined;
  pendingBuffer: CopyBuffer | undefined = undefined;
  pendingOnCopyDone: OnCopyDone | undefined = undefined;

  constructor(t: ValType | undefined) {
    this.t = t;
  }

  /** Forgets the pending side (`reset_pending`). */
  protected clearPending(): void {
    this.pendingInst = undefined;
    this.pendingBuffer = undefined;
    this.pendingOnCopyDone = undefined;
  }

  /** Forgets the pending side and tells it how its copy ended (`reset_and_notify_pending`). */
  protected resetAndNotifyPending(result: CopyResult): void {
    const done = this.pendingOnCopyDone;
    this.clearPending();
    done?.(result);
  }

  /** Cancels the pending copy (its side sees `CANCELLED`). */
  cancel(): void {
    this.resetAndNotifyPending(CopyResult.CANCELLED);
  }

  /**
   * One end was dropped: a pending copy ends with `DROPPED`, later ones at
   * once. (For a future only a pending *write* can be notified: its readable
   * end cannot be dropped while reading, nor its writable end before it wrote.)
   */
  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    if (this.pendingBuffer !== undefined) this.resetAndNotifyPending(CopyResult.DROPPED);
  }
}

/** The shared part of a stream (`SharedStreamImpl`): both the readable and the writable side. */
export class SharedStream extends SharedBase {
  readonly kind: 'stream' = 'stream';
  pendingOnCopy: OnCopy | undefined = undefined;

  /** Clears the pending side (also the {@link ReclaimBuffer} of a partial copy). */
  readonly resetPending = (): void => {
    this.clearPending();
  };

  protected override clearPending(): void {
    super.clearPending();
    this.pendingOnCopy = undefined;
  }

  #setPending(inst: unknown, buffer: CopyBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.pendingInst = inst;
    this.pendingBuffer = buffer;
    this.pendingOnCopy = onCopy;
    this.pendingOnCopyDone = onCopyDone;
  }

  /** A read into `dst` by `inst` (`SharedStreamImpl.read`). */
  read(inst: unknown, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.#rendezvous(inst, dst, true, onCopy, onCopyDone);
  }

  /** A write from `src` by `inst` (`SharedStreamImpl.write`). */
  write(inst: unknown, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.#rendezvous(inst, src, false, onCopy, onCopyDone);
  }

  /**
   * The two mirror-image halves of `SharedStreamImpl.read`/`write`: `buffer`
   * (the arriving side's) meets the pending buffer of the other side, if any.
   */
  #rendezvous(inst: unknown, buffer: CopyBuffer, reading: boolean, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
      return;
    }
    const pending = this.pendingBuffer;
    if (pending === undefined) {
      this.#setPending(inst, buffer, onCopy, onCopyDone);
      return;
    }
    checkNotSameInstance(inst, this.pendingInst, this.t);
    if (pending.remain() > 0) {
      if (buffer.remain() > 0) {
        const n = Math.min(buffer.remain(), pending.remain());
        if (reading) copyElements(buffer as WritableBuffer, pending as ReadableBuffer, n);
        else copyElements(pending as WritableBuffer, buffer as ReadableBuffer, n);
        (this.pendingOnCopy as OnCopy)(this.resetPending);
      }
      onCopyDone(CopyResult.COMPLETED);
    } else if (!reading && buffer.isZeroLength() && pending.isZeroLength()) {
      // A zero-length write meeting a zero-length read: both stay as they are.
      onCopyDone(CopyResult.COMPLETED);
    } else {
      // The pending side offered (or asked for) 0 elements: complete it and wait in its place.
      this.resetAndNotifyPending(CopyResult.COMPLETED);
      this.#setPending(inst, buffer, onCopy, onCopyDone);
    }
  }
}

/** The shared part of a future (`SharedFutureImpl`): one value, copied once. */
export class SharedFuture extends SharedBase {
  readonly kind: 'future' = 'future';

  #setPending(inst: unknown, buffer: CopyBuffer, onCopyDone: OnCopyDone): void {
    this.pendingInst = inst;
    this.pendingBuffer = buffer;
    this.pendingOnCopyDone = onCopyDone;
  }

  /** A read into `dst` (`remain() == 1`) by `inst` (`SharedFutureImpl.read`; never after a drop). */
  read(inst: unknown, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    this.#rendezvous(inst, dst, true, onCopyDone);
  }

  /** A write from `src` (`remain() == 1`) by `inst` (`SharedFutureImpl.write`). */
  write(inst: unknown, src: ReadableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
      return;
    }
    this.#rendezvous(inst, src, false, onCopyDone);
  }

  /** The mirror halves of `SharedFutureImpl.read`/`write`: `buffer` meets the other side's pending one, if any. */
  #rendezvous(inst: unknown, buffer: CopyBuffer, reading: boolean, onCopyDone: OnCopyDone): void {
    const pending = this.pendingBuffer;
    if (pending === undefined) {
      this.#setPending(inst, buffer, onCopyDone);
      return;
    }
    checkNotSameInstance(inst, this.pendingInst, this.t);
    if (reading) copyElements(buffer as WritableBuffer, pending as ReadableBuffer, 1);
    else copyElements(pending as WritableBuffer, buffer as ReadableBuffer, 1);
    this.resetAndNotifyPending(CopyResult.COMPLETED);
    onCopyDone(CopyResult.COMPLETED);
  }
}
