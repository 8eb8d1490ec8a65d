import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { Module, ModuleSection } from './ast.js';
import { readModule } from './decode.js';
import { writeModule } from './encode.js';
import { moduleNames } from './names.js';

function decodeBytes(bytes: Uint8Array, instructions = false): Module {
  return readModule(new Reader(bytes, { instructions }));
}

function encodeModule(m: Module): Uint8Array {
  const w = new Writer();
  writeModule(w, m);
  return w.finish();
}

function section<K extends ModuleSection['kind']>(m: Module, kind: K): Extract<ModuleSection, { kind: K }> {
  const s = m.sections.find((x) => x.kind === kind);
  if (s === undefined) throw new Error(`no ${kind} section`);
  return s as Extract<ModuleSection, { kind: K }>;
}

/** Real modules written in WAT, turned into binaries by wasm-tools 0.254. */
const modules: [string, string, ((m: Module) => void)?][] = [
  [
    'an MVP module with names',
    `(module $mod
      (type $t (func (param i32) (result i32)))
      (import "env" "f" (func $imp (type $t)))
      (import "env" "mem" (memory $m 1 2))
      (global $g (mut i32) (i32.const 7))
      (func $add (export "add") (param $a i32) (param $b i32) (result i32) (local $tmp i32)
        block $out
          local.get $a
          br_if $out
        end
        local.get $a local.get $b i32.add)
      (start $start)
      (func $start)
      (data $d (i32.const 8) "hello"))`,
    (m) => {
      const n = moduleNames(m);
      expect(n.module).toBe('mod');
      expect(n.function.get(0)).toBe('imp');
      expect(n.function.get(1)).toBe('add');
      expect(n.local.get(1)?.get(2)).toBe('tmp');
      expect(n.type.get(0)).toBe('t');
      expect(n.memory.get(0)).toBe('m');
      expect(n.global.get(0)).toBe('g');
      expect(n.data.get(0)).toBe('d');
      expect(section(m, 'export').exports).toEqual([{ name: 'add', sort: 'func', index: 1 }]);
    },
  ],
  [
    'GC types',
    `(module
      (rec
        (type $node (sub (struct (field $val i32) (field $next (mut (ref null $node))))))
        (type $leaf (sub final $node (struct (field $val i32) (field $next (mut (ref null $node))) (field i8)))))
      (type $bytes (array (mut i8)))
      (type $shorts (array i16))
      (type $f (sub (func (param anyref) (result (ref eq)))))
      (func (param (ref null $bytes)) (result i31ref) (ref.i31 (i32.const 1)))
      (global (ref null struct) (ref.null struct)))`,
    (m) => {
      const t = section(m, 'type');
      expect(t.groups[0]).toMatchObject({ rec: true, types: [{ final: false }, { final: true, supertypes: [0] }] });
      expect(t.groups[1]).toMatchObject({ rec: false, types: [{ type: { kind: 'array', element: { storage: 'i8', mutable: true } } }] });
      expect(moduleNames(m).type.get(1)).toBe('leaf');
    },
  ],
  [
    'memory64, shared memory and custom page sizes',
    `(module
      (memory $a i64 1 65536)
      (memory $b 1 10 shared)
      (memory $c i64 2 3 shared)
      (memory $d 1 (pagesize 1))
      (data (memory $a) (i64.const 0) "x"))`,
    (m) => {
      expect(section(m, 'memory').memories).toMatchObject([
        { memory64: true, limits: { min: 1n, max: 65536n } },
        { shared: true },
        { memory64: true, shared: true },
        { pageSizeLog2: 0 },
      ]);
    },
  ],
  [
    'tables with initialisers, table64 and every element form',
    `(module
      (type $v (func))
      (table $t0 2 funcref)
      (table $t1 4 (ref null func))
      (table $t2 3 (ref $v) (ref.func $f))
      (table $t3 i64 1 externref)
      (func $f (type $v))
      (elem (i32.const 0) $f)
      (elem func $f)
      (elem (table $t1) (i32.const 0) func $f)
      (elem declare func $f)
      (elem (i32.const 1) funcref (ref.func $f) (ref.null func))
      (elem funcref (ref.func $f))
      (elem (table $t2) (i32.const 0) (ref $v) (ref.func $f))
      (elem declare funcref (ref.func $f))
      (elem $named externref (ref.null extern)))`,
    (m) => {
      expect(section(m, 'table').tables.map((t) => t.init !== undefined)).toEqual([false, false, true, false]);
      const segs = section(m, 'element').segments;
      expect(segs.map((s) => s.mode.kind)).toEqual(['active', 'passive', 'active', 'declarative', 'active', 'passive', 'active', 'declarative', 'passive']);
      expect(segs.map((s) => s.items.kind)).toEqual(['functions', 'functions', 'functions', 'functions', 'expressions', 'expressions', 'expressions', 'expressions', 'expressions']);
      expect(moduleNames(m).elem.get(8)).toBe('named');
    },
  ],
  [
    'every data form',
    `(module
      (memory 1)
      (memory $m2 1)
      (data (i32.const 0) "a")
      (data "passive")
      (data (memory $m2) (i32.const 4) "b" "c")
      (func (data.drop 1)))`,
    (m) => {
      expect(section(m, 'data').segments.map((s) => s.mode)).toMatchObject([{ kind: 'active', memory: 0, implicit: true }, { kind: 'passive' }, { kind: 'active', memory: 1 }]);
      expect(m.sections.map((s) => s.kind)).toContain('data-count');
    },
  ],
  [
    'tags and exceptions',
    `(module
      (import "m" "t" (tag $imported (param f64)))
      (tag $e (param i32))
      (export "e" (tag $e))
      (func (param i32) (throw $e (local.get 0))))`,
    (m) => {
      expect(section(m, 'tag').tags).toEqual([{ kind: 'tag', type: 1 }]);
      expect(moduleNames(m).tag.get(1)).toBe('e');
    },
  ],
  [
    'compact imports',
    `(module
      (type $f (func))
      (import "m" (item "a" (func (type $f))) (item "b" (global i32)))
      (import "n" (item "x") (item "y") (func (type $f))))`,
    (m) => {
      expect(section(m, 'import').imports.map((i) => i.kind)).toEqual(['import-items', 'import-names']);
    },
  ],
  [
    'custom descriptors, shared types and exact imports',
    `(module
      (rec (type $a (descriptor $b) (struct)) (type $b (describes $a) (struct)))
      (type $s (shared (func)))
      (type $f (func))
      (import "m" "f" (func (exact (type $f))))
      (table shared 1 2 (ref null (shared func))))`,
    (m) => {
      expect(section(m, 'type').groups[0]).toMatchObject({ types: [{ descriptor: 1 }, { describes: 0 }] });
      expect(section(m, 'import').imports[0]).toMatchObject({ type: { kind: 'func', exact: true } });
    },
  ],
  [
    'a module with a custom section and a start function',
    `(module (func $s) (start $s) (@custom "hello" "world"))`,
    (m) => {
      expect(m.sections.find((s) => s.kind === 'custom')).toMatchObject({ name: 'hello' });
    },
  ],
];

describe('real modules from wasm-tools', () => {
  it.each(modules)('should round-trip %s byte for byte', async (_name, wat, check) => {
    const bytes = await parse(wat);
    const m = decodeBytes(bytes);
    check?.(m);
    expect(encodeModule(m)).toEqual(bytes);
    const withInstructions = decodeBytes(bytes, true);
    expect(encodeModule(withInstructions)).toEqual(bytes);
  });
});
