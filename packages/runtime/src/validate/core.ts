/**
 * Core WebAssembly pieces of component validation: the types of a core
 * module's imports and exports (what a core instantiation inside a component
 * is checked against), core module types (`core:moduletype`), and the
 * validation of a nested core module itself, which is delegated to the
 * engine (`WebAssembly.validate`), the one validator every host already has.
 *
 * @module
 */
import { type CoreTypeDef, encode, type ExternType, type ImportEntry, type Module, type ModuleTypeDecl, type RecGroup, type ValType } from '@wasm-components/binary';
import type { CoreExtern, CoreFuncTy, ModuleTy } from './types.js';

/** An entry of the core type index space. */
export type CoreTypeEntry = { readonly kind: 'func'; readonly type: CoreFuncTy } | { readonly kind: 'module'; readonly type: ModuleTy } | { readonly kind: 'other' };

/** A core value type as a string (`i32`, `funcref`, `(ref null 3)`). */
export function coreValTypeString(t: ValType): string {
  if (typeof t === 'string') return t;
  if (t.heap.kind === 'index') return `(ref ${t.nullable ? 'null ' : ''}${t.heap.index})`;
  const h = `${t.heap.shared ? 'shared ' : ''}${t.heap.name}`;
  if (t.nullable && !t.heap.shared) return `${h}ref`;
  return `(ref ${t.nullable ? 'null ' : ''}${h})`;
}

/** The entries a recursion group adds to a core type index space. */
export function recGroupEntries(g: RecGroup): CoreTypeEntry[] {
  return g.types.map((st) =>
    st.type.kind === 'func' ? { kind: 'func', type: { params: st.type.params.map(coreValTypeString), results: st.type.results.map(coreValTypeString) } } : { kind: 'other' },
  );
}

/** Thrown with the message of a core-level validation failure. */
export class CoreError extends Error {
  override readonly name = 'CoreError';
}

const MAX_PAGES32 = 65536n;
const MAX_PAGES64 = 2n ** 48n;
const MAX_TABLE32 = 2n ** 32n - 1n;

/** Resolve an import's extern type against a core type index space. */
export function externTypeToCore(t: ExternType, types: readonly CoreTypeEntry[]): CoreExtern {
  switch (t.kind) {
    case 'func':
    case 'tag': {
      const e = types[t.type];
      if (e === undefined) throw new CoreError(`type index out of bounds: ${t.type}`);
      if (e.kind !== 'func') throw new CoreError(`type index ${t.type} is not a function type`);
      return { kind: t.kind, type: e.type };
    }
    case 'table': {
      if (t.limits.max !== undefined && t.limits.max < t.limits.min) throw new CoreError('size minimum must not be greater than maximum');
      if (!t.table64 && (t.limits.min > MAX_TABLE32 || (t.limits.max ?? 0n) > MAX_TABLE32)) throw new CoreError('table size must be at most 2^32-1');
      return { kind: 'table', element: coreValTypeString(t.element), min: t.limits.min, ...(t.limits.max === undefined ? {} : { max: t.limits.max }), table64: t.table64, shared: t.shared };
    }
    case 'memory': {
      const max = t.memory64 ? MAX_PAGES64 : MAX_PAGES32;
      if (t.pageSizeLog2 === undefined && (t.limits.min > max || (t.limits.max ?? 0n) > max)) throw new CoreError(`memory size must be at most ${max} pages (${t.memory64 ? '256 TiB' : '4GiB'})`);
      if (t.limits.max !== undefined && t.limits.max < t.limits.min) throw new CoreError('size minimum must not be greater than maximum');
      if (t.shared && t.limits.max === undefined) throw new CoreError('shared memory must have maximum size');
      return {
        kind: 'memory',
        min: t.limits.min,
        ...(t.limits.max === undefined ? {} : { max: t.limits.max }),
        memory64: t.memory64,
        shared: t.shared,
        ...(t.pageSizeLog2 === undefined ? {} : { pageSizeLog2: t.pageSizeLog2 }),
      };
    }
    case 'global':
      return { kind: 'global', type: coreValTypeString(t.type), mutable: t.mutable, shared: t.shared };
  }
}

function importEntries(e: ImportEntry): { module: string; name: string; type: ExternType }[] {
  switch (e.kind) {
    case 'import':
      return [{ module: e.module, name: e.name, type: e.type }];
    case 'import-items':
      return e.items.map((i) => ({ module: e.module, name: i.name, type: i.type }));
    case 'import-names':
      return e.names.map((n) => ({ module: e.module, name: n, type: e.type }));
  }
}

/**
 * The type of a core module (imports in order, exports by name). Checks the
 * component-level rule that a module's imports are unique by
 * (module, name), which core wasm itself allows.
 */
export function moduleType(m: Module): ModuleTy {
  const types: CoreTypeEntry[] = [];
  const funcs: (CoreFuncTy | undefined)[] = [];
  const tables: CoreExtern[] = [];
  const memories: CoreExtern[] = [];
  const globals: CoreExtern[] = [];
  const tags: CoreExtern[] = [];
  const imports: { module: string; name: string; type: CoreExtern }[] = [];
  const seen = new Set<string>();
  const exports = new Map<string, CoreExtern>();
  for (const s of m.sections) {
    switch (s.kind) {
      case 'type':
        for (const g of s.groups) types.push(...recGroupEntries(g));
        break;
      case 'import':
        for (const e of s.imports) {
          for (const i of importEntries(e)) {
            const key = `${i.module}:${i.name}`;
            if (seen.has(key)) throw new CoreError(`duplicate import name \`${key}\` already defined`);
            seen.add(key);
            let t: CoreExtern;
            try {
              t = externTypeToCore(i.type, types);
            } catch {
              t = i.type.kind === 'func' || i.type.kind === 'tag' ? { kind: i.type.kind, type: undefined } : ({ kind: 'global', type: '?', mutable: false, shared: false } as CoreExtern);
            }
            imports.push({ module: i.module, name: i.name, type: t });
            if (t.kind === 'func') funcs.push(t.type);
            else if (t.kind === 'table') tables.push(t);
            else if (t.kind === 'memory') memories.push(t);
            else if (t.kind === 'global') globals.push(t);
            else tags.push(t);
          }
        }
        break;
      case 'function':
        for (const ti of s.types) {
          const e = types[ti];
          funcs.push(e?.kind === 'func' ? e.type : undefined);
        }
        break;
      case 'table':
        for (const t of s.tables) tables.push(safeExtern(t.type, types));
        break;
      case 'memory':
        for (const t of s.memories) memories.push(safeExtern(t, types));
        break;
      case 'global':
        for (const g of s.globals) globals.push(safeExtern(g.type, types));
        break;
      case 'tag':
        for (const t of s.tags) tags.push(safeExtern(t, types));
        break;
      case 'export':
        for (const e of s.exports) {
          let t: CoreExtern | undefined;
          if (e.sort === 'func') t = { kind: 'func', type: funcs[e.index] };
          else if (e.sort === 'table') t = tables[e.index];
          else if (e.sort === 'memory') t = memories[e.index];
          else if (e.sort === 'global') t = globals[e.index];
          else t = tags[e.index];
          if (t !== undefined) exports.set(e.name, t);
        }
        break;
      default:
        break;
    }
  }
  return { kind: 'module', imports, exports };
}

function safeExtern(t: ExternType, types: readonly CoreTypeEntry[]): CoreExtern {
  try {
    return externTypeToCore(t, types);
  } catch {
    return t.kind === 'func' || t.kind === 'tag' ? { kind: t.kind, type: undefined } : externTypeToCore({ ...t, limits: { min: 0n } } as ExternType, types);
  }
}

/**
 * Validate a core module with the engine. `WebAssembly.validate` only says
 * yes or no, so on failure `new WebAssembly.Module` is tried to get the
 * engine's message.
 */
export function validateCoreModule(m: Module, bytes?: Uint8Array): void {
  const b = bytes ?? encode(m);
  const wasm = (globalThis as { WebAssembly?: typeof WebAssembly }).WebAssembly;
  if (wasm === undefined) return;
  if (wasm.validate(b as Uint8Array<ArrayBuffer>)) return;
  try {
    new wasm.Module(b as Uint8Array<ArrayBuffer>);
  } catch (e) {
    throw new CoreError(`invalid core module: ${e instanceof Error ? e.message : String(e)}`);
  }
  throw new CoreError('invalid core module');
}

/**
 * Resolve a core module type (`core:moduletype`). Its declarations have
 * their own type index space; outer aliases reach the enclosing core type
 * spaces through `outer`.
 */
export function moduleTypeFromDecls(decls: readonly ModuleTypeDecl[], outer: (count: number, index: number) => CoreTypeEntry): ModuleTy {
  const types: CoreTypeEntry[] = [];
  const imports: { module: string; name: string; type: CoreExtern }[] = [];
  const seen = new Set<string>();
  const exports = new Map<string, CoreExtern>();
  for (const d of decls) {
    switch (d.kind) {
      case 'type':
        if (d.type.kind === 'module') throw new CoreError('invalid leading byte: a module type cannot be declared inside a module type');
        types.push(...coreTypeDefEntries(d.type, outer));
        break;
      case 'alias': {
        // Binary.md#type-definitions: module types see at most the enclosing core type space.
        if (d.count > 1) throw new CoreError('outer type aliases in module type declarations are limited to a maximum count of 1');
        if (d.count === 1) {
          types.push(outer(d.count, d.index));
          break;
        }
        const local = types[d.index];
        if (local === undefined) throw new CoreError(`type index out of bounds: ${d.index}`);
        types.push(local);
        break;
      }
      case 'import': {
        const key = `${d.import.module}:${d.import.name}`;
        if (seen.has(key)) throw new CoreError(`duplicate import name \`${key}\` already defined`);
        seen.add(key);
        imports.push({ module: d.import.module, name: d.import.name, type: externTypeToCore(d.import.type, types) });
        break;
      }
      case 'export':
        if (exports.has(d.name)) throw new CoreError(`export name \`${d.name}\` already defined`);
        exports.set(d.name, externTypeToCore(d.type, types));
        break;
    }
  }
  return { kind: 'module', imports, exports };
}

/** The entries a core type definition adds. Module types inside module types are not allowed. */
export function coreTypeDefEntries(t: CoreTypeDef, outer: (count: number, index: number) => CoreTypeEntry): CoreTypeEntry[] {
  if (t.kind === 'rec') return recGroupEntries(t.group);
  return [{ kind: 'module', type: moduleTypeFromDecls(t.decls, outer) }];
}
