import { t, type ValType } from '@wasm-components/canonical-abi';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedStream } from '../streams/shared.js';
import { hostRead, hostWrite } from './stream.js';

/** Splits `xs` into consecutive pieces of the given sizes (the rest as the last piece). */
function split<T>(xs: T[], sizes: number[]): T[][] {
  const out: T[][] = [];
  let at = 0;
  for (const s of sizes) {
    if (at >= xs.length) break;
    out.push(xs.slice(at, at + s));
    at += s;
  }
  if (at < xs.length) out.push(xs.slice(at));
  return out;
}

async function roundTrip(elem: ValType, values: unknown[], writeSizes: number[], readSizes: number[], asTyped: (xs: unknown[]) => ArrayLike<unknown>): Promise<unknown[]> {
  const shared = new SharedStream(elem);
  const writer = (async () => {
    for (const chunk of split(values, writeSizes)) await hostWrite(shared, asTyped(chunk));
    shared.drop();
  })();
  const got: unknown[] = [];
  let i = 0;
  for (;;) {
    const r = await hostRead(shared, readSizes[i++ % readSizes.length] as number);
    for (let k = 0; k < r.values.length; k++) got.push(r.values[k]);
    if (r.done) break;
  }
  await writer;
  return got;
}

describe('stream round trip (property)', () => {
  it('should read back u8 values written in random chunks, read in random chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 200 }),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 20 }),
        async (values, ws, rs) => {
          const got = await roundTrip(t.u8, values, ws, rs, (xs) => Uint8Array.from(xs as number[]));
          expect(got).toEqual(values);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('should read back strings written in random chunks, read in random chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.string(), { maxLength: 60 }),
        fc.array(fc.integer({ min: 0, max: 10 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 1, maxLength: 10 }),
        async (values, ws, rs) => {
          expect(await roundTrip(t.string, values, ws, rs, (xs) => xs)).toEqual(values);
        },
      ),
      { numRuns: 100 },
    );
  });
});
