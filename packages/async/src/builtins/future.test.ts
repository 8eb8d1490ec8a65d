import { t, type FutureType } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { ComponentFuture } from '../host/future.js';
import { CopyState, type CopyEnd } from '../streams/ends.js';
import { asyncHooks } from '../streams/hooks.js';
import { CopyResult } from '../streams/shared.js';
import { asyncOpts, endsSetup, type TestInstance, trapReason } from '../test-util/index.js';
import { EventCode } from '../waitable.js';
import { BLOCKED } from './common.js';
import { isBlocked } from './copy.js';
import {
  futureCancelRead,
  futureCancelWrite,
  futureDropReadable,
  futureDropWritable,
  futureNew,
  futureRead,
  futureWrite,
} from './future.js';

const U32: FutureType = t.future(t.u32);

const setup = (ty: FutureType = U32): ReturnType<typeof endsSetup> => endsSetup((a) => futureNew(ty, a));
const endAt = (a: TestInstance, i: number): CopyEnd => a.handles.get(i) as CopyEnd;

describe('future.read / future.write', () => {
  it.each(['read', 'write'] as const)('should rendezvous with the %s first and leave both ends DONE', (first) => {
    const { a, caller, ri, wi } = setup();
    new DataView(a.memory.buffer).setUint32(100, 0xabcdef, true);
    if (first === 'read') {
      expect(futureRead(U32, asyncOpts(a), caller, ri, 200)).toBe(BLOCKED);
      expect(futureWrite(U32, asyncOpts(a), caller, wi, 100)).toBe(CopyResult.COMPLETED);
      expect(endAt(a, ri).getPendingEvent()).toEqual([EventCode.FUTURE_READ, ri, CopyResult.COMPLETED]);
    } else {
      expect(futureWrite(U32, asyncOpts(a), caller, wi, 100)).toBe(BLOCKED);
      expect(futureRead(U32, asyncOpts(a), caller, ri, 200)).toBe(CopyResult.COMPLETED);
      expect(endAt(a, wi).getPendingEvent()).toEqual([EventCode.FUTURE_WRITE, wi, CopyResult.COMPLETED]);
    }
    expect(new DataView(a.memory.buffer).getUint32(200, true)).toBe(0xabcdef);
    expect(endAt(a, ri).state).toBe(CopyState.DONE);
    expect(endAt(a, wi).state).toBe(CopyState.DONE);
    expect(trapReason(() => futureRead(U32, asyncOpts(a), caller, ri, 200))).toContain('cannot read from future after previous read succeeded');
    expect(trapReason(() => futureWrite(U32, asyncOpts(a), caller, wi, 100))).toContain('cannot write to future after previous write succeeded');
    futureDropReadable(U32, a, ri);
    futureDropWritable(U32, a, wi);
    expect(a.handles.size).toBe(0);
  });

  it('should trap when the writable end is dropped before writing', () => {
    const { a, wi } = setup();
    expect(trapReason(() => futureDropWritable(U32, a, wi))).toContain('cannot drop future write end without first writing a value');
  });

  it('should report DROPPED to a write after the readable end was dropped, and then allow dropping the writer', () => {
    const { a, caller, ri, wi } = setup();
    futureDropReadable(U32, a, ri);
    expect(futureWrite(U32, asyncOpts(a), caller, wi, 100)).toBe(CopyResult.DROPPED);
    expect(trapReason(() => futureWrite(U32, asyncOpts(a), caller, wi, 100))).toContain(
      'cannot write to future after previous write succeeded or readable end dropped',
    );
    futureDropWritable(U32, a, wi);
  });

  it('should trap on a same-instance copy of a future<string>', () => {
    const ty = t.future(t.string);
    const { a, caller, ri, wi } = setup(ty);
    futureRead(ty, asyncOpts(a), caller, ri, 200);
    expect(trapReason(() => futureWrite(ty, asyncOpts(a), caller, wi, 100))).toContain('cannot read from and write to intra-component future');
  });

  it('should cancel an async read and allow reading again', () => {
    const { a, caller, ri } = setup();
    futureRead(U32, asyncOpts(a), caller, ri, 200);
    expect(futureCancelRead(U32, true, caller, ri)).toBe(CopyResult.CANCELLED);
    expect(endAt(a, ri).state).toBe(CopyState.IDLE);
    expect(futureRead(U32, asyncOpts(a), caller, ri, 200)).toBe(BLOCKED);
  });

  it('should cancel an async write', () => {
    const { a, caller, wi } = setup();
    futureWrite(U32, asyncOpts(a), caller, wi, 100);
    expect(futureCancelWrite(U32, true, caller, wi)).toBe(CopyResult.CANCELLED);
  });

  it('should block a sync read and finish it after the write', () => {
    const { a, caller, ri, wi } = setup();
    const out = futureRead(U32, a.opts, caller, ri, 200);
    expect(isBlocked(out)).toBe(true);
    futureWrite(U32, asyncOpts(a), caller, wi, 100);
    if (isBlocked(out)) {
      expect(out.ready()).toBe(true);
      expect(out.finish()).toBe(CopyResult.COMPLETED);
    }
  });

  it('should lift a readable future end as a ComponentFuture and refuse a done one', () => {
    const { a, caller, ri, wi } = setup();
    const f = asyncHooks.liftFuture({ inst: a } as never, ri, U32);
    expect(f).toBeInstanceOf(ComponentFuture);
    const s2 = setup();
    futureWrite(U32, asyncOpts(s2.a), s2.caller, s2.wi, 100);
    futureRead(U32, asyncOpts(s2.a), s2.caller, s2.ri, 200);
    expect(trapReason(() => asyncHooks.liftFuture({ inst: s2.a } as never, s2.ri, U32))).toContain('cannot lift future after previous read succeeded');
    expect(wi).toBe(2);
    expect(caller.task.inst).toBe(a);
  });

  it('should deliver a value written by a guest to a host awaiting the lifted future', async () => {
    const { a, caller, ri, wi } = setup();
    const f = asyncHooks.liftFuture({ inst: a } as never, ri, U32) as ComponentFuture<number>;
    const p = f.then((v) => v);
    new DataView(a.memory.buffer).setUint32(100, 31337, true);
    expect(futureWrite(U32, asyncOpts(a), caller, wi, 100)).toBe(CopyResult.COMPLETED);
    expect(await p).toBe(31337);
  });
});
