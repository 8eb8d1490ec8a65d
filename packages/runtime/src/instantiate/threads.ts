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

/** The parameter type of a thread start function type (`(func (param i32))` or `(func (param i64))`), if `t` is one. */
function startParam(t: unknown): 'i32' | 'i64' | undefined {
  const def = t as { readonly kind?: string; readonly group?: { readonly types?: readonly { readonly type?: { readonly kind?: string; readonly params?: readonly unknown[]; readonly results?: readonly unknown[] } }[] } };
  const ct = def.kind === 'rec' && def.group?.types?.length === 1 ? def.group.types[0]?.type : undefined;
  if (ct?.kind !== 'func' || ct.params?.length !== 1 || ct.results?.length !== 0) return undefined;
  const p = ct.params[0];
  return p === 'i32' || p === 'i64' ? p : undefined;
}

/**
 * The bytes of a core module that checks a table entry's function type
 * exactly: it imports the table (`t.t`) and exports `c(i) -> i32`, which is
 * `ref.test (ref $ft) (table.get i)` with `$ft = (func (param p))`. Function
 * types are canonical across modules, so this answers `f.t == ft` of
 * `canon_thread_new_indirect` for functions of any module (function
 * references and `ref.test`, in every engine with JSPI).
 */
function checkerBytes(p: 'i32' | 'i64'): Uint8Array {
  const i32 = 0x7f;
  const param = p === 'i32' ? i32 : 0x7e;
  const str = (x: string): number[] => [x.length, ...Array.from(x, (ch) => ch.charCodeAt(0))];
  const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
  const types = section(1, [2, 0x60, 1, param, 0, 0x60, 1, i32, 1, i32]);
  const imports = section(2, [1, ...str('t'), ...str('t'), 0x01, 0x70, 0x00, 0x00]);
  const funcs = section(3, [1, 1]);
  const exports = section(7, [1, ...str('c'), 0x00, 0]);
  // local.get 0; table.get 0; ref.test (ref 0); end
  const body = [0x00, 0x20, 0x00, 0x25, 0x00, 0xfb, 0x14, 0x00, 0x0b];
  const code = section(10, [1, body.length, ...body]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

const checkerModules = new Map<string, WebAssembly.Module | null>();
const checkers = new WeakMap<WebAssembly.Table, Map<string, ((i: number) => number) | null>>();

/** `(i) => f.t == ft` for the entries of `table`, or null where the engine cannot compile the check (then only the arity is checked). */
function typeChecker(table: WebAssembly.Table, p: 'i32' | 'i64'): ((i: number) => number) | null {
  let byType = checkers.get(table);
  if (byType === undefined) checkers.set(table, (byType = new Map()));
  let c = byType.get(p);
  if (c !== undefined) return c;
  let m = checkerModules.get(p);
  if (m === undefined) {
    try {
      m = new WebAssembly.Module(checkerBytes(p) as Uint8Array<ArrayBuffer>);
    } catch {
      m = null;
    }
    checkerModules.set(p, m);
  }
  c = m === null ? null : (new WebAssembly.Instance(m, { t: { t: table } }).exports['c'] as (i: number) => number);
  byType.set(p, c);
  return c;
}

/**
 * `canon thread.new-indirect $ft $table`: looks `fi` up in the table
 * (`ftbl.get(fi)`, trapping on an empty slot) and checks the function's
 * type is `$ft` (`trap_if(f.t != ft)`, through {@link typeChecker}).
 */
function newIndirect(scope: Scope, c: { readonly type: number; readonly table: number }, inst: RuntimeInstance): (fi: number, arg: number) => number {
  const table = at(scope.coreTables, c.table, 'core table') as WebAssembly.Table;
  const param = startParam(at(scope.coreTypes, c.type, 'core type'));
  return (fi: number, arg: number): number => {
    const caller = callerOf(inst);
    const i = fi >>> 0;
    if (i >= table.length) throw new Trap(`thread.new-indirect: index ${i} is out of bounds of the function table (length ${table.length})`);
    const f = table.get(i) as ((a: unknown) => unknown) | null;
    if (f === null) throw new Trap(`thread.new-indirect: function table slot ${i} is empty`);
    const check = param === undefined ? null : typeChecker(table, param);
    if (check !== null ? check(i) === 0 : f.length !== 1) {
      throw new Trap(`thread.new-indirect: the function in table slot ${i} does not have the thread start function type (func (param ${param ?? 'i32'}))`);
    }
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
