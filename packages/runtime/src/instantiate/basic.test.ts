import { describe, expect, it } from 'vitest';
import { compile, instantiate, instantiateAsync } from '../index.js';
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
});
