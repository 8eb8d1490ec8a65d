/**
 * Component type definitions (`Binary.md#type-definitions`): the entries of a
 * component `type` section and of a `core:type` section, with their readers
 * and writers.
 *
 * ```
 * type          ::= defvaltype | functype | componenttype | instancetype | resourcetype
 * core:type     ::= core:rectype | 0x00 0x50 core:subtype | core:moduletype
 * core:moduledecl ::= 0x00 core:import | 0x01 core:type | 0x02 core:alias | 0x03 core:exportdecl
 * ```
 *
 * The grammar is the one wasmparser reads (the practical reference of the
 * newest format, matching the reference tests of the spec at 6d28164):
 * variant cases end with a zero byte (the old `refines` form is gone), a
 * function's result list is `0x00 t` or `0x01 0x00`, and `0x3e` is not a
 * resource form.
 *
 * Decoding is safe on hostile input: every count goes through
 * `Reader.count`, and nested component/instance/module types go through
 * `Reader.push`/`Reader.pop`.
 *
 * @module
 */
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { EncodeError } from '../errors.js';
import { hex } from '../reader.js';
import { type ValType, readValType, writeValType } from '../core/types.js';
import type { CoreImport, ExternType, RecGroup } from '../core/ast.js';
import { readCoreImport, readExternType, readRecGroup } from '../core/decode.js';
import { writeCoreImport, writeExternType, writeRecGroup } from '../core/encode.js';
import { type Alias, readAlias, writeAlias } from './alias.js';
import { type ExternDesc, type ExternName, readExternDesc, readExternName, writeExternDesc, writeExternName } from './externs.js';

// ---------------------------------------------------------------------------
// Value types
// ---------------------------------------------------------------------------

/** Primitive value types (`primvaltype`), by their text-format names. */
export type PrimitiveValType =
  | 'bool'
  | 's8'
  | 'u8'
  | 's16'
  | 'u16'
  | 's32'
  | 'u32'
  | 's64'
  | 'u64'
  | 'f32'
  | 'f64'
  | 'char'
  | 'string'
  | 'error-context';

/**
 * Binary codes of the primitive value types. They are negative SLEB128s
 * (`0x7f` is -1), so one byte tells a primitive from a type index.
 */
export const PrimitiveValTypeCode = {
  bool: 0x7f,
  s8: 0x7e,
  u8: 0x7d,
  s16: 0x7c,
  u16: 0x7b,
  s32: 0x7a,
  u32: 0x79,
  s64: 0x78,
  u64: 0x77,
  f32: 0x76,
  f64: 0x75,
  char: 0x74,
  string: 0x73,
  'error-context': 0x64,
} as const;

const primitiveByCode: ReadonlyMap<number, PrimitiveValType> = new Map(
  Object.entries(PrimitiveValTypeCode).map(([k, v]) => [v, k as PrimitiveValType]),
);

/** A reference to a type by index in a `valtype` position. */
export interface TypeIndexRef {
  readonly kind: 'index';
  readonly index: number;
}

/**
 * A component value type (`valtype`): a primitive, or a type index. Named
 * `ComponentValType` so it does not clash with the core `ValType`.
 */
export type ComponentValType = PrimitiveValType | TypeIndexRef;

/**
 * Read a `valtype`: a primitive code, else a type index written as an `s33`.
 * A negative `s33` (any other single byte in `0x40..0x7f`) names no type:
 * wasmparser would wrap it to a huge u32 that validation then rejects; we
 * reject it at once as malformed, which keeps the AST free of impossible
 * indices.
 */
export function readComponentValType(r: Reader): ComponentValType {
  const b = r.peek();
  if (b === -1) r.failEnd('value type');
  const p = primitiveByCode.get(b);
  if (p !== undefined) {
    r.pos++;
    return p;
  }
  const at = r.pos;
  const index = r.s33('value type index');
  if (index < 0) r.fail('value type (primitive code or type index)', hex(b), at);
  return { kind: 'index', index };
}

/** Write a `valtype`. */
export function writeComponentValType(w: Writer, t: ComponentValType): void {
  if (typeof t === 'string') {
    const code = PrimitiveValTypeCode[t];
    if (code === undefined) throw new EncodeError(`unknown primitive value type ${String(t)}`);
    w.u8(code);
    return;
  }
  if (t.kind !== 'index') throw new EncodeError(`unknown value type ${String((t as { kind?: unknown }).kind)}`);
  // A negative s33 would be read back as a primitive code or rejected: refuse it here.
  if (!Number.isInteger(t.index) || t.index < 0 || t.index > 0xffffffff) throw new EncodeError(`expected a type index (u32), got ${String(t.index)}`);
  w.s33(t.index);
}

/** Read an optional `valtype` (`0x00` none, `0x01 t`). */
function readOptValType(r: Reader, what: string): ComponentValType | undefined {
  const at = r.pos;
  const b = r.u8(what);
  if (b === 0x00) return undefined;
  if (b === 0x01) return readComponentValType(r);
  return r.fail(`${what} (0x00 absent or 0x01 present)`, hex(b), at);
}

function writeOptValType(w: Writer, t: ComponentValType | undefined): void {
  if (t === undefined) w.u8(0x00);
  else {
    w.u8(0x01);
    writeComponentValType(w, t);
  }
}

// ---------------------------------------------------------------------------
// Defined value types
// ---------------------------------------------------------------------------

/** A named value type: a record field or a function parameter. */
export interface NamedValType {
  readonly name: string;
  readonly type: ComponentValType;
}

/** A variant case: a name and an optional payload type. */
export interface VariantCase {
  readonly name: string;
  readonly type?: ComponentValType;
}

/** A defined value type that is just a primitive (`primvaltype` in `defvaltype` position). */
export interface PrimitiveDefType {
  readonly kind: 'primitive';
  readonly type: PrimitiveValType;
}
/** `record` (`0x72 vec(namedvaltype)`). */
export interface RecordType {
  readonly kind: 'record';
  readonly fields: readonly NamedValType[];
}
/** `variant` (`0x71 vec(case)`); each case ends with a zero byte. */
export interface VariantType {
  readonly kind: 'variant';
  readonly cases: readonly VariantCase[];
}
/** `list` (`0x70 t`). */
export interface ListType {
  readonly kind: 'list';
  readonly element: ComponentValType;
}
/** Fixed-length `list<T, N>` (`0x67 t len:u32`). */
export interface FixedLengthListType {
  readonly kind: 'fixed-length-list';
  readonly element: ComponentValType;
  readonly length: number;
}
/** `tuple` (`0x6f vec(valtype)`). */
export interface TupleType {
  readonly kind: 'tuple';
  readonly types: readonly ComponentValType[];
}
/** `flags` (`0x6e vec(name)`). */
export interface FlagsType {
  readonly kind: 'flags';
  readonly names: readonly string[];
}
/** `enum` (`0x6d vec(name)`). */
export interface EnumType {
  readonly kind: 'enum';
  readonly names: readonly string[];
}
/** `option` (`0x6b t`). */
export interface OptionType {
  readonly kind: 'option';
  readonly type: ComponentValType;
}
/**
 * `result` (`0x6a t? u?`): each side is `0x00` (absent) or `0x01 t`, so the
 * four presence combinations each have one encoding.
 */
export interface ResultType {
  readonly kind: 'result';
  readonly ok?: ComponentValType;
  readonly err?: ComponentValType;
}
/** `own` handle (`0x69 typeidx`). */
export interface OwnType {
  readonly kind: 'own';
  readonly type: number;
}
/** `borrow` handle (`0x68 typeidx`). */
export interface BorrowType {
  readonly kind: 'borrow';
  readonly type: number;
}
/** `stream` (`0x66 t?`), with an optional element type. */
export interface StreamType {
  readonly kind: 'stream';
  readonly element?: ComponentValType;
}
/** `future` (`0x65 t?`), with an optional payload type. */
export interface FutureType {
  readonly kind: 'future';
  readonly element?: ComponentValType;
}
/** `map<K, V>` (`0x63 k v`). */
export interface MapType {
  readonly kind: 'map';
  readonly key: ComponentValType;
  readonly value: ComponentValType;
}

/** A defined value type (`defvaltype`). */
export type DefValType =
  | PrimitiveDefType
  | RecordType
  | VariantType
  | ListType
  | FixedLengthListType
  | TupleType
  | FlagsType
  | EnumType
  | OptionType
  | ResultType
  | OwnType
  | BorrowType
  | StreamType
  | FutureType
  | MapType;

/** Opcodes of the type constructors (`Binary.md#type-definitions`). */
export const TypeCode = {
  record: 0x72,
  variant: 0x71,
  list: 0x70,
  tuple: 0x6f,
  flags: 0x6e,
  enum: 0x6d,
  option: 0x6b,
  result: 0x6a,
  own: 0x69,
  borrow: 0x68,
  'fixed-length-list': 0x67,
  stream: 0x66,
  future: 0x65,
  map: 0x63,
  resource: 0x3f,
  func: 0x40,
  component: 0x41,
  instance: 0x42,
  'async-func': 0x43,
} as const;

/** Declarator codes inside component and instance types (`componentdecl`, `instancedecl`). */
export const DeclCode = { 'core-type': 0x00, type: 0x01, alias: 0x02, import: 0x03, export: 0x04 } as const;

/** Declarator codes inside core module types (`core:moduledecl`). */
export const ModuleDeclCode = { import: 0x00, type: 0x01, alias: 0x02, export: 0x03 } as const;

// ---------------------------------------------------------------------------
// Function, component, instance and resource types
// ---------------------------------------------------------------------------

/**
 * A function type: `0x40` (sync) or `0x43` (async), parameters, and a result
 * list that is either one unnamed type (`0x00 t`) or none (`0x01 0x00`).
 */
export interface ComponentFuncType {
  readonly kind: 'func';
  /** Written with `0x43` (an `async` function type). */
  readonly async: boolean;
  readonly params: readonly NamedValType[];
  readonly result?: ComponentValType;
}

/**
 * A declaration inside an instance type (`instancedecl`):
 * `0x00 core:type`, `0x01 type`, `0x02 alias`, `0x04 exportdecl`.
 */
export type InstanceTypeDecl =
  | { readonly kind: 'core-type'; readonly type: CoreTypeDef }
  | { readonly kind: 'type'; readonly type: TypeDef }
  | { readonly kind: 'alias'; readonly alias: Alias }
  | { readonly kind: 'export'; readonly name: ExternName; readonly desc: ExternDesc };

/** A declaration inside a component type (`componentdecl`): an instance declaration or `0x03 importdecl`. */
export type ComponentTypeDecl = InstanceTypeDecl | { readonly kind: 'import'; readonly name: ExternName; readonly desc: ExternDesc };

/** A component type (`0x41 vec(componentdecl)`). */
export interface ComponentTypeDef {
  readonly kind: 'component';
  readonly decls: readonly ComponentTypeDecl[];
}

/** An instance type (`0x42 vec(instancedecl)`). */
export interface InstanceTypeDef {
  readonly kind: 'instance';
  readonly decls: readonly InstanceTypeDecl[];
}

/**
 * A resource type (`0x3f rep dtor?`): the core representation type (`i32`
 * today) and an optional destructor core function index (`0x00` / `0x01 f`).
 */
export interface ResourceTypeDef {
  readonly kind: 'resource';
  readonly rep: ValType;
  readonly dtor?: number;
}

/** One entry of a component type section (`type`). */
export type TypeDef = DefValType | ComponentFuncType | ComponentTypeDef | InstanceTypeDef | ResourceTypeDef;

// ---------------------------------------------------------------------------
// Core types
// ---------------------------------------------------------------------------

/**
 * A declaration inside a core module type (`core:moduledecl`):
 * `0x00 core:import`, `0x01 core:type`, `0x02 core:alias` (only
 * `0x10 0x01 ct idx`, an outer type alias) and `0x03 core:exportdecl`.
 *
 * The `type` declarator holds the same `core:type` production as an entry of
 * the top-level core type section (Binary.md, `core:moduledecl ::= 0x01
 * t:<core:type>`), so it can hold a nested core module type: that is
 * well-formed and only validation rejects it ("Validation of
 * `core:moduledecl` rejects `core:moduletype` definitions inside `type`
 * declarators"); a validator built on this AST must reject a `type`
 * declarator whose `type.kind` is `'module'`. A non-final `sub` therefore
 * takes the `0x00 0x50` prefix here as well.
 *
 * wasm-tools 0.254 differs here: its reader takes a bare `0x50` in this
 * position as a non-final `sub` (and rejects the `0x00` prefix), and its
 * encoder writes one that way. We follow the spec grammar, so such bytes are
 * read as a nested module type (and usually fail to decode).
 */
export type ModuleTypeDecl =
  | { readonly kind: 'import'; readonly import: CoreImport }
  | { readonly kind: 'type'; readonly type: CoreTypeDef }
  | { readonly kind: 'alias'; readonly count: number; readonly index: number }
  | { readonly kind: 'export'; readonly name: string; readonly type: ExternType };

/**
 * One entry of a `core:type` section (or of a `core:moduledecl` type
 * declarator): a core recursion group, or a core module type
 * (`0x50 vec(core:moduledecl)`).
 *
 * `0x50` is also the opcode of a non-final `sub` type; the format resolves
 * the clash by writing such a group (one bare non-final `sub`) with a `0x00`
 * prefix in this position. The prefix is fully determined by the group, so
 * the AST does not record it: the writer adds it exactly when the group's
 * first byte would be `0x50`.
 */
export type CoreTypeDef = { readonly kind: 'rec'; readonly group: RecGroup } | { readonly kind: 'module'; readonly decls: readonly ModuleTypeDecl[] };

const MODULE_TYPE = 0x50;

/** True when `g` is written starting with the `0x50` (non-final `sub`) byte. */
function startsWithSub(g: RecGroup): boolean {
  return !g.rec && g.types.length === 1 && !g.types[0]!.final;
}

/** Read one `core:type` entry (of a core type section or a module type declarator). */
export function readCoreTypeDef(r: Reader): CoreTypeDef {
  const b = r.peek();
  if (b === 0x00) {
    const at = r.pos;
    r.pos++;
    if (r.peek() !== MODULE_TYPE) r.fail('non-final sub type (0x50) after core type prefix 0x00', r.peek() === -1 ? 'end' : hex(r.peek()), at + 1);
    return { kind: 'rec', group: readRecGroup(r) };
  }
  if (b === MODULE_TYPE) {
    r.pos++;
    r.push('core module type');
    const n = r.count('module type declarations', 2);
    const decls: ModuleTypeDecl[] = [];
    for (let i = 0; i < n; i++) decls.push(readModuleTypeDecl(r));
    r.pop();
    return { kind: 'module', decls };
  }
  return { kind: 'rec', group: readRecGroup(r) };
}

function readModuleTypeDecl(r: Reader): ModuleTypeDecl {
  const at = r.pos;
  const b = r.u8('module type declaration');
  switch (b) {
    case ModuleDeclCode.import:
      return { kind: 'import', import: readCoreImport(r) };
    case ModuleDeclCode.type:
      // The same `core:type` production as the section entry (a nested module
      // type is well-formed; validation rejects it). Depth is bounded by the
      // push/pop in readCoreTypeDef.
      return { kind: 'type', type: readCoreTypeDef(r) };
    case ModuleDeclCode.alias: {
      const sat = r.pos;
      const s = r.u8('core alias sort');
      if (s !== 0x10) r.fail('core alias sort 0x10 (type)', hex(s), sat);
      const tat = r.pos;
      const t = r.u8('core alias target');
      if (t !== 0x01) r.fail('core alias target 0x01 (outer)', hex(t), tat);
      return { kind: 'alias', count: r.u32('outer alias count'), index: r.u32('outer alias index') };
    }
    case ModuleDeclCode.export:
      return { kind: 'export', name: r.name('export name'), type: readExternType(r) };
    default:
      return r.fail('module type declaration (0x00 import, 0x01 type, 0x02 alias, 0x03 export)', hex(b), at);
  }
}

/** Write one `core:type` entry, adding the `0x00` prefix before a bare non-final `sub`. */
export function writeCoreTypeDef(w: Writer, t: CoreTypeDef): void {
  if (t.kind === 'rec') {
    if (startsWithSub(t.group)) w.u8(0x00);
    writeRecGroup(w, t.group);
    return;
  }
  if (t.kind !== 'module') throw new EncodeError(`unknown core type ${String((t as { kind?: unknown }).kind)}`);
  w.u8(MODULE_TYPE).u32(t.decls.length);
  for (const d of t.decls) {
    switch (d.kind) {
      case 'import':
        w.u8(ModuleDeclCode.import);
        writeCoreImport(w, d.import);
        break;
      case 'type':
        w.u8(ModuleDeclCode.type);
        writeCoreTypeDef(w, d.type);
        break;
      case 'alias':
        w.u8(ModuleDeclCode.alias).u8(0x10).u8(0x01).u32(d.count).u32(d.index);
        break;
      case 'export':
        w.u8(ModuleDeclCode.export).name(d.name);
        writeExternType(w, d.type);
        break;
      default:
        throw new EncodeError(`unknown module type declaration ${String((d as { kind?: unknown }).kind)}`);
    }
  }
}

// ---------------------------------------------------------------------------
// Reading component types
// ---------------------------------------------------------------------------

function readNames(r: Reader, what: string): string[] {
  const n = r.count(what, 1);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.name(what));
  return out;
}

function readNamedValTypes(r: Reader, what: string): NamedValType[] {
  const n = r.count(what, 2);
  const out: NamedValType[] = [];
  for (let i = 0; i < n; i++) out.push({ name: r.name(`${what} name`), type: readComponentValType(r) });
  return out;
}

/** Read the rest of a `defvaltype` whose first byte `b` (at `at`) was consumed. */
function readDefValType(r: Reader, b: number, at: number): DefValType {
  const prim = primitiveByCode.get(b);
  if (prim !== undefined) return { kind: 'primitive', type: prim };
  switch (b) {
    case TypeCode.record:
      return { kind: 'record', fields: readNamedValTypes(r, 'record field') };
    case TypeCode.variant: {
      const n = r.count('variant cases', 3);
      const cases: VariantCase[] = [];
      for (let i = 0; i < n; i++) {
        const name = r.name('variant case name');
        const type = readOptValType(r, 'variant case payload');
        const zat = r.pos;
        const z = r.u8('variant case trailing zero byte');
        if (z !== 0x00) r.fail('zero byte after a variant case (the refines form was removed)', hex(z), zat);
        cases.push(type === undefined ? { name } : { name, type });
      }
      return { kind: 'variant', cases };
    }
    case TypeCode.list:
      return { kind: 'list', element: readComponentValType(r) };
    case TypeCode.tuple: {
      const n = r.count('tuple types', 1);
      const types: ComponentValType[] = [];
      for (let i = 0; i < n; i++) types.push(readComponentValType(r));
      return { kind: 'tuple', types };
    }
    case TypeCode.flags:
      return { kind: 'flags', names: readNames(r, 'flag name') };
    case TypeCode.enum:
      return { kind: 'enum', names: readNames(r, 'enum case name') };
    case TypeCode.option:
      return { kind: 'option', type: readComponentValType(r) };
    case TypeCode.result: {
      const ok = readOptValType(r, 'result ok type');
      const err = readOptValType(r, 'result error type');
      return ok === undefined ? (err === undefined ? { kind: 'result' } : { kind: 'result', err }) : err === undefined ? { kind: 'result', ok } : { kind: 'result', ok, err };
    }
    case TypeCode.own:
      return { kind: 'own', type: r.u32('resource type index') };
    case TypeCode.borrow:
      return { kind: 'borrow', type: r.u32('resource type index') };
    case TypeCode['fixed-length-list']: {
      const element = readComponentValType(r);
      return { kind: 'fixed-length-list', element, length: r.u32('fixed list length') };
    }
    case TypeCode.stream: {
      const element = readOptValType(r, 'stream element type');
      return element === undefined ? { kind: 'stream' } : { kind: 'stream', element };
    }
    case TypeCode.future: {
      const element = readOptValType(r, 'future payload type');
      return element === undefined ? { kind: 'future' } : { kind: 'future', element };
    }
    case TypeCode.map: {
      const key = readComponentValType(r);
      return { kind: 'map', key, value: readComponentValType(r) };
    }
    default:
      return r.fail('component type (defined value type, 0x3f resource, 0x40/0x43 func, 0x41 component, 0x42 instance)', hex(b), at);
  }
}

function readInstanceDecl(r: Reader, b: number, at: number): InstanceTypeDecl {
  switch (b) {
    case DeclCode['core-type']:
      return { kind: 'core-type', type: readCoreTypeDef(r) };
    case DeclCode.type:
      return { kind: 'type', type: readTypeDef(r) };
    case DeclCode.alias:
      return { kind: 'alias', alias: readAlias(r) };
    case DeclCode.export: {
      const name = readExternName(r);
      return { kind: 'export', name, desc: readExternDesc(r) };
    }
    default:
      return r.fail('component or instance type declaration (0x00 core type, 0x01 type, 0x02 alias, 0x04 export; 0x03 import in component types)', hex(b), at);
  }
}

/** Read one entry of a component type section. */
export function readTypeDef(r: Reader): TypeDef {
  const at = r.pos;
  const b = r.u8('component type');
  switch (b) {
    case TypeCode.resource: {
      const rep = readValType(r);
      const dat = r.pos;
      const d = r.u8('resource destructor');
      if (d === 0x00) return { kind: 'resource', rep };
      if (d === 0x01) return { kind: 'resource', rep, dtor: r.u32('destructor function index') };
      return r.fail('resource destructor (0x00 none or 0x01 funcidx)', hex(d), dat);
    }
    case TypeCode.func:
    case TypeCode['async-func']: {
      const params = readNamedValTypes(r, 'function parameter');
      const rat = r.pos;
      const rb = r.u8('function result list');
      if (rb === 0x00) return { kind: 'func', async: b === TypeCode['async-func'], params, result: readComponentValType(r) };
      if (rb !== 0x01) r.fail('function result list (0x00 one result or 0x01 0x00 none)', hex(rb), rat);
      const zat = r.pos;
      const z = r.u8('number of results');
      if (z !== 0x00) r.fail('0x00 (no results) after result list 0x01', hex(z), zat);
      return { kind: 'func', async: b === TypeCode['async-func'], params };
    }
    case TypeCode.component: {
      r.push('component type');
      const n = r.count('component type declarations', 2);
      const decls: ComponentTypeDecl[] = [];
      for (let i = 0; i < n; i++) {
        const dat = r.pos;
        const d = r.u8('component type declaration');
        if (d === DeclCode.import) {
          const name = readExternName(r);
          decls.push({ kind: 'import', name, desc: readExternDesc(r) });
        } else {
          decls.push(readInstanceDecl(r, d, dat));
        }
      }
      r.pop();
      return { kind: 'component', decls };
    }
    case TypeCode.instance: {
      r.push('instance type');
      const n = r.count('instance type declarations', 2);
      const decls: InstanceTypeDecl[] = [];
      for (let i = 0; i < n; i++) {
        const dat = r.pos;
        decls.push(readInstanceDecl(r, r.u8('instance type declaration'), dat));
      }
      r.pop();
      return { kind: 'instance', decls };
    }
    default:
      return readDefValType(r, b, at);
  }
}

// ---------------------------------------------------------------------------
// Writing component types
// ---------------------------------------------------------------------------

function writeNamedValTypes(w: Writer, items: readonly NamedValType[]): void {
  w.u32(items.length);
  for (const it of items) {
    w.name(it.name);
    writeComponentValType(w, it.type);
  }
}

function writeNames(w: Writer, names: readonly string[]): void {
  w.u32(names.length);
  for (const n of names) w.name(n);
}

function writeInstanceDecl(w: Writer, d: InstanceTypeDecl): void {
  switch (d.kind) {
    case 'core-type':
      w.u8(DeclCode['core-type']);
      writeCoreTypeDef(w, d.type);
      return;
    case 'type':
      w.u8(DeclCode.type);
      writeTypeDef(w, d.type);
      return;
    case 'alias':
      w.u8(DeclCode.alias);
      writeAlias(w, d.alias);
      return;
    case 'export':
      w.u8(DeclCode.export);
      writeExternName(w, d.name);
      writeExternDesc(w, d.desc);
      return;
    default:
      throw new EncodeError(`unknown instance type declaration ${String((d as { kind?: unknown }).kind)}`);
  }
}

/** Write one entry of a component type section. */
export function writeTypeDef(w: Writer, t: TypeDef): void {
  switch (t.kind) {
    case 'primitive': {
      const code = PrimitiveValTypeCode[t.type];
      if (code === undefined) throw new EncodeError(`unknown primitive value type ${String(t.type)}`);
      w.u8(code);
      return;
    }
    case 'record':
      w.u8(TypeCode.record);
      writeNamedValTypes(w, t.fields);
      return;
    case 'variant':
      w.u8(TypeCode.variant).u32(t.cases.length);
      for (const c of t.cases) {
        w.name(c.name);
        writeOptValType(w, c.type);
        w.u8(0x00);
      }
      return;
    case 'list':
      w.u8(TypeCode.list);
      writeComponentValType(w, t.element);
      return;
    case 'fixed-length-list':
      w.u8(TypeCode['fixed-length-list']);
      writeComponentValType(w, t.element);
      w.u32(t.length);
      return;
    case 'tuple':
      w.u8(TypeCode.tuple).u32(t.types.length);
      for (const x of t.types) writeComponentValType(w, x);
      return;
    case 'flags':
      w.u8(TypeCode.flags);
      writeNames(w, t.names);
      return;
    case 'enum':
      w.u8(TypeCode.enum);
      writeNames(w, t.names);
      return;
    case 'option':
      w.u8(TypeCode.option);
      writeComponentValType(w, t.type);
      return;
    case 'result':
      w.u8(TypeCode.result);
      writeOptValType(w, t.ok);
      writeOptValType(w, t.err);
      return;
    case 'own':
      w.u8(TypeCode.own).u32(t.type);
      return;
    case 'borrow':
      w.u8(TypeCode.borrow).u32(t.type);
      return;
    case 'stream':
      w.u8(TypeCode.stream);
      writeOptValType(w, t.element);
      return;
    case 'future':
      w.u8(TypeCode.future);
      writeOptValType(w, t.element);
      return;
    case 'map':
      w.u8(TypeCode.map);
      writeComponentValType(w, t.key);
      writeComponentValType(w, t.value);
      return;
    case 'resource':
      w.u8(TypeCode.resource);
      writeValType(w, t.rep);
      if (t.dtor === undefined) w.u8(0x00);
      else w.u8(0x01).u32(t.dtor);
      return;
    case 'func':
      w.u8(t.async ? TypeCode['async-func'] : TypeCode.func);
      writeNamedValTypes(w, t.params);
      if (t.result === undefined) w.u8(0x01).u8(0x00);
      else {
        w.u8(0x00);
        writeComponentValType(w, t.result);
      }
      return;
    case 'component':
      w.u8(TypeCode.component).u32(t.decls.length);
      for (const d of t.decls) {
        if (d.kind === 'import') {
          w.u8(DeclCode.import);
          writeExternName(w, d.name);
          writeExternDesc(w, d.desc);
        } else {
          writeInstanceDecl(w, d);
        }
      }
      return;
    case 'instance':
      w.u8(TypeCode.instance).u32(t.decls.length);
      for (const d of t.decls) writeInstanceDecl(w, d);
      return;
    default:
      throw new EncodeError(`unknown component type ${String((t as { kind?: unknown }).kind)}`);
  }
}
