import { describe, expect, it } from 'vitest';
import { harness, hexAt, hostError, trapReason, writeHex } from '../test/helpers.js';
import {
  compileFunction,
  createInstanceState,
  liftFlatValues,
  liftFunction,
  lowerFlatValues,
  lowerFunction,
} from './function.js';
import { FlatIterator } from './lift.js';
import { canonResourceDrop, canonResourceNew, CallBorrowScope } from './resources/index.js';
import { load } from './load.js';
import { store } from './store.js';
import { t, type ValType } from './types.js';

const u32Params = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, t.u32]));
const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('lower_flat_values / lift_flat_values', () => {
  it('should pass up to the limit directly', () => {
    const h = harness();
    const ts = [t.u32, t.string];
    const flat = lowerFlatValues(h.cx, 16, [5, 'ab'], ts);
    expect(flat).toEqual([5, 16, 2]);
    expect(liftFlatValues(h.cx, 16, new FlatIterator(flat), ts)).toEqual([5, 'ab']);
  });

  it('should spill past the limit into a realloc-ed tuple with mayLeave cleared', () => {
    const seen: boolean[] = [];
    const h = harness({}, 1, 64, () => {
      seen.push(h.cx.inst.mayLeave);
      return undefined;
    });
    const ts = [t.u8, t.u64];
    const flat = lowerFlatValues(h.cx, 1, [7, 9n], ts);
    expect(flat).toEqual([64]);
    expect(h.calls).toEqual([[0, 0, 8, 16, 64]]);
    expect(seen).toEqual([false]);
    expect(h.cx.inst.mayLeave).toBe(true);
    expect(hexAt(h.memory, 64, 16)).toBe('07 00 00 00 00 00 00 00 09 00 00 00 00 00 00 00');
    expect(liftFlatValues(h.cx, 1, new FlatIterator(flat), ts)).toEqual([7, 9n]);
  });

  it('should store at the out param instead of calling realloc when one is given', () => {
    const h = harness();
    expect(lowerFlatValues(h.cx, 0, ['x'], [t.char], new FlatIterator([1, 2, 40], 2))).toEqual([]);
    expect(h.calls).toEqual([]);
    expect(hexAt(h.memory, 40, 4)).toBe('78 00 00 00');
  });

  it.each([
    ['a misaligned spilled pointer', [66], /^unaligned pointer: values pointer 66 is not aligned to 8/],
    ['a spilled pointer out of bounds', [65528], /values \[65528, 65544\) is out of bounds/],
  ])('should trap lifting %s', (_name, flat, reason) => {
    const h = harness();
    expect(trapReason(() => liftFlatValues(h.cx, 1, new FlatIterator(flat), [t.u8, t.u64]))).toMatch(reason);
  });

  it.each([
    ['a misaligned out param', 66, /not aligned to 8/],
    ['an out param out of bounds', 65536 - 8, /out of bounds/],
  ])('should trap lowering into %s', (_name, ptr, reason) => {
    const h = harness();
    expect(
      trapReason(() => lowerFlatValues(h.cx, 1, [1, 2n], [t.u8, t.u64], new FlatIterator([ptr]))),
    ).toMatch(reason);
  });

  it('should restore mayLeave after a host value error', () => {
    const h = harness();
    hostError(() => lowerFlatValues(h.cx, 16, [300], [t.u8]));
    expect(h.cx.inst.mayLeave).toBe(true);
  });
});

describe('compileFunction', () => {
  it('should cache per function type and options', () => {
    const ft = t.func({ a: t.u32 }, t.u32);
    expect(compileFunction(ft)).toBe(compileFunction(ft));
    expect(compileFunction(ft, { async: true })).not.toBe(compileFunction(ft));
  });

  it('should keep 16 flat params and spill 17 (canon lift side)', () => {
    const h = harness({}, 1, 64);
    const f16 = compileFunction(t.func(u32Params(16)));
    expect(f16.lowerParams(h.cx, range(16))).toEqual(range(16));
    const f17 = compileFunction(t.func(u32Params(17)));
    expect(f17.liftSignature).toEqual({ params: ['i32'], results: [] });
    expect(f17.lowerParams(h.cx, range(17))).toEqual([64]);
    expect(h.calls).toEqual([[0, 0, 4, 68, 64]]);
    expect(load(h.cx, 64, t.tuple(...Array.from({ length: 17 }, () => t.u32)))).toEqual(range(17));
  });

  it('should lift a spilled result (string) from the returned pointer', () => {
    const h = harness();
    writeHex(h.memory, 32, '68 69');
    writeHex(h.memory, 24, '20 00 00 00 02 00 00 00');
    const cf = compileFunction(t.func({}, t.string));
    expect(cf.liftSignature.results).toEqual(['i32']);
    expect(cf.liftResults(h.cx, [24])).toBe('hi');
    expect(trapReason(() => cf.liftResults(h.cx, [26]))).toMatch(/^unaligned pointer: results pointer 26 is not aligned to 4/);
    expect(trapReason(() => cf.liftResults(h.cx, [65532]))).toMatch(/out of bounds/);
  });

  it.each([
    ['a misaligned block', 66, /^realloc return: result not aligned: unaligned pointer: realloc returned pointer 66/],
    ['a block out of bounds', 65528, /^realloc return: beyond end of memory: parameters content out-of-bounds: /],
  ])('should trap when realloc returns %s for spilled parameters', (_name, ptr, reason) => {
    const h = harness({}, 1, 64, () => ptr);
    const cf = compileFunction(t.func(u32Params(17)));
    expect(trapReason(() => cf.lowerParams(h.cx, range(17)))).toMatch(reason);
  });

  it('should lift spilled params and lower a spilled result into the out param (canon lower side)', () => {
    const h = harness();
    const ft = t.func(u32Params(17), t.tuple(t.u8, t.u8));
    const cf = compileFunction(ft);
    expect(cf.lowerSignature).toEqual({ params: ['i32', 'i32'], results: [] });
    store(h.cx, range(17), t.tuple(...Array.from({ length: 17 }, () => t.u32)), 100);
    expect(cf.liftParams(h.cx, [100, 200])).toEqual(range(17));
    expect(cf.lowerResults(h.cx, [3, 4], [100, 200])).toEqual([]);
    expect(hexAt(h.memory, 200, 2)).toBe('03 04');
    expect(trapReason(() => cf.liftParams(h.cx, [65532, 0]))).toMatch(/parameters \[65532, 65600\) is out of bounds/);
  });

  it('should return a single flat result directly', () => {
    const h = harness();
    const cf = compileFunction(t.func({ a: t.u32, b: t.u32 }, t.u32));
    expect(cf.liftParams(h.cx, [1, 2])).toEqual([1, 2]);
    expect(cf.lowerResults(h.cx, 3, [1, 2])).toEqual([3]);
    expect(cf.liftResults(h.cx, [-1])).toBe(0xffffffff);
    expect(compileFunction(t.func({})).liftResults(h.cx, [])).toBeUndefined();
  });

  it('should use MAX_FLAT_ASYNC_PARAMS and an out param for every result of an async lower', () => {
    const h = harness();
    const ft = t.func(u32Params(5), t.u8);
    const cf = compileFunction(ft, { async: true });
    expect(cf.lowerSignature).toEqual({ params: ['i32', 'i32'], results: ['i32'] });
    store(h.cx, range(5), t.tuple(...Array.from({ length: 5 }, () => t.u32)), 100);
    expect(cf.liftParams(h.cx, [100, 300])).toEqual(range(5));
    expect(cf.lowerResults(h.cx, 9, [100, 300])).toEqual([]);
    expect(hexAt(h.memory, 300, 1)).toBe('09');
    const small = compileFunction(t.func(u32Params(4)), { async: true });
    expect(small.liftParams(h.cx, [1, 2, 3, 4])).toEqual([1, 2, 3, 4]);
  });
});

describe('liftFunction (sync canon lift)', () => {
  it('should call the core function and post-return with mayLeave cleared', () => {
    const h = harness();
    const log: unknown[] = [];
    const inst = h.cx.inst;
    const add = liftFunction(
      t.func({ a: t.u32, b: t.u32 }, t.u32),
      { ...h.cx.opts, postReturn: (...flat) => log.push(['post', flat, inst.mayLeave]) },
      inst,
      (a, b) => ((a as number) + (b as number)) | 0,
    );
    expect(add(2, 3)).toBe(5);
    expect(add(0xffffffff, 1)).toBe(0);
    expect(log).toEqual([
      ['post', [5], false],
      ['post', [0], false],
    ]);
    expect(inst.mayLeave).toBe(true);
  });

  it('should lower string params and lift a spilled string result', () => {
    const h = harness();
    const upper = liftFunction(t.func({ s: t.string }, t.string), h.cx.opts, h.cx.inst, (ptr, len) => {
      const s = new TextDecoder().decode(new Uint8Array(h.memory.buffer, ptr as number, len as number));
      const bytes = new TextEncoder().encode(s.toUpperCase());
      new Uint8Array(h.memory.buffer).set(bytes, 1000);
      new DataView(h.memory.buffer).setUint32(992, 1000, true);
      new DataView(h.memory.buffer).setUint32(996, bytes.length, true);
      return 992;
    });
    expect(upper('abc')).toBe('ABC');
  });

  it('should trap when the callee keeps a borrow past the end of the call', () => {
    const h = harness();
    const rt = t.resource('r');
    let kept = -1;
    const f = liftFunction(t.func({ r: t.borrow(rt) }), h.cx.opts, h.cx.inst, (i) => {
      kept = i as number;
    });
    expect(trapReason(() => f(42))).toMatch(/borrow handles still remain/);
    const g = liftFunction(t.func({ r: t.borrow(rt) }), h.cx.opts, h.cx.inst, (i) => {
      canonResourceDrop(h.cx.inst, rt, i as number);
    });
    expect(g(43)).toBeUndefined();
    expect(kept).toBeGreaterThan(0);
  });

  it('should report a host argument of the wrong type as a HostValueError', () => {
    const h = harness();
    const f = liftFunction(t.func({ a: t.u8 }), h.cx.opts, h.cx.inst, () => undefined);
    expect(hostError(() => f(256)).message).toMatch(/expected u8/);
  });
});

describe('lowerFunction (sync canon lower)', () => {
  it('should lift params, call the host and lower a spilled result into the out pointer', () => {
    const h = harness();
    const imp = lowerFunction(t.func({ s: t.string }, t.string), h.cx.opts, h.cx.inst, (s) => `${s as string}!`);
    writeHex(h.memory, 500, '68 69');
    expect(imp(500, 2, 600)).toBeUndefined();
    expect(load(h.cx, 600, t.string)).toBe('hi!');
  });

  it('should return one flat result', () => {
    const h = harness();
    const imp = lowerFunction(t.func({ a: t.f64 }, t.f64), h.cx.opts, h.cx.inst, (a) => (a as number) * 2);
    expect(imp(1.25)).toBe(2.5);
  });

  it('should trap when the instance may not leave', () => {
    const h = harness();
    const imp = lowerFunction(t.func({}), h.cx.opts, h.cx.inst, () => undefined);
    h.cx.inst.mayLeave = false;
    expect(trapReason(() => imp())).toMatch(/cannot leave/);
  });

  it('should lend borrowed handles for the call and give them back', () => {
    const h = harness();
    const rt = t.resource('r');
    const i = canonResourceNew(h.cx.inst, rt, 77);
    let during = -1;
    const imp = lowerFunction(t.func({ r: t.borrow(rt) }), h.cx.opts, h.cx.inst, (rep) => {
      during = rep as number;
      // While lent, the owner cannot drop it.
      expect(trapReason(() => canonResourceDrop(h.cx.inst, rt, i))).toMatch(/borrowed/);
    });
    imp(i);
    expect(during).toBe(77);
    canonResourceDrop(h.cx.inst, rt, i);
  });

  it('should move own handles out of the table', () => {
    const h = harness();
    const rt = t.resource('r');
    const i = canonResourceNew(h.cx.inst, rt, 5);
    let got = -1;
    const imp = lowerFunction(t.func({ r: t.own(rt) }), h.cx.opts, h.cx.inst, (rep) => {
      got = rep as number;
    });
    imp(i);
    expect(got).toBe(5);
    expect(trapReason(() => imp(i))).toMatch(/./);
  });

  it('should refuse the async option (sync wrappers only)', () => {
    const h = harness({ async: true });
    expect(() => lowerFunction(t.func({}), h.cx.opts, h.cx.inst, () => undefined)).toThrow(TypeError);
    expect(() => liftFunction(t.func({}), h.cx.opts, h.cx.inst, () => undefined)).toThrow(/synchronous ABI only/);
  });

  it('should work with a fresh instance state', () => {
    const inst = createInstanceState();
    expect(inst.mayLeave).toBe(true);
    expect(inst.handles.size).toBe(0);
    const scope = new CallBorrowScope();
    expect(scope.numBorrows).toBe(0);
  });
});

describe('spilled types', () => {
  const cases: [string, ValType[]][] = [
    ['17 u8', Array.from({ length: 17 }, () => t.u8)],
    ['a big record', [t.record({ a: t.list(t.u8, 20) })]],
  ];
  it.each(cases)('should round-trip %s through memory', (_name, ts) => {
    const h = harness();
    const vals = ts.map((ty) => (ty.kind === 'u8' ? 1 : { a: new Uint8Array(20).fill(3) }));
    const flat = lowerFlatValues(h.cx, 16, vals, ts);
    expect(flat.length).toBe(1);
    expect(liftFlatValues(h.cx, 16, new FlatIterator(flat), ts)).toEqual(vals);
  });
});
