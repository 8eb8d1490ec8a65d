// The WebAssembly JS API and TextEncoder/Decoder typings the runtime declares for itself (no DOM lib here).
/// <reference path="../../../../packages/runtime/src/globals.d.ts" />
/**
 * What the directive executor needs from a component engine. The real one is
 * `@wasm-components/runtime` (see `runtime-engine.ts`); unit tests plug in tiny
 * fakes, so the executor's own logic is tested apart from the runtime's.
 *
 * @module
 */
import type { FuncType } from '@wasm-components/canonical-abi';

/**
 * How the executor reads an error thrown by the engine:
 * - `decode`: the bytes are not a well-formed binary (a DecodeError);
 * - `validation`: well-formed but invalid (ValidationError);
 * - `link`: valid, but the imports do not satisfy it (LinkError);
 * - `trap`: the component faulted while running (a Trap, or a core wasm trap);
 * - `exhaustion`: the JS engine ran out of stack;
 * - `other`: anything else (a bug, or an unimplemented feature).
 */
export type ErrorClass = 'decode' | 'validation' | 'link' | 'trap' | 'exhaustion' | 'other';

/** A component engine: decode + validate, compile, instantiate. */
export interface Engine {
  /** Text to binary (wasm-tools' `parse`); rejections pass through. */
  parseWat(wat: string): Promise<Uint8Array>;
  /** Throws (a decode or validation error) when the bytes are not a valid component. */
  validate(bytes: Uint8Array): void;
  /** Validates and prepares a component for instantiation. */
  compile(bytes: Uint8Array): unknown;
  /**
   * Instantiates a compiled component with imports keyed by import name
   * (the script's registered instances). Returns the exports object.
   */
  instantiate(compiled: unknown, imports: Readonly<Record<string, unknown>>): unknown;
  /** Classifies an error thrown by any of the above, or by a call into an instance. */
  classify(e: unknown): ErrorClass;
  /**
   * The component function type of an exported function, when the engine can
   * tell: then arguments are converted and results compared by type. Optional:
   * without it conversion is driven by the suite's values alone.
   */
  funcType?(fn: unknown): FuncType | undefined;
  /**
   * Abandons every call still in progress (a directive timed out): its
   * threads must not keep running or block the directives and files after
   * it. Optional.
   */
  abandon?(reason: unknown): void;
}

/** The message of an error, with its name (`Trap: unreachable`). */
export function describeError(e: unknown, max = 400): string {
  // WAST_STACK=1 (debugging): the whole stack, causes included.
  if (typeof process !== 'undefined' && process.env['WAST_STACK'] && e instanceof Error) return `${e.stack ?? e.message}${e.cause instanceof Error ? `\ncause: ${e.cause.stack ?? ''}` : ''}`;
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

/** The bare message of an error (what `assert_trap` and `assert_invalid` messages are matched against). */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Default classification for what every engine shares: core wasm traps are
 * `WebAssembly.RuntimeError`s, a JS stack overflow is a `RangeError`
 * ("Maximum call stack size exceeded"). Named errors of our packages are
 * recognised by their stable `name` (guards check shape, not instanceof).
 */
export function classifyCommon(e: unknown): ErrorClass {
  if (typeof e !== 'object' || e === null) return 'other';
  const name = (e as { name?: unknown }).name;
  if (name === 'WasmDecodeError') return 'decode';
  if (name === 'ComponentValidationError') return 'validation';
  if (name === 'ComponentLinkError') return 'link';
  if (name === 'ComponentTrap') return 'trap';
  if (e instanceof WebAssembly.RuntimeError) return 'trap';
  if (e instanceof RangeError && /call stack/i.test(e.message)) return 'exhaustion';
  return 'other';
}
