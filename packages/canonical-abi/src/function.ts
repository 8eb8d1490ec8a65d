/**
 * Lifting and lowering whole parameter and result lists of a function
 * (`lift_flat_values`/`lower_flat_values` in
 * `CanonicalABI.md#lifting-and-lowering-values`), compiled per function type,
 * and synchronous `canon lift`/`canon lower` wrappers for a JS host.
 *
 * When the flattened values would exceed the limit ({@link MAX_FLAT_PARAMS},
 * {@link MAX_FLAT_RESULTS}, {@link MAX_FLAT_ASYNC_PARAMS}) they travel
 * through memory as one tuple instead: allocated with `realloc` (or at a
 * pointer the caller passed), with the alignment and bounds checks the spec
 * makes (traps).
 *
 * @module
 */

import {
  type AsyncHooks,
  type CanonicalOptions,
  type ComponentInstanceState,
  LiftLowerContext,
} from './context.js';
import { trap } from './errors.js';
import {
  alignment,
  type CoreFuncType,
  elemSize,
  flattenFuncType,
  flattenTypes,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
} from './layout.js';
import { codegenEnabled } from './codegen.js';
import { isFlatCompound } from './codegen-flat.js';
import { FlatIterator, type FlatLifter, compileLiftFlat } from './lift.js';
import { compileLoad, type Loader } from './load.js';
import { compileLowerFlat, type FlatLowerer } from './lower.js';
import { CallBorrowScope, HandleTable, type HandleTableOptions } from './resources/index.js';
import { compileStore, type Storer } from './store.js';
import type { FuncType, TupleType, ValType } from './types.js';

/** Lifts a list of values from flat values (spilled or not). */
export type ValuesLifter = (cx: LiftLowerContext, it: FlatIterator) => unknown[];
/** Lowers a list of values to flat values (spilled or not); `outParam` gives the spill pointer. */
export type ValuesLowerer = (cx: LiftLowerContext, values: ArrayLike<unknown>, outParam?: FlatIterator) => unknown[];

interface CompiledValues {
  readonly types: readonly ValType[];
  readonly tuple: TupleType | undefined;
  readonly flatCount: number;
  readonly lifters: readonly FlatLifter[];
  readonly lowerers: readonly FlatLowerer[];
  readonly loadTuple: Loader | undefined;
  readonly storeTuple: Storer | undefined;
  readonly align: number;
  readonly size: number;
}

function compileValues(types: readonly ValType[]): CompiledValues {
  const tuple: TupleType | undefined = types.length === 0 ? undefined : { kind: 'tuple', types };
  return {
    types,
    tuple,
    flatCount: flattenTypes(types).length,
    lifters: types.map(compileLiftFlat),
    lowerers: types.map(compileLowerFlat),
    loadTuple: tuple === undefined ? undefined : compileLoad(tuple),
    storeTuple: tuple === undefined ? undefined : compileStore(tuple),
    align: tuple === undefined ? 1 : alignment(tuple),
    size: tuple === undefined ? 0 : elemSize(tuple),
  };
}

/** Traps unless a spill pointer is aligned and the whole tuple is in bounds. */
function checkSpill(cx: LiftLowerContext, ptr: number, align: number, size: number, what: string): void {
  if (ptr % align !== 0) trap(`unaligned pointer: ${what} pointer ${ptr} is not aligned to ${align}`);
  const len = cx.u8().length;
  if (ptr + size > len) trap(`${what} [${ptr}, ${ptr + size}) is out of bounds of memory (${len} bytes)`);
}

function valuesLifter(cv: CompiledValues, maxFlat: number, what: string): ValuesLifter {
  const { lifters, loadTuple, align, size } = cv;
  const n = lifters.length;
  if (cv.flatCount > maxFlat && loadTuple !== undefined) {
    return (cx, it) => {
      const ptr = (it.next() as number) >>> 0;
      checkSpill(cx, ptr, align, size, what);
      return loadTuple(cx, ptr) as unknown[];
    };
  }
  const tuple = cv.tuple;
  if (tuple !== undefined && isFlatCompound(tuple) && codegenEnabled()) {
    // One generated function for the whole list (a tuple lifts to an array).
    const liftAll = compileLiftFlat(tuple);
    return (cx, it) => liftAll(cx, it) as unknown[];
  }
  return (cx, it) => {
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = (lifters[i] as FlatLifter)(cx, it);
    return out;
  };
}

function valuesLowerer(cv: CompiledValues, maxFlat: number, what: string): ValuesLowerer {
  const { lowerers, storeTuple, align, size } = cv;
  const n = lowerers.length;
  const spill = cv.flatCount > maxFlat && storeTuple !== undefined;
  const tuple = cv.tuple;
  const lowerAll = tuple !== undefined && isFlatCompound(tuple) && codegenEnabled() ? compileLowerFlat(tuple) : undefined;
  return (cx, values, outParam) => {
    if (values.length !== n) {
      throw new TypeError(`expected ${n} ${what}, got ${values.length}`);
    }
    const inst = cx.inst;
    inst.mayLeave = false;
    try {
      if (spill) {
        let ptr: number;
        let flat: unknown[];
        if (outParam === undefined) {
          ptr = cx.realloc(0, 0, align, size, what);
          flat = [ptr];
        } else {
          ptr = (outParam.next() as number) >>> 0;
          checkSpill(cx, ptr, align, size, what);
          flat = [];
        }
        storeTuple(cx, Array.from(values), ptr);
        return flat;
      }
      const flat: unknown[] = [];
      if (lowerAll !== undefined) lowerAll(cx, Array.isArray(values) ? values : Array.from(values), flat);
      else for (let i = 0; i < n; i++) (lowerers[i] as FlatLowerer)(cx, values[i], flat);
      return flat;
    } finally {
      inst.mayLeave = true;
    }
  };
}

const valuesCache = new WeakMap<readonly ValType[], CompiledValues>();

function cachedValues(types: readonly ValType[]): CompiledValues {
  let cv = valuesCache.get(types);
  if (cv === undefined) {
    cv = compileValues(types);
    valuesCache.set(types, cv);
  }
  return cv;
}

/**
 * Lifts values of `types` from `it` (`lift_flat_values`): directly when they
 * flatten to at most `maxFlat` core values, otherwise from the tuple in
 * memory at the pointer `it` yields (alignment and bounds trap).
 * Compiled code is cached per `types` array object.
 */
export function liftFlatValues(
  cx: LiftLowerContext,
  maxFlat: number,
  it: FlatIterator,
  types: readonly ValType[],
): unknown[] {
  return valuesLifter(cachedValues(types), maxFlat, 'values')(cx, it);
}

/**
 * Lowers `values` of `types` to flat values (`lower_flat_values`): directly
 * when they flatten to at most `maxFlat` core values, otherwise into a tuple
 * in memory: allocated with `realloc` (the pointer is the one flat value
 * returned) or, when `outParam` is given, at the pointer it yields (nothing
 * returned). `inst.mayLeave` is cleared meanwhile, as the spec does.
 */
export function lowerFlatValues(
  cx: LiftLowerContext,
  maxFlat: number,
  values: ArrayLike<unknown>,
  types: readonly ValType[],
  outParam?: FlatIterator,
): unknown[] {
  return valuesLowerer(cachedValues(types), maxFlat, 'values')(cx, values, outParam);
}

/** Options of {@link compileFunction}: the canonical options that change the ABI shape. */
export interface CompileFunctionOptions {
  /** The `async` canonical option (of the lift or lower being compiled). */
  readonly async?: boolean;
  /** Whether an async lift has a `callback` option. */
  readonly callback?: unknown;
}

/**
 * The compiled Canonical ABI of one function type, for both directions:
 *
 * - `canon lift` (a host calls a component export): {@link lowerParams} the
 *   host arguments into the callee's memory, call the core function,
 *   {@link liftResults}, then `post-return`.
 * - `canon lower` (a component calls a host import): {@link liftParams} the
 *   core arguments, call the host, {@link lowerResults} into the caller.
 */
export interface CompiledFunction {
  /** The function type. */
  readonly type: FuncType;
  /** Core signature of `canon lift` with these options. */
  readonly liftSignature: CoreFuncType;
  /** Core signature of `canon lower` with these options. */
  readonly lowerSignature: CoreFuncType;
  /** Host arguments -> flat core arguments of the lifted core function (spilled past {@link MAX_FLAT_PARAMS}). */
  lowerParams(cx: LiftLowerContext, args: ArrayLike<unknown>): unknown[];
  /** Flat core results of the lifted core function -> the host result (`undefined` without result). */
  liftResults(cx: LiftLowerContext, flatResults: ArrayLike<unknown>): unknown;
  /**
   * Flat core arguments of a lowered import -> host arguments (through memory
   * past {@link MAX_FLAT_PARAMS}, or {@link MAX_FLAT_ASYNC_PARAMS} for an async lower).
   */
  liftParams(cx: LiftLowerContext, flatArgs: ArrayLike<unknown>): unknown[];
  /**
   * Host result -> flat core results of a lowered import. Past
   * {@link MAX_FLAT_RESULTS} (always, for an async lower) the result is
   * stored at the out pointer, the core argument after the flat params.
   */
  lowerResults(cx: LiftLowerContext, result: unknown, flatArgs: ArrayLike<unknown>): unknown[];
}

const fnCache = new WeakMap<FuncType, Map<string, CompiledFunction>>();

/**
 * Compiles the Canonical ABI of `ft` once (cached per function type object
 * and options).
 */
export function compileFunction(ft: FuncType, options: CompileFunctionOptions = {}): CompiledFunction {
  const isAsync = options.async === true;
  const hasCallback = options.callback !== undefined && options.callback !== null && options.callback !== false;
  const key = `${isAsync}:${hasCallback}`;
  let byOpts = fnCache.get(ft);
  if (byOpts === undefined) {
    byOpts = new Map();
    fnCache.set(ft, byOpts);
  }
  let cf = byOpts.get(key);
  if (cf === undefined) {
    cf = buildFunction(ft, isAsync, hasCallback);
    byOpts.set(key, cf);
  }
  return cf;
}

function buildFunction(ft: FuncType, isAsync: boolean, hasCallback: boolean): CompiledFunction {
  const paramTypes = ft.params.map((p) => p.type);
  const resultTypes = ft.result === undefined ? [] : [ft.result];
  const params = compileValues(paramTypes);
  const results = compileValues(resultTypes);
  const flatOpts = isAsync ? { async: true, callback: hasCallback ? true : undefined } : {};
  const liftSignature = flattenFuncType(ft, 'lift', flatOpts);
  const lowerSignature = flattenFuncType(ft, 'lower', flatOpts);

  const lowerParamsV = valuesLowerer(params, MAX_FLAT_PARAMS, 'parameters');
  const liftResultsV = valuesLifter(results, MAX_FLAT_RESULTS, 'results');
  const liftParamsV = valuesLifter(params, isAsync ? MAX_FLAT_ASYNC_PARAMS : MAX_FLAT_PARAMS, 'parameters');
  const lowerResultsV = valuesLowerer(results, isAsync ? 0 : MAX_FLAT_RESULTS, 'results');
  const noResult = resultTypes.length === 0;
  const resultsSpilled = !noResult && (isAsync || results.flatCount > MAX_FLAT_RESULTS);
  // When results are spilled, the out pointer is the last core parameter.
  const outIndex = lowerSignature.params.length - 1;

  return {
    type: ft,
    liftSignature,
    lowerSignature,
    lowerParams: (cx, args) => lowerParamsV(cx, args),
    liftResults(cx, flatResults) {
      if (noResult) return undefined;
      return liftResultsV(cx, new FlatIterator(flatResults))[0];
    },
    liftParams: (cx, flatArgs) => liftParamsV(cx, new FlatIterator(flatArgs)),
    lowerResults(cx, result, flatArgs) {
      if (noResult) return [];
      const out = resultsSpilled ? new FlatIterator(flatArgs, outIndex) : undefined;
      return lowerResultsV(cx, [result], out);
    },
  };
}

/**
 * A fresh {@link ComponentInstanceState}: an empty handle table and
 * `mayLeave` set. A runtime creates one per component instance.
 */
export function createInstanceState(options?: HandleTableOptions): ComponentInstanceState {
  return { handles: new HandleTable<unknown>(options), mayLeave: true };
}

function syncOnly(opts: CanonicalOptions, what: string): void {
  if (opts.async === true) {
    throw new TypeError(`${what} implements the synchronous ABI only; async lifts and lowers belong to @wasm-components/async`);
  }
}

/** Normalises what a core function returned into its list of flat results. */
function flatResultsOf(raw: unknown, count: number): unknown[] {
  if (count === 0) return [];
  if (count === 1) return [raw];
  return Array.from(raw as ArrayLike<unknown>);
}

/**
 * Synchronous `canon lift` for a JS host (`CanonicalABI.md#canon-lift`, sync
 * path without tasks): returns a JS function that lowers its arguments into
 * the component, calls the core export `core`, lifts the result, checks that
 * every borrow lent to the callee was dropped (trap otherwise), then calls
 * `post-return` (with `mayLeave` cleared). Re-entrance and backpressure are
 * the runtime's business.
 */
export function liftFunction(
  ft: FuncType,
  opts: CanonicalOptions,
  inst: ComponentInstanceState,
  core: (...flat: unknown[]) => unknown,
  hooks?: AsyncHooks,
): (...args: unknown[]) => unknown {
  syncOnly(opts, 'liftFunction');
  const cf = compileFunction(ft);
  const nResults = cf.liftSignature.results.length;
  return (...args) => {
    const scope = new CallBorrowScope();
    const cx = new LiftLowerContext(opts, inst, scope, hooks);
    const flatArgs = cf.lowerParams(cx, args);
    const flatResults = flatResultsOf(core(...flatArgs), nResults);
    const result = cf.liftResults(cx, flatResults);
    scope.checkNoBorrows();
    const pr = opts.postReturn;
    if (pr !== undefined) {
      inst.mayLeave = false;
      try {
        pr(...flatResults);
      } finally {
        inst.mayLeave = true;
      }
    }
    return result;
  };
}

/**
 * Synchronous `canon lower` for a JS host (`CanonicalABI.md#canon-lower`,
 * sync path): returns the core function a component imports. It traps when
 * the instance may not leave, lifts the core arguments (lending `borrow`
 * handles for the duration of the call), calls `host`, lowers the result
 * (through the out pointer past {@link MAX_FLAT_RESULTS}) and gives the
 * lent handles back.
 */
export function lowerFunction(
  ft: FuncType,
  opts: CanonicalOptions,
  inst: ComponentInstanceState,
  host: (...args: unknown[]) => unknown,
  hooks?: AsyncHooks,
): (...flat: unknown[]) => unknown {
  syncOnly(opts, 'lowerFunction');
  const cf = compileFunction(ft);
  return (...flat) => {
    if (!inst.mayLeave) trap('cannot leave the component instance now (it may not call imports during lowering or post-return)');
    const scope = new CallBorrowScope();
    const cx = new LiftLowerContext(opts, inst, scope, hooks);
    try {
      const args = cf.liftParams(cx, flat);
      const result = host(...args);
      const flatResults = cf.lowerResults(cx, result, flat);
      return flatResults.length === 0 ? undefined : flatResults[0];
    } finally {
      if (!scope.lendersReleased) scope.releaseLenders();
    }
  };
}
