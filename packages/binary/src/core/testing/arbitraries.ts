/**
 * fast-check arbitraries for the core module AST, in *canonical form*: the
 * shapes the decoder produces for the bytes the encoder writes (no padding,
 * abbreviation flags only where they apply, no `offset`s except a `0` on
 * function bodies), so that `read(write(m))` deep-equals `m` once offsets are
 * ignored. Used by the property tests here and by the component codec's
 * tests (rec groups, imports and extern types appear in `core:type`).
 *
 * @module
 */
import fc from 'fast-check';
import type {
  CompositeType,
  ConstExpr,
  CoreImport,
  DataSegment,
  ElementSegment,
  Export,
  ExternalKind,
  ExternType,
  FieldType,
  FunctionBody,
  Global,
  GlobalType,
  ImportEntry,
  IndirectNameMap,
  Limits,
  MemoryType,
  Module,
  ModuleSection,
  NameMap,
  NameSection,
  NameSubsection,
  RecGroup,
  SubType,
  Table,
  TableType,
  TagType,
} from '../ast.js';
import { AbstractHeapTypeCode, type AbstractHeapTypeName, type HeapType, type RefType, type ValType } from '../types.js';

/** A u32, biased to small values. */
export const arbU32: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 0xffffffff }));
/** A small index (keeps generated modules compact). */
export const arbIndex: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 0, max: 10 }), arbU32);
/** A name (any Unicode string without lone surrogates). */
export const arbName: fc.Arbitrary<string> = fc.string({ unit: 'grapheme', maxLength: 8 });
/** Raw bytes. */
export const arbBytes: fc.Arbitrary<Uint8Array> = fc.uint8Array({ maxLength: 16 });

const abstractNames = Object.keys(AbstractHeapTypeCode) as AbstractHeapTypeName[];

/** A heap type. */
export const arbHeapType: fc.Arbitrary<HeapType> = fc.oneof(
  fc.record({ kind: fc.constant('abstract' as const), name: fc.constantFrom(...abstractNames), shared: fc.boolean() }),
  fc.record({ kind: fc.constant('index' as const), index: fc.oneof(fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })) }),
);

/** A reference type, with `short` only where the abbreviation exists (nullable abstract). */
export const arbRefType: fc.Arbitrary<RefType> = fc.oneof(
  fc.record({ kind: fc.constant('ref' as const), nullable: fc.boolean(), heap: arbHeapType }),
  fc
    .record({ name: fc.constantFrom(...abstractNames), shared: fc.boolean() })
    .map(({ name, shared }): RefType => ({ kind: 'ref', nullable: true, heap: { kind: 'abstract', name, shared }, short: true })),
);

/** A value type. */
export const arbValType: fc.Arbitrary<ValType> = fc.oneof(fc.constantFrom<ValType>('i32', 'i64', 'f32', 'f64', 'v128'), arbRefType);

const arbFieldType: fc.Arbitrary<FieldType> = fc.record({
  storage: fc.oneof(fc.constantFrom<'i8' | 'i16'>('i8', 'i16'), arbValType),
  mutable: fc.boolean(),
});

/** A composite type (func, struct, array, cont). */
export const arbCompositeType: fc.Arbitrary<CompositeType> = fc.oneof(
  fc.record({ kind: fc.constant('func' as const), params: fc.array(arbValType, { maxLength: 4 }), results: fc.array(arbValType, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('struct' as const), fields: fc.array(arbFieldType, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('array' as const), element: arbFieldType }),
  fc.record({ kind: fc.constant('cont' as const), type: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }),
);

/** A subtype in canonical form (`prefixed` only on a final type without supertypes). */
export const arbSubType: fc.Arbitrary<SubType> = fc
  .record({
    final: fc.boolean(),
    supertypes: fc.array(arbIndex, { maxLength: 1 }),
    prefixed: fc.boolean(),
    shared: fc.boolean(),
    describes: fc.option(arbIndex, { nil: undefined }),
    descriptor: fc.option(arbIndex, { nil: undefined }),
    type: arbCompositeType,
  })
  .map((r): SubType => {
    let s: SubType = { kind: 'sub', final: r.final, supertypes: r.supertypes, shared: r.shared, type: r.type };
    if (r.prefixed && r.final && r.supertypes.length === 0) s = { ...s, prefixed: true };
    if (r.describes !== undefined) s = { ...s, describes: r.describes };
    if (r.descriptor !== undefined) s = { ...s, descriptor: r.descriptor };
    return s;
  });

/** A recursion group (`rec: false` has exactly one type). */
export const arbRecGroup: fc.Arbitrary<RecGroup> = fc.oneof(
  arbSubType.map((t): RecGroup => ({ kind: 'rec', rec: false, types: [t] })),
  fc.array(arbSubType, { maxLength: 3 }).map((types): RecGroup => ({ kind: 'rec', rec: true, types })),
);

/**
 * Limits: any u64 for 64-bit ones; mostly u32 values for 32-bit ones, and now
 * and then a larger u64 (well-formed, as both are u64 LEB128s; only
 * validation rejects it).
 */
function arbLimits(is64: boolean): fc.Arbitrary<Limits> {
  const u64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const v = is64 ? u64 : fc.oneof({ arbitrary: fc.integer({ min: 0, max: 0xffffffff }).map(BigInt), weight: 9 }, { arbitrary: u64, weight: 1 });
  return fc.record({ min: v, max: fc.option(v, { nil: undefined }) }).map(({ min, max }) => (max === undefined ? { min } : { min, max }));
}

/** A table type. */
export const arbTableType: fc.Arbitrary<TableType> = fc
  .record({ element: arbRefType, table64: fc.boolean(), shared: fc.boolean() })
  .chain((r) => arbLimits(r.table64).map((limits): TableType => ({ kind: 'table', ...r, limits })));

/** A memory type. */
export const arbMemoryType: fc.Arbitrary<MemoryType> = fc
  .record({ memory64: fc.boolean(), shared: fc.boolean(), pageSizeLog2: fc.option(fc.integer({ min: 0, max: 64 }), { nil: undefined }) })
  .chain((r) =>
    arbLimits(r.memory64).map((limits): MemoryType => {
      const m: MemoryType = { kind: 'memory', memory64: r.memory64, shared: r.shared, limits };
      return r.pageSizeLog2 === undefined ? m : { ...m, pageSizeLog2: r.pageSizeLog2 };
    }),
  );

/** A global type. */
export const arbGlobalType: fc.Arbitrary<GlobalType> = fc.record({ kind: fc.constant('global' as const), type: arbValType, mutable: fc.boolean(), shared: fc.boolean() });

/** A tag type. */
export const arbTagType: fc.Arbitrary<TagType> = fc.record({ kind: fc.constant('tag' as const), type: arbIndex });

/** An import description. */
export const arbExternType: fc.Arbitrary<ExternType> = fc.oneof(
  fc.record({ kind: fc.constant('func' as const), type: arbIndex }),
  fc.record({ kind: fc.constant('func' as const), type: arbIndex, exact: fc.constant(true as const) }),
  arbTableType,
  arbMemoryType,
  arbGlobalType,
  arbTagType,
);

/** A plain import. */
export const arbCoreImport: fc.Arbitrary<CoreImport> = fc.record({ kind: fc.constant('import' as const), module: arbName, name: arbName, type: arbExternType });

const arbImportEntry: fc.Arbitrary<ImportEntry> = fc.oneof(
  arbCoreImport,
  fc.record({ kind: fc.constant('import-items' as const), module: arbName, items: fc.array(fc.record({ name: arbName, type: arbExternType }), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('import-names' as const), module: arbName, type: arbExternType, names: fc.array(arbName, { maxLength: 3 }) }),
);

/** A constant expression of a few simple instructions. */
export const arbConstExpr: fc.Arbitrary<ConstExpr> = fc.array(
  fc.oneof(
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((value) => ({ op: 'i32.const' as const, value })),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ op: 'i64.const' as const, value })),
    fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ op: 'f32.const' as const, value })),
    fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ op: 'f64.const' as const, value })),
    arbHeapType.map((heap) => ({ op: 'ref.null' as const, heap })),
    arbIndex.map((func) => ({ op: 'ref.func' as const, func })),
    arbIndex.map((global) => ({ op: 'global.get' as const, global })),
    fc.constant({ op: 'i32.add' as const }),
  ),
  { maxLength: 3 },
);

const FUNCREF: RefType = { kind: 'ref', nullable: true, heap: { kind: 'abstract', name: 'func', shared: false } };

const arbElementSegment: fc.Arbitrary<ElementSegment> = fc.oneof(
  // Flags 0 and 4: table 0 and funcref implied.
  fc.record({ offset: arbConstExpr, indices: fc.array(arbIndex, { maxLength: 4 }), exprs: fc.option(fc.array(arbConstExpr, { maxLength: 3 }), { nil: undefined }) }).map(
    ({ offset, indices, exprs }): ElementSegment => ({
      mode: { kind: 'active', table: 0, offset, implicit: true },
      items: exprs === undefined ? { kind: 'functions', indices } : { kind: 'expressions', type: FUNCREF, exprs },
    }),
  ),
  fc.record({
    mode: fc.oneof(
      fc.constant({ kind: 'passive' as const }),
      fc.constant({ kind: 'declarative' as const }),
      fc.record({ kind: fc.constant('active' as const), table: arbIndex, offset: arbConstExpr }),
    ),
    items: fc.oneof(
      fc.record({ kind: fc.constant('functions' as const), indices: fc.array(arbIndex, { maxLength: 4 }) }),
      fc.record({ kind: fc.constant('expressions' as const), type: arbRefType, exprs: fc.array(arbConstExpr, { maxLength: 3 }) }),
    ),
  }),
);

const arbDataSegment: fc.Arbitrary<DataSegment> = fc.record({
  mode: fc.oneof(
    fc.constant({ kind: 'passive' as const }),
    fc.record({ kind: fc.constant('active' as const), memory: arbIndex, offset: arbConstExpr }),
    arbConstExpr.map((offset) => ({ kind: 'active' as const, memory: 0, offset, implicit: true })),
  ),
  data: arbBytes,
});

const arbFunctionBody: fc.Arbitrary<FunctionBody> = fc.record({
  locals: fc.array(fc.record({ count: arbU32, type: arbValType }), { maxLength: 3 }),
  code: arbBytes.map((b) => Uint8Array.from([...b, 0x0b])),
  offset: fc.constant(0),
});

const arbTable: fc.Arbitrary<Table> = fc.oneof(
  arbTableType.map((type): Table => ({ type })),
  fc.record({ type: arbTableType, init: arbConstExpr }),
);

const arbGlobal: fc.Arbitrary<Global> = fc.record({ type: arbGlobalType, init: arbConstExpr });

const arbExport: fc.Arbitrary<Export> = fc.record({
  name: arbName,
  sort: fc.constantFrom<ExternalKind>('func', 'table', 'memory', 'global', 'tag'),
  index: arbIndex,
});

const arbNameMap: fc.Arbitrary<NameMap> = fc.array(fc.record({ index: arbIndex, name: arbName }), { maxLength: 3 });
const arbIndirectNameMap: fc.Arbitrary<IndirectNameMap> = fc.array(fc.record({ index: arbIndex, names: arbNameMap }), { maxLength: 2 });

const arbNameSubsection: fc.Arbitrary<NameSubsection> = fc.oneof(
  fc.record({ kind: fc.constant('module' as const), name: arbName }),
  fc.record({ kind: fc.constantFrom('function' as const, 'type' as const, 'table' as const, 'memory' as const, 'global' as const, 'elem' as const, 'data' as const, 'tag' as const), names: arbNameMap }),
  fc.record({ kind: fc.constantFrom('local' as const, 'label' as const, 'field' as const), names: arbIndirectNameMap }),
  fc.record({ kind: fc.constant('unknown' as const), id: fc.integer({ min: 12, max: 255 }), data: arbBytes }),
);

/** A decoded name section. */
export const arbNameSection: fc.Arbitrary<NameSection> = fc.record({ subsections: fc.array(arbNameSubsection, { maxLength: 4 }) });

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });

/** A custom, `name` or unknown section: the kinds that may appear anywhere. */
export const arbCustomSection: fc.Arbitrary<ModuleSection> = fc.oneof(
  fc.record({ kind: fc.constant('custom' as const), name: arbName.filter((n) => n !== 'name'), data: arbBytes }),
  fc.record({ kind: fc.constant('name' as const), names: arbNameSection }),
  fc.record({ kind: fc.constant('unknown' as const), id: fc.integer({ min: 14, max: 127 }), data: arbBytes }),
);

/**
 * A core module in canonical form that the decoder accepts: non-custom
 * sections in the required order, each at most once, function and code
 * sections of one length, a data count matching the data section; custom,
 * `name` and unknown sections anywhere.
 */
export const arbModule: fc.Arbitrary<Module> = fc
  .record({
    type: opt(fc.array(arbRecGroup, { maxLength: 3 })),
    import: opt(fc.array(arbImportEntry, { maxLength: 3 })),
    funcs: opt(fc.array(fc.record({ type: arbIndex, body: arbFunctionBody }), { maxLength: 3 })),
    table: opt(fc.array(arbTable, { maxLength: 2 })),
    memory: opt(fc.array(arbMemoryType, { maxLength: 2 })),
    tag: opt(fc.array(arbTagType, { maxLength: 2 })),
    global: opt(fc.array(arbGlobal, { maxLength: 2 })),
    export: opt(fc.array(arbExport, { maxLength: 3 })),
    start: opt(arbIndex),
    element: opt(fc.array(arbElementSegment, { maxLength: 3 })),
    dataCount: fc.boolean(),
    data: opt(fc.array(arbDataSegment, { maxLength: 3 })),
    customs: fc.array(fc.tuple(fc.nat(), arbCustomSection), { maxLength: 3 }),
  })
  .map((r): Module => {
    const sections: ModuleSection[] = [];
    if (r.type) sections.push({ kind: 'type', groups: r.type });
    if (r.import) sections.push({ kind: 'import', imports: r.import });
    if (r.funcs) sections.push({ kind: 'function', types: r.funcs.map((f) => f.type) });
    if (r.table) sections.push({ kind: 'table', tables: r.table });
    if (r.memory) sections.push({ kind: 'memory', memories: r.memory });
    if (r.tag) sections.push({ kind: 'tag', tags: r.tag });
    if (r.global) sections.push({ kind: 'global', globals: r.global });
    if (r.export) sections.push({ kind: 'export', exports: r.export });
    if (r.start !== undefined) sections.push({ kind: 'start', func: r.start });
    if (r.element) sections.push({ kind: 'element', segments: r.element });
    if (r.dataCount) sections.push({ kind: 'data-count', count: r.data?.length ?? 0 });
    if (r.funcs) sections.push({ kind: 'code', bodies: r.funcs.map((f) => f.body) });
    if (r.data) sections.push({ kind: 'data', segments: r.data });
    for (const [at, c] of r.customs) sections.splice(at % (sections.length + 1), 0, c);
    return { kind: 'module', sections };
  });
