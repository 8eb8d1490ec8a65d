import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { type DecodeError, isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { RecGroup } from '../core/ast.js';
import { readAlias, writeAlias } from './alias.js';
import { readExternDesc, readExternName, readSort, writeExternDesc, writeExternName, writeSort } from './externs.js';
import { type CoreTypeDef, type TypeDef, readCoreTypeDef, readTypeDef, writeCoreTypeDef, writeTypeDef } from './types.js';
import { arbAlias, arbCoreTypeDef, arbExternDesc, arbExternName, arbTypeDef } from './testing/arbitraries-types.js';
import type { Alias } from './alias.js';
import type { ExternDesc, ExternName } from './externs.js';

/**
 * Bytes from a compact spec: hex bytes separated by spaces, and `"text"`
 * tokens that become a `name` (u32 length + UTF-8).
 */
function bin(spec: string): Uint8Array {
  const out: number[] = [];
  for (const tok of spec.match(/"[^"]*"|\S+/g) ?? []) {
    if (tok.startsWith('"')) {
      const b = new TextEncoder().encode(tok.slice(1, -1));
      out.push(b.length, ...b);
    } else out.push(parseInt(tok, 16));
  }
  return new Uint8Array(out);
}

/** Read one item in its own padding scope, check all bytes were used, write it back and compare. */
function roundTrip<T>(bytes: Uint8Array, read: (r: Reader) => T, write: (w: Writer, v: T) => void): T {
  const r = new Reader(bytes);
  const m = r.beginPadding();
  const value = read(r);
  const padding = r.endPadding(m);
  expect(r.pos).toBe(bytes.length);
  const w = new Writer();
  const wm = w.beginPadding(padding);
  write(w, value);
  w.endPadding(wm);
  expect(w.finish()).toEqual(bytes);
  return value;
}

function decodeError(bytes: Uint8Array, read: (r: Reader) => unknown, options?: { maxDepth?: number }): DecodeError {
  try {
    read(new Reader(bytes, options));
  } catch (e) {
    expect(isDecodeError(e)).toBe(true);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

const funcGroup = (params: ('i32' | 'i64')[], results: ('i32' | 'i64')[]): RecGroup => ({
  kind: 'rec',
  rec: false,
  types: [{ kind: 'sub', final: true, supertypes: [], shared: false, type: { kind: 'func', params, results } }],
});

describe('readTypeDef / writeTypeDef', () => {
  const cases: [string, string, TypeDef][] = [
    ['bool', '7f', { kind: 'primitive', type: 'bool' }],
    ['s8', '7e', { kind: 'primitive', type: 's8' }],
    ['u8', '7d', { kind: 'primitive', type: 'u8' }],
    ['s16', '7c', { kind: 'primitive', type: 's16' }],
    ['u16', '7b', { kind: 'primitive', type: 'u16' }],
    ['s32', '7a', { kind: 'primitive', type: 's32' }],
    ['u32', '79', { kind: 'primitive', type: 'u32' }],
    ['s64', '78', { kind: 'primitive', type: 's64' }],
    ['u64', '77', { kind: 'primitive', type: 'u64' }],
    ['f32', '76', { kind: 'primitive', type: 'f32' }],
    ['f64', '75', { kind: 'primitive', type: 'f64' }],
    ['char', '74', { kind: 'primitive', type: 'char' }],
    ['string', '73', { kind: 'primitive', type: 'string' }],
    ['error-context', '64', { kind: 'primitive', type: 'error-context' }],
    [
      'record',
      '72 02 "a" 7f "b" 05',
      { kind: 'record', fields: [{ name: 'a', type: 'bool' }, { name: 'b', type: { kind: 'index', index: 5 } }] },
    ],
    ['variant', '71 02 "x" 01 7e 00 "y" 00 00', { kind: 'variant', cases: [{ name: 'x', type: 's8' }, { name: 'y' }] }],
    ['list', '70 7b', { kind: 'list', element: 'u16' }],
    ['list of type index 63', '70 3f', { kind: 'list', element: { kind: 'index', index: 63 } }],
    ['list of type index 64 (two-byte s33)', '70 c0 00', { kind: 'list', element: { kind: 'index', index: 64 } }],
    ['list of a padded type index', '70 80 80 00', { kind: 'list', element: { kind: 'index', index: 0 } }],
    ['fixed-length list', '67 7d 03', { kind: 'fixed-length-list', element: 'u8', length: 3 }],
    ['fixed-length list with a padded length', '67 7d 83 00', { kind: 'fixed-length-list', element: 'u8', length: 3 }],
    ['tuple', '6f 02 7c 79', { kind: 'tuple', types: ['s16', 'u32'] }],
    ['flags', '6e 02 "f1" "f2"', { kind: 'flags', names: ['f1', 'f2'] }],
    ['enum', '6d 02 "e1" "e2"', { kind: 'enum', names: ['e1', 'e2'] }],
    ['option', '6b 7a', { kind: 'option', type: 's32' }],
    ['result with neither', '6a 00 00', { kind: 'result' }],
    ['result with ok', '6a 01 77 00', { kind: 'result', ok: 'u64' }],
    ['result with err', '6a 00 01 78', { kind: 'result', err: 's64' }],
    ['result with both', '6a 01 76 01 75', { kind: 'result', ok: 'f32', err: 'f64' }],
    ['own', '69 00', { kind: 'own', type: 0 }],
    ['borrow', '68 81 01', { kind: 'borrow', type: 129 }],
    ['stream with element', '66 01 7d', { kind: 'stream', element: 'u8' }],
    ['stream without element', '66 00', { kind: 'stream' }],
    ['future with payload', '65 01 73', { kind: 'future', element: 'string' }],
    ['future without payload', '65 00', { kind: 'future' }],
    ['map', '63 73 79', { kind: 'map', key: 'string', value: 'u32' }],
    ['resource without dtor', '3f 7f 00', { kind: 'resource', rep: 'i32' }],
    ['resource with dtor', '3f 7f 01 01', { kind: 'resource', rep: 'i32', dtor: 1 }],
    ['resource with i64 rep', '3f 7e 00', { kind: 'resource', rep: 'i64' }],
    ['func with no params and no result', '40 00 01 00', { kind: 'func', async: false, params: [] }],
    ['func with a param and a result', '40 01 "p" 7f 00 79', { kind: 'func', async: false, params: [{ name: 'p', type: 'bool' }], result: 'u32' }],
    ['async func', '43 00 01 00', { kind: 'func', async: true, params: [] }],
    ['async func with result', '43 01 "a" 73 00 02', { kind: 'func', async: true, params: [{ name: 'a', type: 'string' }], result: { kind: 'index', index: 2 } }],
    ['empty component type', '41 00', { kind: 'component', decls: [] }],
    ['empty instance type', '42 00', { kind: 'instance', decls: [] }],
    [
      'component type with every declarator',
      '41 06 00 60 00 00 01 73 02 03 02 01 00 03 00 "a" 03 00 00 04 02 "b" 01 00 "a:b/c" 05 00 01 40 00 01 00',
      {
        kind: 'component',
        decls: [
          { kind: 'core-type', type: { kind: 'rec', group: funcGroup([], []) } },
          { kind: 'type', type: { kind: 'primitive', type: 'string' } },
          { kind: 'alias', alias: { kind: 'outer', sort: 'type', count: 1, index: 0 } },
          { kind: 'import', name: { form: 'plain', name: 'a' }, desc: { kind: 'type', bound: { kind: 'eq', type: 0 } } },
          {
            kind: 'export',
            name: { form: 'attributes', name: 'b', attributes: [{ kind: 'implements', value: 'a:b/c' }] },
            desc: { kind: 'instance', type: 0 },
          },
          { kind: 'type', type: { kind: 'func', async: false, params: [] } },
        ],
      },
    ],
    [
      'instance type with core type, alias and exports',
      '42 03 00 60 00 00 02 03 02 01 00 04 00 "t" 03 01',
      {
        kind: 'instance',
        decls: [
          { kind: 'core-type', type: { kind: 'rec', group: funcGroup([], []) } },
          { kind: 'alias', alias: { kind: 'outer', sort: 'type', count: 1, index: 0 } },
          { kind: 'export', name: { form: 'plain', name: 't' }, desc: { kind: 'type', bound: { kind: 'sub-resource' } } },
        ],
      },
    ],
    [
      'nested instance type inside a component type',
      '41 01 01 42 01 01 73',
      { kind: 'component', decls: [{ kind: 'type', type: { kind: 'instance', decls: [{ kind: 'type', type: { kind: 'primitive', type: 'string' } }] } }] },
    ],
  ];

  it.each(cases)('should decode and re-encode %s', (_name, spec, expected) => {
    const t = roundTrip(bin(spec), readTypeDef, writeTypeDef);
    expect(t).toEqual(expected);
  });

  const bad: [string, string, string][] = [
    ['a variant case with the removed refines form', '71 01 "c" 00 01 00', 'malformed'],
    ['a variant case with a bad payload flag', '71 01 "c" 02', 'malformed'],
    ['unallocated type code 0x62', '62', 'malformed'],
    ['unallocated type code 0x44', '44', 'malformed'],
    ['the removed 0x3e resource form', '3e 7f 00', 'malformed'],
    ['the removed 0x6c union', '6c 01 7f', 'malformed'],
    ['result list 0x01 not followed by 0x00', '40 00 01 01', 'malformed'],
    ['result list 0x02', '40 00 02 00', 'malformed'],
    ['a negative s33 as a value type', '70 40', 'malformed'],
    ['a resource dtor flag 0x02', '3f 7f 02', 'malformed'],
    ['a result flag 0x02', '6a 02', 'malformed'],
    ['an instance type declarator 0x03 (import)', '42 01 03 00 "a" 03 01', 'malformed'],
    ['a component type declarator 0x05', '41 01 05 73', 'malformed'],
    ['a count past the end', '72 bf 84 3d 01', 'unexpected-end'],
    ['truncated record', '72 01 "a"', 'unexpected-end'],
    ['empty input', '', 'unexpected-end'],
    ['truncated name', '6e 01 05 61', 'unexpected-end'],
    ['invalid UTF-8 in a name', '6e 01 02 ff fe', 'malformed'],
  ];
  it.each(bad)('should reject %s with a typed error', (_name, spec, code) => {
    expect(decodeError(bin(spec), readTypeDef).code).toBe(code);
  });

  it('should stop nesting at maxDepth with a limit error', () => {
    const depth = 20;
    const spec = `${'41 01 01 '.repeat(depth)}73`;
    expect(decodeError(bin(spec), readTypeDef, { maxDepth: 10 }).code).toBe('limit');
    // Within the limit the same shape decodes and round-trips.
    roundTrip(bin(`${'41 01 01 '.repeat(5)}73`), readTypeDef, writeTypeDef);
  });

  it('should refuse a negative or too large value type index when encoding', () => {
    for (const index of [-1, -64, 2 ** 32, 1.5]) {
      expect(() => writeTypeDef(new Writer(), { kind: 'list', element: { kind: 'index', index } })).toThrow(/type index/);
    }
  });

  it('should reject an unknown node kind when encoding', () => {
    expect(() => writeTypeDef(new Writer(), { kind: 'nope' } as unknown as TypeDef)).toThrow(/unknown component type/);
  });
});

describe('readCoreTypeDef / writeCoreTypeDef', () => {
  const cases: [string, string, CoreTypeDef][] = [
    ['a core function type', '60 01 7f 01 7e', { kind: 'rec', group: funcGroup(['i32'], ['i64']) }],
    [
      'a 0x00-prefixed non-final sub type',
      '00 50 00 60 00 00',
      { kind: 'rec', group: { kind: 'rec', rec: false, types: [{ kind: 'sub', final: false, supertypes: [], shared: false, type: { kind: 'func', params: [], results: [] } }] } },
    ],
    [
      'a rec group',
      '4e 02 60 00 00 5f 01 7f 00',
      {
        kind: 'rec',
        group: {
          kind: 'rec',
          rec: true,
          types: [
            { kind: 'sub', final: true, supertypes: [], shared: false, type: { kind: 'func', params: [], results: [] } },
            { kind: 'sub', final: true, supertypes: [], shared: false, type: { kind: 'struct', fields: [{ storage: 'i32', mutable: false }] } },
          ],
        },
      },
    ],
    ['an empty module type', '50 00', { kind: 'module', decls: [] }],
    [
      'a module type with every declarator',
      '50 05 01 60 00 00 00 "a" "b" 00 00 02 10 01 01 00 03 "e" 00 00 03 "m" 02 00 01',
      {
        kind: 'module',
        decls: [
          { kind: 'type', type: { kind: 'rec', group: funcGroup([], []) } },
          { kind: 'import', import: { kind: 'import', module: 'a', name: 'b', type: { kind: 'func', type: 0 } } },
          { kind: 'alias', count: 1, index: 0 },
          { kind: 'export', name: 'e', type: { kind: 'func', type: 0 } },
          { kind: 'export', name: 'm', type: { kind: 'memory', memory64: false, shared: false, limits: { min: 1n } } },
        ],
      },
    ],
    [
      'a module type declaring a 0x00-prefixed non-final sub type (the same core:type production as the section)',
      '50 01 01 00 50 00 60 00 00',
      {
        kind: 'module',
        decls: [
          {
            kind: 'type',
            type: { kind: 'rec', group: { kind: 'rec', rec: false, types: [{ kind: 'sub', final: false, supertypes: [], shared: false, type: { kind: 'func', params: [], results: [] } }] } },
          },
        ],
      },
    ],
    [
      'a nested core module type in a module type declarator (binary.wast case 89: well-formed, invalid)',
      '50 02 01 50 00 01 60 00 00',
      {
        kind: 'module',
        decls: [
          { kind: 'type', type: { kind: 'module', decls: [] } },
          { kind: 'type', type: { kind: 'rec', group: funcGroup([], []) } },
        ],
      },
    ],
    [
      'a twice-nested core module type',
      '50 01 01 50 01 01 50 01 02 10 01 01 00',
      {
        kind: 'module',
        decls: [{ kind: 'type', type: { kind: 'module', decls: [{ kind: 'type', type: { kind: 'module', decls: [{ kind: 'alias', count: 1, index: 0 }] } }] } }],
      },
    ],
  ];
  it.each(cases)('should decode and re-encode %s', (_name, spec, expected) => {
    expect(roundTrip(bin(spec), readCoreTypeDef, writeCoreTypeDef)).toEqual(expected);
  });

  const bad: [string, string, string][] = [
    ['a 0x00 prefix not followed by 0x50', '00 60 00 00', 'malformed'],
    ['a module declarator 0x04', '50 01 04 60 00 00', 'malformed'],
    ['a module alias sort other than type', '50 01 02 00 01 01 00', 'malformed'],
    ['a module alias target other than outer', '50 01 02 10 00 01 00', 'malformed'],
    ['a compact import in a module type', '50 01 00 "a" 00 7f 01 "b" 00 00', 'malformed'],
    ['a truncated module type', '50 02 01 60 00 00', 'unexpected-end'],
    // wasm-tools 0.254 writes a non-final sub in a module type as a bare 0x50; by the
    // spec grammar that is a nested module type, here followed by a stray 0x60.
    ['a bare 0x50 sub in a module type declarator (read as a nested module type)', '50 02 01 50 00 60 00 00 01 60 00 00', 'malformed'],
    ['a 0x00 prefix not followed by 0x50 in a module type declarator', '50 01 01 00 60 00 00', 'malformed'],
  ];
  it.each(bad)('should reject %s with a typed error', (_name, spec, code) => {
    expect(decodeError(bin(spec), readCoreTypeDef).code).toBe(code);
  });

  it('should bound the nesting depth of module types in module type declarators', () => {
    const depth = 40;
    const bytes = bin('50 01 01 '.repeat(depth) + '50 00');
    expect(decodeError(bytes, readCoreTypeDef, { maxDepth: 8 }).code).toBe('limit');
  });
});

// ---------------------------------------------------------------------------
// Real bytes from wasm-tools
// ---------------------------------------------------------------------------

/**
 * Walk a component's sections and, for each section this module's readers
 * cover (core type 3, alias 6, type 7, import 10, export 11), decode every
 * entry, re-encode the section and compare it with the input byte for byte.
 * Nested components (section 4) are walked recursively. Returns the decoded
 * entries for further checks.
 */
function checkSections(bytes: Uint8Array, start = 0, end = bytes.length, found: Record<number, unknown[]> = {}): Record<number, unknown[]> {
  const r = new Reader(bytes, undefined, start, end);
  r.bytesN(8, 'preamble');
  while (!r.atEnd()) {
    const sectionStart = r.pos;
    const id = r.u8('section id');
    const m = r.beginPadding();
    const size = r.u32('section size');
    const contentStart = r.pos;
    const saved = r.enter(size, 'section');
    if (id === 4) {
      r.endPadding(m);
      checkSections(bytes, contentStart, contentStart + size, found);
      r.pos = contentStart + size;
      r.leave(saved, 'section');
      continue;
    }
    const entry = entryCodec(id);
    if (entry === undefined) {
      r.endPadding(m);
      r.pos = contentStart + size;
      r.leave(saved, 'section');
      continue;
    }
    const n = r.count('entries');
    const items: unknown[] = [];
    for (let i = 0; i < n; i++) items.push(entry.read(r));
    r.leave(saved, 'section');
    const padding = r.endPadding(m);
    (found[id] ??= []).push(...items);

    const w = new Writer();
    w.u8(id);
    const wm = w.beginPadding(padding);
    const len = w.beginLength();
    w.u32(items.length);
    for (const it of items) entry.write(w, it);
    w.endLength(len);
    w.endPadding(wm);
    expect(w.finish()).toEqual(bytes.subarray(sectionStart, contentStart + size));
  }
  return found;
}

interface Codec {
  read(r: Reader): unknown;
  write(w: Writer, v: unknown): void;
}

function entryCodec(id: number): Codec | undefined {
  switch (id) {
    case 3:
      return { read: readCoreTypeDef, write: (w, v) => writeCoreTypeDef(w, v as CoreTypeDef) };
    case 6:
      return { read: readAlias, write: (w, v) => writeAlias(w, v as ReturnType<typeof readAlias>) };
    case 7:
      return { read: readTypeDef, write: (w, v) => writeTypeDef(w, v as TypeDef) };
    case 10:
      return {
        read: (r) => ({ name: readExternName(r), desc: readExternDesc(r) }),
        write: (w, v) => {
          const i = v as { name: ReturnType<typeof readExternName>; desc: ReturnType<typeof readExternDesc> };
          writeExternName(w, i.name);
          writeExternDesc(w, i.desc);
        },
      };
    case 11:
      return {
        read: (r) => {
          const name = readExternName(r);
          const sort = readSort(r);
          const index = r.u32();
          const flag = r.u8();
          if (flag === 0) return { name, sort, index };
          if (flag !== 1) r.fail('optional export type');
          return { name, sort, index, desc: readExternDesc(r) };
        },
        write: (w, v) => {
          const e = v as { name: ReturnType<typeof readExternName>; sort: ReturnType<typeof readSort>; index: number; desc?: ReturnType<typeof readExternDesc> };
          writeExternName(w, e.name);
          writeSort(w, e.sort);
          w.u32(e.index);
          if (e.desc === undefined) w.u8(0);
          else {
            w.u8(1);
            writeExternDesc(w, e.desc);
          }
        },
      };
    default:
      return undefined;
  }
}

const snippets: [string, string][] = [
  [
    'core types',
    `(component
      (core type $f (func (param i32) (result i64)))
      (core type (sub (func)))
      (core type (sub final (func)))
      (core rec (type (func)) (type (struct (field i32))))
      (core type (module
        (type $t (func))
        (import "a" "b" (func (type 0)))
        (alias outer 1 0 (type))
        (export "e" (func (type 0)))
        (export "m" (memory 1))
        (export "g" (global (mut i32)))
        (export "t" (table 1 funcref))
      ))
    )`,
  ],
  [
    'defined value types',
    `(component
      (type $s string)
      (type (record (field "a" bool) (field "b" $s)))
      (type (variant (case "x" s8) (case "y")))
      (type (list u16)) (type (list u8 4)) (type (tuple s16 u32))
      (type (flags "f1" "f2")) (type (enum "e1" "e2")) (type (option s32))
      (type (result)) (type (result u64)) (type (result (error s64))) (type (result f32 (error f64)))
      (type (stream u8)) (type (stream)) (type (future string)) (type (future))
      (type (map string u32)) (type error-context)
      (type bool) (type s8) (type u8) (type s16) (type u16) (type s32) (type u32)
      (type s64) (type u64) (type f32) (type f64) (type char)
      (type $r (resource (rep i32)))
      (type (own $r)) (type (borrow $r))
    )`,
  ],
  [
    'function types',
    `(component
      (type (func (param "p" bool) (result u32)))
      (type (func))
      (type (func async (param "a" string)))
      (type (func async (param "a" string) (param "b" u8) (result string)))
    )`,
  ],
  [
    'instance and component types',
    `(component
      (type $s string)
      (type (instance
        (core type (func))
        (type string)
        (alias outer 1 0 (type))
        (export "t" (type (eq 0)))
        (export "r" (type (sub resource)))
        (export "f" (func (param "x" u8)))
        (export "i:j/k@1.0.0" (instance))
      ))
      (type (component
        (import "a" (func))
        (import "b" (implements "a:b/c") (instance))
        (import "c" (external-id "q") (func))
        (import "v" (value string))
        (import "m" (core module))
        (export "z" (component))
        (export "y" (implements "a:b/c") (external-id "id") (instance))
      ))
    )`,
  ],
  [
    'imports, exports and aliases',
    `(component
      (import "f" (func $f))
      (import "wasi:http/types@0.2.0" (instance $i (export "g" (func)) (export "t" (type (sub resource)))))
      (import "unlocked-dep=<a:b@{>=1.2.3}>" (instance))
      (import "locked-dep=<a:b@1.2.3>,integrity=<sha256-abc>" (instance))
      (import "url=<https://example.com/x.wasm>" (component))
      (import "store" (implements "w:kv/s") (external-id "!@#") (instance))
      (import "[method]r.m" (func))
      (import "m" (core module $m))
      (alias export $i "g" (func $g))
      (alias export $i "t" (type $t))
      (core instance $ci (instantiate $m))
      (component $c)
      (alias outer 0 $c (component))
      (export "e1" (func $f))
      (export "e2" (func $g) (func))
      (export "e3" (implements "a:b/c") (instance $i))
      (export "e4" (core module $m))
    )`,
  ],
  [
    'nested components',
    `(component
      (type $s string)
      (component
        (type (list $s))
        (alias outer 1 $s (type))
        (component (type (func)))
      )
    )`,
  ],
];

describe('real components from wasm-tools', () => {
  const bytes = new Map<string, Uint8Array>();
  beforeAll(async () => {
    for (const [name, wat] of snippets) bytes.set(name, await parse(wat));
  });

  it.each(snippets)('should decode and re-encode the sections of %s byte for byte', (name) => {
    const found = checkSections(bytes.get(name)!);
    expect(Object.keys(found).length).toBeGreaterThan(0);
  });

  it('should find every import, export and alias of the linking snippet', () => {
    const found = checkSections(bytes.get('imports, exports and aliases')!);
    expect(found[10]).toHaveLength(8);
    expect(found[11]).toHaveLength(4);
    expect(found[6]!.length).toBeGreaterThanOrEqual(3);
    const names = (found[10] as { name: { name: string } }[]).map((i) => i.name.name);
    expect(names).toContain('unlocked-dep=<a:b@{>=1.2.3}>');
    expect(found[10]).toContainEqual({
      name: { form: 'attributes', name: 'store', attributes: [{ kind: 'implements', value: 'w:kv/s' }, { kind: 'external-id', value: '!@#' }] },
      desc: { kind: 'instance', type: expect.any(Number) },
    });
  });

  it('should see the expected node kinds in the defined value types', () => {
    const found = checkSections(bytes.get('defined value types')!);
    const kinds = new Set((found[7] as TypeDef[]).map((t) => t.kind));
    for (const k of ['primitive', 'record', 'variant', 'list', 'fixed-length-list', 'tuple', 'flags', 'enum', 'option', 'result', 'stream', 'future', 'map', 'resource', 'own', 'borrow']) {
      expect(kinds.has(k as TypeDef['kind'])).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

/** Write `v`, read it back, and require the same node and all bytes consumed. */
function writeRead<T>(v: T, write: (w: Writer, v: T) => void, read: (r: Reader) => T): void {
  const w = new Writer();
  write(w, v);
  const bytes = w.finish();
  const r = new Reader(bytes);
  expect(read(r)).toEqual(v);
  expect(r.pos).toBe(bytes.length);
}

/** Decoding arbitrary bytes either succeeds (and then re-encodes to the same bytes) or throws a DecodeError. */
function decodeIsSafe(bytes: Uint8Array, read: (r: Reader) => unknown, write: (w: Writer, v: never) => void): void {
  const r = new Reader(bytes, { maxDepth: 8 });
  const m = r.beginPadding();
  let v: unknown;
  try {
    v = read(r);
  } catch (e) {
    if (!isDecodeError(e)) throw e;
    return;
  }
  const padding = r.endPadding(m);
  const w = new Writer();
  const wm = w.beginPadding(padding);
  (write as (w: Writer, v: unknown) => void)(w, v);
  w.endPadding(wm);
  expect(w.finish()).toEqual(bytes.subarray(0, r.pos));
}

describe('codec properties', () => {
  it('should read back every written TypeDef', () => {
    fc.assert(fc.property(arbTypeDef, (t) => writeRead(t, writeTypeDef, readTypeDef)), { numRuns: 500 });
  });
  it('should read back every written CoreTypeDef', () => {
    fc.assert(fc.property(arbCoreTypeDef, (t) => writeRead(t, writeCoreTypeDef, readCoreTypeDef)), { numRuns: 300 });
  });
  it('should read back every written ExternName, ExternDesc and Alias', () => {
    fc.assert(fc.property(arbExternName, (n) => writeRead(n, writeExternName, readExternName)), { numRuns: 300 });
    fc.assert(fc.property(arbExternDesc, (d) => writeRead(d, writeExternDesc, readExternDesc)), { numRuns: 300 });
    fc.assert(fc.property(arbAlias, (a) => writeRead(a, writeAlias, readAlias)), { numRuns: 300 });
  });

  const typeStarts = fc.constantFrom(0x3f, 0x40, 0x41, 0x42, 0x43, 0x63, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0x73);
  it('should only ever throw DecodeError on hostile type bytes, and round-trip what it accepts', () => {
    const arbBytes = fc.tuple(typeStarts, fc.uint8Array({ maxLength: 40 })).map(([b, rest]) => new Uint8Array([b, ...rest]));
    fc.assert(fc.property(arbBytes, (bytes) => decodeIsSafe(bytes, readTypeDef, writeTypeDef)), { numRuns: 3000 });
  });
  it('should only ever throw DecodeError on hostile core type, name and alias bytes', () => {
    const arbBytes = fc.uint8Array({ maxLength: 40 });
    fc.assert(
      fc.property(arbBytes, (bytes) => {
        decodeIsSafe(bytes, readCoreTypeDef, writeCoreTypeDef);
        decodeIsSafe(bytes, readExternName, writeExternName);
        decodeIsSafe(bytes, readExternDesc, writeExternDesc);
        decodeIsSafe(bytes, readAlias, writeAlias);
      }),
      { numRuns: 3000 },
    );
  });
});

// ---------------------------------------------------------------------------
// The spec's binary tests (test/binary/binary.wast at 6d28164)
// ---------------------------------------------------------------------------

type SExpr = string | { readonly str: Uint8Array } | readonly SExpr[];

/** Parse wast text into s-expressions: atoms, strings (as bytes) and lists. */
function parseWast(text: string): SExpr[] {
  let i = 0;
  const enc = new TextEncoder();
  function skip(): void {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text.startsWith(';;', i)) {
        while (i < text.length && text[i] !== '\n') i++;
      } else if (text.startsWith('(;', i)) {
        i = text.indexOf(';)', i) + 2;
      } else return;
    }
  }
  function str(): { str: Uint8Array } {
    i++;
    const out: number[] = [];
    while (text[i] !== '"') {
      const c = text[i]!;
      if (c === '\\') {
        const n = text[i + 1]!;
        if (/[0-9a-fA-F]/.test(n)) {
          out.push(parseInt(text.slice(i + 1, i + 3), 16));
          i += 3;
        } else if (n === 'u') {
          const close = text.indexOf('}', i);
          out.push(...enc.encode(String.fromCodePoint(parseInt(text.slice(i + 3, close), 16))));
          i = close + 1;
        } else {
          out.push(({ n: 10, t: 9, r: 13 } as Record<string, number>)[n] ?? n.charCodeAt(0));
          i += 2;
        }
      } else {
        const cp = text.codePointAt(i)!;
        out.push(...enc.encode(String.fromCodePoint(cp)));
        i += cp > 0xffff ? 2 : 1;
      }
    }
    i++;
    return { str: new Uint8Array(out) };
  }
  function expr(): SExpr {
    skip();
    if (text[i] === '(') {
      i++;
      const items: SExpr[] = [];
      for (;;) {
        skip();
        if (text[i] === ')') {
          i++;
          return items;
        }
        items.push(expr());
      }
    }
    if (text[i] === '"') return str();
    const start = i;
    while (i < text.length && !/[\s()]/.test(text[i]!)) i++;
    return text.slice(start, i);
  }
  const out: SExpr[] = [];
  for (skip(); i < text.length; skip()) out.push(expr());
  return out;
}

/** The bytes of a `(component [definition] [$id] binary "..."*)` form, if it is one. */
function componentBinary(e: SExpr): Uint8Array | undefined {
  if (!Array.isArray(e) || e[0] !== 'component') return undefined;
  const k = e.indexOf('binary');
  if (k < 0) return undefined;
  const parts = e.slice(k + 1).map((x) => (x as { str: Uint8Array }).str);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Malformed-binary messages that come from the grammars of this module (types, names, descriptors, aliases). */
const OUR_MESSAGES = [
  'for component defined type',
  'for zero byte required',
  'for number of results',
  'for component function results',
  'for component or instance type declaration',
  'for type definition',
  'for outer alias kind',
  'for outer alias target',
  'for component outer alias kind',
  'for alias',
  'for component name',
  'for name option',
  'for type bound',
  'for component external kind',
  'for optional component export type',
];

describe('the spec binary tests (binary.wast)', () => {
  const wastPath = fileURLToPath(new URL('../../../../../shared/component-model/test/binary/binary.wast', import.meta.url));
  const forms = parseWast(readFileSync(wastPath, 'utf8'));
  const valid: Uint8Array[] = [];
  const malformed: [string, Uint8Array][] = [];
  for (const f of forms) {
    const direct = componentBinary(f);
    if (direct !== undefined) valid.push(direct);
    else if (Array.isArray(f) && (f[0] === 'assert_invalid' || f[0] === 'assert_malformed')) {
      const b = componentBinary(f[1]!);
      if (b === undefined) continue;
      const msg = new TextDecoder().decode((f[2] as { str: Uint8Array }).str);
      // Every assert_invalid binary is well-formed by the spec grammar, including
      // the nested core module type (case 89) and the repeated `implements`
      // attribute (case 114), which wasmparser already rejects while reading.
      if (f[0] === 'assert_invalid') valid.push(b);
      else malformed.push([msg, b]);
    }
  }

  it('should find the binary tests', () => {
    expect(valid.length).toBeGreaterThan(40);
    expect(malformed.length).toBeGreaterThan(40);
  });

  it('should decode and re-encode byte for byte the covered sections of every well-formed binary', () => {
    for (const b of valid) checkSections(b);
  });

  it('should reject, with a DecodeError only, the malformed binaries whose fault is in a covered grammar', () => {
    let ours = 0;
    for (const [msg, b] of malformed) {
      let err: unknown;
      try {
        checkSections(b);
      } catch (e) {
        err = e;
      }
      if (err !== undefined) expect(isDecodeError(err), msg).toBe(true);
      if (OUR_MESSAGES.some((m) => msg.includes(m))) {
        ours++;
        expect(err, msg).toBeDefined();
      }
    }
    expect(ours).toBeGreaterThan(15);
  });
});

// ---------------------------------------------------------------------------
// Real binaries: the repository's fixtures and the spec's text-format tests
// ---------------------------------------------------------------------------

describe('real components', () => {
  const fixtureDir = fileURLToPath(new URL('../../../../tools/fixtures/bin/', import.meta.url));
  const fixtureFiles = existsSync(fixtureDir) ? readdirSync(fixtureDir).filter((f) => f.endsWith('.wasm')) : [];

  it.each(fixtureFiles)('should round-trip the covered sections of fixture %s', (file) => {
    const bytes = new Uint8Array(readFileSync(fixtureDir + file));
    if (bytes[6] !== 0x01) return; // a core module: nothing of ours at top level
    const found = checkSections(bytes);
    expect(found[7]?.length ?? 0).toBeGreaterThan(0);
  });

  /** Top-level `(component ...)` text forms of a wast file (also inside assert_invalid), ready for `parse`. */
  function textComponents(text: string): string[] {
    const out: string[] = [];
    let i = 0;
    const starts: number[] = [];
    while (i < text.length) {
      if (text.startsWith(';;', i)) {
        while (i < text.length && text[i] !== '\n') i++;
        continue;
      }
      if (text.startsWith('(;', i)) {
        i = text.indexOf(';)', i) + 2;
        continue;
      }
      const c = text[i]!;
      if (c === '"') {
        i++;
        while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '(') starts.push(i);
      else if (c === ')') {
        const start = starts.pop()!;
        // Keep components at depth 0 (a module) or 1 (inside an assertion).
        if (starts.length <= 1) {
          const form = text.slice(start, i + 1);
          if (/^\(component(\s+definition)?(\s+\$[^\s()]+)?\s/.test(form) && !/^\(component(\s+\$[^\s()]+)?\s+(binary|quote|instance)\b/.test(form)) {
            out.push(form.replace(/^\(component\s+definition/, '(component'));
          }
        }
      }
      i++;
    }
    return out;
  }

  const testRoot = fileURLToPath(new URL('../../../../../shared/component-model/test/', import.meta.url));
  const wastFiles = existsSync(testRoot)
    ? readdirSync(testRoot, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.wast'))
    : [];

  it('should round-trip the covered sections of every text-format component of the spec tests', async () => {
    let parsed = 0;
    let tried = 0;
    for (const f of wastFiles) {
      for (const wat of textComponents(readFileSync(testRoot + f, 'utf8'))) {
        tried++;
        let bytes: Uint8Array;
        try {
          bytes = await parse(wat);
        } catch {
          continue; // text that wasm-tools itself rejects (assert_malformed-style text)
        }
        parsed++;
        try {
          checkSections(bytes);
        } catch (e) {
          throw new Error(`${f}: ${String(e)}\n${wat.slice(0, 300)}`);
        }
      }
    }
    expect(tried).toBeGreaterThan(100);
    expect(parsed).toBeGreaterThan(100);
  }, 120_000);
});

// ---------------------------------------------------------------------------
// Differential check against wasmparser (wasm-tools `print` parses without validating)
// ---------------------------------------------------------------------------

describe('agreement with wasmparser', () => {
  interface Kind {
    readonly id: number;
    readonly arb: fc.Arbitrary<unknown>;
    write(w: Writer, v: unknown): void;
    read(r: Reader): unknown;
  }
  const kinds: Kind[] = [
    { id: 7, arb: arbTypeDef, write: (w, v) => writeTypeDef(w, v as TypeDef), read: readTypeDef },
    { id: 3, arb: arbCoreTypeDef, write: (w, v) => writeCoreTypeDef(w, v as CoreTypeDef), read: readCoreTypeDef },
    { id: 6, arb: arbAlias, write: (w, v) => writeAlias(w, v as Alias), read: readAlias },
    {
      id: 10,
      arb: fc.tuple(arbExternName, arbExternDesc),
      write: (w, v) => {
        const [n, d] = v as [ExternName, ExternDesc];
        writeExternName(w, n);
        writeExternDesc(w, d);
      },
      read: (r) => [readExternName(r), readExternDesc(r)],
    },
  ];

  /** A component holding one section `id` with one entry. */
  function wrap(id: number, entry: Uint8Array): Uint8Array {
    const w = new Writer();
    w.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00])).u8(id);
    const len = w.beginLength();
    w.u32(1).bytes(entry);
    w.endLength(len);
    return w.finish();
  }

  function ours(k: Kind, entry: Uint8Array): { result: string; value?: unknown } {
    const r = new Reader(entry);
    let value: unknown;
    try {
      value = k.read(r);
    } catch (e) {
      if (isDecodeError(e)) return { result: `reject: ${e.message}` };
      throw e;
    }
    return r.pos === entry.length ? { result: 'ok', value } : { result: 'reject: trailing bytes' };
  }

  /** True when `v` holds a module type declarator whose `core:type` is a nested module type or a 0x00-prefixed sub. */
  function hasSpecOnlyModuleDecl(v: unknown): boolean {
    if (typeof v !== 'object' || v === null) return false;
    if (Array.isArray(v)) return v.some((x) => hasSpecOnlyModuleDecl(x));
    const o = v as Record<string, unknown>;
    if (o['kind'] === 'module' && Array.isArray(o['decls'])) {
      for (const d of o['decls'] as { kind: string; type?: CoreTypeDef }[]) {
        if (d.kind !== 'type' || d.type === undefined) continue;
        if (d.type.kind === 'module') return true;
        const g = d.type.group;
        if (!g.rec && g.types.length === 1 && !g.types[0]!.final) return true;
      }
      return false;
    }
    return Object.values(o).some((x) => hasSpecOnlyModuleDecl(x));
  }

  /**
   * Known, deliberate differences:
   * - wasmparser reads a value type index as an s33 and wraps a negative one
   *   to a huge u32 that validation rejects; we reject it while decoding;
   * - wasmparser caps core type indices while reading ("implementation
   *   limits"); we leave limits to validation;
   * - in a core module type's `type` declarator we read the spec's
   *   `core:type` (a bare 0x50 is a nested module type, a non-final sub takes
   *   the 0x00 prefix), while wasmparser reads a rec group there (a bare 0x50
   *   is a non-final sub, the prefix is an error). `specOnly` marks entries we
   *   accept through a spec-only form; `printed` is wasm-tools' text of an
   *   entry it accepted, which shows a bare non-final sub;
   * - an extern name repeating an attribute kind is well-formed for us (a
   *   validation error), while wasmparser rejects it while reading.
   */
  function known(mine: string, theirs: string, specOnly: boolean, printed: string): boolean {
    if (mine === 'ok' && specOnly) return true;
    if (mine === 'ok' && /duplicate '[a-z-]+' option in name/.test(theirs)) return true;
    if (theirs === 'ok' && /\(module[\s\S]*\(type \(;\d+;\) \(sub (?!final)/.test(printed)) return true;
    if (theirs === 'ok' && mine.includes('value type (primitive code or type index)')) return true;
    if (mine === 'ok' && theirs.includes('implementation limits')) return true;
    return false;
  }

  it('should accept and reject the same entries as wasmparser, valid and mutated', async () => {
    let seed = 12345;
    const rand = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const problems: string[] = [];
    let checked = 0;
    for (const k of kinds) {
      for (const v of fc.sample(k.arb, { numRuns: 250, seed: k.id })) {
        const w = new Writer();
        k.write(w, v);
        const good = w.finish();
        const variants = [good];
        for (let j = 0; j < 4; j++) {
          const b = Array.from(good);
          const op = rand();
          const pos = Math.floor(rand() * (b.length + 1));
          const byte = Math.floor(rand() * 256);
          if (op < 0.4 && b.length > 0) b[Math.min(pos, b.length - 1)] = byte;
          else if (op < 0.6) b.splice(pos, 0, byte);
          else if (op < 0.8 && b.length > 0) b.splice(Math.min(pos, b.length - 1), 1);
          else b.length = pos;
          variants.push(new Uint8Array(b));
        }
        for (const entry of variants) {
          checked++;
          const { result: mine, value } = ours(k, entry);
          let theirs = 'ok';
          let printed = '';
          try {
            printed = await print(wrap(k.id, entry));
          } catch (e) {
            theirs = `reject: ${String((e as { message?: unknown }).message ?? e)}`;
          }
          if ((mine === 'ok') !== (theirs === 'ok') && !known(mine, theirs, hasSpecOnlyModuleDecl(value), printed)) {
            problems.push(`section ${k.id} ${Buffer.from(entry).toString('hex')}: ours ${mine} / wasmparser ${theirs}`);
          }
        }
      }
    }
    expect(checked).toBe(4 * 250 * 5);
    expect(problems.slice(0, 10)).toEqual([]);
  }, 60_000);
});
