import { describe, expect, it } from 'vitest';
import { instantiate, isLinkError, isTrap } from '../index.js';
import { wat } from './test-util.js';

type Fn = (...a: unknown[]) => unknown;

const CHILD_DOUBLE = `(component $A
    (core module $M (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul))
    (core instance $m (instantiate $M))
    (func (export "double") (param "x" u32) (result u32) (canon lift (core func $m "double"))))`;

describe('nested components and linking', () => {
  it('should link sibling components and re-export a nested function', async () => {
    const e = instantiate(
      await wat(`(component
        ${CHILD_DOUBLE}
        (component $B
          (import "double" (func $d (param "x" u32) (result u32)))
          (core func $d (canon lower (func $d)))
          (core module $M
            (import "" "double" (func $d (param i32) (result i32)))
            (func (export "quad") (param i32) (result i32) local.get 0 call $d call $d))
          (core instance $m (instantiate $M (with "" (instance (export "double" (func $d))))))
          (func (export "quad") (param "x" u32) (result u32) (canon lift (core func $m "quad"))))
        (instance $a (instantiate $A))
        (instance $b (instantiate $B (with "double" (func $a "double"))))
        (export "double" (func $a "double"))
        (export "quad-it" (func $b "quad")))`),
    );
    expect((e.double as Fn)(3)).toBe(6);
    expect((e.quadIt as Fn)(3)).toBe(12);
    expect(e['quad-it']).toBe(e.quadIt); // the raw name is an alias
    expect(Object.keys(e)).toEqual(['double', 'quadIt']);
  });

  it('should trap when a parent calls into its child from a lifted call (reentrance rule)', async () => {
    const e = instantiate(
      await wat(`(component
        ${CHILD_DOUBLE}
        (instance $a (instantiate $A))
        (core func $d (canon lower (func $a "double")))
        (core module $M
          (import "" "double" (func $d (param i32) (result i32)))
          (func (export "f") (param i32) (result i32) local.get 0 call $d))
        (core instance $m (instantiate $M (with "" (instance (export "double" (func $d))))))
        (func (export "f") (param "x" u32) (result u32) (canon lift (core func $m "f"))))`),
    );
    expect(() => (e.f as Fn)(1)).toThrow(/cannot enter component instance/);
  });

  it('should resolve outer aliases, instance imports, exported instances and start functions', async () => {
    const calls: string[] = [];
    const e = instantiate(
      await wat(`(component $P
        (type $pair (tuple u32 u32))
        (import "math" (instance $math
          (export "mul" (func (param "a" u32) (param "b" u32) (result u32)))))
        (import "started" (func $started))
        (component $C
          (alias outer $P $pair (type $pair))
          (import "mul" (func $mul (param "a" u32) (param "b" u32) (result u32)))
          (core func $mul (canon lower (func $mul)))
          (core module $M
            (import "" "mul" (func $mul (param i32 i32) (result i32)))
            (func (export "sq") (param i32 i32) (result i32) local.get 0 local.get 0 call $mul))
          (core instance $m (instantiate $M (with "" (instance (export "mul" (func $mul))))))
          (func (export "square") (param "p" $pair) (result u32) (canon lift (core func $m "sq"))))
        (instance $c (instantiate $C (with "mul" (func $math "mul"))))
        (core func $started (canon lower (func $started)))
        (core module $S
          (import "" "started" (func $started))
          (func (export "init") call $started))
        (core instance $s (instantiate $S (with "" (instance (export "started" (func $started))))))
        (func $init (canon lift (core func $s "init")))
        (start $init)
        (instance $out (export "square-first" (func $c "square")))
        (export "my:pkg/shapes@1.0.0" (instance $out)))`),
      {
        math: { mul: (a: number, b: number) => a * b },
        started: () => calls.push('started'),
      },
    );
    expect(calls).toEqual(['started']);
    const shapes = e['my:pkg/shapes@1.0.0'] as Record<string, Fn>;
    expect(shapes.squareFirst?.([7, 100])).toBe(49);
    expect(e['my:pkg/shapes']).toBe(shapes);
    expect(e.shapes).toBe(shapes);
  });

  it('should look up interface imports with or without version and camelCase members', async () => {
    const bytes = await wat(`(component
      (import "my:pkg/math@0.2.0" (instance $math
        (export "add-one" (func (param "a" u32) (result u32)))))
      (alias export $math "add-one" (func $f))
      (core func $f (canon lower (func $f)))
      (core module $M
        (import "" "f" (func $f (param i32) (result i32)))
        (func (export "g") (param i32) (result i32) local.get 0 call $f))
      (core instance $m (instantiate $M (with "" (instance (export "f" (func $f))))))
      (func (export "g") (param "a" u32) (result u32) (canon lift (core func $m "g"))))`);
    const addOne = (a: number): number => a + 1;
    expect((instantiate(bytes, { 'my:pkg/math@0.2.0': { addOne } }).g as Fn)(1)).toBe(2);
    expect((instantiate(bytes, { 'my:pkg/math': { 'add-one': addOne } }).g as Fn)(2)).toBe(3);
    expect((instantiate(bytes, { 'my:pkg/math@0.2.1': { addOne } }).g as Fn)(3)).toBe(4);
  });

  it('should throw a LinkError naming a missing import', async () => {
    const bytes = await wat(`(component
      (import "my:pkg/math" (instance (export "add-one" (func (param "a" u32) (result u32))))))`);
    for (const imports of [{}, { 'my:pkg/math': {} }, { 'my:pkg/math': { addOne: 1 } }]) {
      let err: unknown;
      try {
        instantiate(bytes, imports);
      } catch (x) {
        err = x;
      }
      expect(isLinkError(err), String(err)).toBe(true);
      expect(String(err)).toMatch(/my:pkg\/math/);
    }
  });
});

describe('link-time checks of instances and functions from other instances', () => {
  const ADDER = `(component
    (core module $M (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
    (core instance $m (instantiate $M))
    (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $m "add")))
    (instance $i (export "add" (func $add)))
    (export "math" (instance $i))
    (export "add" (func $add)))`;

  it('should accept a matching instance and function and reject mismatching ones', async () => {
    const a = instantiate(await wat(ADDER));
    const wantInstance = (sig: string): Promise<Uint8Array> =>
      wat(`(component (import "math" (instance (export "add" (func ${sig})))))`);
    const wantFunc = (sig: string): Promise<Uint8Array> => wat(`(component (import "add" (func ${sig})))`);
    const good = '(param "a" u32) (param "b" u32) (result u32)';
    const bad = '(param "a" u32) (param "b" u64) (result u32)';
    instantiate(await wantInstance(good), { math: a.math });
    instantiate(await wantFunc(good), { add: a.add });
    for (const [bytes, imports] of [
      [await wantInstance(bad), { math: a.math }],
      [await wantFunc(bad), { add: a.add }],
      [await wat(`(component (import "math" (instance (export "sub" (func ${good})))))`), { math: a.math }],
    ] as const) {
      let err: unknown;
      try {
        instantiate(bytes, imports);
      } catch (e) {
        err = e;
      }
      expect(isLinkError(err), String(err)).toBe(true);
    }
  });
});

describe('traps', () => {
  const TRAPPY = `(component
    (import "cb" (func $cb))
    (core func $cb (canon lower (func $cb)))
    (core module $Mem (memory (export "mem") 1))
    (core instance $mem (instantiate $Mem))
    (core module $M
      (import "" "cb" (func $cb))
      (func (export "boom") unreachable)
      (func (export "call-cb") call $cb)
      (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
      (func (export "post") (param i32) call $cb))
    (core instance $m (instantiate $M (with "" (instance (export "cb" (func $cb))))))
    (func (export "boom") (canon lift (core func $m "boom")))
    (func (export "call-cb") (canon lift (core func $m "call-cb")))
    (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $m "add")))
    (func (export "add-post") (param "a" u32) (param "b" u32) (result u32)
      (canon lift (core func $m "add") (post-return (core func $m "post")))))`;

  it('should turn a core trap into a Trap and poison the instance', async () => {
    const e = instantiate(await wat(TRAPPY), { cb: () => {} });
    let err: unknown;
    try {
      (e.boom as Fn)();
    } catch (x) {
      err = x;
    }
    expect(isTrap(err)).toBe(true);
    expect(String(err)).toMatch(/wasm trap: wasm `unreachable` instruction executed/);
    expect((err as { cause?: unknown }).cause).toBeInstanceOf(WebAssembly.RuntimeError);
    expect(() => (e.add as Fn)(1, 2)).toThrow(/cannot enter component instance/);
  });

  it('should trap on reentrance from the host', async () => {
    let inner: unknown;
    const e: Record<string, unknown> = instantiate(await wat(TRAPPY), {
      cb: () => {
        try {
          (e.add as Fn)(1, 2);
        } catch (x) {
          inner = x;
          throw x;
        }
      },
    });
    expect(() => (e.callCb as Fn)()).toThrow(/cannot enter component instance/);
    expect(isTrap(inner)).toBe(true);
  });

  it('should trap when post-return calls an import (may_leave)', async () => {
    const e = instantiate(await wat(TRAPPY), { cb: () => {} });
    expect(() => (e.addPost as Fn)(1, 2)).toThrow(/cannot leave component instance/);
  });

  it('should not poison the instance for a badly typed host argument', async () => {
    const e = instantiate(await wat(TRAPPY), { cb: () => {} });
    expect(() => (e.add as Fn)('one', 2)).toThrow(TypeError);
    expect(() => (e.add as Fn)(-1, 2)).toThrow(TypeError);
    expect((e.add as Fn)(1, 2)).toBe(3);
  });
});

describe('maps between components', () => {
  // C counts the pairs of a map argument and returns a map with a duplicate
  // key; D passes maps with duplicate keys to C, or relays C's result back.
  const MAPS = `(component
    (component $C
      (core module $M
        (memory (export "mem") 1)
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 256))
        (func (export "count") (param i32 i32) (result i32) local.get 1)
        (data (i32.const 32) "\\40\\00\\00\\00\\03\\00\\00\\00")
        (data (i32.const 64) "\\01\\0a\\01\\0b\\02\\14")
        (func (export "make") (result i32) i32.const 32))
      (core instance $m (instantiate $M))
      (func (export "count") (param "m" (map u8 u8)) (result u32)
        (canon lift (core func $m "count") (memory (core memory $m "mem")) (realloc (core func $m "realloc"))))
      (func (export "make") (result (map u8 u8))
        (canon lift (core func $m "make") (memory (core memory $m "mem")))))
    (component $D
      (import "count" (func $count (param "m" (map u8 u8)) (result u32)))
      (import "make" (func $make (result (map u8 u8))))
      (core module $Mem
        (memory (export "mem") 1)
        (func (export "realloc") (param i32 i32 i32 i32) (result i32) (i32.const 512)))
      (core instance $mem (instantiate $Mem))
      (core func $count' (canon lower (func $count) (memory (core memory $mem "mem"))))
      (core func $make' (canon lower (func $make) (memory (core memory $mem "mem")) (realloc (core func $mem "realloc"))))
      (core module $Main
        (import "" "mem" (memory 1))
        (import "" "count" (func $count (param i32 i32) (result i32)))
        (import "" "make" (func $make (param i32)))
        (data (i32.const 64) "\\01\\0a\\01\\0b\\02\\14\\02\\15")
        (func (export "pass") (result i32) (call $count (i32.const 64) (i32.const 4)))
        (func (export "relay") (result i32)
          (call $make (i32.const 16))
          (call $count (i32.load (i32.const 16)) (i32.load (i32.const 20)))))
      (core instance $main (instantiate $Main (with "" (instance
        (export "mem" (memory $mem "mem"))
        (export "count" (func $count'))
        (export "make" (func $make'))))))
      (func (export "pass") (result u32) (canon lift (core func $main "pass")))
      (func (export "relay") (result u32) (canon lift (core func $main "relay"))))
    (instance $c (instantiate $C))
    (instance $d (instantiate $D (with "count" (func $c "count")) (with "make" (func $c "make"))))
    (export "count" (func $c "count"))
    (export "make" (func $c "make"))
    (export "pass" (func $d "pass"))
    (export "relay" (func $d "relay")))`;

  it('should keep every pair, duplicate keys included, of a map passed from one component to another', async () => {
    const e = instantiate(await wat(MAPS));
    expect((e.pass as Fn)()).toBe(4);
    expect((e.relay as Fn)()).toBe(3);
  });

  it('should give the host a Map and accept a Map or [key, value] pairs from it', async () => {
    const e = instantiate(await wat(MAPS));
    expect((e.make as Fn)()).toEqual(new Map([[1, 11], [2, 20]]));
    expect((e.count as Fn)(new Map([[1, 1]]))).toBe(1);
    expect((e.count as Fn)([[1, 1], [1, 2]])).toBe(2);
  });
});
