import { t, type StreamType, type ValType } from '@wasm-components/canonical-abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CopyEnd } from '../streams/ends.js';
import { asyncHooks } from '../streams/hooks.js';
import { CopyResult } from '../streams/shared.js';
import { testInstance, threadOf } from '../test-util/index.js';
import { BLOCKED } from './common.js';
import { streamDropReadable, streamDropWritable, streamNew, streamRead, streamWrite } from './stream.js';

/**
 * Instance A writes `src` (elements of `size` bytes) with async
 * `stream.write`s of random sizes, instance B reads with async
 * `stream.read`s of random sizes; both take their events from their ends
 * as a guest would after `waitable-set.wait`. Returns B's bytes.
 */
function viaBuiltins(elem: ValType, size: number, src: Uint8Array, ws: number[], rs: number[]): Uint8Array {
  const ty: StreamType = t.stream(elem);
  const a = testInstance();
  const b = testInstance();
  a.u8().set(src, 0);
  const packed = streamNew(ty, a);
  const wi = Number(packed >> 32n);
  const ri = asyncHooks.lowerStream({ inst: b } as never, asyncHooks.liftStream({ inst: a } as never, Number(packed & 0xffffffffn), ty), ty);
  const ta = threadOf(a);
  const tb = threadOf(b);
  const oa = { ...a.opts, async: true };
  const ob = { ...b.opts, async: true };
  const total = src.length / size;
  let wOff = 0;
  let rOff = 0;
  let wBlocked = false;
  let rBlocked = false;
  let wDropped = false;
  let rDone = false;
  let k = 0;
  let m = 0;
  const wEnd = a.handles.get(wi) as CopyEnd;
  const rEnd = b.handles.get(ri) as CopyEnd;
  for (let steps = 0; !rDone; steps++) {
    if (steps > 100000) throw new Error('no progress');
    if (!wBlocked && !wDropped) {
      if (wOff === total) {
        streamDropWritable(ty, a, wi);
        wDropped = true;
      } else {
        const res = streamWrite(ty, oa, ta, wi, wOff * size, Math.min(ws[k++ % ws.length] as number, total - wOff)) as number;
        if (res === BLOCKED) wBlocked = true;
        else wOff += res >>> 4;
      }
    }
    if (!rBlocked) {
      const res = streamRead(ty, ob, tb, ri, rOff * size, rs[m++ % rs.length] as number) as number;
      if (res === BLOCKED) rBlocked = true;
      else {
        rOff += res >>> 4;
        if ((res & 0xf) === CopyResult.DROPPED) rDone = true;
      }
    }
    if (wBlocked && wEnd.hasPendingEvent()) {
      wOff += wEnd.getPendingEvent()[2] >>> 4;
      wBlocked = false;
    }
    if (rBlocked && rEnd.hasPendingEvent()) {
      const p = rEnd.getPendingEvent()[2];
      rOff += p >>> 4;
      rBlocked = false;
      if ((p & 0xf) === CopyResult.DROPPED) rDone = true;
    }
  }
  expect(rOff).toBe(total);
  streamDropReadable(ty, b, ri);
  expect(a.handles.size + b.handles.size).toBe(0);
  return b.u8().slice(0, src.length);
}

describe('stream built-ins between two instances (property)', () => {
  it.each([
    ['u8', t.u8, 1],
    ['s16', t.s16, 2],
    ['u64', t.u64, 8],
  ] as const)('should deliver every %s element in order whatever the copy sizes', (_n, elem, size) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }).chain((n) => fc.uint8Array({ minLength: n * size, maxLength: n * size })),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 10 }).filter((ws) => ws.some((w) => w > 0)),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 10 }).filter((rs) => rs.some((r) => r > 0)),
        (src, ws, rs) => {
          expect([...viaBuiltins(elem, size, src, ws, rs)]).toEqual([...src]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
