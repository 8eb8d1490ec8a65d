import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import type { Module, ModuleSection } from './ast.js';
import { readCoreImport, readExternType, readModule, readRecGroup } from './decode.js';
import { writeCoreImport, writeExternType, writeModule, writeRecGroup } from './encode.js';
import { readNameSection, writeNameSection } from './names.js';
import { arbCoreImport, arbExternType, arbModule, arbNameSection, arbRecGroup } from './testing/arbitraries.js';

function write(m: Module): Uint8Array {
  const w = new Writer(64);
  writeModule(w, m);
  return w.finish();
}

/** Drop the informative offsets the decoder adds (sections) and sets (function bodies). */
function withoutOffsets(m: Module): Module {
  return {
    kind: 'module',
    sections: m.sections.map((s): ModuleSection => {
      const { offset: _o, ...rest } = s;
      if (rest.kind === 'code') return { ...rest, bodies: rest.bodies.map((b) => ({ ...b, offset: 0 })) };
      return rest;
    }),
  };
}

function roundTrip<T>(value: T, write: (w: Writer, v: T) => void, read: (r: Reader) => T): void {
  const w = new Writer(16);
  write(w, value);
  const bytes = w.finish();
  const r = new Reader(bytes);
  expect(read(r)).toEqual(value);
  expect(r.atEnd()).toBe(true);
}

describe('core module properties', () => {
  it('should read back what it writes (module)', () => {
    fc.assert(
      fc.property(arbModule, (m) => {
        const bytes = write(m);
        const back = readModule(new Reader(bytes));
        expect(withoutOffsets(back)).toEqual(m);
        expect(write(back)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('should read back what it writes (module, instructions decoded)', () => {
    fc.assert(
      fc.property(arbModule, (m) => {
        const bytes = write(m);
        try {
          const back = readModule(new Reader(bytes, { instructions: true }));
          expect(write(back)).toEqual(bytes);
        } catch (e) {
          // Random code bytes need not be valid instructions; only a typed error may say so.
          if (!isDecodeError(e)) throw e;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('should read back rec groups, extern types and imports', () => {
    fc.assert(fc.property(arbRecGroup, (g) => roundTrip(g, writeRecGroup, readRecGroup)), { numRuns: 200 });
    fc.assert(fc.property(arbExternType, (t) => roundTrip(t, writeExternType, readExternType)), { numRuns: 200 });
    fc.assert(fc.property(arbCoreImport, (i) => roundTrip(i, writeCoreImport, readCoreImport)), { numRuns: 100 });
  });

  it('should read back name sections', () => {
    fc.assert(
      fc.property(arbNameSection, (n) => {
        expect(readNameSection(writeNameSection(n))).toEqual(n);
      }),
      { numRuns: 200 },
    );
  });

  it('should throw nothing but DecodeErrors on random bytes after a preamble', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (tail, instructions) => {
        const bytes = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...tail]);
        try {
          const m = readModule(new Reader(bytes, { instructions }));
          expect(write(m)).toEqual(bytes);
        } catch (e) {
          if (!isDecodeError(e)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('should throw nothing but DecodeErrors on mutated valid modules', () => {
    fc.assert(
      fc.property(arbModule, fc.nat(), fc.integer({ min: 0, max: 255 }), (m, at, byte) => {
        const bytes = write(m);
        if (bytes.length <= 8) return;
        const b = bytes.slice();
        b[8 + (at % (bytes.length - 8))] = byte;
        try {
          const back = readModule(new Reader(b));
          expect(write(back)).toEqual(b);
        } catch (e) {
          if (!isDecodeError(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
