/**
 * Encoding of instructions and expressions, the mirror of `decode.ts`.
 *
 * LEB128 values are written in exactly the order the decoder reads them, so
 * padding hints recorded by the {@link Reader} for the enclosing scope land
 * on the same values (see `reader.ts`).
 *
 * @module
 */
import { EncodeError, isEncodeError } from '../../errors.js';
import type { Writer } from '../../writer.js';
import { type HeapType, type RefType, type ValType, writeHeapType, writeValType } from '../types.js';
import type { BlockType, Catch, Expr, Handler, Instruction, MemOffset, Ordering } from './ast.js';
import { BY_NAME, type OpInfo } from './info.js';
import { Imm } from './opcodes.js';

/** Every immediate field any instruction may carry, for uniform access in the shape switch. */
interface AnyFields {
  readonly op: string;
  readonly blockType: BlockType;
  readonly label: number;
  readonly labels: readonly number[];
  readonly default: number;
  readonly func: number;
  readonly type: number;
  readonly table: number;
  readonly local: number;
  readonly global: number;
  readonly memory?: number;
  readonly types?: readonly ValType[];
  readonly align: number;
  readonly offset: MemOffset;
  readonly lane: number;
  readonly value: number | bigint | Uint8Array;
  readonly lanes: Uint8Array;
  readonly heap: HeapType;
  readonly nullable: boolean;
  readonly from: RefType;
  readonly to: RefType;
  readonly field: number;
  readonly size: number;
  readonly data: number;
  readonly elem: number;
  readonly dstType: number;
  readonly srcType: number;
  readonly dstMemory: number;
  readonly srcMemory: number;
  readonly dstTable: number;
  readonly srcTable: number;
  readonly tag: number;
  readonly catches: readonly Catch[];
  readonly handlers: readonly Handler[];
  readonly resultType: number;
  readonly ordering: Ordering;
}

/** Write one instruction (opcode and immediates). Throws {@link EncodeError} for an unknown `op` or a bad immediate. */
export function writeInstruction(w: Writer, i: Instruction): void {
  try {
    writeOne(w, i);
  } catch (err) {
    if (isEncodeError(err)) throw err;
    // A node of the wrong shape (a missing object field) surfaces as a TypeError; report it as an EncodeError.
    throw new EncodeError(`malformed instruction node (${String(err)})`, 'op' in Object(i) ? String((i as { op: unknown }).op) : '', { cause: err });
  }
}

function writeOne(w: Writer, i: Instruction): void {
  const x = i as unknown as AnyFields;
  let info: OpInfo | undefined = BY_NAME.get(x.op);
  if (info === undefined) throw new EncodeError(`unknown instruction ${JSON.stringify(x.op)}`, 'op');
  // Names with two encodings: typed select, nullable casts.
  if (info.alt !== undefined && (info.imm === Imm.heapNullable ? x.nullable === true : x.types !== undefined)) info = info.alt;
  if (info.prefix === 0) w.u8(info.code);
  else w.u8(info.prefix).u32(info.code);
  switch (info.imm) {
    case Imm.none:
      return;
    case Imm.block:
      writeBlockType(w, x.blockType);
      return;
    case Imm.label:
      w.u32(x.label);
      return;
    case Imm.brTable: {
      const labels = x.labels;
      w.u32(labels.length);
      for (let k = 0; k < labels.length; k++) w.u32(labels[k]!);
      w.u32(x.default);
      return;
    }
    case Imm.func:
      w.u32(x.func);
      return;
    case Imm.callIndirect:
      w.u32(x.type).u32(x.table);
      return;
    case Imm.type:
      w.u32(x.type);
      return;
    case Imm.local:
      w.u32(x.local);
      return;
    case Imm.global:
      w.u32(x.global);
      return;
    case Imm.table:
      w.u32(x.table);
      return;
    case Imm.memory:
      w.u32(x.memory!);
      return;
    case Imm.selectT: {
      const types = x.types!;
      w.u32(types.length);
      for (const t of types) writeValType(w, t);
      return;
    }
    case Imm.memarg:
    case Imm.memargLane:
      writeMemArg(w, x);
      if (info.imm === Imm.memargLane) writeLane(w, x.lane);
      return;
    case Imm.lane:
      writeLane(w, x.lane);
      return;
    case Imm.i32:
      w.s32(x.value as number);
      return;
    case Imm.i64:
      if (typeof x.value !== 'bigint') throw new EncodeError(`expected an i64 as a bigint, got ${typeof x.value}`, 'value');
      w.s64(x.value);
      return;
    case Imm.f32: {
      const v = x.value;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodeError(`expected the raw bits of an f32 (a uint32), got ${String(v)}`, 'value');
      w.f32Bits(v);
      return;
    }
    case Imm.f64: {
      const v = x.value;
      if (typeof v !== 'bigint' || v < 0n || v >= 1n << 64n) throw new EncodeError(`expected the raw bits of an f64 (a uint64 bigint), got ${String(v)}`, 'value');
      w.f64Bits(v);
      return;
    }
    case Imm.v128:
      writeBytes16(w, x.value as Uint8Array, 'value');
      return;
    case Imm.shuffle:
      writeBytes16(w, x.lanes, 'lanes');
      return;
    case Imm.heap:
    case Imm.heapNullable:
      writeHeapType(w, x.heap);
      return;
    case Imm.brOnCast:
      w.u8((x.from.nullable ? 1 : 0) | (x.to.nullable ? 2 : 0));
      w.u32(x.label);
      writeHeapType(w, x.from.heap);
      writeHeapType(w, x.to.heap);
      return;
    case Imm.structField:
      w.u32(x.type).u32(x.field);
      return;
    case Imm.typeSize:
      w.u32(x.type).u32(x.size);
      return;
    case Imm.typeData:
      w.u32(x.type).u32(x.data);
      return;
    case Imm.typeElem:
      w.u32(x.type).u32(x.elem);
      return;
    case Imm.arrayCopy:
      w.u32(x.dstType).u32(x.srcType);
      return;
    case Imm.data:
      w.u32(x.data);
      return;
    case Imm.elem:
      w.u32(x.elem);
      return;
    case Imm.memoryInit:
      w.u32(x.data).u32(x.memory!);
      return;
    case Imm.memoryCopy:
      w.u32(x.dstMemory).u32(x.srcMemory);
      return;
    case Imm.tableInit:
      w.u32(x.elem).u32(x.table);
      return;
    case Imm.tableCopy:
      w.u32(x.dstTable).u32(x.srcTable);
      return;
    case Imm.tag:
      w.u32(x.tag);
      return;
    case Imm.tryTable:
      writeBlockType(w, x.blockType);
      w.u32(x.catches.length);
      for (const c of x.catches) writeCatch(w, c);
      return;
    case Imm.resume:
      w.u32(x.type);
      writeHandlers(w, x.handlers);
      return;
    case Imm.resumeThrow:
      w.u32(x.type).u32(x.tag);
      writeHandlers(w, x.handlers);
      return;
    case Imm.switch:
      w.u32(x.type).u32(x.tag);
      return;
    case Imm.contBind:
      w.u32(x.type).u32(x.resultType);
      return;
    case Imm.fence:
      w.u8(0x00);
      return;
    case Imm.orderingGlobal:
      writeOrdering(w, x.ordering).u32(x.global);
      return;
    case Imm.orderingTable:
      writeOrdering(w, x.ordering).u32(x.table);
      return;
    case Imm.orderingStruct:
      writeOrdering(w, x.ordering).u32(x.type).u32(x.field);
      return;
    case Imm.orderingArray:
      writeOrdering(w, x.ordering).u32(x.type);
      return;
  }
}

/**
 * Write an expression and its final `end` (`0x0b`). An {@link EncodeError}
 * from an instruction is rethrown with the instruction's index in its path.
 */
export function writeExpr(w: Writer, e: Expr): void {
  let k = 0;
  try {
    for (; k < e.length; k++) writeOne(w, e[k]!);
  } catch (err) {
    const op = String((e[k] as { op?: unknown } | undefined)?.op);
    // A node of the wrong shape (a missing object field) surfaces as a TypeError; report it as an EncodeError too.
    const message = isEncodeError(err) ? err.message : `malformed instruction node (${String(err)})`;
    throw new EncodeError(`${op}: ${message}`, `[${k}]`, { cause: err });
  }
  w.u8(0x0b);
}

/** Write a `blocktype`: `0x40`, a value type, or an `s33` type index. */
export function writeBlockType(w: Writer, t: BlockType): void {
  if (t === 'empty') w.u8(0x40);
  else if (typeof t === 'number') w.s33(t);
  else writeValType(w, t);
}

function writeMemArg(w: Writer, x: AnyFields): void {
  const align = x.align;
  if (!Number.isInteger(align) || align < 0 || align >= 0x40) throw new EncodeError(`expected a memarg alignment exponent below 64, got ${String(align)}`, 'align');
  if (x.memory === undefined) w.u32(align);
  else w.u32(align | 0x40).u32(x.memory);
  const off = x.offset;
  if (typeof off === 'bigint') w.u64(off);
  else if (off <= 0xffffffff) w.u32(off);
  else if (Number.isSafeInteger(off)) w.u64(BigInt(off));
  else throw new EncodeError(`expected a memarg offset (u64), got ${String(off)}`, 'offset');
}

function writeLane(w: Writer, lane: number): void {
  if (!Number.isInteger(lane) || lane < 0 || lane > 0xff) throw new EncodeError(`expected a lane index byte, got ${String(lane)}`, 'lane');
  w.u8(lane);
}

function writeBytes16(w: Writer, b: Uint8Array, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== 16) throw new EncodeError('expected 16 bytes', what);
  w.bytes(b);
}

function writeOrdering(w: Writer, o: Ordering): Writer {
  if (o === 'seq_cst') return w.u32(0);
  if (o === 'acq_rel') return w.u32(1);
  throw new EncodeError(`unknown memory ordering ${JSON.stringify(o)}`, 'ordering');
}

function writeCatch(w: Writer, c: Catch): void {
  switch (c.kind) {
    case 'catch':
      w.u8(0x00).u32(c.tag).u32(c.label);
      return;
    case 'catch_ref':
      w.u8(0x01).u32(c.tag).u32(c.label);
      return;
    case 'catch_all':
      w.u8(0x02).u32(c.label);
      return;
    case 'catch_all_ref':
      w.u8(0x03).u32(c.label);
      return;
    default:
      throw new EncodeError(`unknown catch clause kind ${JSON.stringify((c as { kind: unknown }).kind)}`, 'catches');
  }
}

function writeHandlers(w: Writer, hs: readonly Handler[]): void {
  w.u32(hs.length);
  for (const h of hs) {
    if (h.kind === 'on_label') w.u8(0x00).u32(h.tag).u32(h.label);
    else if (h.kind === 'on_switch') w.u8(0x01).u32(h.tag);
    else throw new EncodeError(`unknown resume handler kind ${JSON.stringify((h as { kind: unknown }).kind)}`, 'handlers');
  }
}
