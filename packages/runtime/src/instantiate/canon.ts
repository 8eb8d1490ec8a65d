/**
 * `canon` definitions (`CanonicalABI.md#canonical-definitions`): `lift`
 * (a core function becomes a JS-callable component function, each call a
 * {@link Task}), `lower` (a component function becomes a core import),
 * the resource built-ins, `context.get/set`, `backpressure.inc/dec`, and
 * trapping stand-ins for the async built-ins.
 *
 * @module
 */
import type { CanonicalFunction, CanonOpt } from '@wasm-components/binary';
import { CallBorrowScope, type CanonicalOptions, canonResourceDrop, canonResourceNew, canonResourceRep, type CompiledFunction, compileFunction, type FuncType, isHostValueError, LiftLowerContext, type Realloc, type ResourceDropHooks, type ResourceType, Trap } from '@wasm-components/canonical-abi';
import { isScalarFunction, scalarLifter, type ScalarLowerer, scalarLowerers } from './fast.js';
import { lentMark, releaseLentSince, toAbiMapper, toUserMapper } from './resources.js';
import { asTrap, callMightBeRecursive, CANNOT_ENTER, currentFrame, currentTaskOf, enterScalarTask, enterTask, exitScalarTask, type Frame, runAsTask, RuntimeInstance, setCurrentFrame } from './task.js';
import { at, FUNC_TYPE, type FuncItem, funcTypeAt, LIFTED, resourceAt, Scope } from './model.js';
import { asyncHooks } from '@wasm-components/async';
import { asyncBuiltin, liftAsync, lowerAsync } from './async.js';
import { lowerSwitching, switchesThreads, switchingCallee } from './threads.js';

// ---------------------------------------------------------------------------
// canon lift / lower
// ---------------------------------------------------------------------------

interface ResolvedOptions {
  readonly opts: CanonicalOptions;
  readonly async: boolean;
}

function canonOptions(scope: Scope, options: readonly CanonOpt[]): ResolvedOptions {
  const opts: CanonicalOptions = { stringEncoding: 'utf8' };
  let isAsync = false;
  for (const o of options) {
    switch (o.kind) {
      case 'string-encoding':
        opts.stringEncoding = o.encoding;
        break;
      case 'memory':
        opts.memory = at(scope.coreMemories, o.index, 'core memory') as WebAssembly.Memory;
        break;
      case 'realloc':
        opts.realloc = at(scope.coreFuncs, o.index, 'core func') as Realloc;
        break;
      case 'post-return':
        opts.postReturn = at(scope.coreFuncs, o.index, 'core func') as (...flat: unknown[]) => void;
        break;
      case 'async':
        isAsync = true;
        break;
      case 'callback':
        opts.callback = at(scope.coreFuncs, o.index, 'core func');
        break;
      default:
        break;
    }
  }
  return { opts, async: isAsync };
}

function flatResultsOf(raw: unknown, count: number): unknown[] {
  if (count === 0) return [];
  if (count === 1) return [raw];
  return Array.from(raw as ArrayLike<unknown>);
}

function paramMappers(ft: FuncType, toUser: boolean): ((args: unknown[]) => unknown[]) | undefined {
  const ms = ft.params.map((p) => (toUser ? toUserMapper(p.type) : toAbiMapper(p.type)));
  if (ms.every((m) => m === undefined)) return undefined;
  return (args) => args.map((a, i) => {
    const m = ms[i];
    return m === undefined ? a : m(a);
  });
}

/**
 * `canon lift`: a JS function that calls core function `core` of `inst` as a
 * component function of type `ft` (`CanonicalABI.md#canon-lift`, sync).
 * Each call is a {@link Task}: reentrance and poisoning are checked on entry,
 * borrows must be gone on exit, `post-return` runs with `may_leave` cleared,
 * and any trap poisons the instance.
 */
function liftCore(ft: FuncType, ro: ResolvedOptions, inst: RuntimeInstance, core: (...flat: unknown[]) => unknown): FuncItem {
  // Async functions and async lifts run as async tasks (async.ts); sync ones stay on the synchronous paths below.
  if (ro.async || ft.async || switchesThreads(inst)) return liftAsync(ft, ro.opts, ro.async, inst, core);
  const opts = ro.opts;
  if (opts.postReturn === undefined && isScalarFunction(ft)) return liftScalar(ft, inst, core);
  // Compiled on the first call: a component may export many functions that a
  // given host never calls, and code generation is most of instantiation's JS work.
  let compiled: CompiledFunction | undefined;
  const argsToAbi = paramMappers(ft, false);
  const resultToUser = ft.result === undefined ? undefined : toUserMapper(ft.result);
  const postReturn = opts.postReturn;
  const n = ft.params.length;
  const fn = (...args: unknown[]): unknown => {
    // Checked before the task starts (as the scalar path does): a wrong call by the host is no trap of the instance.
    if (args.length !== n) throw new TypeError(`expected ${n} parameters, got ${args.length}`);
    const task = enterTask(inst);
    const caller = task.supertask;
    const mark = lentMark();
    try {
      const cf = (compiled ??= compileFunction(ft));
      const cx = new LiftLowerContext(opts, inst, task.borrowScope, asyncHooks);
      // Results going back to a calling component keep every map pair (see lowerFunc).
      if (caller !== undefined && caller.inst !== undefined) cx.mapsAsPairs = true;
      const flatArgs = cf.lowerParams(cx, argsToAbi === undefined ? args : argsToAbi(args));
      const flatResults = flatResultsOf(core(...flatArgs), cf.liftSignature.results.length);
      const result = cf.liftResults(cx, flatResults);
      task.borrowScope.exit();
      if (postReturn !== undefined) {
        inst.mayLeave = false;
        try {
          postReturn(...flatResults);
        } finally {
          inst.mayLeave = true;
        }
      }
      return resultToUser === undefined ? result : resultToUser(result);
    } catch (e) {
      // A host passing a badly shaped value is the host's bug, not the
      // component's: it does not poison the instance.
      if (isHostValueError(e)) throw e;
      const err = asTrap(e);
      if (inst.poisoned === undefined) inst.poisoned = err;
      throw err;
    } finally {
      setCurrentFrame(caller);
      releaseLentSince(mark);
    }
  };
  Object.defineProperty(fn, FUNC_TYPE, { value: ft });
  Object.defineProperty(fn, LIFTED, { value: inst });
  return { fn, type: ft };
}

/** {@link liftCore} for all-scalar signatures without `post-return` (see `fast.ts`): the same checks, no allocation beyond the task. */
function liftScalar(ft: FuncType, inst: RuntimeInstance, core: (...flat: unknown[]) => unknown): FuncItem {
  const lowerers = scalarLowerers(ft, inst);
  const n = lowerers.length;
  const lift = scalarLifter(ft.result);
  const l0 = lowerers[0] as ScalarLowerer;
  const l1 = lowerers[1] as ScalarLowerer;
  const fail = (e: unknown): never => {
    // A badly typed host argument is the host's bug: it does not poison the instance.
    if (isHostValueError(e)) throw e;
    const err = asTrap(e);
    if (inst.poisoned === undefined) inst.poisoned = err;
    throw err;
  };
  const arity = (got: number): never => {
    throw new TypeError(`expected ${n} parameters, got ${got}`);
  };
  // Fixed-arity functions for the common small arities: no rest array, and the
  // lowerers and core function called directly, so V8 can inline the whole call.
  let fn: (...args: unknown[]) => unknown;
  if (n === 0) {
    fn = function (this: unknown): unknown {
      if (arguments.length !== 0) arity(arguments.length);
      const task = enterScalarTask(inst);
      try {
        return lift(core());
      } catch (e) {
        return fail(e);
      } finally {
        exitScalarTask(task);
      }
    };
  } else if (n === 1) {
    fn = function (this: unknown, a: unknown): unknown {
      if (arguments.length !== 1) arity(arguments.length);
      const task = enterScalarTask(inst);
      try {
        return lift(core(l0(a)));
      } catch (e) {
        return fail(e);
      } finally {
        exitScalarTask(task);
      }
    } as (...args: unknown[]) => unknown;
  } else if (n === 2) {
    fn = function (this: unknown, a: unknown, b: unknown): unknown {
      if (arguments.length !== 2) arity(arguments.length);
      const task = enterScalarTask(inst);
      try {
        return lift(core(l0(a), l1(b)));
      } catch (e) {
        return fail(e);
      } finally {
        exitScalarTask(task);
      }
    } as (...args: unknown[]) => unknown;
  } else {
    fn = (...args: unknown[]): unknown => {
      if (args.length !== n) arity(args.length);
      const task = enterScalarTask(inst);
      try {
        return lift(core(...lowerers.map((l, i) => l(args[i]))));
      } catch (e) {
        return fail(e);
      } finally {
        exitScalarTask(task);
      }
    };
  }
  Object.defineProperty(fn, FUNC_TYPE, { value: ft });
  Object.defineProperty(fn, LIFTED, { value: inst });
  return { fn, type: ft };
}

/**
 * `canon lower`: a core function (for a core module to import) that calls
 * component function `callee` (`CanonicalABI.md#canon-lower`, sync): traps
 * unless the instance may leave, lifts the core arguments (lending borrows
 * for the call), calls, lowers the result, gives the lends back.
 */
function lowerFunc(callee: FuncItem, ro: ResolvedOptions, inst: RuntimeInstance): (...flat: unknown[]) => unknown {
  const ft = callee.type;
  if (ro.async || ft.async) return lowerAsync(callee, ro.opts, ro.async, inst) as (...flat: unknown[]) => unknown;
  if (switchingCallee(callee, inst)) {
    inst.mayBlockOnStack = true; // a blocking import (threads.ts)
    return lowerSwitching(callee, ro.opts, inst);
  }
  const opts = ro.opts;
  let compiled: CompiledFunction | undefined; // on first call, as in liftCore
  const argsToUser = paramMappers(ft, true);
  const resultToAbi = ft.result === undefined ? undefined : toAbiMapper(ft.result);
  const target = callee.fn;
  const direct = LIFTED in target;
  return (...flat: unknown[]): unknown => {
    if (!inst.mayLeave) throw new Trap('cannot leave component instance');
    const cf = (compiled ??= compileFunction(ft));
    const scope = new CallBorrowScope();
    const cx = new LiftLowerContext(opts, inst, scope, asyncHooks);
    // Arguments for another component's lifted function stay canonical-abi
    // values end to end: maps as [key, value] pair arrays, so duplicate keys
    // survive as the spec requires; a host function gets a JS `Map`.
    if (direct) cx.mapsAsPairs = true;
    const saved = currentFrame();
    const mark = lentMark();
    try {
      const lifted = cf.liftParams(cx, flat);
      const args = argsToUser === undefined ? lifted : argsToUser(lifted);
      // A call to another instance's lifted function is a component-to-component
      // call (caller = this instance); anything else is a call into the host.
      const self: Frame = { inst, supertask: saved };
      setCurrentFrame(direct ? self : { inst: undefined, supertask: self });
      let result: unknown;
      try {
        result = target(...args);
      } finally {
        releaseLentSince(mark);
      }
      setCurrentFrame(saved);
      if (resultToAbi !== undefined) result = resultToAbi(result);
      const flatResults = cf.lowerResults(cx, result, flat);
      return flatResults.length === 0 ? undefined : flatResults[0];
    } finally {
      setCurrentFrame(saved);
      if (!scope.lendersReleased) scope.releaseLenders();
    }
  };
}

/**
 * Dropping the last `own` handle of a resource another instance (or the
 * host) defines (`canon resource.drop`): a host resource's destructor is a
 * plain host call; a component's destructor runs as a task of the defining
 * instance, called from the dropping one (so the reentrance rule applies);
 * with no destructor the spec still checks `call_might_be_recursive`.
 */
function foreignDestructor(rt: ResourceType, rep: number, caller: RuntimeInstance): void {
  const owner = rt.instance as RuntimeInstance | undefined;
  const dtor = rt.dtor;
  if (owner === undefined) {
    if (dtor !== undefined) void dtor(rep);
    return;
  }
  if (dtor === undefined) {
    if (callMightBeRecursive({ inst: caller, supertask: currentFrame() }, owner)) {
      throw new Trap(`${CANNOT_ENTER}: ${owner.name} is on the call stack (resource drop)`);
    }
    return;
  }
  runAsTask(owner, caller, () => void dtor(rep));
}

/**
 * A built-in this runtime does not implement yet. It keeps the spec's first
 * check of these built-ins (`trap_if(not inst.may_leave)`), so calling one
 * during lowering or `post-return` traps as the spec says, and otherwise
 * traps saying it is unsupported.
 */
function notSupported(kind: string, inst: RuntimeInstance): (...args: unknown[]) => never {
  return () => {
    if (!inst.mayLeave) throw new Trap('cannot leave component instance');
    throw new Trap(`canon ${kind} is not supported by this runtime yet`);
  };
}

/** Evaluates one `canon` definition in `scope`, appending to the func or core func index space. */
export function canon(scope: Scope, c: CanonicalFunction): void {
  const inst = scope.inst as RuntimeInstance;
  switch (c.kind) {
    case 'lift': {
      const core = at(scope.coreFuncs, c.func, 'core func') as (...flat: unknown[]) => unknown;
      const ft = funcTypeAt(scope, c.type);
      scope.funcs.push(liftCore(ft, canonOptions(scope, c.options), inst, core));
      return;
    }
    case 'lower': {
      const f = at(scope.funcs, c.func, 'func');
      scope.coreFuncs.push(lowerFunc(f, canonOptions(scope, c.options), inst));
      return;
    }
    case 'resource.new': {
      const rt: ResourceType = resourceAt(scope, c.type).rt;
      scope.coreFuncs.push((rep: number) => canonResourceNew(inst, rt, rep));
      return;
    }
    case 'resource.drop': {
      const rt: ResourceType = resourceAt(scope, c.type).rt;
      const hooks: ResourceDropHooks = { callDestructor: (r, rep) => foreignDestructor(r, rep, inst) };
      scope.coreFuncs.push((i: number) => {
        void canonResourceDrop(inst, rt, i, hooks);
      });
      return;
    }
    case 'resource.rep': {
      const rt: ResourceType = resourceAt(scope, c.type).rt;
      scope.coreFuncs.push((i: number) => canonResourceRep(inst, rt, i));
      return;
    }
    case 'context.get': {
      const i = c.index;
      const wide = c.type === 'i64';
      scope.coreFuncs.push(() => {
        const task = currentTaskOf(inst);
        // An async task's storage belongs to its thread (`thread.storage`).
        const storage = task?.thread?.storage ?? task?.context;
        if (storage === undefined || i >= storage.length) throw new Trap('context.get outside of a task');
        const v = storage[i] ?? 0;
        return wide ? BigInt(v) : Number(BigInt.asUintN(32, BigInt(v))) | 0;
      });
      return;
    }
    case 'context.set': {
      const i = c.index;
      scope.coreFuncs.push((v: number | bigint) => {
        const task = currentTaskOf(inst);
        const storage = task?.thread?.storage ?? task?.context;
        if (storage === undefined || i >= storage.length) throw new Trap('context.set outside of a task');
        storage[i] = v;
      });
      return;
    }
    default: {
      // Async, stream/future/error-context and thread built-ins (async.ts, threads.ts) cover every
      // kind of spec 6d28164; a kind a newer decoder adds would still be defined (index spaces stay
      // right) and trap when called.
      const f = asyncBuiltin(scope, c, inst, (o) => canonOptions(scope, 'options' in o ? o.options : []).opts);
      scope.coreFuncs.push(f ?? notSupported(c.kind, inst));
      return;
    }
  }
}

