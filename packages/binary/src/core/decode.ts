/**
 * Decoder of core WebAssembly modules into the AST of `./ast.ts`
 * (core spec §5.5 "Modules", with the proposals wasmparser 0.254 reads).
 *
 * Safety: every count goes through `r.count` (checked against the bytes
 * left), every length-prefixed region through `r.enter`/`r.leave`, so a
 * hostile input can only produce a {@link DecodeError}.
 *
 * Round trips: each section is one padding scope (begun before its size
 * field); each function body is its own scope. The encoder in `./encode.ts`
 * writes the LEB128 values of a scope in exactly the order read here.
 *
 * @module
 */
import { Reader, hex } from '../reader.js';
import type {
  CodeSection,
  CompositeType,
  CoreImport,
  DataMode,
  DataSegment,
  ElementItems,
  ElementMode,
  ElementSegment,
  Export,
  ExternalKind,
  ExternType,
  FieldType,
  FunctionBody,
  Global,
  GlobalType,
  ImportEntry,
  Limits,
  LocalGroup,
  MemoryType,
  Module,
  ModuleSection,
  NameSection,
  RecGroup,
  StorageType,
  SubType,
  Table,
  TableType,
  TagType,
} from './ast.js';
import { readExpr } from './instructions/index.js';
import { readNameSection, writeNameSection } from './names.js';
import { readRefType, readValType } from './types.js';

/** Prefix byte of an explicit recursion group. */
export const REC = 0x4e;
/** Prefix byte of a non-final subtype. */
export const SUB = 0x50;
/** Prefix byte of a final subtype. */
export const SUB_FINAL = 0x4f;
/** Prefix byte of a `shared` composite type (shared-everything-threads). */
export const SHARED_TYPE = 0x65;
/** Prefix byte of `describes x` (custom-descriptors). */
export const DESCRIBES = 0x4c;
/** Prefix byte of `descriptor x` (custom-descriptors). */
export const DESCRIPTOR = 0x4d;
/** Codes of the composite types. */
export const CompositeTypeCode = { func: 0x60, struct: 0x5f, array: 0x5e, cont: 0x5d } as const;
/** Codes of the packed storage types. */
export const PackedTypeCode = { i8: 0x78, i16: 0x77 } as const;

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

function readStorageType(r: Reader): StorageType {
  const b = r.peek();
  if (b === PackedTypeCode.i8) {
    r.pos++;
    return 'i8';
  }
  if (b === PackedTypeCode.i16) {
    r.pos++;
    return 'i16';
  }
  return readValType(r);
}

function readFieldType(r: Reader): FieldType {
  const storage = readStorageType(r);
  const at = r.pos;
  const m = r.u8('field mutability');
  if (m > 1) r.fail('field mutability (0x00 or 0x01)', hex(m), at);
  return { storage, mutable: m === 1 };
}

function readValTypes(r: Reader, what: string): ValTypeList {
  const n = r.count(what, 1);
  const out: ValTypeList = [];
  for (let i = 0; i < n; i++) out.push(readValType(r));
  return out;
}
type ValTypeList = ReturnType<typeof readValType>[];

function readCompositeType(r: Reader, at: number, code: number): CompositeType {
  switch (code) {
    case CompositeTypeCode.func: {
      const params = readValTypes(r, 'function params');
      const results = readValTypes(r, 'function results');
      return { kind: 'func', params, results };
    }
    case CompositeTypeCode.struct: {
      const n = r.count('struct fields', 2);
      const fields: FieldType[] = [];
      for (let i = 0; i < n; i++) fields.push(readFieldType(r));
      return { kind: 'struct', fields };
    }
    case CompositeTypeCode.array:
      return { kind: 'array', element: readFieldType(r) };
    case CompositeTypeCode.cont: {
      const p = r.pos;
      const type = r.s33('continuation type index');
      if (type < 0) r.fail('continuation type index', String(type), p);
      return { kind: 'cont', type };
    }
    default:
      return r.fail('composite type (0x60 func, 0x5f struct, 0x5e array, 0x5d cont)', hex(code), at);
  }
}

/** Read `0x65? (0x4c x)? (0x4d y)? comptype`, `first` being its first byte (already consumed). */
function readPrefixedComposite(
  r: Reader,
  first: number,
  firstAt: number,
): { shared: boolean; describes?: number; descriptor?: number; type: CompositeType } {
  let b = first;
  let at = firstAt;
  let shared = false;
  let describes: number | undefined;
  let descriptor: number | undefined;
  if (b === SHARED_TYPE) {
    shared = true;
    at = r.pos;
    b = r.u8('composite type');
  }
  if (b === DESCRIBES) {
    describes = r.u32('describes type index');
    at = r.pos;
    b = r.u8('composite type');
  }
  if (b === DESCRIPTOR) {
    descriptor = r.u32('descriptor type index');
    at = r.pos;
    b = r.u8('composite type');
  }
  const type = readCompositeType(r, at, b);
  const out: { shared: boolean; describes?: number; descriptor?: number; type: CompositeType } = { shared, type };
  if (describes !== undefined) out.describes = describes;
  if (descriptor !== undefined) out.descriptor = descriptor;
  return out;
}

/** Read one `subtype` (GC proposal): `0x50 vec(typeidx) ct`, `0x4f vec(typeidx) ct`, or a bare `ct`. */
export function readSubType(r: Reader): SubType {
  const at = r.pos;
  const b = r.u8('subtype');
  if (b === SUB || b === SUB_FINAL) {
    const nat = r.pos;
    const n = r.count('supertypes', 1);
    // wasmparser reads at most one supertype (its MAX_WASM_SUPERTYPES), as the GC proposal's validation requires.
    if (n > 1) r.failLimit('at most one supertype', String(n), nat);
    const supertypes: number[] = [];
    for (let i = 0; i < n; i++) supertypes.push(r.u32('supertype index'));
    const ctAt = r.pos;
    const first = r.u8('composite type');
    const c = readPrefixedComposite(r, first, ctAt);
    const final = b === SUB_FINAL;
    return final && n === 0 ? { kind: 'sub', final, supertypes, prefixed: true, ...c } : { kind: 'sub', final, supertypes, ...c };
  }
  const c = readPrefixedComposite(r, b, at);
  return { kind: 'sub', final: true, supertypes: [], ...c };
}

/**
 * Read a recursion group (`rectype`): `0x4e vec(subtype)` or one bare
 * subtype. Used by the type section and by component `core:type` definitions.
 */
export function readRecGroup(r: Reader): RecGroup {
  if (r.peek() === REC) {
    r.pos++;
    const n = r.count('rec group types', 2);
    const types: SubType[] = [];
    for (let i = 0; i < n; i++) types.push(readSubType(r));
    return { kind: 'rec', rec: true, types };
  }
  return { kind: 'rec', rec: false, types: [readSubType(r)] };
}

/**
 * Read `min max?` of a table or memory. Both 32-bit and 64-bit limits are
 * read as u64 LEB128s (up to 10 bytes), as wasmparser 0.254 does: a padded
 * 6-byte minimum or a value above 2^32 in a 32-bit limit is well-formed, and
 * only validation rejects an out-of-range 32-bit limit.
 */
function readLimits(r: Reader, hasMax: boolean): Limits {
  const min = r.u64('limits minimum');
  if (!hasMax) return { min };
  return { min, max: r.u64('limits maximum') };
}

/** Read a table type: `reftype flags min max?` (flags bit 0 max, bit 1 shared, bit 2 table64). */
export function readTableType(r: Reader): TableType {
  const element = readRefType(r);
  const at = r.pos;
  const flags = r.u8('table limits flags');
  if ((flags & ~0b111) !== 0) r.fail('table limits flags (bits: 0 max, 1 shared, 2 table64)', hex(flags), at);
  const table64 = (flags & 0b100) !== 0;
  return { kind: 'table', element, table64, shared: (flags & 0b010) !== 0, limits: readLimits(r, (flags & 1) !== 0) };
}

/** Read a memory type: `flags min max? pagesize?` (flags bit 0 max, 1 shared, 2 memory64, 3 custom page size). */
export function readMemoryType(r: Reader): MemoryType {
  const at = r.pos;
  const flags = r.u8('memory limits flags');
  if ((flags & ~0b1111) !== 0) r.fail('memory limits flags (bits: 0 max, 1 shared, 2 memory64, 3 page size)', hex(flags), at);
  const memory64 = (flags & 0b100) !== 0;
  const limits = readLimits(r, (flags & 1) !== 0);
  const mem: MemoryType = { kind: 'memory', memory64, shared: (flags & 0b010) !== 0, limits };
  if ((flags & 0b1000) !== 0) return { ...mem, pageSizeLog2: r.u32('page size log2') };
  return mem;
}

/** Read a global type: `valtype flags` (bit 0 mutable, bit 1 shared). */
export function readGlobalType(r: Reader): GlobalType {
  const type = readValType(r);
  const at = r.pos;
  const flags = r.u8('global mutability');
  if ((flags & ~0b11) !== 0) r.fail('global flags (bits: 0 mutable, 1 shared)', hex(flags), at);
  return { kind: 'global', type, mutable: (flags & 1) !== 0, shared: (flags & 2) !== 0 };
}

/** Read a tag type: attribute `0x00` (exception) then a type index. */
export function readTagType(r: Reader): TagType {
  const at = r.pos;
  const attr = r.u8('tag attribute');
  if (attr !== 0) r.fail('tag attribute 0x00 (exception)', hex(attr), at);
  return { kind: 'tag', type: r.u32('tag type index') };
}

/**
 * Read an import description (`externtype`): kind byte then the type.
 * Used by the import section and by component `core:importdecl`/`core:exportdecl`.
 */
export function readExternType(r: Reader): ExternType {
  const at = r.pos;
  const k = r.u8('import kind');
  switch (k) {
    case 0x00:
      return { kind: 'func', type: r.u32('function type index') };
    case 0x20:
      return { kind: 'func', type: r.u32('function type index'), exact: true };
    case 0x01:
      return readTableType(r);
    case 0x02:
      return readMemoryType(r);
    case 0x03:
      return readGlobalType(r);
    case 0x04:
      return readTagType(r);
    default:
      return r.fail('import kind (0x00 func, 0x01 table, 0x02 memory, 0x03 global, 0x04 tag, 0x20 exact func)', hex(k), at);
  }
}

/** Read one import in its plain form: module name, field name, import description. */
export function readCoreImport(r: Reader): CoreImport {
  const module = r.name('import module name');
  const name = r.name('import name');
  return { kind: 'import', module, name, type: readExternType(r) };
}

/**
 * Read one entry of the import section, including the two compact forms of
 * the compact-import-section proposal (an empty field name followed by
 * `0x7f` or `0x7e`, which no plain import can have since those are not
 * import kinds).
 */
export function readImportEntry(r: Reader): ImportEntry {
  const module = r.name('import module name');
  const name = r.name('import name');
  if (name === '') {
    const b = r.peek();
    if (b === 0x7f) {
      r.pos++;
      const n = r.count('compact import items', 2);
      const items: { name: string; type: ExternType }[] = [];
      for (let i = 0; i < n; i++) {
        const itemName = r.name('import name');
        items.push({ name: itemName, type: readExternType(r) });
      }
      return { kind: 'import-items', module, items };
    }
    if (b === 0x7e) {
      r.pos++;
      const type = readExternType(r);
      const n = r.count('compact import names', 1);
      const names: string[] = [];
      for (let i = 0; i < n; i++) names.push(r.name('import name'));
      return { kind: 'import-names', module, type, names };
    }
  }
  return { kind: 'import', module, name, type: readExternType(r) };
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

const externalKinds: ReadonlyMap<number, ExternalKind> = new Map([
  [0x00, 'func'],
  [0x01, 'table'],
  [0x02, 'memory'],
  [0x03, 'global'],
  [0x04, 'tag'],
]);

function readExport(r: Reader): Export {
  const name = r.name('export name');
  const at = r.pos;
  const k = r.u8('export kind');
  const sort = externalKinds.get(k);
  // 0x20 (exact function) is an import kind only; wasmparser rejects it in exports.
  if (sort === undefined) r.fail('export kind (0x00 func, 0x01 table, 0x02 memory, 0x03 global, 0x04 tag)', hex(k), at);
  return { name, sort, index: r.u32('export index') };
}

function readTable(r: Reader): Table {
  if (r.peek() === 0x40) {
    r.pos++;
    const at = r.pos;
    const z = r.u8('table encoding');
    if (z !== 0) r.fail('0x00 after 0x40 (table with initialiser)', hex(z), at);
    const type = readTableType(r);
    return { type, init: readExpr(r) };
  }
  return { type: readTableType(r) };
}

function readElementSegment(r: Reader): ElementSegment {
  const at = r.pos;
  const flags = r.u32('element segment flags');
  if (flags > 7) r.fail('element segment flags 0-7', String(flags), at);
  let mode: ElementMode;
  if ((flags & 1) !== 0) {
    mode = (flags & 2) !== 0 ? { kind: 'declarative' } : { kind: 'passive' };
  } else if ((flags & 2) !== 0) {
    const table = r.u32('table index');
    mode = { kind: 'active', table, offset: readExpr(r) };
  } else {
    mode = { kind: 'active', table: 0, offset: readExpr(r), implicit: true };
  }
  const implicitType = (flags & 3) === 0;
  let items: ElementItems;
  if ((flags & 4) !== 0) {
    const type = implicitType ? FUNCREF : readRefType(r);
    const n = r.count('element expressions', 1);
    const exprs = [];
    for (let i = 0; i < n; i++) exprs.push(readExpr(r));
    items = { kind: 'expressions', type, exprs };
  } else {
    if (!implicitType) {
      const kat = r.pos;
      const kind = r.u8('element kind');
      if (kind !== 0) r.fail('element kind 0x00 (funcref)', hex(kind), kat);
    }
    const n = r.count('element function indices', 1);
    const indices: number[] = [];
    for (let i = 0; i < n; i++) indices.push(r.u32('function index'));
    items = { kind: 'functions', indices };
  }
  return { mode, items };
}

/** `funcref` as implied by element segment flags 0 and 4. */
const FUNCREF = { kind: 'ref', nullable: true, heap: { kind: 'abstract', name: 'func', shared: false } } as const;

function readDataSegment(r: Reader): DataSegment {
  const at = r.pos;
  const flags = r.u32('data segment flags');
  let mode: DataMode;
  switch (flags) {
    case 0:
      mode = { kind: 'active', memory: 0, offset: readExpr(r), implicit: true };
      break;
    case 1:
      mode = { kind: 'passive' };
      break;
    case 2: {
      const memory = r.u32('memory index');
      mode = { kind: 'active', memory, offset: readExpr(r) };
      break;
    }
    default:
      return r.fail('data segment flags 0-2', String(flags), at);
  }
  const len = r.u32('data segment size');
  return { mode, data: r.bytesN(len, 'data segment bytes') };
}

function readFunctionBody(r: Reader): FunctionBody {
  const pm = r.beginPadding();
  const size = r.u32('function body size');
  const saved = r.enter(size, 'function body');
  const offset = r.pos;
  const n = r.count('local declarations', 2);
  const locals: LocalGroup[] = [];
  for (let i = 0; i < n; i++) {
    const count = r.u32('local count');
    locals.push({ count, type: readValType(r) });
  }
  const codeStart = r.pos;
  const code = r.bytes.subarray(codeStart, r.end);
  let body: FunctionBody;
  if (r.options.instructions) {
    const instructions = readExpr(r);
    r.leave(saved, 'function body');
    body = { locals, code, offset, instructions };
  } else {
    r.pos = r.end;
    r.leave(saved, 'function body');
    body = { locals, code, offset };
  }
  const padding = r.endPadding(pm);
  return padding === undefined ? body : { ...body, padding };
}

function vec<T>(r: Reader, what: string, minBytes: number, item: (r: Reader) => T): T[] {
  const n = r.count(what, minBytes);
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(item(r));
  return out;
}

type SectionContent = ModuleSection extends infer S ? (S extends ModuleSection ? Omit<S, 'padding' | 'offset'> : never) : never;

function readSectionContent(r: Reader, id: number): SectionContent {
  switch (id) {
    case 0: {
      const name = r.name('custom section name');
      const data = r.bytesN(r.end - r.pos, 'custom section contents');
      if (name === 'name' && !r.options.interfaceOnly) {
        const names = tryNames(data, r);
        if (names !== undefined) return { kind: 'name', names };
      }
      return { kind: 'custom', name, data };
    }
    case 1:
      return { kind: 'type', groups: vec(r, 'type section entries', 2, readRecGroup) };
    case 2:
      return { kind: 'import', imports: vec(r, 'imports', 3, readImportEntry) };
    case 3:
      return { kind: 'function', types: vec(r, 'functions', 1, (r) => r.u32('type index')) };
    case 4:
      return { kind: 'table', tables: vec(r, 'tables', 3, readTable) };
    case 5:
      return { kind: 'memory', memories: vec(r, 'memories', 2, readMemoryType) };
    case 6:
      return {
        kind: 'global',
        globals: vec(r, 'globals', 3, (r): Global => {
          const type = readGlobalType(r);
          return { type, init: readExpr(r) };
        }),
      };
    case 7:
      return { kind: 'export', exports: vec(r, 'exports', 3, readExport) };
    case 8:
      return { kind: 'start', func: r.u32('start function index') };
    case 9:
      return { kind: 'element', segments: vec(r, 'element segments', 2, readElementSegment) };
    case 10: {
      if (r.options.interfaceOnly) return readRaw(r, id, 'function bodies');
      const s: Omit<CodeSection, 'padding' | 'offset'> = { kind: 'code', bodies: vec(r, 'function bodies', 1, readFunctionBody) };
      return s;
    }
    case 11:
      if (r.options.interfaceOnly) return readRaw(r, id, 'data segments');
      return { kind: 'data', segments: vec(r, 'data segments', 2, readDataSegment) };
    case 12:
      return { kind: 'data-count', count: r.u32('data count') };
    case 13:
      return { kind: 'tag', tags: vec(r, 'tags', 2, readTagType) };
    default:
      return { kind: 'unknown', id, data: r.bytesN(r.end - r.pos, 'section contents') };
  }
}

/**
 * A code or data section kept undecoded (`interfaceOnly`): the item count is
 * read on a throwaway reader, so it is checked against the bytes left but
 * does not enter the section's padding scope (the encoder writes `data`
 * back as it is, count included).
 */
function readRaw(r: Reader, id: number, what: string): SectionContent {
  const probe = new Reader(r.bytes, r.options, r.pos, r.end);
  const count = probe.count(what, 1);
  return { kind: 'raw', id, count, data: r.bytesN(r.end - r.pos, 'section contents') };
}

/** Decode a `name` section only if it round-trips exactly; otherwise the caller keeps it raw. */
function tryNames(data: Uint8Array, r: Reader): NameSection | undefined {
  try {
    const names = readNameSection(data, r.options);
    const again = writeNameSection(names);
    if (again.length !== data.length) return undefined;
    for (let i = 0; i < data.length; i++) if (again[i] !== data[i]) return undefined;
    return names;
  } catch {
    // A name section that does not parse is still a valid custom section.
    return undefined;
  }
}

/**
 * Read one section (id byte, size, contents) at `r.pos`. Exported for
 * tools that walk sections one by one; it checks nothing across sections
 * (see {@link readModule}).
 */
export function readModuleSection(r: Reader): ModuleSection {
  const offset = r.pos;
  const id = r.u8('section id');
  // wasmparser: ids with the high bit set are malformed; others it does not know are `UnknownSection`s.
  if ((id & 0x80) !== 0) r.fail('section id (0-127)', hex(id), offset);
  const pm = r.beginPadding();
  let content: SectionContent;
  try {
    const size = r.u32('section size');
    const saved = r.enter(size, 'section');
    content = readSectionContent(r, id);
    r.leave(saved, `section ${id}`);
  } catch (e) {
    r.endPadding(pm);
    throw e;
  }
  const padding = r.endPadding(pm);
  const out = { ...content, offset } as ModuleSection;
  return padding === undefined ? out : ({ ...out, padding } as ModuleSection);
}

/**
 * Position of each non-custom section in the required order (core spec
 * §5.5.2, with `tag` after `memory` and `data-count` before `code`).
 * Custom and unknown sections may appear anywhere.
 */
export const SectionOrder: { readonly [kind: string]: number } = {
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  tag: 6,
  global: 7,
  export: 8,
  start: 9,
  element: 10,
  'data-count': 11,
  code: 12,
  data: 13,
};

/**
 * Read a core module: the preamble (`\0asm` 01 00 00 00) at `r.pos`, then
 * sections up to `r.end`.
 *
 * Beyond each section's own grammar this checks exactly what wasmparser's
 * `Parser` rejects while parsing (not what its validator rejects): sections
 * out of order or repeated, a function section and a code section of
 * different lengths (or one without the other), a data count that differs
 * from the data section's length, and a stray `\0asm` where a section
 * should start.
 */
export function readModule(r: Reader): Module {
  const at = r.pos;
  if (r.remaining < 8) r.failEnd('the 8-byte module preamble');
  const m = r.bytesN(4, 'magic');
  if (m[0] !== 0x00 || m[1] !== 0x61 || m[2] !== 0x73 || m[3] !== 0x6d) r.fail('magic number \\0asm', undefined, at);
  const version = r.u32Fixed('version');
  if (version !== 1) r.fail('core module version 1 (01 00 00 00)', `0x${version.toString(16).padStart(8, '0')}`, at + 4);
  const sections: ModuleSection[] = [];
  let last = 0;
  let functions: number | undefined;
  let bodies: number | undefined;
  let dataCount: number | undefined;
  let data: number | undefined;
  const b = r.bytes;
  while (!r.atEnd()) {
    const p = r.pos;
    if (r.remaining >= 4 && b[p] === 0x00 && b[p + 1] === 0x61 && b[p + 2] === 0x73 && b[p + 3] === 0x6d) {
      r.fail('a section', 'the wasm magic number (a second module?)', p);
    }
    const s = readModuleSection(r);
    sections.push(s);
    const order = SectionOrder[s.kind === 'raw' ? (s.id === 10 ? 'code' : 'data') : s.kind];
    if (order === undefined) continue;
    if (order <= last) r.fail(`sections in order, each at most once (${s.kind} section out of order)`, undefined, p);
    last = order;
    if (s.kind === 'function') functions = s.types.length;
    else if (s.kind === 'code' || (s.kind === 'raw' && s.id === 10)) {
      bodies = s.kind === 'code' ? s.bodies.length : s.count;
      checkFunctionCounts(r, functions, bodies, p);
    } else if (s.kind === 'data-count') dataCount = s.count;
    else if (s.kind === 'data' || (s.kind === 'raw' && s.id === 11)) {
      data = s.kind === 'data' ? s.segments.length : s.count;
      checkDataCount(r, dataCount, data, p);
    }
  }
  checkFunctionCounts(r, functions, bodies, r.pos);
  checkDataCount(r, dataCount, data, r.pos);
  return { kind: 'module', sections };
}

function checkFunctionCounts(r: Reader, functions: number | undefined, bodies: number | undefined, at: number): void {
  if ((functions ?? 0) !== (bodies ?? 0)) {
    r.fail('function and code sections of the same length', `${functions ?? 'no'} functions and ${bodies ?? 'no'} bodies`, at);
  }
}

function checkDataCount(r: Reader, count: number | undefined, data: number | undefined, at: number): void {
  if (count !== undefined && count !== (data ?? 0)) r.fail('a data count equal to the number of data segments', `${count} and ${data ?? 'no'} segments`, at);
}
