/**
 * The runtime side of Component Model async (`@wasm-components/async`):
 * `canon lift` of async functions and async lifts, `canon lower` of async
 * functions and async lowers, and the async built-ins, wired to this
 * runtime's instances, call-stack frames and value mapping.
 *
 * Sync functions never come here: their lift and lower stay on the
 * synchronous paths of canon.ts (no Promise, no scheduler).
 *
 * Host view: an async export is a function returning a Promise; a host
 * import of an async function may be a plain `async` function (its Promise
 * is awaited by the scheduler while the calling component waits).
 *
 * @module
 */
import type { CanonicalFunction } from '@wasm-components/binary';
import {
  backpressureDec,
  blockingImport,
  type CoreSig,
  backpressureInc,
  type Call,
  type Caller,
  canonLower,
  DEADLOCK,
  hasJspi,
  type LiftSpec,
  type OnResolve,
  liftEntries,
  startTask,
  asyncHooks,
  type BlockedCopy,
  streamFutureBuiltin,
  STREAM_BUILTIN_KINDS,
  subtaskCancel,
  suspend,
  type Thread,
  subtaskDrop,
  suspending,
  taskCancel,
  taskReturnCheck,
  type Task as AsyncTask,
  type TaskRoot,
  threadIndex,
  threadYield,
  typesEqual,
  waitableJoin,
  waitableSetDrop,
  waitableSetNew,
  waitableSetPoll,
  waitableSetWait,
} from '@wasm-components/async';
import {
  CallBorrowScope,
  type CanonicalOptions,
  type CompiledFunction,
  compileFunction,
  FlatIterator,
  flattenType,
  type FuncType,
  isHostValueError,
  liftFlatValues,
  LiftLowerContext,
  MAX_FLAT_PARAMS,
  Trap,
  type FutureType,
  type StreamType,
  type ValType,
} from '@wasm-components/canonical-abi';
import { at, FUNC_TYPE, type FuncItem, LIFTED, type Scope, valType } from './model.js';
import { toAbiMapper, toUserMapper } from './resources.js';
import { threadBuiltin } from './threads.js';
import { asTrap, callMightBeRecursive, CANNOT_ENTER, currentFrame, currentTaskOf, type Frame, type LiftInfo, type RuntimeInstance, setCurrentFrame, Task } from './task.js';

/** Starts a call of an async-capable lifted function from `caller` (the spec's `FuncInst`). */
export type AsyncStart = (caller: Frame | undefined, onStart: () => readonly unknown[], onResolve: OnResolve, root: TaskRoot | null) => Call;

/** Marks lifted functions that start through the async protocol (async lifts, async function types). */
export const ASYNC_START: unique symbol = Symbol('async start');

/** Gives `to` (the frame of a thread made by `thread.new-indirect`, threads.ts) the lift of `from`'s task, for `task.return` from that thread. */
export function shareLiftInfo(from: Task, to: Task): void {
  if (from.lift !== undefined) to.lift = from.lift;
}

function flatResultsOf(raw: unknown, count: number): unknown[] {
  if (count === 0) return [];
  if (count === 1) return [raw];
  return Array.from(raw as ArrayLike<unknown>);
}

function mapper(ts: readonly ValType[], toUser: boolean): ((args: readonly unknown[]) => unknown[]) | undefined {
  const ms = ts.map((t) => (toUser ? toUserMapper(t) : toAbiMapper(t)));
  if (ms.every((m) => m === undefined)) return undefined;
  return (args) => args.map((a, i) => {
    const m = ms[i];
    return m === undefined ? a : m(a);
  });
}

function poison(inst: RuntimeInstance, e: unknown): unknown {
  if (isHostValueError(e)) return e;
  const err = asTrap(e);
  if (inst.poisoned === undefined) inst.poisoned = err;
  return err;
}

/** The caller of a built-in of `inst`: its innermost task's thread, if that task is async-capable. */
export function callerOf(inst: RuntimeInstance): Caller {
  const t = currentTaskOf(inst);
  return { inst, thread: t?.thread ?? null };
}

/**
 * `canon lift` of an async function or with the `async` option
 * (`CanonicalABI.md#canon-lift`). The host gets a function returning a
 * Promise; other components start it through {@link ASYNC_START}.
 */
export function liftAsync(ft: FuncType, opts: CanonicalOptions, isAsync: boolean, inst: RuntimeInstance, core: (...flat: unknown[]) => unknown): FuncItem {
  const callback = opts.callback as ((code: number, p1: number, p2: number) => unknown) | undefined;
  let cf: CompiledFunction | undefined;
  const argsToAbi = mapper(ft.params.map((p) => p.type), false);
  const resultToUser = ft.result === undefined ? undefined : toUserMapper(ft.result);
  const postReturn = opts.postReturn;
  // One object per lift: `task.return` caches its signature check against it.
  const info: LiftInfo = { ft, opts };
  // Made once, on the first call (the entries depend on built-ins made after the lift); per-call state is the frame.
  let spec: LiftSpec | undefined;
  const makeSpec = (): LiftSpec => {
    // Core code that cannot reach a blocking import never suspends: it is called directly (no JSPI stack per call).
    const entries = inst.mayBlockOnStack
      ? liftEntries(core, compileFunction(ft, isAsync ? { async: true, callback: callback !== undefined } : {}).liftSignature, callback)
      : NO_ENTRIES;
    // Only borrows need the task's borrow scope (made on first use): a call without them makes none.
    const borrows = ft.params.some((p) => hasBorrows(p.type)) || (ft.result !== undefined && hasBorrows(ft.result));
    // Without borrows a context holds no per-call state (lifting and lowering run synchronously, and
    // `realloc` may not call out), so the two kinds are made once and shared by the calls.
    let fromHost: LiftLowerContext | undefined;
    let fromComponent: LiftLowerContext | undefined;
    const context = (rt: Task): LiftLowerContext => {
      // A call from another component keeps every map entry (the spec's maps are lists of pairs).
      const pairs = rt.supertask !== undefined && rt.supertask.inst !== undefined;
      if (!borrows) {
        if (!pairs) return (fromHost ??= new LiftLowerContext(opts, inst, undefined, asyncHooks));
        if (fromComponent === undefined) {
          fromComponent = new LiftLowerContext(opts, inst, undefined, asyncHooks);
          fromComponent.mapsAsPairs = true;
        }
        return fromComponent;
      }
      const cx = new LiftLowerContext(opts, inst, rt.borrowScope, asyncHooks);
      if (pairs) cx.mapsAsPairs = true;
      return cx;
    };
    return {
      inst,
      opts: { async: isAsync, callback: callback !== undefined },
      ftAsync: ft.async,
      core,
      coreEntry: entries.coreEntry,
      callback,
      callbackEntry: entries.callbackEntry,
      makeFrame(task, thread, caller) {
        const t = new Task(inst, caller as Frame | undefined);
        t.thread = thread;
        t.lift = info;
        if (borrows) task.borrows = t.borrowScope;
        return t;
      },
      lowerArgs(_task, args, frame) {
        const c = (cf ??= compileFunction(ft));
        return c.lowerParams(context(frame as Task), argsToAbi === undefined ? args : argsToAbi(args));
      },
      liftResults(_task, raw, frame) {
        const c = (cf ??= compileFunction(ft));
        const v = c.liftResults(context(frame as Task), flatResultsOf(raw, c.liftSignature.results.length));
        return resultToUser === undefined ? v : resultToUser(v);
      },
      postReturn(raw) {
        if (postReturn === undefined) return;
        const c = (cf ??= compileFunction(ft));
        inst.mayLeave = false;
        try {
          postReturn(...flatResultsOf(raw, c.liftSignature.results.length));
        } finally {
          inst.mayLeave = true;
        }
      },
      onError: (e) => poison(inst, e),
    };
  };
  const start: AsyncStart = (caller, onStart, onResolve, root) => {
    if (inst.poisoned !== undefined) throw new Trap(`${CANNOT_ENTER}: ${inst.name} trapped earlier and may not be entered again`);
    if (callMightBeRecursive(caller, inst)) throw new Trap(`${CANNOT_ENTER}: ${inst.name} is already on the call stack (recursive reentrance)`);
    return startTask((spec ??= makeSpec()), onStart, onResolve, root, caller);
  };
  const n = ft.params.length;
  // Checked before the task starts (as the host's view does, async-host.ts): a wrong call is no trap of the instance.
  const fn = (...args: unknown[]): Promise<unknown> =>
    args.length === n ? hostCall(inst, start, args) : Promise.reject(new TypeError(`expected ${n} parameters, got ${args.length}`));
  Object.defineProperty(fn, FUNC_TYPE, { value: ft });
  Object.defineProperty(fn, LIFTED, { value: inst });
  Object.defineProperty(fn, ASYNC_START, { value: start });
  return { fn, type: ft };
}

/** The trap when a caller's call was cancelled and resolved without a value. */
export const CALL_CANCELLED = 'the call was cancelled before it returned a value' as const;

/** A call from the host: a Promise settled by `task.return`, a trap, or deadlock. */
function hostCall(inst: RuntimeInstance, start: AsyncStart, args: readonly unknown[]): Promise<unknown> {
  const store = inst.store;
  return new Promise<unknown>((resolve, reject) => {
    let settled = false;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      store.removeHostCall(onDeadlock);
      return true;
    };
    const onDeadlock = (reason?: unknown): void => {
      if (settle()) reject(reason ?? new Trap(DEADLOCK));
    };
    const root: TaskRoot = {
      fail(e) {
        if (settle()) reject(e);
      },
    };
    store.addHostCall(onDeadlock);
    try {
      start(currentFrame(), () => args, (r) => {
        if (!settle()) return;
        if (r === null) reject(new Trap(CALL_CANCELLED));
        else resolve(r.value);
      }, root);
    } catch (e) {
      root.fail(e);
    }
    store.schedule();
  });
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * `canon lower` of an async function or with the `async` option
 * (`CanonicalABI.md#canon-lower`). A sync lower that must wait suspends the
 * calling thread (the import is a JSPI `Suspending` function then).
 */
export function lowerAsync(callee: FuncItem, opts: CanonicalOptions, isAsync: boolean, inst: RuntimeInstance): unknown {
  const ft = callee.type;
  let cf: CompiledFunction | undefined;
  const argsToUser = mapper(ft.params.map((p) => p.type), true);
  const resultToAbi = ft.result === undefined ? undefined : toAbiMapper(ft.result);
  const target = callee.fn;
  const start = (target as unknown as Record<symbol, AsyncStart | undefined>)[ASYNC_START];
  const direct = LIFTED in target;
  const f = (...flat: unknown[]): unknown => {
    const caller = callerOf(inst);
    const c = (cf ??= compileFunction(ft, { async: isAsync }));
    const scope = new CallBorrowScope();
    const cx = new LiftLowerContext(opts, inst, scope, asyncHooks);
    if (direct) cx.mapsAsPairs = true;
    const self: Frame = { inst, supertask: currentFrame() };
    const root = (caller.thread?.task as AsyncTask | undefined)?.root ?? null;
    const r = canonLower({
      caller,
      async: isAsync,
      ftAsync: ft.async,
      start: (onStart, onResolve) => {
        if (start !== undefined) return start(self, onStart, onResolve, root);
        return callPlain(inst, target, direct, self, onStart, onResolve, root);
      },
      liftArgs() {
        const l = c.liftParams(cx, flat);
        return argsToUser === undefined ? l : argsToUser(l);
      },
      lowerResult: (v) => c.lowerResults(cx, resultToAbi === undefined ? v : resultToAbi(v), flat),
      release() {
        if (!scope.lendersReleased) scope.releaseLenders();
      },
    });
    if (typeof r === 'number') return r;
    if (r instanceof Promise) return r.then((x) => (typeof x === 'number' ? x : x[0]));
    return r[0];
  };
  // An async lower of a host function never waits (the callee runs at once and a pending Promise is
  // reported as STARTED), so it is a plain import: the instance's lifts need no JSPI stack for it.
  if (isAsync && start === undefined && !direct) return f;
  return (isAsync || ft.async) && hasJspi() ? blocking(inst, f, compileFunction(ft, { async: isAsync }).lowerSignature) : f;
}

/**
 * After a host function called through an async-capable lower failed (its
 * error rejected the call at `root`): the tasks of that call waiting on it,
 * directly or through their callees, that hold their instance (a sync-ABI
 * lift's exclusive access, or a non-`async`-typed call in progress) could
 * never continue and would keep every later call out. They leave their
 * instances ({@link AsyncTask.abandon}); their parked stacks are never
 * resumed and go with them. Tasks that hold nothing (callback and stackful
 * async lifts) keep waiting, as for any call the host gave up on.
 */
function releaseBlockedCallers(from: Frame | undefined, root: TaskRoot): void {
  for (let f = from; f !== undefined; f = f.supertask) {
    if (!(f instanceof Task) || f.thread === undefined) continue;
    const t = f.thread;
    const task = t.task as AsyncTask;
    if (task.root !== root || !t.waiting() || (task.ftAsync && task.inst.exclusive !== task)) continue;
    task.store.removeWaiting(t);
    task.abandon(t);
  }
}

/** Calls a sync component function or a host function (maybe returning a Promise) for an async-capable lower. */
function callPlain(
  inst: RuntimeInstance,
  target: (...args: unknown[]) => unknown,
  direct: boolean,
  self: Frame,
  onStart: () => readonly unknown[],
  onResolve: OnResolve,
  root: TaskRoot | null,
): Call {
  const saved = currentFrame();
  setCurrentFrame(direct ? self : { inst: undefined, supertask: self });
  let v: unknown;
  try {
    const args = onStart();
    try {
      v = target(...args);
    } catch (e) {
      // A host function that throws instead of returning a rejected Promise fails the same way: the host's
      // error rejects the call at the root and does not unwind (and so poison) the calling component.
      if (direct || root === null) throw e;
      v = Promise.reject(e);
    }
  } finally {
    setCurrentFrame(saved);
  }
  if (!isThenable(v)) {
    onResolve({ value: v });
    return { requestCancellation() {} };
  }
  const store = inst.store;
  let done = false;
  store.pendingHost++;
  v.then(
    (value) => {
      store.pendingHost--;
      if (!done) {
        done = true;
        onResolve({ value });
      }
      store.schedule();
    },
    (e: unknown) => {
      store.pendingHost--;
      if (!done) {
        done = true;
        if (root !== null) {
          root.fail(e);
          releaseBlockedCallers(self.supertask, root);
        }
      }
      store.schedule();
    },
  );
  return {
    requestCancellation() {
      // A host function cannot be interrupted: the caller sees it cancelled at once and its late result is dropped.
      if (!done) {
        done = true;
        onResolve(null);
      }
    },
  };
}


/**
 * The async built-ins of `canon` (tasks, waitables, subtasks, threads);
 * undefined for kinds this module does not implement (streams, futures and
 * error contexts are wired in canon.ts).
 */
export function asyncBuiltin(scope: Scope, c: CanonicalFunction, inst: RuntimeInstance, optionsOf: (o: CanonicalFunction) => CanonicalOptions): unknown {
  if (c.kind.startsWith('thread.')) {
    inst.mayBlockOnStack = true; // threads.ts imports its switching built-ins through blockingImport
    return threadBuiltin(scope, c, inst);
  }
  switch (c.kind) {
    case 'task.return': {
      const types: ValType[] = c.result === undefined ? [] : [valType(scope, c.result)];
      const toUser = types.length === 0 ? undefined : toUserMapper(types[0] as ValType);
      const opts = optionsOf(c);
      const matches = (sig: LiftInfo): boolean => {
        const want = sig.ft.result;
        const got = types[0];
        if ((want === undefined) !== (got === undefined)) return false;
        if (want !== undefined && got !== undefined && !typesEqual(want, got)) return false;
        // `LiftOptions.equal`, on the options the result's lifting uses (the suite's
        // cross-abi-calls.wast returns no value through `task.return` without memory from a lift with memory).
        if (got !== undefined && readsMemory(got) && sig.opts.memory !== opts.memory) return false;
        return got === undefined || !hasStrings(got) || (sig.opts.stringEncoding ?? 'utf8') === (opts.stringEncoding ?? 'utf8');
      };
      // The check depends only on the lift (one object per lift), so its last answer is kept.
      let lastLift: LiftInfo | undefined;
      let lastMatch = false;
      // The lift of the task calling now (read by `sameSignature`, made once rather than per call).
      let sig: LiftInfo | undefined;
      const sameSignature = (): boolean => {
        if (sig === undefined) return false;
        if (sig !== lastLift) {
          lastMatch = matches(sig);
          lastLift = sig;
        }
        return lastMatch;
      };
      // Only a borrow needs the task's borrow scope (results hold none: validation).
      const borrows = types.some(hasBorrows);
      // Without borrows the lifting context holds no per-call state: one is made and shared.
      let shared: LiftLowerContext | undefined;
      return (...flat: unknown[]) => {
        const caller = callerOf(inst);
        const rt = currentTaskOf(inst);
        sig = rt?.lift;
        const task = taskReturnCheck(caller, sameSignature);
        const cx = borrows ? new LiftLowerContext(opts, inst, rt?.borrowScope, asyncHooks) : (shared ??= new LiftLowerContext(opts, inst, undefined, asyncHooks));
        const vs = liftFlatValues(cx, MAX_FLAT_PARAMS, new FlatIterator(flat), types);
        const v = vs[0];
        task.return(toUser === undefined || v === undefined ? v : toUser(v));
      };
    }
    case 'task.cancel':
      return () => taskCancel(callerOf(inst));
    case 'backpressure.inc':
      return () => backpressureInc(callerOf(inst));
    case 'backpressure.dec':
      return () => backpressureDec(callerOf(inst));
    case 'waitable-set.new':
      return () => waitableSetNew(callerOf(inst));
    case 'waitable-set.drop':
      return (i: number) => waitableSetDrop(callerOf(inst), i >>> 0);
    case 'waitable.join':
      return (w: number, s: number) => waitableJoin(callerOf(inst), w >>> 0, s >>> 0);
    case 'waitable-set.wait': {
      const memory = at(scope.coreMemories, c.memory, 'core memory') as WebAssembly.Memory;
      const f = (si: number, ptr: number): unknown => waitableSetWait(callerOf(inst), c.cancellable, memory, si >>> 0, ptr);
      return blocking(inst, f, { params: ['i32', 'i32'], results: ['i32'] });
    }
    case 'waitable-set.poll': {
      const memory = at(scope.coreMemories, c.memory, 'core memory') as WebAssembly.Memory;
      return (si: number, ptr: number) => waitableSetPoll(callerOf(inst), c.cancellable, memory, si >>> 0, ptr);
    }
    case 'subtask.drop':
      return (i: number) => subtaskDrop(callerOf(inst), i >>> 0);
    case 'subtask.cancel': {
      const f = (i: number): unknown => subtaskCancel(callerOf(inst), c.async, i >>> 0);
      // Async too: the caller may wait for a callee that the request woke (subtask.ts).
      return blocking(inst, f, { params: ['i32'], results: ['i32'] });
    }
    case 'thread.yield': {
      const f = (): unknown => threadYield(callerOf(inst), c.cancellable);
      return blocking(inst, f, { params: [], results: ['i32'] });
    }
    case 'thread.index':
      return () => threadIndex(callerOf(inst));
    default: {
      if (!STREAM_BUILTIN_KINDS.has(c.kind)) return undefined;
      const type = 'type' in c && typeof c.type === 'number' ? streamType(scope, c.type) : undefined;
      const opts = 'options' in c ? { ...optionsOf(c), ...(c.options.some((o) => o.kind === 'async') ? { async: true } : {}) } : undefined;
      const b = streamFutureBuiltin(
        c.kind,
        { ...(type === undefined ? {} : { type }), ...(opts === undefined ? {} : { opts }), ...('async' in c ? { async: c.async } : {}) },
        {
          inst,
          thread: () => callerOf(inst).thread,
          block: (blocked: BlockedCopy, thread) => {
            const r = suspend(thread as Thread, () => blocked.ready(), false);
            return r instanceof Promise ? r.then(() => blocked.finish()) : blocked.finish();
          },
          hooks: asyncHooks,
        },
      );
      if (b === undefined) return undefined;
      if (!b.mayBlock || !hasJspi()) return b.fn;
      const sig = BLOCKING_STREAM_SIGS[c.kind];
      inst.mayBlockOnStack = true;
      return sig === undefined ? suspending(b.fn) : blockingImport(b.fn, sig);
    }
  }
}

/** The parts of `t`, for the searches below. */
function children(t: ValType): readonly ValType[] {
  switch (t.kind) {
    case 'list':
      return [t.elem];
    case 'map':
      return [t.key, t.value];
    case 'record':
      return t.fields.map((f) => f.type);
    case 'tuple':
      return t.types;
    case 'variant':
      return t.cases.flatMap((c) => (c.type === undefined ? [] : [c.type]));
    case 'option':
      return [t.type];
    case 'result':
      return [...(t.ok === undefined ? [] : [t.ok]), ...(t.err === undefined ? [] : [t.err])];
    default:
      return [];
  }
}

function hasBorrows(t: ValType): boolean {
  return t.kind === 'borrow' || children(t).some(hasBorrows);
}

function hasStrings(t: ValType): boolean {
  return t.kind === 'string' || children(t).some(hasStrings);
}

function hasLists(t: ValType): boolean {
  return t.kind === 'string' || t.kind === 'list' || t.kind === 'map' || children(t).some(hasLists);
}

/** Whether lifting `t` as `task.return`'s flat parameters reads memory (`lift_flat_values` with `MAX_FLAT_PARAMS`). */
function readsMemory(t: ValType): boolean {
  return flattenType(t).length > MAX_FLAT_PARAMS || hasLists(t);
}

/** No stack entries: the lift's core code is called directly. */
const NO_ENTRIES: ReturnType<typeof liftEntries> = { coreEntry: undefined, callbackEntry: undefined };

/**
 * {@link blockingImport} for a built-in of `inst`: marks the instance's core
 * code as able to suspend, so its lifts run on JSPI stacks.
 */
function blocking(inst: RuntimeInstance, f: (...args: never[]) => unknown, sig: CoreSig): unknown {
  inst.mayBlockOnStack = true;
  return blockingImport(f, sig);
}

/** Core signatures of the stream and future built-ins that may block (a sync copy or cancel). */
const BLOCKING_STREAM_SIGS: Readonly<Record<string, CoreSig>> = {
  'stream.read': { params: ['i32', 'i32', 'i32'], results: ['i32'] },
  'stream.write': { params: ['i32', 'i32', 'i32'], results: ['i32'] },
  'future.read': { params: ['i32', 'i32'], results: ['i32'] },
  'future.write': { params: ['i32', 'i32'], results: ['i32'] },
  'stream.cancel-read': { params: ['i32'], results: ['i32'] },
  'stream.cancel-write': { params: ['i32'], results: ['i32'] },
  'future.cancel-read': { params: ['i32'], results: ['i32'] },
  'future.cancel-write': { params: ['i32'], results: ['i32'] },
};

function streamType(scope: Scope, i: number): StreamType | FutureType | undefined {
  const r = at(scope.types, i, 'type');
  if (r.kind !== 'val') return undefined;
  const t = r.type;
  return t.kind === 'stream' || t.kind === 'future' ? t : undefined;
}
