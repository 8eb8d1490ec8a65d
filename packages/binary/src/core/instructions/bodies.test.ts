/**
 * Real function bodies: WAT turned into binaries by wasm-tools 0.254, and the
 * repository's fixture binaries. Each body's expression is decoded and
 * re-encoded byte for byte; a generated module exercises every row of the
 * opcode tables, so each opcode number is checked against wasm-tools.
 */
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Reader } from '../../reader.js';
import { Writer } from '../../writer.js';
import { type ValType, readValType, writeValType } from '../types.js';
import { type Instruction, type MemoryOpName, naturalAlignment, readExpr, writeExpr } from './index.js';
import { ATOMIC_OPS, CORE_OPS, GC_OPS, Imm, MISC_OPS, type OpRow, SIMD_OPS } from './opcodes.js';
import { fixtures, LARGE_COMPONENT_PATH, nestedCoreModules } from '../../../../../tools/fixtures/index.mjs';

/** The function bodies of a core module, found with a minimal section walk (independent of the module decoder). */
function codeBodies(module: Uint8Array): Uint8Array[] {
  const r = new Reader(module);
  r.pos = 8;
  const out: Uint8Array[] = [];
  while (!r.atEnd()) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    if (id === 10) {
      const n = r.u32();
      for (let k = 0; k < n; k++) {
        const len = r.u32();
        out.push(module.subarray(r.pos, r.pos + len));
        r.pos += len;
      }
    }
    r.pos = end;
  }
  return out;
}

/** Decode a body (locals + expression) and re-encode it; returns the instructions. */
function roundTripBody(body: Uint8Array): readonly Instruction[] {
  const r = new Reader(body);
  const m = r.beginPadding();
  const groups = r.u32();
  const locals: [number, ValType][] = [];
  for (let k = 0; k < groups; k++) {
    const n = r.u32();
    locals.push([n, readValType(r)]);
  }
  const expr = readExpr(r);
  expect(r.pos).toBe(body.length);
  const padding = r.endPadding(m);
  const w = new Writer();
  const wm = w.beginPadding(padding);
  w.u32(groups);
  for (const [n, t] of locals) {
    w.u32(n);
    writeValType(w, t);
  }
  writeExpr(w, expr);
  w.endPadding(wm);
  const out = w.finish();
  expect(out.length).toBe(body.length);
  expect(Buffer.from(out).equals(Buffer.from(body))).toBe(true);
  return expr;
}

function roundTripModule(module: Uint8Array): readonly Instruction[] {
  const all: Instruction[] = [];
  for (const body of codeBodies(module)) all.push(...roundTripBody(body));
  return all;
}

/** A key per opcode row: the name, plus the variant for names with two encodings. */
function keyOf(i: Instruction): string {
  if (i.op === 'select' && 'types' in i) return 'select/typed';
  if ('nullable' in i) return `${i.op}/${i.nullable ? 'null' : 'nonnull'}`;
  return i.op;
}

function rowKeys(rows: readonly OpRow[]): string[] {
  const seen = new Set<string>();
  return rows.map(([, name, imm]) => {
    let key = name;
    if (name === 'select' && imm === 'selectT') key = 'select/typed';
    else if (imm === 'heapNullable') key = `${name}/${seen.has(name) ? 'null' : 'nonnull'}`;
    seen.add(name);
    return key;
  });
}

const iota16 = Array.from({ length: 16 }, (_, k) => k).join(' ');

/** WAT text for one table row and the op keys it produces, in order. */
function textFor(row: OpRow, nullable: boolean): [string, string[]] | undefined {
  const [, name, imm] = row;
  const one = (t: string): [string, string[]] => [t, [name]];
  switch (Imm[imm]) {
    case Imm.none:
      if (name === 'else' || name === 'end' || name === 'catch_all') return undefined; // emitted with their blocks
      return one(name);
    case Imm.block:
      if (name === 'if') return ['if (result i32) i32.const 1 else i32.const 2 end', ['if', 'i32.const', 'else', 'i32.const', 'end']];
      if (name === 'try')
        return [
          'try (result i32) i32.const 1 catch $ex rethrow 0 catch_all i32.const 2 end try delegate 0',
          ['try', 'i32.const', 'catch', 'rethrow', 'catch_all', 'i32.const', 'end', 'try', 'delegate'],
        ];
      return [`${name} (type $mv) end ${name} $l (result i32) br $l end ${name} end`, [name, 'end', name, 'br', 'end', name, 'end']];
    case Imm.label:
      if (name === 'rethrow' || name === 'delegate') return undefined; // inside try
      return one(`${name} 0`);
    case Imm.brTable:
      return one('br_table 0 0 0');
    case Imm.func:
      return one(`${name} $f`);
    case Imm.callIndirect:
      return one(`${name} $t0 (type $ft)`);
    case Imm.type:
      if (name.startsWith('struct.')) return one(`${name} $s`);
      if (name.startsWith('array.')) return one(`${name} $a`);
      if (name === 'cont.new') return one(`${name} $ct`);
      if (name === 'ref.get_desc') return one(`${name} $s`);
      return one(`${name} $ft`);
    case Imm.local:
      return one(`${name} 1`);
    case Imm.global:
      return one(`${name} $g`);
    case Imm.table:
      return one(`${name} $t1`);
    case Imm.memory:
      return one(`${name} $m1`);
    case Imm.selectT:
      return [`select (result i32) select (result i32 i64)`, ['select/typed', 'select/typed']];
    case Imm.memarg:
      return [`${name} offset=8 ${name} $m1 offset=0x100000000`, [name, name]];
    case Imm.memargLane:
      return one(`${name} $m1 offset=3 1`);
    case Imm.lane:
      return one(`${name} 1`);
    case Imm.i32:
      return one(`${name} -5`);
    case Imm.i64:
      return one(`${name} -0x8000000000000000`);
    case Imm.f32:
      return one(`${name} nan:0x200001`);
    case Imm.f64:
      return one(`${name} -nan:0x1`);
    case Imm.v128:
      return one(`${name} i8x16 ${iota16}`);
    case Imm.shuffle:
      return one(`${name} ${iota16}`);
    case Imm.heap:
      return [`${name} any ${name} $s ${name} (shared eq)`, [name, name, name]];
    case Imm.heapNullable:
      return [`${name} (ref ${nullable ? 'null ' : ''}$s)`, [`${name}/${nullable ? 'null' : 'nonnull'}`]];
    case Imm.brOnCast:
      return [`${name} 0 anyref (ref $s) ${name} 0 (ref any) (ref null $s)`, [name, name]];
    case Imm.structField:
      return one(`${name} $s 0`);
    case Imm.typeSize:
      return one(`${name} $a 3`);
    case Imm.typeData:
      return one(`${name} $a $d`);
    case Imm.typeElem:
      return one(`${name} $a $e`);
    case Imm.arrayCopy:
      return one(`${name} $a $a`);
    case Imm.data:
      return one(`${name} $d`);
    case Imm.elem:
      return one(`${name} $e`);
    case Imm.memoryInit:
      return one(`${name} $m1 $d`);
    case Imm.memoryCopy:
      return one(`${name} $m1 $m0`);
    case Imm.tableInit:
      return one(`${name} $t0 $e`);
    case Imm.tableCopy:
      return one(`${name} $t1 $t0`);
    case Imm.tag:
      if (name === 'catch') return undefined; // inside try
      return one(`${name} $ex`);
    case Imm.tryTable:
      return ['try_table (result i32) (catch $ex 0) (catch_ref $ex 0) (catch_all 0) (catch_all_ref 0) i32.const 0 end', [name, 'i32.const', 'end']];
    case Imm.resume:
      return one(`${name} $ct (on $ex 0) (on $ex switch)`);
    case Imm.resumeThrow:
      return one(`${name} $ct $ex (on $ex 0)`);
    case Imm.switch:
      return one(`${name} $ct $ex`);
    case Imm.contBind:
      return one(`${name} $ct $ct`);
    case Imm.fence:
      return one(name);
    case Imm.orderingGlobal:
      return [`${name} seq_cst $g ${name} acq_rel $g`, [name, name]];
    case Imm.orderingTable:
      return one(`${name} acq_rel $t1`);
    case Imm.orderingStruct:
      return one(`${name} seq_cst $s 0`);
    case Imm.orderingArray:
      return one(`${name} acq_rel $a`);
  }
  return undefined;
}

const allTables: [string, readonly OpRow[]][] = [
  ['core', CORE_OPS],
  ['0xfb', GC_OPS],
  ['0xfc', MISC_OPS],
  ['0xfd', SIMD_OPS],
  ['0xfe', ATOMIC_OPS],
];

const prelude = `
  (type $ft (func (param i32) (result i32)))
  (type $mv (func (param i32 i64) (result i64 i32)))
  (type $s (struct (field (mut i32))))
  (type $a (array (mut i32)))
  (type $ct (cont $ft))
  (memory $m0 1)
  (memory $m1 i64 1)
  (table $t0 10 funcref)
  (table $t1 10 externref)
  (global $g (mut i32) (i32.const 0))
  (data $d "abc")
  (elem $e func $f)
  (tag $ex (param i32))`;

describe('every opcode against wasm-tools', () => {
  it.each(allTables)('should decode the %s table as wasm-tools encodes it and re-encode it byte for byte', async (_name, rows) => {
    const texts: string[] = [];
    const expected: string[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      const nullable = row[2] === 'heapNullable' && seen.has(row[1]);
      seen.add(row[1]);
      const t = textFor(row, nullable);
      if (t === undefined) continue;
      if (row[1] === 'select' && row[2] === 'none') {
        texts.push('select');
        expected.push('select');
        continue;
      }
      texts.push(t[0]);
      expected.push(...t[1]);
    }
    const wat = `(module ${prelude}\n (func $f (type $ft) (local i64 f32 v128)\n ${texts.join('\n ')}\n))`;
    const bytes = await parse(wat);
    const instrs = roundTripModule(bytes);
    const ops = instrs.map(keyOf);
    expect(ops).toEqual(expected);
    // The text gives no align=, so wasm-tools wrote the natural alignment.
    for (const i of instrs) if ('align' in i) expect(i.align, i.op).toBe(naturalAlignment(i.op as MemoryOpName));
    // Every row of the table was exercised.
    const covered = new Set(ops);
    for (const key of rowKeys(rows)) expect(covered.has(key), key).toBe(true);
  });
});

/** Hand-written modules, one per proposal, shaped like real code. */
const proposals: [string, string][] = [
  [
    'mvp control flow and multi-value',
    `(module
      (type $pair (func (param i32) (result i32 i32)))
      (memory 1)
      (func $fib (param $n i32) (result i32) (local $a i32) (local $b i32) (local $t i32)
        i32.const 0 local.set $a  i32.const 1 local.set $b
        block $done
          loop $next
            local.get $n i32.eqz br_if $done
            local.get $a local.get $b i32.add local.set $t
            local.get $b local.set $a  local.get $t local.set $b
            local.get $n i32.const 1 i32.sub local.set $n
            br $next
          end
        end
        local.get $a)
      (func $dup (type $pair) local.get 0 local.get 0)
      (func (param i32) (result i32)
        local.get 0
        block (type $pair) call $dup end
        i32.add
        local.get 0
        if (result i32) i32.const 1 else i32.const -1 end
        i32.mul
        local.get 0
        br_table 0 0 0 0
      )
      (func (result f64) (local f32)
        f32.const -0x1p-149 local.set 0
        local.get 0 f64.promote_f32 f64.const inf f64.min
        i32.const 8 f64.load offset=16 align=8 f64.add
        i32.const 0 i64.const 0x7fffffffffffffff i64.store32 offset=4
        memory.size drop i32.const 1 memory.grow drop))`,
  ],
  [
    'bulk memory, reference types and tail calls',
    `(module
      (type $t (func (param i32) (result i32)))
      (memory 1) (table $tab 4 funcref) (table $ext 1 externref)
      (data $d "hello") (elem $e func $a $b)
      (func $a (type $t) local.get 0 i32.const 1 i32.add)
      (func $b (type $t) local.get 0 i32.const 0 call_indirect $tab (type $t) return_call $a)
      (func (param externref) (result i32)
        i32.const 0 i32.const 0 i32.const 5 memory.init $d data.drop $d
        i32.const 0 i32.const 8 i32.const 5 memory.copy
        i32.const 0 i32.const 0 i32.const 8 memory.fill
        i32.const 0 i32.const 0 i32.const 2 table.init $tab $e elem.drop $e
        i32.const 0 local.get 0 table.set $ext
        ref.null extern i32.const 1 table.grow $ext drop
        ref.func $a ref.is_null drop
        i32.const 1 i32.const 2 i32.const 0 select (result i32) drop
        i32.const 3 i32.const 0 return_call_indirect $tab (type $t)))`,
  ],
  [
    'simd',
    `(module (memory 1)
      (func (param v128 i32) (result v128)
        local.get 0 v128.const f32x4 1.5 -0 nan inf f32x4.add
        local.get 1 v128.load offset=16 align=8 i32x4.mul
        local.get 1 local.get 0 v128.load32_lane offset=4 2
        i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
        i16x8.extract_lane_u 7 i16x8.splat
        local.get 0 local.get 0 f32x4.relaxed_madd
        i32x4.relaxed_trunc_f32x4_s
        local.get 0 i64x2.bitmask i8x16.splat i8x16.popcnt
        i8x16.swizzle))`,
  ],
  [
    'threads',
    `(module (memory 1 1 shared)
      (func (param i32) (result i32)
        local.get 0 i32.const 1 i32.atomic.rmw.add offset=4
        local.get 0 i64.const 0 i64.const 1 i64.atomic.rmw.cmpxchg drop
        atomic.fence
        local.get 0 i32.const 0 i64.const -1 memory.atomic.wait32 drop
        local.get 0 i32.const 1 memory.atomic.notify
        i32.add))`,
  ],
  [
    'exception handling (new and legacy)',
    `(module
      (tag $e (param i32)) (tag $e2)
      (func (param i32) (result i32)
        block $h (result i32 exnref)
          try_table (result i32) (catch_ref $e $h)
            local.get 0 throw $e
          end
          return
        end
        throw_ref)
      (func (result i32)
        try (result i32)
          i32.const 1 throw $e
        catch $e
        catch $e2 i32.const 2
        catch_all i32.const 3
        end
        try
          try
            throw $e2
          delegate 0
        catch_all
          rethrow 0
        end))`,
  ],
  [
    'function references and gc',
    `(module
      (type $pt (struct (field $x (mut i32)) (field $y i64)))
      (type $arr (array (mut i8)))
      (type $f (func (param i32) (result i32)))
      (data $d "\\01\\02\\03")
      (func $id (type $f) local.get 0)
      (elem declare func $id)
      (func (param (ref null $pt) anyref externref) (result i32)
        local.get 0 ref.as_non_null struct.get $pt $x
        local.get 0 br_on_null 0 struct.get $pt $y i32.wrap_i64 i32.add
        i32.const 1 i64.const 2 struct.new $pt struct.get $pt 0 i32.add
        i32.const 0 i32.const 3 array.new_data $arr $d array.len i32.add
        block $out (result (ref $pt))
          local.get 1 br_on_cast $out anyref (ref $pt) drop
          i32.const 7 ref.i31 i31.get_s
          local.get 2 any.convert_extern ref.test (ref i31) i32.add
          return
        end
        struct.get $pt $x
        ref.func $id call_ref $f
        i32.const 5 ref.func $id return_call_ref $f))`,
  ],
  [
    'stack switching',
    `(module
      (type $ft (func (param i32) (result i32)))
      (type $ct (cont $ft))
      (type $ft0 (func (result i32)))
      (type $ct0 (cont $ft0))
      (tag $yield (param i32) (result i32))
      (func $g (type $ft) local.get 0 suspend $yield)
      (elem declare func $g)
      (func (result i32)
        block $on (result i32 (ref $ct))
          i32.const 1
          ref.func $g cont.new $ct
          resume $ct (on $yield $on)
          return
        end
        drop))`,
  ],
  [
    'memory64 and multi-memory',
    `(module (memory $a i64 1) (memory $b 1)
      (func (param i64) (result i32)
        local.get 0 i32.load $a offset=0x1_0000_0000
        i32.const 0 i32.load $b offset=4
        i32.add
        memory.size $a drop
        i32.const 0 i32.const 0 i32.const 4 memory.copy $b $b))`,
  ],
  [
    'wide arithmetic',
    `(module (func (param i64 i64 i64 i64) (result i64 i64)
        local.get 0 local.get 1 local.get 2 local.get 3 i64.add128
        drop drop local.get 0 local.get 1 i64.mul_wide_s))`,
  ],
];

describe('real function bodies from WAT', () => {
  it.each(proposals)('should round-trip the bodies of %s', async (_name, wat) => {
    const ops = roundTripModule(await parse(wat));
    expect(ops.length).toBeGreaterThan(3);
  });
});

describe('fixture binaries', () => {
  it.each(fixtures.map((f) => [f.name, f.path] as const))('should round-trip every function body of %s', (_name, path) => {
    const bytes = new Uint8Array(readFileSync(path));
    let count = 0;
    for (const m of nestedCoreModules(bytes)) count += roundTripModule(m).length;
    expect(count).toBeGreaterThan(0);
  });
});

describe('large component (componentize-js, built by `node tools/fixtures/large.mjs`, which `npm test` runs first)', () => {
  it('should round-trip every function body of the StarlingMonkey component', () => {
    if (!existsSync(LARGE_COMPONENT_PATH)) throw new Error(`missing ${LARGE_COMPONENT_PATH}: run node tools/fixtures/large.mjs`);
    const bytes = new Uint8Array(readFileSync(LARGE_COMPONENT_PATH));
    let count = 0;
    for (const m of nestedCoreModules(bytes)) count += roundTripModule(m).length;
    expect(count).toBeGreaterThan(100_000);
  }, 300_000);
});
