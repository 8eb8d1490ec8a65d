/**
 * `@wasm-components/runtime`: instantiate WebAssembly components at run time,
 * in any JavaScript engine with WebAssembly, with nothing generated on disk.
 *
 * `compile(bytes)` decodes and validates a component and compiles its core
 * modules once; `instantiate(compiled, imports)` links it against plain JS
 * imports and returns its exports as plain JS values.
 *
 * See `Explainer.md` and `CanonicalABI.md` of WebAssembly/component-model.
 *
 * @module
 */

export {
  isLinkError,
  isTrap,
  isValidationError,
  LINK_ERROR_NAME,
  LinkError,
  Trap,
  TRAP_NAME,
  VALIDATION_ERROR_NAME,
  ValidationError,
  type ValidationErrorInit,
} from './errors.js';
export {
  abortAsyncCalls,
  CANNOT_ENTER,
  camelCase,
  compile,
  compileAsync,
  type CompiledComponent,
  type ComponentExports,
  componentFunctionType,
  type ComponentImports,
  type FieldNames,
  instantiate,
  instantiateAsync,
  type InstantiateOptions,
  isCompiledComponent,
  pascalCase,
  RuntimeInstance,
  Task,
} from './instantiate/index.js';
export { type ComponentInfo, type ValidateOptions, validate, validateComponent } from './validate/index.js';
// The host side of component-model async (README "Async (WASI 0.3)"): call options, and the stream/future
// classes values arrive as (or that the host makes to give a component) from @wasm-components/async.
export { type AbortSignalLike, type AsyncCallOptions, createFuture, createStream } from './instantiate/async-host.js';
export { ComponentFuture, ComponentReadableStream, ComponentWritableStream, ErrorContext } from '@wasm-components/async';
