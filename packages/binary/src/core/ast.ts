/**
 * The typed AST of a core WebAssembly module (core spec §5.5 "Modules",
 * plus the GC, function-references, exception-handling, memory64,
 * multi-memory, threads, custom-page-sizes, stack-switching,
 * shared-everything-threads, custom-descriptors and compact-import-section
 * proposals as read by wasmparser 0.254).
 *
 * Design rules (see HELPER_COMMON.md):
 * - Plain data, discriminated by `kind` wherever a node is a member of a union.
 * - Where the binary format has two spellings of one meaning (the bare
 *   subtype form vs `sub final`, element segment flags 0/2, data flags 0/2,
 *   the `rec` wrapper...), the node records which one the input used, so that
 *   `encode(decode(bytes))` gives back `bytes` exactly.
 * - Sections stay in input order in one list; every section node carries
 *   `padding?` (the padded LEB128s of its scope) and an informative `offset?`.
 *
 * @module
 */
import type { Padding } from '../reader.js';
import type { RefType, ValType } from './types.js';
import type { Expr } from './instructions/index.js';

// ---------------------------------------------------------------------------
// Types (core spec §5.3 "Types", GC proposal "Type definitions")
// ---------------------------------------------------------------------------

/** Packed storage types of GC struct and array fields (`i8`, `i16`; codes 0x78 and 0x77). */
export type PackedType = 'i8' | 'i16';

/** A field's storage type: a value type or a packed type. */
export type StorageType = ValType | PackedType;

/** A struct field or array element: storage type and mutability (`0x00` const, `0x01` var). */
export interface FieldType {
  readonly storage: StorageType;
  readonly mutable: boolean;
}

/** `func` composite type (`0x60 vec(valtype) vec(valtype)`). */
export interface FuncType {
  readonly kind: 'func';
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

/** `struct` composite type (`0x5f vec(fieldtype)`), GC proposal. */
export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly FieldType[];
}

/** `array` composite type (`0x5e fieldtype`), GC proposal. */
export interface ArrayType {
  readonly kind: 'array';
  readonly element: FieldType;
}

/** `cont` composite type (`0x5d typeidx`), stack-switching proposal. */
export interface ContType {
  readonly kind: 'cont';
  /** Index of the function type the continuation wraps (read as an `s33`, as wasmparser does). */
  readonly type: number;
}

/** The structure part of a type definition. */
export type CompositeType = FuncType | StructType | ArrayType | ContType;

/**
 * One type definition of a recursion group (GC proposal `subtype`), with the
 * prefixes of later proposals folded in.
 *
 * Encoding: `0x50 vec(typeidx) ct` (`sub`), `0x4f vec(typeidx) ct`
 * (`sub final`), or a bare composite type, which means `sub final` with no
 * supertypes. `ct` is `0x65? (0x4c typeidx)? (0x4d typeidx)? comptype`
 * (shared, describes, descriptor).
 */
export interface SubType {
  readonly kind: 'sub';
  /** `final` (no subtypes may declare this type as a supertype). */
  readonly final: boolean;
  /** Declared supertypes (type indices): the binary has a vector, the decoder accepts at most one (as wasmparser does). */
  readonly supertypes: readonly number[];
  /**
   * The input spelled a final type without supertypes as `0x4f 0x00 ct`
   * rather than the bare `ct` that abbreviates it. Absent: use the bare form
   * when it applies.
   */
  readonly prefixed?: boolean;
  /** `shared` prefix (`0x65`), shared-everything-threads proposal. */
  readonly shared: boolean;
  /** `describes x` (`0x4c x`), custom-descriptors proposal. */
  readonly describes?: number;
  /** `descriptor x` (`0x4d x`), custom-descriptors proposal. */
  readonly descriptor?: number;
  /** The composite type. */
  readonly type: CompositeType;
}

/**
 * A recursion group (`rectype`): `0x4e vec(subtype)` or a single bare
 * subtype. `rec` records which form the input used; a group of one type
 * written with `0x4e 0x01` is a distinct, valid spelling.
 */
export interface RecGroup {
  readonly kind: 'rec';
  /** True when written with the `0x4e` prefix; false means exactly one type without it. */
  readonly rec: boolean;
  readonly types: readonly SubType[];
}

// ---------------------------------------------------------------------------
// External types (core spec §5.5.5 "Import Section")
// ---------------------------------------------------------------------------

/**
 * Limits of a table or memory. Always `bigint` so 64-bit tables and memories
 * (memory64 proposal) need no separate shape. Both widths are u64 LEB128s in
 * the binary (wasmparser 0.254 reads 32-bit limits as u64 too), so any value
 * below 2^64 is well-formed; a 32-bit limit above 2^32 (or above the page or
 * element maximum) is a validation error, which a validator must report.
 */
export interface Limits {
  readonly min: bigint;
  readonly max?: bigint;
}

/**
 * A table type: `reftype flags min max?`. Flags: bit 0 has max, bit 1
 * shared (shared-everything-threads), bit 2 `table64` (memory64 proposal).
 */
export interface TableType {
  readonly kind: 'table';
  readonly element: RefType;
  readonly table64: boolean;
  readonly shared: boolean;
  readonly limits: Limits;
}

/**
 * A memory type: `flags min max? pagesize?`. Flags: bit 0 has max, bit 1
 * shared (threads), bit 2 memory64, bit 3 custom page size
 * (custom-page-sizes proposal: `u32` log2 of the page size follows).
 */
export interface MemoryType {
  readonly kind: 'memory';
  readonly memory64: boolean;
  readonly shared: boolean;
  readonly limits: Limits;
  /** log2 of the page size when the custom-page-size flag is set. */
  readonly pageSizeLog2?: number;
}

/** A global type: value type and a flags byte (bit 0 mutable, bit 1 shared). */
export interface GlobalType {
  readonly kind: 'global';
  readonly type: ValType;
  readonly mutable: boolean;
  readonly shared: boolean;
}

/** A tag type (exception-handling): attribute `0x00` (exception) and a function type index. */
export interface TagType {
  readonly kind: 'tag';
  readonly type: number;
}

/**
 * A function import's type: `0x00 typeidx`, or `0x20 typeidx` for an
 * `exact` function type (custom-descriptors proposal).
 */
export interface FuncExternType {
  readonly kind: 'func';
  readonly type: number;
  /** Written with the `0x20` (exact) kind byte. */
  readonly exact?: boolean;
}

/** An import description (`externtype`): what an import or a component `core:importdecl` declares. */
export type ExternType = FuncExternType | TableType | MemoryType | GlobalType | TagType;

/** One import: module name, field name and type. */
export interface CoreImport {
  readonly kind: 'import';
  readonly module: string;
  readonly name: string;
  readonly type: ExternType;
}

/**
 * Compact import form 1 (compact-import-section proposal):
 * `module 0x00 0x7f vec(name externtype)`: one module name, many items.
 */
export interface CompactImportItems {
  readonly kind: 'import-items';
  readonly module: string;
  readonly items: readonly { readonly name: string; readonly type: ExternType }[];
}

/**
 * Compact import form 2 (compact-import-section proposal):
 * `module 0x00 0x7e externtype vec(name)`: one module and type, many names.
 */
export interface CompactImportNames {
  readonly kind: 'import-names';
  readonly module: string;
  readonly type: ExternType;
  readonly names: readonly string[];
}

/** One entry of the import section. */
export type ImportEntry = CoreImport | CompactImportItems | CompactImportNames;

// ---------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------

/** A constant expression (the instructions without the final `end`). */
export type ConstExpr = Expr;

/** A table definition: type, and an initialiser when written in the `0x40 0x00` form. */
export interface Table {
  readonly type: TableType;
  /** Present iff the input used the `0x40 0x00 tabletype expr` form (function-references proposal). */
  readonly init?: ConstExpr;
}

/** A global definition. */
export interface Global {
  readonly type: GlobalType;
  readonly init: ConstExpr;
}

/** External kinds of exports (`0x00`-`0x04`; the exact-function kind `0x20` is for imports only). */
export type ExternalKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

/** Binary codes of {@link ExternalKind}. */
export const ExternalKindCode: { readonly [K in ExternalKind]: number } = {
  func: 0x00,
  table: 0x01,
  memory: 0x02,
  global: 0x03,
  tag: 0x04,
};

/** An export. */
export interface Export {
  readonly name: string;
  readonly sort: ExternalKind;
  readonly index: number;
}

/** How an element segment is used. */
export type ElementMode =
  | { readonly kind: 'passive' }
  | { readonly kind: 'declarative' }
  | {
      readonly kind: 'active';
      readonly table: number;
      readonly offset: ConstExpr;
      /**
       * The input used flag 0 or 4 (table 0 implied, element type `funcref`
       * implied). The encoder uses those forms only when they still apply.
       */
      readonly implicit?: boolean;
    };

/** Element segment contents. */
export type ElementItems =
  | { readonly kind: 'functions'; readonly indices: readonly number[] }
  | { readonly kind: 'expressions'; readonly type: RefType; readonly exprs: readonly ConstExpr[] };

/**
 * An element segment. The 8 flag forms (core spec §5.5.12) are the product
 * of mode × items × `implicit`; `elemkind` is always `0x00` (funcref) in the
 * function-index forms.
 */
export interface ElementSegment {
  readonly mode: ElementMode;
  readonly items: ElementItems;
}

/** How a data segment is used. */
export type DataMode =
  | { readonly kind: 'passive' }
  | {
      readonly kind: 'active';
      readonly memory: number;
      readonly offset: ConstExpr;
      /** The input used flag 0 (memory 0 implied). */
      readonly implicit?: boolean;
    };

/** A data segment. */
export interface DataSegment {
  readonly mode: DataMode;
  /** The segment's bytes (a view into the input). */
  readonly data: Uint8Array;
}

/** `n` locals of one type in a function body. */
export interface LocalGroup {
  readonly count: number;
  readonly type: ValType;
}

/**
 * A function body of the code section. Instructions are kept as raw bytes
 * (`code`, including the final `end`) because most tools only need the
 * outline; with `options.instructions` they are also decoded, and then the
 * encoder writes `instructions` rather than `code`.
 *
 * Each body is its own padding scope (its size prefix, locals and, when
 * decoded, its instructions), so editing one body does not disturb the
 * recorded padding of the others.
 */
export interface FunctionBody {
  readonly locals: readonly LocalGroup[];
  /**
   * The instruction bytes after the locals, up to and including the final
   * `end` (a view into the input, not a copy). Written as is unless
   * `instructions` is present; may then be empty.
   */
  readonly code: Uint8Array;
  /** Absolute input offset of the body (first byte after its size prefix); informative. */
  readonly offset: number;
  /** Decoded instructions (without the final `end`) when `options.instructions` was set. */
  readonly instructions?: Expr;
  /** Padded LEB128s of this body's scope. */
  readonly padding?: Padding;
}

// ---------------------------------------------------------------------------
// Name section (custom section `name`, core spec appendix 7.4 + extended names)
// ---------------------------------------------------------------------------

/** `idx name` pairs in input order. */
export type NameMap = readonly { readonly index: number; readonly name: string }[];

/** `idx namemap` pairs in input order. */
export type IndirectNameMap = readonly { readonly index: number; readonly names: NameMap }[];

/** Subsection ids of the name section. */
export const NameSubsectionId = {
  module: 0,
  function: 1,
  local: 2,
  label: 3,
  type: 4,
  table: 5,
  memory: 6,
  global: 7,
  elem: 8,
  data: 9,
  field: 10,
  tag: 11,
} as const;

/** Name-map subsections (one name per index). */
export type NameMapKind = 'function' | 'type' | 'table' | 'memory' | 'global' | 'elem' | 'data' | 'tag';
/** Indirect-name-map subsections (names per index within an outer index). */
export type IndirectNameMapKind = 'local' | 'label' | 'field';

/** One subsection of the name section. Unknown ids are kept raw. */
export type NameSubsection =
  | { readonly kind: 'module'; readonly name: string }
  | { readonly kind: NameMapKind; readonly names: NameMap }
  | { readonly kind: IndirectNameMapKind; readonly names: IndirectNameMap }
  | { readonly kind: 'unknown'; readonly id: number; readonly data: Uint8Array };

/** A decoded `name` custom section. */
export interface NameSection {
  readonly subsections: readonly NameSubsection[];
  /** Padded LEB128s of the name section content (its own scope). */
  readonly padding?: Padding;
}

// ---------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------

/** Fields every section node has. */
export interface SectionBase {
  /** Padded LEB128s of this section's scope (from its size field on). */
  readonly padding?: Padding;
  /** Input offset of the section id byte; informative, ignored by the encoder. */
  readonly offset?: number;
}

/** Custom section (id 0): name and raw contents (a view into the input). */
export interface CustomSection extends SectionBase {
  readonly kind: 'custom';
  readonly name: string;
  readonly data: Uint8Array;
}

/** The `name` custom section, decoded (kept as a {@link CustomSection} when it does not parse cleanly). */
export interface NameCustomSection extends SectionBase {
  readonly kind: 'name';
  readonly names: NameSection;
}

/** Type section (id 1). */
export interface TypeSection extends SectionBase {
  readonly kind: 'type';
  readonly groups: readonly RecGroup[];
}

/** Import section (id 2). */
export interface ImportSection extends SectionBase {
  readonly kind: 'import';
  readonly imports: readonly ImportEntry[];
}

/** Function section (id 3): the type index of each defined function. */
export interface FunctionSection extends SectionBase {
  readonly kind: 'function';
  readonly types: readonly number[];
}

/** Table section (id 4). */
export interface TableSection extends SectionBase {
  readonly kind: 'table';
  readonly tables: readonly Table[];
}

/** Memory section (id 5). */
export interface MemorySection extends SectionBase {
  readonly kind: 'memory';
  readonly memories: readonly MemoryType[];
}

/** Global section (id 6). */
export interface GlobalSection extends SectionBase {
  readonly kind: 'global';
  readonly globals: readonly Global[];
}

/** Export section (id 7). */
export interface ExportSection extends SectionBase {
  readonly kind: 'export';
  readonly exports: readonly Export[];
}

/** Start section (id 8). */
export interface StartSection extends SectionBase {
  readonly kind: 'start';
  readonly func: number;
}

/** Element section (id 9). */
export interface ElementSection extends SectionBase {
  readonly kind: 'element';
  readonly segments: readonly ElementSegment[];
}

/** Code section (id 10). */
export interface CodeSection extends SectionBase {
  readonly kind: 'code';
  readonly bodies: readonly FunctionBody[];
}

/** Data section (id 11). */
export interface DataSection extends SectionBase {
  readonly kind: 'data';
  readonly segments: readonly DataSegment[];
}

/** Data count section (id 12, bulk-memory proposal). */
export interface DataCountSection extends SectionBase {
  readonly kind: 'data-count';
  readonly count: number;
}

/** Tag section (id 13, exception-handling proposal). */
export interface TagSection extends SectionBase {
  readonly kind: 'tag';
  readonly tags: readonly TagType[];
}

/**
 * A section with an id this codec does not know. wasmparser's parser yields
 * such sections as `UnknownSection` and leaves rejecting them to validation,
 * so the AST keeps them raw too.
 */
export interface UnknownSection extends SectionBase {
  readonly kind: 'unknown';
  readonly id: number;
  readonly data: Uint8Array;
}

/**
 * A code or data section left undecoded because the module was decoded with
 * `interfaceOnly` (see `DecodeOptions`): its contents as a view into the
 * input. `count` is the section's item count (its first LEB128), kept for
 * the checks against the function and data-count sections. The encoder
 * writes `data` back unchanged.
 */
export interface RawSection extends SectionBase {
  readonly kind: 'raw';
  /** The section id: 10 (code) or 11 (data). */
  readonly id: number;
  /** Number of function bodies or data segments. */
  readonly count: number;
  /** The whole contents, the count LEB128 included. */
  readonly data: Uint8Array;
}

/** Any section of a core module. */
export type ModuleSection =
  | CustomSection
  | NameCustomSection
  | TypeSection
  | ImportSection
  | FunctionSection
  | TableSection
  | MemorySection
  | GlobalSection
  | ExportSection
  | StartSection
  | ElementSection
  | CodeSection
  | DataSection
  | DataCountSection
  | TagSection
  | UnknownSection
  | RawSection;

/** Section ids of a core module (core spec §5.5.2). */
export const SectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  'data-count': 12,
  tag: 13,
} as const;

/** A core module: its sections in input order. */
export interface Module {
  readonly kind: 'module';
  readonly sections: readonly ModuleSection[];
}
