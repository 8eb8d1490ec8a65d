/**
 * The 🧵 cooperative-thread built-ins (`CanonicalABI.md#-canon-threadindex`
 * and the sections after it, spec commit 6d28164): `thread.index`,
 * `thread.new-indirect`, `thread.suspend`, `thread.resume-later`,
 * `thread.suspend-then-resume`, `thread.yield-then-resume`,
 * `thread.suspend-then-promote`, `thread.yield-then-promote`,
 * `thread.yield`, `thread.available-parallelism`, and the trap of
 * `thread.spawn-ref` / `thread.spawn-indirect`.
 *
 * Switching from one thread to another needs stack switching: the calling
 * thread's core code must run on its own JSPI stack (see jspi.ts). On an
 * engine without JSPI every switch traps with {@link NO_JSPI}.
 *
 * ```text
 *                 new-indirect                 resume-later
 *   (created) ──────────────────▶ suspended ─────────────────▶ waiting (ready)
 *                                   │  ▲                          │ scheduler
 *              *-then-resume(this)  │  │ suspend / *-then-resume  │
 *                                   ▼  │        (other)           ▼
 *                                  running ◀──────────────────────┘
 * ```
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import { NO_JSPI, park, suspend } from '../jspi.js';
import { Cancelled, Thread } from '../thread.js';
import { blockingThread, type Caller, checkLeave } from './caller.js';

/** Wasmtime's wording (the reference tests do not fix one) for resuming a thread that is not suspended. */
export const NOT_SUSPENDED: string = 'cannot resume thread which is not suspended';

/** The trap of `thread.spawn-ref` / `thread.spawn-indirect`. */
export const NO_SHARED_THREADS: string =
  'thread.spawn-ref / thread.spawn-indirect start threads that run in parallel on shared memory (the shared-everything-threads proposal), which this runtime and today\'s JS engines do not support';

/**
 * `canon thread.yield`: lets other threads run. A task that may not block,
 * or a thread that cannot be suspended (no JSPI, or a callback-lifted
 * thread inside its core code), returns `Cancelled.FALSE` at once: the spec
 * allows a yield to return immediately when nothing forces a switch.
 */
export function threadYield(c: Caller, cancellable: boolean): number | Promise<number> {
  checkLeave(c);
  const thread = c.thread;
  if (thread === null || !thread.task.mayBlock()) return Cancelled.FALSE;
  if (!thread.canSuspend) return thread.task.deliverPendingCancel(cancellable) ? Cancelled.TRUE : Cancelled.FALSE;
  return suspend(thread, () => true, cancellable, true);
}

/** `canon thread.index`: the calling thread's index in its instance's thread table. */
export function threadIndex(c: Caller): number {
  checkLeave(c);
  if (c.thread === null) trap('thread.index called outside of a thread');
  return c.thread.index;
}

/** `canon thread.available-parallelism`: cooperative threads share one stack at a time, so 1. */
export function threadAvailableParallelism(c: Caller): number {
  checkLeave(c);
  return 1;
}

/** `canon thread.spawn-ref` / `thread.spawn-indirect`: traps ({@link NO_SHARED_THREADS}). */
export function threadSpawn(c: Caller): never {
  checkLeave(c);
  return trap(NO_SHARED_THREADS);
}

/**
 * How the embedding runs the body of a new thread (`f(c)` of
 * `thread.new-indirect`): on its own JSPI stack, returning the Promise of
 * its end, or directly (no JSPI), returning undefined when it has ended.
 */
export type ThreadBody = (thread: Thread) => Promise<unknown> | undefined;

/**
 * `canon thread.new-indirect` once the embedding has looked the function
 * up in the table and checked its type: makes a thread of the caller's task
 * that starts *suspended*; the first resumption runs `body`. When the body
 * ends the thread leaves its task (`unregister_thread`, which traps if it
 * was the task's last thread and the task never returned). Errors of the
 * body go to `onError`. Returns the new thread's index.
 */
export function threadNew(c: Caller, body: ThreadBody, makeFrame: (thread: Thread) => unknown, onError: (e: unknown) => void): number {
  checkLeave(c);
  const parent = c.thread;
  if (parent === null) trap('thread.new-indirect called outside of a task');
  const task = parent.task;
  const t = new Thread(task);
  t.implicit = false;
  t.frame = makeFrame(t);
  const finish = (): void => {
    try {
      task.unregisterThread(t);
    } catch (e) {
      onError(e);
    }
  };
  t.resumeFn = () => {
    let p: Promise<unknown> | undefined;
    try {
      p = body(t);
    } catch (e) {
      t.done = true;
      onError(e);
      return;
    }
    if (p === undefined) finish();
    else
      p.then(finish, (e: unknown) => {
        t.done = true;
        onError(e);
      });
  };
  task.registerThread(t);
  return t.index;
}

/** Looks up thread `i` of the caller's instance (`inst.threads.get(i)`). */
function threadAt(c: Caller, i: number): Thread {
  const t = c.inst.threads.has(i) ? c.inst.threads.get(i) : undefined;
  if (!(t instanceof Thread)) trap(`unknown thread index ${i}`);
  return t;
}

/** The calling thread, which must be able to suspend. */
function switchingThread(c: Caller): Thread {
  const thread = c.thread;
  if (thread === null) trap('a thread built-in was called outside of a thread');
  return thread;
}

/** `canon thread.resume-later`: a suspended thread of the instance becomes ready. */
export function threadResumeLater(c: Caller, i: number): void {
  checkLeave(c);
  const other = threadAt(c, i);
  if (!other.suspended()) trap(NOT_SUSPENDED);
  other.resumeLater();
}

/**
 * `canon thread.suspend`: the calling thread suspends until another thread
 * resumes it. Traps when its task may not block (a non-`async`-typed task
 * before returning, with no other ready thread to take the stack).
 */
export function threadSuspend(c: Caller, cancellable: boolean): number | Promise<number> {
  checkLeave(c);
  const thread = blockingThread(c);
  if (thread.task.deliverPendingCancel(cancellable)) return Cancelled.TRUE;
  if (!thread.canSuspend) trap(NO_JSPI);
  return park(thread, null, cancellable);
}

/**
 * The switch of `thread.{suspend,yield}-then-resume`: the calling thread
 * suspends (or, with `stayReady`, waits ready) and `other` runs in its
 * place (`Thread.switch_to`).
 */
function switchTo(thread: Thread, other: Thread, cancellable: boolean, stayReady: boolean): number | Promise<number> {
  if (thread.task.deliverPendingCancel(cancellable)) return Cancelled.TRUE;
  if (!thread.canSuspend) trap(NO_JSPI);
  return park(thread, stayReady ? () => true : null, cancellable, () => other.resume(Cancelled.FALSE));
}

/** `thread.{suspend,yield}-then-resume`: `other` must be suspended; the caller suspends (or stays ready) and `other` runs. */
function thenResume(c: Caller, cancellable: boolean, i: number, stayReady: boolean): number | Promise<number> {
  checkLeave(c);
  const thread = switchingThread(c);
  const other = threadAt(c, i);
  if (!other.suspended()) trap(NOT_SUSPENDED);
  return switchTo(thread, other, cancellable, stayReady);
}

/**
 * `thread.{suspend,yield}-then-promote`: when `other` is waiting and ready
 * it stops waiting and runs in the caller's place; otherwise this is a
 * plain `thread.suspend` (or `thread.yield`).
 */
function thenPromote(c: Caller, cancellable: boolean, i: number, stayReady: boolean): number | Promise<number> {
  checkLeave(c);
  const thread = switchingThread(c);
  const other = threadAt(c, i);
  if (other.waiting() && other.ready()) return switchTo(thread, other, cancellable, stayReady);
  return stayReady ? threadYield(c, cancellable) : threadSuspend(c, cancellable);
}

/** `canon thread.suspend-then-resume`: suspends the caller and runs the suspended thread `i`. */
export function threadSuspendThenResume(c: Caller, cancellable: boolean, i: number): number | Promise<number> {
  return thenResume(c, cancellable, i, false);
}

/** `canon thread.yield-then-resume`: the caller stays ready and the suspended thread `i` runs. */
export function threadYieldThenResume(c: Caller, cancellable: boolean, i: number): number | Promise<number> {
  return thenResume(c, cancellable, i, true);
}

/** `canon thread.suspend-then-promote`: runs thread `i` in the caller's place if it is ready, else suspends. */
export function threadSuspendThenPromote(c: Caller, cancellable: boolean, i: number): number | Promise<number> {
  return thenPromote(c, cancellable, i, false);
}

/** `canon thread.yield-then-promote`: runs thread `i` in the caller's place if it is ready, else yields. */
export function threadYieldThenPromote(c: Caller, cancellable: boolean, i: number): number | Promise<number> {
  return thenPromote(c, cancellable, i, true);
}
