import { describe, expect, it } from 'vitest';
import { instantiateAsync } from '../index.js';
import { wat } from './test-util.js';

const hasJspi = typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';

/** `yield-once(x) = x + 1` after one `thread.yield`, lifted stackful (async, no callback); `ping(x) = x + 1` at once. */
const STACKFUL = `(component
  (core module $M
    (import "" "yield" (func $yield (result i32)))
    (import "" "ret" (func $ret (param i32)))
    (func (export "yield-once") (param i32)
      (drop (call $yield))
      (call $ret (i32.add (local.get 0) (i32.const 1))))
    (func (export "ping") (param i32)
      (call $ret (i32.add (local.get 0) (i32.const 1)))))
  (core func $yield (canon thread.yield))
  (core func $ret (canon task.return (result u32)))
  (core instance $m (instantiate $M (with "" (instance (export "yield" (func $yield)) (export "ret" (func $ret))))))
  (func (export "yield-once") async (param "x" u32) (result u32) (canon lift (core func $m "yield-once") async))
  (func (export "ping") async (param "x" u32) (result u32) (canon lift (core func $m "ping") async)))`;

type Fn = (x: number) => Promise<number>;

/** `ping(x) = x + 1`, lifted with a callback (it needs exclusive access to its instance while it runs). */
const CALLBACK = `(component
  (core module $M
    (import "" "ret" (func $ret (param i32)))
    (func (export "ping") (param i32) (result i32)
      (call $ret (i32.add (local.get 0) (i32.const 1)))
      (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core func $ret (canon task.return (result u32)))
  (core instance $m (instantiate $M (with "" (instance (export "ret" (func $ret))))))
  (func (export "ping") async (param "x" u32) (result u32) (canon lift (core func $m "ping") async (callback (core func $m "cb")))))`;

describe('async lifts through the runtime', () => {
  it.runIf(hasJspi)('should let the host call again after a stackful call that suspended has returned', async () => {
    const e = (await instantiateAsync(await wat(STACKFUL), {})) as Record<string, Fn>;
    expect(await e['yieldOnce']!(1)).toBe(2);
    expect(await e['yieldOnce']!(2)).toBe(3);
    expect(await Promise.all([e['yieldOnce']!(3), e['yieldOnce']!(4), e['ping']!(5)])).toEqual([4, 5, 6]);
  });

  it.runIf(!hasJspi)('should fail a stackful call that has to suspend with an error naming JSPI', async () => {
    const e = (await instantiateAsync(await wat(STACKFUL), {})) as Record<string, Fn>;
    await expect(e['yieldOnce']!(1)).rejects.toThrow(/JSPI/);
  });

  it('should let the next call enter after a call whose arguments could not be lowered', async () => {
    const e = (await instantiateAsync(await wat(CALLBACK), {})) as Record<string, (x: unknown) => Promise<number>>;
    await expect(e['ping']!('not a number')).rejects.toThrow();
    expect(await e['ping']!(1)).toBe(2);
  });

  it('should give each top-level instantiation its own store', async () => {
    const bytes = await wat(STACKFUL);
    const a = (await instantiateAsync(bytes, {})) as Record<string, Fn>;
    const b = (await instantiateAsync(bytes, {})) as Record<string, Fn>;
    expect(await Promise.all([a['ping']!(1), b['ping']!(2)])).toEqual([2, 3]);
  });
});
