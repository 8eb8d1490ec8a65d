import { componentEmbed, componentNew, parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { Component, ComponentSection } from './ast.js';
import type { CanonicalFunction } from './canon.js';
import { readComponent } from './decode.js';
import { writeComponent } from './encode.js';

function decode(bytes: Uint8Array): Component {
  return readComponent(new Reader(bytes));
}

function encode(c: Component): Uint8Array {
  const w = new Writer();
  writeComponent(w, c);
  return w.finish();
}

/** Decode, re-encode, and require the very same bytes. */
function roundTrip(bytes: Uint8Array): Component {
  const c = decode(bytes);
  expect(Buffer.from(encode(c)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
  return c;
}

function sectionsOf<K extends ComponentSection['kind']>(c: Component, kind: K): Extract<ComponentSection, { kind: K }>[] {
  return c.sections.filter((s): s is Extract<ComponentSection, { kind: K }> => s.kind === kind);
}

function canons(c: Component): CanonicalFunction[] {
  return sectionsOf(c, 'canon').flatMap((s) => [...s.functions]);
}

const MEM = `(core module $m (memory (export "mem") 1) (table (export "t") 1 funcref)
    (func (export "f") (param i32)) (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable))
  (core instance $i (instantiate $m))`;

/** One WAT snippet per canon built-in, with the kind it must decode to. */
const builtins: readonly [string, string, Record<string, unknown> & { kind: CanonicalFunction['kind'] }][] = [
  ['resource.new', '(core func (canon resource.new $r))', { kind: 'resource.new' }],
  ['resource.drop', '(core func (canon resource.drop $r))', { kind: 'resource.drop' }],
  ['resource.rep', '(core func (canon resource.rep $r))', { kind: 'resource.rep' }],
  ['task.return', '(core func (canon task.return))', { kind: 'task.return', options: [] }],
  [
    'task.return with result and options',
    '(core func (canon task.return (result string) (memory (core memory $i "mem")) string-encoding=utf16))',
    { kind: 'task.return', result: 'string', options: [{ kind: 'memory', index: 0 }, { kind: 'string-encoding', encoding: 'utf16' }] },
  ],
  ['task.cancel', '(core func (canon task.cancel))', { kind: 'task.cancel' }],
  ['context.get', '(core func (canon context.get i32 0))', { kind: 'context.get', type: 'i32', index: 0 }],
  ['context.set', '(core func (canon context.set i32 1))', { kind: 'context.set', type: 'i32', index: 1 }],
  ['backpressure.inc', '(core func (canon backpressure.inc))', { kind: 'backpressure.inc' }],
  ['backpressure.dec', '(core func (canon backpressure.dec))', { kind: 'backpressure.dec' }],
  ['thread.yield', '(core func (canon thread.yield))', { kind: 'thread.yield', cancellable: false }],
  ['subtask.drop', '(core func (canon subtask.drop))', { kind: 'subtask.drop' }],
  ['subtask.cancel', '(core func (canon subtask.cancel))', { kind: 'subtask.cancel', async: false }],
  ['subtask.cancel async', '(core func (canon subtask.cancel async))', { kind: 'subtask.cancel', async: true }],
  ['stream.new', '(core func (canon stream.new $s))', { kind: 'stream.new' }],
  ['stream.read', '(core func (canon stream.read $s async (memory (core memory $i "mem"))))', { kind: 'stream.read', options: [{ kind: 'async' }, { kind: 'memory', index: 0 }] }],
  ['stream.write', '(core func (canon stream.write $s (memory (core memory $i "mem"))))', { kind: 'stream.write' }],
  ['stream.cancel-read', '(core func (canon stream.cancel-read $s))', { kind: 'stream.cancel-read', async: false }],
  ['stream.cancel-write', '(core func (canon stream.cancel-write $s async))', { kind: 'stream.cancel-write', async: true }],
  ['stream.drop-readable', '(core func (canon stream.drop-readable $s))', { kind: 'stream.drop-readable' }],
  ['stream.drop-writable', '(core func (canon stream.drop-writable $s))', { kind: 'stream.drop-writable' }],
  ['future.new', '(core func (canon future.new $f))', { kind: 'future.new' }],
  ['future.read', '(core func (canon future.read $f (memory (core memory $i "mem"))))', { kind: 'future.read' }],
  ['future.write', '(core func (canon future.write $f async (memory (core memory $i "mem"))))', { kind: 'future.write' }],
  ['future.cancel-read', '(core func (canon future.cancel-read $f async))', { kind: 'future.cancel-read', async: true }],
  ['future.cancel-write', '(core func (canon future.cancel-write $f))', { kind: 'future.cancel-write', async: false }],
  ['future.drop-readable', '(core func (canon future.drop-readable $f))', { kind: 'future.drop-readable' }],
  ['future.drop-writable', '(core func (canon future.drop-writable $f))', { kind: 'future.drop-writable' }],
  ['error-context.new', '(core func (canon error-context.new (memory (core memory $i "mem"))))', { kind: 'error-context.new' }],
  [
    'error-context.debug-message',
    '(core func (canon error-context.debug-message (memory (core memory $i "mem")) (realloc (core func $i "realloc"))))',
    { kind: 'error-context.debug-message' },
  ],
  ['error-context.drop', '(core func (canon error-context.drop))', { kind: 'error-context.drop' }],
  ['waitable-set.new', '(core func (canon waitable-set.new))', { kind: 'waitable-set.new' }],
  ['waitable-set.wait', '(core func (canon waitable-set.wait (memory (core memory $i "mem"))))', { kind: 'waitable-set.wait', cancellable: false }],
  ['waitable-set.poll', '(core func (canon waitable-set.poll (memory (core memory $i "mem"))))', { kind: 'waitable-set.poll', cancellable: false }],
  ['waitable-set.drop', '(core func (canon waitable-set.drop))', { kind: 'waitable-set.drop' }],
  ['waitable.join', '(core func (canon waitable.join))', { kind: 'waitable.join' }],
  ['thread.index', '(core func (canon thread.index))', { kind: 'thread.index' }],
  ['thread.new-indirect', '(core func (canon thread.new-indirect $ft (core table $i "t")))', { kind: 'thread.new-indirect' }],
  ['thread.resume-later', '(core func (canon thread.resume-later))', { kind: 'thread.resume-later' }],
  ['thread.suspend', '(core func (canon thread.suspend))', { kind: 'thread.suspend', cancellable: false }],
  ['thread.suspend-then-resume', '(core func (canon thread.suspend-then-resume))', { kind: 'thread.suspend-then-resume' }],
  ['thread.yield-then-resume', '(core func (canon thread.yield-then-resume))', { kind: 'thread.yield-then-resume' }],
  ['thread.suspend-then-promote', '(core func (canon thread.suspend-then-promote))', { kind: 'thread.suspend-then-promote' }],
  ['thread.yield-then-promote', '(core func (canon thread.yield-then-promote))', { kind: 'thread.yield-then-promote' }],
  ['thread.spawn-ref', '(core func (canon thread.spawn-ref $ft))', { kind: 'thread.spawn-ref' }],
  ['thread.spawn-indirect', '(core func (canon thread.spawn-indirect $ft (core table $i "t")))', { kind: 'thread.spawn-indirect' }],
  ['thread.available-parallelism', '(core func (canon thread.available_parallelism))', { kind: 'thread.available-parallelism' }],
  [
    'lift with options',
    `(func (param "s" string) (canon lift (core func $i "f") (memory (core memory $i "mem")) (realloc (core func $i "realloc")) string-encoding=latin1+utf16))`,
    { kind: 'lift', options: [{ kind: 'memory', index: 0 }, { kind: 'realloc', index: 1 }, { kind: 'string-encoding', encoding: 'latin1+utf16' }] },
  ],
  [
    'async lift with callback',
    `(core func $cb (alias core export $i "realloc"))
     (func async (canon lift (core func $i "f") async (callback $cb)))`,
    { kind: 'lift', options: [{ kind: 'async' }, { kind: 'callback' }] },
  ],
  ['lower', `(import "imp" (func $imp (param "x" u32))) (core func (canon lower (func $imp)))`, { kind: 'lower', options: [] }],
  ['lower async', `(import "imp" (func $imp async)) (core func (canon lower (func $imp) async))`, { kind: 'lower', options: [{ kind: 'async' }] }],
];

describe('component round trip of canon built-ins (wasm-tools 0.254)', () => {
  it.each(builtins)('should round-trip %s', async (_name, def, expected) => {
    const wat = `(component
  (type $r (resource (rep i32)))
  (type $s (stream u8))
  (type $f (future u32))
  (core type $ft (func (param i32)))
  ${MEM}
  ${def}
)`;
    const bytes = await parse(wat);
    const c = roundTrip(bytes);
    const fs = canons(c);
    expect(fs.length).toBeGreaterThan(0);
    expect(fs[fs.length - 1]).toMatchObject(expected);
  });
});

describe('component round trip of sections (wasm-tools 0.254)', () => {
  it('should round-trip every section kind and decode its nodes', async () => {
    const bytes = await parse(`(component $comp
  (core module $m (func (export "f")))
  (core instance $ci (instantiate $m))
  (core instance $ci2 (instantiate $m (with "a" (instance $ci))))
  (core instance $ci3 (export "g" (func $ci "f")))
  (core type $mt (module (import "a" "b" (func)) (export "c" (func))))
  (import "x" (func $x))
  (import "wasi:cli/run@0.2.0" (instance $run (export "run" (func))))
  (instance $inst (export "y" (func $x)))
  (component $c (import "z" (func)))
  (instance $i2 (instantiate $c (with "z" (func $x))))
  (alias export $run "run" (func $run-f))
  (type $t (func (param "a" u32) (result string)))
  (type $rec (record (field "a" u32) (field "b" string)))
  (export "w" (func $x))
  (export "v" (func $x) (func))
  (export "rec" (type $rec))
  (start $x)
)`);
    const c = roundTrip(bytes);
    const kinds = c.sections.map((s) => s.kind);
    for (const k of ['core-module', 'core-instance', 'core-type', 'import', 'instance', 'nested-component', 'alias', 'type', 'export', 'start', 'component-name']) {
      expect(kinds).toContain(k);
    }
    const ci = sectionsOf(c, 'core-instance').flatMap((s) => [...s.instances]);
    expect(ci).toEqual([
      { kind: 'instantiate', module: 0, args: [] },
      { kind: 'instantiate', module: 0, args: [{ name: 'a', instance: 0 }] },
      { kind: 'exports', exports: [{ name: 'g', sort: 'func', index: 0 }] },
    ]);
    const inst = sectionsOf(c, 'instance').flatMap((s) => [...s.instances]);
    expect(inst[0]).toEqual({ kind: 'exports', exports: [{ name: { form: 'plain', name: 'y' }, sort: 'func', index: 0 }] });
    expect(inst[1]).toEqual({ kind: 'instantiate', component: 0, args: [{ name: 'z', sort: 'func', index: 0 }] });
    const exps = sectionsOf(c, 'export').flatMap((s) => [...s.exports]);
    expect(exps[0]).toEqual({ name: { form: 'plain', name: 'w' }, sort: 'func', index: 0 });
    expect(exps[1]).toMatchObject({ name: { name: 'v' }, desc: { kind: 'func' } });
    expect(sectionsOf(c, 'start')[0]).toMatchObject({ func: 0, args: [], results: 0 });
    const nested = sectionsOf(c, 'nested-component')[0]!.component;
    expect(nested.sections.map((s) => s.kind)).toContain('import');
    const names = sectionsOf(c, 'component-name')[0]!.names.subsections;
    expect(names[0]).toEqual({ kind: 'component', name: 'comp' });
    expect(names).toContainEqual({ kind: 'sort', sort: 'core module', names: [{ index: 0, name: 'm' }] });
    expect(names).toContainEqual({ kind: 'sort', sort: 'core instance', names: [{ index: 0, name: 'ci' }, { index: 1, name: 'ci2' }, { index: 2, name: 'ci3' }] });
  });

  it('should keep an unknown custom section raw and record section offsets', async () => {
    const bytes = await parse('(component (@custom "hello" "world") (type (func)))');
    const c = roundTrip(bytes);
    expect(c.sections[0]).toMatchObject({ kind: 'custom', name: 'hello', offset: 8 });
    expect(new TextDecoder().decode((c.sections[0] as { data: Uint8Array }).data)).toBe('world');
  });

  it('should round-trip resources, borrows and resource types in instance types', async () => {
    const bytes = await parse(`(component
  (import "host" (instance $h
    (export "r" (type $r (sub resource)))
    (export "[constructor]r" (func (result (own $r))))
    (export "[method]r.get" (func (param "self" (borrow $r)) (result u32)))))
  (type $mine (resource (rep i32) (dtor (core func $i "f"))))
  ${MEM}
)`);
    roundTrip(bytes);
  });

  it('should round-trip a real component made by wit-component', async () => {
    const m = await componentEmbed({
      witSource: 'package a:b; interface i { record r { x: u32, s: string } f: func(a: r) -> list<u8>; } world w { import i; export g: func(s: string) -> result<u32, string>; export i; }',
      dummy: true,
      world: 'w',
    });
    const bytes = await componentNew(m);
    const c = roundTrip(bytes);
    expect(c.sections.some((s) => s.kind === 'core-module')).toBe(true);
    expect(canons(c).some((f) => f.kind === 'lift')).toBe(true);
  });

  it('should round-trip padded LEB128s in section sizes and contents', () => {
    // type section, 5-byte LEB size 1, 0 types; then a canon section whose count is padded.
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x81, 0x80, 0x80, 0x80, 0x00, 0x00, 0x08, 0x03, 0x81, 0x00, 0x26]);
    const c = roundTrip(bytes);
    expect(c.sections[0]).toEqual({ kind: 'type', types: [], offset: 8, padding: [0, 5] });
    expect(c.sections[1]).toMatchObject({ kind: 'canon', functions: [{ kind: 'thread.index' }], padding: [1, 2] });
  });

  it('should round-trip a value section (id 12)', () => {
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x0c, 0x04, 0x01, 0x7f, 0x01, 0x01]);
    const c = roundTrip(bytes);
    expect(c.sections[0]).toMatchObject({ kind: 'value', values: [{ type: 'bool', bytes: new Uint8Array([1]) }] });
  });

  it('should keep a malformed component-name section raw', () => {
    const name = [...new TextEncoder().encode('component-name')];
    const body = [name.length, ...name, 0xff, 0xfe, 0x01];
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x00, body.length, ...body]);
    const c = roundTrip(bytes);
    expect(c.sections[0]).toMatchObject({ kind: 'custom', name: 'component-name' });
  });
});

describe('component encode errors', () => {
  it('should name the section of an unknown kind', () => {
    const c = { kind: 'component', sections: [{ kind: 'type', types: [] }, { kind: 'bogus' }] } as unknown as Component;
    expect(() => encode(c)).toThrow(/sections\[1\]: unknown component section kind bogus/);
  });

  it('should ignore offsets and honour padding hints when encoding', () => {
    const c: Component = { kind: 'component', sections: [{ kind: 'canon', functions: [{ kind: 'thread.index' }], offset: 999, padding: [0, 3] }] };
    expect([...encode(c)].slice(8)).toEqual([0x08, 0x82, 0x80, 0x00, 0x01, 0x26]);
  });
});

describe('component decode errors', () => {
  const pre = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
  const bad: readonly [string, number[], string][] = [
    ['an empty input', [], 'unexpected-end'],
    ['a core module preamble', [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], 'malformed'],
    ['a wrong layer', [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x02, 0x00], 'malformed'],
    ['section id 13', [...pre, 0x0d, 0x00], 'malformed'],
    ['section id 0xff', [...pre, 0xff], 'malformed'],
    ['a section size past the end', [...pre, 0x07, 0x03, 0x00], 'unexpected-end'],
    ['a section with trailing bytes', [...pre, 0x07, 0x02, 0x00, 0x00], 'malformed'],
    ['a custom section name past its end', [...pre, 0x00, 0x03, 0x05, 0x61, 0x62], 'unexpected-end'],
    ['a custom section name that is not UTF-8', [...pre, 0x00, 0x03, 0x02, 0xff, 0xfe], 'malformed'],
    ['a huge vector count', [...pre, 0x07, 0x04, 0xbf, 0x84, 0x3d, 0x73], 'unexpected-end'],
    ['a bad core instance expression', [...pre, 0x02, 0x04, 0x01, 0x02, 0x00, 0x00], 'malformed'],
    ['a bad instantiation arg kind', [...pre, 0x02, 0x08, 0x01, 0x00, 0x00, 0x01, 0x01, 0x69, 0x00, 0x00], 'malformed'],
    ['a bad instance expression', [...pre, 0x05, 0x04, 0x01, 0x02, 0x00, 0x00], 'malformed'],
    ['a bad optional export type', [...pre, 0x0b, 0x07, 0x01, 0x00, 0x01, 0x77, 0x01, 0x00, 0x02], 'malformed'],
    ['a nested component that is a module', [...pre, 0x04, 0x08, 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], 'malformed'],
  ];
  it.each(bad)('should reject %s with a typed DecodeError', (_name, bytes, code) => {
    let err: unknown;
    try {
      decode(new Uint8Array(bytes));
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
    expect((err as { code: string }).code).toBe(code);
  });

  it('should stop deep nesting at maxDepth with a limit error', () => {
    let bytes = new Uint8Array(pre);
    for (let i = 0; i < 20; i++) {
      const inner = bytes;
      bytes = new Uint8Array([...pre, 0x04, ...leb(inner.length), ...inner]);
    }
    let err: unknown;
    try {
      readComponent(new Reader(bytes, { maxDepth: 10 }));
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
    expect((err as { code: string }).code).toBe('limit');
  });
});

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
