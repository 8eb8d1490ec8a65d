/**
 * The component validator: `validate(bytes)` rejects what `Explainer.md` and
 * `Binary.md` call invalid; `validateComponent` also returns the resolved
 * index spaces ({@link ComponentInfo}) for the instantiator.
 *
 * What it checks (each family has cases in `validator.test.ts`, and the
 * spec suite runs in `suite.test.ts`):
 * - index spaces of every sort (core func/table/memory/global/tag/type/
 *   module/instance; func, value, type, component, instance), bounds of
 *   every index, sorts of aliases and instantiation arguments;
 * - type definitions: records/variants/tuples/flags/enums non-empty with
 *   unique kebab-case names, flags at most 32, fixed lists longer than 0,
 *   `own`/`borrow` only of resource types, `borrow` never in results,
 *   resources only in concrete components with `i32` rep and an
 *   `[i32] -> []` destructor, `stream<char>` reserved, the value size limit
 *   (2^28 - 1 bytes with 64-bit pointers), an effective type size limit;
 * - component and instance type declarations with their own scopes;
 *   outer aliases (count, sorts, no resources across a component boundary),
 *   core module types (unique imports/exports, limits, outer count <= 1);
 * - names: kebab labels, `[constructor]`/`[method]`/`[static]`/`[async]`
 *   annotations with their resource rules, interface names with semver,
 *   URL/dependency/integrity forms, strong uniqueness, attributes
 *   (`implements` only on instances with plain labels, no repeated kind);
 * - external visibility of types (`Explainer.md#external-visibility-of-types`);
 * - canonical definitions: option rules (each once, memory/realloc when
 *   needed, realloc/post-return/callback signatures, async needs an async
 *   type), lifted core function types by flattening, core types of lowered
 *   functions and built-ins, local resources for `resource.new`/`rep`;
 * - core instantiation against module imports (core import matching),
 *   component instantiation by subtyping with resource type identity
 *   (generative resources: fresh per import of an instance type and per
 *   instantiation), export ascription, start functions;
 * - nested core modules by the engine (`WebAssembly.validate`);
 * - feature gates ({@link ValidateFeatures}).
 *
 * Not checked yet: that each value of the 🪙 value index space is used
 * exactly once, the contents of value definitions, semantic checks of the
 * `versionsuffix` attribute, GC-typed canonical options (`core-type`,
 * `gc`), and the immediates of the thread built-ins.
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
