import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decode } from './api.js';
import type { Module } from './core/ast.js';
import { modules } from './walk.js';
import { toWebassemblyjs, WebassemblyjsError } from './webassemblyjs.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../../../tools/fixtures/bin/${name}.wasm`, import.meta.url)));

interface Field {
  type: string;
  descr?: { type: string };
}

function ours(m: Module): { imports: number; exports: number; funcs: number } {
  let imports = 0;
  let exports = 0;
  let funcs = 0;
  for (const s of m.sections) {
    if (s.kind === 'import') {
      for (const e of s.imports) imports += e.kind === 'import' ? 1 : e.kind === 'import-items' ? e.items.length : e.names.length;
    } else if (s.kind === 'export') exports += s.exports.length;
    else if (s.kind === 'function') funcs += s.types.length;
  }
  return { imports, exports, funcs };
}

describe('toWebassemblyjs', () => {
  const names = ['hello-p1', 'hello-p2', 'pure', 'async', 'threads'];
  it.each(names)('should give the webassemblyjs AST of every core module in %s, agreeing with ours', (name) => {
    const bytes = fixture(name);
    const theirs = toWebassemblyjs(bytes);
    const mine = modules(decode(bytes));
    expect(theirs.map((m) => m.path)).toEqual(mine.map((m) => m.path));
    expect(theirs.length).toBeGreaterThan(0);
    theirs.forEach((t, i) => {
      const fields = (t.program.body[0]!.fields ?? []) as Field[];
      const counts = ours(mine[i]!.module);
      expect(fields.filter((f) => f.type === 'ModuleImport').length).toBe(counts.imports);
      expect(fields.filter((f) => f.type === 'ModuleExport').length).toBe(counts.exports);
      expect(fields.filter((f) => f.type === 'Func').length).toBe(counts.funcs);
    });
  });

  it('should accept a decoded AST as input', () => {
    const bytes = fixture('pure');
    expect(toWebassemblyjs(decode(bytes)).length).toBe(toWebassemblyjs(bytes).length);
  });

  it('should wrap a parser failure in a WebassemblyjsError with the module offset', () => {
    // A module with a GC struct type: beyond the MVP format webassemblyjs reads.
    const gc = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x5f, 0, 0]);
    expect(() => toWebassemblyjs(gc)).toThrow(WebassemblyjsError);
  });
});
