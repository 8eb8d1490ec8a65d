/**
 * The scheduler (`Store` in `CanonicalABI.md#embedding`): the set of
 * waiting threads and the loop that resumes ready ones.
 *
 * The spec's `Store.tick` picks a random ready thread each time the
 * embedder calls it. Here the loop runs on the JS microtask queue, only
 * when something may have changed (a waitable got an event, backpressure
 * went down, a thread yielded): no timers and no polling, so an idle
 * component costs nothing and a `thread.yield` round trip is a few
 * microtasks.
 *
 * Determinism: with a `seed`, the choice among ready threads (and among
 * ready members of a waitable set) comes from a seeded PRNG, so tests can
 * explore interleavings reproducibly; without one the oldest ready thread
 * runs first (FIFO).
 *
 * One guest stack at a time: a JSPI thread resumed by the scheduler runs in
 * a later microtask (when its promise settles). Until it suspends again or
 * finishes ({@link Store.release}), the store is *busy* and resumes nothing
 * else, matching the spec where exactly one thread runs.
 *
 * @module
 */

import { Cancelled, clearSyncCalls, mayRun, type Thread, type ThreadStore } from './thread.js';
import { type PickIndex, setWakeHook } from './waitable.js';

// Web APIs present in every supported engine; declared here so the package needs no DOM/Node typings.
declare function queueMicrotask(callback: () => void): void;
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare const MessageChannel: (new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(v: unknown): void } }) | undefined;
declare const setImmediate: ((callback: () => void) => unknown) | undefined;

/**
 * Scheduling passes run back to back on the microtask queue before the
 * store lets the host's event loop turn once. Microtasks alone would starve
 * timers and I/O callbacks while a guest loops on `thread.yield` waiting for
 * host I/O; one macrotask turn every this many passes keeps a yield round
 * trip at a few microseconds and the host responsive.
 */
export const PASSES_PER_TURN = 256;

/** Runs `f` after the host's event loop has turned once (not a timer: the earliest macrotask available). */
function nextTurn(f: () => void): void {
  if (typeof setImmediate === 'function') {
    setImmediate(f);
  } else if (typeof MessageChannel === 'function') {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.onmessage = null;
      f();
    };
    ch.port2.postMessage(0);
  } else {
    setTimeout(f, 0);
  }
}

/** Options of {@link Store}. */
export interface StoreOptions {
  /** Seed of the PRNG choosing among ready threads; absent = FIFO (deterministic as well). */
  readonly seed?: number;
}

/** A seeded PRNG (mulberry32) returning an index below `n`. */
export function seededPick(seed: number): PickIndex {
  let s = seed >>> 0;
  return (n: number): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(r * n);
  };
}

/** Hooks the embedding gives the store to save and restore its notion of "who is running". */
export interface FrameHooks {
  /** The embedding's current frame (opaque). */
  get(): unknown;
  /** Restores a frame saved with {@link get} or a thread's frame. */
  set(frame: unknown): void;
}

/**
 * Called when the store can make no more progress while calls from the host
 * still wait (no argument), or with the reason when the store is aborted.
 */
export type DeadlockHandler = (reason?: unknown) => void;

/**
 * Stores with waiting threads or pending host calls, in the order they
 * became active. An array with a membership flag rather than a `Set`: a
 * store goes idle and busy again on every async call, which a `Set` would
 * rehash for each time.
 */
const activeStores: Store[] = [];

function activate(s: Store): void {
  if (s.listed) return;
  s.listed = true;
  activeStores.push(s);
}

function deactivate(s: Store): void {
  if (!s.listed) return;
  s.listed = false;
  const i = activeStores.lastIndexOf(s);
  if (i === activeStores.length - 1) activeStores.pop();
  else activeStores.splice(i, 1);
}

/**
 * Aborts every store with work in progress ({@link Store.abort}): for an
 * embedder (a test runner) that gives up on all pending calls at once.
 */
export function abortAllStores(reason: unknown): void {
  for (const s of activeStores.slice()) s.abort(reason);
}

/**
 * Live JSPI stacks and unsettled host promises over all stores: stores of
 * different instantiations may call each other, so one store is only
 * deadlocked when no store can make progress.
 */
const totals = { active: 0, pendingHost: 0 };

/** Who waits for a thread's stack to park or settle ({@link whenIdle}). */
const idleWaiters = new WeakMap<Thread, (() => void)[]>();

/**
 * Resolves when `t`'s JSPI stack parks (waits or suspends in the spec's
 * sense) or settles: used by a caller whose callee's stack the engine
 * suspended at a non-blocking `Suspending` import, to learn how far the
 * callee got before answering its `canon lower` (see lower.ts).
 */
export function whenIdle(t: Thread): Promise<void> {
  return new Promise<void>((resolve) => {
    const ws = idleWaiters.get(t);
    if (ws === undefined) idleWaiters.set(t, [resolve]);
    else ws.push(resolve);
  });
}

/** True when some store other than `self` may still make progress that `self` could see without host action. */
function othersBusy(self: Store): boolean {
  if (totals.active > 0 || totals.pendingHost > 0) return true;
  for (const s of activeStores) if (s !== self && (s.running !== null || s.hasReady(self))) return true;
  return false;
}

/** The representative of `s`'s group of linked stores ({@link linkStores}; union-find with path halving). */
function groupOf(s: Store): Store {
  let g = s;
  while (g.linkedTo !== g) {
    g.linkedTo = g.linkedTo.linkedTo;
    g = g.linkedTo;
  }
  return g;
}

/**
 * Records that components of stores `a` and `b` share a stream or future
 * (the host passed a readable end lifted from one into the other): a thread
 * of one may then make a thread of the other ready with no host call
 * driving it (a component that returned a stream and keeps writing it), so
 * neither is deadlocked while the other can still run. Links are for good:
 * at worst a deadlock waits for a linked store to go idle.
 */
export function linkStores(a: Store, b: Store): void {
  const ga = groupOf(a);
  const gb = groupOf(b);
  if (ga !== gb) gb.linkedTo = ga;
}

/**
 * Stores with host calls and nothing of their own to run that found another
 * store busy: they wait for a verdict, and check again when a store goes
 * idle after running something or the last live stack or host operation
 * settles ({@link recheck}). Without this, a store whose deadlock depends on
 * another going idle would never learn it.
 */
const undecided: Store[] = [];

/** Asks every store waiting for a deadlock verdict, but `self`, to check again. */
function recheck(self?: Store): void {
  if (undecided.length === 0) return;
  const stores = undecided.splice(0);
  for (const s of stores) {
    if (s === self) {
      undecided.push(s);
      continue;
    }
    s.undecided = false;
    s.schedule();
  }
}

/** Whether `t` belongs to an instance poisoned by a trap: it will never run again. */
function isDead(t: Thread): boolean {
  return (t.task.inst as { readonly poisoned?: unknown }).poisoned !== undefined;
}

function wakeAll(): void {
  for (const s of activeStores) s.schedule();
}

/**
 * The pending calls from the host of one store: an array rather than a
 * `Set`, since a call is added and removed on every async call (a `Set`
 * rehashes under that churn); calls mostly finish in reverse order, so
 * removal searches from the end. Past a few dozen calls at once (many
 * concurrent calls finishing in any order) it switches to a `Set`.
 */
export class HostCalls {
  /** Few calls: an array. */
  readonly #items: DeadlockHandler[] = [];
  /** Many calls at once (past {@link HOST_CALLS_IN_ARRAY}): a `Set`, so removal stays O(1). */
  #set: Set<DeadlockHandler> | undefined = undefined;

  /** The number of pending calls. */
  get size(): number {
    return this.#set === undefined ? this.#items.length : this.#set.size;
  }

  /** Adds a call. */
  add(h: DeadlockHandler): void {
    if (this.#set !== undefined) {
      this.#set.add(h);
      return;
    }
    const items = this.#items;
    items.push(h);
    if (items.length > HOST_CALLS_IN_ARRAY) {
      this.#set = new Set(items);
      items.length = 0;
    }
  }

  /** Removes a call (no-op when absent); the order of the others is kept. */
  delete(h: DeadlockHandler): void {
    const set = this.#set;
    if (set !== undefined) {
      set.delete(h);
      if (set.size === 0) this.#set = undefined;
      return;
    }
    const items = this.#items;
    const i = items.lastIndexOf(h);
    if (i < 0) return;
    if (i === items.length - 1) items.pop();
    else items.splice(i, 1);
  }

  /** Forgets every call. */
  clear(): void {
    this.#items.length = 0;
    this.#set = undefined;
  }

  /** A copy of the pending calls, oldest first. */
  list(): DeadlockHandler[] {
    return this.#set === undefined ? this.#items.slice() : [...this.#set];
  }
}

/** Pending host calls a store keeps in an array before it switches to a `Set` ({@link HostCalls}). */
const HOST_CALLS_IN_ARRAY = 32;

/** The scheduler of a group of component instances that may call each other (`Store`). */
export class Store implements ThreadStore {
  /** Threads waiting for their ready condition (`waiting`). */
  readonly waiting: Thread[] = [];
  /** A JSPI thread resumed by the scheduler that has not yet suspended again or finished. */
  running: Thread | null = null;
  /** Chooses among ready threads / ready waitables, or undefined for FIFO. */
  readonly pick: PickIndex | undefined;
  /** Save/restore of the embedding's frame around thread switches. */
  frames: FrameHooks = { get: () => undefined, set: () => {} };
  #pendingHost = 0;
  #active = 0;

  /** Host promises (async host imports) not yet settled: while any is pending, an idle store is not deadlocked. */
  get pendingHost(): number {
    return this.#pendingHost;
  }
  set pendingHost(n: number) {
    totals.pendingHost += n - this.#pendingHost;
    this.#pendingHost = n;
    if (totals.pendingHost === 0) recheck();
  }

  /**
   * JSPI stacks started or resumed that have neither suspended nor settled
   * yet: progress is still possible while any is live.
   */
  get active(): number {
    return this.#active;
  }
  set active(n: number) {
    // Clamped: stacks abandoned by {@link abort} may still settle later.
    const v = Math.max(0, n);
    totals.active += v - this.#active;
    this.#active = v;
    if (totals.active === 0) recheck();
  }
  /** Whether the store is in the list of active stores (internal to this module). */
  listed = false;
  /** Whether the store waits for a deadlock verdict (internal to this module, see {@link recheck}). */
  undecided = false;
  /** The parent of the store in its group of linked stores (internal to this module, see {@link linkStores}). */
  linkedTo: Store = this;
  /** Calls from the host not yet resolved; told when the store deadlocks. */
  readonly hostCalls: HostCalls = new HostCalls();
  #scheduled = false;
  /** Passes run since the host's event loop last turned (see {@link PASSES_PER_TURN}). */
  #passes = 0;
  /** A deadlock check waits for the next turn of the host's event loop. */
  #confirming = false;
  /** The deadlock check of the pass running now is the confirmed one. */
  #confirmed = false;
  /** A thread ran (or stopped counting as ready) since the store was last idle: see {@link recheck}. */
  #progressed = false;
  readonly #loop: () => void;
  readonly #turned: () => void;

  constructor(options: StoreOptions = {}) {
    this.pick = options.seed === undefined ? undefined : seededPick(options.seed);
    setWakeHook(wakeAll);
    this.#loop = () => {
      this.#scheduled = false;
      this.runReady();
    };
    this.#turned = () => {
      this.#passes = 0;
      this.#loop();
    };
  }

  /** {@link ThreadStore.addWaiting}. */
  addWaiting(t: Thread): void {
    this.waiting.push(t);
    activate(this);
    this.schedule();
  }

  /** {@link ThreadStore.removeWaiting}. */
  removeWaiting(t: Thread): void {
    const i = this.waiting.indexOf(t);
    if (i >= 0) this.waiting.splice(i, 1);
    if (this.waiting.length === 0 && this.hostCalls.size === 0) deactivate(this);
  }

  /**
   * Asks for a scheduling pass on the microtask queue (idempotent until it
   * runs). Nothing to do while no thread waits and no host call is pending
   * (the pass would be empty; whatever adds either schedules again).
   */
  schedule(): void {
    if (this.#scheduled || (this.waiting.length === 0 && this.hostCalls.size === 0)) return;
    this.#scheduled = true;
    if (++this.#passes < PASSES_PER_TURN) queueMicrotask(this.#loop);
    else nextTurn(this.#turned);
  }

  /** Marks a host call as waiting on this store (for deadlock detection). */
  addHostCall(onDeadlock: DeadlockHandler): void {
    this.hostCalls.add(onDeadlock);
    activate(this);
  }

  /** The host call finished. */
  removeHostCall(onDeadlock: DeadlockHandler): void {
    this.hostCalls.delete(onDeadlock);
    if (this.waiting.length === 0 && this.hostCalls.size === 0) deactivate(this);
    else if (undecided.length > 0) {
      // Threads that only run during a host call (see `mayRun`) may have stopped counting as ready.
      this.#progressed = true;
      this.schedule();
    }
  }

  /** A resumed JSPI thread suspended again or finished: the store may resume another. */
  release(t: Thread): void {
    if (this.running === t) this.running = null;
    this.#progressed = true;
    const ws = idleWaiters.get(t);
    if (ws !== undefined) {
      idleWaiters.delete(t);
      for (const w of ws) w();
    }
    this.schedule();
  }

  /**
   * One `Store.tick`: resumes one ready thread; false when none is ready.
   * Does nothing while a resumed JSPI thread is still running.
   */
  tick(): boolean {
    // While any JSPI stack is live (running, or suspended by the engine at a
    // `Suspending` import that did not block) its guest code is, in the
    // spec's terms, still running synchronously: nothing else may start.
    if (this.running !== null || totals.active > 0) return false;
    const w = this.waiting;
    let chosen: Thread | undefined;
    if (this.pick === undefined) {
      for (const t of w) {
        if (t.ready() && mayRun(this, t)) {
          chosen = t;
          break;
        }
      }
    } else {
      const ready = w.filter((t) => t.ready() && mayRun(this, t));
      if (ready.length > 0) chosen = ready[this.pick(ready.length)];
    }
    if (chosen === undefined) return false;
    chosen.resume(Cancelled.FALSE);
    return true;
  }

  /** Runs ready threads until none is ready; then checks for deadlock. */
  runReady(): void {
    // At most one round over the threads waiting now; threads that become
    // ready meanwhile (e.g. a yield loop) run in the next microtask, so JSPI
    // continuations and host promises interleave and nothing spins.
    // Threads of instances poisoned by a trap never run again: they leave the store.
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const t = this.waiting[i] as Thread;
      if (isDead(t)) {
        this.removeWaiting(t);
        this.#progressed = true;
      }
    }
    for (let n = this.waiting.length; n > 0; n--) {
      if (!this.tick()) break;
      this.#progressed = true;
    }
    if (this.running !== null) return;
    if (this.anyReady()) {
      this.schedule();
      return;
    }
    // Idle after running something: stores whose verdict waited on this one check again (not after an
    // empty pass: two waiting stores would wake each other for ever).
    if (this.#progressed) {
      this.#progressed = false;
      recheck(this);
    }
    if (this.hostCalls.size === 0 || this.active > 0 || this.pendingHost > 0) return;
    if (othersBusy(this)) {
      if (!this.undecided) {
        this.undecided = true;
        undecided.push(this);
      }
      return;
    }
    {
      // Nothing can happen any more: no ready thread, no host promise in flight.
      // Confirmed after one turn of the host's event loop: a settled JSPI stack's
      // continuation (e.g. a sync-ABI lift's results) may still be queued as a microtask.
      if (!this.#confirmed) {
        if (!this.#confirming) {
          this.#confirming = true;
          nextTurn(() => {
            this.#confirming = false;
            this.#confirmed = true;
            this.runReady();
            this.#confirmed = false;
          });
        }
        return;
      }
      clearSyncCalls(this);
      for (const h of this.hostCalls.list()) h();
    }
  }

  /**
   * Abandons everything in progress (the embedder gave up on its calls, e.g.
   * after a timeout): waiting threads are dropped and never resumed, and
   * every pending host call fails with `reason`. The store is empty
   * afterwards and may be used again.
   */
  abort(reason: unknown): void {
    this.waiting.length = 0;
    this.running = null;
    clearSyncCalls(this);
    this.active = 0;
    this.pendingHost = 0;
    const calls = this.hostCalls.list();
    this.hostCalls.clear();
    deactivate(this);
    for (const h of calls) h(reason);
  }

  /**
   * True when a waiting thread may run now and its progress could reach
   * `other` without host action (for `other`'s deadlock check): the store is
   * driven by host calls or host work, or shares a stream or future with
   * `other` ({@link linkStores}). A store whose call returned long ago and
   * whose task yields for ever elsewhere keeps no unrelated store from
   * learning it is deadlocked.
   */
  hasReady(other: Store): boolean {
    return (this.hostCalls.size > 0 || this.pendingHost > 0 || groupOf(this) === groupOf(other)) && this.anyReady();
  }

  private anyReady(): boolean {
    for (const t of this.waiting) if (t.ready() && mayRun(this, t)) return true;
    return false;
  }
}

let defaultStore: Store | undefined;

/** The store used when the embedding does not make its own (one per JS realm). */
export function getDefaultStore(): Store {
  return (defaultStore ??= new Store());
}

/** The trap when the store can make no more progress (the reference tests' wording). */
export const DEADLOCK: string = 'deadlock detected: event loop cannot make further progress';
