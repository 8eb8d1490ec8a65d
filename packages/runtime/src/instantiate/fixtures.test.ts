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
  // run(n) (a stackful async lift) starts n workers with thread.new-indirect, switching to each with
  // thread.yield-then-resume; each adds (i + 1) * thread.index() and suspends. The main thread makes
  // workers 1.. ready with thread.resume-later and switches to worker 0 with thread.suspend-then-resume;
  // each worker adds 1 when resumed, and the last one wakes the main thread, which returns the total.
  // In a fresh instance the main thread has index 1 and worker i index i + 2 (slot 0 reserved), so
  // run(n) = sum of (i + 1) * (i + 2) for i < n, plus n.
  const jspi = typeof (WebAssembly as unknown as { promising?: unknown }).promising === 'function';
  const expected = (n: number): number => Array.from({ length: n }, (_, i) => (i + 1) * (i + 2)).reduce((a, b) => a + b, 0) + n;

  it.runIf(jspi).each([0, 1, 3, 8])('should run run(%i) across its threads and return the sum', async (n) => {
    const e = instantiate(compile(bin('threads.wasm')));
    await expect((e.run as (n: number) => Promise<number>)(n)).resolves.toBe(expected(n));
  });
});
