/**
 * The component validator (`Explainer.md`, `Binary.md`): walks a decoded
 * component section by section, keeps every index space with the resolved
 * type of each entry, and rejects what the spec calls invalid with a message
 * that says what and where. The index spaces it builds are returned as
 * {@link ComponentInfo}, so the instantiator need not resolve types again.
 *
 * @module
 */
import {
  type Alias,
  type CanonicalFunction,
  type CanonOpt,
  type Component,
  type ComponentSection,
  type ComponentTypeDecl,
  type ComponentValType,
  type CoreTypeDef,
  type ExternDesc,
  type ExternName,
  type InstanceTypeDecl,
  type Sort,
  type TypeDef,
  isDecodeError,
  decodeComponent,
} from '@wasm-components/binary';
import { ValidationError } from '../errors.js';
import { type CoreTypeEntry, CoreError, coreTypeDefEntries, moduleType, validateCoreModule } from './core.js';
import { NameError, NameSet, type ParsedName, checkKebab, parseExternName, parseInterfaceName } from './names.js';
import {
  type ComponentTy,
  type CoreExtern,
  type CoreFuncTy,
  type DefinedShape,
  type DefinedTy,
  type Extern,
  type FuncTy,
  type InstanceTy,
  type ModuleTy,
  type ResourceId,
  type ResourceTy,
  type TypeEntry,
  type ValTy,
  MAX_FLAT_ASYNC_PARAMS,
  MAX_FLAT_PARAMS,
  MAX_FLAT_RESULTS,
  MAX_TYPE_DEPTH,
  MAX_TYPE_SIZE,
  Substitution,
  Subtyping,
  coreExternMismatch,
  coreFuncEqual,
  flattenType,
  freeResources,
  freshResourceId,
  freshen,
  needsMemory,
  shapeChildren,
  shapeOf,
    sizeAlign,
  typeInfo,
} from './types.js';

/**
 * Proposals gated in `Explainer.md` (the emoji-marked features). Each is
 * enabled unless set to `false`; a disabled feature makes its constructs
 * invalid, as a host that does not implement them must treat them.
 */
export interface ValidateFeatures {
  /** 🔀 async: async function types, `async`/`callback` options, streams, futures, task and waitable built-ins. */
  readonly async?: boolean;
  /** 📝 error-context: the `error-context` type and its built-ins. */
  readonly errorContext?: boolean;
  /** 🧵 threads: the `thread.*` built-ins. */
  readonly threads?: boolean;
  /** 🔧 fixed-length lists (`list<T, N>`). */
  readonly fixedLengthLists?: boolean;
  /** 🗺️ maps (`map<K, V>`). */
  readonly maps?: boolean;
  /** 🪙 values: the value section, value imports/exports and the start section. */
  readonly values?: boolean;
}

/** Options of {@link validate}. */
export interface ValidateOptions {
  /** Validate nested core modules with the engine (`WebAssembly.validate`). Default true. */
  readonly validateCoreModules?: boolean;
  /** Gated features; all enabled by default. */
  readonly features?: ValidateFeatures;
}

/**
 * The index spaces of a validated component with the resolved type of every
 * entry, in index order (`Explainer.md#index-spaces`). Core functions whose
 * type the validator does not compute (some async built-ins) are `undefined`.
 */
export interface ComponentInfo {
  readonly coreFuncs: readonly (CoreFuncTy | undefined)[];
  readonly coreTables: readonly CoreExtern[];
  readonly coreMemories: readonly CoreExtern[];
  readonly coreGlobals: readonly CoreExtern[];
  readonly coreTags: readonly CoreExtern[];
  readonly coreTypes: readonly CoreTypeEntry[];
  readonly coreModules: readonly ModuleTy[];
  readonly coreInstances: readonly ReadonlyMap<string, CoreExtern>[];
  readonly funcs: readonly FuncTy[];
  readonly values: readonly ValTy[];
  readonly types: readonly TypeEntry[];
  readonly components: readonly ComponentTy[];
  readonly instances: readonly InstanceTy[];
  /** The same information for each nested component, in the order of their sections. */
  readonly nested: readonly ComponentInfo[];
  /** The component's own type: its imports and exports. */
  readonly type: ComponentTy;
}

/** Thrown inside the walk; turned into a located {@link ValidationError} at the section level. */
class Invalid extends Error {
  override readonly name = 'Invalid';
}

function fail(msg: string): never {
  throw new Invalid(msg);
}

type ScopeKind = 'component' | 'component-type' | 'instance-type';

/** The names under which each resource was imported (or exported), for `[constructor]`-style names. */
type ResourceNames = Map<ResourceId, string[]>;

function addResourceName(m: ResourceNames, id: ResourceId, name: string): void {
  const xs = m.get(id);
  if (xs === undefined) m.set(id, [name]);
  else xs.push(name);
}

/** One scope of index spaces: a component, or a component/instance type declaration. */
class Scope {
  readonly coreTypes: CoreTypeEntry[] = [];
  readonly coreFuncs: (CoreFuncTy | undefined)[] = [];
  readonly coreTables: CoreExtern[] = [];
  readonly coreMemories: CoreExtern[] = [];
  readonly coreGlobals: CoreExtern[] = [];
  readonly coreTags: CoreExtern[] = [];
  readonly coreModules: ModuleTy[] = [];
  readonly coreInstances: Map<string, CoreExtern>[] = [];
  readonly types: TypeEntry[] = [];
  readonly funcs: FuncTy[] = [];
  readonly values: ValTy[] = [];
  readonly components: ComponentTy[] = [];
  readonly instances: InstanceTy[] = [];
  /** Which instances are imported or exported (the types they export count as named). */
  readonly instanceNamed: ('import' | 'export' | undefined)[] = [];
  readonly importNames: NameSet = new NameSet();
  readonly exportNames: NameSet = new NameSet();
  readonly imports: Map<string, Extern> = new Map();
  readonly exports: Map<string, Extern> = new Map();
  /** Type entries an import may refer to (`Explainer.md#external-visibility-of-types`). */
  readonly importNamed: Set<object> = new Set();
  /** Type entries an export may refer to. */
  readonly exportNamed: Set<object> = new Set();
  readonly importResourceNames: ResourceNames = new Map();
  readonly exportResourceNames: ResourceNames = new Map();
  /** Validation info of each nested component, in order of their sections. */
  readonly nested: ComponentInfo[] = [];
  readonly localResources: Set<ResourceId> = new Set();
  /** Resources that come from enclosing scopes through outer aliases. */
  readonly outerResources: Set<ResourceId> = new Set();
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
  ) {}
}

function at<T>(xs: readonly T[], i: number, what: string): T {
  const x = xs[i];
  if (i >= xs.length) fail(`unknown ${what} ${i}: ${what} index out of bounds (there are ${xs.length})`);
  return x;
}

/**
 * Validate a component given as bytes or as a decoded AST. Bytes that do
 * not decode are rejected too (the decode error is the `cause`).
 *
 * @throws {@link ValidationError} when the component is not valid
 */
export function validate(bytesOrComponent: Uint8Array | Component, options: ValidateOptions = {}): void {
  validateComponent(bytesOrComponent, options);
}

/**
 * Validate a component and return its resolved index spaces
 * ({@link ComponentInfo}), which the instantiator uses.
 *
 * @throws {@link ValidationError} when the component is not valid
 */
export function validateComponent(bytesOrComponent: Uint8Array | Component, options: ValidateOptions = {}): ComponentInfo {
  let c: Component;
  if (bytesOrComponent instanceof Uint8Array) {
    try {
      // Validation reads core modules' interfaces only (the engine validates their code).
      c = decodeComponent(bytesOrComponent, { interfaceOnly: true });
    } catch (e) {
      if (isDecodeError(e)) throw new ValidationError(`malformed component: ${e.message}`, { offset: e.offset, cause: e });
      throw e;
    }
  } else c = bytesOrComponent;
  const v = new Validator(options);
  const scope = new Scope('component', undefined);
  return infoOf(scope, v.component(c, scope));
}

function infoOf(scope: Scope, type: ComponentTy): ComponentInfo {
  return {
    coreFuncs: scope.coreFuncs,
    coreTables: scope.coreTables,
    coreMemories: scope.coreMemories,
    coreGlobals: scope.coreGlobals,
    coreTags: scope.coreTags,
    coreTypes: scope.coreTypes,
    coreModules: scope.coreModules,
    coreInstances: scope.coreInstances,
    funcs: scope.funcs,
    values: scope.values,
    types: scope.types,
    components: scope.components,
    instances: scope.instances,
    nested: scope.nested,
    type,
  };
}

const I32_SIG = (params: readonly string[], results: readonly string[]): CoreFuncTy => ({ params, results });

class Validator {
  private depth = 0;
  constructor(private readonly options: ValidateOptions) {}

  /** Rejects a construct of a disabled feature. */
  private feature(name: keyof ValidateFeatures, what: string): void {
    if (this.options.features?.[name] === false) fail(`${what} requires the ${name} feature, which is not enabled`);
  }

  /** Validate a component body in `s` and return its type. */
  component(c: Component, s: Scope): ComponentTy {
    if (++this.depth > 100) fail('component nesting too deep');
    c.sections.forEach((sec, i) => {
      try {
        this.section(sec, s);
      } catch (e) {
        if (e instanceof Invalid || e instanceof NameError || e instanceof CoreError) {
          throw new ValidationError(e.message, { section: i, ...(sec.offset === undefined ? {} : { offset: sec.offset }) });
        }
        // An error inside a nested component keeps its own offset and says which section holds the component.
        if (e instanceof ValidationError && sec.kind === 'nested-component') {
          throw new ValidationError(`in the nested component of section ${i}: ${e.message}`, { ...(e.offset === undefined ? {} : { offset: e.offset }), cause: e });
        }
        throw e;
      }
    });
    this.depth--;
    return this.componentTypeOf(s);
  }

  private componentTypeOf(s: Scope): ComponentTy {
    const imported = new Set<ResourceId>();
    for (const e of s.imports.values()) freeResources(e, imported);
    for (const id of s.outerResources) imported.delete(id);
    const defined = new Set<ResourceId>();
    for (const e of s.exports.values()) freeResources(e, defined);
    for (const id of imported) defined.delete(id);
    for (const id of s.outerResources) defined.delete(id);
    return { kind: 'component', imports: s.imports, exports: s.exports, imported: [...imported], defined: [...defined] };
  }

  private section(sec: ComponentSection, s: Scope): void {
    switch (sec.kind) {
      case 'custom':
      case 'component-name':
      case 'component-type-custom':
        return;
      case 'core-module': {
        const mt = moduleType(sec.module);
        if (this.options.validateCoreModules !== false) validateCoreModule(sec.module);
        s.coreModules.push(mt);
        return;
      }
      case 'core-instance':
        for (const inst of sec.instances) s.coreInstances.push(this.coreInstance(inst, s));
        return;
      case 'core-type':
        for (const t of sec.types) this.coreType(t, s);
        return;
      case 'nested-component': {
        const inner = new Scope('component', s);
        const type = this.component(sec.component, inner);
        s.components.push(type);
        s.nested.push(infoOf(inner, type));
        return;
      }
      case 'instance':
        for (const inst of sec.instances) {
          s.instances.push(this.instance(inst, s));
          s.instanceNamed.push(undefined);
        }
        return;
      case 'alias':
        for (const a of sec.aliases) this.alias(a, s);
        return;
      case 'type':
        for (const t of sec.types) s.types.push(this.typeDef(t, s));
        return;
      case 'canon':
        for (const f of sec.functions) this.canon(f, s);
        return;
      case 'start':
        this.feature('values', 'a start section');
        return this.start(sec.func, sec.args, sec.results, s);
      case 'import':
        for (const imp of sec.imports) this.importDecl(imp.name, imp.desc, s);
        return;
      case 'export':
        for (const e of sec.exports) this.exportItem(e.name, e.sort, e.index, e.desc, s);
        return;
      case 'value':
        this.feature('values', 'a value section');
        for (const v of sec.values) s.values.push(this.valType(v.type, s));
        return;
    }
  }

  // -------------------------------------------------------------------------
  // Core definitions
  // -------------------------------------------------------------------------

  private coreType(t: CoreTypeDef, s: Scope): void {
    // Inside a module type, count 0 is the module type itself (handled by the
    // declaration reader) and count 1 is this scope's core type space.
    const outer = (_count: number, index: number): CoreTypeEntry => at(s.coreTypes, index, 'core type');
    s.coreTypes.push(...coreTypeDefEntries(t, outer));
  }

  private coreInstance(inst: import('@wasm-components/binary').CoreInstance, s: Scope): Map<string, CoreExtern> {
    if (inst.kind === 'instantiate') {
      const m = s.coreModules[inst.module];
      if (m === undefined) fail(`unknown module ${inst.module}: module index out of bounds`);
      const args = new Map<string, Map<string, CoreExtern>>();
      for (const a of inst.args) {
        if (args.has(a.name)) fail(`duplicate module instantiation argument named \`${a.name}\``);
        args.set(a.name, at(s.coreInstances, a.instance, 'core instance'));
      }
      for (const imp of m.imports) {
        const arg = args.get(imp.module);
        if (arg === undefined) fail(`missing module instantiation argument named \`${imp.module}\``);
        const x = arg.get(imp.name);
        if (x === undefined) fail(`module instantiation argument \`${imp.module}\` does not export an item named \`${imp.name}\``);
        const mm = coreExternMismatch(x, imp.type);
        if (mm !== undefined) {
          if (x.kind === 'func' && imp.type.kind === 'func' && x.type !== undefined && imp.type.type !== undefined) {
            fail(`type mismatch for export \`${imp.name}\` of module instantiation argument \`${imp.module}\`: expected: ${watFunc(imp.type.type)}, found: ${watFunc(x.type)}`);
          }
          fail(`type mismatch for export \`${imp.name}\` of module instantiation argument \`${imp.module}\`: ${mm}`);
        }
      }
      return new Map(m.exports);
    }
    const out = new Map<string, CoreExtern>();
    for (const e of inst.exports) {
      if (out.has(e.name)) fail(`export name \`${e.name}\` already defined`);
      out.set(e.name, this.coreItem(e.sort, e.index, s));
    }
    return out;
  }

  private coreItem(sort: string, index: number, s: Scope): CoreExtern {
    switch (sort) {
      case 'func':
      case 'func-exact':
        return { kind: 'func', type: at(s.coreFuncs, index, 'function') };
      case 'table':
        return at(s.coreTables, index, 'table');
      case 'memory':
        return at(s.coreMemories, index, 'memory');
      case 'global':
        return at(s.coreGlobals, index, 'global');
      case 'tag':
        return at(s.coreTags, index, 'tag');
      default:
        return fail(`core sort ${sort} cannot be exported from a core instance`);
    }
  }

  // -------------------------------------------------------------------------
  // Types
  // -------------------------------------------------------------------------

  private typeAt(s: Scope, i: number): TypeEntry {
    return at(s.types, i, 'type');
  }

  valType(t: ComponentValType, s: Scope): ValTy {
    if (t === 'error-context') this.feature('errorContext', 'the `error-context` type');
    if (typeof t === 'string') return t;
    const e = this.typeAt(s, t.index);
    if (e.kind !== 'defined') fail(`type index ${t.index} is not a defined type`);
    return e;
  }

  private funcTypeAt(s: Scope, i: number): FuncTy {
    const e = this.typeAt(s, i);
    if (e.kind !== 'func') fail(`type index ${i} is not a function type`);
    return e;
  }

  private resourceAt(s: Scope, i: number): ResourceTy {
    const e = this.typeAt(s, i);
    if (e.kind !== 'resource') fail(`type index ${i} is not a resource type`);
    return e;
  }

  private uniqueLabels(names: readonly string[], what: string, prevWhat: string): void {
    const seen = new Map<string, string>();
    for (const n of names) {
      checkKebab(n, what);
      const k = n.toLowerCase();
      const p = seen.get(k);
      if (p !== undefined) fail(`${what} \`${n}\` conflicts with previous ${prevWhat} \`${p}\``);
      seen.set(k, n);
    }
  }

  typeDef(t: TypeDef, s: Scope): TypeEntry {
    switch (t.kind) {
      case 'func':
        return this.funcType(t, s);
      case 'component': {
        const inner = new Scope('component-type', s);
        for (const d of t.decls) this.decl(d, inner);
        return this.componentTypeOf(inner);
      }
      case 'instance': {
        const inner = new Scope('instance-type', s);
        for (const d of t.decls) this.decl(d, inner);
        const defined = new Set<ResourceId>();
        for (const e of inner.exports.values()) freeResources(e, defined);
        for (const id of inner.outerResources) defined.delete(id);
        return { kind: 'instance', exports: inner.exports, defined: [...defined] };
      }
      case 'resource': {
        if (s.kind !== 'component') fail('resources can only be defined within a concrete component');
        if (t.rep !== 'i32') fail('resources can only be represented by `i32`');
        if (t.dtor !== undefined) {
          const f = at(s.coreFuncs, t.dtor, 'function');
          if (f !== undefined && !coreFuncEqual(f, I32_SIG(['i32'], []))) fail('wrong signature for a destructor: expected [I32] -> []');
        }
        const r: ResourceTy = { kind: 'resource', id: freshResourceId() };
        s.localResources.add(r.id);
        return r;
      }
      default:
        return this.definedType(t, s);
    }
  }

  private funcType(t: Extract<TypeDef, { kind: 'func' }>, s: Scope): FuncTy {
    if (t.async) this.feature('async', 'an async function type');
    this.uniqueLabels(
      t.params.map((p) => p.name),
      'function parameter name',
      'parameter name',
    );
    const params = t.params.map((p) => ({ name: p.name, type: this.valType(p.type, s) }));
    const f: FuncTy = t.result === undefined ? { kind: 'func', async: t.async, params } : { kind: 'func', async: t.async, params, result: this.valType(t.result, s) };
    if (f.result !== undefined && containsBorrow(f.result)) fail('function result cannot contain a `borrow` type');
    return f;
  }

  private definedType(t: Exclude<TypeDef, { kind: 'func' | 'component' | 'instance' | 'resource' }>, s: Scope): DefinedTy {
    const v = (x: ComponentValType): ValTy => this.valType(x, s);
    let shape: DefinedShape;
    switch (t.kind) {
      case 'primitive':
        if (t.type === 'error-context') this.feature('errorContext', 'the `error-context` type');
        shape = { kind: 'primitive', type: t.type };
        break;
      case 'record':
        if (t.fields.length === 0) fail('record type must have at least one field');
        this.uniqueLabels(
          t.fields.map((f) => f.name),
          'record field name',
          'field name',
        );
        shape = { kind: 'record', fields: t.fields.map((f) => ({ name: f.name, type: v(f.type) })) };
        break;
      case 'variant':
        if (t.cases.length === 0) fail('variant type must have at least one case');
        this.uniqueLabels(
          t.cases.map((c) => c.name),
          'variant case name',
          'case name',
        );
        shape = { kind: 'variant', cases: t.cases.map((c) => (c.type === undefined ? { name: c.name } : { name: c.name, type: v(c.type) })) };
        break;
      case 'list':
        shape = { kind: 'list', element: v(t.element) };
        break;
      case 'fixed-length-list':
        this.feature('fixedLengthLists', 'a fixed-length list');
        if (t.length === 0) fail('fixed-length list must have a length greater than zero');
        shape = { kind: 'fixed-length-list', element: v(t.element), length: t.length };
        break;
      case 'tuple':
        if (t.types.length === 0) fail('tuple type must have at least one type');
        shape = { kind: 'tuple', types: t.types.map(v) };
        break;
      case 'flags':
        if (t.names.length === 0) fail('flags must have at least one entry');
        if (t.names.length > 32) fail('cannot have more than 32 flags');
        this.uniqueLabels(t.names, 'flag name', 'flag name');
        shape = { kind: 'flags', names: t.names };
        break;
      case 'enum':
        if (t.names.length === 0) fail('enum type must have at least one variant');
        this.uniqueLabels(t.names, 'enum tag name', 'tag name');
        shape = { kind: 'enum', names: t.names };
        break;
      case 'option':
        shape = { kind: 'option', type: v(t.type) };
        break;
      case 'result':
        shape = { kind: 'result', ...(t.ok === undefined ? {} : { ok: v(t.ok) }), ...(t.err === undefined ? {} : { err: v(t.err) }) };
        break;
      case 'own':
      case 'borrow':
        shape = { kind: t.kind, resource: this.resourceAt(s, t.type) };
        break;
      case 'stream':
      case 'future':
        this.feature('async', `a ${t.kind} type`);
        // component-model#607: `stream<char>` is reserved for now.
        if (t.kind === 'stream' && t.element === 'char') fail('`stream<char>` is not valid at this time');
        shape = t.element === undefined ? { kind: t.kind } : { kind: t.kind, element: v(t.element) };
        break;
      case 'map':
        this.feature('maps', 'a map type');
        shape = { kind: 'map', key: v(t.key), value: v(t.value) };
        break;
    }
    const d: DefinedTy = { kind: 'defined', shape };
    const info = typeInfo(d);
    if (info.size > MAX_TYPE_SIZE) fail(`effective type size exceeds the limit of ${MAX_TYPE_SIZE}`);
    if (info.depth > MAX_TYPE_DEPTH) fail(`type nesting is deeper than ${MAX_TYPE_DEPTH}`);
    if (sizeAlign(d).size > MAX_VALUE_SIZE) fail(`type exceeds maximum byte size of ${MAX_VALUE_SIZE}`);
    return d;
  }

  private decl(d: ComponentTypeDecl | InstanceTypeDecl, s: Scope): void {
    switch (d.kind) {
      case 'core-type':
        this.coreType(d.type, s);
        return;
      case 'type':
        s.types.push(this.typeDef(d.type, s));
        return;
      case 'alias': {
        const a = d.alias;
        if (a.kind === 'instance-export' && a.sort !== 'type' && a.sort !== 'instance') fail('alias in a type declaration may only refer to types or instances');
        if (a.kind === 'outer' && a.sort !== 'type' && a.sort !== 'core type') fail('outer alias in a type declaration may only refer to types or instances');
        if (a.kind === 'core-instance-export') fail('core export alias in a type declaration may only refer to types or instances');
        this.alias(a, s);
        return;
      }
      case 'import':
        this.importDecl(d.name, d.desc, s);
        return;
      case 'export':
        this.exportDecl(d.name, d.desc, s);
        return;
    }
  }

  // -------------------------------------------------------------------------
  // Extern descriptors, imports and exports
  // -------------------------------------------------------------------------

  private externDesc(d: ExternDesc, s: Scope): Extern {
    switch (d.kind) {
      case 'module': {
        const e = at(s.coreTypes, d.type, 'core type');
        if (e.kind !== 'module') fail(`core type index ${d.type} is not a module type`);
        return { sort: 'module', type: e.type };
      }
      case 'func':
        return { sort: 'func', type: this.funcTypeAt(s, d.type) };
      case 'value':
        this.feature('values', 'a value import or export');
        return { sort: 'value', type: this.valType(d.type, s) };
      case 'type':
        if (d.bound.kind === 'sub-resource') return { sort: 'type', type: { kind: 'resource', id: freshResourceId() } };
        return { sort: 'type', type: cloneEntry(this.typeAt(s, d.bound.type)) };
      case 'component': {
        const e = this.typeAt(s, d.type);
        if (e.kind !== 'component') fail(`type index ${d.type} is not a component type`);
        return { sort: 'component', type: e };
      }
      case 'instance': {
        const e = this.typeAt(s, d.type);
        if (e.kind !== 'instance') fail(`type index ${d.type} is not an instance type`);
        return { sort: 'instance', type: e };
      }
    }
  }

  /** Parse and check an extern name with its attributes. */
  private externName(n: ExternName, desc: Extern): ParsedName {
    const parsed = parseExternName(n.name);
    if (n.form === 'attributes') {
      const kinds = new Set<string>();
      for (const a of n.attributes) {
        if (kinds.has(a.kind)) fail(`duplicate '${a.kind}' option in name \`${n.name}\``);
        kinds.add(a.kind);
        if (a.kind === 'implements') {
          if (desc.sort !== 'instance') fail(`only instances can have an \`implements\` attribute (\`${n.name}\`)`);
          if (parsed.kind !== 'label') fail(`name \`${n.name}\` is not valid with \`implements\``);
          if (a.value === '') fail('`` is not a valid name for `implements`');
          if (!a.value.includes(':')) fail(`\`implements\` value \`${a.value}\` must be an interface name`);
          parseInterfaceName(a.value);
        } else if (a.kind === 'versionsuffix') {
          if (a.value === '') fail('empty version suffix');
        }
      }
    }
    return parsed;
  }

  private importDecl(n: ExternName, d: ExternDesc, s: Scope): void {
    let e = this.externDesc(d, s);
    const parsed = this.externName(n, e);
    s.importNames.add(n.name, parsed, 'import');
    if (e.sort === 'instance' && e.type.defined.length > 0) {
      e = { sort: 'instance', type: freshen(e.type.defined).instance(e.type) };
    }
    this.checkNamed(e, s.importNamed, 'import', s, n.name);
    // An imported instance makes the types it exports explicit in the imports (and so usable by exports too).
    if (e.sort === 'instance') {
      nameInstanceTypes(e.type, s.importNamed);
      nameInstanceTypes(e.type, s.exportNamed);
    }
    this.annotated(parsed, e, s.importResourceNames, 'import');
    s.imports.set(n.name, e);
    this.push(e, s, true, parsed, s.importResourceNames);
  }

  private exportDecl(n: ExternName, d: ExternDesc, s: Scope): void {
    let e = this.externDesc(d, s);
    // Each exported instance of an instance type has its own abstract resources.
    if (e.sort === 'instance' && e.type.defined.length > 0) e = { sort: 'instance', type: freshen(e.type.defined).instance(e.type) };
    const parsed = this.externName(n, e);
    s.exportNames.add(n.name, parsed, 'export');
    this.checkNamed(e, s.exportNamed, 'export', s, n.name);
    this.annotated(parsed, e, s.exportResourceNames, 'export');
    s.exports.set(n.name, e);
    this.push(e, s, false, parsed, s.exportResourceNames);
  }

  private exportItem(n: ExternName, sort: Sort, index: number, ascribed: ExternDesc | undefined, s: Scope): void {
    let e = this.sortItem(sort, index, s);
    if (ascribed !== undefined) {
      const want = this.externDesc(ascribed, s);
      const subResource = ascribed.kind === 'type' && ascribed.bound.kind === 'sub-resource';
      // `(sub resource)` is satisfied by any resource; everything else by subtyping.
      // The abstract resources of an ascribed instance type stand for the item's own.
      const sub = new Subtyping(new Set(want.sort === 'instance' ? want.type.defined : []));
      const m = subResource ? (e.sort === 'type' && e.type.kind === 'resource' ? undefined : `expected resource, found ${e.sort === 'type' ? e.type.kind : e.sort}`) : sub.extern(e, want);
      if (m !== undefined) fail(`ascribed type of export is not compatible with item's type: ${m}`);
      if (want.sort === 'instance') e = { sort: 'instance', type: new Substitution(sub.bindings).instance({ ...want.type, defined: [] }) };
      else if (want.sort !== 'type') e = want;
      // Ascribing `(sub resource)` hides the identity: outside, the export is a new abstract resource.
      else if (want.type.kind === 'resource' && ascribed.kind === 'type' && ascribed.bound.kind === 'sub-resource') e = want;
    }
    const parsed = this.externName(n, e);
    s.exportNames.add(n.name, parsed, 'export');
    if (e.sort === 'type') e = { sort: 'type', type: cloneEntry(e.type) };
    this.checkNamed(e, s.exportNamed, 'export', s, n.name);
    // An exported bag of exports names the types it exports, for later exports.
    if (e.sort === 'instance') nameInstanceTypes(e.type, s.exportNamed);
    this.annotated(parsed, e, s.exportResourceNames, 'export');
    s.exports.set(n.name, e);
    this.push(e, s, false, parsed, s.exportResourceNames);
  }

  /** Add an imported or exported item to its index space. */
  private push(e: Extern, s: Scope, imported: boolean, name: ParsedName, resourceNames: ResourceNames): void {
    switch (e.sort) {
      case 'func':
        s.funcs.push(e.type);
        return;
      case 'value':
        s.values.push(e.type);
        return;
      case 'type':
        s.types.push(e.type);
        if (imported) s.importNamed.add(e.type);
        s.exportNamed.add(e.type);
        if (e.type.kind === 'resource' && name.kind === 'label') addResourceName(resourceNames, e.type.id, name.label);
        return;
      case 'instance':
        s.instances.push(e.type);
        s.instanceNamed.push(imported ? 'import' : 'export');
        return;
      case 'component':
        s.components.push(e.type);
        return;
      case 'module':
        s.coreModules.push(e.type);
        return;
    }
  }

  /** The type of the item at `index` of `sort`. */
  private sortItem(sort: Sort, index: number, s: Scope): Extern {
    switch (sort) {
      case 'func':
        return { sort: 'func', type: at(s.funcs, index, 'function') };
      case 'value':
        return { sort: 'value', type: at(s.values, index, 'value') };
      case 'type':
        return { sort: 'type', type: this.typeAt(s, index) };
      case 'instance':
        return { sort: 'instance', type: at(s.instances, index, 'instance') };
      case 'component':
        return { sort: 'component', type: at(s.components, index, 'component') };
      case 'core module':
        return { sort: 'module', type: at(s.coreModules, index, 'module') };
      default:
        return fail(`sort ${sort} cannot be used here`);
    }
  }

  /**
   * `Explainer.md#external-visibility-of-types`: the types an imported or
   * exported item mentions must themselves have been imported or exported
   * (records, variants, enums, flags and resources need a name).
   */
  private checkNamed(e: Extern, named: ReadonlySet<object>, what: 'import' | 'export', scope: Scope, name: string): void {
    // Instance types defer the check until they are attached to a concrete import or export.
    if (scope.kind === 'instance-type') return;
    const bad = (): string => `${e.sort} not valid to be used as ${what} (\`${name}\` mentions a type that is not ${what}ed)`;
    const seen = new Set<object>();
    const visitVal = (t: ValTy): boolean => {
      if (typeof t === 'string') return true;
      if (named.has(t)) return true;
      if (seen.has(t)) return true;
      seen.add(t);
      const sh = t.shape;
      if (sh.kind === 'record' || sh.kind === 'variant' || sh.kind === 'enum' || sh.kind === 'flags') return false;
      if (sh.kind === 'own' || sh.kind === 'borrow') return named.has(sh.resource);
      return shapeChildren(sh).every(visitVal);
    };
    const visitFunc = (f: FuncTy): boolean => f.params.every((p) => visitVal(p.type)) && (f.result === undefined || visitVal(f.result));
    switch (e.sort) {
      case 'func':
        if (!visitFunc(e.type)) fail(bad());
        return;
      case 'value':
        if (!visitVal(e.type)) fail(bad());
        return;
      case 'type': {
        const t = e.type;
        if (t.kind === 'defined') {
          const sh = t.shape;
          const ok = sh.kind === 'own' || sh.kind === 'borrow' ? named.has(sh.resource) : shapeChildren(sh).every(visitVal);
          if (!ok) fail(bad());
        } else if (t.kind === 'func' && !visitFunc(t)) fail(bad());
        else if (t.kind === 'instance' && !instanceVisible(t, named)) fail(bad());
        return;
      }
      case 'instance':
        if (!instanceVisible(e.type, named)) fail(bad());
        return;
      default:
        return;
    }
  }

  /** Rules for `[constructor]`, `[method]` and `[static]` names (`Explainer.md#import-and-export-definitions`). */
  private annotated(p: ParsedName, e: Extern, resourceNames: ReadonlyMap<ResourceId, readonly string[]>, what: string): void {
    if (p.kind !== 'constructor' && p.kind !== 'method' && p.kind !== 'static') return;
    if (e.sort !== 'func') fail(`${what} \`${p.kind}\` is not a func`);
    const f = e.type;
    const knows = (name: string): boolean => [...resourceNames.values()].some((ns) => ns.includes(name));
    /** The resource's name, preferring the one the annotation expects when it has several. */
    const nameOf = (r: ResourceTy): string => {
      const ns = resourceNames.get(r.id);
      if (ns === undefined || ns.length === 0) fail('resource used in function does not have a name in this context');
      return ns.includes(p.resource) ? p.resource : ns[0]!;
    };
    if (p.kind === 'constructor') {
      if (f.result === undefined) fail('function should return one value');
      let r = shapeOf(f.result);
      if (r.kind === 'result' && r.ok !== undefined) r = shapeOf(r.ok);
      if (r.kind !== 'own') {
        if (shapeOf(f.result).kind === 'result') fail('function should return `(own $T)` or `(result (own $T))`');
        if (knows(p.resource)) fail('function should return `(own $T)` or `(result (own $T))`');
        fail('function should return `(own $T)`');
      }
      const n = nameOf(r.resource);
      if (n !== p.resource) fail(`function does not match expected resource name \`${n}\``);
      return;
    }
    if (p.kind === 'method') {
      const first = f.params[0];
      if (first === undefined) fail('method should have at least one argument');
      if (first.name !== 'self') fail('method should have a first argument called `self`');
      const sh = shapeOf(first.type);
      if (sh.kind !== 'borrow') fail('method should take a first argument of `(borrow $T)`');
      const n = nameOf(sh.resource);
      if (n !== p.resource) fail(`method does not match expected resource name \`${n}\``);
      return;
    }
    if (!knows(p.resource)) fail('static resource name is not known in this context');
  }

  // -------------------------------------------------------------------------
  // Aliases
  // -------------------------------------------------------------------------

  private alias(a: Alias, s: Scope): void {
    switch (a.kind) {
      case 'core-instance-export': {
        const inst = at(s.coreInstances, a.instance, 'core instance');
        const x = inst.get(a.name);
        if (x === undefined) fail(`core instance ${a.instance} has no export named \`${a.name}\``);
        const sort = a.sort === 'core func-exact' ? 'core func' : a.sort;
        const want = sort.slice(5);
        if (x.kind !== want) fail(`export \`${a.name}\` for core instance ${a.instance} is not a ${want}`);
        if (x.kind === 'func') s.coreFuncs.push(x.type);
        else if (x.kind === 'table') s.coreTables.push(x);
        else if (x.kind === 'memory') s.coreMemories.push(x);
        else if (x.kind === 'global') s.coreGlobals.push(x);
        else s.coreTags.push(x);
        return;
      }
      case 'instance-export': {
        const inst = at(s.instances, a.instance, 'instance');
        const x = inst.exports.get(a.name);
        if (x === undefined) fail(`instance ${a.instance} has no export named \`${a.name}\``);
        const want = a.sort === 'core module' ? 'module' : a.sort;
        if (x.sort !== want) fail(`export \`${a.name}\` for instance ${a.instance} is not a ${want}`);
        switch (x.sort) {
          case 'func':
            s.funcs.push(x.type);
            break;
          case 'value':
            s.values.push(x.type);
            break;
          case 'type':
            s.types.push(x.type);
            if (s.instanceNamed[a.instance] === 'import') s.importNamed.add(x.type);
            if (s.instanceNamed[a.instance] !== undefined) s.exportNamed.add(x.type);
            break;
          case 'instance':
            s.instances.push(x.type);
            s.instanceNamed.push(s.instanceNamed[a.instance]);
            break;
          case 'component':
            s.components.push(x.type);
            break;
          case 'module':
            s.coreModules.push(x.type);
            break;
        }
        return;
      }
      case 'outer': {
        let target: Scope | undefined = s;
        let crossesComponent = false;
        for (let i = 0; i < a.count; i++) {
          if (target?.kind === 'component') crossesComponent = true;
          target = target?.parent;
        }
        if (target === undefined) fail(`invalid outer alias count of ${a.count}`);
        switch (a.sort) {
          case 'core type':
            s.coreTypes.push(at(target.coreTypes, a.index, 'core type'));
            return;
          case 'core module':
            s.coreModules.push(at(target.coreModules, a.index, 'module'));
            return;
          case 'component':
            s.components.push(at(target.components, a.index, 'component'));
            return;
          case 'type': {
            const t = at(target.types, a.index, 'type');
            const free = freeResources(t, new Set());
            if (crossesComponent && free.size > 0) fail('cannot alias outer type which transitively refers to resources not defined in the current component');
            for (const id of free) s.outerResources.add(id);
            s.types.push(t);
            return;
          }
          default:
            return fail(`outer aliases may only refer to types, core types, modules and components, not ${a.sort}`);
        }
      }
    }
  }

  // -------------------------------------------------------------------------
  // Instances
  // -------------------------------------------------------------------------

  private instance(inst: import('@wasm-components/binary').Instance, s: Scope): InstanceTy {
    if (inst.kind === 'instantiate') {
      const c = s.components[inst.component];
      if (c === undefined) fail(`unknown component ${inst.component}: component index out of bounds`);
      const args = new Map<string, Extern>();
      const argNames = new Map<string, string>();
      for (const a of inst.args) {
        const k = a.name.toLowerCase();
        const prev = argNames.get(k);
        if (prev !== undefined) fail(`instantiation argument \`${a.name}\` conflicts with previous argument \`${prev}\``);
        argNames.set(k, a.name);
        args.set(a.name, this.sortItem(a.sort, a.index, s));
      }
      const sub = new Subtyping(new Set(c.imported));
      for (const [name, want] of c.imports) {
        const got = args.get(name);
        if (got === undefined) fail(`missing import named \`${name}\``);
        const expected = new Substitution(sub.bindings).extern(want);
        const m = sub.extern(got, expected);
        if (m !== undefined) fail(`type mismatch for import \`${name}\`: ${m}`);
      }
      const map = new Map(sub.bindings);
      for (const id of c.defined) map.set(id, freshResourceId());
      // Type imports are replaced by the argument types, so the instance's types refer to the caller's.
      const entries = new Map<object, TypeEntry>();
      for (const [name, want] of c.imports) {
        const got = args.get(name);
        if (want.sort === 'type' && got?.sort === 'type' && want.type.kind !== 'resource') entries.set(want.type, got.type);
      }
      const subst = new Substitution(map, entries);
      return { kind: 'instance', exports: new Map([...c.exports].map(([k, v]) => [k, subst.extern(v)])), defined: [] };
    }
    const exports = new Map<string, Extern>();
    const names = new NameSet();
    for (const e of inst.exports) {
      const x = this.sortItem(e.sort, e.index, s);
      const parsed = this.externName(e.name, x);
      names.add(e.name.name, parsed, 'export');
      // A bag of exports gives its resources no names of its own (wasmparser agrees: annotated.wast).
      this.annotated(parsed, x, new Map(), 'export');
      exports.set(e.name.name, x);
    }
    return { kind: 'instance', exports, defined: [] };
  }

  // -------------------------------------------------------------------------
  // Canonical definitions
  // -------------------------------------------------------------------------

  private canon(f: CanonicalFunction, s: Scope): void {
    switch (f.kind) {
      case 'lift': {
        const core = at(s.coreFuncs, f.func, 'function');
        const ft = this.funcTypeAt(s, f.type);
        const o = this.canonOptions(f.options, s);
        if (o.async && !ft.async) fail('the `async` canonical option requires an async function type');
        const flatParams = ft.params.flatMap((p) => flattenType(p.type));
        const flatResults = ft.result === undefined ? [] : flattenType(ft.result);
        const paramsSpill = flatParams.length > MAX_FLAT_PARAMS;
        // An async lift returns its results through `task.return`, not through the lifted core function.
        const resultsSpill = !o.async && flatResults.length > MAX_FLAT_RESULTS;
        const memParams = ft.params.some((p) => needsMemory(p.type));
        const memResults = !o.async && ft.result !== undefined && needsMemory(ft.result);
        if (o.realloc !== undefined && o.memory === undefined) fail('canonical option `realloc` requires `memory` to also be specified');
        if ((memParams || memResults || paramsSpill || resultsSpill) && o.memory === undefined) fail('canonical option `memory` is required');
        if ((memParams || paramsSpill) && o.realloc === undefined) fail('canonical option `realloc` is required');
        const params = paramsSpill ? ['i32'] : flatParams;
        let results: string[];
        if (o.async) {
          results = o.callback !== undefined ? ['i32'] : [];
          if (o.postReturn !== undefined) fail('canonical option `post-return` cannot be specified for async lifts');
        } else {
          if (o.callback !== undefined) fail('canonical option `callback` requires `async`');
          results = resultsSpill ? ['i32'] : flatResults;
        }
        if (core !== undefined) {
          if (!arrEq(core.params, params)) fail(`lowered parameter types \`[${up(params)}]\` do not match parameter types \`[${up(core.params)}]\` of core function ${f.func}`);
          if (!arrEq(core.results, results)) fail(`lowered result types \`[${up(results)}]\` do not match result types \`[${up(core.results)}]\` of core function ${f.func}`);
        }
        if (o.postReturn !== undefined) {
          const pr = at(s.coreFuncs, o.postReturn, 'function');
          if (pr !== undefined && !coreFuncEqual(pr, I32_SIG(results, []))) fail('canonical option `post-return` uses a core function with an incorrect signature');
        }
        s.funcs.push(ft);
        return;
      }
      case 'lower': {
        const ft = at(s.funcs, f.func, 'function');
        const o = this.canonOptions(f.options, s);
        if (o.async && !ft.async) fail('the `async` canonical option requires an async function type');
        if (o.postReturn !== undefined) fail('canonical option `post-return` cannot be specified for lowerings');
        if (o.callback !== undefined) fail('canonical option `callback` cannot be specified for lowerings');
        const flatParams = ft.params.flatMap((p) => flattenType(p.type));
        const flatResults = ft.result === undefined ? [] : flattenType(ft.result);
        const maxParams = o.async ? MAX_FLAT_ASYNC_PARAMS : MAX_FLAT_PARAMS;
        const paramsSpill = flatParams.length > maxParams;
        const resultsSpill = o.async ? ft.result !== undefined : flatResults.length > MAX_FLAT_RESULTS;
        const memParams = ft.params.some((p) => needsMemory(p.type));
        const memResults = ft.result !== undefined && needsMemory(ft.result);
        if (o.realloc !== undefined && o.memory === undefined) fail('canonical option `realloc` requires `memory` to also be specified');
        if ((memParams || memResults || paramsSpill || resultsSpill) && o.memory === undefined) fail('canonical option `memory` is required');
        if (memResults && o.realloc === undefined) fail('canonical option `realloc` is required');
        const params = paramsSpill ? ['i32'] : [...flatParams];
        let results: string[];
        if (o.async) {
          if (ft.result !== undefined) params.push('i32');
          results = ['i32'];
        } else if (resultsSpill) {
          params.push('i32');
          results = [];
        } else results = flatResults;
        s.coreFuncs.push({ params, results });
        return;
      }
      case 'resource.new':
      case 'resource.rep': {
        const r = this.resourceAt(s, f.type);
        if (!s.localResources.has(r.id)) fail(`type index ${f.type} is not a local resource`);
        s.coreFuncs.push(I32_SIG(['i32'], ['i32']));
        return;
      }
      case 'resource.drop':
        this.resourceAt(s, f.type);
        s.coreFuncs.push(I32_SIG(['i32'], []));
        return;
      default:
        if (f.kind.startsWith('thread.')) this.feature('threads', `\`${f.kind}\``);
        else if (f.kind.startsWith('error-context.')) this.feature('errorContext', `\`${f.kind}\``);
        else this.feature('async', `\`${f.kind}\``);
        // Async, thread and error-context built-ins: immediates are checked
        // where cheap; the core types of the common ones are known.
        if ('type' in f && typeof f.type === 'number' && (f.kind.startsWith('stream.') || f.kind.startsWith('future.'))) {
          const t = this.typeAt(s, f.type);
          const want = f.kind.startsWith('stream.') ? 'stream' : 'future';
          if (t.kind !== 'defined' || t.shape.kind !== want) fail(`type index ${f.type} is not a ${want} type`);
        }
        const o = 'options' in f ? this.canonOptions(f.options, s) : undefined;
        if (f.kind === 'task.return') {
          const result = f.result === undefined ? undefined : this.valType(f.result, s);
          const flat = result === undefined ? [] : flattenType(result);
          const spill = flat.length > MAX_FLAT_PARAMS;
          if (o?.realloc !== undefined && o.memory === undefined) fail('canonical option `realloc` requires `memory` to also be specified');
          if ((spill || (result !== undefined && needsMemory(result))) && o?.memory === undefined) fail('canonical option `memory` is required');
          if (result !== undefined && containsBorrow(result)) fail('function result cannot contain a `borrow` type');
          s.coreFuncs.push(I32_SIG(spill ? ['i32'] : flat, []));
          return;
        }
        if (f.kind === 'waitable-set.wait' || f.kind === 'waitable-set.poll') at(s.coreMemories, f.memory, 'memory');
        if (f.kind === 'thread.new-indirect' || f.kind === 'thread.spawn-indirect' || f.kind === 'thread.spawn-ref') {
          const t = at(s.coreTypes, f.type, 'core type');
          if (t.kind !== 'func') fail(`core type index ${f.type} is not a function type`);
          if (f.kind !== 'thread.spawn-ref') at(s.coreTables, f.table, 'table');
        }
        if (f.kind === 'context.get' || f.kind === 'context.set') {
          if (f.type !== 'i32') fail(`\`${f.kind}\` only supports an i32 slot type`);
        }
        s.coreFuncs.push(BUILTIN_SIGS[f.kind]);
        return;
    }
  }

  /** Check canonical options (`Explainer.md#canonical-abi`): each at most once, indices in bounds, signatures right. */
  private canonOptions(
    opts: readonly CanonOpt[],
    s: Scope,
  ): { memory?: number; realloc?: number; postReturn?: number; callback?: number; async: boolean } {
    let encoding: string | undefined;
    const seen = new Set<string>();
    const out: { memory?: number; realloc?: number; postReturn?: number; callback?: number; async: boolean } = { async: false };
    for (const o of opts) {
      if (o.kind === 'string-encoding') {
        const name = o.encoding === 'latin1+utf16' ? 'latin1-utf16' : o.encoding;
        if (encoding !== undefined) fail(`canonical encoding option \`${encoding}\` conflicts with option \`${name}\``);
        encoding = name;
        continue;
      }
      if (seen.has(o.kind)) fail(`canonical option \`${o.kind}\` is specified more than once`);
      seen.add(o.kind);
      switch (o.kind) {
        case 'memory': {
          const m = at(s.coreMemories, o.index, 'memory');
          if (m.kind === 'memory' && m.memory64) fail('canonical option `memory` must be a 32-bit memory');
          out.memory = o.index;
          break;
        }
        case 'realloc': {
          const f = at(s.coreFuncs, o.index, 'function');
          if (f !== undefined && !coreFuncEqual(f, I32_SIG(['i32', 'i32', 'i32', 'i32'], ['i32']))) fail('canonical option `realloc` uses a core function with an incorrect signature');
          out.realloc = o.index;
          break;
        }
        case 'post-return':
          at(s.coreFuncs, o.index, 'function');
          out.postReturn = o.index;
          break;
        case 'callback': {
          const f = at(s.coreFuncs, o.index, 'function');
          if (f !== undefined && !coreFuncEqual(f, I32_SIG(['i32', 'i32', 'i32'], ['i32']))) fail('canonical option `callback` uses a core function with an incorrect signature');
          out.callback = o.index;
          break;
        }
        case 'async':
          this.feature('async', 'the `async` option');
          out.async = true;
          break;
        case 'core-type':
          at(s.coreTypes, o.index, 'core type');
          break;
        case 'gc':
          break;
      }
    }
    return out;
  }

  // -------------------------------------------------------------------------
  // Start
  // -------------------------------------------------------------------------

  private start(func: number, args: readonly number[], results: number, s: Scope): void {
    const f = at(s.funcs, func, 'function');
    if (f.params.length !== args.length) fail(`start function requires ${f.params.length} arguments, found ${args.length}`);
    args.forEach((vi, i) => {
      const v = at(s.values, vi, 'value');
      const m = new Subtyping().val(v, f.params[i]!.type);
      if (m !== undefined) fail(`start function argument ${i}: ${m}`);
    });
    const n = f.result === undefined ? 0 : 1;
    if (n !== results) fail(`start function results size mismatch: expected ${n}, found ${results}`);
    if (f.result !== undefined) s.values.push(f.result);
  }
}

const sig = (params: string, results: string): CoreFuncTy => ({ params: params === '' ? [] : params.split(' '), results: results === '' ? [] : results.split(' ') });

/** Core function types of the built-ins (`CanonicalABI.md`, one section per built-in). */
const BUILTIN_SIGS: Readonly<Record<string, CoreFuncTy | undefined>> = {
  'context.get': sig('', 'i32'),
  'context.set': sig('i32', ''),
  'backpressure.inc': sig('', ''),
  'backpressure.dec': sig('', ''),
  'task.cancel': sig('', ''),
  'subtask.drop': sig('i32', ''),
  'subtask.cancel': sig('i32', 'i32'),
  'stream.new': sig('', 'i64'),
  'future.new': sig('', 'i64'),
  'stream.read': sig('i32 i32 i32', 'i32'),
  'stream.write': sig('i32 i32 i32', 'i32'),
  'future.read': sig('i32 i32', 'i32'),
  'future.write': sig('i32 i32', 'i32'),
  'stream.cancel-read': sig('i32', 'i32'),
  'stream.cancel-write': sig('i32', 'i32'),
  'future.cancel-read': sig('i32', 'i32'),
  'future.cancel-write': sig('i32', 'i32'),
  'stream.drop-readable': sig('i32', ''),
  'stream.drop-writable': sig('i32', ''),
  'future.drop-readable': sig('i32', ''),
  'future.drop-writable': sig('i32', ''),
  'error-context.new': sig('i32 i32', 'i32'),
  'error-context.debug-message': sig('i32 i32', ''),
  'error-context.drop': sig('i32', ''),
  'waitable-set.new': sig('', 'i32'),
  'waitable-set.wait': sig('i32 i32', 'i32'),
  'waitable-set.poll': sig('i32 i32', 'i32'),
  'waitable-set.drop': sig('i32', ''),
  'waitable.join': sig('i32 i32', ''),
  'thread.index': sig('', 'i32'),
};

/** `Explainer.md#value-types`: the byte size of a value type is limited (2^28 - 1, with 64-bit pointers). */
export const MAX_VALUE_SIZE: number = 2 ** 28 - 1;

function cloneEntry(t: TypeEntry): TypeEntry {
  return { ...t } as TypeEntry;
}

function containsBorrow(t: ValTy, seen: Set<object> = new Set()): boolean {
  if (typeof t === 'string' || seen.has(t)) return false;
  seen.add(t);
  if (t.shape.kind === 'borrow') return true;
  return shapeChildren(t.shape).some((c) => containsBorrow(c, seen));
}

function nameInstanceTypes(t: InstanceTy, named: Set<object>, seen: Set<object> = new Set()): void {
  if (seen.has(t)) return;
  seen.add(t);
  for (const x of t.exports.values()) {
    if (x.sort === 'type') named.add(x.type);
    else if (x.sort === 'instance') nameInstanceTypes(x.type, named, seen);
  }
}

/** Whether every type an instance's exports mention is named, by `named` or by the instance's own type exports. */
function instanceVisible(t: InstanceTy, named: ReadonlySet<object>, seen: Set<object> = new Set()): boolean {
  if (seen.has(t)) return true;
  seen.add(t);
  const inner = new Set<object>(named);
  for (const x of t.exports.values()) if (x.sort === 'type') inner.add(x.type);
  for (const x of t.exports.values()) {
    if (x.sort === 'func' && !visitFuncWith(x.type, inner)) return false;
    if (x.sort === 'type' && x.type.kind === 'defined') {
      const sh = x.type.shape;
      const ok = sh.kind === 'own' || sh.kind === 'borrow' ? inner.has(sh.resource) || true : shapeChildren(sh).every((c) => visitValWith(c, inner));
      if (!ok) return false;
    }
    if (x.sort === 'instance' && !instanceVisible(x.type, inner, seen)) return false;
  }
  return true;
}

function visitValWith(t: ValTy, named: ReadonlySet<object>): boolean {
  return visitFuncWith({ kind: 'func', async: false, params: [{ name: 'x', type: t }] }, named);
}

function visitFuncWith(f: FuncTy, named: ReadonlySet<object>): boolean {
  const seen = new Set<object>();
  const visitVal = (t: ValTy): boolean => {
    if (typeof t === 'string' || named.has(t) || seen.has(t)) return true;
    seen.add(t);
    const sh = t.shape;
    if (sh.kind === 'record' || sh.kind === 'variant' || sh.kind === 'enum' || sh.kind === 'flags') return false;
    if (sh.kind === 'own' || sh.kind === 'borrow') return named.has(sh.resource);
    return shapeChildren(sh).every(visitVal);
  };
  return f.params.every((p) => visitVal(p.type)) && (f.result === undefined || visitVal(f.result));
}

function watFunc(t: CoreFuncTy): string {
  const p = t.params.length === 0 ? '' : ` (param ${t.params.join(' ')})`;
  const r = t.results.length === 0 ? '' : ` (result ${t.results.join(' ')})`;
  return `(func${p}${r})`;
}

function arrEq(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function up(xs: readonly string[]): string {
  return xs.map((x) => x.toUpperCase()).join(', ');
}
