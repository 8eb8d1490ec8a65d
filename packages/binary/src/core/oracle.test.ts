/**
 * `@webassemblyjs/wasm-parser` as an oracle: for MVP modules it can read, its
 * imports, exports, types and function counts must agree with ours. Real
 * modules shipped in node_modules also check exact round trips at scale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decode as oracleDecode } from '@webassemblyjs/wasm-parser';
import { describe, expect, it } from 'vitest';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { ExternType, ImportEntry, Module } from './ast.js';
import type { ValType } from './types.js';
import { readModule } from './decode.js';
import { writeModule } from './encode.js';

function decodeBytes(bytes: Uint8Array, instructions = false): Module {
  return readModule(new Reader(bytes, { instructions }));
}

function encodeModule(m: Module): Uint8Array {
  const w = new Writer(bytes0(m));
  writeModule(w, m);
  return w.finish();
}

/** Index of the first differing byte, or -1 (much faster than a deep equal on megabytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function bytes0(m: Module): number {
  return Math.max(1024, m.sections.length * 64);
}

interface Summary {
  types: string[];
  imports: string[];
  exports: string[];
  functions: number;
}

function valTypeName(t: ValType): string {
  if (typeof t === 'string') return t;
  if (t.heap.kind === 'abstract' && t.nullable) return t.heap.name === 'func' ? 'funcref' : `${t.heap.name}ref`;
  return 'ref';
}

function externKind(t: ExternType): string {
  return t.kind;
}

function flatImports(e: ImportEntry): { module: string; name: string; type: ExternType }[] {
  if (e.kind === 'import') return [e];
  if (e.kind === 'import-items') return e.items.map((i) => ({ module: e.module, name: i.name, type: i.type }));
  return e.names.map((name) => ({ module: e.module, name, type: e.type }));
}

function ours(m: Module): Summary {
  const s: Summary = { types: [], imports: [], exports: [], functions: 0 };
  for (const sec of m.sections) {
    if (sec.kind === 'type') {
      for (const g of sec.groups)
        for (const t of g.types) if (t.type.kind === 'func') s.types.push(`${t.type.params.map(valTypeName).join(',')}->${t.type.results.map(valTypeName).join(',')}`);
    } else if (sec.kind === 'import') {
      for (const i of sec.imports.flatMap(flatImports)) s.imports.push(`${i.module}.${i.name}:${externKind(i.type)}`);
    } else if (sec.kind === 'export') {
      for (const e of sec.exports) s.exports.push(`${e.name}:${e.sort}:${e.index}`);
    } else if (sec.kind === 'function') {
      s.functions += sec.types.length;
    }
  }
  return s;
}

interface OracleNode {
  type: string;
  [k: string]: unknown;
}

const oracleKinds: Record<string, string> = {
  FuncImportDescr: 'func',
  Memory: 'memory',
  Table: 'table',
  GlobalType: 'global',
  Func: 'func',
  Global: 'global',
};

function theirs(bytes: Uint8Array): Summary {
  const ast = oracleDecode(bytes, { ignoreCodeSection: true, ignoreDataSection: true, ignoreCustomNameSection: true }) as { body: { fields: OracleNode[] }[] };
  const s: Summary = { types: [], imports: [], exports: [], functions: 0 };
  for (const f of ast.body[0]!.fields) {
    if (f.type === 'TypeInstruction') {
      const sig = f.functype as { params: { valtype: string }[]; results: string[] };
      s.types.push(`${sig.params.map((p) => norm(p.valtype)).join(',')}->${sig.results.map(norm).join(',')}`);
    } else if (f.type === 'ModuleImport') {
      s.imports.push(`${String(f.module)}.${String(f.name)}:${oracleKinds[(f.descr as OracleNode).type] ?? '?'}`);
    } else if (f.type === 'ModuleExport') {
      const d = f.descr as { exportType: string; id: { value: number } };
      s.exports.push(`${String(f.name)}:${d.exportType.toLowerCase()}:${d.id.value}`);
    } else if (f.type === 'Func') {
      s.functions++;
    }
  }
  return s;
}

function norm(t: string): string {
  return t === 'anyfunc' ? 'funcref' : t;
}

const mvp: [string, string][] = [
  ['imports of every kind', `(module
    (type $t (func (param i32 i64) (result f32)))
    (import "env" "f" (func (type $t)))
    (import "env" "mem" (memory 1 16))
    (import "env" "tab" (table 4 funcref))
    (import "env" "g" (global (mut f64)))
    (func (export "run") (param f32) (result f64) (f64.const 1))
    (func $internal)
    (global (export "glob") i32 (i32.const 3))
    (export "memory" (memory 0)))`],
  ['a module without imports', `(module (func (export "a")) (func (export "b") (param i32)) (memory (export "m") 1))`],
  ['a module with many types', `(module
    (type (func)) (type (func (param i32))) (type (func (result i32 i64)))
    (func (type 2) (i32.const 0) (i64.const 0))
    (func (type 1))
    (export "x" (func 0)) (export "y" (func 1)))`],
];

describe('webassemblyjs oracle', () => {
  it.each(mvp)('should agree on %s', async (_n, wat) => {
    const bytes = await parse(wat);
    const m = decodeBytes(bytes);
    expect(ours(m)).toEqual(theirs(bytes));
    expect(encodeModule(m)).toEqual(bytes);
  });
});

const root = fileURLToPath(new URL('../../../../node_modules/', import.meta.url));
const realModules = [
  'source-map/lib/mappings.wasm',
  '@bytecodealliance/jco/lib/wasi_snapshot_preview1.command.wasm',
  '@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm',
  '@bytecodealliance/jco-transpile/vendor/wasm-tools.core2.wasm',
  '@bytecodealliance/jco-transpile/vendor/js-component-bindgen-component.core2.wasm',
  '@bytecodealliance/jco-transpile/vendor/wasm-tools.core.wasm',
  '@bytecodealliance/jco-transpile/vendor/js-component-bindgen-component.core.wasm',
].filter((p) => existsSync(root + p));

const compared: string[] = [];

describe('real modules', () => {
  it.each(realModules)('should round-trip %s exactly, with and without instructions', { timeout: 60_000 }, (path) => {
    const bytes = new Uint8Array(readFileSync(root + path));
    const m = decodeBytes(bytes);
    expect(firstDifference(encodeModule(m), bytes)).toBe(-1);
    const mi = decodeBytes(bytes, true);
    expect(firstDifference(encodeModule(mi), bytes)).toBe(-1);
  });

  it.each(realModules)('should agree with webassemblyjs on %s where it can read it', (path) => {
    const bytes = new Uint8Array(readFileSync(root + path));
    let expected: Summary;
    try {
      expected = theirs(bytes);
    } catch {
      return; // a post-MVP module the oracle cannot read
    }
    expect(ours(decodeBytes(bytes))).toEqual(expected);
    compared.push(path);
  });

  it('should have compared at least one real module with the oracle', () => {
    expect(realModules.length === 0 || compared.length > 0).toBe(true);
  });
});
