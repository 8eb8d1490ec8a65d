import { describe, expect, it } from 'vitest';
import { harness } from '../test/helpers.js';
import { CODEGEN_AVAILABLE, codegenEnabled, isCompound, setCodegen } from './codegen.js';
import { compileLoad, load } from './load.js';
import { compileStore, store } from './store.js';
import { t } from './types.js';

describe('code generation', () => {
  it('should be available in Node and on by default', () => {
    expect(CODEGEN_AVAILABLE).toBe(true);
    expect(codegenEnabled()).toBe(true);
  });

  it('should generate per-type code for compound types only', () => {
    expect(isCompound(t.record({ a: t.u8 }))).toBe(true);
    expect(isCompound(t.option(t.u8))).toBe(true);
    expect(isCompound(t.list(t.u8))).toBe(false);
    expect(isCompound(t.string)).toBe(false);
    expect(compileStore(t.record({ alpha: t.u8 })).toString()).toContain('"alpha"');
  });

  it('should keep labels that look like code inert', () => {
    const evil = '"]; globalThis.pwned = 1; //';
    const ty = t.record({ [evil]: t.u32, '\n': t.flags(evil, '\u2028') });
    const h = harness();
    const v = { [evil]: 7, '\n': { [evil]: true, '\u2028': false } };
    store(h.cx, v, ty, 8);
    expect(load(h.cx, 8, ty)).toEqual(v);
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('should fall back to closures for a __proto__ label', () => {
    const ty = t.record({ ['__proto__']: t.u8, b: t.u8 });
    expect(isCompound(ty)).toBe(false);
    const h = harness();
    const v = JSON.parse('{"__proto__": 5, "b": 6}') as unknown;
    store(h.cx, v, ty, 8);
    const back = load(h.cx, 8, ty) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(back, '__proto__')?.value).toBe(5);
    expect(back['b']).toBe(6);
  });

  it('should map variant, enum and result tags to case indices like the closures do', () => {
    const v = t.variant({ constructor: t.u8, toString: undefined, b: t.string });
    const e = t.enum('x', 'hasOwnProperty', 'z');
    const r = t.result(t.u8, t.u8);
    const ty = t.tuple(v, e, r);
    const values: unknown[] = [
      [{ tag: 'constructor', val: 1 }, 'x', { tag: 'ok', val: 2 }],
      [{ tag: 'toString' }, 'hasOwnProperty', { tag: 'err', val: 3 }],
      [{ tag: 'b', val: 'hi' }, 'z', { tag: 'error', val: 4 }],
    ];
    for (const x of values) {
      const h = harness({}, 1, 256);
      store(h.cx, x, ty, 8);
      setCodegen(false);
      try {
        const ty2 = t.tuple(t.variant({ constructor: t.u8, toString: undefined, b: t.string }), t.enum('x', 'hasOwnProperty', 'z'), t.result(t.u8, t.u8));
        const h2 = harness({}, 1, 256);
        store(h2.cx, x, ty2, 8);
        expect(new Uint8Array(h.memory.buffer, 0, 512)).toEqual(new Uint8Array(h2.memory.buffer, 0, 512));
      } finally {
        setCodegen(true);
      }
    }
    const bad: unknown[] = [
      [{ tag: 'nope' }, 'x', { tag: 'ok', val: 2 }],
      [null, 'x', { tag: 'ok', val: 2 }],
      [{ tag: 'b', val: 'hi' }, 'y', { tag: 'ok', val: 2 }],
      [{ tag: 'b', val: 'hi' }, 'x', { tag: 'fine' }],
      [{ tag: 'b', val: 'hi' }, 'x', 'ok'],
    ];
    for (const x of bad) expect(() => store(harness().cx, x, ty, 8)).toThrow(/\[[012]\]/);
  });

  it('should use closures for types compiled while code generation is off', () => {
    setCodegen(false);
    try {
      const ty = t.record({ gamma: t.u8 });
      expect(compileLoad(ty).toString()).not.toContain('"gamma"');
      const h = harness();
      store(h.cx, { gamma: 3 }, ty, 8);
      expect(load(h.cx, 8, ty)).toEqual({ gamma: 3 });
    } finally {
      setCodegen(true);
    }
  });
});
