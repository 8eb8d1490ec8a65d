import { t } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { SharedFuture, SharedStream } from '../streams/shared.js';
import { ComponentFuture, createFuture, hostReadFuture, hostWriteFuture, sharedFutureFor } from './future.js';
import { ComponentReadableStream, createStream, hostRead, hostWrite, sharedStreamFor } from './stream.js';

async function collect<T>(rs: ComponentReadableStream<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const c of rs as unknown as AsyncIterable<T>) out.push(c);
  return out;
}

async function drain(shared: SharedStream, chunk: number): Promise<unknown[]> {
  const out: unknown[] = [];
  for (;;) {
    const r = await hostRead(shared, chunk);
    for (let i = 0; i < r.values.length; i++) out.push(r.values[i]);
    if (r.done) return out;
  }
}

describe('host streams', () => {
  it('should deliver stream<u8> as Uint8Array chunks through a ReadableStream', async () => {
    const shared = new SharedStream(t.u8);
    const rs = new ComponentReadableStream<Uint8Array>(shared, 4);
    expect(rs).toBeInstanceOf(ReadableStream);
    const writing = (async () => {
      await hostWrite(shared, new Uint8Array([1, 2, 3, 4, 5, 6]));
      shared.drop();
    })();
    const chunks = await collect(rs);
    await writing;
    expect(chunks.every((c) => c instanceof Uint8Array)).toBe(true);
    expect(chunks.map((c) => [...c])).toEqual([[1, 2, 3, 4], [5, 6]]);
  });

  it('should honour backpressure: a host write resolves only once the reader took the values', async () => {
    const { readable, writable } = createStream<Uint8Array>(t.u8);
    const w = writable.getWriter();
    let written = false;
    const p = w.write(new Uint8Array([7, 8])).then(() => {
      written = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(written).toBe(false);
    const reader = readable.getReader();
    const first = await reader.read();
    await p;
    expect(written).toBe(true);
    expect([...(first.value as Uint8Array)]).toEqual([7, 8]);
    void w.close();
    expect((await reader.read()).done).toBe(true);
  });

  it('should deliver non-number elements one per chunk', async () => {
    const { readable, writable } = createStream<string>(t.string);
    const w = writable.getWriter();
    void (async () => {
      await w.write('a');
      await w.write('b');
      await w.close();
    })();
    expect(await collect(readable)).toEqual(['a', 'b']);
  });

  it.each([
    ['an array', ['x', 'y', 'z']],
    ['a generator', (function* () { yield 'x'; yield 'y'; yield 'z'; })()],
    ['an async generator', (async function* () { yield 'x'; yield 'y'; yield 'z'; })()],
    ['a ReadableStream', new ReadableStream({ start(c) { c.enqueue('x'); c.enqueue('y'); c.enqueue('z'); c.close(); } })],
  ])('should pump %s into a stream', async (_n, source) => {
    const shared = sharedStreamFor(source, t.string);
    expect(await drain(shared, 2)).toEqual(['x', 'y', 'z']);
  });

  it('should pump a typed array as one chunk', async () => {
    const shared = sharedStreamFor(new Uint8Array([1, 2, 3]), t.u8);
    const r = await hostRead(shared, 10);
    expect([...(r.values as Uint8Array)]).toEqual([1, 2, 3]);
    expect((await hostRead(shared, 10)).done).toBe(true);
  });

  it('should pass an unread ComponentReadableStream through without copying', () => {
    const shared = new SharedStream(t.u8);
    const rs = new ComponentReadableStream(shared);
    expect(sharedStreamFor(rs, t.u8)).toBe(shared);
    expect(() => sharedStreamFor(rs, t.u8)).toThrow(TypeError);
  });

  it('should refuse to pass on a stream that was locked', () => {
    const rs = new ComponentReadableStream(new SharedStream(t.u8));
    rs.getReader();
    expect(() => sharedStreamFor(rs, t.u8)).toThrow(TypeError);
  });

  it('should drop the readable end when the consumer cancels', async () => {
    const shared = new SharedStream(t.u8);
    const rs = new ComponentReadableStream(shared);
    await rs.cancel();
    expect(shared.dropped).toBe(true);
    expect(await hostWrite(shared, new Uint8Array([1]))).toBe(false);
  });

  it('should stop a pump when the reader drops', async () => {
    let pulled = 0;
    const src = (function* () {
      for (;;) {
        pulled++;
        yield 'v';
      }
    })();
    const shared = sharedStreamFor(src, t.string);
    await hostRead(shared, 1);
    shared.drop();
    await new Promise((r) => setTimeout(r, 1));
    expect(pulled).toBeLessThan(4);
  });

  it('should reject a write after the reader dropped', async () => {
    const { readable, writable } = createStream<Uint8Array>(t.u8);
    await readable.cancel();
    await expect(writable.getWriter().write(new Uint8Array([1]))).rejects.toThrow('dropped');
  });
});

describe('host futures', () => {
  it('should resolve a ComponentFuture with the written value', async () => {
    const shared = new SharedFuture(t.string);
    const f = new ComponentFuture<string>(shared);
    void hostWriteFuture(shared, 'hello');
    expect(await f).toBe('hello');
  });

  it('should write a host promise into a future when it resolves', async () => {
    const shared = sharedFutureFor(Promise.resolve(42), t.u32);
    expect(await hostReadFuture(shared)).toBe(42);
  });

  it('should write a plain value', async () => {
    expect(await hostReadFuture(sharedFutureFor('v', t.string))).toBe('v');
  });

  it('should pass an unawaited ComponentFuture through and refuse an awaited one', async () => {
    const { future, resolve } = createFuture<number>(t.u32);
    const shared = sharedFutureFor(future, t.u32);
    expect(await Promise.all([hostReadFuture(shared), resolve(5)])).toEqual([5, true]);
    const other = createFuture<number>(t.u32);
    void other.resolve(1);
    await other.future;
    expect(() => sharedFutureFor(other.future, t.u32)).toThrow(TypeError);
  });

  it('should tell the host writer when the reader dropped', async () => {
    const { future, resolve } = createFuture<number>(t.u32);
    future.drop();
    expect(await resolve(1)).toBe(false);
  });

  it('should report a rejected promise and leave the future unresolved', async () => {
    const errors: unknown[] = [];
    const shared = sharedFutureFor(Promise.reject(new Error('x')), t.u32, (e) => errors.push(e));
    let settled = false;
    void hostReadFuture(shared).then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 1));
    expect(settled).toBe(false);
    expect(errors).toHaveLength(1);
  });
});

describe('host stream cancellation', () => {
  it('should cancel a pending host read when the consumer cancels mid-read', async () => {
    const shared = new SharedStream(t.u8);
    const rs = new ComponentReadableStream<Uint8Array>(shared);
    const reader = rs.getReader();
    const pending = reader.read();
    await new Promise((r) => setTimeout(r, 1));
    expect(shared.pendingBuffer).toBeDefined();
    await reader.cancel();
    expect(shared.pendingBuffer).toBeUndefined();
    expect(shared.dropped).toBe(true);
    expect((await pending).done).toBe(true);
  });
});
