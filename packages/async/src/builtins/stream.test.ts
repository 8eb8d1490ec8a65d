import { canonResourceNew, resourceType, t, type StreamType } from '@wasm-components/canonical-abi';
import { describe, expect, it } from 'vitest';
import { CopyState, type CopyEnd } from '../streams/ends.js';
import { asyncHooks } from '../streams/hooks.js';
import { CopyResult } from '../streams/shared.js';
import { asyncOpts, endsSetup, testInstance, type TestInstance, threadOf, trapReason } from '../test-util/index.js';
import { EventCode } from '../waitable.js';
import { BLOCKED } from './common.js';
import { isBlocked } from './copy.js';
import {
  streamCancelRead,
  streamCancelWrite,
  streamDropReadable,
  streamDropWritable,
  streamNew,
  streamRead,
  streamWrite,
} from './stream.js';

const U8: StreamType = t.stream(t.u8);

const setup = (ty: StreamType = U8): ReturnType<typeof endsSetup> => endsSetup((a) => streamNew(ty, a));

const packedOf = (result: number, n: number): number => (result | (n << 4)) >>> 0;
const endAt = (a: TestInstance, i: number): CopyEnd => a.handles.get(i) as CopyEnd;

describe('stream.new', () => {
  it('should put the readable then the writable end in the table and pack both indices', () => {
    const { a, ri, wi } = setup();
    expect([ri, wi]).toEqual([1, 2]);
    expect(endAt(a, ri).kind).toBe('readable stream end');
    expect(endAt(a, wi).kind).toBe('writable stream end');
  });

  it('should trap when the instance may not be left', () => {
    const a = testInstance();
    a.mayLeave = false;
    expect(trapReason(() => streamNew(U8, a))).toContain('cannot leave');
  });
});

describe('stream.read / stream.write (async)', () => {
  it('should block the first side and complete the second (reader first)', () => {
    const { a, caller, ri, wi } = setup();
    a.u8().set([1, 2, 3, 4], 100);
    expect(streamRead(U8, asyncOpts(a), caller, ri, 200, 4)).toBe(BLOCKED);
    expect(endAt(a, ri).state).toBe(CopyState.ASYNC_COPYING);
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 4)).toBe(packedOf(CopyResult.COMPLETED, 4));
    expect([...a.u8().subarray(200, 204)]).toEqual([1, 2, 3, 4]);
    const r = endAt(a, ri);
    expect(r.hasPendingEvent()).toBe(true);
    expect(r.getPendingEvent()).toEqual([EventCode.STREAM_READ, ri, packedOf(CopyResult.COMPLETED, 4)]);
    expect(r.state).toBe(CopyState.IDLE);
  });

  it('should copy min(n) and leave the rest to a later read (partial copy, writer first)', () => {
    const { a, caller, ri, wi } = setup();
    a.u8().set([1, 2, 3, 4, 5, 6, 7, 8], 100);
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 8)).toBe(BLOCKED);
    expect(streamRead(U8, asyncOpts(a), caller, ri, 200, 3)).toBe(packedOf(CopyResult.COMPLETED, 3));
    const w = endAt(a, wi);
    // The writer's event reports the 3 elements copied so far and releases its buffer.
    expect(w.getPendingEvent()).toEqual([EventCode.STREAM_WRITE, wi, packedOf(CopyResult.COMPLETED, 3)]);
    expect(w.state).toBe(CopyState.IDLE);
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 103, 5)).toBe(BLOCKED);
    expect(streamRead(U8, asyncOpts(a), caller, ri, 203, 10)).toBe(packedOf(CopyResult.COMPLETED, 5));
    expect([...a.u8().subarray(200, 208)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('should let a zero-length read complete against a pending write without taking values', () => {
    const { a, caller, ri, wi } = setup();
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 4)).toBe(BLOCKED);
    expect(streamRead(U8, asyncOpts(a), caller, ri, 0, 0)).toBe(packedOf(CopyResult.COMPLETED, 0));
    expect(endAt(a, wi).hasPendingEvent()).toBe(false);
  });

  it('should complete a pending zero-length write when a read arrives, and block the read', () => {
    const { a, caller, ri, wi } = setup();
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 0, 0)).toBe(BLOCKED);
    expect(streamRead(U8, asyncOpts(a), caller, ri, 100, 4)).toBe(BLOCKED);
    expect(endAt(a, wi).getPendingEvent()).toEqual([EventCode.STREAM_WRITE, wi, packedOf(CopyResult.COMPLETED, 0)]);
  });

  it('should report DROPPED to a pending read when the writable end is dropped, then trap on a new read', () => {
    const { a, caller, ri, wi } = setup();
    expect(streamRead(U8, asyncOpts(a), caller, ri, 100, 4)).toBe(BLOCKED);
    streamDropWritable(U8, a, wi);
    const r = endAt(a, ri);
    expect(r.getPendingEvent()).toEqual([EventCode.STREAM_READ, ri, packedOf(CopyResult.DROPPED, 0)]);
    expect(r.state).toBe(CopyState.DONE);
    expect(trapReason(() => streamRead(U8, asyncOpts(a), caller, ri, 100, 4))).toContain(
      'cannot read from stream after being notified that the writable end dropped',
    );
    streamDropReadable(U8, a, ri);
    expect(a.handles.size).toBe(0);
  });

  it('should return DROPPED at once for a write after the readable end was dropped, then trap', () => {
    const { a, caller, ri, wi } = setup();
    streamDropReadable(U8, a, ri);
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 4)).toBe(packedOf(CopyResult.DROPPED, 0));
    expect(trapReason(() => streamWrite(U8, asyncOpts(a), caller, wi, 100, 4))).toContain(
      'cannot write to stream after being notified that the readable end dropped',
    );
  });

  it.each([
    ['dropping the readable end while reading', 'read', 'cannot remove busy stream'],
    ['dropping the writable end while writing', 'write', 'cannot drop busy stream'],
  ] as const)('should trap on %s', (_n, op, msg) => {
    const { a, caller, ri, wi } = setup();
    if (op === 'read') {
      streamRead(U8, asyncOpts(a), caller, ri, 100, 4);
      expect(trapReason(() => streamDropReadable(U8, a, ri))).toContain(msg);
    } else {
      streamWrite(U8, asyncOpts(a), caller, wi, 100, 4);
      expect(trapReason(() => streamDropWritable(U8, a, wi))).toContain(msg);
    }
  });

  it('should trap on a second copy while one is in progress', () => {
    const { a, caller, ri } = setup();
    streamRead(U8, asyncOpts(a), caller, ri, 100, 4);
    expect(trapReason(() => streamRead(U8, asyncOpts(a), caller, ri, 100, 4))).toContain('cannot have concurrent operations active on a future/stream');
  });

  it.each([
    ['a writable end given to stream.read', (s: ReturnType<typeof setup>) => streamRead(U8, asyncOpts(s.a), s.caller, s.wi, 0, 1), 'expected readable stream end'],
    ['a readable end given to stream.write', (s: ReturnType<typeof setup>) => streamWrite(U8, asyncOpts(s.a), s.caller, s.ri, 0, 1), 'expected writable stream end'],
    ['an unknown index', (s: ReturnType<typeof setup>) => streamRead(U8, asyncOpts(s.a), s.caller, 9, 0, 1), 'unknown handle index 9'],
    ['another element type', (s: ReturnType<typeof setup>) => streamRead(t.stream(t.u16), asyncOpts(s.a), s.caller, s.ri, 0, 1), 'type mismatch'],
    ['a misaligned buffer', (s: ReturnType<typeof setup>) => streamRead(t.stream(t.u32), asyncOpts(s.a), threadOf(streamOf(s.a, t.stream(t.u32))), 3, 2, 1), 'unaligned'],
    ['a buffer out of bounds', (s: ReturnType<typeof setup>) => streamRead(U8, asyncOpts(s.a), s.caller, s.ri, 65535, 2), 'out of bounds'],
    ['a sync read in a task that may not block', (s: ReturnType<typeof setup>) => streamRead(U8, s.a.opts, threadOf(s.a, false), s.ri, 0, 1), 'cannot block a synchronous task before returning'],
    ['a drop with the wrong type', (s: ReturnType<typeof setup>) => streamDropReadable(t.stream(t.string), s.a, s.ri), 'type mismatch'],
  ])('should trap on %s', (_n, f, msg) => {
    expect(trapReason(() => f(setup()))).toContain(msg);
  });

  it('should allow a same-instance copy of u8 but trap for char', () => {
    const s = setup(t.stream(t.char));
    streamRead(t.stream(t.char), asyncOpts(s.a), s.caller, s.ri, 100, 1);
    expect(trapReason(() => streamWrite(t.stream(t.char), asyncOpts(s.a), s.caller, s.wi, 200, 1))).toContain(
      'cannot read from and write to intra-component future',
    );
  });

  it('should copy between two instances element by element for strings', () => {
    const ty = t.stream(t.string);
    const a = testInstance();
    const b = testInstance();
    const packed = streamNew(ty, a);
    const ri = Number(packed & 0xffffffffn);
    const wi = Number(packed >> 32n);
    // Move the readable end to b (as passing it through a call would).
    const moved = asyncHooks.lowerStream({ inst: b } as never, asyncHooks.liftStream({ inst: a } as never, ri, ty), ty);
    // a writes two strings it stored at 300.
    const enc = new TextEncoder();
    a.u8().set(enc.encode('hi'), 400);
    a.u8().set(enc.encode('there'), 410);
    new DataView(a.memory.buffer).setUint32(300, 400, true);
    new DataView(a.memory.buffer).setUint32(304, 2, true);
    new DataView(a.memory.buffer).setUint32(308, 410, true);
    new DataView(a.memory.buffer).setUint32(312, 5, true);
    expect(streamWrite(ty, asyncOpts(a), threadOf(a), wi, 300, 2)).toBe(BLOCKED);
    expect(streamRead(ty, asyncOpts(b), threadOf(b), moved, 16, 2)).toBe(packedOf(CopyResult.COMPLETED, 2));
    const dv = new DataView(b.memory.buffer);
    const s0 = new TextDecoder().decode(b.u8().subarray(dv.getUint32(16, true), dv.getUint32(16, true) + dv.getUint32(20, true)));
    const s1 = new TextDecoder().decode(b.u8().subarray(dv.getUint32(24, true), dv.getUint32(24, true) + dv.getUint32(28, true)));
    expect([s0, s1]).toEqual(['hi', 'there']);
  });

  it('should move owned resource handles from the writer to the reader table', () => {
    const rt = resourceType({ name: 'R' });
    const ty = t.stream(t.own(rt));
    const a = testInstance();
    const b = testInstance();
    const packed = streamNew(ty, a);
    const moved = asyncHooks.lowerStream({ inst: b } as never, asyncHooks.liftStream({ inst: a } as never, Number(packed & 0xffffffffn), ty), ty);
    const h = canonResourceNew(a, rt, 77);
    new DataView(a.memory.buffer).setUint32(300, h, true);
    streamWrite(ty, asyncOpts(a), threadOf(a), Number(packed >> 32n), 300, 1);
    streamRead(ty, asyncOpts(b), threadOf(b), moved, 16, 1);
    expect(a.handles.has(h)).toBe(false);
    const hb = new DataView(b.memory.buffer).getUint32(16, true);
    expect((b.handles.get(hb) as { rep: number }).rep).toBe(77);
  });
});

function streamOf(a: TestInstance, ty: StreamType): TestInstance {
  streamNew(ty, a); // indices 3 and 4 after setup()'s 1 and 2
  return a;
}

describe('stream copies from a synchronous caller', () => {
  it('should return a BlockedCopy and finish with the packed result once the other side arrives', () => {
    const { a, caller, ri, wi } = setup();
    const out = streamRead(U8, a.opts, caller, ri, 200, 4);
    expect(isBlocked(out)).toBe(true);
    if (!isBlocked(out)) return;
    expect(endAt(a, ri).state).toBe(CopyState.SYNC_COPYING);
    expect(out.ready()).toBe(false);
    a.u8().set([9, 9], 100);
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 2)).toBe(packedOf(CopyResult.COMPLETED, 2));
    expect(out.ready()).toBe(true);
    expect(out.finish()).toBe(packedOf(CopyResult.COMPLETED, 2));
    expect(endAt(a, ri).state).toBe(CopyState.IDLE);
  });

  it('should not block when the copy completes at once', () => {
    const { a, caller, ri, wi } = setup();
    streamWrite(U8, asyncOpts(a), caller, wi, 100, 2);
    expect(streamRead(U8, a.opts, caller, ri, 200, 4)).toBe(packedOf(CopyResult.COMPLETED, 2));
  });
});

describe('stream.cancel-read / cancel-write', () => {
  it.each([
    ['cancel-read', 'read'],
    ['cancel-write', 'write'],
  ] as const)('should %s an async copy and report CANCELLED', (_n, op) => {
    const { a, caller, ri, wi } = setup();
    if (op === 'read') {
      streamRead(U8, asyncOpts(a), caller, ri, 100, 4);
      expect(streamCancelRead(U8, true, caller, ri)).toBe(packedOf(CopyResult.CANCELLED, 0));
      expect(endAt(a, ri).state).toBe(CopyState.IDLE);
    } else {
      streamWrite(U8, asyncOpts(a), caller, wi, 100, 4);
      expect(streamCancelWrite(U8, false, caller, wi)).toBe(packedOf(CopyResult.CANCELLED, 0));
      expect(endAt(a, wi).state).toBe(CopyState.IDLE);
    }
  });

  it('should report an undelivered partial write as CANCELLED with its count (cancel-stream.wast)', () => {
    const { a, caller, ri, wi } = setup();
    streamWrite(U8, asyncOpts(a), caller, wi, 100, 8);
    streamRead(U8, asyncOpts(a), caller, ri, 200, 4);
    expect(streamCancelWrite(U8, true, caller, wi)).toBe(0x42);
    expect(endAt(a, wi).state).toBe(CopyState.IDLE);
  });

  it('should report an undelivered partial read as CANCELLED with its count and release the buffer', () => {
    const { a, caller, ri, wi } = setup();
    streamRead(U8, asyncOpts(a), caller, ri, 200, 100);
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 4)).toBe(packedOf(CopyResult.COMPLETED, 4));
    expect(streamCancelRead(U8, true, caller, ri)).toBe(0x42);
    // The reader's buffer no longer receives writes.
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 4)).toBe(BLOCKED);
  });

  it('should report DROPPED with its count when the writer wrote then dropped before the cancel', () => {
    const { a, caller, ri, wi } = setup();
    streamRead(U8, asyncOpts(a), caller, ri, 200, 100);
    streamWrite(U8, asyncOpts(a), caller, wi, 100, 4);
    streamDropWritable(U8, a, wi);
    expect(streamCancelRead(U8, true, caller, ri)).toBe(0x41);
    expect(endAt(a, ri).state).toBe(CopyState.DONE);
  });

  it('should keep filling a pending read buffer with several writes until its event is delivered', () => {
    const { a, caller, ri, wi } = setup();
    a.u8().set([1, 2, 3, 4, 5, 6], 100);
    streamRead(U8, asyncOpts(a), caller, ri, 200, 6);
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 100, 2)).toBe(packedOf(CopyResult.COMPLETED, 2));
    expect(streamWrite(U8, asyncOpts(a), caller, wi, 102, 2)).toBe(packedOf(CopyResult.COMPLETED, 2));
    expect(endAt(a, ri).getPendingEvent()[2]).toBe(packedOf(CopyResult.COMPLETED, 4));
    expect([...a.u8().subarray(200, 204)]).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['no copy in progress', (s: ReturnType<typeof setup>) => streamCancelRead(U8, true, s.caller, s.ri), 'no async stream copy is in progress'],
    ['a sync cancel in a task that may not block', (s: ReturnType<typeof setup>) => streamCancelRead(U8, false, threadOf(s.a, false), s.ri), 'cannot block'],
    ['the wrong end', (s: ReturnType<typeof setup>) => streamCancelRead(U8, true, s.caller, s.wi), 'expected readable stream end'],
  ])('should trap with %s', (_n, f, msg) => {
    expect(trapReason(() => f(setup()))).toContain(msg);
  });
});

describe('lifting and lowering streams', () => {
  it.each([
    ['a done end', 'cannot lift stream after being notified that the writable end dropped'],
    ['a busy end', 'cannot remove busy stream'],
  ] as const)('should trap when lifting %s', (name, msg) => {
    const { a, caller, ri, wi } = setup();
    if (name === 'a done end') {
      streamDropWritable(U8, a, wi);
      streamRead(U8, asyncOpts(a), caller, ri, 0, 1);
    } else {
      streamRead(U8, asyncOpts(a), caller, ri, 0, 1);
    }
    expect(trapReason(() => asyncHooks.liftStream({ inst: a } as never, ri, U8))).toContain(msg);
  });

  it('should trap when lifting a writable end or another type', () => {
    const { a, ri, wi } = setup();
    expect(trapReason(() => asyncHooks.liftStream({ inst: a } as never, wi, U8))).toContain('expected readable stream end');
    expect(trapReason(() => asyncHooks.liftStream({ inst: a } as never, ri, t.stream(t.u32)))).toContain('type mismatch');
  });
});
