/**
 * Resolving imports (`Explainer.md#instantiation`): from a JS host object
 * (functions, objects, classes, following the JS naming conventions of
 * `names.ts`), from another instance's exports object (its items and
 * resource types kept, checked against the declared types), or from the
 * arguments of a nested `instantiate`.
 *
 * @module
 */
import type { ExternDesc, InstanceTypeDecl } from '@wasm-components/binary';
import { type FuncType, typeToString, type ValType } from '@wasm-components/canonical-abi';
import { LinkError, ValidationError } from '../errors.js';
import { camelCase, funcNameShape, isInterfaceName, lookupName, pascalCase, unversioned } from './names.js';
import { hostImportWithSources } from './async-host.js';
import { hostResource, resourceInfoOfClass } from './resources.js';
import { at, componentFunctionType, defineType, FUNC_TYPE, funcTypeAt, INSTANCE_ITEM, type InstanceItem, isCompiledComponent, type Item, outerAlias, pushItem, Scope } from './model.js';

// ---------------------------------------------------------------------------
// Imports: from JS values (host) or from items (nested instantiation)
// ---------------------------------------------------------------------------

/** Where the imports of an instantiation come from. */
export interface ImportSource {
  /** Resolves import `name` of description `desc` (interpreted in `scope`) to an item. */
  resolve(name: string, desc: ExternDesc, scope: Scope, path: string): Item;
}

/** Imports from a JS host object (see `names.ts` for how names are looked up). */
export class HostImports implements ImportSource {
  readonly #obj: unknown;
  constructor(obj: unknown) {
    this.#obj = obj;
  }
  resolve(name: string, desc: ExternDesc, scope: Scope, path: string): Item {
    return hostItem(lookupName(this.#obj, name), this.#obj, name, desc, scope, path);
  }
}

/** Imports from the arguments of a nested `instantiate` (items, already typed). */
export class ItemImports implements ImportSource {
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
      // A JS function whose result holds streams/futures: its JS sources are pumped with the store kept alive.
      if (actual === undefined) return { sort: 'func', func: { fn: hostImportWithSources(fn, type), type } };
      // A component function from another instance: its type must match
      // (resources by shape only: a host-side type import has no identity to compare).
      const why = funcTypeMismatch(type, actual, false);
      if (why !== undefined) throw new LinkError(path, `function type mismatch: ${why}`);
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
export function funcTypeMismatch(expected: FuncType, actual: FuncType, resourceIdentity: boolean): string | undefined {
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

