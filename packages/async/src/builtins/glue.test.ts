import { t } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { ErrorContext } from '../error-context.js';
import { testInstance, threadOf, trapReason } from '../test-util/index.js';
import type { ThreadLike } from '../thread.js';
import type { BlockedCopy } from './copy.js';
import { STREAM_BUILTIN_KINDS, type StreamBuiltinEnv, streamFutureBuiltin } from './glue.js';

function env(thread: ThreadLike | null): StreamBuiltinEnv & { inst: ReturnType<typeof testInstance>; blocked: BlockedCopy[] } {
  const inst = testInstance();
  const blocked: BlockedCopy[] = [];
  return {
    inst,
    blocked,
    thread: () => (thread === null ? null : { task: { inst, mayBlock: thread.task.mayBlock } }),
    block: (b) => {
      blocked.push(b);
      return Promise.resolve(-2);
    },
  };
}

type Fn = (...args: unknown[]) => unknown;
const fnOf = (b: ReturnType<typeof streamFutureBuiltin>): Fn => (b as unknown as { fn: Fn }).fn;

describe('streamFutureBuiltin', () => {
  it('should return undefined for other kinds and build every listed kind', () => {
    const e = env(null);
    expect(streamFutureBuiltin('task.return', {}, e)).toBeUndefined();
    for (const k of STREAM_BUILTIN_KINDS) {
      const type = k.startsWith('stream') ? t.stream(t.u8) : k.startsWith('future') ? t.future(t.u8) : t.errorContext;
      expect(streamFutureBuiltin(k, { type, opts: { ...e.inst.opts, async: true }, async: true }, e)).toBeDefined();
    }
  });

  it('should run an async stream round trip through the core functions', () => {
    const e = env(threadOf(testInstance()));
    const spec = { type: t.stream(t.u8), opts: { ...e.inst.opts, async: true } };
    const packed = fnOf(streamFutureBuiltin('stream.new', spec, e))() as bigint;
    const ri = Number(packed & 0xffffffffn);
    const wi = Number(packed >> 32n);
    expect(fnOf(streamFutureBuiltin('stream.read', spec, e))(ri, 100, 4)).toBe(0xffffffff);
    e.inst.u8().set([5, 6], 0);
    expect(fnOf(streamFutureBuiltin('stream.write', spec, e))(wi, 0, 2)).toBe(0x20);
    expect([...e.inst.u8().subarray(100, 102)]).toEqual([5, 6]);
    fnOf(streamFutureBuiltin('stream.drop-writable', spec, e))(wi);
    (e.inst.handles.get(ri) as { getPendingEvent(): unknown }).getPendingEvent();
    fnOf(streamFutureBuiltin('stream.drop-readable', spec, e))(ri);
    expect(e.inst.handles.size).toBe(0);
  });

  it('should hand a blocked sync read to env.block and say that it may block', async () => {
    const e = env(threadOf(testInstance()));
    const spec = { type: t.stream(t.u8), opts: e.inst.opts };
    const read = streamFutureBuiltin('stream.read', spec, e);
    expect(read?.mayBlock).toBe(true);
    const packed = fnOf(streamFutureBuiltin('stream.new', spec, e))() as bigint;
    expect(await (fnOf(read)(Number(packed & 0xffffffffn), 0, 1) as Promise<number>)).toBe(-2);
    expect(e.blocked).toHaveLength(1);
  });

  it('should treat a call outside any task as a caller that may not block', () => {
    const e = env(null);
    const spec = { type: t.future(t.u8), opts: e.inst.opts };
    const packed = fnOf(streamFutureBuiltin('future.new', spec, e))() as bigint;
    expect(trapReason(() => fnOf(streamFutureBuiltin('future.read', spec, e))(Number(packed & 0xffffffffn), 0))).toContain('cannot block');
  });

  it('should create, read and drop error contexts', () => {
    const e = env(null);
    e.inst.u8().set(new TextEncoder().encode('bad'), 0);
    const i = fnOf(streamFutureBuiltin('error-context.new', { opts: e.inst.opts }, e))(0, 3) as number;
    expect((e.inst.handles.get(i) as ErrorContext).debugMessage).toBe('bad');
    fnOf(streamFutureBuiltin('error-context.debug-message', { opts: e.inst.opts }, e))(i, 8);
    fnOf(streamFutureBuiltin('error-context.drop', {}, e))(i);
    expect(e.inst.handles.size).toBe(0);
  });
});
