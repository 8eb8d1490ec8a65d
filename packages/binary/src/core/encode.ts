/**
 * Encoder of the core module AST (`./ast.ts`) back to bytes: the mirror of
 * `./decode.ts`. For any AST the decoder produced, the output is the input,
 * byte for byte: the LEB128 values of each padding scope (a section, a
 * function body) are written in the order the decoder read them, so the
 * recorded padding lands on the same values.
 *
 * @module
 */
import { EncodeError } from '../errors.js';
import type { Writer } from '../writer.js';
import type {
  CompositeType,
  CoreImport,
  DataSegment,
  ElementSegment,
  ExternType,
  FieldType,
  FunctionBody,
  GlobalType,
  ImportEntry,
  Limits,
  MemoryType,
  Module,
  ModuleSection,
  RecGroup,
  SubType,
  Table,
  TableType,
  TagType,
} from './ast.js';
import { ExternalKindCode, SectionId } from './ast.js';
import {
  CompositeTypeCode,
  DESCRIBES,
  DESCRIPTOR,
  PackedTypeCode,
  REC,
  SHARED_TYPE,
  SUB,
  SUB_FINAL,
} from './decode.js';
import { writeExpr } from './instructions/index.js';
import { writeNameSection } from './names.js';
import { type RefType, writeRefType, writeValType } from './types.js';

function writeFieldType(w: Writer, f: FieldType): void {
  if (f.storage === 'i8') w.u8(PackedTypeCode.i8);
  else if (f.storage === 'i16') w.u8(PackedTypeCode.i16);
  else writeValType(w, f.storage);
  w.u8(f.mutable ? 1 : 0);
}

function writeCompositeType(w: Writer, t: CompositeType): void {
  switch (t.kind) {
    case 'func':
      w.u8(CompositeTypeCode.func).u32(t.params.length);
      for (const p of t.params) writeValType(w, p);
      w.u32(t.results.length);
      for (const p of t.results) writeValType(w, p);
      return;
    case 'struct':
      w.u8(CompositeTypeCode.struct).u32(t.fields.length);
      for (const f of t.fields) writeFieldType(w, f);
      return;
    case 'array':
      w.u8(CompositeTypeCode.array);
      writeFieldType(w, t.element);
      return;
    case 'cont':
      w.u8(CompositeTypeCode.cont).s33(t.type);
      return;
    default:
      throw new EncodeError(`unknown composite type kind ${String((t as { kind?: unknown }).kind)}`);
  }
}

/** Write one `subtype`, using the bare form when the type is final without supertypes and was not written `0x4f 0x00`. */
export function writeSubType(w: Writer, s: SubType): void {
  if (!s.final || s.supertypes.length > 0 || s.prefixed === true) {
    w.u8(s.final ? SUB_FINAL : SUB).u32(s.supertypes.length);
    for (const i of s.supertypes) w.u32(i);
  }
  if (s.shared) w.u8(SHARED_TYPE);
  if (s.describes !== undefined) w.u8(DESCRIBES).u32(s.describes);
  if (s.descriptor !== undefined) w.u8(DESCRIPTOR).u32(s.descriptor);
  writeCompositeType(w, s.type);
}

/** Write a recursion group: `0x4e vec(subtype)` when `rec`, else its single subtype. */
export function writeRecGroup(w: Writer, g: RecGroup): void {
  if (g.rec) {
    w.u8(REC).u32(g.types.length);
    for (const t of g.types) writeSubType(w, t);
    return;
  }
  if (g.types.length !== 1) throw new EncodeError(`a recursion group without the rec prefix has exactly one type, found ${g.types.length}`);
  writeSubType(w, g.types[0]!);
}

/** Write `min max?` as u64 LEB128s, for 32-bit and 64-bit limits alike (the mirror of the reader). */
function writeLimits(w: Writer, l: Limits): void {
  w.u64(l.min);
  if (l.max !== undefined) w.u64(l.max);
}

/** Write a table type. */
export function writeTableType(w: Writer, t: TableType): void {
  writeRefType(w, t.element);
  w.u8((t.limits.max !== undefined ? 1 : 0) | (t.shared ? 2 : 0) | (t.table64 ? 4 : 0));
  writeLimits(w, t.limits);
}

/** Write a memory type. */
export function writeMemoryType(w: Writer, m: MemoryType): void {
  w.u8((m.limits.max !== undefined ? 1 : 0) | (m.shared ? 2 : 0) | (m.memory64 ? 4 : 0) | (m.pageSizeLog2 !== undefined ? 8 : 0));
  writeLimits(w, m.limits);
  if (m.pageSizeLog2 !== undefined) w.u32(m.pageSizeLog2);
}

/** Write a global type. */
export function writeGlobalType(w: Writer, g: GlobalType): void {
  writeValType(w, g.type);
  w.u8((g.mutable ? 1 : 0) | (g.shared ? 2 : 0));
}

/** Write a tag type (attribute `0x00`, type index). */
export function writeTagType(w: Writer, t: TagType): void {
  w.u8(0).u32(t.type);
}

/** Write an import description (`externtype`), kind byte first. */
export function writeExternType(w: Writer, t: ExternType): void {
  switch (t.kind) {
    case 'func':
      w.u8(t.exact === true ? 0x20 : 0x00).u32(t.type);
      return;
    case 'table':
      w.u8(0x01);
      writeTableType(w, t);
      return;
    case 'memory':
      w.u8(0x02);
      writeMemoryType(w, t);
      return;
    case 'global':
      w.u8(0x03);
      writeGlobalType(w, t);
      return;
    case 'tag':
      w.u8(0x04);
      writeTagType(w, t);
      return;
    default:
      throw new EncodeError(`unknown import kind ${String((t as { kind?: unknown }).kind)}`);
  }
}

/** Write one plain import: module name, field name, import description. */
export function writeCoreImport(w: Writer, i: CoreImport): void {
  w.name(i.module).name(i.name);
  writeExternType(w, i.type);
}

/** Write one entry of the import section (plain or compact). */
export function writeImportEntry(w: Writer, e: ImportEntry): void {
  switch (e.kind) {
    case 'import':
      writeCoreImport(w, e);
      return;
    case 'import-items':
      w.name(e.module).name('').u8(0x7f).u32(e.items.length);
      for (const it of e.items) {
        w.name(it.name);
        writeExternType(w, it.type);
      }
      return;
    case 'import-names':
      w.name(e.module).name('').u8(0x7e);
      writeExternType(w, e.type);
      w.u32(e.names.length);
      for (const n of e.names) w.name(n);
      return;
    default:
      throw new EncodeError(`unknown import entry kind ${String((e as { kind?: unknown }).kind)}`);
  }
}

function writeTable(w: Writer, t: Table): void {
  if (t.init !== undefined) {
    w.u8(0x40).u8(0x00);
    writeTableType(w, t.type);
    writeExpr(w, t.init);
  } else {
    writeTableType(w, t.type);
  }
}

function isFuncref(t: RefType): boolean {
  return t.nullable && t.heap.kind === 'abstract' && t.heap.name === 'func' && !t.heap.shared;
}

function writeElementSegment(w: Writer, s: ElementSegment): void {
  const exprs = s.items.kind === 'expressions';
  const m = s.mode;
  let flags: number;
  if (m.kind === 'passive') flags = 1;
  else if (m.kind === 'declarative') flags = 3;
  else if (m.implicit === true && m.table === 0 && (s.items.kind === 'functions' || isFuncref(s.items.type))) flags = 0;
  else flags = 2;
  if (exprs) flags |= 4;
  w.u32(flags);
  if (m.kind === 'active') {
    if ((flags & 2) !== 0) w.u32(m.table);
    writeExpr(w, m.offset);
  }
  const implicitType = (flags & 3) === 0;
  if (s.items.kind === 'expressions') {
    if (!implicitType) writeRefType(w, s.items.type);
    w.u32(s.items.exprs.length);
    for (const e of s.items.exprs) writeExpr(w, e);
  } else {
    if (!implicitType) w.u8(0x00);
    w.u32(s.items.indices.length);
    for (const i of s.items.indices) w.u32(i);
  }
}

function writeDataSegment(w: Writer, s: DataSegment): void {
  const m = s.mode;
  if (m.kind === 'passive') {
    w.u32(1);
  } else if (m.implicit === true && m.memory === 0) {
    w.u32(0);
    writeExpr(w, m.offset);
  } else {
    w.u32(2).u32(m.memory);
    writeExpr(w, m.offset);
  }
  w.u32(s.data.length).bytes(s.data);
}

function writeFunctionBody(w: Writer, b: FunctionBody): void {
  const pm = w.beginPadding(b.padding);
  const len = w.beginLength();
  w.u32(b.locals.length);
  for (const l of b.locals) {
    w.u32(l.count);
    writeValType(w, l.type);
  }
  if (b.instructions !== undefined) writeExpr(w, b.instructions);
  else w.bytes(b.code);
  w.endLength(len);
  w.endPadding(pm);
}

function sectionId(s: ModuleSection): number {
  if (s.kind === 'name') return 0;
  if (s.kind === 'unknown' || s.kind === 'raw') return s.id;
  const id = SectionId[s.kind];
  if (id === undefined) throw new EncodeError(`unknown section kind ${String((s as { kind?: unknown }).kind)}`);
  return id;
}

function writeSectionContent(w: Writer, s: ModuleSection): void {
  switch (s.kind) {
    case 'custom':
      w.name(s.name).bytes(s.data);
      return;
    case 'name':
      w.name('name').bytes(writeNameSection(s.names));
      return;
    case 'type':
      w.u32(s.groups.length);
      for (const g of s.groups) writeRecGroup(w, g);
      return;
    case 'import':
      w.u32(s.imports.length);
      for (const i of s.imports) writeImportEntry(w, i);
      return;
    case 'function':
      w.u32(s.types.length);
      for (const t of s.types) w.u32(t);
      return;
    case 'table':
      w.u32(s.tables.length);
      for (const t of s.tables) writeTable(w, t);
      return;
    case 'memory':
      w.u32(s.memories.length);
      for (const m of s.memories) writeMemoryType(w, m);
      return;
    case 'global':
      w.u32(s.globals.length);
      for (const g of s.globals) {
        writeGlobalType(w, g.type);
        writeExpr(w, g.init);
      }
      return;
    case 'export':
      w.u32(s.exports.length);
      for (const e of s.exports) {
        const code = ExternalKindCode[e.sort];
        if (code === undefined) throw new EncodeError(`unknown export kind ${String(e.sort)}`);
        w.name(e.name).u8(code).u32(e.index);
      }
      return;
    case 'start':
      w.u32(s.func);
      return;
    case 'element':
      w.u32(s.segments.length);
      for (const e of s.segments) writeElementSegment(w, e);
      return;
    case 'code':
      w.u32(s.bodies.length);
      for (const b of s.bodies) writeFunctionBody(w, b);
      return;
    case 'data':
      w.u32(s.segments.length);
      for (const d of s.segments) writeDataSegment(w, d);
      return;
    case 'data-count':
      w.u32(s.count);
      return;
    case 'tag':
      w.u32(s.tags.length);
      for (const t of s.tags) writeTagType(w, t);
      return;
    case 'unknown':
    case 'raw':
      w.bytes(s.data);
      return;
    default:
      throw new EncodeError(`unknown section kind ${String((s as { kind?: unknown }).kind)}`);
  }
}

/** Write one section: id byte, then (in the section's padding scope) size and contents. */
export function writeModuleSection(w: Writer, s: ModuleSection): void {
  w.u8(sectionId(s));
  const pm = w.beginPadding(s.padding);
  const len = w.beginLength();
  writeSectionContent(w, s);
  w.endLength(len);
  w.endPadding(pm);
}

/** Write a core module: the preamble, then each section in order. */
export function writeModule(w: Writer, m: Module): void {
  w.u8(0x00).u8(0x61).u8(0x73).u8(0x6d).u32Fixed(1);
  m.sections.forEach((s, i) => {
    try {
      writeModuleSection(w, s);
    } catch (e) {
      if (e instanceof EncodeError) throw new EncodeError(e.message, `sections[${i}]`, { cause: e });
      throw e;
    }
  });
}
