import { print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { type DecodeError, isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { Module, ModuleSection } from './ast.js';
import { readCoreImport, readExternType, readModule, readRecGroup } from './decode.js';
import { writeCoreImport, writeExternType, writeModule, writeRecGroup } from './encode.js';

const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section with a minimal size prefix. */
function sec(id: number, ...content: number[]): number[] {
  return [id, ...leb(content.length), ...content];
}

/** A name as bytes (ASCII). */
function str(s: string): number[] {
  return [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

function mod(...sections: number[][]): Uint8Array {
  return Uint8Array.from([...PREAMBLE, ...sections.flat()]);
}

function decodeBytes(bytes: Uint8Array, instructions = false): Module {
  return readModule(new Reader(bytes, { instructions }));
}

function encodeModule(m: Module): Uint8Array {
  const w = new Writer();
  writeModule(w, m);
  return w.finish();
}

function sectionOf(m: Module, kind: string): ModuleSection {
  const s = m.sections.find((x) => x.kind === kind);
  expect(s).toBeDefined();
  return s!;
}

/** A code section of `n` empty bodies, to pair with a function section. */
function emptyBodies(n: number): number[] {
  return sec(10, n, ...Array.from({ length: n }, () => [2, 0, END]).flat());
}

const F = 0x60; // func
const I32 = 0x7f;
const END = 0x0b;
const I32_CONST_0 = [0x41, 0x00, END];

/** [name, module bytes, expected section kind, partial AST check]. */
const cases: [string, Uint8Array, string, ((s: ModuleSection) => void)?][] = [
  ['an empty module', mod(), 'none'],
  ['a bare func type', mod(sec(1, 1, F, 0, 0)), 'type', (s) => expect(s).toMatchObject({ groups: [{ rec: false, types: [{ final: true, supertypes: [], type: { kind: 'func' } }] }] })],
  ['a func type with params and results', mod(sec(1, 1, F, 2, I32, 0x7e, 1, 0x7d)), 'type'],
  ['a rec group of struct and array with packed fields', mod(sec(1, 1, 0x4e, 2, 0x5f, 2, 0x78, 0, 0x77, 1, 0x5e, 0x63, 0x00, 1)), 'type', (s) =>
    expect(s).toMatchObject({ groups: [{ rec: true, types: [{ type: { kind: 'struct', fields: [{ storage: 'i8', mutable: false }, { storage: 'i16', mutable: true }] } }, { type: { kind: 'array' } }] }] })],
  ['a rec group of one type', mod(sec(1, 1, 0x4e, 1, F, 0, 0)), 'type', (s) => expect(s).toMatchObject({ groups: [{ rec: true }] })],
  ['an empty rec group', mod(sec(1, 1, 0x4e, 0)), 'type'],
  ['sub with a supertype', mod(sec(1, 2, 0x50, 0, 0x5f, 0, 0x50, 1, 0, 0x5f, 0)), 'type', (s) => expect(s).toMatchObject({ groups: [{ types: [{ final: false }] }, { types: [{ supertypes: [0] }] }] })],
  ['sub final without supertypes (0x4f 0x00)', mod(sec(1, 1, 0x4f, 0, F, 0, 0)), 'type', (s) => expect(s).toMatchObject({ groups: [{ types: [{ final: true, prefixed: true }] }] })],
  ['shared, describes and descriptor prefixes', mod(sec(1, 1, 0x4e, 3, 0x4d, 1, 0x5f, 0, 0x65, 0x4c, 0, 0x4d, 2, 0x5f, 0, 0x50, 0, 0x4c, 1, 0x5f, 0)), 'type', (s) =>
    expect(s).toMatchObject({ groups: [{ types: [{ descriptor: 1 }, { shared: true, describes: 0, descriptor: 2 }, { final: false, describes: 1 }] }] })],
  ['a continuation type', mod(sec(1, 2, F, 0, 0, 0x5d, 0)), 'type'],
  ['reference types in params', mod(sec(1, 1, F, 4, 0x70, 0x6f, 0x64, 0x00, 0x63, 0x65, 0x6e, 0)), 'type'],
  ['a padded section size', mod([1, 0x84, 0x80, 0x80, 0x80, 0x00, 1, F, 0, 0]), 'type', (s) => expect(s.padding).toEqual([0, 5])],
  ['a padded count', mod([1, 0x05, 0x81, 0x00, F, 0, 0]), 'type', (s) => expect(s.padding).toEqual([1, 2])],
  ['a func import', mod(sec(2, 1, ...str('m'), ...str('f'), 0x00, 0)), 'import', (s) => expect(s).toMatchObject({ imports: [{ kind: 'import', module: 'm', name: 'f', type: { kind: 'func', type: 0 } }] })],
  ['an exact func import', mod(sec(2, 1, ...str('m'), ...str('f'), 0x20, 0)), 'import', (s) => expect(s).toMatchObject({ imports: [{ type: { kind: 'func', exact: true } }] })],
  ['table, memory, global and tag imports', mod(sec(2, 4, ...str('m'), ...str('t'), 1, 0x70, 0, 1, ...str('m'), ...str('M'), 2, 1, 1, 2, ...str('m'), ...str('g'), 3, I32, 1, ...str('m'), ...str('e'), 4, 0, 0)), 'import'],
  ['compact imports form 1', mod(sec(2, 1, ...str('m'), 0, 0x7f, 2, ...str('a'), 0, 0, ...str('b'), 0, 0)), 'import', (s) => expect(s).toMatchObject({ imports: [{ kind: 'import-items', module: 'm', items: [{ name: 'a' }, { name: 'b' }] }] })],
  ['compact imports form 2', mod(sec(2, 1, ...str('m'), 0, 0x7e, 0, 0, 2, ...str('a'), ...str('b'))), 'import', (s) => expect(s).toMatchObject({ imports: [{ kind: 'import-names', names: ['a', 'b'] }] })],
  ['an import with an empty name', mod(sec(2, 1, ...str('m'), 0, 0x00, 0)), 'import', (s) => expect(s).toMatchObject({ imports: [{ kind: 'import', name: '' }] })],
  ['a function section', mod(sec(3, 3, 0, 1, 0x80, 0x01), emptyBodies(3)), 'function', (s) => expect(s).toMatchObject({ types: [0, 1, 128] })],
  ['tables', mod(sec(4, 3, 0x70, 0, 1, 0x6f, 1, 1, 2, 0x64, 0x70, 0x04, 5)), 'table', (s) => expect(s).toMatchObject({ tables: [{ type: { limits: { min: 1n } } }, { type: { limits: { min: 1n, max: 2n } } }, { type: { table64: true, limits: { min: 5n } } }] })],
  ['a shared table', mod(sec(4, 1, 0x65, 0x70, 0x03, 1, 2)), 'table', (s) => expect(s).toMatchObject({ tables: [{ type: { shared: true } }] })],
  ['a table with an initialiser', mod(sec(4, 1, 0x40, 0x00, 0x64, 0x70, 0x00, 10, 0xd2, 0x00, END)), 'table', (s) => expect(s).toMatchObject({ tables: [{ init: [{ op: 'ref.func' }] }] })],
  ['memories of every flag form', mod(sec(5, 6, 0, 1, 1, 1, 2, 3, 1, 2, 4, 0x80, 0x80, 0x80, 0x80, 0x10, 7, 1, 2, 9, 1, 2, 0)), 'memory', (s) =>
    expect(s).toMatchObject({ memories: [{ limits: { min: 1n } }, { limits: { min: 1n, max: 2n } }, { shared: true }, { memory64: true, limits: { min: 1n << 32n } }, { memory64: true, shared: true }, { pageSizeLog2: 0 }] })],
  ['globals', mod(sec(6, 2, I32, 0, ...I32_CONST_0, 0x7e, 1, 0x42, 0x7f, END)), 'global', (s) => expect(s).toMatchObject({ globals: [{ type: { mutable: false } }, { type: { mutable: true }, init: [{ op: 'i64.const', value: -1n }] }] })],
  ['a shared global', mod(sec(6, 1, I32, 3, ...I32_CONST_0)), 'global', (s) => expect(s).toMatchObject({ globals: [{ type: { mutable: true, shared: true } }] })],
  ['exports of every kind', mod(sec(7, 5, ...str('f'), 0, 0, ...str('t'), 1, 0, ...str('m'), 2, 0, ...str('g'), 3, 0, ...str('e'), 4, 0)), 'export', (s) =>
    expect(s).toMatchObject({ exports: [{ sort: 'func' }, { sort: 'table' }, { sort: 'memory' }, { sort: 'global' }, { sort: 'tag' }] })],
  ['a start section', mod(sec(8, 3)), 'start', (s) => expect(s).toMatchObject({ func: 3 })],
  ['element flag 0', mod(sec(9, 1, 0, ...I32_CONST_0, 2, 0, 1)), 'element', (s) => expect(s).toMatchObject({ segments: [{ mode: { kind: 'active', table: 0, implicit: true }, items: { kind: 'functions', indices: [0, 1] } }] })],
  ['element flag 1', mod(sec(9, 1, 1, 0, 1, 0)), 'element', (s) => expect(s).toMatchObject({ segments: [{ mode: { kind: 'passive' } }] })],
  ['element flag 2', mod(sec(9, 1, 2, 1, ...I32_CONST_0, 0, 1, 0)), 'element', (s) => expect(s).toMatchObject({ segments: [{ mode: { kind: 'active', table: 1 } }] })],
  ['element flag 2 with table 0', mod(sec(9, 1, 2, 0, ...I32_CONST_0, 0, 0)), 'element'],
  ['element flag 3', mod(sec(9, 1, 3, 0, 1, 0)), 'element', (s) => expect(s).toMatchObject({ segments: [{ mode: { kind: 'declarative' } }] })],
  ['element flag 4', mod(sec(9, 1, 4, ...I32_CONST_0, 2, 0xd2, 0, END, 0xd0, 0x70, END)), 'element', (s) => expect(s).toMatchObject({ segments: [{ items: { kind: 'expressions', exprs: [[{ op: 'ref.func' }], [{ op: 'ref.null' }]] } }] })],
  ['element flag 5', mod(sec(9, 1, 5, 0x70, 1, 0xd2, 0, END)), 'element'],
  ['element flag 6', mod(sec(9, 1, 6, 2, ...I32_CONST_0, 0x64, 0x70, 1, 0xd2, 0, END)), 'element'],
  ['element flag 6 with table 0 and funcref', mod(sec(9, 1, 6, 0, ...I32_CONST_0, 0x70, 0)), 'element'],
  ['element flag 7', mod(sec(9, 1, 7, 0x6f, 1, 0xd0, 0x6f, END)), 'element'],
  ['code with locals', mod(sec(3, 2, 0, 0), sec(10, 2, 2, 0, END, 6, 2, 1, I32, 2, 0x7e, END)), 'code', (s) =>
    expect(s).toMatchObject({ bodies: [{ locals: [], code: Uint8Array.of(END) }, { locals: [{ count: 1, type: 'i32' }, { count: 2, type: 'i64' }] }] })],
  ['code with a padded body size', mod(sec(3, 1, 0), sec(10, 1, 0x83, 0x00, 0x80, 0x00, END)), 'code', (s) => expect(s).toMatchObject({ bodies: [{ padding: [0, 2, 1, 2] }] })],
  ['code with padded instruction immediates', mod(sec(3, 1, 0), sec(10, 1, 8, 0, 0x41, 0x85, 0x00, 0x20, 0x80, 0x00, END)), 'code'],
  ['a global initialiser with a padded constant', mod(sec(6, 1, I32, 0, 0x41, 0x80, 0x80, 0x00, END)), 'global', (s) => expect(s.padding).toEqual([2, 3])],
  ['an element offset and indices with padding', mod(sec(9, 1, 0x80, 0x00, 0x41, 0x81, 0x00, END, 0x81, 0x00, 0x82, 0x00)), 'element', (s) => expect(s.padding).toEqual([2, 2, 3, 2, 4, 2, 5, 2])],
  ['data of every flag form', mod(sec(11, 3, 0, ...I32_CONST_0, 2, 0xaa, 0xbb, 1, 1, 0xcc, 2, 1, ...I32_CONST_0, 0)), 'data', (s) =>
    expect(s).toMatchObject({ segments: [{ mode: { kind: 'active', memory: 0, implicit: true } }, { mode: { kind: 'passive' } }, { mode: { kind: 'active', memory: 1 } }] })],
  ['data flag 2 with memory 0', mod(sec(11, 1, 2, 0, ...I32_CONST_0, 0)), 'data'],
  ['a data count section', mod(sec(12, 2), sec(11, 2, 1, 0, 1, 0)), 'data-count', (s) => expect(s).toMatchObject({ count: 2 })],
  ['a zero data count without a data section', mod(sec(12, 0)), 'data-count'],
  ['a tag section', mod(sec(13, 2, 0, 0, 0, 1)), 'tag', (s) => expect(s).toMatchObject({ tags: [{ type: 0 }, { type: 1 }] })],
  ['a custom section', mod(sec(0, ...str('foo'), 1, 2, 3)), 'custom', (s) => expect(s).toMatchObject({ name: 'foo', data: Uint8Array.of(1, 2, 3) })],
  ['an empty custom section', mod(sec(0, ...str(''))), 'custom'],
  ['a name section', mod(sec(0, ...str('name'), 0, 2, ...str('m'), 1, 4, 1, 0, ...str('f'))), 'name', (s) => expect(s).toMatchObject({ names: { subsections: [{ kind: 'module', name: 'm' }, { kind: 'function' }] } })],
  ['a broken name section kept raw', mod(sec(0, ...str('name'), 1, 9, 1)), 'custom'],
  ['a name section with a padded size kept decoded', mod(sec(0, ...str('name'), 0, 0x82, 0x00, ...str('m'))), 'name'],
  ['an unknown section id', mod(sec(14, 1, 2)), 'unknown', (s) => expect(s).toMatchObject({ id: 14, data: Uint8Array.of(1, 2) })],
];

describe('core module codec', () => {
  it.each(cases)('should round-trip %s', (_name, bytes, kind, check) => {
    const m = decodeBytes(bytes);
    if (kind === 'none') expect(m.sections).toHaveLength(0);
    else {
      const s = sectionOf(m, kind);
      check?.(s);
    }
    expect(encodeModule(m)).toEqual(bytes);
  });

  it.each(cases)('should round-trip %s with instructions decoded', (_name, bytes) => {
    const m = decodeBytes(bytes, true);
    expect(encodeModule(m)).toEqual(bytes);
  });

  it('should decode function bodies into instructions when asked', () => {
    const bytes = mod(sec(3, 1, 0), sec(10, 1, 4, 0, 0x41, 0x05, END));
    const m = decodeBytes(bytes, true);
    expect(m.sections[1]).toMatchObject({ kind: 'code', bodies: [{ instructions: [{ op: 'i32.const', value: 5 }] }] });
  });

  it('should keep sections in input order, with custom and unknown sections anywhere', () => {
    const bytes = mod(sec(0, ...str('a')), sec(1, 0), sec(20, 9), sec(3, 0), sec(0, ...str('b')), sec(12, 0), sec(10, 0));
    const m = decodeBytes(bytes);
    expect(m.sections.map((s) => s.kind)).toEqual(['custom', 'type', 'unknown', 'function', 'custom', 'data-count', 'code']);
    expect(m.sections.map((s) => s.offset)).toEqual([8, 12, 15, 18, 21, 25, 28]);
    expect(encodeModule(m)).toEqual(bytes);
  });

  const bad: [string, Uint8Array][] = [
    ['a wrong magic', Uint8Array.of(0, 0x61, 0x73, 0x6e, 1, 0, 0, 0)],
    ['a wrong version', Uint8Array.of(0, 0x61, 0x73, 0x6d, 2, 0, 0, 0)],
    ['a truncated preamble', Uint8Array.of(0, 0x61, 0x73)],
    ['a section larger than the input', mod([1, 10, 0])],
    ['trailing bytes in a section', mod(sec(1, 0, 0))],
    ['an unknown composite type', mod(sec(1, 1, 0x55))],
    ['a bad field mutability', mod(sec(1, 1, 0x5e, I32, 2))],
    ['a bad import kind', mod(sec(2, 1, ...str('m'), ...str('f'), 5, 0))],
    ['bad table flags', mod(sec(4, 1, 0x70, 8, 0))],
    ['a bad table-with-init prefix', mod(sec(4, 1, 0x40, 1, 0x70, 0, 0, END))],
    ['bad memory flags', mod(sec(5, 1, 0x10, 0))],
    ['bad global flags', mod(sec(6, 1, I32, 4, ...I32_CONST_0))],
    ['a bad export kind', mod(sec(7, 1, ...str('f'), 5, 0))],
    ['an exact-function export', mod(sec(7, 1, ...str('f'), 0x20, 0))],
    ['two supertypes', mod(sec(1, 1, 0x50, 2, 0, 1, 0x5f, 0))],
    ['element flags above 7', mod(sec(9, 1, 8))],
    ['a bad element kind', mod(sec(9, 1, 1, 1, 0))],
    ['data flags above 2', mod(sec(11, 1, 3))],
    ['a bad tag attribute', mod(sec(13, 1, 1, 0))],
    ['a huge count', mod(sec(3, 0xff, 0xff, 0xff, 0xff, 0x0f))],
    ['a function body past its section', mod(sec(3, 1, 0), sec(10, 1, 5, 0, END))],
    ['sections out of order', mod(sec(3, 0), sec(1, 0))],
    ['a repeated section', mod(sec(1, 0), sec(1, 0))],
    ['a tag section after the global section', mod(sec(6, 0), sec(13, 0))],
    ['a code section after the data section', mod(sec(11, 0), sec(10, 0))],
    ['functions without a code section', mod(sec(3, 1, 0))],
    ['a code section without functions', mod(emptyBodies(1))],
    ['function and code sections of different lengths', mod(sec(3, 2, 0, 0), emptyBodies(1))],
    ['a data count without data', mod(sec(12, 1))],
    ['a data count different from the data', mod(sec(12, 2), sec(11, 1, 1, 0))],
    ['a section id with the high bit set', mod(sec(0x80, 0))],
    ['a second preamble', Uint8Array.from([...PREAMBLE, ...PREAMBLE])],
    ['invalid UTF-8 in an import name', mod(sec(2, 1, 1, 0xff, 0, 0, 0))],
  ];

  it.each(bad)('should reject %s with a DecodeError', (_name, bytes) => {
    let err: unknown;
    try {
      decodeBytes(bytes, true);
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
  });

  it('should reject a function body with instructions past its end when decoding instructions', () => {
    const bytes = mod(sec(3, 1, 0), sec(10, 1, 3, 0, END, 0x01));
    expect(encodeModule(decodeBytes(bytes))).toEqual(bytes);
    expect(() => decodeBytes(bytes, true)).toThrow(/function body/);
  });
});

describe('modules inside a larger input', () => {
  it('should read a module confined to a region and report absolute offsets', () => {
    const inner = mod(sec(1, 1, F, 0, 0));
    const outer = Uint8Array.from([0xee, 0xee, ...inner, 0xff]);
    const r = new Reader(outer, undefined, 2, 2 + inner.length);
    const m = readModule(r);
    expect(r.pos).toBe(2 + inner.length);
    expect(m.sections[0]?.offset).toBe(10);
    expect(encodeModule(m)).toEqual(inner);
  });
});

describe('table and memory limits (u64 LEB128s for 32-bit and 64-bit limits, as wasmparser reads them)', () => {
  const PAD6_ZERO = [0x80, 0x80, 0x80, 0x80, 0x80, 0x00]; // 0, padded to 6 bytes
  const PAD10_ZERO = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]; // 0, padded to 10 bytes
  const TWO_POW_32 = [0x80, 0x80, 0x80, 0x80, 0x10];
  const U64_MAX = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
  const memory = (...t: number[]): Uint8Array => mod(sec(5, 1, ...t));
  const table = (...t: number[]): Uint8Array => mod(sec(4, 1, 0x70, ...t));
  const cases: [string, Uint8Array, string, { min: bigint; max?: bigint }][] = [
    ['a 32-bit memory whose minimum is a padded 6-byte LEB128', memory(0, ...PAD6_ZERO), 'memory', { min: 0n }],
    ['a 32-bit memory whose minimum is a padded 10-byte LEB128', memory(0, ...PAD10_ZERO), 'memory', { min: 0n }],
    ['a 32-bit memory whose maximum is a padded 6-byte LEB128', memory(1, 0, ...PAD6_ZERO), 'memory', { min: 0n, max: 0n }],
    ['a 32-bit memory with a minimum of 2^32 (a validation error only)', memory(0, ...TWO_POW_32), 'memory', { min: 1n << 32n }],
    ['a 32-bit memory with a u64::MAX maximum (a validation error only)', memory(1, 0, ...U64_MAX), 'memory', { min: 0n, max: (1n << 64n) - 1n }],
    ['a 64-bit memory whose minimum is a padded 10-byte LEB128', memory(4, ...PAD10_ZERO), 'memory', { min: 0n }],
    ['a 32-bit table whose minimum is a padded 6-byte LEB128', table(0, ...PAD6_ZERO), 'table', { min: 0n }],
    ['a 32-bit table whose maximum is a padded 10-byte LEB128', table(1, 0, ...PAD10_ZERO), 'table', { min: 0n, max: 0n }],
    ['a 32-bit table with a minimum of 2^32 (a validation error only)', table(0, ...TWO_POW_32), 'table', { min: 1n << 32n }],
    ['a 64-bit table whose minimum is a padded 10-byte LEB128', table(4, ...PAD10_ZERO), 'table', { min: 0n }],
  ];

  it.each(cases)('should decode and re-encode byte for byte %s', (_name, bytes, kind, limits) => {
    const m = decodeBytes(bytes);
    const s = sectionOf(m, kind) as { memories?: { limits: unknown }[]; tables?: { type: { limits: unknown } }[] };
    expect(kind === 'memory' ? s.memories![0]!.limits : s.tables![0]!.type.limits).toEqual(limits);
    expect(encodeModule(m)).toEqual(bytes);
  });

  it.each(cases)('should agree with wasm-tools 0.254, which parses %s', async (_name, bytes) => {
    await expect(print(bytes)).resolves.toContain(_name.includes('table') ? '(table' : '(memory');
  });

  const bad: [string, Uint8Array, number][] = [
    ['a 32-bit memory minimum of 11 LEB128 bytes', memory(0, 0x80, ...PAD10_ZERO), 12],
    ['a 32-bit table minimum of 11 LEB128 bytes', table(0, 0x80, ...PAD10_ZERO), 13],
    ['a 32-bit memory minimum above u64::MAX', memory(0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02), 21],
  ];
  it.each(bad)('should reject %s, as wasm-tools does, with a malformed DecodeError', async (_name, bytes, offset) => {
    let err: unknown;
    try {
      decodeBytes(bytes);
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
    expect((err as DecodeError).code).toBe('malformed');
    expect((err as DecodeError).offset).toBe(offset);
    await expect(print(bytes)).rejects.toThrow();
  });

  it('should refuse to encode a limit that does not fit a u64', () => {
    const m = decodeBytes(memory(0, 0));
    const s = sectionOf(m, 'memory') as unknown as { memories: { limits: { min: bigint } }[] };
    s.memories[0]!.limits.min = 1n << 64n;
    expect(() => encodeModule(m)).toThrow(/u64/);
  });
});

describe('parts shared with the component codec', () => {
  const groups: [string, number[]][] = [
    ['bare func', [F, 1, I32, 0]],
    ['rec', [0x4e, 2, F, 0, 0, 0x5f, 0]],
    ['sub final with supertype', [0x4f, 1, 3, 0x5e, 0x78, 1]],
  ];
  it.each(groups)('should round-trip the rec group %s', (_n, bytes) => {
    const r = new Reader(Uint8Array.from(bytes));
    const g = readRecGroup(r);
    expect(r.atEnd()).toBe(true);
    const w = new Writer();
    writeRecGroup(w, g);
    expect(w.finish()).toEqual(Uint8Array.from(bytes));
  });

  const externs: [string, number[]][] = [
    ['func', [0, 7]],
    ['exact func', [0x20, 7]],
    ['table', [1, 0x70, 1, 0, 4]],
    ['memory', [2, 0, 1]],
    ['global', [3, 0x7c, 1]],
    ['tag', [4, 0, 2]],
  ];
  it.each(externs)('should round-trip the extern type %s', (_n, bytes) => {
    const r = new Reader(Uint8Array.from(bytes));
    const t = readExternType(r);
    expect(r.atEnd()).toBe(true);
    const w = new Writer();
    writeExternType(w, t);
    expect(w.finish()).toEqual(Uint8Array.from(bytes));
  });

  it('should round-trip a core import', () => {
    const bytes = Uint8Array.from([...str('env'), ...str('memory'), 2, 1, 1, 2]);
    const r = new Reader(bytes);
    const i = readCoreImport(r);
    expect(i).toEqual({ kind: 'import', module: 'env', name: 'memory', type: { kind: 'memory', memory64: false, shared: false, limits: { min: 1n, max: 2n } } });
    const w = new Writer();
    writeCoreImport(w, i);
    expect(w.finish()).toEqual(bytes);
  });
});

describe('hostile input', () => {
  it('should throw only DecodeErrors on every truncation and single-byte change of a rich module', () => {
    const bytes = mod(
      sec(1, 2, 0x4e, 2, 0x5f, 1, 0x78, 1, 0x50, 1, 0, 0x5f, 0, F, 1, I32, 0),
      sec(2, 1, ...str('m'), ...str('f'), 0, 1),
      sec(3, 1, 1),
      sec(4, 1, 0x40, 0, 0x70, 0, 1, 0xd0, 0x70, END),
      sec(5, 1, 1, 1, 2),
      sec(6, 1, I32, 1, ...I32_CONST_0),
      sec(7, 1, ...str('e'), 0, 1),
      sec(9, 1, 6, 0, ...I32_CONST_0, 0x70, 1, 0xd2, 1, END),
      sec(10, 1, 6, 1, 1, I32, 0x20, 0, END),
      sec(11, 1, 0, ...I32_CONST_0, 1, 7),
      sec(0, ...str('name'), 1, 4, 1, 1, ...str('g')),
    );
    expect(encodeModule(decodeBytes(bytes, true))).toEqual(bytes);
    const check = (b: Uint8Array): void => {
      for (const instructions of [false, true]) {
        try {
          const m = decodeBytes(b, instructions);
          expect(encodeModule(m)).toEqual(b);
        } catch (e) {
          if (!isDecodeError(e)) throw e;
        }
      }
    };
    for (let n = 0; n < bytes.length; n++) check(bytes.subarray(0, n));
    for (let i = 8; i < bytes.length; i++) {
      for (const v of [0x00, 0x01, 0x7f, 0x80, 0xff, bytes[i]! ^ 0x40]) {
        const b = bytes.slice();
        b[i] = v;
        check(b);
      }
    }
  });
});

describe('interfaceOnly', () => {
  const FUNC_TYPE = sec(1, 1, 0x60, 0, 0);
  const ONE_FUNC = sec(3, 1, 0);
  const BODY = sec(10, 1, 2, 0, END);
  const DATA = sec(11, 1, 1, 2, 0xab, 0xcd);
  const decodeLean = (bytes: Uint8Array): Module => readModule(new Reader(bytes, { interfaceOnly: true }));
  const roundTrip = (m: Module): Uint8Array => {
    const w = new Writer();
    writeModule(w, m);
    return w.finish();
  };

  it.each([
    ['code', mod(FUNC_TYPE, ONE_FUNC, BODY), 10, 1],
    ['data', mod(DATA), 11, 1],
    ['padded code size and count', mod(FUNC_TYPE, ONE_FUNC, [10, 0x85, 0x80, 0x00, 0x81, 0x00, 2, 0, END]), 10, 1],
  ] as const)('should keep the %s section raw with its count and give the same bytes back', (_, bytes, id, count) => {
    const m = decodeLean(bytes);
    const raw = m.sections.find((s) => s.kind === 'raw');
    expect(raw).toMatchObject({ kind: 'raw', id, count });
    expect(roundTrip(m)).toEqual(bytes);
  });

  it('should keep a name section as a plain custom section', () => {
    const bytes = mod(sec(0, ...str('name'), 1, 4, 1, 0, ...str('f')));
    expect(decodeLean(bytes).sections[0]).toMatchObject({ kind: 'custom', name: 'name' });
    expect(readModule(new Reader(bytes)).sections[0]).toMatchObject({ kind: 'name' });
  });

  it.each([
    ['a function without a body', mod(FUNC_TYPE, ONE_FUNC, sec(10, 0)), 'function and code sections'],
    ['a data count that does not match', mod(sec(12, 2), DATA), 'data count'],
    ['code after the data section', mod(FUNC_TYPE, ONE_FUNC, DATA, BODY), 'in order'],
    ['a count larger than the section', mod(FUNC_TYPE, ONE_FUNC, sec(10, 9)), 'function bodies'],
  ])('should still reject %s', (_, bytes, message) => {
    expect(() => decodeLean(bytes)).toThrow(message);
  });
});
