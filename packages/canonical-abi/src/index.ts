/**
 * `@wasm-components/canonical-abi`: the Component Model Canonical ABI for
 * JavaScript hosts. Value types, their layout and flattening, compiled
 * lifting and lowering of every value type, strings in all three encodings,
 * resource handles, and function-level lifting/lowering.
 *
 * See `CanonicalABI.md` of WebAssembly/component-model.
 *
 * @module
 */

export {
  badValue,
  describeValue,
  HOST_VALUE_ERROR_NAME,
  HostValueError,
  INVALID_TYPE_ERROR_NAME,
  InvalidTypeError,
  isHostValueError,
  isInvalidTypeError,
  isTrap,
  Trap,
  TRAP_NAME,
  trap,
  trapIf,
} from './errors.js';
export type {
  BorrowType,
  Case,
  EnumType,
  ErrorContextType,
  Field,
  FlagsType,
  FuncType,
  FutureType,
  ListType,
  MapType,
  OptionType,
  OwnType,
  Param,
  PrimKind,
  PrimValType,
  RecordType,
  ResourceType,
  ResultType,
  StreamType,
  TupleType,
  TypeConstructors,
  ValType,
  ValTypeKind,
  VariantType,
} from './types.js';
export { t, typeToString } from './types.js';
export {
  alignment,
  alignTo,
  type CoreFuncType,
  type CoreValType,
  despecialize,
  type DespecializedType,
  discriminantSize,
  discriminantType,
  elemSize,
  type FlattenFuncOptions,
  flattenFuncType,
  flattenType,
  flattenTypes,
  flattenVariant,
  joinCoreTypes,
  mapEntryType,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
  MAX_LIST_BYTE_LENGTH,
  maxCaseAlignment,
  recordFieldOffsets,
  variantPayloadOffset,
} from './layout.js';
export {
  type AsyncHooks,
  type CanonicalOptions,
  type ComponentInstanceState,
  LiftLowerContext,
  type Realloc,
  type StringEncoding,
} from './context.js';
export {
  CANONICAL_FLOAT32_NAN,
  CANONICAL_FLOAT64_NAN,
  canonicalizeNaN,
  decodeI32AsFloat,
  decodeI64AsFloat,
  encodeFloatAsI32,
  encodeFloatAsI64,
  i32ToChar,
} from './values.js';
export { checkListRange, compileLoad, load, loadListFromRange, type Loader, unpackFlags } from './load.js';
export { compileStore, packFlags, store, storeListIntoRange, type Storer } from './store.js';
export { compileLiftFlat, FlatIterator, type FlatLifter, liftFlat } from './lift.js';
export { compileLowerFlat, type FlatLowerer, lowerFlat } from './lower.js';
export {
  compileFunction,
  type CompiledFunction,
  type CompileFunctionOptions,
  createInstanceState,
  liftFlatValues,
  liftFunction,
  lowerFlatValues,
  lowerFunction,
} from './function.js';
export { CODEGEN_AVAILABLE, codegenEnabled, setCodegen } from './codegen.js';
export * from './strings.js';
export * from './resources/index.js';
