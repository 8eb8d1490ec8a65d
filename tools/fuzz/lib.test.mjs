// Tests of the fuzzer's own parts: the PRNG, the mutator, the pack format and the checks.
import { describe, expect, it } from 'vitest';
import { nestedCoreModules } from '../fixtures/index.mjs';
import { caseSeed, checkDecode, craftedInputs, createRng, mutate } from './lib.mjs';
import { pack, unpack } from './pack.mjs';
import { loadCorpus } from './corpus.mjs';

const corpus = await loadCorpus();

describe('fuzz lib', () => {
  it('should give the same numbers for the same seed and different ones for different seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const xs = Array.from({ length: 8 }, () => a.next());
    expect(Array.from({ length: 8 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.next())).not.toEqual(xs);
    expect(caseSeed(1, 0)).not.toBe(caseSeed(1, 1));
  });

  it('should keep every int in range', () => {
    const rng = createRng(7);
    for (let i = 0; i < 10_000; i++) {
      const n = 1 + (i % 300);
      const v = rng.int(n);
      expect(v >= 0 && v < n && Number.isInteger(v)).toBe(true);
    }
  });

  it('should never change its input and should keep section framing on structure-aware edits', () => {
    const hello = corpus.find((c) => c.name === 'fixtures/hello-p2').bytes;
    const before = hello.slice();
    let structured = 0;
    for (let k = 0; k < 2000; k++) {
      const { bytes, edits } = mutate(hello, createRng(caseSeed(3, k)));
      expect(edits.length).toBeGreaterThan(0);
      if (edits[0].startsWith('section-')) {
        structured++;
        // Every section header, at each level followed, still frames its contents.
        expect(() => nestedCoreModules(bytes)).not.toThrow();
      }
    }
    expect(structured).toBeGreaterThan(500);
    expect(hello).toEqual(before);
  });

  it('should pack and unpack entries unchanged', () => {
    const entries = [
      { name: 'a', bytes: Uint8Array.of() },
      { name: 'é/b.wasm', bytes: Uint8Array.of(0, 97, 115, 109) },
    ];
    expect(unpack(pack(entries))).toEqual(entries);
  });

  it('should build crafted inputs that are framed binaries', () => {
    for (const { name, bytes } of craftedInputs()) {
      expect(name.startsWith('crafted/')).toBe(true);
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
    }
  });

  it('should classify outcomes: accepted, rejected by code, escaped, round-trip mismatch', () => {
    const decodeError = Object.assign(new Error('x'), { name: 'WasmDecodeError', offset: 0, code: 'malformed', expected: 'y' });
    const isDecodeError = (e) => e?.name === 'WasmDecodeError';
    const ok = { decode: (b) => b, encode: (a) => a, isDecodeError };
    const bytes = Uint8Array.of(1, 2, 3);
    expect(checkDecode(ok, bytes, undefined)).toEqual({ accepted: true });
    expect(checkDecode({ ...ok, decode: () => { throw decodeError; } }, bytes, undefined)).toEqual({ accepted: false, code: 'malformed', expected: 'y' });
    expect(checkDecode({ ...ok, decode: () => { throw new RangeError('r'); } }, bytes, undefined).failure.kind).toBe('escaped');
    expect(checkDecode({ ...ok, encode: (a) => a.subarray(1) }, bytes, undefined).failure.kind).toBe('round-trip');
    expect(checkDecode({ ...ok, decode: () => { throw { ...decodeError, offset: 99 }; } }, bytes, undefined).failure.kind).toBe('bad-error-offset');
  });
});
