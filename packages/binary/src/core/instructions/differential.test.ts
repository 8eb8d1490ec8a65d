/**
 * Differential check against wasmparser: wasm-tools `print` decodes
 * operators without validating, so on the same body bytes it must accept
 * exactly what we accept and name the same instructions in the same order.
 */
import { print } from '@bytecodealliance/jco-transpile/wasm-tools';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../../errors.js';
import { Reader } from '../../reader.js';
import { readExpr } from './index.js';
import { ATOMIC_OPS, CORE_OPS, GC_OPS, MISC_OPS, type OpRow, SIMD_OPS } from './opcodes.js';

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A module with one `() -> ()` function whose body is `body` (no locals). */
function moduleWith(body: Uint8Array): Uint8Array {
  const code = [0x00, ...body];
  const section = (id: number, content: number[]): number[] => [id, ...leb(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 0, 0]),
    ...section(3, [1, 0]),
    ...section(10, [1, ...leb(code.length), ...code]),
  ]);
}

/** First token of each instruction line of the printed function (print writes one instruction per line). */
function printedOps(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith('(func'));
  const out: string[] = [];
  for (let k = start + 1; k < lines.length; k++) {
    const l = lines[k]!.trim();
    if (l === ')') break;
    if (l.startsWith('(')) continue;
    out.push(l.split(/\s+/)[0]!);
  }
  return out;
}

const prefixed: [number, readonly OpRow[]][] = [
  [0xfb, GC_OPS],
  [0xfc, MISC_OPS],
  [0xfd, SIMD_OPS],
  [0xfe, ATOMIC_OPS],
];
const chunk = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...CORE_OPS.map(([c]) => [c])) },
  { weight: 3, arbitrary: fc.constantFrom(...prefixed.flatMap(([p, rows]) => rows.map(([c]) => [p, ...leb(c)]))) },
  { weight: 3, arbitrary: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 5 }) },
);
const bodies = fc.array(chunk, { maxLength: 12 }).map((parts) => new Uint8Array([...parts.flat(), 0x0b, 0x0b, 0x0b]));

describe('agreement with wasmparser (wasm-tools print)', () => {
  it('should read the printed instructions of a known body', async () => {
    expect(printedOps(await print(moduleWith(new Uint8Array([0x02, 0x40, 0x41, 0x01, 0x1a, 0x0b, 0x0b]))))).toEqual(['block', 'i32.const', 'drop', 'end']);
  });

  it('should accept and reject the same bodies and name the same instructions', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(bodies, async (bytes) => {
        let ours: string[] | undefined;
        let body = bytes;
        try {
          const r = new Reader(bytes);
          ours = readExpr(r).map((i) => i.op);
          body = bytes.subarray(0, r.pos);
        } catch (e) {
          if (!isDecodeError(e)) throw e;
        }
        let text: string | undefined;
        let theirError = '';
        try {
          text = await print(moduleWith(body));
        } catch (e) {
          theirError = String((e as { message?: unknown }).message ?? e);
        }
        // wasmparser packs type indices of reference types in 20 bits; that is an
        // implementation limit, not a format rule, and we accept larger ones.
        if (ours !== undefined && /implementation limit/.test(theirError)) return;
        expect(text !== undefined, `${Buffer.from(body).toString('hex')}: ours ${ours === undefined ? 'rejects' : 'accepts'}, theirs: ${theirError || 'accepts'}`).toBe(ours !== undefined);
        if (ours !== undefined && text !== undefined) {
          accepted++;
          expect(printedOps(text)).toEqual(ours);
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(300);
  }, 120_000);
});
