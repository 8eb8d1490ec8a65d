/**
 * The resolved types of a component: what each index of each index space
 * *is*, after type indices, aliases, imports and instantiations have been
 * followed (`Explainer.md#type-definitions`, `Explainer.md#type-checking`).
 *
 * The binary refers to types by index; the validator turns every index into
 * a shared object of this model, so that later questions (is this a subtype
 * of that? what does this function flatten to?) are answered without going
 * back to the index spaces. Value types are structural; resource types are
 * nominal and identified by a {@link ResourceId} (resource types are
 * *generative*: each definition, each import of an instance type that
 * exports an abstract resource and each instantiation of a component that
 * defines one makes a new identity, `Explainer.md#resource-types`).
 *
 * Object identity of a type entry carries one more fact: whether the entry
 * was *named* by an import or export (`Explainer.md#external-visibility-of-types`),
 * which is why exporting a type makes a new entry object rather than reusing
 * the old one.
 *
 * @module
 */
import type { PrimitiveValType } from '@wasm-components/binary';

/** Identity of a resource type. Two resource types are the same type iff their ids are equal. */
export type ResourceId = number;

let nextResourceId = 1;

/** A new resource identity (resource types are generative). */
export function freshResourceId(): ResourceId {
  return nextResourceId++;
}

/** A resource type (`resource` definition, `sub resource` import/export, or an alias of one). */
export interface ResourceTy {
  readonly kind: 'resource';
  readonly id: ResourceId;
}

/** A value type: a primitive (by name) or a defined value type entry. */
export type ValTy = PrimitiveValType | DefinedTy;

/** A named field of a record or parameter of a function. */
export interface NamedTy {
  readonly name: string;
  readonly type: ValTy;
}

/** The structure of a defined value type (`defvaltype`). */
export type DefinedShape =
  | { readonly kind: 'primitive'; readonly type: PrimitiveValType }
  | { readonly kind: 'record'; readonly fields: readonly NamedTy[] }
  | { readonly kind: 'variant'; readonly cases: readonly { readonly name: string; readonly type?: ValTy }[] }
  | { readonly kind: 'list'; readonly element: ValTy }
  | { readonly kind: 'fixed-length-list'; readonly element: ValTy; readonly length: number }
  | { readonly kind: 'tuple'; readonly types: readonly ValTy[] }
  | { readonly kind: 'flags'; readonly names: readonly string[] }
  | { readonly kind: 'enum'; readonly names: readonly string[] }
  | { readonly kind: 'option'; readonly type: ValTy }
  | { readonly kind: 'result'; readonly ok?: ValTy; readonly err?: ValTy }
  | { readonly kind: 'own'; readonly resource: ResourceTy }
  | { readonly kind: 'borrow'; readonly resource: ResourceTy }
  | { readonly kind: 'stream'; readonly element?: ValTy }
  | { readonly kind: 'future'; readonly element?: ValTy }
  | { readonly kind: 'map'; readonly key: ValTy; readonly value: ValTy };

/** A defined value type entry of the type index space. */
export interface DefinedTy {
  readonly kind: 'defined';
  readonly shape: DefinedShape;
}

/** A component function type. */
export interface FuncTy {
  readonly kind: 'func';
  readonly async: boolean;
  readonly params: readonly NamedTy[];
  readonly result?: ValTy;
}

/** A core module type: its imports in order and its exports by name. */
export interface ModuleTy {
  readonly kind: 'module';
  readonly imports: readonly { readonly module: string; readonly name: string; readonly type: CoreExtern }[];
  readonly exports: ReadonlyMap<string, CoreExtern>;
}

/** The type of an item of a component-level sort (what an import, export or alias gives). */
export type Extern =
  | { readonly sort: 'func'; readonly type: FuncTy }
  | { readonly sort: 'value'; readonly type: ValTy }
  | { readonly sort: 'type'; readonly type: TypeEntry }
  | { readonly sort: 'instance'; readonly type: InstanceTy }
  | { readonly sort: 'component'; readonly type: ComponentTy }
  | { readonly sort: 'module'; readonly type: ModuleTy };

/**
 * An instance type. `defined` lists the abstract resources it exports: each
 * import of an instance of this type gets fresh identities for them.
 */
export interface InstanceTy {
  readonly kind: 'instance';
  readonly exports: ReadonlyMap<string, Extern>;
  readonly defined: readonly ResourceId[];
}

/**
 * A component type. `imported` are the resources its imports introduce
 * (bound to the arguments' resources at instantiation); `defined` are the
 * resources it exports abstractly (fresh at each instantiation).
 */
export interface ComponentTy {
  readonly kind: 'component';
  readonly imports: ReadonlyMap<string, Extern>;
  readonly exports: ReadonlyMap<string, Extern>;
  readonly imported: readonly ResourceId[];
  readonly defined: readonly ResourceId[];
}

/** An entry of the component `type` index space. */
export type TypeEntry = DefinedTy | FuncTy | ComponentTy | InstanceTy | ResourceTy;

// ---------------------------------------------------------------------------
// Core types
// ---------------------------------------------------------------------------

/** A core function type, its value types spelled as strings (`i32`, `(ref null func)`). */
export interface CoreFuncTy {
  readonly params: readonly string[];
  readonly results: readonly string[];
}

/** The type of a core item (what a core import or export is). `type: undefined` on a func means "not checked". */
export type CoreExtern =
  | { readonly kind: 'func'; readonly type: CoreFuncTy | undefined }
  | { readonly kind: 'table'; readonly element: string; readonly min: bigint; readonly max?: bigint; readonly table64: boolean; readonly shared: boolean }
  | { readonly kind: 'memory'; readonly min: bigint; readonly max?: bigint; readonly memory64: boolean; readonly shared: boolean; readonly pageSizeLog2?: number }
  | { readonly kind: 'global'; readonly type: string; readonly mutable: boolean; readonly shared: boolean }
  | { readonly kind: 'tag'; readonly type: CoreFuncTy | undefined };

/** Print a core function type the way messages show it (`[I32, I64] -> [F32]`). */
export function showCoreFunc(t: CoreFuncTy): string {
  return `[${t.params.map((p) => p.toUpperCase()).join(', ')}] -> [${t.results.map((p) => p.toUpperCase()).join(', ')}]`;
}

/** True when two core function types are the same. */
export function coreFuncEqual(a: CoreFuncTy, b: CoreFuncTy): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length && a.params.every((p, i) => p === b.params[i]) && a.results.every((p, i) => p === b.results[i]);
}

/**
 * Core import matching (core spec §3.2 "Import subtyping"), as used when a
 * core module is instantiated inside a component: returns why `actual` does
 * not match `expected`, or undefined.
 */
export function coreExternMismatch(actual: CoreExtern, expected: CoreExtern): string | undefined {
  if (actual.kind !== expected.kind) return `expected ${expected.kind}, found ${actual.kind}`;
  switch (expected.kind) {
    case 'func':
    case 'tag': {
      const a = (actual as { type: CoreFuncTy | undefined }).type;
      if (a === undefined || expected.type === undefined) return undefined;
      if (!coreFuncEqual(a, expected.type)) return `type mismatch: expected ${showCoreFunc(expected.type)}, found ${showCoreFunc(a)}`;
      return undefined;
    }
    case 'table': {
      const a = actual as typeof expected;
      if (a.element !== expected.element) return `expected table element type ${expected.element}, found ${a.element}`;
      if (a.table64 !== expected.table64 || a.shared !== expected.shared) return 'mismatch in table type';
      if (!limitsMatch(a, expected)) return 'mismatch in table limits';
      return undefined;
    }
    case 'memory': {
      const a = actual as typeof expected;
      if (a.shared !== expected.shared) return 'mismatch in the shared flag for memories';
      if (a.memory64 !== expected.memory64) return 'mismatch in index type for memories';
      if ((a.pageSizeLog2 ?? 16) !== (expected.pageSizeLog2 ?? 16)) return 'mismatch in page size for memories';
      if (!limitsMatch(a, expected)) return 'mismatch in memory limits';
      return undefined;
    }
    case 'global': {
      const a = actual as typeof expected;
      if (a.mutable !== expected.mutable || a.shared !== expected.shared) return 'mismatch in global mutability';
      if (a.type !== expected.type) return `expected global type ${expected.type}, found ${a.type}`;
      return undefined;
    }
  }
}

function limitsMatch(a: { min: bigint; max?: bigint }, e: { min: bigint; max?: bigint }): boolean {
  if (a.min < e.min) return false;
  if (e.max === undefined) return true;
  return a.max !== undefined && a.max <= e.max;
}

// ---------------------------------------------------------------------------
// Free resources and substitution
// ---------------------------------------------------------------------------

/** Every resource id a type mentions (`Explainer.md#resource-types`), added to `out`. */
export function freeResources(t: TypeEntry | ValTy | Extern | ModuleTy, out: Set<ResourceId>, seen: Set<object> = new Set()): Set<ResourceId> {
  if (typeof t === 'string') return out;
  if (seen.has(t)) return out;
  seen.add(t);
  if ('sort' in t) {
    freeResources(t.type as TypeEntry, out, seen);
    return out;
  }
  switch (t.kind) {
    case 'resource':
      out.add(t.id);
      break;
    case 'defined':
      for (const v of shapeChildren(t.shape)) freeResources(v, out, seen);
      if (t.shape.kind === 'own' || t.shape.kind === 'borrow') out.add(t.shape.resource.id);
      break;
    case 'func':
      for (const p of t.params) freeResources(p.type, out, seen);
      if (t.result !== undefined) freeResources(t.result, out, seen);
      break;
    case 'instance':
      for (const e of t.exports.values()) freeResources(e, out, seen);
      break;
    case 'component':
      for (const e of t.imports.values()) freeResources(e, out, seen);
      for (const e of t.exports.values()) freeResources(e, out, seen);
      break;
    case 'module':
      break;
  }
  return out;
}

/** The value types directly inside a defined value type. */
export function shapeChildren(s: DefinedShape): ValTy[] {
  switch (s.kind) {
    case 'primitive':
    case 'flags':
    case 'enum':
    case 'own':
    case 'borrow':
      return [];
    case 'record':
      return s.fields.map((f) => f.type);
    case 'variant':
      return s.cases.flatMap((c) => (c.type === undefined ? [] : [c.type]));
    case 'list':
    case 'fixed-length-list':
      return [s.element];
    case 'tuple':
      return [...s.types];
    case 'option':
      return [s.type];
    case 'result':
      return [...(s.ok === undefined ? [] : [s.ok]), ...(s.err === undefined ? [] : [s.err])];
    case 'stream':
    case 'future':
      return s.element === undefined ? [] : [s.element];
    case 'map':
      return [s.key, s.value];
  }
}

/**
 * Replace resource identities in a type (`map` from old id to new id), as
 * happens when an instance type is imported (its abstract resources become
 * fresh) or a component is instantiated (its imported resources become the
 * arguments'). Unchanged sub-terms are shared, not copied.
 */
export class Substitution {
  private readonly memo = new Map<object, unknown>();
  constructor(
    readonly map: ReadonlyMap<ResourceId, ResourceId>,
    /** Whole type entries to replace (a component's type imports by the instantiation's arguments). */
    readonly entries: ReadonlyMap<object, TypeEntry> = new Map(),
  ) {}

  /** True when nothing would change. */
  get empty(): boolean {
    return this.map.size === 0 && this.entries.size === 0;
  }

  extern(e: Extern): Extern {
    if (this.empty) return e;
    switch (e.sort) {
      case 'func':
        return { sort: 'func', type: this.func(e.type) };
      case 'value':
        return { sort: 'value', type: this.val(e.type) };
      case 'type':
        return { sort: 'type', type: this.entry(e.type) };
      case 'instance':
        return { sort: 'instance', type: this.instance(e.type) };
      case 'component':
        return { sort: 'component', type: this.component(e.type) };
      case 'module':
        return e;
    }
  }

  entry(t: TypeEntry): TypeEntry {
    const replaced = this.entries.get(t);
    if (replaced !== undefined) return replaced;
    switch (t.kind) {
      case 'resource':
        return this.resource(t);
      case 'defined':
        return this.defined(t);
      case 'func':
        return this.func(t);
      case 'instance':
        return this.instance(t);
      case 'component':
        return this.component(t);
    }
  }

  resource(t: ResourceTy): ResourceTy {
    const n = this.map.get(t.id);
    if (n === undefined) return t;
    return this.cached(t, () => ({ kind: 'resource', id: n }));
  }

  val(t: ValTy): ValTy {
    return typeof t === 'string' ? t : this.defined(t);
  }

  defined(t: DefinedTy): DefinedTy {
    if (this.empty) return t;
    const replaced = this.entries.get(t);
    if (replaced !== undefined && replaced.kind === 'defined') return replaced;
    const hit = this.memo.get(t);
    if (hit !== undefined) return hit as DefinedTy;
    this.memo.set(t, t);
    const s = t.shape;
    let shape: DefinedShape;
    switch (s.kind) {
      case 'record':
        shape = { kind: 'record', fields: s.fields.map((f) => ({ name: f.name, type: this.val(f.type) })) };
        break;
      case 'variant':
        shape = { kind: 'variant', cases: s.cases.map((c) => (c.type === undefined ? { name: c.name } : { name: c.name, type: this.val(c.type) })) };
        break;
      case 'list':
        shape = { kind: 'list', element: this.val(s.element) };
        break;
      case 'fixed-length-list':
        shape = { kind: 'fixed-length-list', element: this.val(s.element), length: s.length };
        break;
      case 'tuple':
        shape = { kind: 'tuple', types: s.types.map((x) => this.val(x)) };
        break;
      case 'option':
        shape = { kind: 'option', type: this.val(s.type) };
        break;
      case 'result':
        shape = { kind: 'result', ...(s.ok === undefined ? {} : { ok: this.val(s.ok) }), ...(s.err === undefined ? {} : { err: this.val(s.err) }) };
        break;
      case 'own':
      case 'borrow':
        shape = { kind: s.kind, resource: this.resource(s.resource) };
        break;
      case 'stream':
      case 'future':
        shape = s.element === undefined ? { kind: s.kind } : { kind: s.kind, element: this.val(s.element) };
        break;
      case 'map':
        shape = { kind: 'map', key: this.val(s.key), value: this.val(s.value) };
        break;
      default:
        shape = s;
    }
    const before = s.kind === 'own' || s.kind === 'borrow' ? [s.resource] : shapeChildren(s);
    const after = shape.kind === 'own' || shape.kind === 'borrow' ? [shape.resource] : shapeChildren(shape);
    if (before.every((x, i) => x === after[i])) return t;
    const out: DefinedTy = { kind: 'defined', shape };
    this.memo.set(t, out);
    return out;
  }

  func(t: FuncTy): FuncTy {
    if (this.empty) return t;
    return this.cached(t, () => ({
      kind: 'func',
      async: t.async,
      params: t.params.map((p) => ({ name: p.name, type: this.val(p.type) })),
      ...(t.result === undefined ? {} : { result: this.val(t.result) }),
    }));
  }

  instance(t: InstanceTy): InstanceTy {
    if (this.empty) return t;
    return this.cached(t, () => ({
      kind: 'instance',
      exports: new Map([...t.exports].map(([k, v]) => [k, this.extern(v)])),
      defined: t.defined.map((id) => this.map.get(id) ?? id),
    }));
  }

  component(t: ComponentTy): ComponentTy {
    if (this.empty) return t;
    return this.cached(t, () => ({
      kind: 'component',
      imports: new Map([...t.imports].map(([k, v]) => [k, this.extern(v)])),
      exports: new Map([...t.exports].map(([k, v]) => [k, this.extern(v)])),
      imported: t.imported.map((id) => this.map.get(id) ?? id),
      defined: t.defined.map((id) => this.map.get(id) ?? id),
    }));
  }

  private cached<T extends object>(k: object, make: () => T): T {
    const hit = this.memo.get(k);
    if (hit !== undefined) return hit as T;
    const v = make();
    this.memo.set(k, v);
    return v;
  }
}

/** A substitution giving every id in `ids` a fresh identity. */
export function freshen(ids: Iterable<ResourceId>): Substitution {
  const m = new Map<ResourceId, ResourceId>();
  for (const id of ids) m.set(id, freshResourceId());
  return new Substitution(m);
}

// ---------------------------------------------------------------------------
// Subtyping (`Explainer.md#subtyping`)
// ---------------------------------------------------------------------------

/**
 * Checks `actual <: expected` and explains the first mismatch. `bind` holds
 * resource ids of the expected side that may still be bound to an actual
 * resource (a component type's imported resources while checking the
 * arguments of an instantiation); a binding, once made, is kept in
 * `bindings`.
 */
export class Subtyping {
  readonly bindings: Map<ResourceId, ResourceId> = new Map();
  constructor(private readonly bind: ReadonlySet<ResourceId> = new Set()) {}

  /** Why `a` is not a subtype of `e`, or undefined. */
  extern(a: Extern, e: Extern): string | undefined {
    if (a.sort !== e.sort) return `expected ${e.sort}, found ${a.sort}`;
    switch (e.sort) {
      case 'func':
        return this.func(a.type as FuncTy, e.type);
      case 'value':
        return this.val(a.type as ValTy, e.type);
      case 'type':
        return this.entry(a.type as TypeEntry, e.type);
      case 'instance':
        return this.instance(a.type as InstanceTy, e.type);
      case 'component':
        return this.component(a.type as ComponentTy, e.type);
      case 'module':
        return moduleMismatch(a.type as ModuleTy, e.type);
    }
  }

  resource(a: ResourceId, e: ResourceId): string | undefined {
    if (a === e) return undefined;
    const b = this.bindings.get(e);
    if (b !== undefined) return b === a ? undefined : 'resource types are not the same';
    if (this.bind.has(e)) {
      this.bindings.set(e, a);
      return undefined;
    }
    return 'resource types are not the same';
  }

  entry(a: TypeEntry, e: TypeEntry): string | undefined {
    if (e.kind === 'resource') {
      if (a.kind !== 'resource') return `expected resource, found ${entryKindName(a)}`;
      return this.resource(a.id, e.id);
    }
    if (a.kind === 'resource') return `expected ${entryKindName(e)}, found resource`;
    if (a.kind !== e.kind) return `expected ${entryKindName(e)}, found ${entryKindName(a)}`;
    switch (e.kind) {
      case 'defined':
        return this.val(a as DefinedTy, e);
      case 'func':
        return this.func(a as FuncTy, e);
      case 'instance':
        return this.instance(a as InstanceTy, e);
      case 'component':
        return this.component(a as ComponentTy, e);
    }
  }

  func(a: FuncTy, e: FuncTy): string | undefined {
    if (a.async !== e.async) return a.async ? 'expected a sync function, found an async one' : 'expected an async function, found a sync one';
    if (a.params.length !== e.params.length) return `expected ${e.params.length} parameters, found ${a.params.length}`;
    for (let i = 0; i < e.params.length; i++) {
      const ap = a.params[i]!;
      const ep = e.params[i]!;
      if (ap.name.toLowerCase() !== ep.name.toLowerCase()) return `expected parameter named \`${ep.name}\`, found \`${ap.name}\``;
      const m = this.val(ap.type, ep.type);
      if (m !== undefined) return `type mismatch in function parameter \`${ep.name}\`: ${m}`;
    }
    // Worded from the side of the provided function, as wasmparser words it.
    if (e.result === undefined && a.result !== undefined) return 'expected a result, found none';
    if (e.result !== undefined && a.result === undefined) return 'expected no result, found one';
    if (e.result !== undefined && a.result !== undefined) {
      const m = this.val(a.result, e.result);
      if (m !== undefined) return `type mismatch with result type: ${m}`;
    }
    return undefined;
  }

  instance(a: InstanceTy, e: InstanceTy): string | undefined {
    for (const [name, et] of e.exports) {
      const at = lookupName(a.exports, name);
      if (at === undefined) return `missing expected export \`${name}\``;
      const m = this.extern(at, et);
      if (m !== undefined) return `type mismatch in instance export \`${name}\`: ${m}`;
    }
    return undefined;
  }

  component(a: ComponentTy, e: ComponentTy): string | undefined {
    // Contravariant imports: every import `a` needs must be supplied by `e`'s importer.
    const inner = new Subtyping(new Set([...this.bind, ...a.imported]));
    for (const [k, v] of this.bindings) inner.bindings.set(k, v);
    for (const [name, at] of a.imports) {
      const et = lookupName(e.imports, name);
      if (et === undefined) return `missing expected import \`${name}\``;
      const m = inner.extern(et, at);
      if (m !== undefined) return `type mismatch in import \`${name}\`: ${m}`;
    }
    const sub = new Substitution(new Map([...inner.bindings].filter(([k]) => a.imported.includes(k))));
    const outer = new Subtyping(new Set([...this.bind, ...e.defined]));
    for (const [k, v] of this.bindings) outer.bindings.set(k, v);
    for (const [name, et] of e.exports) {
      const at = lookupName(a.exports, name);
      if (at === undefined) return `missing expected export \`${name}\``;
      const m = outer.extern(sub.extern(at), et);
      if (m !== undefined) return `type mismatch in export \`${name}\`: ${m}`;
    }
    return undefined;
  }

  /** Value types: subtyping is type equality (`Explainer.md#subtyping`). */
  val(a: ValTy, e: ValTy): string | undefined {
    if (typeof a === 'string' || typeof e === 'string') {
      const ap = typeof a === 'string' ? a : a.shape.kind === 'primitive' ? a.shape.type : undefined;
      const ep = typeof e === 'string' ? e : e.shape.kind === 'primitive' ? e.shape.type : undefined;
      if (ap !== undefined && ep !== undefined) return ap === ep ? undefined : `expected primitive \`${ep}\` found primitive \`${ap}\``;
      if (ep !== undefined) return `expected ${ep}, found ${valKind(a)}`;
      return `expected ${valKind(e)}, found ${valKind(a)}`;
    }
    if (a === e) return undefined;
    const seen = this.equalPairs.get(a);
    if (seen?.has(e) === true) return undefined;
    const m = this.valShape(a, e);
    if (m === undefined) {
      if (seen === undefined) this.equalPairs.set(a, new WeakSet([e]));
      else seen.add(e);
    }
    return m;
  }

  private readonly equalPairs = new WeakMap<object, WeakSet<object>>();

  private valShape(a: DefinedTy, e: DefinedTy): string | undefined {
    const as = a.shape;
    const es = e.shape;
    if (as.kind === 'primitive' || es.kind === 'primitive') return this.val(as.kind === 'primitive' ? as.type : a, es.kind === 'primitive' ? es.type : e);
    if (as.kind !== es.kind) return `expected ${es.kind}, found ${as.kind}`;
    switch (es.kind) {
      case 'record': {
        const af = (as as typeof es).fields;
        if (af.length !== es.fields.length) return `expected ${es.fields.length} fields, found ${af.length}`;
        for (let i = 0; i < af.length; i++) {
          if (af[i]!.name !== es.fields[i]!.name) return `expected field name \`${es.fields[i]!.name}\`, found \`${af[i]!.name}\``;
          const m = this.val(af[i]!.type, es.fields[i]!.type);
          if (m !== undefined) return `type mismatch in record field \`${es.fields[i]!.name}\`: ${m}`;
        }
        return undefined;
      }
      case 'variant': {
        const ac = (as as typeof es).cases;
        if (ac.length !== es.cases.length) return `expected ${es.cases.length} cases, found ${ac.length}`;
        for (let i = 0; i < ac.length; i++) {
          const x = ac[i]!;
          const y = es.cases[i]!;
          if (x.name !== y.name) return `expected case named \`${y.name}\`, found \`${x.name}\``;
          if (y.type === undefined && x.type !== undefined) return `expected case \`${y.name}\` to have no type`;
          if (y.type !== undefined && x.type === undefined) return `expected case \`${y.name}\` to have a type, found none`;
          if (x.type !== undefined && y.type !== undefined) {
            const m = this.val(x.type, y.type);
            if (m !== undefined) return `type mismatch in variant case \`${y.name}\`: ${m}`;
          }
        }
        return undefined;
      }
      case 'list':
      case 'option':
        return this.val(as.kind === 'list' ? as.element : (as as { type: ValTy }).type, es.kind === 'list' ? es.element : es.type);
      case 'fixed-length-list': {
        const x = as as typeof es;
        if (x.length !== es.length) return `expected list of length ${es.length}, found ${x.length}`;
        return this.val(x.element, es.element);
      }
      case 'tuple': {
        const at = (as as typeof es).types;
        if (at.length !== es.types.length) return `expected ${es.types.length} types, found ${at.length}`;
        for (let i = 0; i < at.length; i++) {
          const m = this.val(at[i]!, es.types[i]!);
          if (m !== undefined) return `type mismatch in tuple field ${i}: ${m}`;
        }
        return undefined;
      }
      case 'flags':
      case 'enum': {
        const an = (as as typeof es).names;
        if (an.length !== es.names.length || an.some((n, i) => n !== es.names[i])) return `mismatch in ${es.kind} elements`;
        return undefined;
      }
      case 'result': {
        const x = as as typeof es;
        for (const side of ['ok', 'err'] as const) {
          const xa = x[side];
          const ya = es[side];
          if (ya === undefined && xa !== undefined) return `expected ${side} type to not be present`;
          if (ya !== undefined && xa === undefined) return `expected ${side} type, but found none`;
          if (xa !== undefined && ya !== undefined) {
            const m = this.val(xa, ya);
            if (m !== undefined) return `type mismatch in ${side} variant: ${m}`;
          }
        }
        return undefined;
      }
      case 'own':
      case 'borrow':
        return this.resource((as as typeof es).resource.id, es.resource.id);
      case 'stream':
      case 'future': {
        const x = as as typeof es;
        if ((x.element === undefined) !== (es.element === undefined)) return `mismatch in ${es.kind} element type`;
        return x.element === undefined || es.element === undefined ? undefined : this.val(x.element, es.element);
      }
      case 'map': {
        const x = as as typeof es;
        return this.val(x.key, es.key) ?? this.val(x.value, es.value);
      }
    }
  }
}

/** Look a name up in an import/export map. */
export function lookupName<T>(m: ReadonlyMap<string, T>, name: string): T | undefined {
  return m.get(name);
}

function moduleMismatch(a: ModuleTy, e: ModuleTy): string | undefined {
  // `a <: e` when `a` needs no import `e` does not provide and exports all `e` exports.
  for (const imp of a.imports) {
    const ei = e.imports.find((x) => x.module === imp.module && x.name === imp.name);
    if (ei === undefined) return `missing expected import \`${imp.module}::${imp.name}\``;
    const m = coreExternMismatch(ei.type, imp.type);
    if (m !== undefined) return `type mismatch in import \`${imp.module}::${imp.name}\`: ${m}`;
  }
  for (const [name, et] of e.exports) {
    const at = a.exports.get(name);
    if (at === undefined) return `missing expected export \`${name}\``;
    const m = coreExternMismatch(at, et);
    if (m !== undefined) return `type mismatch in export \`${name}\`: ${m}`;
  }
  return undefined;
}

function entryKindName(t: TypeEntry): string {
  return t.kind === 'defined' ? 'defined type' : `${t.kind} type`;
}

function valKind(t: ValTy): string {
  return typeof t === 'string' ? t : t.shape.kind === 'primitive' ? t.shape.type : t.shape.kind;
}

/** The primitive a value type is, looking through a `(type u32)`-style definition. */
export function primitiveOf(t: ValTy): PrimitiveValType | undefined {
  if (typeof t === 'string') return t;
  return t.shape.kind === 'primitive' ? t.shape.type : undefined;
}

/** The shape of a value type, with primitives given their own shape. */
export function shapeOf(t: ValTy): DefinedShape {
  return typeof t === 'string' ? { kind: 'primitive', type: t } : t.shape;
}

// ---------------------------------------------------------------------------
// Flattening (`CanonicalABI.md#flattening`) and sizes
// ---------------------------------------------------------------------------

/**
 * Flattening stops once this many core values are produced: callers only
 * need to know whether a list exceeds {@link MAX_FLAT_PARAMS}, and the cap
 * keeps hostile types (a record of itself doubled a hundred times) cheap.
 */
export const FLAT_CAP = 64;

/** Core value types of the flat lowering of one value type (at most about {@link FLAT_CAP} of them). */
export function flattenType(t: ValTy, out: string[] = []): string[] {
  if (out.length > FLAT_CAP) return out;
  const s = shapeOf(t);
  switch (s.kind) {
    case 'primitive':
      switch (s.type) {
        case 's64':
        case 'u64':
          out.push('i64');
          break;
        case 'f32':
          out.push('f32');
          break;
        case 'f64':
          out.push('f64');
          break;
        case 'string':
          out.push('i32', 'i32');
          break;
        default:
          out.push('i32');
      }
      return out;
    case 'list':
    case 'map':
      out.push('i32', 'i32');
      return out;
    case 'fixed-length-list':
      for (let i = 0; i < s.length && out.length <= FLAT_CAP; i++) flattenType(s.element, out);
      return out;
    case 'record':
      for (const f of s.fields) flattenType(f.type, out);
      return out;
    case 'tuple':
      for (const x of s.types) flattenType(x, out);
      return out;
    case 'flags':
      out.push('i32');
      return out;
    case 'enum':
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
      out.push('i32');
      return out;
    case 'option':
      return flattenVariant([undefined, s.type], out);
    case 'result':
      return flattenVariant([s.ok, s.err], out);
    case 'variant':
      return flattenVariant(
        s.cases.map((c) => c.type),
        out,
      );
  }
}

function flattenVariant(cases: readonly (ValTy | undefined)[], out: string[]): string[] {
  const flat: string[] = [];
  for (const c of cases) {
    if (c === undefined) continue;
    const f = flattenType(c);
    for (let i = 0; i < f.length; i++) {
      const have = flat[i];
      const want = f[i]!;
      if (have === undefined) flat.push(want);
      else if (have !== want) flat[i] = (have === 'i32' && want === 'f32') || (have === 'f32' && want === 'i32') ? 'i32' : 'i64';
    }
  }
  out.push('i32', ...flat);
  return out;
}

/** Maximum flat parameters and results of a synchronous call (`CanonicalABI.md#flattening`). */
export const MAX_FLAT_PARAMS = 16;
/** Maximum flat results of a synchronous call. */
export const MAX_FLAT_RESULTS = 1;
/** Maximum flat parameters of an async lower. */
export const MAX_FLAT_ASYNC_PARAMS = 4;

const sizeMemo = new WeakMap<object, { size: number; align: number }>();

/** Size and alignment of a value type in linear memory, counting pointers as 64-bit (the largest layout). */
export function sizeAlign(t: ValTy): { size: number; align: number } {
  if (typeof t !== 'string') {
    const hit = sizeMemo.get(t);
    if (hit !== undefined) return hit;
    const v = sizeAlignOf(t);
    sizeMemo.set(t, v);
    return v;
  }
  return sizeAlignOf(t);
}

function sizeAlignOf(t: ValTy): { size: number; align: number } {
  const s = shapeOf(t);
  switch (s.kind) {
    case 'primitive':
      switch (s.type) {
        case 'bool':
        case 's8':
        case 'u8':
          return { size: 1, align: 1 };
        case 's16':
        case 'u16':
          return { size: 2, align: 2 };
        case 's64':
        case 'u64':
        case 'f64':
          return { size: 8, align: 8 };
        case 'string':
          return { size: 16, align: 8 };
        default:
          return { size: 4, align: 4 };
      }
    case 'list':
    case 'map':
      return { size: 16, align: 8 };
    case 'fixed-length-list': {
      const e = sizeAlign(s.element);
      return { size: e.size * s.length, align: e.align };
    }
    case 'record':
      return sizeOfFields(s.fields.map((f) => f.type));
    case 'tuple':
      return sizeOfFields(s.types);
    case 'flags':
      return s.names.length <= 8 ? { size: 1, align: 1 } : s.names.length <= 16 ? { size: 2, align: 2 } : { size: 4, align: 4 };
    case 'enum':
      return discSize(s.names.length);
    case 'own':
    case 'borrow':
    case 'stream':
    case 'future':
      return { size: 4, align: 4 };
    case 'option':
      return sizeOfVariant([undefined, s.type]);
    case 'result':
      return sizeOfVariant([s.ok, s.err]);
    case 'variant':
      return sizeOfVariant(s.cases.map((c) => c.type));
  }
}

function alignTo(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function sizeOfFields(ts: readonly ValTy[]): { size: number; align: number } {
  let size = 0;
  let align = 1;
  for (const t of ts) {
    const x = sizeAlign(t);
    size = alignTo(size, x.align) + x.size;
    align = Math.max(align, x.align);
  }
  return { size: alignTo(size, align), align };
}

function discSize(n: number): { size: number; align: number } {
  return n <= 256 ? { size: 1, align: 1 } : n <= 65536 ? { size: 2, align: 2 } : { size: 4, align: 4 };
}

function sizeOfVariant(cases: readonly (ValTy | undefined)[]): { size: number; align: number } {
  const d = discSize(cases.length);
  let max = 0;
  let align = d.align;
  for (const c of cases) {
    if (c === undefined) continue;
    const x = sizeAlign(c);
    max = Math.max(max, x.size);
    align = Math.max(align, x.align);
  }
  const size = alignTo(alignTo(d.size, align) + max, align);
  return { size, align };
}

const memoryMemo = new WeakMap<object, boolean>();

/** True when a value of this type needs linear memory to be passed (it contains strings or lists). */
export function needsMemory(t: ValTy): boolean {
  const s = shapeOf(t);
  if (s.kind === 'primitive') return s.type === 'string';
  if (s.kind === 'list' || s.kind === 'map') return true;
  // Streams and futures cross as i32 handles; their elements move later, through the
  // stream/future built-ins, which take their own `memory` option.
  if (s.kind === 'stream' || s.kind === 'future') return false;
  if (typeof t === 'string') return false;
  const hit = memoryMemo.get(t);
  if (hit !== undefined) return hit;
  const v = shapeChildren(s).some(needsMemory);
  memoryMemo.set(t, v);
  return v;
}

/** Limits on a type's unfolded size and nesting depth (wasmparser's effective type size is 1,000,000). */
export const MAX_TYPE_SIZE = 1_000_000;
/** Maximum nesting depth of value types. */
export const MAX_TYPE_DEPTH = 1000;

const infoMemo = new WeakMap<object, { size: number; depth: number }>();

/**
 * The unfolded size and nesting depth of a value type. Types refer to
 * earlier types by index, so a hostile component can describe a type whose
 * unfolding is exponential in the number of definitions; every recursive
 * walk of the validator is bounded by checking this at definition time.
 */
export function typeInfo(t: ValTy): { size: number; depth: number } {
  if (typeof t === 'string') return { size: 1, depth: 1 };
  const hit = infoMemo.get(t);
  if (hit !== undefined) return hit;
  let size = 1;
  let depth = 0;
  const s = t.shape;
  const kids = shapeChildren(s);
  for (const c of kids) {
    const i = typeInfo(c);
    size += i.size;
    depth = Math.max(depth, i.depth);
  }
  const v = { size: Math.min(size, Number.MAX_SAFE_INTEGER), depth: depth + 1 };
  infoMemo.set(t, v);
  return v;
}
