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
