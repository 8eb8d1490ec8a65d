import { t, type ValType } from '@wasm-components/canonical-abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cxOf, testInstance } from '../test-util/index.js';
import { ReadableGuestBuffer, WritableGuestBuffer } from './buffer.js';
import { CopyResult, SharedStream } from './shared.js';

/**
 * Drives a writer guest (memory A) and a reader guest (memory B) over one
 * shared stream, each issuing copies of its own random sizes, until the
 * writer has written everything and dropped its end. Returns B's bytes.
 */
function guestToGuest(elem: ValType, src: Uint8Array, size: number, ws: number[], rs: number[]): Uint8Array {
  const a = testInstance();
  const b = testInstance();
  const total = src.length / size;
  a.u8().set(src, 0);
  const shared = new SharedStream(elem);
  let wOff = 0;
  let rOff = 0;
  let wBusy = false;
  let rBusy = false;
  let wDone = false;
  let rDone = false;
  let wi = 0;
  let ri = 0;
  for (let steps = 0; !rDone; steps++) {
    if (steps > 100000) throw new Error('no progress');
    if (!wBusy && !wDone) {
      if (wOff === total) {
        wDone = true;
        shared.drop();
      } else {
        const n = Math.min(ws[wi++ % ws.length] as number, total - wOff);
        const buf = new ReadableGuestBuffer(elem, cxOf(a), wOff * size, n);
        wBusy = true;
        const finish = (): void => {
          wOff += buf.progress;
          wBusy = false;
        };
        shared.write(a, buf, (reclaim) => {
          reclaim();
          finish();
        }, finish);
      }
    }
    if (!rBusy && !rDone) {
      const n = rs[ri++ % rs.length] as number;
      const buf = new WritableGuestBuffer(elem, cxOf(b), rOff * size, n);
      rBusy = true;
      shared.read(b, buf, (reclaim) => {
        reclaim();
        rOff += buf.progress;
        rBusy = false;
      }, (result) => {
        rOff += buf.progress;
        rBusy = false;
        if (result === CopyResult.DROPPED) rDone = true;
      });
    }
  }
  expect(rOff).toBe(total);
  return b.u8().slice(0, src.length);
}

describe('guest-to-guest stream copies (property)', () => {
  it.each([
    ['u8', t.u8, 1],
    ['u32', t.u32, 4],
    ['f64', t.f64, 8],
  ] as const)('should deliver every %s element written in random chunks, read in random chunks, in order', (_n, elem, size) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }).chain((n) => fc.uint8Array({ minLength: n * size, maxLength: n * size })),
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 1, maxLength: 10 }).filter((ws) => ws.some((w) => w > 0)),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 10 }),
        (src, ws, rs) => {
          expect([...guestToGuest(elem, src, size, ws, rs)]).toEqual([...src]);
        },
      ),
      { numRuns: 200 },
    );
  });
});
