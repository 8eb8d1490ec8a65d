import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { t } from '@wasm-components/canonical-abi';
import { createFuture, createStream, instantiateAsync } from '../index.js';
import { concatBytes, exportOf, mismatch, runCall } from '../../../../tools/fixtures-async/calls.mjs';
import { fixture, fixtures, importsFor, patternBytes, patternChunks } from '../../../../tools/fixtures-async/index.mjs';
import { wat } from './test-util.js';

type Fn = (...args: unknown[]) => Promise<unknown>;
type Exports = Record<string, unknown>;
const hasJspi = typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';
const root = fileURLToPath(new URL('../../../../', import.meta.url));

async function load(name: string, imports: Record<string, unknown> = importsFor(fixture(name).calls[0]!.imports)): Promise<Exports> {
  return (await instantiateAsync(new Uint8Array(readFileSync(fixture(name).path)), imports as never)) as Exports;
}
const fn = (e: Exports, name: string): Fn => e[name] as Fn;
const source = (e: Exports): Record<string, Fn> => e['fixtures:async-p3/source'] as Record<string, Fn>;

/** Bytes of a stream read to its end through a WHATWG reader; every chunk must be a Uint8Array. */
async function readAll(s: unknown): Promise<Uint8Array> {
  expect(s).toBeInstanceOf(ReadableStream);
  const reader = (s as ReadableStream<unknown>).getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    expect(r.value).toBeInstanceOf(Uint8Array);
    chunks.push(r.value as Uint8Array);
  }
  return concatBytes(chunks);
}

/** Lets queued microtasks and a few event-loop turns run. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

// Every call described by tools/fixtures-async (index.mjs), through this runtime, in this process (Node >= 24:
// the componentize-qjs ones use extended-const, and the stackful one needs JSPI).
describe('the WASI 0.3 fixtures of tools/fixtures-async', () => {
  for (const f of fixtures) {
    it.skipIf(f.needsStackSwitching && !hasJspi).each(f.calls.map((c) => [`${f.name} ${c.export}`, c]))(
      'should give the described result: %s',
      async (_, c) => {
        expect(await runCall(instantiateAsync, f, c)).toEqual({ ok: true });
      },
      20_000,
    );
  }
});

// Issue 6: callback-lifted components must run on an engine without JSPI (Node 20), and stackful ones must fail
// there with an error naming the missing feature. The sources run through vite-node on that engine.
const oldNode = [process.env.NODE_NO_JSPI, '/usr/bin/node'].find((p): p is string => p !== undefined && existsSync(p));
const oldNodeVersion = oldNode === undefined ? undefined : execFileSync(oldNode, ['-p', 'typeof WebAssembly.Suspending + " " + process.version'], { encoding: 'utf8' }).trim();
describe.skipIf(oldNodeVersion === undefined || !oldNodeVersion.startsWith('undefined '))(
  `the fixtures on an engine without JSPI (${oldNode ?? 'none found'}: ${oldNodeVersion ?? ''})`,
  () => {
    const run = (names: string[]): { fixture: string; export: string; ok: boolean; error?: string }[] =>
      JSON.parse(
        execFileSync(
          oldNode as string,
          [
            'node_modules/vite-node/vite-node.mjs',
            '--config',
            'packages/runtime/vitest.config.ts',
            'tools/fixtures-async/run-calls.mjs',
            '--',
            '--runtime',
            `${root}packages/runtime/src/index.ts`,
            ...names,
          ],
          { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 },
        ),
      );
    it('should run every call of the callback-lifted C fixtures (callback, streams, pipe)', () => {
      // qjs-text and qjs-later are callback-lifted too, but their core module uses extended-const, which
      // Node 20's V8 does not compile (tools/fixtures-async/README.md): no runtime can run them there.
      const results = run(['callback', 'streams', 'pipe']);
      expect(results.filter((r) => !r.ok)).toEqual([]);
      expect(results.length).toBe(['callback', 'streams', 'pipe'].reduce((n, name) => n + fixture(name).calls.length, 0));
    }, 60_000);
    it('should fail the stackful fixture where it must block, with an error naming JSPI', () => {
      // run blocks in waitable-set.wait: that needs stack switching. ping returns before any blocking, and a
      // thread.yield that cannot switch stacks may return at once: those may succeed; any failure names JSPI.
      const results = run(['stackful']);
      expect(results.length).toBe(fixture('stackful').calls.length);
      expect(results.find((r) => r.export === 'run')).toMatchObject({ ok: false, error: expect.stringMatching(/lacks JSPI/) });
      for (const r of results) if (!r.ok) expect(r.error).toMatch(/JSPI/);
    }, 60_000);
  },
);

// A callback-lifted export that waits on an empty waitable set until it is cancelled, then acknowledges with
// task.cancel (component $C of the reference test async/cancel-subtask.wast, reduced to that export).
const CANCELLABLE = `(component
  (core module $M
    (import "" "task.cancel" (func $task.cancel))
    (import "" "waitable-set.new" (func $waitable-set.new (result i32)))
    (global $ws (mut i32) (i32.const 0))
    (func (export "f") (result i32)
      (global.set $ws (call $waitable-set.new))
      (i32.or (i32.const 2) (i32.shl (global.get $ws) (i32.const 4))))
    (func (export "f_cb") (param $event i32) (param $index i32) (param $payload i32) (result i32)
      (if (i32.ne (local.get $event) (i32.const 6)) (then unreachable))
      (call $task.cancel)
      (i32.const 0)))
  (canon task.cancel (core func $task.cancel))
  (canon waitable-set.new (core func $waitable-set.new))
  (core instance $m (instantiate $M (with "" (instance
    (export "task.cancel" (func $task.cancel))
    (export "waitable-set.new" (func $waitable-set.new))))))
  (func (export "f") async (result u32) (canon lift (core func $m "f") async (callback (core func $m "f_cb")))))`;

describe('async exports: a Promise, cancellable with an AbortSignal', () => {
  it('should return a Promise from an async export', async () => {
    const e = await load('callback');
    const p = fn(e, 'ping')(1);
    expect(p).toBeInstanceOf(Promise);
    expect(await p).toBe(2);
  });

  it('should reject with the signal reason when the task acknowledges cancellation (task.cancel)', async () => {
    const e = (await instantiateAsync(await wat(CANCELLABLE))) as Exports;
    const ac = new AbortController();
    const p = fn(e, 'f')({ signal: ac.signal });
    await settle();
    const reason = new Error('stop');
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    // the instance is fine afterwards
    const ac2 = new AbortController();
    const q = fn(e, 'f')({ signal: ac2.signal });
    ac2.abort();
    await expect(q).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('should reject at once, without starting the task, when the signal is already aborted', async () => {
    const { imports, calls } = (await import('../../../../tools/fixtures-async/index.mjs')).hostImports();
    const e = (await instantiateAsync(new Uint8Array(readFileSync(fixture('callback').path)), imports as never)) as Exports;
    await expect(fn(e, 'run')(7, { signal: AbortSignal.abort('no') })).rejects.toBe('no');
    expect(calls).toEqual([]);
  });

  it('should resolve with the value when the task returns one after cancellation was requested', async () => {
    // callback.wasm's run ignores TASK_CANCELLED and keeps waiting for its subtask: the spec lets it return.
    const e = await load('callback');
    const ac = new AbortController();
    const p = fn(e, 'run')(7, { signal: ac.signal });
    ac.abort();
    expect(await p).toBe('callback: fetched 7');
  });

  it('should treat a last argument that is not `{ signal }` as an extra argument', async () => {
    const e = await load('callback');
    await expect(fn(e, 'ping')(1, {})).rejects.toThrow('expected 1 parameters, got 2');
    await expect(fn(e, 'ping')(1, { signal: new AbortController().signal })).resolves.toBe(2);
  });
});

describe('async imports: plain async functions', () => {
  it('should reject the call with the error of a rejecting async import', async () => {
    const boom = new Error('fetch failed');
    const e = await load('callback', {
      'fixtures:async-p3/host': {
        fetch: async () => {
          await Promise.resolve();
          throw boom;
        },
      },
    });
    await expect(fn(e, 'run')(1)).rejects.toBe(boom);
  });

  // Regression: an import that threw instead of rejecting unwound the calling component and poisoned its instance.
  it.skipIf(!hasJspi).each(['callback', 'stackful'])(
    'should fail only the call whose async import failed, thrown or rejected, and take the next calls (%s)',
    async (name) => {
      let n = 0;
      const e = await load(name, {
        'fixtures:async-p3/host': {
          fetch: (x: number) => {
            n++;
            if (n === 1) throw new Error('fetch threw');
            if (n === 2) return Promise.reject(new Error('fetch rejected'));
            return Promise.resolve(`fetched ${x}`);
          },
        },
      });
      await expect(fn(e, 'run')(1)).rejects.toThrow('fetch threw');
      await expect(fn(e, 'run')(2)).rejects.toThrow('fetch rejected');
      expect(await fn(e, 'ping')(1)).toBe(2);
      expect(await fn(e, 'run')(7)).toBe(`${name}: fetched 7`);
    },
  );

  it('should take an import that returns a value at once (no Promise)', async () => {
    const e = await load('callback', { 'fixtures:async-p3/host': { fetch: (n: number) => `now ${n}` } });
    expect(await fn(e, 'run')(3)).toBe('callback: now 3');
  });
});

describe('stream<T> for the host: WHATWG streams and async iterables, with backpressure', () => {
  it('should give a stream<u8> result as a ReadableStream of Uint8Array chunks', async () => {
    const e = await load('streams');
    expect(await readAll(await source(e).produce!(100000n))).toEqual(patternBytes(100000));
  });

  it('should take a WHATWG ReadableStream argument and a TransformStream written by the host', async () => {
    const e = await load('streams');
    const rs = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(patternBytes(70000));
        c.enqueue(patternBytes(30000, 70000));
        c.close();
      },
    });
    expect(await readAll(await fn(e, 'echo')(rs))).toEqual(patternBytes(100000));
    const ts = new TransformStream<Uint8Array, Uint8Array>();
    const counted = fn(e, 'consume')(ts.readable);
    const w = ts.writable.getWriter();
    for (let at = 0; at < 200000; at += 50000) await w.write(patternBytes(50000, at));
    await w.close();
    expect(await counted).toBe(200000n);
  });

  it('should take a stream the host made with createStream and writes into (WritableStream, rendezvous writes)', async () => {
    const e = await load('streams');
    const { readable, writable } = createStream<Uint8Array>(t.u8);
    const counted = fn(e, 'consume')(readable);
    const w = writable.getWriter();
    for (let at = 0; at < 300000; at += 100000) {
      await settle(); // the component waits meanwhile: not a deadlock while the host holds the writer
      await w.write(patternBytes(100000, at));
    }
    await w.close();
    expect(await counted).toBe(300000n);
  });

  it('should take a single Uint8Array as a stream<u8> argument', async () => {
    const e = await load('streams');
    expect(await fn(e, 'consume')(patternBytes(12345))).toBe(12345n);
  });

  it('should pull a host source only as fast as the component reads (backpressure)', async () => {
    const e = await load('streams');
    let pulled = 0;
    async function* counting(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 64; i++) {
        pulled++;
        yield patternBytes(1 << 16, i << 16);
      }
    }
    // echo copies its input to its output through a 64 KiB buffer: while nobody reads the output, it stops.
    const out = (await fn(e, 'echo')(counting())) as ReadableStream<Uint8Array>;
    await settle();
    expect(pulled).toBeLessThanOrEqual(3);
    const bytes = await readAll(out);
    expect(bytes.length).toBe(64 << 16);
    expect(pulled).toBe(64);
  });

  it('should read a stream<u8> result with for await', async () => {
    const e = await load('streams');
    let n = 0;
    for await (const chunk of (await source(e).produce!(70000n)) as AsyncIterable<Uint8Array>) {
      expect(chunk).toBeInstanceOf(Uint8Array);
      n += chunk.length;
    }
    expect(n).toBe(70000);
  });

  it('should hand a component stream from one instance to another without going through JS chunks', async () => {
    const a = await load('streams');
    const b = await load('streams');
    expect(await fn(b, 'consume')(await source(a).produce!(300000n))).toBe(300000n);
  });

  it('should take the next call after a call whose argument was not a u32 (callback fixture)', async () => {
    const e = await load('callback');
    await expect(fn(e, 'ping')('x')).rejects.toThrow(/expected u32/);
    expect(await fn(e, 'ping')(1)).toBe(2);
  });

  // Regression: a stream argument the host got wrong threw a plain TypeError, which poisoned the instance.
  it('should take the next call after a stream argument that is not a stream or was already passed on', async () => {
    const a = await load('streams');
    const b = await load('streams');
    await expect(fn(b, 'consume')(42)).rejects.toThrow(/expected a stream value/);
    const s = await source(a).produce!(1000n);
    expect(await fn(b, 'consume')(s)).toBe(1000n);
    await expect(fn(b, 'consume')(s)).rejects.toThrow(/expected a stream nobody read from/);
    expect(await fn(b, 'consume')(patternBytes(1000))).toBe(1000n);
  });

  it('should reject stream<u8> chunks that are not bytes, and take the next call', async () => {
    const b = await load('streams');
    const errors: unknown[] = [];
    const onError = (e: unknown): void => void errors.push(e);
    process.on('unhandledRejection', onError);
    try {
      const r = fn(b, 'consume')(['x']);
      await expect(r).resolves.toBe(0n);
      await settle();
      expect(String(errors[0])).toMatch(/expected a u8/);
    } finally {
      process.off('unhandledRejection', onError);
    }
    expect(await fn(b, 'consume')([[1, 2, 3]])).toBe(3n);
  });

  it('should not report a deadlock while an instance whose call returned keeps writing a stream another reads', async () => {
    // Regression: a's produce call has returned, so its store has no host call while its task writes on; at
    // 32 MiB b's store once declared deadlock between two of a's writes. Then with every store counted, a store
    // yielding for ever elsewhere hid real deadlocks: the stream now links the two stores.
    const a = await load('streams');
    const b = await load('streams');
    expect(await fn(b, 'consume')(await source(a).produce!(64n << 20n))).toBe(64n << 20n);
    expect(await fn(b, 'consume')(await source(a).produce!(1000n))).toBe(1000n);
  }, 20_000);

  it('should let a host import return its stream<u8> as a ReadableStream', async () => {
    const e = await load('streams', {
      'fixtures:async-p3/upstream': {
        produce: async (n: bigint) =>
          new ReadableStream<Uint8Array>({
            async start(c) {
              for await (const chunk of patternChunks(Number(n), 10000)) c.enqueue(chunk);
              c.close();
            },
          }),
      },
    });
    expect(await fn(e, 'pull')(123456n)).toBe(123456n);
  });

  it('should wait for a slow host source without reporting a deadlock', async () => {
    const e = await load('streams', {
      'fixtures:async-p3/upstream': {
        produce: async function* (n: bigint) {
          for (let at = 0; at < Number(n); at += 1000) {
            await new Promise((r) => setTimeout(r, 1)); // a macrotask between chunks, like I/O
            yield patternBytes(Math.min(1000, Number(n) - at), at);
          }
        },
      },
    });
    expect(await fn(e, 'pull')(5000n)).toBe(5000n);
  });

  it('should let the host stop reading a stream result (cancel drops the readable end)', async () => {
    const e = await load('streams');
    const s = (await source(e).produce!(1_000_000n)) as ReadableStream<Uint8Array>;
    const reader = s.getReader();
    const first = await reader.read();
    expect(first.value).toEqual(patternBytes(first.value!.length));
    await reader.cancel();
    // the component saw DROPPED, finished its task, and takes new calls
    expect(await readAll(await source(e).produce!(1000n))).toEqual(patternBytes(1000));
  });

  it('should reject the call with the error of a failing host source', async () => {
    const e = await load('streams');
    const boom = new Error('source failed');
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield patternBytes(100);
      await Promise.resolve();
      throw boom;
    }
    await expect(fn(e, 'consume')(failing())).rejects.toBe(boom);
  });

  it('should take stream<string> arguments as a ReadableStream of strings or a host-written stream', async () => {
    const e = await load('qjs-text');
    const countWords = exportOf(e, fixture('qjs-text').calls[2]!) as Fn;
    const rs = new ReadableStream<string>({
      start(c) {
        for (const x of ['a b c', 'd']) c.enqueue(x);
        c.close();
      },
    });
    expect(await countWords(rs)).toBe(4);
    const { readable, writable } = createStream<string>(t.string);
    const counted = countWords(readable);
    const w = writable.getWriter();
    await w.write('one');
    await settle();
    await w.write('two three');
    await w.close();
    expect(await counted).toBe(3);
  });

  it('should give stream<string> items one by one', async () => {
    const e = await load('qjs-text');
    const upper = exportOf(e, fixture('qjs-text').calls[1]!) as Fn;
    const items: unknown[] = [];
    for await (const s of (await upper(['a b', 'c'][Symbol.iterator]())) as AsyncIterable<unknown>) items.push(s);
    expect(items).toEqual(['A B', 'C']);
  });
});

describe('future<T> for the host: a Promise-like', () => {
  it('should resolve an async export whose result is a future with its value (the call\'s Promise adopts the Promise-like)', async () => {
    const e = await load('qjs-later');
    // later's guest writes the future after its task returned: the call settles once the value is written
    expect(await fn(e, 'later')(21)).toBe(42);
  });

  it('should take a Promise that resolves later as a future argument', async () => {
    const e = await load('qjs-later');
    let resolve!: (s: string) => void;
    const p = fn(e, 'describe')(new Promise<string>((r) => (resolve = r)));
    await settle();
    resolve('late');
    expect(await p).toBe('future gave: late');
  });

  it('should take a future the host made with createFuture', async () => {
    const e = await load('qjs-later');
    const { future, resolve } = createFuture<string>(t.string);
    const p = fn(e, 'describe')(future);
    await settle();
    expect(await resolve('made')).toBe(true);
    expect(await p).toBe('future gave: made');
  });

  it('should reject the call when a Promise given as a future rejects', async () => {
    const e = await load('qjs-later');
    const boom = new Error('no value');
    await expect(fn(e, 'describe')(Promise.reject(boom))).rejects.toBe(boom);
  });

  // Regression: a wrong value was only found when the guest read the future, inside its built-in, and the
  // instance kept waiting (the next call reported a deadlock).
  it('should reject a wrongly typed future value and take the next call', async () => {
    const e = await load('qjs-later');
    await expect(fn(e, 'describe')(42)).rejects.toThrow(/expected a string/);
    expect(await fn(e, 'describe')('now')).toBe('future gave: now');
    await expect(fn(e, 'describe')(Promise.resolve(42))).rejects.toThrow(/expected a string/);
    expect(await fn(e, 'describe')(Promise.resolve('later'))).toBe('future gave: later');
  });

  it('should refuse a wrongly typed value in createFuture().resolve, and accept a right one after', async () => {
    const e = await load('qjs-later');
    const { future, resolve } = createFuture<unknown>(t.string);
    const p = fn(e, 'describe')(future);
    await settle();
    await expect(resolve(7)).rejects.toThrow(/expected a string/);
    expect(await resolve('late')).toBe(true);
    expect(await p).toBe('future gave: late');
  });

  it('should take a plain value as a future argument', async () => {
    const e = await load('qjs-later');
    expect(await fn(e, 'describe')('now')).toBe('future gave: now');
  });

  it('should check described results through the shared checker', async () => {
    const e = await load('qjs-later');
    expect(await mismatch(await fn(e, 'countdown')(2), { stream: 'string', items: ['2...', '1...', 'liftoff'] })).toBeUndefined();
  });
});
