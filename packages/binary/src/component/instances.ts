/**
 * Instance definitions (`Binary.md#instance-definitions`): the entries of a
 * component's core instance section (id 2) and instance section (id 5).
 *
 * ```
 * core:instanceexpr   ::= 0x00 m:<moduleidx> arg*:vec(<core:instantiatearg>)
 *                       | 0x01 e*:vec(<core:inlineexport>)
 * core:instantiatearg ::= n:<name> 0x12 i:<instanceidx>
 * core:inlineexport   ::= n:<name> si:<core:sortidx>
 * instanceexpr        ::= 0x00 c:<componentidx> arg*:vec(<instantiatearg>)
 *                       | 0x01 e*:vec(<inlineexport>)
 * instantiatearg      ::= n:<name> si:<sortidx>
 * inlineexport        ::= n:<exportname> si:<sortidx>
 * ```
 *
 * The core and component forms look alike but differ in details that a
 * round trip must keep apart: a core instantiation argument is always a core
 * instance (the `0x12` byte), and a component inline export's name is a full
 * extern name (with its form prefix) while an instantiation argument's name
 * is a bare `name`.
 *
 * @module
 */
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { EncodeError } from '../errors.js';
import { hex } from '../reader.js';
import { type CoreSort, type ExternName, type Sort, readCoreSort, readExternName, readSort, writeCoreSort, writeExternName, writeSort } from './externs.js';

/** `(with "name" (instance i))`: one argument of a core module instantiation. */
export interface CoreInstantiateArg {
  readonly name: string;
  /** Core instance index (the only sort allowed, binary `0x12`). */
  readonly instance: number;
}

/** One export of a core instance built from inline exports (`core:sortidx` with a name). */
export interface CoreInlineExport {
  readonly name: string;
  readonly sort: CoreSort;
  readonly index: number;
}

/**
 * A core instance definition: instantiate a core module with named core
 * instances as its imports, or bundle existing core items into an instance.
 */
export type CoreInstance =
  | { readonly kind: 'instantiate'; readonly module: number; readonly args: readonly CoreInstantiateArg[] }
  | { readonly kind: 'exports'; readonly exports: readonly CoreInlineExport[] };

/** `(with "name" (sort i))`: one argument of a component instantiation. */
export interface InstantiateArg {
  readonly name: string;
  readonly sort: Sort;
  readonly index: number;
}

/** One export of a component instance built from inline exports. */
export interface InlineExport {
  readonly name: ExternName;
  readonly sort: Sort;
  readonly index: number;
}

/**
 * A component instance definition: instantiate a component with named
 * arguments, or bundle existing items into an instance.
 */
export type Instance =
  | { readonly kind: 'instantiate'; readonly component: number; readonly args: readonly InstantiateArg[] }
  | { readonly kind: 'exports'; readonly exports: readonly InlineExport[] };

/** Binary code of the core instance sort, the only sort of a core instantiation argument. */
export const CORE_INSTANTIATE_ARG_INSTANCE = 0x12;

/** Read one `core:instance` (`core:instanceexpr`). */
export function readCoreInstance(r: Reader): CoreInstance {
  const at = r.pos;
  const b = r.u8('core instance expression');
  if (b === 0x00) {
    const module = r.u32('core module index');
    const n = r.count('core instantiation arguments', 3);
    const args: CoreInstantiateArg[] = [];
    for (let i = 0; i < n; i++) {
      const name = r.name('instantiation argument name');
      const kat = r.pos;
      const k = r.u8('instantiation arg kind');
      if (k !== CORE_INSTANTIATE_ARG_INSTANCE) r.fail('instantiation arg kind 0x12 (core instance)', hex(k), kat);
      args.push({ name, instance: r.u32('core instance index') });
    }
    return { kind: 'instantiate', module, args };
  }
  if (b === 0x01) {
    const n = r.count('core inline exports', 3);
    const exports: CoreInlineExport[] = [];
    for (let i = 0; i < n; i++) {
      const name = r.name('export name');
      const sort = readCoreSort(r);
      exports.push({ name, sort, index: r.u32('index') });
    }
    return { kind: 'exports', exports };
  }
  return r.fail('core instance expression (0x00 instantiate or 0x01 exports)', hex(b), at);
}

/** Write one `core:instance`. */
export function writeCoreInstance(w: Writer, i: CoreInstance): void {
  switch (i.kind) {
    case 'instantiate':
      w.u8(0x00).u32(i.module).u32(i.args.length);
      for (const a of i.args) w.name(a.name).u8(CORE_INSTANTIATE_ARG_INSTANCE).u32(a.instance);
      return;
    case 'exports':
      w.u8(0x01).u32(i.exports.length);
      for (const e of i.exports) {
        w.name(e.name);
        writeCoreSort(w, e.sort);
        w.u32(e.index);
      }
      return;
    default:
      throw new EncodeError(`unknown core instance kind ${String((i as { kind?: unknown }).kind)}`);
  }
}

/** Read one `instance` (`instanceexpr`). */
export function readInstance(r: Reader): Instance {
  const at = r.pos;
  const b = r.u8('instance expression');
  if (b === 0x00) {
    const component = r.u32('component index');
    const n = r.count('instantiation arguments', 3);
    const args: InstantiateArg[] = [];
    for (let i = 0; i < n; i++) {
      const name = r.name('instantiation argument name');
      const sort = readSort(r);
      args.push({ name, sort, index: r.u32('index') });
    }
    return { kind: 'instantiate', component, args };
  }
  if (b === 0x01) {
    const n = r.count('inline exports', 4);
    const exports: InlineExport[] = [];
    for (let i = 0; i < n; i++) {
      const name = readExternName(r);
      const sort = readSort(r);
      exports.push({ name, sort, index: r.u32('index') });
    }
    return { kind: 'exports', exports };
  }
  return r.fail('instance expression (0x00 instantiate or 0x01 exports)', hex(b), at);
}

/** Write one `instance`. */
export function writeInstance(w: Writer, i: Instance): void {
  switch (i.kind) {
    case 'instantiate':
      w.u8(0x00).u32(i.component).u32(i.args.length);
      for (const a of i.args) {
        w.name(a.name);
        writeSort(w, a.sort);
        w.u32(a.index);
      }
      return;
    case 'exports':
      w.u8(0x01).u32(i.exports.length);
      for (const e of i.exports) {
        writeExternName(w, e.name);
        writeSort(w, e.sort);
        w.u32(e.index);
      }
      return;
    default:
      throw new EncodeError(`unknown instance kind ${String((i as { kind?: unknown }).kind)}`);
  }
}
