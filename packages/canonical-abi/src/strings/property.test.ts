import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StringEncoding } from '../context.js';
import { isHostValueError, isTrap } from '../errors.js';
import {
  type CanonString,
  type LiftedString,
  loadStringFromRange,
  loadStringFromRangeTagged,
  storeStringIntoRange,
  UTF16_TAG,
} from '../strings.js';
import { fixture, modelStore, trapReason, utf16le } from '../../test/strings/harness.js';

const ENCODINGS: readonly StringEncoding[] = ['utf8', 'utf16', 'latin1+utf16'];

/** Code points weighted towards the boundaries the transcoders care about. */
const codePoint = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0x00, max: 0x7f }) },
  { weight: 2, arbitrary: fc.integer({ min: 0x80, max: 0xff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x100, max: 0x7ff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x800, max: 0xd7ff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xe000, max: 0xffff }) },
  { weight: 1, arbitrary: fc.integer({ min: 0x10000, max: 0x10ffff }) },
);

/** Well-formed strings (Unicode scalar values), short and long (both sides of the bulk-path limit). */
const usvString = fc.oneof(
  fc.array(codePoint, { maxLength: 40 }),
  fc.array(codePoint, { minLength: 30, maxLength: 300 }),
  // Long mostly-ASCII strings, with the first non-ASCII character anywhere.
  fc.tuple(fc.integer({ min: 0, max: 200 }), fc.array(codePoint, { maxLength: 5 })).map(([n, tail]) => [
    ...Array.from({ length: n }, () => 0x61),
    ...tail,
  ]),
).map((cps) => String.fromCodePoint(...cps));

/** Latin-1-only strings. */
const latin1String = fc
  .array(fc.integer({ min: 0, max: 0xff }), { maxLength: 120 })
  .map((cps) => String.fromCharCode(...cps));

const allocMode = fc.constantFrom('inPlace' as const, 'move' as const);

/** Lifts `s` out of a memory in encoding `enc` (lowering it there first), keeping the tag. */
function liftedFrom(enc: StringEncoding, s: string): LiftedString {
  const f = fixture(enc);
  const [ptr, tagged] = storeStringIntoRange(f.cx, s);
  return loadStringFromRangeTagged(f.cx, ptr, tagged);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Stores `v` into encoding `dst` with both the implementation and the reference model; compares everything observable. */
function checkAgainstModel(dst: StringEncoding, v: CanonString, mode: 'inPlace' | 'move'): void {
  const impl = fixture(dst, { mode });
  const model = fixture(dst, { mode });
  const got = storeStringIntoRange(impl.cx, v);
  const want = modelStore(
    () => new Uint8Array(model.memory.buffer),
    model.cx.opts.realloc as (a: number, b: number, c: number, d: number) => number,
    dst,
    v,
  );
  expect(impl.log).toEqual(model.log);
  expect(got).toEqual(want);
  const byteLength = dst === 'utf8' ? got[1] : dst === 'utf16' ? 2 * got[1] : got[1] >= UTF16_TAG ? 2 * (got[1] - UTF16_TAG) : got[1];
  expect(impl.bytes(got[0], byteLength)).toEqual(model.bytes(want[0], byteLength));
  // Whole memory, including blocks given back to realloc: the guest can see them.
  expect(firstDifference(new Uint8Array(impl.memory.buffer), new Uint8Array(model.memory.buffer))).toBe(-1);
  expect(loadStringFromRange(impl.cx, got[0], got[1])).toBe(typeof v === 'string' ? v : v.s);
}

describe('string round trips (property)', () => {
  it.each(ENCODINGS)('should lower then lift any host string unchanged in %s, with the spec model\'s realloc calls', (dst) => {
    fc.assert(
      fc.property(usvString, allocMode, (s, mode) => {
        checkAgainstModel(dst, s, mode);
      }),
      { numRuns: 300 },
    );
  });

  it.each(ENCODINGS)('should lower Latin-1-only host strings into %s like the model', (dst) => {
    fc.assert(
      fc.property(latin1String, allocMode, (s, mode) => {
        checkAgainstModel(dst, s, mode);
      }),
      { numRuns: 200 },
    );
  });

  it('should move strings between components in every encoding pair like the model', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENCODINGS), fc.constantFrom(...ENCODINGS), usvString, allocMode, (src, dst, s, mode) => {
        const v = liftedFrom(src, s);
        expect(v.s).toBe(s);
        checkAgainstModel(dst, v, mode);
      }),
      { numRuns: 500 },
    );
  });

  it('should deflate over-encoded UTF-16 (tagged Latin-1 content) like the model', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENCODINGS), latin1String, allocMode, (dst, s, mode) => {
        checkAgainstModel(dst, { s, encoding: 'latin1+utf16', taggedCodeUnits: s.length + UTF16_TAG }, mode);
      }),
      { numRuns: 200 },
    );
  });

  it('should keep the tagged length consistent with the content in latin1+utf16', () => {
    fc.assert(
      fc.property(usvString, (s) => {
        const f = fixture('latin1+utf16');
        const [, tagged] = storeStringIntoRange(f.cx, s);
        const wide = [...s].some((c) => (c.codePointAt(0) as number) >= 0x100);
        expect(tagged >= UTF16_TAG).toBe(wide);
        expect(wide ? tagged - UTF16_TAG : tagged).toBe(s.length);
      }),
    );
  });
});

describe('lone surrogates (property)', () => {
  /** Strings with at least one unpaired surrogate somewhere. */
  const withLoneSurrogate = fc
    .tuple(usvString, fc.integer({ min: 0xd800, max: 0xdfff }), usvString)
    .map(([a, sur, b]) => {
      // Make sure the surrogate cannot pair with a neighbour.
      const left = sur >= 0xdc00 && /[\uD800-\uDBFF]$/.test(a) ? `${a}x` : a;
      const right = sur < 0xdc00 && /^[\uDC00-\uDFFF]/.test(b) ? `x${b}` : b;
      return left + String.fromCharCode(sur) + right;
    });

  it.each(ENCODINGS)('should refuse to lower a host string with a lone surrogate into %s, without calling realloc', (dst) => {
    fc.assert(
      fc.property(withLoneSurrogate, (s) => {
        const f = fixture(dst);
        let err: unknown;
        try {
          storeStringIntoRange(f.cx, s);
        } catch (e) {
          err = e;
        }
        expect(isHostValueError(err)).toBe(true);
        expect(f.log).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it.each([
    ['utf16', 0],
    ['latin1+utf16', UTF16_TAG],
  ] as const)('should trap when lifting %s code units with a lone surrogate', (enc, tag) => {
    fc.assert(
      fc.property(withLoneSurrogate, (s) => {
        const f = fixture(enc);
        f.write(64, utf16le(s));
        expect(trapReason(() => loadStringFromRange(f.cx, 64, s.length + tag))).toContain('invalid utf-16');
      }),
      { numRuns: 200 },
    );
  });
});

describe('UTF-8 validation (property)', () => {
  it('should accept exactly the valid UTF-8 byte strings and trap on the others', () => {
    const reference = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      // Valid UTF-8 with one byte changed, so errors sit at interesting places.
      fc
        .tuple(usvString, fc.nat(), fc.integer({ min: 0, max: 255 }))
        .map(([s, i, b]) => {
          const u = new TextEncoder().encode(s);
          if (u.length > 0) u[i % u.length] = b;
          return u;
        }),
    );
    fc.assert(
      fc.property(bytes, (u) => {
        const f = fixture('utf8');
        f.write(100, Array.from(u));
        let expected: string | undefined;
        try {
          expected = reference.decode(u);
        } catch {
          expected = undefined;
        }
        if (expected === undefined) {
          const reason = trapReason(() => loadStringFromRange(f.cx, 100, u.length));
          expect(reason).toMatch(/invalid utf-8 sequence of [123] bytes from index \d+|incomplete utf-8 byte sequence from index \d+/);
        } else {
          expect(loadStringFromRange(f.cx, 100, u.length)).toBe(expected);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('should only ever throw traps when lifting arbitrary (pointer, length) pairs', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ENCODINGS), fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (enc, ptr, len) => {
        const f = fixture(enc);
        try {
          loadStringFromRange(f.cx, ptr, len);
        } catch (e) {
          expect(isTrap(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
