/**
 * Instantiation: `compile`, `instantiate`, `instantiateAsync` and the
 * types of their inputs and outputs.
 *
 * @module
 */
export {
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
} from './instantiate.js';
export { camelCase, pascalCase } from './names.js';
export { abortAsyncCalls, CANNOT_ENTER, RuntimeInstance, Task } from './task.js';
