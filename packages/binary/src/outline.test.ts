import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from './errors.js';
import { sections } from './outline.js';
import { readPreamble } from './preamble.js';

describe('readPreamble', () => {
  const cases: [string, number[], string | null][] = [
    ['core module', [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0], 'module'],
    ['component', [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0], 'component'],
    ['bad magic', [0, 0x61, 0x73, 0x6e, 1, 0, 0, 0], null],
    ['unknown version', [0, 0x61, 0x73, 0x6d, 2, 0, 0, 0], null],
    ['component layer with core version', [0, 0x61, 0x73, 0x6d, 1, 0, 1, 0], null],
    ['too short', [0, 0x61, 0x73], null],
  ];
  it.each(cases)('should classify %s', (_name, input, layer) => {
    if (layer === null) {
      expect(() => readPreamble(new Uint8Array(input))).toThrow();
      try {
        readPreamble(new Uint8Array(input));
      } catch (e) {
        expect(isDecodeError(e)).toBe(true);
      }
    } else {
      expect(readPreamble(new Uint8Array(input)).layer).toBe(layer);
    }
  });
});

describe('sections', () => {
  it('should outline a component with nested modules and components', async () => {
    const bytes = await parse(`(component
      (core module $m (func (export "f")) (memory (export "mem") 1))
      (core instance $i (instantiate $m))
      (component $inner (core module (func)))
      (type $t (func (param "a" u32) (result u32)))
      (@custom "hello" "world")
    )`);
    const o = sections(bytes);
    expect(o.kind).toBe('component');
    expect(o.size).toBe(bytes.length);
    const names = o.sections.map((s) => s.name);
    expect(names).toContain('core-module');
    expect(names).toContain('core-instance');
    expect(names).toContain('component');
    expect(names).toContain('type');
    const mod = o.sections.find((s) => s.name === 'core-module')!;
    expect(mod.nested?.kind).toBe('module');
    expect(mod.nested?.sections.map((s) => s.name)).toEqual(['type', 'function', 'memory', 'export', 'code', 'custom']);
    expect(mod.nested?.sections.find((s) => s.name === 'export')?.count).toBe(2);
    const comp = o.sections.find((s) => s.name === 'component')!;
    expect(comp.nested?.sections[0]?.nested?.kind).toBe('module');
    const custom = o.sections.find((s) => s.name === 'custom');
    expect(custom?.customName).toBe('hello');
    // Every section ends where the next begins.
    for (let i = 1; i < o.sections.length; i++) {
      const prev = o.sections[i - 1]!;
      expect(o.sections[i]!.offset).toBe(prev.contentOffset + prev.size);
    }
  });

  const bad: [string, number[]][] = [
    ['section size past the end', [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 0]],
    ['truncated size', [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 0x80]],
    ['nested module with bad magic', [0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 1, 8, 1, 2, 3, 4, 1, 0, 0, 0]],
  ];
  it.each(bad)('should reject %s with a typed error', (_name, input) => {
    let err: unknown;
    try {
      sections(new Uint8Array(input));
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
  });

  it('should stop at options.maxDepth for deeply nested components', () => {
    // component { component { component { ... } } } built from the inside out.
    let inner = new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
    for (let i = 0; i < 10; i++) {
      const size = inner.length;
      const outer = new Uint8Array(8 + 2 + inner.length);
      outer.set([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 4, size]);
      outer.set(inner, 10);
      inner = outer;
      if (size > 127) break;
    }
    expect(() => sections(inner, { maxDepth: 3 })).toThrow(/nested at most 3/);
    expect(sections(inner).kind).toBe('component');
  });
});
