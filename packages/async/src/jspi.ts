/**
 * Stack switching through JSPI (the WebAssembly JavaScript Promise
 * Integration API: `WebAssembly.Suspending`, `WebAssembly.promising`).
 *
 * A thread whose core code may block (a stackful `async` lift, a sync-ABI
 * lift of an `async` function) runs its core function through
 * `WebAssembly.promising`. The imports that may block (`waitable-set.wait`,
 * `thread.yield`, a sync lower of an async function, sync stream copies...)
 * are wrapped in `WebAssembly.Suspending`: when the built-in has to wait it
 * returns a Promise, the engine suspends the core stack up to the
 * `promising` boundary, and the stack continues when the scheduler
 * resolves that Promise. When it need not wait it returns a plain value and
 * nothing is suspended.
 *
 * Callback lifts never need this: between two callback calls there is no
 * core stack to keep, so they run on any engine (Node 20 included).
 *
 * @module
 */

import { trap } from '@wasm-components/canonical-abi';
import { getDefaultStore, type Store } from './scheduler.js';
import { Cancelled, type Thread } from './thread.js';

interface JspiApi {
  readonly Suspending: new (f: (...args: never[]) => unknown) => object;
  readonly promising: (f: unknown) => (...args: unknown[]) => Promise<unknown>;
}

function api(): JspiApi | undefined {
  const w = (globalThis as unknown as { WebAssembly?: Partial<JspiApi> }).WebAssembly;
  if (w === undefined || typeof w.Suspending !== 'function' || typeof w.promising !== 'function') return undefined;
  return w as JspiApi;
}

/** True when the engine has JSPI (`WebAssembly.Suspending` and `WebAssembly.promising`; Node >= 24, Chrome >= 137). */
export function hasJspi(): boolean {
  return api() !== undefined;
}

/** The message of the trap when blocking needs stack switching the engine lacks. */
export const NO_JSPI: string =
  'cannot suspend: blocking here needs stack switching, and this engine lacks JSPI (WebAssembly.Suspending / WebAssembly.promising; Node >= 24)';

/**
 * Wraps a core import that may block so that returning a Promise suspends
 * the calling core stack. Without JSPI the function is returned unchanged
 * (it then never returns a Promise: see {@link suspend}).
 */
export function suspending(f: (...args: never[]) => unknown): unknown {
  const a = api();
  return a === undefined ? f : new a.Suspending(keepFrame(f));
}

/**
 * V8 suspends the calling stack at every call of a `Suspending` import,
 * even when the import returns a plain value (it awaits it), so other
 * microtasks run before the stack continues and may change the embedding's
 * frame. A plain result is therefore returned through a Promise that first
 * restores the frame current at the call (a Promise result comes from
 * {@link suspend}, which restores the thread's frame itself).
 */
function keepFrame(f: (...args: never[]) => unknown): (...args: never[]) => unknown {
  return (...args: never[]): unknown => {
    const v = f(...args);
    if (v instanceof Promise) return v;
    const frames = getDefaultStore().frames;
    const saved = frames.get();
    return Promise.resolve().then(() => {
      frames.set(saved);
      return v;
    });
  };
}

/**
 * Wraps an exported core function so that calling it returns a Promise of
 * its result and lets {@link suspending} imports suspend it; undefined
 * without JSPI.
 */
export function promising(f: unknown): ((...args: unknown[]) => Promise<unknown>) | undefined {
  const a = api();
  return a === undefined ? undefined : a.promising(f);
}

/**
 * Suspends a stackful thread until `ready()` holds (or, if `cancellable`,
 * the task is cancelled): `thread.wait_until` for JSPI threads. Returns the
 * `Cancelled` value at once when no waiting is needed, or a Promise the
 * blocking import returns to the engine. Traps when the thread is not
 * running under `promising` ({@link NO_JSPI}).
 *
 * While suspended the embedding's frame is reset to what it was when the
 * thread's current run began; on resumption the thread's frame is restored.
 */
export function suspend(thread: Thread, ready: () => boolean, cancellable: boolean, forceYield = false): Cancelled | Promise<Cancelled> {
  if (thread.task.deliverPendingCancel(cancellable)) return Cancelled.TRUE;
  if (!forceYield && ready()) return Cancelled.FALSE;
  if (!thread.canSuspend) trap(NO_JSPI);
  return park(thread, ready, cancellable);
}

/**
 * Parks a running stackful thread: *waiting* until `ready` holds when it
 * is given, else *suspended* until resumed explicitly. Then runs `next`
 * (the thread that takes the stack, for `thread.*-then-resume`), after the
 * store already counts this stack as parked. The Promise is what the
 * blocking import returns to the engine; it settles with the `Cancelled`
 * value the resumption reports.
 */
export function park(thread: Thread, ready: (() => boolean) | null, cancellable: boolean, next?: () => void): Promise<Cancelled> {
  const store = thread.task.store as Store;
  return new Promise<Cancelled>((resolve) => {
    const outer = runs.get(thread);
    const onResume = (cancelled: Cancelled): void => {
      // Resumed by the scheduler: this stack runs next (in a microtask); nothing else until it suspends again.
      store.running = thread;
      store.active++;
      resolve(cancelled);
    };
    if (ready === null) {
      thread.suspendUntilResumed(cancellable, onResume);
    } else {
      const c = thread.waitUntil(ready, cancellable, onResume);
      if (c !== null) {
        resolve(c);
        return;
      }
    }
    store.active--;
    store.release(thread);
    store.frames.set(outer);
    if (next !== undefined) next();
  }).then((cancelled) => {
    runs.set(thread, store.frames.get());
    store.frames.set(thread.frame);
    return cancelled;
  });
}

/** The frame to restore when a thread suspends: the one current when its present run began. */
const runs = new WeakMap<Thread, unknown>();

/**
 * Starts a stackful thread: calls `run` (which calls a `promising` core
 * function) with the thread's frame current and `canSuspend` set. Returns
 * the Promise of the core function's results. `store.active` counts the
 * stack as live until it settles.
 */
export function startStackful(thread: Thread, run: () => Promise<unknown>): Promise<unknown> {
  const store = thread.task.store as Store;
  const outer = store.frames.get();
  runs.set(thread, outer);
  thread.canSuspend = true;
  store.active++;
  store.frames.set(thread.frame);
  let p: Promise<unknown>;
  try {
    p = run();
  } catch (e) {
    store.active--;
    thread.canSuspend = false;
    store.frames.set(outer);
    throw e;
  }
  store.frames.set(outer);
  const done = (): void => {
    thread.canSuspend = false;
    store.active--;
    store.release(thread);
  };
  return p.then(
    (v) => {
      done();
      return v;
    },
    (e: unknown) => {
      done();
      throw e;
    },
  );
}
