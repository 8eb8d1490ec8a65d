import { t, type StreamType } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { ErrorContext } from '../error-context.js';
import { futureCancelRead, futureNew, futureRead, futureWrite } from '../builtins/future.js';
import { streamCancelRead, streamCancelWrite, streamNew, streamRead, streamWrite } from '../builtins/stream.js';
import { testInstance, type TestInstance, threadOf, trapReason } from '../test-util/index.js';
import { WaitableSet } from '../waitable.js';
import { CopyState, type CopyEnd, SYNC_IN_SET_TRAP } from './ends.js';
import { asyncHooks } from './hooks.js';

const U8: StreamType = t.stream(t.u8);
const F = t.future(t.u8);

function pair(a: TestInstance, packed: bigint): [number, number] {
  return [Number(packed & 0xffffffffn), Number(packed >> 32n)];
}
const asyncOpts = (a: TestInstance): TestInstance['opts'] => ({ ...a.opts, async: true });
const end = (a: TestInstance, i: number): CopyEnd => a.handles.get(i) as CopyEnd;

describe('using ends that are in a waitable set', () => {
  it.each([
    ['a sync stream.read', (a: TestInstance, r: number, _w: number) => streamRead(U8, a.opts, threadOf(a), r, 0, 4)],
    ['a sync stream.write', (a: TestInstance, _r: number, w: number) => streamWrite(U8, a.opts, threadOf(a), w, 0, 4)],
    [
      'a sync stream.cancel-read',
      (a: TestInstance, r: number, _w: number) => {
        streamRead(U8, asyncOpts(a), threadOf(a), r, 0, 4);
        return streamCancelRead(U8, false, threadOf(a), r);
      },
    ],
    [
      'a sync stream.cancel-write',
      (a: TestInstance, _r: number, w: number) => {
        streamWrite(U8, asyncOpts(a), threadOf(a), w, 0, 4);
        return streamCancelWrite(U8, false, threadOf(a), w);
      },
    ],
  ])('should trap on %s', (_n, f) => {
    const a = testInstance();
    const [r, w] = pair(a, streamNew(U8, a));
    const ws = new WaitableSet();
    // Join whichever end the operation uses after starting any async part.
    end(a, r).join(ws);
    end(a, w).join(ws);
    expect(trapReason(() => f(a, r, w))).toContain(SYNC_IN_SET_TRAP);
  });

  it.each([
    ['a sync future.read', (a: TestInstance, r: number) => futureRead(F, a.opts, threadOf(a), r, 0)],
    [
      'a sync future.cancel-read',
      (a: TestInstance, r: number) => {
        futureRead(F, asyncOpts(a), threadOf(a), r, 0);
        return futureCancelRead(F, false, threadOf(a), r);
      },
    ],
  ])('should trap on %s', (_n, f) => {
    const a = testInstance();
    const [r] = pair(a, futureNew(F, a));
    end(a, r).join(new WaitableSet());
    expect(trapReason(() => f(a, r))).toContain(SYNC_IN_SET_TRAP);
  });

  it('should allow async copies of an end in a set and deliver the event through the set', () => {
    const a = testInstance();
    const [r, w] = pair(a, streamNew(U8, a));
    const ws = new WaitableSet();
    end(a, r).join(ws);
    streamRead(U8, asyncOpts(a), threadOf(a), r, 0, 4);
    streamWrite(U8, asyncOpts(a), threadOf(a), w, 8, 2);
    expect(ws.hasPendingEvent()).toBe(true);
    expect(ws.getPendingEvent()[1]).toBe(r);
    expect(end(a, r).state).toBe(CopyState.IDLE);
  });

  it('should trap when a set is joined while a synchronous copy waits on the end', () => {
    const a = testInstance();
    const [r] = pair(a, streamNew(U8, a));
    streamRead(U8, a.opts, threadOf(a), r, 0, 4); // blocked, SYNC_COPYING
    expect(trapReason(() => end(a, r).join(new WaitableSet()))).toContain(SYNC_IN_SET_TRAP);
    end(a, r).join(null); // leaving (no set) is fine
  });

  it.each([
    ['stream', () => {
      const a = testInstance();
      const [r] = pair(a, streamNew(U8, a));
      end(a, r).join(new WaitableSet());
      return () => asyncHooks.liftStream({ inst: a } as never, r, U8);
    }],
    ['future', () => {
      const a = testInstance();
      const [r] = pair(a, futureNew(F, a));
      end(a, r).join(new WaitableSet());
      return () => asyncHooks.liftFuture({ inst: a } as never, r, F);
    }],
  ])('should trap when lifting a %s end that is in a waitable set', (kind, make) => {
    expect(trapReason(make())).toContain(`cannot lift ${kind} while it's in a waitable set`);
  });

  it('should leave the set when the end is dropped', () => {
    const a = testInstance();
    const [r, w] = pair(a, futureNew(F, a));
    const ws = new WaitableSet();
    end(a, r).join(ws);
    futureWrite(F, asyncOpts(a), threadOf(a), w, 0);
    expect(ws.elems).toHaveLength(1);
    end(a, r).drop();
    expect(ws.elems).toHaveLength(0);
  });
});

describe('error-context hooks', () => {
  it('should lift an error context without removing it and lower it into another table', () => {
    const a = testInstance();
    const b = testInstance();
    const e = ErrorContext.fromHost('oops');
    const i = asyncHooks.lowerErrorContext({ inst: a } as never, e, t.errorContext);
    expect(asyncHooks.liftErrorContext({ inst: a } as never, i, t.errorContext)).toBe(e);
    expect(a.handles.get(i)).toBe(e);
    const j = asyncHooks.lowerErrorContext({ inst: b } as never, e, t.errorContext);
    expect(b.handles.get(j)).toBe(e);
  });

  it('should trap when lifting something else and refuse to lower a non-ErrorContext', () => {
    const a = testInstance();
    const [r] = pair(a, streamNew(U8, a));
    expect(trapReason(() => asyncHooks.liftErrorContext({ inst: a } as never, r, t.errorContext))).toContain('expected error-context');
    expect(() => asyncHooks.lowerErrorContext({ inst: a } as never, 'oops', t.errorContext)).toThrow(/error-context/);
  });
});

describe('copy state transitions', () => {
  type Step = 'read-async' | 'write-async' | 'read-sync' | 'drop-other' | 'other-writes' | 'other-reads' | 'cancel' | 'deliver';
  const cases: [string, 'stream' | 'future', 'r' | 'w', Step[], CopyState[]][] = [
    ['stream read: IDLE -> ASYNC_COPYING -> (write) -> IDLE', 'stream', 'r', ['read-async', 'other-writes', 'deliver'], [CopyState.ASYNC_COPYING, CopyState.ASYNC_COPYING, CopyState.IDLE]],
    ['stream read: ASYNC_COPYING -> (writer dropped) -> DONE', 'stream', 'r', ['read-async', 'drop-other', 'deliver'], [CopyState.ASYNC_COPYING, CopyState.ASYNC_COPYING, CopyState.DONE]],
    ['stream read: ASYNC_COPYING -> cancel -> IDLE', 'stream', 'r', ['read-async', 'cancel'], [CopyState.ASYNC_COPYING, CopyState.IDLE]],
    ['stream read: IDLE -> SYNC_COPYING -> (write) -> IDLE', 'stream', 'r', ['read-sync', 'other-writes', 'deliver'], [CopyState.SYNC_COPYING, CopyState.SYNC_COPYING, CopyState.IDLE]],
    ['stream write: ASYNC_COPYING -> (read) -> IDLE', 'stream', 'w', ['write-async', 'other-reads', 'deliver'], [CopyState.ASYNC_COPYING, CopyState.ASYNC_COPYING, CopyState.IDLE]],
    ['stream write: ASYNC_COPYING -> (reader dropped) -> DONE', 'stream', 'w', ['write-async', 'drop-other', 'deliver'], [CopyState.ASYNC_COPYING, CopyState.ASYNC_COPYING, CopyState.DONE]],
    ['future read: ASYNC_COPYING -> (write) -> DONE', 'future', 'r', ['read-async', 'other-writes', 'deliver'], [CopyState.ASYNC_COPYING, CopyState.ASYNC_COPYING, CopyState.DONE]],
    ['future read: ASYNC_COPYING -> cancel -> IDLE', 'future', 'r', ['read-async', 'cancel'], [CopyState.ASYNC_COPYING, CopyState.IDLE]],
    ['future write: ASYNC_COPYING -> (reader dropped) -> DONE', 'future', 'w', ['write-async', 'drop-other', 'deliver'], [CopyState.ASYNC_COPYING, CopyState.ASYNC_COPYING, CopyState.DONE]],
    ['future write: ASYNC_COPYING -> (read) -> DONE', 'future', 'w', ['write-async', 'other-reads', 'deliver'], [CopyState.ASYNC_COPYING, CopyState.ASYNC_COPYING, CopyState.DONE]],
  ];
  it.each(cases)('should go %s', (_n, kind, side, steps, states) => {
    const a = testInstance();
    const b = testInstance();
    const S = kind === 'stream' ? U8 : undefined;
    const [r0, w0] = pair(a, kind === 'stream' ? streamNew(U8, a) : futureNew(F, a));
    // The readable end moves to instance b, so copies cross instances.
    const moved =
      kind === 'stream'
        ? asyncHooks.lowerStream({ inst: b } as never, asyncHooks.liftStream({ inst: a } as never, r0, U8), U8)
        : asyncHooks.lowerFuture({ inst: b } as never, asyncHooks.liftFuture({ inst: a } as never, r0, F), F);
    if (side === 'r') runSteps(b, moved, a, w0);
    else runSteps(a, w0, b, moved);

    function runSteps(mi: TestInstance, me: number, oi: TestInstance, ot: number): void {
      const got: CopyState[] = [];
      for (const s of steps) {
        switch (s) {
          case 'read-async':
            if (S) streamRead(S, asyncOpts(mi), threadOf(mi), me, 0, 4);
            else futureRead(F, asyncOpts(mi), threadOf(mi), me, 0);
            break;
          case 'read-sync':
            streamRead(U8, mi.opts, threadOf(mi), me, 0, 4);
            break;
          case 'write-async':
            if (S) streamWrite(S, asyncOpts(mi), threadOf(mi), me, 0, 4);
            else futureWrite(F, asyncOpts(mi), threadOf(mi), me, 0);
            break;
          case 'other-writes':
            if (S) streamWrite(S, asyncOpts(oi), threadOf(oi), ot, 0, 2);
            else futureWrite(F, asyncOpts(oi), threadOf(oi), ot, 0);
            break;
          case 'other-reads':
            if (S) streamRead(S, asyncOpts(oi), threadOf(oi), ot, 0, 2);
            else futureRead(F, asyncOpts(oi), threadOf(oi), ot, 0);
            break;
          case 'drop-other':
            (oi.handles.remove(ot) as CopyEnd).drop();
            break;
          case 'cancel':
            if (S) (side === 'r' ? streamCancelRead : streamCancelWrite)(S, true, threadOf(mi), me);
            else futureCancelRead(F, true, threadOf(mi), me);
            break;
          case 'deliver':
            end(mi, me).getPendingEvent();
            break;
        }
        got.push(end(mi, me).state);
      }
      expect(got).toEqual(states);
    }
  });
});
