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
import { type Component, type CoreInstance, decode, encode, type Instance, isDecodeError, type Module, type Outline, sections } from '@wasm-components/binary';
import { LinkError, ValidationError } from '../errors.js';
import { asTrap, RuntimeInstance } from './task.js';
import { validateIfAvailable } from './validate-hook.js';
import { alias, at, type CompiledComponent, type ComponentDef, type ComponentExports, type ComponentImports, type CoreExports, coreSpace, type FieldNames, defineType, type InstanceItem, type InstantiateOptions, isCompiledComponent, type Item, itemAt, pushItem, Scope } from './model.js';
import { HostImports, type ImportSource, ItemImports } from './link.js';
import { canon } from './canon.js';
import { toJs } from './exports.js';

export {
  type CompiledComponent,
  type ComponentExports,
  componentFunctionType,
  type ComponentImports,
  type FieldNames,
  type InstantiateOptions,
  isCompiledComponent,
} from './model.js';

// ---------------------------------------------------------------------------
// compile
// ---------------------------------------------------------------------------

function decodeComponentBytes(bytes: Uint8Array | Component): Component {
  if (!(bytes instanceof Uint8Array)) return bytes;
  let node;
  try {
    // The runtime needs only the core modules' interfaces; their code and data go to the engine as bytes.
    node = decode(bytes, { interfaceOnly: true });
  } catch (e) {
    // One error type for "this is not a component we can run", as `validate` does.
    if (isDecodeError(e)) throw new ValidationError(`malformed component: ${e.message}`, { offset: e.offset, cause: e });
    throw e;
  }
  if (node.kind !== 'component') throw new ValidationError('expected a component binary, found a core module');
  return node;
}

/** A nested core module and, when the component came as bytes, the module's own bytes in them. */
interface ModuleSource {
  /** Undefined only for compilations started from the outline, before decoding (these always have bytes). */
  readonly module: Module | undefined;
  readonly bytes: Uint8Array | undefined;
}

function collectModules(c: Component, input: Uint8Array | undefined, out: ModuleSource[]): void {
  for (const s of c.sections) {
    if (s.kind === 'core-module') out.push({ module: s.module, bytes: input === undefined ? undefined : moduleBytesAt(input, s.offset) });
    else if (s.kind === 'nested-component') collectModules(s.component, input, out);
  }
}

/**
 * The bytes of the core module whose section starts at `offset` in `input`
 * (the section id, its size, then the module): a view, no copy. Undefined
 * when the offset is unknown or does not point at a core-module section, in
 * which case the module is encoded from its AST instead (the encoder is
 * byte-exact, so both give the same bytes; the view saves a copy of the
 * whole module, ~10 ms for 12 MB).
 */
function moduleBytesAt(input: Uint8Array, offset: number | undefined): Uint8Array | undefined {
  if (offset === undefined || input[offset] !== 1) return undefined;
  let size = 0;
  let shift = 0;
  let p = offset + 1;
  for (;;) {
    if (p >= input.length || shift > 28) return undefined;
    const b = input[p++] as number;
    size += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
    shift += 7;
  }
  if (p + size > input.length) return undefined;
  const view = input.subarray(p, p + size);
  // A core module starts with the preamble: magic, then version 1 and layer 0.
  return view[0] === 0 && view[1] === 0x61 && view[4] === 1 && view[6] === 0 ? view : undefined;
}

/** Core module bytes: the view into the input when there is one, else encoded from the AST (byte-exact). */
function moduleBytes(m: ModuleSource): Uint8Array {
  if (m.bytes !== undefined) return m.bytes;
  if (m.module === undefined) throw new Error('internal error: a core module with neither bytes nor AST');
  return encode(m.module);
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
  const list: ModuleSource[] = [];
  collectModules(component, bytes instanceof Uint8Array ? bytes : undefined, list);
  const modules = new WeakMap<Module, WebAssembly.Module>();
  for (const m of list) modules.set(m.module as Module, compileCore(m));
  return { kind: 'compiled-component', component, modules };
}

/**
 * As {@link compile}, but compiles the core modules with the asynchronous
 * `WebAssembly.compile` (required for large modules on a browser's main
 * thread). From bytes, the core modules' compilation starts first, from the
 * quick section outline, so the engine compiles them on its own threads
 * while this thread decodes and validates the component; if validation
 * fails, those compilations are abandoned and the validation error thrown.
 */
export async function compileAsync(bytes: Uint8Array | Component): Promise<CompiledComponent> {
  const early = bytes instanceof Uint8Array ? startCompiling(bytes) : undefined;
  const component = decodeComponentBytes(bytes);
  validateIfAvailable(component);
  const list: ModuleSource[] = [];
  collectModules(component, bytes instanceof Uint8Array ? bytes : undefined, list);
  const modules = new WeakMap<Module, WebAssembly.Module>();
  const compiled = await Promise.all(list.map((m) => early?.(m.bytes) ?? compileCoreAsync(m)));
  list.forEach((m, i) => modules.set(m.module as Module, compiled[i] as WebAssembly.Module));
  return { kind: 'compiled-component', component, modules };
}

/**
 * Starts `WebAssembly.compile` for every core module the outline finds
 * (nested components included). Returns a lookup from a module's byte view
 * (as {@link moduleBytesAt} makes it) to its compilation, or undefined if
 * the outline fails (decoding then reports the error properly).
 */
function startCompiling(bytes: Uint8Array): ((view: Uint8Array | undefined) => Promise<WebAssembly.Module> | undefined) | undefined {
  let outline: Outline;
  try {
    outline = sections(bytes);
  } catch {
    return undefined;
  }
  // By the module's offset in `bytes`: the views decoding makes are other objects.
  const byStart = new Map<number, Promise<WebAssembly.Module>>();
  const visit = (o: Outline): void => {
    for (const s of o.sections) {
      if (s.name === 'core-module') {
        const p = compileCoreAsync({ module: undefined, bytes: bytes.subarray(s.contentOffset, s.contentOffset + s.size) });
        // A rejection surfaces where (if) the module is used; never unhandled.
        p.catch(() => undefined);
        byStart.set(s.contentOffset, p);
      } else if (s.nested !== undefined) visit(s.nested);
    }
  };
  visit(outline);
  return (view) => (view === undefined || view.buffer !== bytes.buffer ? undefined : byStart.get(view.byteOffset - bytes.byteOffset));
}

function compileCoreAsync(m: ModuleSource): Promise<WebAssembly.Module> {
  return WebAssembly.compile(moduleBytes(m)).catch((e: unknown) => {
    throw new ValidationError(`core module does not compile: ${(e as Error).message}`, { cause: e });
  });
}

function compileCore(m: ModuleSource): WebAssembly.Module {
  try {
    return new WebAssembly.Module(moduleBytes(m));
  } catch (e) {
    throw new ValidationError(`core module does not compile: ${(e as Error).message}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------
// The walk
// ---------------------------------------------------------------------------

/**
 * A core module to instantiate: the walk yields it and the driver (sync or
 * async) sends back the instance's exports. Keeping the walk a generator is
 * what lets `instantiateAsync` use `WebAssembly.instantiate` (required for
 * large modules on a browser's main thread) without a second copy of the walk.
 */
interface CoreRequest {
  readonly module: WebAssembly.Module;
  readonly imports: WebAssembly.Imports;
  /** Where, for messages. */
  readonly path: string;
  /** The core module index, for messages. */
  readonly moduleIndex: number;
}

/** The walk: yields core modules to instantiate, returns the instance. */
type Walk<T> = Generator<CoreRequest, T, CoreExports>;

function* coreInstance(scope: Scope, ci: CoreInstance, path: string): Walk<CoreExports> {
  if (ci.kind === 'exports') {
    const out: Record<string, unknown> = {};
    for (const e of ci.exports) out[e.name] = at(coreSpace(scope, e.sort), e.index, `core ${e.sort}`);
    return out;
  }
  const module = at(scope.coreModules, ci.module, 'core module');
  const imports: Record<string, Record<string, unknown>> = {};
  for (const a of ci.args) imports[a.name] = at(scope.coreInstances, a.instance, 'core instance') as Record<string, unknown>;
  return yield { module, imports: imports as WebAssembly.Imports, path, moduleIndex: ci.module };
}

function coreFailure(req: CoreRequest, e: unknown): unknown {
  if (e instanceof WebAssembly.LinkError) {
    return new LinkError(req.path, `core module ${req.moduleIndex} does not link: ${(e as Error).message}`, { cause: e });
  }
  return asTrap(e);
}

/** Runs a walk creating core instances with `new WebAssembly.Instance`. */
function driveSync<T>(walk: Walk<T>): T {
  let step = walk.next();
  while (step.done !== true) {
    const req = step.value;
    let exports: CoreExports;
    try {
      exports = new WebAssembly.Instance(req.module, req.imports).exports;
    } catch (e) {
      throw coreFailure(req, e);
    }
    step = walk.next(exports);
  }
  return step.value;
}

/** Runs a walk creating core instances with `WebAssembly.instantiate`. */
async function driveAsync<T>(walk: Walk<T>): Promise<T> {
  let step = walk.next();
  while (step.done !== true) {
    const req = step.value;
    let exports: CoreExports;
    try {
      exports = (await WebAssembly.instantiate(req.module, req.imports)).exports;
    } catch (e) {
      throw coreFailure(req, e);
    }
    step = walk.next(exports);
  }
  return step.value;
}

function* componentInstance(scope: Scope, i: Instance, path: string, index: number): Walk<InstanceItem> {
  if (i.kind === 'exports') {
    const exports = new Map<string, Item>();
    for (const e of i.exports) exports.set(e.name.name, itemAt(scope, e.sort, e.index));
    return { exports };
  }
  const def = at(scope.components, i.component, 'component');
  const args = new Map<string, Item>();
  for (const a of i.args) args.set(a.name, itemAt(scope, a.sort, a.index));
  return yield* run(def, new ItemImports(args), scope.inst, `${path}/instance ${index}`, scope.fieldNames);
}

function nameResources(item: Item, name: string): void {
  if (item.sort === 'type' && item.type.kind === 'resource' && item.type.info.name === 'resource') item.type.info.name = name;
}

/** Instantiates `def` with `imports`; `parent` is the enclosing component instance. */
function* run(def: ComponentDef, imports: ImportSource, parent: RuntimeInstance | undefined, path: string, fieldNames: FieldNames): Walk<InstanceItem> {
  const inst = new RuntimeInstance(path, parent);
  const scope = new Scope(def.closure, inst, def.compiled, fieldNames);
  const exports = new Map<string, Item>();
  let coreInstanceCount = 0;
  let instanceCount = 0;
  for (const s of def.component.sections) {
    switch (s.kind) {
      case 'core-module': {
        let m = def.compiled.modules.get(s.module);
        if (m === undefined) {
          m = compileCore({ module: s.module, bytes: undefined });
          def.compiled.modules.set(s.module, m);
        }
        scope.coreModules.push(m);
        break;
      }
      case 'core-instance':
        for (const ci of s.instances) scope.coreInstances.push(yield* coreInstance(scope, ci, `${path}/core instance ${coreInstanceCount++}`));
        break;
      case 'core-type':
        for (const ct of s.types) scope.coreTypes.push(ct);
        break;
      case 'nested-component':
        scope.components.push({ component: s.component, compiled: def.compiled, closure: scope });
        break;
      case 'instance':
        for (const i of s.instances) {
          scope.instances.push(yield* componentInstance(scope, i, path, instanceCount));
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
  return toJs(driveSync(run(def, new HostImports(imports), undefined, options.name ?? 'root', options.fieldNames ?? 'camelCase')));
}

/**
 * As {@link instantiate}, asynchronously: bytes are compiled with
 * `WebAssembly.compile` and core instances are created with
 * `WebAssembly.instantiate`, as browsers require for large modules on the
 * main thread. Calls into the component (start functions) still run
 * synchronously.
 */
export async function instantiateAsync(
  compiled: CompiledComponent | Uint8Array | Component,
  imports: ComponentImports = {},
  options: InstantiateOptions = {},
): Promise<ComponentExports> {
  const cc = isCompiledComponent(compiled) ? compiled : await compileAsync(compiled);
  const def: ComponentDef = { component: cc.component, compiled: cc, closure: undefined };
  return toJs(await driveAsync(run(def, new HostImports(imports), undefined, options.name ?? 'root', options.fieldNames ?? 'camelCase')));
}
