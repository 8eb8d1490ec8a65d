import { describe, expect, it } from 'vitest';
import { instantiateAsync } from '../index.js';
import { wat } from './test-util.js';
import { INSTANCE_ITEM, type InstanceItem } from './model.js';

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

  // Without JSPI a stackful call that has to suspend fails naming the missing feature: checked on a real engine
  // without JSPI (Node 20, spawned) by async-host.test.ts and threads.test.ts, since this process has JSPI.

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

/**
 * `f(x) = x + 1`, a sync function of an instance that switches threads (it imports `thread.resume-later`), so it
 * runs as a synchronous task of the async machinery, and `g(x) = x + 1`, async, answering after one callback YIELD.
 */
const SYNC_AND_YIELD = `(component
  (core module $M
    (import "" "ret" (func $ret (param i32)))
    (import "" "resume-later" (func $resume-later (param i32)))
    (global $x (mut i32) (i32.const 0))
    (func (export "f") (param i32) (result i32)
      (i32.add (local.get 0) (i32.const 1)))
    (func (export "g") (param i32) (result i32)
      (global.set $x (local.get 0))
      (i32.const 1))
    (func (export "cb") (param i32 i32 i32) (result i32)
      (call $ret (i32.add (global.get $x) (i32.const 1)))
      (i32.const 0)))
  (core func $ret (canon task.return (result u32)))
  (core func $resume-later (canon thread.resume-later))
  (core instance $m (instantiate $M (with "" (instance (export "ret" (func $ret)) (export "resume-later" (func $resume-later))))))
  (func (export "f") (param "x" u32) (result u32) (canon lift (core func $m "f")))
  (func (export "g") async (param "x" u32) (result u32) (canon lift (core func $m "g") async (callback (core func $m "cb")))))`;

/** `ping(x) = x + 1` (callback lift) behind backpressure the host turns on with `hold` and off with `release`. */
const BACKPRESSURE = `(component
  (core module $M
    (import "" "ret" (func $ret (param i32)))
    (import "" "inc" (func $inc))
    (import "" "dec" (func $dec))
    (func (export "hold") (call $inc))
    (func (export "release") (call $dec))
    (func (export "ping") (param i32) (result i32)
      (call $ret (i32.add (local.get 0) (i32.const 1)))
      (i32.const 0))
    (func (export "cb") (param i32 i32 i32) (result i32) unreachable))
  (core func $ret (canon task.return (result u32)))
  (core func $inc (canon backpressure.inc))
  (core func $dec (canon backpressure.dec))
  (core instance $m (instantiate $M (with "" (instance (export "ret" (func $ret)) (export "inc" (func $inc)) (export "dec" (func $dec))))))
  (func (export "hold") (canon lift (core func $m "hold")))
  (func (export "release") (canon lift (core func $m "release")))
  (func (export "ping") async (param "x" u32) (result u32) (canon lift (core func $m "ping") async (callback (core func $m "cb")))))`;

/** The function a lifted export is before the host's view wraps it (what component-to-component links see). */
function rawExport(e: object, name: string): (...args: unknown[]) => Promise<unknown> {
  const item = (e as Record<symbol, InstanceItem>)[INSTANCE_ITEM]!.exports.get(name);
  if (item?.sort !== 'func') throw new Error(`no function ${name}`);
  return item.func.fn as (...args: unknown[]) => Promise<unknown>;
}

describe('host errors leave async exports usable', () => {
  it('should reject a raw lifted call with the wrong number of arguments without poisoning the instance', async () => {
    const e = (await instantiateAsync(await wat(CALLBACK), {})) as Record<string, (x: unknown) => Promise<number>>;
    const raw = rawExport(e, 'ping');
    await expect(raw(1, 2)).rejects.toThrow(/expected 1 parameters, got 2/);
    await expect(raw()).rejects.toThrow(/expected 1 parameters, got 0/);
    await expect(raw('x')).rejects.toThrow(/expected u32/);
    expect(await raw(1)).toBe(2);
    expect(await e['ping']!(2)).toBe(3);
  });

  it('should leave no synchronous call in progress after a sync-typed call whose arguments could not be lowered', async () => {
    // The failed call of `f` must not keep restricting which threads may run (`g`'s YIELD must come back).
    const e = (await instantiateAsync(await wat(SYNC_AND_YIELD), {})) as Record<string, (x: unknown) => Promise<number>>;
    await expect(e['f']!('x')).rejects.toThrow(/expected u32/);
    expect(await e['g']!(1)).toBe(2);
    expect(await e['f']!(5)).toBe(6);
  });

  it('should let the calls queued behind a call that waited to enter and then could not lower its arguments enter', async () => {
    const e = (await instantiateAsync(await wat(BACKPRESSURE), {})) as Record<string, (x?: unknown) => unknown>;
    e['hold']!();
    const bad = e['ping']!('x') as Promise<number>;
    const good = e['ping']!(1) as Promise<number>;
    bad.catch(() => {});
    e['release']!(); // both still wait: they enter in the store's next pass
    await expect(bad).rejects.toThrow(/expected u32/);
    expect(await good).toBe(2);
    expect(await e['ping']!(2)).toBe(3);
  });
});

/**
 * `run(x) = fetch(x)`: an async function lifted with the sync ABI (it holds its instance while its core code
 * runs) that calls the async host import `fetch` through a sync lower (it blocks, holding the instance);
 * `ping(x) = x + 1`. A sibling instance's `run` calls that one the same way.
 */
const BLOCKED_ON_HOST = `(component
  (import "fetch" (func $fetch async (param "x" u32) (result u32)))
  (component $Inner
    (import "fetch" (func $fetch async (param "x" u32) (result u32)))
    (core func $fetch' (canon lower (func $fetch)))
    (core module $M
      (import "" "fetch" (func $f (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) (call $f (local.get 0)))
      (func (export "ping") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
    (core instance $m (instantiate $M (with "" (instance (export "fetch" (func $fetch'))))))
    (func (export "run") async (param "x" u32) (result u32) (canon lift (core func $m "run")))
    (func (export "ping") async (param "x" u32) (result u32) (canon lift (core func $m "ping"))))
  (component $Outer
    (import "run" (func $run async (param "x" u32) (result u32)))
    (core func $run' (canon lower (func $run)))
    (core module $O
      (import "" "run" (func $r (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) (call $r (local.get 0))))
    (core instance $o (instantiate $O (with "" (instance (export "run" (func $run'))))))
    (func (export "run") async (param "x" u32) (result u32) (canon lift (core func $o "run"))))
  (instance $inner (instantiate $Inner (with "fetch" (func $fetch))))
  (instance $outer (instantiate $Outer (with "run" (func $inner "run"))))
  (func (export "run") (alias export $outer "run"))
  (func (export "inner-run") (alias export $inner "run"))
  (func (export "ping") (alias export $inner "ping")))`;

describe('host import failures leave instances usable', () => {
  it.runIf(hasJspi).each(['reject', 'throw'])(
    'should let the next calls in after a call blocked holding its instance on an import that failed (%s)',
    async (mode) => {
      let n = 0;
      const fetch = (x: number): Promise<number> => {
        if (n++ < 2) {
          if (mode === 'throw') throw new Error('fetch failed');
          return Promise.reject(new Error('fetch failed'));
        }
        return Promise.resolve(x * 10);
      };
      const e = (await instantiateAsync(await wat(BLOCKED_ON_HOST), { fetch } as never)) as Record<string, (x: number) => Promise<number>>;
      await expect(e['innerRun']!(1)).rejects.toThrow('fetch failed');
      expect(await e['ping']!(1)).toBe(2);
      await expect(e['run']!(2)).rejects.toThrow('fetch failed'); // through the outer instance
      expect(await e['ping']!(2)).toBe(3);
      expect(await e['run']!(3)).toBe(30);
      expect(await e['innerRun']!(4)).toBe(40);
    },
  );
});
