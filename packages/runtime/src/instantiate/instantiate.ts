/**
 * Instantiating a component: `compile` decodes (and validates) a component
 * and compiles its core modules once; `instantiate` walks the component's
 * sections in order, maintaining every index space
 * (`Explainer.md#index-spaces`), and returns the exports as JS values.
 *
 * The walk is the spec's instantiation semantics made executable: each
 * definition appends to the index space of its sort; core modules are
 * instantiated with `WebAssembly.Instance`; `canon lift` turns a core
 * function into a JS-callable component function (a {@link Task} per call);
 * `canon lower` turns a component function (host JS or another instance's
 * lifted function) into a function a core module can import.
 *
 * @module
 */
import {
  decode,
  encode,
  isDecodeError,
  type Alias,
  type CanonicalFunction,
  type CanonOpt,
  type Component,
  type ComponentFuncType,
  type ComponentTypeDecl,
  type ComponentValType,
  type CoreInstance,
  type DefValType,
  type ExternDesc,
  type Instance,
  type InstanceTypeDecl,
  type Module,
  type Sort,
  type TypeDef,
} from '@wasm-components/binary';
import {
  canonResourceDrop,
  canonResourceNew,
  canonResourceRep,
  compileFunction,
  type CanonicalOptions,
  type FlatLowerer,
  CallBorrowScope,
  type FuncType,
  isHostValueError,
  LiftLowerContext,
  type Realloc,
  type ResourceDropHooks,
  type ResourceType,
  t,
  Trap,
  typeToString,
  type ValType,
} from '@wasm-components/canonical-abi';
import { LinkError, ValidationError } from '../errors.js';
import { isScalarFunction, scalarLifter, scalarLowerers } from './fast.js';
import { camelCase, funcNameShape, isInterfaceName, jsKey, lookupName, pascalCase, unversioned } from './names.js';
import { guestResource, hostResource, lentMark, releaseLentSince, type ResourceInfo, resourceInfo, resourceInfoOfClass, toAbiMapper, toUserMapper } from './resources.js';
import { asTrap, CANNOT_ENTER, callMightBeRecursive, currentFrame, currentTaskOf, enterTask, type Frame, RuntimeInstance, runAsTask, setCurrentFrame } from './task.js';
import { validateIfAvailable } from './validate-hook.js';

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

/** Options of {@link instantiate}. */
export interface InstantiateOptions {
  /** Name of the root instance in messages. Default `"root"`. */
  readonly name?: string;
}

/** Marks component functions made by `canon lift`, with their type and instance. */
const LIFTED = Symbol('lifted component function');
/** The instance behind an exports object, so it can be passed on as an import with its types intact. */
const INSTANCE_ITEM = Symbol('component instance');
/** The component function type of every component function the runtime hands out. */
const FUNC_TYPE = Symbol('component function type');

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

// ---------------------------------------------------------------------------
// compile
// ---------------------------------------------------------------------------

/** True for a {@link CompiledComponent}. */
export function isCompiledComponent(x: unknown): x is CompiledComponent {
  return typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'compiled-component';
}

function decodeComponentBytes(bytes: Uint8Array | Component): Component {
  if (!(bytes instanceof Uint8Array)) return bytes;
  let node;
  try {
    node = decode(bytes);
  } catch (e) {
    // One error type for "this is not a component we can run", as `validate` does.
    if (isDecodeError(e)) throw new ValidationError(`malformed component: ${e.message}`, { offset: e.offset, cause: e });
    throw e;
  }
  if (node.kind !== 'component') throw new ValidationError('expected a component binary, found a core module');
  return node;
}

function collectModules(c: Component, out: Module[]): void {
  for (const s of c.sections) {
    if (s.kind === 'core-module') out.push(s.module);
    else if (s.kind === 'nested-component') collectModules(s.component, out);
  }
}

/** Core module bytes from its AST (the encoder is byte-exact, so these are the original bytes). */
function encodeModule(m: Module): Uint8Array {
  return encode(m);
}

/**
 * Decodes and validates `bytes` (or takes a decoded component) and compiles
 * every nested core module once, synchronously. Throws a
 * {@link ValidationError} for malformed bytes (with the `DecodeError` as
 * `cause`) and for invalid components.
 */
export function compile(bytes: Uint8Array | Component): CompiledComponent {
  const component = decodeComponentBytes(bytes);
  validateIfAvailable(component);
  const list: Module[] = [];
  collectModules(component, list);
  const modules = new WeakMap<Module, WebAssembly.Module>();
  for (const m of list) modules.set(m, compileCore(m));
  return { kind: 'compiled-component', component, modules };
}

/** As {@link compile}, but compiles the core modules with the asynchronous `WebAssembly.compile` (required for large modules on a browser's main thread). */
export async function compileAsync(bytes: Uint8Array | Component): Promise<CompiledComponent> {
  const component = decodeComponentBytes(bytes);
  validateIfAvailable(component);
  const list: Module[] = [];
  collectModules(component, list);
  const modules = new WeakMap<Module, WebAssembly.Module>();
  const compiled = await Promise.all(list.map((m) => WebAssembly.compile(encodeModule(m))));
  list.forEach((m, i) => modules.set(m, compiled[i] as WebAssembly.Module));
  return { kind: 'compiled-component', component, modules };
}

function compileCore(m: Module): WebAssembly.Module {
  try {
    return new WebAssembly.Module(encodeModule(m));
  } catch (e) {
    throw new ValidationError(`core module does not compile: ${(e as Error).message}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------
// Runtime items of each index space
// ---------------------------------------------------------------------------

/** A component function: a JS function in the user's value representation plus its type. */
interface FuncItem {
  readonly fn: (...args: unknown[]) => unknown;
  readonly type: FuncType;
}

/** An entry of the type index space. */
type RType =
  | { readonly kind: 'val'; readonly type: ValType }
  | { readonly kind: 'func'; readonly type: FuncType }
  | { readonly kind: 'resource'; readonly info: ResourceInfo }
  | { readonly kind: 'instance'; readonly decls: readonly InstanceTypeDecl[]; readonly scope: Scope }
  | { readonly kind: 'component'; readonly decls: readonly ComponentTypeDecl[]; readonly scope: Scope }
  | { readonly kind: 'core' };

/** A component definition with the scope its outer aliases see. */
interface ComponentDef {
  readonly component: Component;
  readonly compiled: CompiledComponent;
  readonly closure: Scope | undefined;
}

/** A component instance as an index-space item: its exports by name. */
interface InstanceItem {
  readonly exports: Map<string, Item>;
  js?: ComponentExports;
}

/** Anything that can be imported, exported or passed as an instantiation argument. */
type Item =
  | { readonly sort: 'func'; readonly func: FuncItem }
  | { readonly sort: 'type'; readonly type: RType }
  | { readonly sort: 'instance'; readonly instance: InstanceItem }
  | { readonly sort: 'component'; readonly component: ComponentDef }
  | { readonly sort: 'core module'; readonly module: WebAssembly.Module }
  | { readonly sort: 'value'; readonly value: unknown };

type CoreExports = Readonly<Record<string, unknown>>;

/** The index spaces of one component (or of one component/instance type's declarators). */
class Scope {
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

  constructor(parent: Scope | undefined, inst: RuntimeInstance | undefined, compiled: CompiledComponent | undefined) {
    this.parent = parent;
    this.inst = inst;
    this.compiled = compiled;
  }

  outer(count: number): Scope {
    let s: Scope | undefined = this;
    for (let i = 0; i < count; i++) s = s?.parent;
    if (s === undefined) throw new ValidationError(`outer alias count ${count} goes past the outermost component`);
    return s;
  }
}

function at<T>(space: readonly T[], i: number, what: string): T {
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

function valType(scope: Scope, ty: ComponentValType): ValType {
  if (typeof ty === 'string') return primitive(ty);
  const r = at(scope.types, ty.index, 'type');
  if (r.kind !== 'val') throw new ValidationError(`type index ${ty.index} is not a value type (it is a ${r.kind} type)`);
  return r.type;
}

function resourceAt(scope: Scope, i: number): ResourceInfo {
  const r = at(scope.types, i, 'type');
  if (r.kind !== 'resource') throw new ValidationError(`type index ${i} is not a resource type`);
  return r.info;
}

function defValType(scope: Scope, d: DefValType): ValType {
  switch (d.kind) {
    case 'primitive':
      return primitive(d.type);
    case 'record':
      return { kind: 'record', fields: d.fields.map((f) => ({ label: camelCase(f.name), type: valType(scope, f.type) })) };
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
      return { kind: 'flags', labels: d.names.map(camelCase) };
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

function funcType(scope: Scope, f: ComponentFuncType): FuncType {
  const params = f.params.map((p) => ({ name: p.name, type: valType(scope, p.type) }));
  return f.result === undefined ? { params, async: f.async } : { params, result: valType(scope, f.result), async: f.async };
}

function defineType(scope: Scope, d: TypeDef): RType {
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

function funcTypeAt(scope: Scope, i: number): FuncType {
  const r = at(scope.types, i, 'type');
  if (r.kind !== 'func') throw new ValidationError(`type index ${i} is not a function type`);
  return r.type;
}

// ---------------------------------------------------------------------------
// Imports: from JS values (host) or from items (nested instantiation)
// ---------------------------------------------------------------------------

/** Where the imports of an instantiation come from. */
interface ImportSource {
  /** Resolves import `name` of description `desc` (interpreted in `scope`) to an item. */
  resolve(name: string, desc: ExternDesc, scope: Scope, path: string): Item;
}

class HostImports implements ImportSource {
  readonly #obj: unknown;
  constructor(obj: unknown) {
    this.#obj = obj;
  }
  resolve(name: string, desc: ExternDesc, scope: Scope, path: string): Item {
    return hostItem(lookupName(this.#obj, name), this.#obj, name, desc, scope, path);
  }
}

class ItemImports implements ImportSource {
  readonly #args: Map<string, Item>;
  constructor(args: Map<string, Item>) {
    this.#args = args;
  }
  resolve(name: string, desc: ExternDesc, _scope: Scope, path: string): Item {
    let it = this.#args.get(name);
    if (it === undefined && isInterfaceName(name)) {
      const base = unversioned(name);
      for (const [k, v] of this.#args) if (unversioned(k) === base) it = v;
    }
    if (it === undefined) throw new LinkError(path, `missing instantiation argument "${name}"`);
    const want = desc.kind === 'module' ? 'core module' : desc.kind;
    if (it.sort !== want) throw new LinkError(path, `expected a ${want}, found a ${it.sort}`);
    return it;
  }
}

/** A host function for import `name` of a host object, following the annotated-name conventions. */
function hostFunction(v: unknown, owner: unknown, name: string): ((...args: unknown[]) => unknown) | undefined {
  if (typeof v === 'function') {
    const f = v as (...args: unknown[]) => unknown;
    if (FUNC_TYPE in f) return f;
    return owner !== null && typeof owner === 'object' ? (...args) => f.apply(owner, args) : f;
  }
  const shape = funcNameShape(name);
  if (shape.kind === 'plain') return undefined;
  const cls = lookupName(owner, pascalCase(shape.resource)) ?? lookupName(owner, shape.resource);
  if (shape.kind === 'method') {
    const m = camelCase(shape.name);
    return (self, ...args) => {
      const f = (self as Record<string, unknown> | null)?.[m];
      if (typeof f !== 'function') throw new TypeError(`resource object has no method ${m} (for ${name})`);
      return (f as (...a: unknown[]) => unknown).apply(self, args);
    };
  }
  if (typeof cls !== 'function') return undefined;
  if (shape.kind === 'constructor') return (...args) => new (cls as new (...a: unknown[]) => unknown)(...args);
  const s = (cls as unknown as Record<string, unknown>)[camelCase(shape.name)];
  return typeof s === 'function' ? (...args) => (s as (...a: unknown[]) => unknown).apply(cls, args) : undefined;
}

function hostItem(v: unknown, owner: unknown, name: string, desc: ExternDesc, scope: Scope, path: string): Item {
  switch (desc.kind) {
    case 'func': {
      const type = funcTypeAt(scope, desc.type);
      const fn = hostFunction(v, owner, name);
      if (fn === undefined) throw new LinkError(path, v === undefined ? 'missing function import' : `expected a function, found ${typeof v}`);
      const actual = componentFunctionType(fn);
      if (actual !== undefined) {
        // A component function from another instance: its type must match
        // (resources by shape only: a host-side type import has no identity to compare).
        const why = funcTypeMismatch(type, actual, false);
        if (why !== undefined) throw new LinkError(path, `function type mismatch: ${why}`);
      }
      return { sort: 'func', func: { fn, type } };
    }
    case 'instance': {
      if (v === undefined || v === null || (typeof v !== 'object' && typeof v !== 'function')) {
        throw new LinkError(path, v === undefined ? 'missing instance import' : `expected an object for an instance import, found ${typeof v}`);
      }
      const r = at(scope.types, desc.type, 'type');
      if (r.kind !== 'instance') throw new ValidationError(`type index ${desc.type} is not an instance type`);
      const item = (v as Record<symbol, InstanceItem | undefined>)[INSTANCE_ITEM];
      if (item !== undefined) {
        // Another instance's exports: keep its items (and so its resource types).
        checkInstanceExports(item, r.decls, r.scope, path);
        return { sort: 'instance', instance: item };
      }
      return { sort: 'instance', instance: hostInstance(v, r.decls, r.scope, path) };
    }
    case 'type': {
      if (desc.bound.kind === 'eq') return { sort: 'type', type: at(scope.types, desc.bound.type, 'type') };
      const exported = resourceInfoOfClass(v);
      if (exported !== undefined) return { sort: 'type', type: { kind: 'resource', info: exported } };
      const info = hostResource(name);
      return { sort: 'type', type: { kind: 'resource', info } };
    }
    case 'module':
      if (!(v instanceof WebAssembly.Module)) throw new LinkError(path, 'expected a WebAssembly.Module');
      return { sort: 'core module', module: v };
    case 'component':
      if (!isCompiledComponent(v)) throw new LinkError(path, 'expected a CompiledComponent (from compile())');
      return { sort: 'component', component: { component: v.component, compiled: v, closure: undefined } };
    case 'value':
      if (v === undefined) throw new LinkError(path, 'missing value import');
      return { sort: 'value', value: v };
  }
}

/**
 * Checks an instance made by this runtime against the instance type an
 * import declares (`Explainer.md#instantiation`, subtyping of imports): every
 * declared export must be there with the right sort, and functions must have
 * the declared type. Type exports are substituted by the instance's own types
 * as the declarators are walked, so resource types keep their identity.
 */
function checkInstanceExports(item: InstanceItem, decls: readonly InstanceTypeDecl[], defScope: Scope, path: string): void {
  const local = new Scope(defScope, undefined, undefined);
  for (const d of decls) {
    switch (d.kind) {
      case 'core-type':
        local.coreTypes.push(d.type);
        break;
      case 'type':
        local.types.push(defineType(local, d.type));
        break;
      case 'alias':
        if (d.alias.kind !== 'outer') throw new ValidationError('only outer aliases may appear in an instance type');
        outerAlias(local, d.alias.sort, d.alias.count, d.alias.index);
        break;
      case 'export': {
        const name = d.name.name;
        const where = `${path}.${name}`;
        let e = item.exports.get(name);
        if (e === undefined && isInterfaceName(name)) {
          const base = unversioned(name);
          for (const [k, x] of item.exports) if (unversioned(k) === base) e = x;
        }
        if (e === undefined) throw new LinkError(where, 'missing export');
        const want = d.desc.kind === 'module' ? 'core module' : d.desc.kind;
        if (e.sort !== want) throw new LinkError(where, `expected a ${want}, found a ${e.sort}`);
        if (d.desc.kind === 'func' && e.sort === 'func') {
          const why = funcTypeMismatch(funcTypeAt(local, d.desc.type), e.func.type, true);
          if (why !== undefined) throw new LinkError(where, `function type mismatch: ${why}`);
        } else if (d.desc.kind === 'instance' && e.sort === 'instance') {
          const r = at(local.types, d.desc.type, 'type');
          if (r.kind === 'instance') checkInstanceExports(e.instance, r.decls, r.scope, where);
        }
        pushItem(local, e);
        break;
      }
    }
  }
}

/** Why `actual` cannot be used where `expected` is declared (structural equality), or undefined when it can. */
function funcTypeMismatch(expected: FuncType, actual: FuncType, resourceIdentity: boolean): string | undefined {
  if (expected.params.length !== actual.params.length) {
    return `expected ${expected.params.length} parameters, found ${actual.params.length}`;
  }
  for (let i = 0; i < expected.params.length; i++) {
    const a = expected.params[i] as { type: ValType };
    const b = actual.params[i] as { type: ValType };
    if (!sameValType(a.type, b.type, resourceIdentity)) return `parameter ${i}: expected ${typeToString(a.type)}, found ${typeToString(b.type)}`;
  }
  if ((expected.result === undefined) !== (actual.result === undefined)) return 'results differ';
  if (expected.result !== undefined && actual.result !== undefined && !sameValType(expected.result, actual.result, resourceIdentity)) {
    return `result: expected ${typeToString(expected.result)}, found ${typeToString(actual.result)}`;
  }
  return undefined;
}

function sameValType(a: ValType, b: ValType, ids: boolean): boolean {
  if (a === b) return true;
  switch (a.kind) {
    case 'list':
      return b.kind === 'list' && a.length === b.length && sameValType(a.elem, b.elem, ids);
    case 'map':
      return b.kind === 'map' && sameValType(a.key, b.key, ids) && sameValType(a.value, b.value, ids);
    case 'record':
      return (
        b.kind === 'record' &&
        a.fields.length === b.fields.length &&
        a.fields.every((f, i) => f.label === b.fields[i]?.label && sameValType(f.type, (b.fields[i] as { type: ValType }).type, ids))
      );
    case 'tuple':
      return b.kind === 'tuple' && a.types.length === b.types.length && a.types.every((x, i) => sameValType(x, b.types[i] as ValType, ids));
    case 'variant':
      return (
        b.kind === 'variant' &&
        a.cases.length === b.cases.length &&
        a.cases.every((c, i) => {
          const d = b.cases[i];
          if (d === undefined || c.label !== d.label || (c.type === undefined) !== (d.type === undefined)) return false;
          return c.type === undefined || sameValType(c.type, d.type as ValType, ids);
        })
      );
    case 'enum':
      return b.kind === 'enum' && a.labels.join() === b.labels.join();
    case 'flags':
      return b.kind === 'flags' && a.labels.join() === b.labels.join();
    case 'option':
      return b.kind === 'option' && sameValType(a.type, b.type, ids);
    case 'result':
      return (
        b.kind === 'result' &&
        (a.ok === undefined ? b.ok === undefined : b.ok !== undefined && sameValType(a.ok, b.ok, ids)) &&
        (a.err === undefined ? b.err === undefined : b.err !== undefined && sameValType(a.err, b.err, ids))
      );
    case 'own':
    case 'borrow':
      return b.kind === a.kind && (!ids || a.resource === b.resource);
    case 'stream':
    case 'future':
      return b.kind === a.kind && (a.elem === undefined ? b.elem === undefined : b.elem !== undefined && sameValType(a.elem, b.elem, ids));
    default:
      return a.kind === b.kind;
  }
}

/** Builds an instance item from a host object by walking the instance type's declarators. */
function hostInstance(obj: unknown, decls: readonly InstanceTypeDecl[], defScope: Scope, path: string): InstanceItem {
  const local = new Scope(defScope, undefined, undefined);
  const exports = new Map<string, Item>();
  for (const d of decls) {
    switch (d.kind) {
      case 'core-type':
        local.coreTypes.push(d.type);
        break;
      case 'type':
        local.types.push(defineType(local, d.type));
        break;
      case 'alias':
        if (d.alias.kind !== 'outer') throw new ValidationError('only outer aliases may appear in an instance type');
        outerAlias(local, d.alias.sort, d.alias.count, d.alias.index);
        break;
      case 'export': {
        const name = d.name.name;
        const item = hostItem(lookupName(obj, name), obj, name, d.desc, local, `${path}.${name}`);
        exports.set(name, item);
        pushItem(local, item);
        break;
      }
    }
  }
  return { exports };
}

// ---------------------------------------------------------------------------
// Index space plumbing
// ---------------------------------------------------------------------------

function pushItem(scope: Scope, item: Item): void {
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

function itemAt(scope: Scope, sort: Sort, i: number): Item {
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

function coreSpace(scope: Scope, sort: string): unknown[] {
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

function outerAlias(scope: Scope, sort: Sort, count: number, index: number): void {
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

function alias(scope: Scope, a: Alias): void {
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
  if (ro.async) {
    // Defined, so the component instantiates, but calls trap until the async package plugs in here.
    const fn = (): never => {
      throw new Trap('async canon lift is not supported by this runtime yet');
    };
    Object.defineProperty(fn, FUNC_TYPE, { value: ft });
    return { fn, type: ft };
  }
  const opts = ro.opts;
  if (opts.postReturn === undefined && isScalarFunction(ft)) return liftScalar(ft, inst, core);
  const cf = compileFunction(ft);
  const nResults = cf.liftSignature.results.length;
  const argsToAbi = paramMappers(ft, false);
  const resultToUser = ft.result === undefined ? undefined : toUserMapper(ft.result);
  const postReturn = opts.postReturn;
  const fn = (...args: unknown[]): unknown => {
    const task = enterTask(inst);
    const caller = task.supertask;
    const mark = lentMark();
    try {
      const cx = new LiftLowerContext(opts, inst, task.borrowScope);
      const flatArgs = cf.lowerParams(cx, argsToAbi === undefined ? args : argsToAbi(args));
      const flatResults = flatResultsOf(core(...flatArgs), nResults);
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
  const { cx, lowerers } = scalarLowerers(ft, inst);
  const n = lowerers.length;
  const lift = scalarLifter(ft.result);
  // The flat values are read out of `buf` before the core call, so sharing
  // one buffer per function is safe even if the call re-enters it.
  const buf: unknown[] = [];
  const l0 = lowerers[0] as FlatLowerer;
  const l1 = lowerers[1] as FlatLowerer;
  const call =
    n === 0
      ? () => core()
      : n === 1
        ? (args: ArrayLike<unknown>) => {
            buf.length = 0;
            l0(cx, args[0], buf);
            return core(buf[0]);
          }
        : n === 2
          ? (args: ArrayLike<unknown>) => {
              buf.length = 0;
              l0(cx, args[0], buf);
              l1(cx, args[1], buf);
              return core(buf[0], buf[1]);
            }
          : (args: ArrayLike<unknown>) => {
              const flat: unknown[] = [];
              for (let i = 0; i < n; i++) (lowerers[i] as FlatLowerer)(cx, args[i], flat);
              return core(...flat);
            };
  const fn = (...args: unknown[]): unknown => {
    if (args.length !== n) throw new TypeError(`expected ${n} parameters, got ${args.length}`);
    const task = enterTask(inst);
    try {
      return lift(call(args));
    } catch (e) {
      if (isHostValueError(e)) throw e;
      const err = asTrap(e);
      if (inst.poisoned === undefined) inst.poisoned = err;
      throw err;
    } finally {
      setCurrentFrame(task.supertask);
    }
  };
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
  if (ro.async) return notSupported('lower async', inst);
  const ft = callee.type;
  const opts = ro.opts;
  const cf = compileFunction(ft);
  const argsToUser = paramMappers(ft, true);
  const resultToAbi = ft.result === undefined ? undefined : toAbiMapper(ft.result);
  const target = callee.fn;
  const direct = LIFTED in target;
  return (...flat: unknown[]): unknown => {
    if (!inst.mayLeave) throw new Trap('cannot leave component instance');
    const scope = new CallBorrowScope();
    const cx = new LiftLowerContext(opts, inst, scope);
    const saved = currentFrame();
    try {
      const lifted = cf.liftParams(cx, flat);
      const args = argsToUser === undefined ? lifted : argsToUser(lifted);
      // A call to another instance's lifted function is a component-to-component
      // call (caller = this instance); anything else is a call into the host.
      const self: Frame = { inst, supertask: saved };
      setCurrentFrame(direct ? self : { inst: undefined, supertask: self });
      let result = target(...args);
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

function canon(scope: Scope, c: CanonicalFunction): void {
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
        if (task === undefined || i >= task.context.length) throw new Trap('context.get outside of a task');
        const v = task.context[i] ?? 0;
        return wide ? BigInt(v) : Number(BigInt.asUintN(32, BigInt(v))) | 0;
      });
      return;
    }
    case 'context.set': {
      const i = c.index;
      scope.coreFuncs.push((v: number | bigint) => {
        const task = currentTaskOf(inst);
        if (task === undefined || i >= task.context.length) throw new Trap('context.set outside of a task');
        task.context[i] = v;
      });
      return;
    }
    case 'backpressure.inc':
      scope.coreFuncs.push(() => {
        if (++inst.backpressure >= 2 ** 16) throw new Trap('backpressure counter overflow');
      });
      return;
    case 'backpressure.dec':
      scope.coreFuncs.push(() => {
        if (--inst.backpressure < 0) throw new Trap('backpressure counter underflow');
      });
      return;
    default:
      // Async, stream, future, error-context and thread built-ins: defined
      // (so index spaces stay right) but trap when called.
      scope.coreFuncs.push(notSupported(c.kind, inst));
      return;
  }
}

// ---------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------

function coreInstance(scope: Scope, ci: CoreInstance, path: string): CoreExports {
  if (ci.kind === 'exports') {
    const out: Record<string, unknown> = {};
    for (const e of ci.exports) out[e.name] = at(coreSpace(scope, e.sort), e.index, `core ${e.sort}`);
    return out;
  }
  const module = at(scope.coreModules, ci.module, 'core module');
  const imports: Record<string, Record<string, unknown>> = {};
  for (const a of ci.args) imports[a.name] = at(scope.coreInstances, a.instance, 'core instance') as Record<string, unknown>;
  try {
    return new WebAssembly.Instance(module, imports as WebAssembly.Imports).exports;
  } catch (e) {
    if (e instanceof WebAssembly.LinkError) throw new LinkError(path, `core module ${ci.module} does not link: ${(e as Error).message}`, { cause: e });
    throw asTrap(e);
  }
}

function componentInstance(scope: Scope, i: Instance, path: string, index: number): InstanceItem {
  if (i.kind === 'exports') {
    const exports = new Map<string, Item>();
    for (const e of i.exports) exports.set(e.name.name, itemAt(scope, e.sort, e.index));
    return { exports };
  }
  const def = at(scope.components, i.component, 'component');
  const args = new Map<string, Item>();
  for (const a of i.args) args.set(a.name, itemAt(scope, a.sort, a.index));
  return run(def, new ItemImports(args), scope.inst, `${path}/instance ${index}`);
}

function nameResources(item: Item, name: string): void {
  if (item.sort === 'type' && item.type.kind === 'resource' && item.type.info.name === 'resource') item.type.info.name = name;
}

/** Instantiates `def` with `imports`; `parent` is the enclosing component instance. */
function run(def: ComponentDef, imports: ImportSource, parent: RuntimeInstance | undefined, path: string): InstanceItem {
  const inst = new RuntimeInstance(path, parent);
  const scope = new Scope(def.closure, inst, def.compiled);
  const exports = new Map<string, Item>();
  let coreInstanceCount = 0;
  let instanceCount = 0;
  for (const s of def.component.sections) {
    switch (s.kind) {
      case 'core-module': {
        let m = def.compiled.modules.get(s.module);
        if (m === undefined) {
          m = compileCore(s.module);
          def.compiled.modules.set(s.module, m);
        }
        scope.coreModules.push(m);
        break;
      }
      case 'core-instance':
        for (const ci of s.instances) scope.coreInstances.push(coreInstance(scope, ci, `${path}/core instance ${coreInstanceCount++}`));
        break;
      case 'core-type':
        for (const ct of s.types) scope.coreTypes.push(ct);
        break;
      case 'nested-component':
        scope.components.push({ component: s.component, compiled: def.compiled, closure: scope });
        break;
      case 'instance':
        for (const i of s.instances) {
          scope.instances.push(componentInstance(scope, i, path, instanceCount));
          instanceCount++;
        }
        break;
      case 'alias':
        for (const a of s.aliases) alias(scope, a);
        break;
      case 'type':
        for (const td of s.types) scope.types.push(defineType(scope, td));
        break;
      case 'canon':
        for (const c of s.functions) canon(scope, c);
        break;
      case 'start': {
        const f = at(scope.funcs, s.func, 'func');
        const args = s.args.map((i) => at(scope.values, i, 'value'));
        const r = f.fn(...args);
        if (s.results > 0) scope.values.push(r);
        break;
      }
      case 'import':
        for (const im of s.imports) {
          const name = im.name.name;
          const item = imports.resolve(name, im.desc, scope, name);
          nameResources(item, name);
          pushItem(scope, item);
        }
        break;
      case 'export':
        for (const e of s.exports) {
          const name = e.name.name;
          const item = itemAt(scope, e.sort, e.index);
          nameResources(item, name);
          exports.set(name, item);
          pushItem(scope, item);
        }
        break;
      case 'value':
        throw new LinkError(path, 'value sections are not supported');
      default:
        break;
    }
  }
  return { exports };
}

// ---------------------------------------------------------------------------
// Exports as JS values
// ---------------------------------------------------------------------------

function define(obj: Record<string, unknown>, key: string, value: unknown, enumerable: boolean): void {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return;
  Object.defineProperty(obj, key, { value, enumerable, writable: false, configurable: false });
}

function jsValue(item: Item): unknown {
  switch (item.sort) {
    case 'func':
      return item.func.fn;
    case 'instance':
      return toJs(item.instance);
    case 'type':
      return item.type.kind === 'resource' && !item.type.info.host ? item.type.info.cls : undefined;
    case 'component':
      return item.component.compiled;
    case 'core module':
      return item.module;
    case 'value':
      return item.value;
  }
}

/** The JS object of an instance: camelCase (or raw interface-name) keys, raw names as non-enumerable aliases. */
function toJs(inst: InstanceItem): ComponentExports {
  if (inst.js !== undefined) return inst.js;
  const obj: Record<string, unknown> = {};
  inst.js = obj;
  Object.defineProperty(obj, INSTANCE_ITEM, { value: inst });
  const classes = new Map<string, ResourceInfo>();
  for (const [name, item] of inst.exports) {
    if (item.sort === 'type' && item.type.kind === 'resource') classes.set(name, item.type.info);
  }
  const aliases: [string, unknown][] = [];
  for (const [name, item] of inst.exports) {
    if (item.sort === 'type') {
      if (item.type.kind === 'resource' && !item.type.info.host) define(obj, pascalCase(name), item.type.info.cls, true);
      continue;
    }
    const v = jsValue(item);
    define(obj, jsKey(name), v, true);
    aliases.push([name, v]);
    if (isInterfaceName(name)) {
      // `wasi:cli/run@0.2.0` is also reachable as `wasi:cli/run` and `run`.
      const base = unversioned(name);
      aliases.push([base, v]);
      const slash = base.lastIndexOf('/');
      if (slash >= 0) aliases.push([camelCase(base.slice(slash + 1)), v]);
    }
    if (item.sort === 'func') attachResourceMember(name, item.func, classes);
  }
  // Primary keys first, so an alias never hides another export.
  for (const [k, v] of aliases) define(obj, k, v, false);
  return obj;
}

/** Puts `[constructor]r`, `[method]r.m` and `[static]r.m` exports on the resource's class. */
function attachResourceMember(name: string, f: FuncItem, classes: Map<string, ResourceInfo>): void {
  const shape = funcNameShape(name);
  if (shape.kind === 'plain') return;
  let info: ResourceInfo | undefined = classes.get(shape.resource);
  if (info === undefined) {
    const own = shape.kind === 'constructor' ? f.type.result : f.type.params[0]?.type;
    if (own !== undefined && (own.kind === 'own' || own.kind === 'borrow')) info = resourceInfo(own.resource);
  }
  if (info === undefined || info.host) return;
  const fn = f.fn;
  if (shape.kind === 'constructor') {
    info.ctor = fn;
    return;
  }
  const cls = info.cls as unknown as Record<string, unknown> & { prototype: Record<string, unknown> };
  const key = camelCase(shape.name);
  if (shape.kind === 'method') {
    if (!Object.prototype.hasOwnProperty.call(cls.prototype, key)) {
      Object.defineProperty(cls.prototype, key, {
        value: function (this: unknown, ...args: unknown[]) {
          return fn(this, ...args);
        },
        writable: true,
        configurable: true,
      });
    }
  } else if (!Object.prototype.hasOwnProperty.call(cls, key)) {
    Object.defineProperty(cls, key, { value: fn, writable: true, configurable: true });
  }
}

// ---------------------------------------------------------------------------
// instantiate
// ---------------------------------------------------------------------------

/**
 * Instantiates a component synchronously: `compiled` from {@link compile}
 * (or bytes / a decoded component, compiled on the fly) linked against
 * `imports`. Returns the exports as JS values. Throws {@link LinkError} when
 * an import is missing or of the wrong kind, `Trap` when a start function
 * or a core start function traps.
 */
export function instantiate(
  compiled: CompiledComponent | Uint8Array | Component,
  imports: ComponentImports = {},
  options: InstantiateOptions = {},
): ComponentExports {
  const cc = isCompiledComponent(compiled) ? compiled : compile(compiled);
  const def: ComponentDef = { component: cc.component, compiled: cc, closure: undefined };
  const inst = run(def, new HostImports(imports), undefined, options.name ?? 'root');
  return toJs(inst);
}

/**
 * As {@link instantiate}, compiling core modules asynchronously first when
 * given bytes. Instantiation itself is synchronous (core instances are
 * created with `new WebAssembly.Instance`).
 */
export async function instantiateAsync(
  compiled: CompiledComponent | Uint8Array | Component,
  imports: ComponentImports = {},
  options: InstantiateOptions = {},
): Promise<ComponentExports> {
  const cc = isCompiledComponent(compiled) ? compiled : await compileAsync(compiled);
  return instantiate(cc, imports, options);
}
