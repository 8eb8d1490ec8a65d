/**
 * A component instance's exports as a JS object: camelCase members, raw and
 * unversioned names as aliases, nested objects for instances, generated
 * classes (with constructor, methods and statics attached) for resources.
 *
 * @module
 */
import { ASYNC_START } from './async.js';
import { hostAsyncExport } from './async-host.js';
import { camelCase, funcNameShape, isInterfaceName, jsKey, pascalCase, unversioned } from './names.js';
import { resourceInfo, type ResourceInfo } from './resources.js';
import { type ComponentExports, type FuncItem, INSTANCE_ITEM, type InstanceItem, type Item } from './model.js';

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
      return hostFunctionOf(item.func);
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

/** Host views of async exports, one per lifted function (so an export reached by two names is one function). */
const hostViews = new WeakMap<object, (...args: unknown[]) => unknown>();

/**
 * The function the host calls for an export: itself for sync functions; for
 * async-capable lifts the view of `async-host.ts` (host sources pumped,
 * `{ signal }` cancellation).
 */
function hostFunctionOf(f: FuncItem): (...args: unknown[]) => unknown {
  const fn = f.fn;
  if (!(ASYNC_START in fn)) return fn;
  let v = hostViews.get(fn);
  if (v === undefined) {
    v = hostAsyncExport(fn);
    hostViews.set(fn, v);
  }
  return v;
}

/** The JS object of an instance: camelCase (or raw interface-name) keys, raw names as non-enumerable aliases. */
export function toJs(inst: InstanceItem): ComponentExports {
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
    // Resource functions are reached through their class; their raw names stay available, not enumerated.
    define(obj, jsKey(name), v, !name.startsWith('['));
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
  const fn = hostFunctionOf(f);
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

