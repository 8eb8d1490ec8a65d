/**
 * Instruction nodes: plain objects with `op` (the text-format name) and the
 * immediates as fields.
 *
 * Which fields an instruction has follows from its immediate shape in
 * `opcodes.ts`; the {@link Instruction} union is derived from the tables, so
 * it stays in step with them. Floats are raw bits (NaN payloads survive);
 * `i64` values are `bigint`. An {@link Expr} is flat: structured instructions
 * (`block`, `if`...) are followed by their body, `else`, and a matching `end`
 * node, exactly as in the binary, which keeps decoding allocation-free beyond
 * the nodes themselves and makes re-encoding a straight walk.
 *
 * @module
 */
import type { HeapType, RefType, ValType } from '../types.js';
import type { ImmName, OpNameOf } from './opcodes.js';

/**
 * A block type (`binary/instructions#control-instructions`): `'empty'` (byte
 * `0x40`), a single result value type, or a type index (an `s33` >= 0) whose
 * function type gives parameters and results (multi-value).
 */
export type BlockType = 'empty' | ValType | number;

/** Memory ordering of shared-everything-threads atomics (`0`: seq_cst, `1`: acq_rel). */
export type Ordering = 'seq_cst' | 'acq_rel';

/**
 * A memory offset: a `number` when it is a safe integer (every 32-bit memory,
 * and practically every 64-bit one), a `bigint` above 2^53 (memory64 `u64`
 * offsets). Keeping the common case a number avoids a bigint per load/store.
 */
export type MemOffset = number | bigint;

/**
 * `memarg` fields, flattened onto the load/store node. `align` is the log2
 * alignment. `memory` is present exactly when the input set bit 6 of the
 * flags (multi-memory), even when the index is 0, so the long form of
 * memory 0 round-trips; absent means memory 0 in the short form.
 */
export interface MemArgFields {
  readonly align: number;
  readonly offset: MemOffset;
  readonly memory?: number;
}

/** One clause of a `try_table` (exception handling `binary/instructions`). */
export type Catch =
  | { readonly kind: 'catch'; readonly tag: number; readonly label: number }
  | { readonly kind: 'catch_ref'; readonly tag: number; readonly label: number }
  | { readonly kind: 'catch_all'; readonly label: number }
  | { readonly kind: 'catch_all_ref'; readonly label: number };

/** One handler of a `resume`/`resume_throw` table (stack switching): `(on $tag $label)` or `(on $tag switch)`. */
export type Handler = { readonly kind: 'on_label'; readonly tag: number; readonly label: number } | { readonly kind: 'on_switch'; readonly tag: number };

/** Fields carried by each immediate shape of `opcodes.ts`, keyed by shape name. */
export interface ShapeFields {
  none: {};
  block: { readonly blockType: BlockType };
  label: { readonly label: number };
  brTable: { readonly labels: readonly number[]; readonly default: number };
  func: { readonly func: number };
  callIndirect: { readonly type: number; readonly table: number };
  type: { readonly type: number };
  local: { readonly local: number };
  global: { readonly global: number };
  table: { readonly table: number };
  memory: { readonly memory: number };
  /** Typed `select` (`0x1c`); an untyped `select` (`0x1b`) has no `types`. */
  selectT: { readonly types: readonly ValType[] };
  memarg: MemArgFields;
  memargLane: MemArgFields & { readonly lane: number };
  lane: { readonly lane: number };
  i32: { readonly value: number };
  i64: { readonly value: bigint };
  /** Raw bits of an f32, as a uint32. */
  f32: { readonly value: number };
  /** Raw bits of an f64, as a uint64. */
  f64: { readonly value: bigint };
  /** The 16 bytes of a v128, little-endian lane order as in the binary. */
  v128: { readonly value: Uint8Array };
  shuffle: { readonly lanes: Uint8Array };
  heap: { readonly heap: HeapType };
  /** `nullable` picks the opcode: `ref.test (ref null ht)` is the nullable variant. */
  heapNullable: { readonly nullable: boolean; readonly heap: HeapType };
  /** The cast flags byte is derived from `from.nullable` (bit 0) and `to.nullable` (bit 1). */
  brOnCast: { readonly label: number; readonly from: RefType; readonly to: RefType };
  structField: { readonly type: number; readonly field: number };
  typeSize: { readonly type: number; readonly size: number };
  typeData: { readonly type: number; readonly data: number };
  typeElem: { readonly type: number; readonly elem: number };
  arrayCopy: { readonly dstType: number; readonly srcType: number };
  data: { readonly data: number };
  elem: { readonly elem: number };
  memoryInit: { readonly data: number; readonly memory: number };
  memoryCopy: { readonly dstMemory: number; readonly srcMemory: number };
  tableInit: { readonly elem: number; readonly table: number };
  tableCopy: { readonly dstTable: number; readonly srcTable: number };
  tag: { readonly tag: number };
  tryTable: { readonly blockType: BlockType; readonly catches: readonly Catch[] };
  resume: { readonly type: number; readonly handlers: readonly Handler[] };
  resumeThrow: { readonly type: number; readonly tag: number; readonly handlers: readonly Handler[] };
  switch: { readonly type: number; readonly tag: number };
  contBind: { readonly type: number; readonly resultType: number };
  fence: {};
  orderingGlobal: { readonly ordering: Ordering; readonly global: number };
  orderingTable: { readonly ordering: Ordering; readonly table: number };
  orderingStruct: { readonly ordering: Ordering; readonly type: number; readonly field: number };
  orderingArray: { readonly ordering: Ordering; readonly type: number };
}

type NodeOf<S extends ImmName> = { readonly op: OpNameOf<S> } & ShapeFields[S];

/**
 * One instruction. A union discriminated by `op`; narrow with
 * `if (i.op === 'i32.load') i.offset`.
 *
 * Decoded nodes without immediates (`i32.add`, `end`...) are shared frozen
 * objects, one per opcode, so a body of a million instructions does not
 * allocate a million `{ op }` objects: treat nodes as immutable values and
 * build new ones to edit.
 *
 * `select` appears twice: without `types` (opcode `0x1b`) and with `types`
 * (typed select, `0x1c`, even with one type), so both encodings round-trip.
 */
export type Instruction = { [S in ImmName]: NodeOf<S> }[ImmName];

/**
 * An expression: the instructions of a function body or constant expression,
 * without the final `end` (which {@link readExpr} consumes and
 * {@link writeExpr} writes).
 */
export type Expr = readonly Instruction[];
