/**
 * The runtime wiring of the 🧵 cooperative-thread built-ins
 * (`thread.new-indirect`, `thread.suspend`, `thread.resume-later`,
 * `thread.{suspend,yield}-then-{resume,promote}`, `thread.yield`,
 * `thread.index`, `thread.available-parallelism`, `thread.spawn-*`;
 * `CanonicalABI.md` at spec commit 6d28164). The semantics live in
 * `@wasm-components/async` (builtins/thread.ts); this module looks up
 * function tables, makes the call-stack frames of new threads and wraps the
 * built-ins that may switch stacks in JSPI `Suspending`.
 *
 * Stack switching: a component instance that defines a built-in that
 * makes or switches threads (`thread.new-indirect`, `thread.suspend*`,
 * `thread.yield-then-*`, `thread.resume-later`) is a *switching* instance: its sync-ABI lifts run as
 * tasks with a thread of their own (so `thread.index` and the switches work
 * in a non-`async`-typed export too), and an instance that calls one of its
 * functions through a sync lower waits for it through JSPI as well
 * ({@link switchingCallee}).
 *
 * @module
 */
import type { CanonicalFunction } from '@wasm-components/binary';
import {
  blockingImport,
  type CoreSig,
  hasJspi,
  promising,
  startStackful,
  type Task as AsyncTask,
  Thread,
  threadAvailableParallelism,
  threadIndex,
  threadNew,
  threadResumeLater,
  threadSpawn,
  threadSuspend,
  threadSuspendThenPromote,
  threadSuspendThenResume,
  threadYield,
  threadYieldThenPromote,
  threadYieldThenResume,
} from '@wasm-components/async';
import { type CanonicalOptions, compileFunction, Trap } from '@wasm-components/canonical-abi';
import { callerOf, lowerAsync, shareLiftInfo } from './async.js';
import { at, type FuncItem, LIFTED, type Scope } from './model.js';
import { asTrap, currentFrame, currentTaskOf, type RuntimeInstance, Task } from './task.js';

/** Instances whose threads may switch stacks (see the module comment). */
const switching = new WeakSet<RuntimeInstance>();

/** True when `inst` defines built-ins that switch between its threads, or calls such an instance synchronously. */
export function switchesThreads(inst: RuntimeInstance): boolean {
  return switching.has(inst);
}

/**
 * For a sync lower in `inst` of `callee`: true when the callee is lifted by
 * a switching instance, so the call may suspend (the lower must wait for it
 * through JSPI). `inst` then becomes a switching instance itself, so its own
 * lifts run on stacks that can wait.
 */
export function switchingCallee(callee: FuncItem, inst: RuntimeInstance): boolean {
  const target = (callee.fn as unknown as Record<symbol, RuntimeInstance | undefined>)[LIFTED];
  if (target === undefined || !switching.has(target)) return false;
  switching.add(inst);
  return true;
}

/**
 * A sync lower of a non-`async`-typed function of a switching instance: the
 * async lower protocol (the callee's threads may switch before it returns),
 * waited for through JSPI `Suspending` when the callee did not finish at once.
 */
export function lowerSwitching(callee: FuncItem, opts: CanonicalOptions, inst: RuntimeInstance): (...flat: unknown[]) => unknown {
  const f = lowerAsync(callee, opts, false, inst) as (...args: never[]) => unknown;
  return blockingImport(f, compileFunction(callee.type).lowerSignature) as (...flat: unknown[]) => unknown;
}

/** `WebAssembly.promising` of table functions, made once per function. */
const stackEntries = new WeakMap<object, (...args: unknown[]) => Promise<unknown>>();

/** Where an error of a thread started by `thread.new-indirect` goes: poisons the instance and fails the task's call and every other call waiting on the store. */
function threadFailed(inst: RuntimeInstance, thread: Thread, e: unknown): void {
  const err = asTrap(e);
  if (inst.poisoned === undefined) inst.poisoned = err;
  try {
    (thread.task as AsyncTask).fail(err);
  } catch {
    // The task's call has no host caller left to tell (it already returned).
  }
  // A trap ends everything in the store: the calls still waiting (e.g. the thread that switched to this one) fail with it.
  inst.store.abort(err);
}

/**
 * `canon thread.new-indirect $ft $table`: looks `fi` up in the table
 * (`ftbl.get(fi)`, trapping on an empty slot) and checks it takes the one
 * parameter `$ft` declares (the JS API exposes a function's arity, not its
 * value types, so an `i32`/`i64` mismatch surfaces as a core trap when the
 * thread starts).
 */
function newIndirect(scope: Scope, c: { readonly table: number }, inst: RuntimeInstance): (fi: number, arg: number) => number {
  const table = at(scope.coreTables, c.table, 'core table') as WebAssembly.Table;
  return (fi: number, arg: number): number => {
    const caller = callerOf(inst);
    const i = fi >>> 0;
    if (i >= table.length) throw new Trap(`thread.new-indirect: index ${i} is out of bounds of the function table (length ${table.length})`);
    const f = table.get(i) as ((a: unknown) => unknown) | null;
    if (f === null) throw new Trap(`thread.new-indirect: function table slot ${i} is empty`);
    if (f.length !== 1) throw new Trap(`thread.new-indirect: the function in table slot ${i} takes ${f.length} parameters, not the 1 of the thread start function type`);
    const parent = currentTaskOf(inst);
    return threadNew(
      caller,
      (thread) => {
        if (!hasJspi()) {
          const store = inst.store;
          const saved = store.frames.get();
          store.frames.set(thread.frame);
          try {
            f(arg);
          } finally {
            store.frames.set(saved);
          }
          return undefined;
        }
        let p = stackEntries.get(f);
        if (p === undefined) {
          p = promising(f) as (...args: unknown[]) => Promise<unknown>;
          stackEntries.set(f, p);
        }
        const run = p;
        return startStackful(thread, () => run(arg));
      },
      (thread) => {
        const frame = new Task(inst, parent?.supertask);
        frame.thread = thread;
        if (parent !== undefined) shareLiftInfo(parent, frame);
        return frame;
      },
      (e) => threadFailed(inst, caller.thread as Thread, e),
    );
  };
}

/** Thread indices lent to the sync tasks of non-switching instances that asked for `thread.index`, innermost last. */
const lentIndices = new WeakMap<RuntimeInstance, { task: Task; index: number }[]>();

/**
 * `thread.index` in a sync task of a non-switching instance: such a task
 * runs on the synchronous path (no async {@link Thread}), but in the spec
 * every task runs on a thread, so it gets an index of the instance's thread
 * table for as long as it is on the call stack (an entry is freed once its
 * task has left the stack). The placeholder in the table can never be
 * resumed (nothing in such an instance resumes threads).
 */
function syncTaskIndex(inst: RuntimeInstance): number {
  if (!inst.mayLeave) throw new Trap('cannot leave component instance');
  const task = currentTaskOf(inst);
  if (task === undefined) throw new Trap('thread.index called outside of a task');
  let lent = lentIndices.get(inst);
  if (lent === undefined) lentIndices.set(inst, (lent = []));
  const onStack = new Set<unknown>();
  for (let f = currentFrame(); f !== undefined; f = f.supertask) onStack.add(f);
  for (let i = lent.length - 1; i >= 0; i--) {
    const e = lent[i] as { task: Task; index: number };
    if (e.task === task && onStack.has(task)) return e.index;
    if (!onStack.has(e.task)) {
      inst.threads.remove(e.index);
      lent.splice(i, 1);
    }
  }
  const index = inst.threads.add(Object.create(Thread.prototype) as Thread);
  lent.push({ task, index });
  return index;
}

/** The core signature of the switching built-ins that take a thread index. */
const BY_INDEX: CoreSig = { params: ['i32'], results: ['i32'] };
/** The built-ins that switch to the thread their argument names. */
const SWITCHES = {
  'thread.suspend-then-resume': threadSuspendThenResume,
  'thread.yield-then-resume': threadYieldThenResume,
  'thread.suspend-then-promote': threadSuspendThenPromote,
  'thread.yield-then-promote': threadYieldThenPromote,
} as const;

/** The core signature of `thread.suspend` and `thread.yield`. */
const NO_ARGS: CoreSig = { params: [], results: ['i32'] };

/**
 * The core function of a 🧵 built-in `c` of `inst`, or undefined when `c`
 * is not one. Called by `asyncBuiltin` (async.ts).
 */
export function threadBuiltin(scope: Scope, c: CanonicalFunction, inst: RuntimeInstance): unknown {
  switch (c.kind) {
    case 'thread.yield': {
      const cancellable = c.cancellable;
      return blockingImport(() => threadYield(callerOf(inst), cancellable), NO_ARGS);
    }
    case 'thread.available-parallelism':
      return () => threadAvailableParallelism(callerOf(inst));
    case 'thread.spawn-ref':
    case 'thread.spawn-indirect':
      return () => threadSpawn(callerOf(inst));
    case 'thread.index':
      return () => {
        const c = callerOf(inst);
        return c.thread === null ? syncTaskIndex(inst) : threadIndex(c);
      };
    // The rest make or switch threads: their instance becomes a switching one.
    case 'thread.new-indirect':
      switching.add(inst);
      return newIndirect(scope, c, inst);
    case 'thread.resume-later':
      switching.add(inst);
      return (i: number) => threadResumeLater(callerOf(inst), i >>> 0);
    case 'thread.suspend': {
      switching.add(inst);
      const cancellable = c.cancellable;
      return blockingImport(() => threadSuspend(callerOf(inst), cancellable), NO_ARGS);
    }
    case 'thread.suspend-then-resume':
    case 'thread.yield-then-resume':
    case 'thread.suspend-then-promote':
    case 'thread.yield-then-promote': {
      switching.add(inst);
      const f = SWITCHES[c.kind];
      const cancellable = c.cancellable;
      return blockingImport((i: number) => f(callerOf(inst), cancellable, i >>> 0), BY_INDEX);
    }
    default:
      return undefined;
  }
}
