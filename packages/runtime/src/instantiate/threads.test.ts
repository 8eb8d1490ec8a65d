import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, instantiate } from '../index.js';
import { wat } from './test-util.js';

const jspi = typeof (WebAssembly as unknown as { promising?: unknown }).promising === 'function';

/** A component whose stackful async exports start threads with thread.new-indirect and switch between them. */
const THREADS = `
(component
  (core module $Table (table (export "t") 4 funcref))
  (core instance $table (instantiate $Table))
  (core module $M
    (import "" "task.return" (func $task.return (param i32)))
    (import "" "thread.new-indirect" (func $new (param i32 i32) (result i32)))
    (import "" "thread.suspend-then-resume" (func $str (param i32) (result i32)))
    (import "" "thread.yield-then-resume" (func $ytr (param i32) (result i32)))
    (import "" "thread.index" (func $index (result i32)))
    (import "" "t" (table 4 funcref))
    (global $acc (mut i32) (i32.const 0))
    (global $main (mut i32) (i32.const 0))
    (func $push (param i32)
      (global.set $acc (i32.add (i32.mul (global.get $acc) (i32.const 10)) (local.get 0))))
    (func $returner (param i32)
      (call $task.return (i32.mul (local.get 0) (i32.const 6))))
    (func $pong (param i32)
      (loop $l
        (call $push (i32.const 2))
        (drop (call $str (global.get $main)))
        (br $l)))
    (func $boom (param i32) unreachable)
    (func $bad (param f32))
    (elem (i32.const 0) func $returner $pong $boom $bad)
    (func (export "returner")
      (drop (call $ytr (call $new (i32.const 0) (i32.const 7)))))
    (func (export "ping-pong")
      (local $t i32)
      (global.set $acc (i32.const 0))
      (global.set $main (call $index))
      (local.set $t (call $new (i32.const 1) (i32.const 0)))
      (call $push (i32.const 1)) (drop (call $str (local.get $t)))
      (call $push (i32.const 1)) (drop (call $str (local.get $t)))
      (call $push (i32.const 1)) (drop (call $str (local.get $t)))
      (call $task.return (global.get $acc)))
    (func (export "index") (result i32) (call $index))
    (func (export "bad-type")
      (drop (call $new (i32.const 3) (i32.const 0))))
    (func (export "trapper")
      (drop (call $str (call $new (i32.const 2) (i32.const 0)))))
  )
  (core type $start (func (param i32)))
  (alias core export $table "t" (core table $t))
  (core func $new (canon thread.new-indirect $start (core table $t)))
  (canon task.return (result u32) (core func $task.return))
  (canon thread.suspend-then-resume (core func $str))
  (canon thread.yield-then-resume (core func $ytr))
  (canon thread.index (core func $index))
  (core instance $m (instantiate $M (with "" (instance
    (export "task.return" (func $task.return))
    (export "thread.new-indirect" (func $new))
    (export "thread.suspend-then-resume" (func $str))
    (export "thread.yield-then-resume" (func $ytr))
    (export "thread.index" (func $index))
    (export "t" (table $t))))))
  (func (export "returner") async (result u32) (canon lift (core func $m "returner") async))
  (func (export "ping-pong") async (result u32) (canon lift (core func $m "ping-pong") async))
  (func (export "index") (result u32) (canon lift (core func $m "index")))
  (func (export "bad-type") async (result u32) (canon lift (core func $m "bad-type") async))
  (func (export "trapper") async (result u32) (canon lift (core func $m "trapper") async))
)`;

describe('cooperative threads (thread.new-indirect and the switching built-ins)', () => {
  it.runIf(jspi)('should let a thread started by thread.new-indirect return the task\'s value', async () => {
    const e = instantiate(compile(await wat(THREADS)));
    await expect((e.returner as () => Promise<number>)()).resolves.toBe(42);
  });

  it.runIf(jspi)('should alternate two threads with thread.suspend-then-resume', async () => {
    const e = instantiate(compile(await wat(THREADS)));
    await expect((e['ping-pong'] as () => Promise<number>)()).resolves.toBe(121212);
    // Again: the thread left suspended by the first call belongs to a finished task and stays out of the way.
    await expect((e['ping-pong'] as () => Promise<number>)()).resolves.toBe(121212);
  });

  it('should trap thread.new-indirect on a table function of another type', async () => {
    const e = instantiate(compile(await wat(THREADS)));
    await expect((e['bad-type'] as () => Promise<number>)()).rejects.toThrow('does not have the thread start function type (func (param i32))');
  });

  it.runIf(jspi)('should fail the call with the trap of a thread it switched to', async () => {
    const e = instantiate(compile(await wat(THREADS)));
    await expect((e.trapper as () => Promise<number>)()).rejects.toThrow('unreachable');
  });

  it('should give a sync-lifted export of a thread-switching instance a thread of its own', async () => {
    const e = instantiate(compile(await wat(THREADS)));
    const i = await (e.index as () => Promise<number> | number)();
    expect(i).toBeGreaterThan(0);
  });

  it('should give thread.index in a sync task of an instance that does not switch threads an index as well', async () => {
    const e = instantiate(
      compile(
        await wat(`(component
          (core module $M
            (import "" "thread.index" (func $index (result i32)))
            (func (export "index") (result i32) (call $index)))
          (canon thread.index (core func $index))
          (core instance $m (instantiate $M (with "" (instance (export "thread.index" (func $index))))))
          (func (export "index") (result u32) (canon lift (core func $m "index"))))`),
      ),
    );
    const index = e.index as () => number;
    expect(index()).toBeGreaterThan(0);
    expect(index()).toBe(index());
  });
});

// Without JSPI (Node 20) switching threads cannot work: it must fail with an error naming the missing feature.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const oldNode = [process.env.NODE_NO_JSPI, '/usr/bin/node'].find((p): p is string => p !== undefined && existsSync(p));
const noJspi = oldNode !== undefined && execFileSync(oldNode, ['-p', 'typeof WebAssembly.Suspending'], { encoding: 'utf8' }).trim() === 'undefined';
describe.skipIf(!noJspi)(`cooperative threads on an engine without JSPI (${oldNode ?? 'none found'})`, () => {
  it('should fail the threads.wasm fixture at its first switch, with an error naming JSPI', () => {
    const out = execFileSync(
      oldNode as string,
      ['node_modules/vite-node/vite-node.mjs', '--config', 'packages/runtime/vitest.config.ts', 'packages/runtime/src/instantiate/threads.no-jspi.mjs'],
      { cwd: root, encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').at(-1) as string) as { ok: boolean; error?: string };
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/lacks JSPI \(WebAssembly\.Suspending/);
  }, 60_000);
});
