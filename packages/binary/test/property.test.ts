/**
 * Property tests of the component codec: for any component AST in the
 * canonical shape (see `src/component/testing/arbitraries.ts`),
 * `readComponent(writeComponent(c))` is `c` again, and writing the decoded
 * AST gives the same bytes. Runs are kept modest so CI stays fast; the
 * arbitraries favour small values and shallow nesting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../src/errors.js';
import { Reader } from '../src/reader.js';
import { Writer } from '../src/writer.js';
import type { Component } from '../src/component/ast.js';
import { readComponent } from '../src/component/decode.js';
import { writeComponent } from '../src/component/encode.js';
import { readCanon, writeCanon } from '../src/component/canon.js';
import { readCoreInstance, readInstance, writeCoreInstance, writeInstance } from '../src/component/instances.js';
import { readComponentNameSection, writeComponentNameSection } from '../src/component/name-section.js';
import { arbCanon, arbComponent, arbComponentNameSection, arbCoreInstance, arbInstance } from '../src/component/testing/arbitraries.js';

function encode(c: Component): Uint8Array {
  const w = new Writer();
  writeComponent(w, c);
  return w.finish();
}

/**
 * Drop the informative numeric `offset` fields the decoders put on section
 * nodes and function bodies, recursively (the encoders ignore them).
 */
function stripOffsets<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripOffsets) as T;
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!(k === 'offset' && typeof x === 'number')) out[k] = stripOffsets(x);
    return out as T;
  }
  return v;
}

function roundTripItem<T>(write: (w: Writer, v: T) => void, read: (r: Reader) => T): (v: T) => void {
  return (v: T): void => {
    const w = new Writer();
    write(w, v);
    const bytes = w.finish();
    const r = new Reader(bytes);
    expect(read(r)).toEqual(v);
    expect(r.pos).toBe(bytes.length);
  };
}

describe('component codec properties', () => {
  it('should decode what it encodes, for whole components', () => {
    fc.assert(
      fc.property(arbComponent, (c) => {
        const bytes = encode(c);
        const back = readComponent(new Reader(bytes));
        expect(stripOffsets(back)).toEqual(stripOffsets(c));
        expect(encode(back)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  it('should decode what it encodes, for canonical definitions', () => {
    fc.assert(fc.property(arbCanon, roundTripItem(writeCanon, readCanon)), { numRuns: 300 });
  });

  it('should decode what it encodes, for core instances and instances', () => {
    fc.assert(fc.property(arbCoreInstance, roundTripItem(writeCoreInstance, readCoreInstance)), { numRuns: 200 });
    fc.assert(fc.property(arbInstance, roundTripItem(writeInstance, readInstance)), { numRuns: 200 });
  });

  it('should decode what it encodes, for component-name sections', () => {
    fc.assert(fc.property(arbComponentNameSection, roundTripItem(writeComponentNameSection, readComponentNameSection)), {
      numRuns: 200,
    });
  });

  it('should only ever throw a DecodeError on a truncated or corrupted component', () => {
    fc.assert(
      fc.property(arbComponent, fc.nat(), fc.integer({ min: 0, max: 255 }), (c, at, byte) => {
        const bytes = encode(c);
        const cut = bytes.subarray(0, at % (bytes.length + 1));
        const flipped = bytes.slice();
        if (flipped.length > 8) flipped[8 + (at % (flipped.length - 8))] = byte;
        for (const input of [cut, flipped]) {
          try {
            const back = readComponent(new Reader(input));
            expect(encode(back)).toEqual(input);
          } catch (e) {
            if (!isDecodeError(e)) throw e;
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('should only ever throw a DecodeError on random bytes after a component preamble', () => {
    const pre = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (tail) => {
        const input = new Uint8Array([...pre, ...tail]);
        try {
          const back = readComponent(new Reader(input));
          expect(encode(back)).toEqual(input);
        } catch (e) {
          if (!isDecodeError(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
