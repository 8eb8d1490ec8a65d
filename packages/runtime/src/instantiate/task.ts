/**
 * Component instances at run time and the call stack of tasks.
 *
 * Every call into a component through `canon lift` is a {@link Task}
 * (`CanonicalABI.md#task-state`): it records the callee instance, its caller
 * (the supertask) and the borrow scope of the call. Only synchronous calls
 * exist today; the async package will subclass or extend `Task` (waitables,
 * `task.return`, backpressure) without changing the call path.
 *
 * Reentrance follows `call_might_be_recursive` of `definitions.py`: a call
 * from a component instance traps when caller and callee are ancestors of
 * each other (or the same); a call from the host traps when any instance on
 * the host's chain of supertasks shares an ancestor with the callee.
 *
 * @module
 */
import { abortAllStores, type AsyncInstance, type FrameHooks, getDefaultStore, Store, type Task as AsyncTask, type Thread } from '@wasm-components/async';
import { CallBorrowScope, type CanonicalOptions, type FuncType, HandleTable, isHostValueError, isTrap, Trap } from '@wasm-components/canonical-abi';

/** The `canon lift` of an async-capable task: its function type and options, for `task.return`'s checks (one object per lift). */
export interface LiftInfo {
  readonly ft: FuncType;
  readonly opts: CanonicalOptions;
}

/**
 * The state of one component instance (`ComponentInstance` in
 * `CanonicalABI.md#component-instance-state`): its handle table, `may_leave`,
 * its parent (for the reentrance rule) and, once it trapped, the trap that
 * poisoned it.
 */
export class RuntimeInstance implements AsyncInstance {
  /** Resource handles (and, later, waitables) of this instance. */
  handles: HandleTable<unknown> = new HandleTable<unknown>();
  /** Cleared while the instance may not call out (lowering, post-return). */
  mayLeave = true;
  /** The enclosing component instance, for nested components. */
  readonly parent: RuntimeInstance | undefined;
  /** The error that poisoned this instance; every later call traps. */
  poisoned: unknown = undefined;
  /** A name for messages (the component's import/instance path). */
  readonly name: string;
  /** `backpressure` counter (`canon backpressure.inc/dec`): async tasks wait to enter while it is non-zero. */
  backpressure = 0;
  /** The async task holding exclusive access (sync-ABI and callback lifts of async functions). */
  exclusive: AsyncTask | null = null;
  /**
   * Whether this instance's core code imports a built-in that may suspend
   * its stack (set while its `canon` built-ins are made): only then do its
   * async lifts run their core code on JSPI stacks.
   */
  mayBlockOnStack = false;
  /** Async tasks waiting to enter (backpressure); new ones queue behind them. */
  numWaitingToEnter = 0;
  #threads: HandleTable<Thread> | undefined = undefined;
  #store: Store | undefined = undefined;

  /** The instance's threads (`thread.index`), made on first use. */
  get threads(): HandleTable<Thread> {
    return (this.#threads ??= new HandleTable<Thread>());
  }

  /**
   * The async scheduler, made on first use: nested instances share their
   * enclosing instance's; each top-level instantiation has its own, so a
   * trapped or abandoned call of one instantiation leaves no waiting
   * threads, running stack or host calls in the store of another.
   */
  get store(): Store {
    if (this.#store !== undefined) return this.#store;
    this.#store = this.parent !== undefined ? this.parent.store : newRuntimeStore();
    return this.#store;
  }
  /**
   * A finished task kept for the next synchronous scalar call (see
   * {@link enterScalarTask}); undefined while it runs.
   */
  spareTask: Task | undefined = undefined;

  constructor(name: string, parent?: RuntimeInstance) {
    this.name = name;
    this.parent = parent;
  }

  /** True when `this` is `other` or one of `other`'s ancestors. */
  isReflexiveAncestorOf(other: RuntimeInstance | undefined): boolean {
    for (let o = other; o !== undefined; o = o.parent) if (o === this) return true;
    return false;
  }

  /** True when `this` and `other` have a common reflexive ancestor. */
  sharesAncestorWith(other: RuntimeInstance): boolean {
    for (let a: RuntimeInstance | undefined = this; a !== undefined; a = a.parent) {
      if (a.isReflexiveAncestorOf(other)) return true;
    }
    return false;
  }
}

/**
 * One frame of the (synchronous) call stack: a task running in a component
 * instance, or the host (`inst` undefined) called from a component.
 */
export interface Frame {
  /** The instance running, or undefined for the host. */
  readonly inst: RuntimeInstance | undefined;
  /** Who called this frame. */
  readonly supertask: Frame | undefined;
}

/**
 * A call into a component instance through `canon lift`. The borrow scope
 * counts the borrow handles lent to the callee; they must all be dropped
 * before the call returns.
 */
export class Task implements Frame {
  readonly inst: RuntimeInstance;
  /** Who called this task; only {@link enterScalarTask} sets it after construction, when it reuses a task. */
  supertask: Frame | undefined;
  /** The async thread running this task (async lifts only). */
  thread: Thread | undefined = undefined;
  /** The lift of an async-capable task (async lifts only). */
  lift: LiftInfo | undefined = undefined;
  // Plain fields, made on first use: a scalar call allocates nothing but the task.
  private scope: CallBorrowScope | undefined = undefined;
  private storage: (number | bigint)[] | undefined = undefined;

  /** Borrows given to the callee for this call (`Task.num_borrows`); made on first use, so scalar calls stay cheap. */
  get borrowScope(): CallBorrowScope {
    return (this.scope ??= new CallBorrowScope());
  }

  /** Context-local storage (`canon context.get/set`), zero-initialised, made on first use. */
  get context(): (number | bigint)[] {
    return (this.storage ??= [0, 0]);
  }

  constructor(inst: RuntimeInstance, supertask: Frame | undefined) {
    this.inst = inst;
    this.supertask = supertask;
  }

  /** Forgets the state made on first use, so the task can serve another call (see {@link enterScalarTask}). */
  reset(): void {
    this.scope = undefined;
    this.storage = undefined;
  }
}

let current: Frame | undefined;

/** The frame currently running (undefined at the top level of the host). */
export function currentFrame(): Frame | undefined {
  return current;
}

/** Replaces the current frame; returns the previous one so the caller can restore it. */
export function setCurrentFrame(f: Frame | undefined): Frame | undefined {
  const prev = current;
  current = f;
  return prev;
}

let storeReady = false;

/** Saves and restores this module's current frame around thread switches. */
const frameHooks: FrameHooks = { get: () => current, set: (f) => void (current = f as Frame | undefined) };

/** The default async store (for host-side work outside any instance), with this runtime's frame hooks. */
export function runtimeStore(): Store {
  const s = getDefaultStore();
  if (!storeReady) {
    storeReady = true;
    s.frames = frameHooks;
  }
  return s;
}

/**
 * Gives up on every async call in progress, in every instantiation: their
 * Promises reject with `reason` and their waiting threads are dropped. For
 * embedders that abandon work wholesale (the conformance runner after a
 * directive timed out), so nothing left behind keeps running or blocks
 * later calls.
 */
export function abortAsyncCalls(reason: unknown): void {
  abortAllStores(reason);
  current = undefined;
}

/** A new async store with this runtime's frame hooks (one per top-level instantiation). */
export function newRuntimeStore(): Store {
  runtimeStore(); // jspi.ts restores frames through the default store's hooks
  const s = new Store();
  s.frames = frameHooks;
  return s;
}

/** `call_might_be_recursive(caller, callee_inst)` of `definitions.py`. */
export function callMightBeRecursive(caller: Frame | undefined, callee: RuntimeInstance): boolean {
  if (caller === undefined) return false;
  if (caller.inst === undefined) {
    for (let f: Frame | undefined = caller; f !== undefined; f = f.supertask) {
      if (f.inst !== undefined && f.inst.sharesAncestorWith(callee)) return true;
    }
    return false;
  }
  return caller.inst.isReflexiveAncestorOf(callee) || callee.isReflexiveAncestorOf(caller.inst);
}

/** The task running core code of `inst` (the innermost one), if any. */
export function currentTaskOf(inst: RuntimeInstance): Task | undefined {
  for (let f = current; f !== undefined; f = f.supertask) {
    if (f instanceof Task && f.inst === inst) return f;
  }
  return undefined;
}

/** Message of the reentrance trap (the spec suite's wording). */
export const CANNOT_ENTER = 'cannot enter component instance' as const;

/**
 * Starts a task in `callee`: traps when the instance was poisoned by an
 * earlier trap or when the call might be recursive. The caller must restore
 * the previous frame with {@link setCurrentFrame} when the call ends.
 */
export function enterTask(callee: RuntimeInstance): Task {
  const caller = current;
  if (callee.poisoned !== undefined) {
    throw new Trap(`${CANNOT_ENTER}: ${callee.name} trapped earlier and may not be entered again`);
  }
  if (callMightBeRecursive(caller, callee)) {
    throw new Trap(`${CANNOT_ENTER}: ${callee.name} is already on the call stack (recursive reentrance)`);
  }
  const task = new Task(callee, caller);
  current = task;
  return task;
}

/**
 * {@link enterTask} for the scalar fast path of `canon lift` (`fast.ts`):
 * the same checks, but the task object is the instance's spare one when it
 * is free, so a call allocates nothing. Reuse is sound because a task is
 * only reachable through the frame chain while it runs, and a synchronous
 * task of an instance cannot be entered twice at once (that is the
 * reentrance trap); the state a task makes on first use (context storage,
 * borrow scope) is cleared. Pair with {@link exitScalarTask}.
 */
export function enterScalarTask(callee: RuntimeInstance): Task {
  const caller = current;
  if (callee.poisoned !== undefined || (caller !== undefined && callMightBeRecursive(caller, callee))) {
    return enterTask(callee); // throws the trap with its message
  }
  let task = callee.spareTask;
  if (task === undefined) task = new Task(callee, caller);
  else {
    callee.spareTask = undefined;
    task.supertask = caller;
  }
  current = task;
  return task;
}

/** Ends a task begun by {@link enterScalarTask}: restores the caller's frame and keeps the task for reuse. */
export function exitScalarTask(task: Task): void {
  current = task.supertask;
  task.supertask = undefined;
  task.reset();
  task.inst.spareTask = task;
}

/**
 * Engine trap messages (V8, SpiderMonkey, JavaScriptCore word them
 * differently) mapped to one engine-independent wording, the one the
 * component-model reference tests use (wasmtime's). Unknown messages are
 * kept as they are.
 */
const TRAP_WORDING: readonly (readonly [RegExp, string])[] = [
  [/unreachable/i, 'wasm `unreachable` instruction executed'],
  [/out of bounds memory|memory access out of bounds|index out of bounds/i, 'out of bounds memory access'],
  [/divide by zero|division by zero/i, 'integer divide by zero'],
  [/unrepresentable|integer overflow/i, 'integer overflow'],
  [/float.*integer|invalid conversion/i, 'invalid conversion to integer'],
  [/table index|out of bounds table|undefined element/i, 'undefined element: out of bounds table access'],
  [/signature mismatch|indirect call/i, 'indirect call type mismatch'],
  [/null function|uninitialized element/i, 'uninitialized element'],
];

/** Converts a WebAssembly trap into a {@link Trap} (the engine's error kept as `cause`). */
export function asTrap(e: unknown): unknown {
  if (isTrap(e)) return e;
  if (e instanceof WebAssembly.RuntimeError) {
    const m = (e as Error).message;
    const known = TRAP_WORDING.find(([re]) => re.test(m));
    return new Trap(known === undefined ? m : `wasm trap: ${known[1]}`, { cause: e });
  }
  return e;
}

/**
 * Runs `body` as a task of `callee` (reentrance and poisoning checked on
 * entry, the instance poisoned if it throws), called from `caller`: the
 * current frame for a host call, or a frame of the calling instance for a
 * component-to-component call. Used for destructors run on behalf of another
 * instance or of the host (`canon resource.drop` of a foreign resource,
 * `Symbol.dispose`), which the spec runs through `canon lower`/`canon lift`.
 */
export function runAsTask<T>(callee: RuntimeInstance, caller: RuntimeInstance | undefined, body: () => T): T {
  const saved = current;
  if (caller !== undefined) current = { inst: caller, supertask: saved };
  try {
    const task = enterTask(callee);
    void task;
    try {
      return body();
    } catch (e) {
      if (isHostValueError(e)) throw e;
      const err = asTrap(e);
      if (callee.poisoned === undefined) callee.poisoned = err;
      throw err;
    }
  } finally {
    current = saved;
  }
}
