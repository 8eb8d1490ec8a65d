import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../../errors.js';
import { Reader } from '../../reader.js';
import { Writer } from '../../writer.js';
import { type Expr, type Instruction, naturalAlignment, proposalOf, proposalOfInstruction, readExpr, readInstruction, writeExpr, writeInstruction } from './index.js';

function hexBytes(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** Decode one instruction in a padding scope, re-encode it with the recorded padding. */
function roundTrip(bytes: Uint8Array): { node: Instruction; out: Uint8Array } {
  const r = new Reader(bytes);
  const m = r.beginPadding();
  const node = readInstruction(r);
  const padding = r.endPadding(m);
  expect(r.pos).toBe(bytes.length);
  const w = new Writer();
  const wm = w.beginPadding(padding);
  writeInstruction(w, node);
  w.endPadding(wm);
  return { node, out: w.finish() };
}

const ref = (nullable: boolean, heap: object) => ({ kind: 'ref', nullable, heap });
const abs = (name: string, shared = false) => ({ kind: 'abstract', name, shared });

// bytes -> instruction (-> the same bytes)
const cases: [string, object][] = [
  ['00', { op: 'unreachable' }],
  ['02 40', { op: 'block', blockType: 'empty' }],
  ['03 7f', { op: 'loop', blockType: 'i32' }],
  ['04 05', { op: 'if', blockType: 5 }],
  ['02 63 6f', { op: 'block', blockType: ref(true, abs('extern')) }],
  ['02 70', { op: 'block', blockType: { kind: 'ref', nullable: true, heap: abs('func'), short: true } }],
  ['02 80 01', { op: 'block', blockType: 128 }],
  ['0c 02', { op: 'br', label: 2 }],
  ['0e 02 00 01 02', { op: 'br_table', labels: [0, 1], default: 2 }],
  ['10 81 01', { op: 'call', func: 129 }],
  ['11 03 00', { op: 'call_indirect', type: 3, table: 0 }],
  ['13 03 01', { op: 'return_call_indirect', type: 3, table: 1 }],
  ['14 04', { op: 'call_ref', type: 4 }],
  ['1b', { op: 'select' }],
  ['1c 01 7f', { op: 'select', types: ['i32'] }],
  ['1c 02 7f 7e', { op: 'select', types: ['i32', 'i64'] }],
  ['20 00', { op: 'local.get', local: 0 }],
  ['23 01', { op: 'global.get', global: 1 }],
  ['28 02 10', { op: 'i32.load', align: 2, offset: 16 }],
  ['28 42 01 10', { op: 'i32.load', align: 2, offset: 16, memory: 1 }],
  ['28 42 00 10', { op: 'i32.load', align: 2, offset: 16, memory: 0 }],
  ['29 03 ff ff ff ff 0f', { op: 'i64.load', align: 3, offset: 0xffffffff }],
  ['29 03 80 80 80 80 10', { op: 'i64.load', align: 3, offset: 2 ** 32 }],
  ['29 03 ff ff ff ff ff ff ff ff ff 01', { op: 'i64.load', align: 3, offset: 2n ** 64n - 1n }],
  ['3f 00', { op: 'memory.size', memory: 0 }],
  ['40 01', { op: 'memory.grow', memory: 1 }],
  ['41 7f', { op: 'i32.const', value: -1 }],
  ['41 80 80 80 80 78', { op: 'i32.const', value: -(2 ** 31) }],
  ['42 80 80 80 80 80 80 80 80 80 7f', { op: 'i64.const', value: -(2n ** 63n) }],
  ['43 00 00 c0 7f', { op: 'f32.const', value: 0x7fc00000 }],
  ['44 01 00 00 00 00 00 f8 7f', { op: 'f64.const', value: 0x7ff8000000000001n }],
  ['d0 70', { op: 'ref.null', heap: abs('func') }],
  ['d0 65 6e', { op: 'ref.null', heap: abs('any', true) }],
  ['d0 02', { op: 'ref.null', heap: { kind: 'index', index: 2 } }],
  ['d2 07', { op: 'ref.func', func: 7 }],
  ['d5 01', { op: 'br_on_null', label: 1 }],
  ['c4', { op: 'i64.extend32_s' }],
  // 0xfc
  ['fc 00', { op: 'i32.trunc_sat_f32_s' }],
  ['fc 07', { op: 'i64.trunc_sat_f64_u' }],
  ['fc 08 01 00', { op: 'memory.init', data: 1, memory: 0 }],
  ['fc 09 01', { op: 'data.drop', data: 1 }],
  ['fc 0a 00 01', { op: 'memory.copy', dstMemory: 0, srcMemory: 1 }],
  ['fc 0b 00', { op: 'memory.fill', memory: 0 }],
  ['fc 0c 02 01', { op: 'table.init', elem: 2, table: 1 }],
  ['fc 0d 02', { op: 'elem.drop', elem: 2 }],
  ['fc 0e 01 02', { op: 'table.copy', dstTable: 1, srcTable: 2 }],
  ['fc 0f 00', { op: 'table.grow', table: 0 }],
  ['fc 10 00', { op: 'table.size', table: 0 }],
  ['fc 11 00', { op: 'table.fill', table: 0 }],
  ['fc 12 00', { op: 'memory.discard', memory: 0 }],
  ['fc 13', { op: 'i64.add128' }],
  ['fc 16', { op: 'i64.mul_wide_u' }],
  ['fc 80 00', { op: 'i32.trunc_sat_f32_s' }],
  // 0xfd
  ['fd 00 04 00', { op: 'v128.load', align: 4, offset: 0 }],
  ['fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f', { op: 'v128.const', value: new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) }],
  ['fd 0d 00 11 02 13 04 15 06 17 08 19 0a 1b 0c 1d 0e 1f', { op: 'i8x16.shuffle', lanes: new Uint8Array([0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31]) }],
  ['fd 15 0f', { op: 'i8x16.extract_lane_s', lane: 15 }],
  ['fd 54 00 08 03', { op: 'v128.load8_lane', align: 0, offset: 8, lane: 3 }],
  ['fd ff 01', { op: 'f64x2.convert_low_i32x4_u' }],
  ['fd 80 02', { op: 'i8x16.relaxed_swizzle' }],
  ['fd 93 02', { op: 'i32x4.relaxed_dot_i8x16_i7x16_add_s' }],
  // 0xfe
  ['fe 00 02 00', { op: 'memory.atomic.notify', align: 2, offset: 0 }],
  ['fe 03 00', { op: 'atomic.fence' }],
  ['fe 4e 02 04', { op: 'i64.atomic.rmw32.cmpxchg_u', align: 2, offset: 4 }],
  ['fe 4f 00 03', { op: 'global.atomic.get', ordering: 'seq_cst', global: 3 }],
  ['fe 58 01 00', { op: 'table.atomic.get', ordering: 'acq_rel', table: 0 }],
  ['fe 5c 00 01 02', { op: 'struct.atomic.get', ordering: 'seq_cst', type: 1, field: 2 }],
  ['fe 71 01 05', { op: 'array.atomic.rmw.cmpxchg', ordering: 'acq_rel', type: 5 }],
  ['fe 72', { op: 'ref.i31_shared' }],
  // 0xfb
  ['fb 00 01', { op: 'struct.new', type: 1 }],
  ['fb 02 01 02', { op: 'struct.get', type: 1, field: 2 }],
  ['fb 08 01 03', { op: 'array.new_fixed', type: 1, size: 3 }],
  ['fb 09 01 00', { op: 'array.new_data', type: 1, data: 0 }],
  ['fb 0a 01 00', { op: 'array.new_elem', type: 1, elem: 0 }],
  ['fb 11 01 02', { op: 'array.copy', dstType: 1, srcType: 2 }],
  ['fb 14 6c', { op: 'ref.test', nullable: false, heap: abs('i31') }],
  ['fb 15 6c', { op: 'ref.test', nullable: true, heap: abs('i31') }],
  ['fb 16 03', { op: 'ref.cast', nullable: false, heap: { kind: 'index', index: 3 } }],
  ['fb 17 6b', { op: 'ref.cast', nullable: true, heap: abs('struct') }],
  ['fb 18 01 00 6e 6b', { op: 'br_on_cast', label: 0, from: ref(true, abs('any')), to: ref(false, abs('struct')) }],
  ['fb 19 03 01 6e 6b', { op: 'br_on_cast_fail', label: 1, from: ref(true, abs('any')), to: ref(true, abs('struct')) }],
  ['fb 1a', { op: 'any.convert_extern' }],
  ['fb 1b', { op: 'extern.convert_any' }],
  ['fb 1c', { op: 'ref.i31' }],
  ['fb 22 04', { op: 'ref.get_desc', type: 4 }],
  ['fb 24 04', { op: 'ref.cast_desc_eq', nullable: true, heap: { kind: 'index', index: 4 } }],
  // exceptions
  ['06 40', { op: 'try', blockType: 'empty' }],
  ['07 00', { op: 'catch', tag: 0 }],
  ['19', { op: 'catch_all' }],
  ['08 01', { op: 'throw', tag: 1 }],
  ['09 00', { op: 'rethrow', label: 0 }],
  ['0a', { op: 'throw_ref' }],
  ['18 01', { op: 'delegate', label: 1 }],
  [
    '1f 40 04 00 01 02 01 03 04 02 05 03 06',
    {
      op: 'try_table',
      blockType: 'empty',
      catches: [
        { kind: 'catch', tag: 1, label: 2 },
        { kind: 'catch_ref', tag: 3, label: 4 },
        { kind: 'catch_all', label: 5 },
        { kind: 'catch_all_ref', label: 6 },
      ],
    },
  ],
  // stack switching
  ['e0 01', { op: 'cont.new', type: 1 }],
  ['e1 01 02', { op: 'cont.bind', type: 1, resultType: 2 }],
  ['e2 00', { op: 'suspend', tag: 0 }],
  ['e3 01 02 00 00 01 01 02', { op: 'resume', type: 1, handlers: [{ kind: 'on_label', tag: 0, label: 1 }, { kind: 'on_switch', tag: 2 }] }],
  ['e4 01 02 00', { op: 'resume_throw', type: 1, tag: 2, handlers: [] }],
  ['e5 01 00', { op: 'resume_throw_ref', type: 1, handlers: [] }],
  ['e6 01 02', { op: 'switch', type: 1, tag: 2 }],
];

describe('instruction codec', () => {
  it.each(cases)('should decode %s and re-encode it byte for byte', (hex, expected) => {
    const bytes = hexBytes(hex);
    const { node, out } = roundTrip(bytes);
    expect(node).toEqual(expected);
    expect(toHex(out)).toBe(toHex(bytes));
  });

  it.each([
    ['41 ff 7f', 'padded s32'],
    ['20 80 00', 'padded local index'],
    ['28 82 80 00 90 80 80 80 00', 'padded memarg flags and offset'],
    ['29 03 80 80 80 80 80 80 80 80 80 00', 'ten-byte padded u64 offset'],
    ['fc 88 80 80 80 00 01 00', 'padded 0xfc sub-opcode'],
    ['fe 83 00 00', 'padded atomic.fence sub-opcode'],
    ['02 80 80 00', 'padded s33 block type index'],
    ['fe 4f 80 00 03', 'padded ordering'],
  ])('should reproduce %s (%s)', (hex) => {
    const bytes = hexBytes(hex);
    expect(toHex(roundTrip(bytes).out)).toBe(toHex(bytes));
  });

  it.each([
    ['ff', 'instruction opcode', '0xff'],
    ['27', 'instruction opcode', '0x27'],
    ['fc 17', 'instruction opcode', '0xfc 0x17'],
    ['fd 9a 01', 'instruction opcode', '0xfd 0x9a'],
    ['fb 1f', 'instruction opcode', '0xfb 0x1f'],
    ['fe 03 01', 'atomic.fence reserved byte 0x00', '0x01'],
    ['28 80 01 00', 'memarg alignment exponent below 64', '128'],
    ['fb 18 04 00 6e 6b', 'cast flags (0 to 3)', '0x04'],
    ['fe 4f 02 00', 'memory ordering (0 seq_cst or 1 acq_rel)', '2'],
    ['1f 40 01 04 00', 'catch clause kind (0x00 to 0x03)', '0x04'],
    ['e3 00 01 02 00', 'resume handler kind (0x00 or 0x01)', '0x02'],
    ['02 7f fc', undefined, undefined],
  ])('should reject %s with a typed error', (hex, expected, found) => {
    const r = new Reader(hexBytes(hex));
    let err: unknown;
    try {
      readInstruction(r);
      readInstruction(r);
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
    if (expected !== undefined) {
      expect((err as { expected: string }).expected).toBe(expected);
      expect((err as { found: string }).found).toBe(found);
      expect((err as { offset: number }).offset).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('readExpr / writeExpr', () => {
  const exprs: [string, string, number][] = [
    ['i32.const', '41 2a 0b', 1],
    ['global.get', '23 00 0b', 1],
    ['extended const', '23 00 41 04 6a 0b', 3],
    ['v128.const', 'fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0b', 1],
    ['ref.null', 'd0 6f 0b', 1],
    ['struct.new', '41 01 fb 00 00 0b', 2],
    ['array.new_fixed', '41 01 41 02 fb 08 00 02 0b', 3],
    ['ref.i31', '41 01 fb 1c 0b', 2],
    ['nested blocks', '02 40 03 40 0c 01 0b 0b 0b', 5],
    ['if/else', '41 00 04 7f 41 01 05 41 02 0b 0b', 6],
    ['legacy try/catch', '06 40 01 07 00 1a 19 0b 0b', 6],
    ['try/delegate', '06 40 01 18 00 0b', 3],
    ['try_table', '1f 40 01 02 00 0a 0b 0b', 3],
  ];

  it.each(exprs)('should read and rewrite %s', (_name, hex, count) => {
    const bytes = hexBytes(hex);
    const r = new Reader(bytes);
    const e: Expr = readExpr(r);
    expect(r.pos).toBe(bytes.length);
    expect(e.length).toBe(count);
    expect(e.some((i) => i.op === 'end' && e.indexOf(i) === e.length)).toBe(false);
    const w = new Writer();
    writeExpr(w, e);
    expect(toHex(w.finish())).toBe(toHex(bytes));
  });

  it('should stop at the end closing the expression and leave what follows', () => {
    const r = new Reader(hexBytes('41 01 0b 41 02'));
    expect(readExpr(r)).toEqual([{ op: 'i32.const', value: 1 }]);
    expect(r.pos).toBe(3);
  });

  it.each([
    ['else outside if', '02 40 05 0b 0b'],
    ['catch outside try', '02 40 07 00 0b 0b'],
    ['delegate outside try', '02 40 18 00 0b'],
    ['catch after catch_all', '06 40 19 07 00 0b 0b'],
    ['missing end', '02 40 0b'],
  ])('should reject %s with a typed error', (_name, hex) => {
    expect(() => readExpr(new Reader(hexBytes(hex)))).toThrow(expect.objectContaining({ name: 'WasmDecodeError' }));
  });

  it.each([
    ['unknown op', { op: 'i32.nope' }],
    ['missing index', { op: 'local.get' }],
    ['lane out of range', { op: 'i8x16.extract_lane_s', lane: 16 * 16 }],
    ['f32 bits as a float', { op: 'f32.const', value: 1.5 }],
    ['f64 bits as a number', { op: 'f64.const', value: 1 }],
    ['i64 as a number', { op: 'i64.const', value: 1 }],
    ['short v128', { op: 'v128.const', value: new Uint8Array(15) }],
    ['missing block type object', { op: 'block', blockType: {} }],
    ['missing cast types', { op: 'br_on_cast', label: 0 }],
    ['bad ordering', { op: 'global.atomic.get', ordering: 'relaxed', global: 0 }],
    ['bad catch', { op: 'try_table', blockType: 'empty', catches: [{ kind: 'catch_some', label: 0 }] }],
  ])('should reject a node with %s with an EncodeError naming its index', (_name, node) => {
    const w = new Writer();
    expect(() => writeExpr(w, [{ op: 'nop' }, node as unknown as Instruction])).toThrow(expect.objectContaining({ name: 'WasmEncodeError', path: '[1]' }));
  });

  it('should report a malformed node given to writeInstruction as an EncodeError', () => {
    expect(() => writeInstruction(new Writer(), { op: 'br_table' } as unknown as Instruction)).toThrow(expect.objectContaining({ name: 'WasmEncodeError' }));
  });

  it('should report an unknown op when encoding', () => {
    const w = new Writer();
    expect(() => writeExpr(w, [{ op: 'i32.nope' } as unknown as Instruction])).toThrow(expect.objectContaining({ name: 'WasmEncodeError' }));
  });
});

describe('proposalOf', () => {
  it.each([
    ['i32.add', 'mvp'],
    ['i32.extend8_s', 'sign-extension'],
    ['i64.trunc_sat_f64_u', 'saturating-float-to-int'],
    ['memory.copy', 'bulk-memory'],
    ['table.fill', 'reference-types'],
    ['ref.func', 'reference-types'],
    ['return_call_indirect', 'tail-call'],
    ['br_on_non_null', 'function-references'],
    ['try_table', 'exceptions'],
    ['delegate', 'legacy-exceptions'],
    ['ref.eq', 'gc'],
    ['array.copy', 'gc'],
    ['br_on_cast_desc_eq_fail', 'custom-descriptors'],
    ['v128.const', 'simd'],
    ['f64x2.convert_low_i32x4_u', 'simd'],
    ['i8x16.relaxed_swizzle', 'relaxed-simd'],
    ['i64.atomic.rmw32.cmpxchg_u', 'threads'],
    ['ref.i31_shared', 'shared-everything-threads'],
    ['switch', 'stack-switching'],
    ['i64.mul_wide_s', 'wide-arithmetic'],
    ['memory.discard', 'memory-control'],
  ] as const)('should attribute %s to %s', (op, proposal) => {
    expect(proposalOf(op)).toBe(proposal);
  });

  it('should tell a typed select from an untyped one', () => {
    expect(proposalOfInstruction({ op: 'select' })).toBe('mvp');
    expect(proposalOfInstruction({ op: 'select', types: ['i32'] })).toBe('reference-types');
  });
});

describe('readExpr offsets', () => {
  it('should report the offset of each instruction and of the closing end', () => {
    const offsets: number[] = [];
    const e = readExpr(new Reader(hexBytes('41 80 01 20 00 6a 0b')), offsets);
    expect(e.map((i) => i.op)).toEqual(['i32.const', 'local.get', 'i32.add']);
    expect(offsets).toEqual([0, 3, 5, 6]);
  });
});

describe('naturalAlignment', () => {
  it.each([
    ['i32.load', 2],
    ['i64.load8_u', 0],
    ['i64.store32', 2],
    ['f64.store', 3],
    ['v128.load', 4],
    ['v128.load16x4_s', 3],
    ['v128.load32_zero', 2],
    ['v128.store16_lane', 1],
    ['memory.atomic.notify', 2],
    ['memory.atomic.wait64', 3],
    ['i64.atomic.rmw.add', 3],
    ['i64.atomic.rmw16.cmpxchg_u', 1],
  ] as const)('should give %s a natural alignment of %i', (op, align) => {
    expect(naturalAlignment(op)).toBe(align);
  });
});
