/**
 * The ends of a stream or future held in a component instance's handle
 * table (`CopyEnd`, `ReadableStreamEnd`, `WritableStreamEnd`,
 * `ReadableFutureEnd`, `WritableFutureEnd` in `CanonicalABI.md#stream-state`
 * and `#future-state`). Each end is a {@link Waitable}: the outcome of an
 * async copy is delivered as its pending event.
 *
 * Copy state machine of one end:
 *
 * ```text
 *          read/write (async, not done at once)
 *   IDLE ───────────────────────────────────▶ ASYNC_COPYING ──cancel──▶ CANCELLING_COPY
 *    ▲ │ read/write (sync, not done at once)       │                         │
 *    │ └──────────────────────────▶ SYNC_COPYING    │                         │
 *    │                                  │           │ event delivered         │
 *    └──────────────────────────────────┴───────────┴─────────────────────────┘
 *          (COMPLETED/CANCELLED: back to IDLE; DROPPED, or a future's COMPLETED: DONE)
 * ```
 *
 * DONE is final: no more copies; only dropping the end.
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import { Waitable } from '../waitable.js';
import type { ReadableBuffer, WritableBuffer } from './buffer.js';
import type { OnCopy, OnCopyDone, SharedFuture, SharedStream } from './shared.js';

/** Copy states of an end (`CopyState`). */
export const CopyState = {
  IDLE: 1,
  SYNC_COPYING: 2,
  ASYNC_COPYING: 3,
  CANCELLING_COPY: 4,
  DONE: 5,
} as const;
/** One of the {@link CopyState} values. */
export type CopyState = (typeof CopyState)[keyof typeof CopyState];

/** The trap of using a waitable synchronously while it is in a waitable set (the reference tests' wording). */
export const SYNC_IN_SET_TRAP: string = 'waitable cannot be used synchronously while added to a waitable set';

/** The trap texts of dropping (or lifting) an end while it is copying (`trap_if(self.copying())`), by end kind. */
const BUSY_TRAP = {
  'readable stream end': 'cannot remove busy stream: a read is in progress on this readable stream end',
  'writable stream end': 'cannot drop busy stream: a write is in progress on this writable stream end',
  'readable future end': 'cannot remove busy future: a read is in progress on this readable future end',
  'writable future end': 'cannot drop busy future: a write is in progress on this writable future end',
} as const;

/** The kind of an end: its short name in trap messages and in the table's `describeTableEntry`. */
export type EndKind = keyof typeof BUSY_TRAP;

/** What both kinds of ends share (`CopyEnd`). */
export abstract class CopyEnd extends Waitable {
  state: CopyState = CopyState.IDLE;
  abstract readonly shared: SharedStream | SharedFuture;
  /** Short name used in trap messages and by the table's `describeTableEntry`. */
  abstract readonly kind: EndKind;

  /** True while a copy is in progress (SYNC_COPYING, ASYNC_COPYING or CANCELLING_COPY). */
  copying(): boolean {
    const s = this.state;
    return s === CopyState.SYNC_COPYING || s === CopyState.ASYNC_COPYING || s === CopyState.CANCELLING_COPY;
  }

  /**
   * Joining a waitable set while a synchronous copy waits on this end would
   * let the event be stolen by the set: the reference tests expect a trap.
   */
  override join(wset: Parameters<Waitable['join']>[0]): void {
    if (wset !== null && wset !== undefined && this.state === CopyState.SYNC_COPYING) trap(SYNC_IN_SET_TRAP);
    super.join(wset);
  }

  /** True while the end is joined to a waitable set. */
  inSet(): boolean {
    return this.wset !== null && this.wset !== undefined;
  }

  /** Drops the end: traps while copying, then tells the shared state (`CopyEnd.drop`). */
  override drop(): void {
    if (this.copying()) trap(this.busyTrap());
    this.shared.drop();
    super.drop();
  }

  /** The trap text when dropping or lifting this end while it is copying. */
  busyTrap(): string {
    return BUSY_TRAP[this.kind];
  }
}

/** An end holding the shared state `S` of its stream or future. */
abstract class EndOf<S extends SharedStream | SharedFuture> extends CopyEnd {
  readonly shared: S;
  constructor(shared: S) {
    super();
    this.shared = shared;
  }
}

/** The readable end of a stream in a component's table. */
export class ReadableStreamEnd extends EndOf<SharedStream> {
  readonly kind: 'readable stream end' = 'readable stream end';
  /** Starts a read into `dst` (`ReadableStreamEnd.copy`). */
  copy(inst: unknown, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.shared.read(inst, dst, onCopy, onCopyDone);
  }
}

/** The writable end of a stream in a component's table. */
export class WritableStreamEnd extends EndOf<SharedStream> {
  readonly kind: 'writable stream end' = 'writable stream end';
  /** Starts a write from `src` (`WritableStreamEnd.copy`). */
  copy(inst: unknown, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    this.shared.write(inst, src, onCopy, onCopyDone);
  }
}

/** The readable end of a future in a component's table. */
export class ReadableFutureEnd extends EndOf<SharedFuture> {
  readonly kind: 'readable future end' = 'readable future end';
  /** Starts the read into `dst` (`ReadableFutureEnd.copy`). */
  copy(inst: unknown, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    this.shared.read(inst, dst, onCopyDone);
  }
}

/** The writable end of a future in a component's table. */
export class WritableFutureEnd extends EndOf<SharedFuture> {
  readonly kind: 'writable future end' = 'writable future end';
  /** Starts the write from `src` (`WritableFutureEnd.copy`). */
  copy(inst: unknown, src: ReadableBuffer, onCopyDone: OnCopyDone): void {
    this.shared.write(inst, src, onCopyDone);
  }
  /** A future's writer must write (or see the reader drop) before it may be dropped (`WritableFutureEnd.drop`). */
  override drop(): void {
    if (this.state !== CopyState.DONE) {
      trap('cannot drop future write end without first writing a value');
    }
    super.drop();
  }
}
