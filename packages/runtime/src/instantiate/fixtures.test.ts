import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { compile, instantiate, instantiateAsync } from '../index.js';
import { minimalWasi } from './wasi-min.js';

const bin = (name: string): Uint8Array => readFileSync(fileURLToPath(new URL(`../../../../tools/fixtures/bin/${name}`, import.meta.url)));

describe('real components', () => {
  it('should instantiate pure.wasm and call add, greet and the geometry interface', () => {
    const e = instantiate(compile(bin('pure.wasm')));
    expect((e.add as (a: number, b: number) => number)(2, -5)).toBe(-3);
    const greet = e.greet as (name: string) => string;
    expect(greet('World')).toBe('hello, World');
    // post-return resets the guest's heap: calling again must still work
    expect(greet('Ada')).toBe('hello, Ada');
    const geometry = e['fixtures:pure/geometry'] as Record<string, (...a: unknown[]) => unknown>;
    expect(e.geometry).toBe(geometry); // short alias of the interface
    expect(geometry.area?.({ tag: 'square', val: 3 })).toBe(9);
    expect(geometry.area?.({ tag: 'circle', val: 1 })).toBeCloseTo(Math.PI);
    expect(geometry.midpoint?.({ x: 0, y: 0 }, { x: 2, y: 4 })).toEqual({ x: 1, y: 2 });
  });
});

describe('instantiateAsync', () => {
  it('should instantiate pure.wasm with async compilation and async core instantiation', async () => {
    const e = await instantiateAsync(bin('pure.wasm'));
    expect((e.greet as (n: string) => string)('async')).toBe('hello, async');
    const again = await instantiateAsync(bin('hello-p2.wasm'), minimalWasi());
    expect(typeof (again['wasi:cli/run'] as { run?: unknown }).run).toBe('function');
  });
});

describe('a 12 MB componentize-js component (tools/fixtures large)', () => {
  it('should compile, instantiate under the minimal WASI host and call greet and sum', () => {
    // tools/fixtures/large.mjs returns at once when its cache is current, else builds it (~10 s).
    // Run by Node directly: it uses import.meta.resolve, which the test transform does not support.
    execFileSync(process.execPath, [fileURLToPath(new URL('../../../../tools/fixtures/large.mjs', import.meta.url))], { stdio: 'ignore' });
    const path = fileURLToPath(new URL('../../../../tools/fixtures/.cache/large.wasm', import.meta.url));
    const e = instantiate(compile(readFileSync(path)), minimalWasi());
    expect((e.greet as (n: string) => string)('big')).toBe('hello, big');
    expect((e.sum as (v: number[]) => number)([1, 2, 3.5])).toBe(6.5);
  }, 120_000);
});

describe('components using the async ABI (tools/fixtures async.c)', () => {
  const slowHost = (calls: number[]) => ({
    'fixtures:async-demo/host': {
      slow: async (x: number): Promise<number> => {
        calls.push(x);
        await Promise.resolve();
        return x * 10;
      },
    },
  });

  it.each(['async.wasm', 'async-wcld.wasm'])('should run the callback-lifted export of %s, awaiting an async host import', async (name) => {
    const calls: number[] = [];
    const e = instantiate(compile(bin(name)), slowHost(calls));
    // run(x): slow(x) through an async lower, then task.return(slow(x) + x) from the callback.
    await expect((e.run as (x: number) => Promise<number>)(4)).resolves.toBe(44);
    expect(calls).toEqual([4]);
  });
});

describe('cooperative threads from C (tools/fixtures threads.c)', () => {
  // run(n) (a stackful async lift) starts n workers with thread.new-indirect and switches to each with
  // thread.yield-then-resume, which leaves the main thread *waiting* (ready), not suspended. Each worker
  // then calls thread.suspend-then-resume(main thread): the spec traps when the target is not suspended
  // (`trap_if(not other_thread.suspended())`), so run(n) traps in the first worker for every n >= 1.
  // With n = 0 no worker starts: thread.yield returns, and thread.suspend leaves the only thread
  // suspended with nothing that could resume it, so the call deadlocks.
  const jspi = typeof (WebAssembly as unknown as { promising?: unknown }).promising === 'function';

  it.runIf(jspi)('should trap in the first worker, which resumes the main thread while it is waiting, not suspended', async () => {
    const e = instantiate(compile(bin('threads.wasm')));
    await expect((e.run as (n: number) => Promise<number>)(3)).rejects.toThrow('cannot resume thread which is not suspended');
  });

  it.runIf(jspi)('should report a deadlock when run(0) suspends its only thread', async () => {
    const e = instantiate(compile(bin('threads.wasm')));
    await expect((e.run as (n: number) => Promise<number>)(0)).rejects.toThrow('deadlock detected');
  });
});
