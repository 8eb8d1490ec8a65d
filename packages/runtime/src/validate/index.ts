/**
 * The component validator: `validate(bytes)` rejects what `Explainer.md` and
 * `Binary.md` call invalid; `validateComponent` also returns the resolved
 * index spaces ({@link ComponentInfo}) for the instantiator.
 *
 * @module
 */
export { type ComponentInfo, MAX_VALUE_SIZE, type ValidateFeatures, type ValidateOptions, validate, validateComponent } from './validator.js';
export type {
  ComponentTy,
  CoreExtern,
  CoreFuncTy,
  DefinedShape,
  DefinedTy,
  Extern,
  FuncTy,
  InstanceTy,
  ModuleTy,
  NamedTy,
  ResourceId,
  ResourceTy,
  TypeEntry,
  ValTy,
} from './types.js';
export { flattenType, sizeAlign, Subtyping, Substitution } from './types.js';
export type { CoreTypeEntry } from './core.js';
export { isKebab, parseExternName, type ParsedName } from './names.js';
