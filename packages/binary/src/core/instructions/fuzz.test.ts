/**
 * Property tests: on any bytes, decoding either fails with a DecodeError or
 * accepts a prefix that re-encodes to exactly the same bytes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../../errors.js';
import { Reader } from '../../reader.js';
import { Writer } from '../../writer.js';
import { type Expr, readExpr, writeExpr } from './index.js';
import { ATOMIC_OPS, CORE_OPS, GC_OPS, MISC_OPS, SIMD_OPS } from './opcodes.js';

/** Decode an expression from `bytes`; on success check the exact round trip of the consumed prefix. */
function check(bytes: Uint8Array): void {
  const r = new Reader(bytes);
  const m = r.beginPadding();
  let e: Expr;
  try {
    e = readExpr(r);
  } catch (err) {
    if (!isDecodeError(err)) throw err;
    return;
  }
  const padding = r.endPadding(m);
  const w = new Writer();
  const wm = w.beginPadding(padding);
  writeExpr(w, e);
  w.endPadding(wm);
  expect(Buffer.from(w.finish()).toString('hex')).toBe(Buffer.from(bytes.subarray(0, r.pos)).toString('hex'));
}

/** Bytes that look like instructions: opcodes from the tables (prefix + sub-opcode LEB128, sometimes padded) and random immediates. */
const opcodeBytes = fc.oneof(
  fc.constantFrom(...CORE_OPS.map(([c]) => [c])),
  ...(
    [
      [0xfb, GC_OPS],
      [0xfc, MISC_OPS],
      [0xfd, SIMD_OPS],
      [0xfe, ATOMIC_OPS],
    ] as const
  ).map(([p, rows]) =>
    fc.tuple(fc.constantFrom(...rows.map(([c]) => c)), fc.boolean()).map(([c, pad]) => {
      const out: number[] = [p];
      let v: number = c;
      while (v >= 0x80) {
        out.push((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      if (pad) out.push(v | 0x80, 0x00);
      else out.push(v);
      return out;
    }),
  ),
);
const chunk = fc.oneof({ weight: 3, arbitrary: opcodeBytes }, { weight: 2, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 6 }) });
const instructionLike = fc.array(chunk, { maxLength: 40 }).map((parts) => {
  const flat = parts.flat();
  flat.push(0x0b, 0x0b, 0x0b, 0x0b);
  return new Uint8Array(flat);
});

describe('instruction codec properties', () => {
  it('should either reject random bytes with a DecodeError or round-trip them exactly', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => check(b)), { numRuns: 5000 });
  }, 60_000);

  it('should round-trip instruction-like byte sequences exactly or reject them with a DecodeError', () => {
    fc.assert(fc.property(instructionLike, (b) => check(b)), { numRuns: 20000 });
  }, 60_000);
});
