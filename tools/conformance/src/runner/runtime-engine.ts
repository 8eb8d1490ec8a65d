/**
 * The {@link Engine} of the conformance run: `@wasm-components/runtime`
 * (`validate`, `compile`, `instantiate`), with `@wasm-components/binary`'s
 * `decode` and wasm-tools' text parser (0.254, through jco-transpile).
 *
 * The runtime is written in parallel with this runner, so the adapter looks
 * its entry points up at run time: a missing one makes the directives that
 * need it fail with a clear "not exported yet" reason instead of breaking the
 * type check or the import of this module.
 *
 * @module
 */
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import type { FuncType } from '@wasm-components/canonical-abi';
import { decode } from '@wasm-components/binary';
import * as runtime from '@wasm-components/runtime';
import { parseWithCancellable } from './cancellable.js';
import { type Engine, type ErrorClass, classifyCommon } from './engine.js';

/** Thrown when the runtime does not export an entry point yet. */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError' as const;
}

type AnyFn = (...args: unknown[]) => unknown;

function entry(name: string): AnyFn {
  const f = (runtime as unknown as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new EngineUnavailableError(`@wasm-components/runtime does not export ${name}() yet`);
  return f as AnyFn;
}

/**
 * Where the runner looks for the component function type of an exported
 * function: the runtime's `componentFunctionType(fn)`, or (for other engines)
 * this well-known symbol on the function (value: a canonical-abi `FuncType`).
 */
export const FUNC_TYPE_SYMBOL: unique symbol = Symbol.for('wasm-components.funcType') as never;

function guard(name: string, e: unknown): boolean {
  const g = (runtime as unknown as Record<string, unknown>)[name];
  return typeof g === 'function' && (g as (x: unknown) => boolean)(e) === true;
}

/** The runtime engine (one per run; it has no state of its own). */
export function runtimeEngine(): Engine {
  return {
    // wasm-tools 0.254 dropped the `cancellable` immediate that spec 6d28164 has: see cancellable.ts.
    parseWat: (wat) => parseWithCancellable(wat, parse),
    validate(bytes) {
      const v = (runtime as unknown as Record<string, unknown>)['validate'];
      if (typeof v !== 'function') {
        // At least the decoder's verdict: a malformed binary is still rejected.
        decode(bytes, { instructions: true });
        throw new EngineUnavailableError('@wasm-components/runtime does not export validate() yet');
      }
      (v as AnyFn)(bytes);
    },
    compile: (bytes) => entry('compile')(bytes),
    instantiate: (compiled, imports) => entry('instantiate')(compiled, imports),
    classify(e): ErrorClass {
      // `validate` wraps a DecodeError as a ValidationError ("malformed component: ..."); count it as decode's.
      if (guard('isValidationError', e)) return classifyCommon((e as { cause?: unknown }).cause) === 'decode' ? 'decode' : 'validation';
      if (guard('isLinkError', e)) return 'link';
      if (guard('isTrap', e)) return 'trap';
      return classifyCommon(e);
    },
    abandon(reason) {
      const f = (runtime as unknown as Record<string, unknown>)['abortAsyncCalls'];
      if (typeof f === 'function') (f as AnyFn)(reason);
    },
    funcType(fn): FuncType | undefined {
      const f = (runtime as unknown as Record<string, unknown>)['componentFunctionType'];
      if (typeof f === 'function') return (f as AnyFn)(fn) as FuncType | undefined;
      if (typeof fn === 'function' && FUNC_TYPE_SYMBOL in fn) return (fn as unknown as Record<symbol, FuncType>)[FUNC_TYPE_SYMBOL];
      return undefined;
    },
  };
}
