import { describe, expect, it } from 'vitest';
import { decode } from '@wasm-components/binary';
import { compile, instantiate, instantiateAsync, isValidationError } from '../index.js';
import { wat } from './test-util.js';

const ADD = `(component
  (core module $m
    (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
  (core instance $i (instantiate $m))
  (func $add (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $i "add")))
  (export "add" (func $add)))`;

describe('instantiate', () => {
  it('should call a lifted export', async () => {
    const e = instantiate(await wat(ADD));
    expect((e.add as (a: number, b: number) => number)(2, 3)).toBe(5);
  });
  it('should share compiled modules across instantiations', async () => {
    const c = compile(await wat(ADD));
    const a = instantiate(c);
    const b = await instantiateAsync(c);
    expect((a.add as (a: number, b: number) => number)(1, 1)).toBe(2);
    expect((b.add as (a: number, b: number) => number)(1, 2)).toBe(3);
  });
});

describe('scalar fast path', () => {
  it('should spill 17 scalar parameters into memory (regression: the fast path passed them flat)', async () => {
    const n = 17;
    const params = Array.from({ length: n }, (_, i) => `(param "p${i}" u32)`).join(' ');
    const e = instantiate(
      await wat(`(component
        (core module $m
          (memory (export "mem") 1)
          (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 64)
          ;; spilled params arrive as one pointer: sum the 17 u32s
          (func (export "sum") (param $p i32) (result i32) (local $i i32) (local $s i32)
            (block $done (loop $l
              (br_if $done (i32.ge_u (local.get $i) (i32.const ${n})))
              (local.set $s (i32.add (local.get $s)
                (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $l)))
            local.get $s))
        (core instance $i (instantiate $m))
        (func (export "sum") ${params} (result u32)
          (canon lift (core func $i "sum") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`),
    );
    const args = Array.from({ length: n }, (_, i) => i + 1);
    expect((e.sum as (...a: number[]) => number)(...args)).toBe((n * (n + 1)) / 2);
  });

  it('should check the argument count and ranges without poisoning', async () => {
    const e = instantiate(await wat(ADD));
    const add = e.add as (...a: unknown[]) => number;
    expect(() => add(1)).toThrow(TypeError);
    expect(() => add(1, 2 ** 32)).toThrow(TypeError);
    expect(add(2 ** 32 - 1, 1)).toBe(0);
  });

  // Regression: outside the scalar fast path a wrong argument count was a plain TypeError that poisoned the instance.
  it('should check the argument count of a function taking a string without poisoning', async () => {
    const e = instantiate(
      await wat(`(component
        (core module $m
          (memory (export "mem") 1)
          (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 64)
          (func (export "len") (param i32 i32) (result i32) local.get 1))
        (core instance $i (instantiate $m))
        (func (export "len") (param "s" string) (result u32)
          (canon lift (core func $i "len") (memory (core memory $i "mem")) (realloc (core func $i "realloc")))))`),
    );
    const len = e.len as (...a: unknown[]) => number;
    expect(() => len('ab', 1)).toThrow(/expected 1 parameters, got 2/);
    expect(() => len()).toThrow(/expected 1 parameters, got 0/);
    expect(() => len(3)).toThrow(TypeError);
    expect(len('abc')).toBe(3);
  });
});

describe('compile', () => {
  it('should reject malformed bytes and invalid components with a ValidationError', async () => {
    for (const bytes of [
      new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff]),
      await wat(`(component (core module $m) (core instance (instantiate 7)))`),
      await wat(`(module)`),
    ]) {
      let err: unknown;
      try {
        compile(bytes);
      } catch (e) {
        err = e;
      }
      expect(isValidationError(err), String(err)).toBe(true);
    }
  });

  it('should accept a decoded component and instantiate bytes asynchronously', async () => {
    const bytes = await wat(ADD);
    const ast = decode(bytes);
    if (ast.kind !== 'component') throw new Error('expected a component');
    expect((instantiate(compile(ast)).add as (a: number, b: number) => number)(4, 5)).toBe(9);
    expect(((await instantiateAsync(bytes)).add as (a: number, b: number) => number)(4, 6)).toBe(10);
  });

  it('should take core modules and components as imports and export them', async () => {
    const inner = compile(await wat(ADD));
    const core = new WebAssembly.Module(await wat(`(module (func (export "two") (result i32) i32.const 2))`));
    const e = instantiate(
      await wat(`(component
        (import "m" (core module $m (export "two" (func (result i32)))))
        (import "c" (component $c (export "add" (func (param "a" u32) (param "b" u32) (result u32)))))
        (core instance $mi (instantiate $m))
        (func $two (result u32) (canon lift (core func $mi "two")))
        (instance $ci (instantiate $c))
        (export "two" (func $two))
        (export "add" (func $ci "add"))
        (export "the-module" (core module $m)))`),
      { m: core, c: inner },
    );
    expect((e.two as () => number)()).toBe(2);
    expect((e.add as (a: number, b: number) => number)(2, 2)).toBe(4);
    expect(e.theModule).toBe(core);
  });
});

describe('scalar lowering', () => {
  const ECHO64 = `(component
    (core module $m (func (export "id") (param i64) (result i64) local.get 0))
    (core instance $i (instantiate $m))
    (func (export "u64") (param "x" u64) (result u64) (canon lift (core func $i "id")))
    (func (export "s64") (param "x" s64) (result s64) (canon lift (core func $i "id"))))`;

  it('should take bigints and, as canonical-abi allows, safe-integer numbers for 64-bit types', async () => {
    const e = instantiate(await wat(ECHO64));
    const u64 = e.u64 as (x: unknown) => bigint;
    const s64 = e.s64 as (x: unknown) => bigint;
    expect(u64(2n ** 64n - 1n)).toBe(2n ** 64n - 1n);
    expect(u64(5)).toBe(5n);
    expect(s64(-(2n ** 63n))).toBe(-(2n ** 63n));
    expect(() => u64(-1n)).toThrow(TypeError);
    expect(() => s64(2n ** 63n)).toThrow(TypeError);
    expect(() => u64('1')).toThrow(TypeError);
  });

  it('should give every call fresh context storage although the fast path reuses its task object', async () => {
    // bump() returns context slot 0 and then stores 0 + 1 there: each call must see 0.
    const e = instantiate(
      await wat(`(component
        (core func $get (canon context.get i32 0))
        (core func $set (canon context.set i32 0))
        (core module $m
          (import "" "get" (func $get (result i32)))
          (import "" "set" (func $set (param i32)))
          (func (export "bump") (result i32) (local $v i32)
            (local.set $v (call $get))
            (call $set (i32.add (local.get $v) (i32.const 1)))
            local.get $v))
        (core instance $i (instantiate $m (with "" (instance (export "get" (func $get)) (export "set" (func $set))))))
        (func (export "bump") (result u32) (canon lift (core func $i "bump"))))`),
    );
    const bump = e.bump as () => number;
    expect([bump(), bump(), bump()]).toEqual([0, 0, 0]);
  });

  it('should trap on reentrance from a host import and stay poisoned after a trap', async () => {
    let reenter: (() => number) | undefined;
    const e = instantiate(
      await wat(`(component
        (import "cb" (func $cb (result u32)))
        (core func $cbl (canon lower (func $cb)))
        (core module $m
          (import "" "cb" (func $cb (result i32)))
          (func (export "outer") (result i32) call $cb)
          (func (export "leaf") (result i32) i32.const 7)
          (func (export "boom") (result i32) unreachable))
        (core instance $i (instantiate $m (with "" (instance (export "cb" (func $cbl))))))
        (func (export "outer") (result u32) (canon lift (core func $i "outer")))
        (func (export "leaf") (result u32) (canon lift (core func $i "leaf")))
        (func (export "boom") (result u32) (canon lift (core func $i "boom"))))`),
      { cb: () => (reenter === undefined ? 1 : reenter()) },
    );
    const outer = e.outer as () => number;
    const leaf = e.leaf as () => number;
    expect(outer()).toBe(1);
    reenter = leaf;
    expect(() => outer()).toThrow(/cannot enter component instance/);
    reenter = undefined;
    // the reentrance trap poisoned the instance
    expect(() => leaf()).toThrow(/cannot enter component instance/);
  });

  it('should poison the instance when a scalar call traps', async () => {
    const e = instantiate(
      await wat(`(component
        (core module $m
          (func (export "leaf") (result i32) i32.const 7)
          (func (export "boom") (result i32) unreachable))
        (core instance $i (instantiate $m))
        (func (export "leaf") (result u32) (canon lift (core func $i "leaf")))
        (func (export "boom") (result u32) (canon lift (core func $i "boom"))))`),
    );
    expect((e.leaf as () => number)()).toBe(7);
    expect(() => (e.boom as () => number)()).toThrow(/unreachable/);
    expect(() => (e.leaf as () => number)()).toThrow(/cannot enter component instance/);
  });
});
