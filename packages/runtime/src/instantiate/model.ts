/**
 * The runtime model of an instantiation: the items of every index space
 * (`Explainer.md#index-spaces`), the {@link Scope} holding them, the
 * conversion of component types to `@wasm-components/canonical-abi` types,
 * and the plumbing that moves items between index spaces (imports, exports,
 * aliases).
 *
 * @module
 */
import type { Alias, Component, ComponentFuncType, ComponentTypeDecl, ComponentValType, DefValType, InstanceTypeDecl, Module, Sort, TypeDef } from '@wasm-components/binary';
import { type FuncType, t, type ValType } from '@wasm-components/canonical-abi';
import { ValidationError } from '../errors.js';
import { camelCase } from './names.js';
import { guestResource, type ResourceInfo } from './resources.js';
import { RuntimeInstance } from './task.js';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/**
 * A decoded, validated component whose core modules are compiled: compile
 * once, instantiate many times (each instantiation shares the compiled
 * `WebAssembly.Module`s).
 */
export interface CompiledComponent {
  readonly kind: 'compiled-component';
  /** The decoded component. */
  readonly component: Component;
  /** @internal The compiled core modules, by their AST node. */
  readonly modules: WeakMap<Module, WebAssembly.Module>;
}

/**
 * The imports of a component: a plain object keyed by import name (raw, or
 * camelCase for labels; interface names with or without `@version`).
 * Functions for `func` imports, objects for `instance` imports, classes (or
 * nothing) for resource type imports, `WebAssembly.Module`s for core module
 * imports, {@link CompiledComponent}s for component imports.
 */
export type ComponentImports = Readonly<Record<string, unknown>>;

/** The exports of a component instance: functions, nested objects for instances, classes for resources. */
export type ComponentExports = Record<string, unknown>;

/**
 * How record fields and flags are spelled in JS values: `camelCase`
 * (`first-name` -> `firstName`, as jco does) or `as-written` (the kebab-case
 * label, as `@wasm-components/canonical-abi` does on its own).
 */
export type FieldNames = 'camelCase' | 'as-written';

/** Options of {@link instantiate}. */
export interface InstantiateOptions {
  /** Name of the root instance in messages. Default `"root"`. */
  readonly name?: string;
  /** Spelling of record fields and flags in JS values. Default `'camelCase'`. */
  readonly fieldNames?: FieldNames;
}

/** Marks component functions made by `canon lift`, with their type and instance. */
export const LIFTED: unique symbol = Symbol('lifted component function');
/** The instance behind an exports object, so it can be passed on as an import with its types intact. */
export const INSTANCE_ITEM: unique symbol = Symbol('component instance');
/** The component function type of every component function the runtime hands out. */
export const FUNC_TYPE: unique symbol = Symbol('component function type');

/**
 * The component-level type of a component function obtained from this
 * runtime's exports (with record fields and flags in their JS spelling), or
 * undefined for a plain JS function. Lets tools (the `.wast` runner) convert
 * values by type.
 */
export function componentFunctionType(f: unknown): FuncType | undefined {
  if (typeof f !== 'function') return undefined;
  return (f as unknown as Record<symbol, FuncType | undefined>)[FUNC_TYPE];
}

/** True for a {@link CompiledComponent}. */
export function isCompiledComponent(x: unknown): x is CompiledComponent {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'compiled-component';
}

// ---------------------------------------------------------------------------
// Runtime items of each index space
// ---------------------------------------------------------------------------

/** A component function: a JS function in the user's value representation plus its type. */
export interface FuncItem {
  readonly fn: (...args: unknown[]) => unknown;
  readonly type: FuncType;
}

/** An entry of the type index space. */
export type RType =
  | { readonly kind: 'val'; readonly type: ValType }
  | { readonly kind: 'func'; readonly type: FuncType }
  | { readonly kind: 'resource'; readonly info: ResourceInfo }
  | { readonly kind: 'instance'; readonly decls: readonly InstanceTypeDecl[]; readonly scope: Scope }
  | { readonly kind: 'component'; readonly decls: readonly ComponentTypeDecl[]; readonly scope: Scope }
  | { readonly kind: 'core' };

/** A component definition with the scope its outer aliases see. */
export interface ComponentDef {
  readonly component: Component;
  readonly compiled: CompiledComponent;
  readonly closure: Scope | undefined;
}

/** A component instance as an index-space item: its exports by name. */
export interface InstanceItem {
  readonly exports: Map<string, Item>;
  js?: ComponentExports;
}

/** Anything that can be imported, exported or passed as an instantiation argument. */
export type Item =
  | { readonly sort: 'func'; readonly func: FuncItem }
  | { readonly sort: 'type'; readonly type: RType }
  | { readonly sort: 'instance'; readonly instance: InstanceItem }
  | { readonly sort: 'component'; readonly component: ComponentDef }
  | { readonly sort: 'core module'; readonly module: WebAssembly.Module }
  | { readonly sort: 'value'; readonly value: unknown };

/** The exports of a core instance (a `WebAssembly.Instance`'s, or an inline-exports object). */
export type CoreExports = Readonly<Record<string, unknown>>;

/** The index spaces of one component (or of one component/instance type's declarators). */
export class Scope {
  readonly parent: Scope | undefined;
  readonly inst: RuntimeInstance | undefined;
  readonly compiled: CompiledComponent | undefined;
  coreFuncs: unknown[] = [];
  coreTables: unknown[] = [];
  coreMemories: unknown[] = [];
  coreGlobals: unknown[] = [];
  coreTags: unknown[] = [];
  coreTypes: unknown[] = [];
  coreModules: WebAssembly.Module[] = [];
  coreInstances: CoreExports[] = [];
  funcs: FuncItem[] = [];
  values: unknown[] = [];
  types: RType[] = [];
  components: ComponentDef[] = [];
  instances: InstanceItem[] = [];

  /** How record fields and flags are spelled in JS values (inherited from the parent scope). */
  readonly fieldNames: FieldNames;

  constructor(parent: Scope | undefined, inst: RuntimeInstance | undefined, compiled: CompiledComponent | undefined, fieldNames?: FieldNames) {
    this.parent = parent;
    this.inst = inst;
    this.compiled = compiled;
    this.fieldNames = fieldNames ?? parent?.fieldNames ?? 'camelCase';
  }

  outer(count: number): Scope {
    let s: Scope | undefined = this;
    for (let i = 0; i < count; i++) s = s?.parent;
    if (s === undefined) throw new ValidationError(`outer alias count ${count} goes past the outermost component`);
    return s;
  }
}

/** `space[i]`, or a `ValidationError` naming the index space when `i` is out of bounds. */
export function at<T>(space: readonly T[], i: number, what: string): T {
  if (i >= space.length) throw new ValidationError(`${what} index ${i} out of bounds (${space.length} defined)`);
  return space[i] as T;
}

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

const PRIMS: Readonly<Record<string, ValType>> = {
  bool: t.bool,
  s8: t.s8,
  u8: t.u8,
  s16: t.s16,
  u16: t.u16,
  s32: t.s32,
  u32: t.u32,
  s64: t.s64,
  u64: t.u64,
  f32: t.f32,
  f64: t.f64,
  float32: t.f32,
  float64: t.f64,
  char: t.char,
  string: t.string,
  'error-context': t.errorContext,
};

function primitive(name: string): ValType {
  const p = PRIMS[name];
  if (p === undefined) throw new ValidationError(`unsupported primitive value type ${name}`);
  return p;
}

/** A component value type (primitive or type index) as a canonical-abi type. */
export function valType(scope: Scope, ty: ComponentValType): ValType {
  if (typeof ty === 'string') return primitive(ty);
  const r = at(scope.types, ty.index, 'type');
  if (r.kind !== 'val') throw new ValidationError(`type index ${ty.index} is not a value type (it is a ${r.kind} type)`);
  return r.type;
}

/** The resource type at type index `i` (for `own`/`borrow` and the resource built-ins). */
export function resourceAt(scope: Scope, i: number): ResourceInfo {
  const r = at(scope.types, i, 'type');
  if (r.kind !== 'resource') throw new ValidationError(`type index ${i} is not a resource type`);
  return r.info;
}

function fieldName(scope: Scope, name: string): string {
  return scope.fieldNames === 'camelCase' ? camelCase(name) : name;
}

/** A defined value type as a canonical-abi type (record fields and flags spelled per {@link Scope.fieldNames}). */
export function defValType(scope: Scope, d: DefValType): ValType {
  switch (d.kind) {
    case 'primitive':
      return primitive(d.type);
    case 'record':
      return { kind: 'record', fields: d.fields.map((f) => ({ label: fieldName(scope, f.name), type: valType(scope, f.type) })) };
    case 'variant':
      return {
        kind: 'variant',
        cases: d.cases.map((c) => (c.type === undefined ? { label: c.name } : { label: c.name, type: valType(scope, c.type) })),
      };
    case 'list':
      return t.list(valType(scope, d.element));
    case 'fixed-length-list':
      return t.list(valType(scope, d.element), d.length);
    case 'tuple':
      return t.tuple(...d.types.map((x) => valType(scope, x)));
    case 'flags':
      return { kind: 'flags', labels: d.names.map((n) => fieldName(scope, n)) };
    case 'enum':
      return { kind: 'enum', labels: [...d.names] };
    case 'option':
      return t.option(valType(scope, d.type));
    case 'result':
      return t.result(d.ok === undefined ? undefined : valType(scope, d.ok), d.err === undefined ? undefined : valType(scope, d.err));
    case 'own':
      return t.own(resourceAt(scope, d.type).rt);
    case 'borrow':
      return t.borrow(resourceAt(scope, d.type).rt);
    case 'stream':
      return d.element === undefined ? t.stream() : t.stream(valType(scope, d.element));
    case 'future':
      return d.element === undefined ? t.future() : t.future(valType(scope, d.element));
    case 'map':
      return t.map(valType(scope, d.key), valType(scope, d.value));
  }
}

/** A component function type as a canonical-abi `FuncType`. */
export function funcType(scope: Scope, f: ComponentFuncType): FuncType {
  const params = f.params.map((p) => ({ name: p.name, type: valType(scope, p.type) }));
  return f.result === undefined ? { params, async: f.async } : { params, result: valType(scope, f.result), async: f.async };
}

/** Evaluates one type definition in `scope`: value and function types are converted, resource types are created (generative: one per instantiation), component and instance types are kept with their scope. */
export function defineType(scope: Scope, d: TypeDef): RType {
  switch (d.kind) {
    case 'func':
      return { kind: 'func', type: funcType(scope, d) };
    case 'instance':
      return { kind: 'instance', decls: d.decls, scope };
    case 'component':
      return { kind: 'component', decls: d.decls, scope };
    case 'resource': {
      const inst = scope.inst;
      if (inst === undefined) throw new ValidationError('a resource type can only be defined in a component');
      let dtor: ((rep: number) => void) | undefined;
      if (d.dtor !== undefined) {
        const core = at(scope.coreFuncs, d.dtor, 'core func') as (rep: number) => unknown;
        dtor = (rep) => void core(rep);
      }
      return { kind: 'resource', info: guestResource(inst, 'resource', dtor) };
    }
    default:
      return { kind: 'val', type: defValType(scope, d) };
  }
}

/** The function type at type index `i`. */
export function funcTypeAt(scope: Scope, i: number): FuncType {
  const r = at(scope.types, i, 'type');
  if (r.kind !== 'func') throw new ValidationError(`type index ${i} is not a function type`);
  return r.type;
}

// ---------------------------------------------------------------------------
// Index space plumbing
// ---------------------------------------------------------------------------

/** Appends an item to the index space of its sort (imports, exports, instance-export aliases). */
export function pushItem(scope: Scope, item: Item): void {
  switch (item.sort) {
    case 'func':
      scope.funcs.push(item.func);
      return;
    case 'type':
      scope.types.push(item.type);
      return;
    case 'instance':
      scope.instances.push(item.instance);
      return;
    case 'component':
      scope.components.push(item.component);
      return;
    case 'core module':
      scope.coreModules.push(item.module);
      return;
    case 'value':
      scope.values.push(item.value);
      return;
  }
}

/** The item at index `i` of the index space of `sort` (exports, instantiation arguments). */
export function itemAt(scope: Scope, sort: Sort, i: number): Item {
  switch (sort) {
    case 'func':
      return { sort: 'func', func: at(scope.funcs, i, 'func') };
    case 'type':
      return { sort: 'type', type: at(scope.types, i, 'type') };
    case 'instance':
      return { sort: 'instance', instance: at(scope.instances, i, 'instance') };
    case 'component':
      return { sort: 'component', component: at(scope.components, i, 'component') };
    case 'core module':
      return { sort: 'core module', module: at(scope.coreModules, i, 'core module') };
    case 'value':
      return { sort: 'value', value: at(scope.values, i, 'value') };
    default:
      throw new ValidationError(`a ${sort} cannot be exported or passed to a component`);
  }
}

/** The core index space of a core sort (`func`, `table`, `memory`, `global`, `tag`). */
export function coreSpace(scope: Scope, sort: string): unknown[] {
  switch (sort) {
    case 'func':
    case 'func-exact':
      return scope.coreFuncs;
    case 'table':
      return scope.coreTables;
    case 'memory':
      return scope.coreMemories;
    case 'global':
      return scope.coreGlobals;
    case 'tag':
      return scope.coreTags;
    default:
      throw new ValidationError(`core sort ${sort} has no runtime values`);
  }
}

/** `alias outer count index`: appends an item of an enclosing component's index space (`Explainer.md#alias-definitions`). */
export function outerAlias(scope: Scope, sort: Sort, count: number, index: number): void {
  const target = scope.outer(count);
  switch (sort) {
    case 'type':
      scope.types.push(at(target.types, index, 'outer type'));
      return;
    case 'core type':
      scope.coreTypes.push(at(target.coreTypes, index, 'outer core type'));
      return;
    case 'core module':
      scope.coreModules.push(at(target.coreModules, index, 'outer core module'));
      return;
    case 'component':
      scope.components.push(at(target.components, index, 'outer component'));
      return;
    default:
      throw new ValidationError(`outer alias of sort ${sort} is not allowed`);
  }
}

/** Evaluates one alias definition (instance export, core instance export, outer). */
export function alias(scope: Scope, a: Alias): void {
  switch (a.kind) {
    case 'outer':
      outerAlias(scope, a.sort, a.count, a.index);
      return;
    case 'core-instance-export': {
      const ci = at(scope.coreInstances, a.instance, 'core instance');
      if (!(a.name in ci)) throw new ValidationError(`core instance ${a.instance} has no export "${a.name}"`);
      coreSpace(scope, a.sort.slice(5)).push(ci[a.name]);
      return;
    }
    case 'instance-export': {
      const inst = at(scope.instances, a.instance, 'instance');
      const item = inst.exports.get(a.name);
      if (item === undefined) throw new ValidationError(`instance ${a.instance} has no export "${a.name}"`);
      const want = a.sort;
      if (item.sort !== want) throw new ValidationError(`export "${a.name}" of instance ${a.instance} is a ${item.sort}, not a ${want}`);
      pushItem(scope, item);
      return;
    }
  }
}

