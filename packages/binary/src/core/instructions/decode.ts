/**
 * Decoding of instructions and expressions (core spec `binary/instructions`
 * and the proposals listed in `opcodes.ts`).
 *
 * Dispatch is an array lookup on the opcode byte (and the sub-opcode for the
 * `0xfb`..`0xfe` prefixes), then a `switch` on the immediate shape; nodes
 * without immediates are shared frozen objects, so decoding allocates only
 * the nodes that carry data. Every LEB128 goes through the {@link Reader}, so
 * padded encodings are recorded in the enclosing padding scope and reproduced
 * by the encoder.
 *
 * @module
 */
import { DecodeError, DecodeErrorCode } from '../../errors.js';
import { type Reader, hex } from '../../reader.js';
import { type RefType, type ValType, readHeapType, readValType } from '../types.js';
import type { BlockType, Catch, Expr, Handler, Instruction, MemOffset, Ordering } from './ast.js';
import { CORE, Ctl, type OpInfo, PREFIXED } from './info.js';
import { Imm } from './opcodes.js';

/** Frame kinds tracked by {@link readExpr}, to accept `else`/`catch`/`delegate` only where they belong. */
const Frame = { block: 0, if: 1, else: 2, try: 3, catch: 4, catchAll: 5 } as const;

let lastInfo: OpInfo | undefined;

/**
 * Read one instruction, including `end`, `else` and the other structural
 * markers (they are nodes of their own in a flat {@link Expr}).
 *
 * Unknown opcodes fail with a `malformed` {@link DecodeError} at the opcode's
 * offset whose `found` names the byte(s), e.g. `0xfc 0x17`.
 */
export function readInstruction(r: Reader): Instruction {
  const at = r.pos;
  const b = r.u8('instruction opcode');
  let info: OpInfo | undefined;
  if (b >= 0xfb && b <= 0xfe) {
    const sub = r.u32('instruction sub-opcode');
    info = PREFIXED[b - 0xfb]![sub];
    if (info === undefined) r.fail('instruction opcode', `${hex(b)} ${sub < 256 ? hex(sub) : `0x${sub.toString(16)}`}`, at);
  } else {
    info = CORE[b];
    if (info === undefined) r.fail('instruction opcode', hex(b), at);
  }
  lastInfo = info;
  // The hottest shapes inline here (a small function V8 optimises well); the rest go to readImmediates.
  switch (info.imm) {
    case Imm.none:
      return info.node!;
    case Imm.local:
      return { op: info.name, local: r.u32('local index') } as Instruction;
    case Imm.i32:
      return { op: info.name, value: r.s32('i32 constant') } as Instruction;
    case Imm.memarg:
      return readMemArg(r, info.name, false);
    case Imm.label:
      return { op: info.name, label: r.u32('label index') } as Instruction;
    case Imm.global:
      return { op: info.name, global: r.u32('global index') } as Instruction;
    case Imm.func:
      return { op: info.name, func: r.u32('function index') } as Instruction;
    case Imm.block:
      return { op: info.name, blockType: readBlockType(r) } as Instruction;
    default:
      return readImmediates(r, info, at);
  }
}

/**
 * Read an expression: instructions up to the `end` that closes it at depth 0
 * (`binary/instructions#expressions`). That `end` is consumed and not
 * included. Nesting is tracked through block, loop, if, try and try_table;
 * `else`, legacy `catch`/`catch_all`/`delegate` are checked against the
 * enclosing frame so that a stray one fails here rather than being
 * misread as a different nesting. Decoding is iterative: deep nesting
 * cannot exhaust the JS stack.
 *
 * @param offsets When given, receives the absolute byte offset of each
 *   instruction (parallel to the result), then the offset of the closing
 *   `end`: for tools that point at bytes (disassemblers, error reports)
 *   without putting an offset on every node.
 */
export function readExpr(r: Reader, offsets?: number[]): Expr {
  const out: Instruction[] = [];
  const frames: number[] = [];
  for (;;) {
    const at = r.pos;
    if (offsets !== undefined) offsets.push(at);
    const i = readInstruction(r);
    const info = lastInfo!;
    switch (info.ctl) {
      case Ctl.none:
        break;
      case Ctl.open:
        frames.push(info.name === 'if' ? Frame.if : info.name === 'try' ? Frame.try : Frame.block);
        break;
      case Ctl.end:
        if (frames.length === 0) return out;
        frames.pop();
        break;
      case Ctl.else:
        if (frames[frames.length - 1] !== Frame.if) r.fail('`else` inside an `if` block', 'else', at);
        frames[frames.length - 1] = Frame.else;
        break;
      case Ctl.catch:
      case Ctl.catchAll: {
        const f = frames[frames.length - 1];
        if (f !== Frame.try && f !== Frame.catch) r.fail(`\`${info.name}\` inside a \`try\` block`, info.name, at);
        frames[frames.length - 1] = info.ctl === Ctl.catch ? Frame.catch : Frame.catchAll;
        break;
      }
      case Ctl.delegate:
        if (frames[frames.length - 1] !== Frame.try) r.fail('`delegate` closing a `try` block', 'delegate', at);
        frames.pop();
        break;
    }
    out.push(i);
  }
}

function readImmediates(r: Reader, info: OpInfo, at: number): Instruction {
  const op = info.name;
  switch (info.imm) {
    case Imm.block:
      return { op, blockType: readBlockType(r) } as Instruction;
    case Imm.label:
      return { op, label: r.u32('label index') } as Instruction;
    case Imm.brTable: {
      const n = r.count('br_table labels', 1);
      const labels = new Array<number>(n);
      for (let k = 0; k < n; k++) labels[k] = r.u32('label index');
      return { op, labels, default: r.u32('default label index') } as Instruction;
    }
    case Imm.func:
      return { op, func: r.u32('function index') } as Instruction;
    case Imm.callIndirect: {
      const type = r.u32('type index');
      return { op, type, table: r.u32('table index') } as Instruction;
    }
    case Imm.type:
      return { op, type: r.u32('type index') } as Instruction;
    case Imm.local:
      return { op, local: r.u32('local index') } as Instruction;
    case Imm.global:
      return { op, global: r.u32('global index') } as Instruction;
    case Imm.table:
      return { op, table: r.u32('table index') } as Instruction;
    case Imm.memory:
      return { op, memory: r.u32('memory index') } as Instruction;
    case Imm.selectT: {
      const n = r.count('select types', 1);
      const types = new Array<ValType>(n);
      for (let k = 0; k < n; k++) types[k] = readValType(r);
      return { op, types } as Instruction;
    }
    case Imm.memarg:
    case Imm.memargLane:
      return readMemArg(r, op, info.imm === Imm.memargLane);
    case Imm.lane:
      return { op, lane: r.u8('lane index') } as Instruction;
    case Imm.i32:
      return { op, value: r.s32('i32 constant') } as Instruction;
    case Imm.i64:
      return { op, value: r.s64('i64 constant') } as Instruction;
    case Imm.f32:
      return { op, value: r.f32Bits('f32 constant') } as Instruction;
    case Imm.f64:
      return { op, value: r.f64Bits('f64 constant') } as Instruction;
    case Imm.v128:
      return { op, value: r.bytesN(16, 'v128 constant').slice() } as Instruction;
    case Imm.shuffle:
      return { op, lanes: r.bytesN(16, 'i8x16.shuffle lanes').slice() } as Instruction;
    case Imm.heap:
      return { op, heap: readHeapType(r) } as Instruction;
    case Imm.heapNullable:
      return { op, nullable: info.nullable, heap: readHeapType(r) } as Instruction;
    case Imm.brOnCast: {
      const flagsAt = r.pos;
      const flags = r.u8('cast flags');
      if (flags > 3) r.fail('cast flags (0 to 3)', hex(flags), flagsAt);
      const label = r.u32('label index');
      const from: RefType = { kind: 'ref', nullable: (flags & 1) !== 0, heap: readHeapType(r) };
      const to: RefType = { kind: 'ref', nullable: (flags & 2) !== 0, heap: readHeapType(r) };
      return { op, label, from, to } as Instruction;
    }
    case Imm.structField: {
      const type = r.u32('type index');
      return { op, type, field: r.u32('field index') } as Instruction;
    }
    case Imm.typeSize: {
      const type = r.u32('type index');
      return { op, type, size: r.u32('array size') } as Instruction;
    }
    case Imm.typeData: {
      const type = r.u32('type index');
      return { op, type, data: r.u32('data index') } as Instruction;
    }
    case Imm.typeElem: {
      const type = r.u32('type index');
      return { op, type, elem: r.u32('element index') } as Instruction;
    }
    case Imm.arrayCopy: {
      const dstType = r.u32('destination type index');
      return { op, dstType, srcType: r.u32('source type index') } as Instruction;
    }
    case Imm.data:
      return { op, data: r.u32('data index') } as Instruction;
    case Imm.elem:
      return { op, elem: r.u32('element index') } as Instruction;
    case Imm.memoryInit: {
      const data = r.u32('data index');
      return { op, data, memory: r.u32('memory index') } as Instruction;
    }
    case Imm.memoryCopy: {
      const dstMemory = r.u32('destination memory index');
      return { op, dstMemory, srcMemory: r.u32('source memory index') } as Instruction;
    }
    case Imm.tableInit: {
      const elem = r.u32('element index');
      return { op, elem, table: r.u32('table index') } as Instruction;
    }
    case Imm.tableCopy: {
      const dstTable = r.u32('destination table index');
      return { op, dstTable, srcTable: r.u32('source table index') } as Instruction;
    }
    case Imm.tag:
      return { op, tag: r.u32('tag index') } as Instruction;
    case Imm.tryTable: {
      const blockType = readBlockType(r);
      const n = r.count('try_table catch clauses', 2);
      const catches = new Array<Catch>(n);
      for (let k = 0; k < n; k++) catches[k] = readCatch(r);
      return { op, blockType, catches } as Instruction;
    }
    case Imm.resume: {
      const type = r.u32('continuation type index');
      return { op, type, handlers: readHandlers(r) } as Instruction;
    }
    case Imm.resumeThrow: {
      const type = r.u32('continuation type index');
      const tag = r.u32('tag index');
      return { op, type, tag, handlers: readHandlers(r) } as Instruction;
    }
    case Imm.switch: {
      const type = r.u32('continuation type index');
      return { op, type, tag: r.u32('tag index') } as Instruction;
    }
    case Imm.contBind: {
      const type = r.u32('continuation type index');
      return { op, type, resultType: r.u32('result continuation type index') } as Instruction;
    }
    case Imm.orderingGlobal: {
      const ordering = readOrdering(r);
      return { op, ordering, global: r.u32('global index') } as Instruction;
    }
    case Imm.orderingTable: {
      const ordering = readOrdering(r);
      return { op, ordering, table: r.u32('table index') } as Instruction;
    }
    case Imm.orderingStruct: {
      const ordering = readOrdering(r);
      const type = r.u32('type index');
      return { op, ordering, type, field: r.u32('field index') } as Instruction;
    }
    case Imm.orderingArray: {
      const ordering = readOrdering(r);
      return { op, ordering, type: r.u32('type index') } as Instruction;
    }
    case Imm.fence: {
      // A reserved byte, not a LEB128: only 0x00 is accepted, so there is one encoding.
      const b = r.u8('atomic.fence flags');
      if (b !== 0) r.fail('atomic.fence reserved byte 0x00', hex(b), r.pos - 1);
      return info.node!;
    }
    case Imm.none:
      return info.node!;
  }
  /* c8 ignore next */
  throw new DecodeError({ code: DecodeErrorCode.Malformed, offset: at, expected: `a known immediate shape for ${op}` });
}

/** Read a `blocktype`: `0x40`, a value type, or a non-negative `s33` type index. */
export function readBlockType(r: Reader): BlockType {
  const b = r.peek();
  if (b === 0x40) {
    r.pos++;
    return 'empty';
  }
  // A value type starts with a byte whose LEB128 reading is a negative one-byte number.
  if (b !== -1 && (b & 0xc0) === 0x40) return readValType(r);
  const at = r.pos;
  const index = r.s33('block type');
  if (index < 0) r.fail('block type (0x40, a value type or a type index)', hex(b), at);
  return index;
}

function readMemArg(r: Reader, op: string, lane: boolean): Instruction {
  const at = r.pos;
  let flags = r.u32('memarg flags');
  let memory: number | undefined;
  if ((flags & 0x40) !== 0) {
    flags -= 0x40;
    memory = r.u32('memory index');
  }
  if (flags >= 0x40) r.fail('memarg alignment exponent below 64', String(flags), at);
  const offset = readOffset(r);
  if (lane) {
    const l = r.u8('lane index');
    return (memory === undefined ? { op, align: flags, offset, lane: l } : { op, align: flags, offset, memory, lane: l }) as Instruction;
  }
  return (memory === undefined ? { op, align: flags, offset } : { op, align: flags, offset, memory }) as Instruction;
}

/** A memarg offset: a `u64` (memory64), read as a u32 when its LEB128 is at most 4 bytes (the common case, no bigint). */
function readOffset(r: Reader): MemOffset {
  const bytes = r.bytes;
  const p = r.pos;
  const stop = Math.min(r.end, p + 4);
  for (let k = p; k < stop; k++) if (bytes[k]! < 0x80) return r.u32('memarg offset');
  const v = r.u64('memarg offset');
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function readOrdering(r: Reader): Ordering {
  const at = r.pos;
  const v = r.u32('memory ordering');
  if (v === 0) return 'seq_cst';
  if (v === 1) return 'acq_rel';
  return r.fail('memory ordering (0 seq_cst or 1 acq_rel)', String(v), at);
}

function readCatch(r: Reader): Catch {
  const at = r.pos;
  const kind = r.u8('catch clause kind');
  switch (kind) {
    case 0x00: {
      const tag = r.u32('tag index');
      return { kind: 'catch', tag, label: r.u32('label index') };
    }
    case 0x01: {
      const tag = r.u32('tag index');
      return { kind: 'catch_ref', tag, label: r.u32('label index') };
    }
    case 0x02:
      return { kind: 'catch_all', label: r.u32('label index') };
    case 0x03:
      return { kind: 'catch_all_ref', label: r.u32('label index') };
    default:
      return r.fail('catch clause kind (0x00 to 0x03)', hex(kind), at);
  }
}

function readHandlers(r: Reader): Handler[] {
  const n = r.count('resume handlers', 2);
  const out = new Array<Handler>(n);
  for (let k = 0; k < n; k++) {
    const at = r.pos;
    const kind = r.u8('resume handler kind');
    if (kind === 0x00) {
      const tag = r.u32('tag index');
      out[k] = { kind: 'on_label', tag, label: r.u32('label index') };
    } else if (kind === 0x01) {
      out[k] = { kind: 'on_switch', tag: r.u32('tag index') };
    } else {
      r.fail('resume handler kind (0x00 or 0x01)', hex(kind), at);
    }
  }
  return out;
}

