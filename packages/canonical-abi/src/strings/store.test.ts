import { describe, expect, it } from 'vitest';
import type { StringEncoding } from '../context.js';
import {
  type CanonString,
  loadStringFromRange,
  MAX_STRING_BYTE_LENGTH,
  REALLOC_I32_MAX,
  storeProbablyUtf16ToLatin1OrUtf16,
  storeString,
  storeStringCopy,
  storeStringIntoRange,
  storeStringToUtf8,
  storeUtf8ToUtf16,
  UTF16_TAG,
  utf8ByteLength,
} from '../strings.js';
import {
  type AllocatorOptions,
  fixture,
  hostErrorMessage,
  latin1,
  type ReallocCall,
  trapReason,
  utf16le,
  utf8,
} from '../../test/strings/harness.js';

// Every vector can be checked by hand against definitions.py's
// store_string_into_range. The allocator is a bump allocator starting at 1024
// that aligns each fresh block, copies on growth and keeps a block that shrinks
// (like the reference test suite's); `move` hands out a fresh block every time.
interface StoreVector {
  name: string;
  dst: StringEncoding;
  v: CanonString;
  alloc?: AllocatorOptions;
  log: ReallocCall[];
  result: [number, number];
  bytes: number[];
}

const T = (n: number): number => n + UTF16_TAG;
const long = 'a'.repeat(40);

const vectors: StoreVector[] = [
  // ---- host strings: (s, 'utf16', s.length)
  { name: 'host ASCII -> utf8: one optimistic allocation', dst: 'utf8', v: 'hello', log: [[0, 0, 1, 5]], result: [1024, 5], bytes: utf8('hello') },
  { name: 'host "" -> utf8', dst: 'utf8', v: '', log: [[0, 0, 1, 0]], result: [1024, 0], bytes: [] },
  {
    // 5 code units: 5 bytes first, grow to 3 * 5 = 15, shrink to the 10 bytes of UTF-8.
    name: 'host "hö☃🍰" -> utf8: guess, grow to worst case, shrink',
    dst: 'utf8',
    v: 'hö☃🍰',
    log: [
      [0, 0, 1, 5],
      [1024, 5, 1, 15],
      [1029, 15, 1, 10],
    ],
    result: [1029, 10],
    bytes: [0x68, 0xc3, 0xb6, 0xe2, 0x98, 0x83, 0xf0, 0x9f, 0x8d, 0xb0],
  },
  {
    name: 'host "☃☃" -> utf8: worst case is exact, no shrink',
    dst: 'utf8',
    v: '☃☃',
    log: [
      [0, 0, 1, 2],
      [1024, 2, 1, 6],
    ],
    result: [1026, 6],
    bytes: utf8('☃☃'),
  },
  {
    name: 'host "hö☃🍰" -> utf8 with a moving allocator: uses each new pointer',
    dst: 'utf8',
    v: 'hö☃🍰',
    alloc: { mode: 'move' },
    log: [
      [0, 0, 1, 5],
      [1024, 5, 1, 15],
      [1029, 15, 1, 10],
    ],
    result: [1044, 10],
    bytes: utf8('hö☃🍰'),
  },
  { name: 'host long ASCII -> utf8 (encodeInto path)', dst: 'utf8', v: long, log: [[0, 0, 1, 40]], result: [1024, 40], bytes: utf8(long) },
  {
    name: 'host long, non-ASCII at the end -> utf8 (encodeInto path)',
    dst: 'utf8',
    v: `${long}é`,
    log: [
      [0, 0, 1, 41],
      [1024, 41, 1, 123],
      [1065, 123, 1, 42],
    ],
    result: [1065, 42],
    bytes: utf8(`${long}é`),
  },
  {
    name: 'host "hö☃🍰" -> utf16: exact copy',
    dst: 'utf16',
    v: 'hö☃🍰',
    log: [[0, 0, 2, 10]],
    result: [1024, 5],
    bytes: [0x68, 0x00, 0xf6, 0x00, 0x03, 0x26, 0x3c, 0xd8, 0x70, 0xdf],
  },
  { name: 'host "" -> utf16', dst: 'utf16', v: '', log: [[0, 0, 2, 0]], result: [1024, 0], bytes: [] },
  { name: 'host long -> utf16 (typed-array path)', dst: 'utf16', v: `${long}🍰`, log: [[0, 0, 2, 84]], result: [1024, 42], bytes: utf16le(`${long}🍰`) },
  { name: 'host "höla" -> latin1+utf16: stays Latin-1', dst: 'latin1+utf16', v: 'höla', log: [[0, 0, 2, 4]], result: [1024, 4], bytes: [0x68, 0xf6, 0x6c, 0x61] },
  {
    name: 'host "hö☃" -> latin1+utf16: inflate to UTF-16 and tag',
    dst: 'latin1+utf16',
    v: 'hö☃',
    alloc: { start: 1024 },
    log: [
      [0, 0, 2, 3],
      [1024, 3, 2, 6],
    ],
    result: [1028, T(3)],
    bytes: [0x68, 0x00, 0xf6, 0x00, 0x03, 0x26],
  },
  {
    name: 'host "☃" -> latin1+utf16: non-Latin-1 first',
    dst: 'latin1+utf16',
    v: '☃🍰',
    log: [
      [0, 0, 2, 3],
      [1024, 3, 2, 6],
    ],
    result: [1028, T(3)],
    bytes: [0x03, 0x26, 0x3c, 0xd8, 0x70, 0xdf],
  },
  { name: 'host "" -> latin1+utf16', dst: 'latin1+utf16', v: '', log: [[0, 0, 2, 0]], result: [1024, 0], bytes: [] },

  // ---- lifted from a utf8 component
  { name: 'utf8 "hö☃🍰" -> utf8: exact copy', dst: 'utf8', v: { s: 'hö☃🍰', encoding: 'utf8', taggedCodeUnits: 10 }, log: [[0, 0, 1, 10]], result: [1024, 10], bytes: utf8('hö☃🍰') },
  {
    name: 'utf8 "hö☃🍰" -> utf16: worst case 2 * 10 bytes, shrink to 10',
    dst: 'utf16',
    v: { s: 'hö☃🍰', encoding: 'utf8', taggedCodeUnits: 10 },
    log: [
      [0, 0, 2, 20],
      [1024, 20, 2, 10],
    ],
    result: [1024, 5],
    bytes: utf16le('hö☃🍰'),
  },
  { name: 'utf8 "ab" -> utf16: no shrink when ASCII', dst: 'utf16', v: { s: 'ab', encoding: 'utf8', taggedCodeUnits: 2 }, log: [[0, 0, 2, 4]], result: [1024, 2], bytes: utf16le('ab') },
  {
    name: 'utf8 "hö" -> latin1+utf16: Latin-1, shrink 3 -> 2',
    dst: 'latin1+utf16',
    v: { s: 'hö', encoding: 'utf8', taggedCodeUnits: 3 },
    log: [
      [0, 0, 2, 3],
      [1024, 3, 2, 2],
    ],
    result: [1024, 2],
    bytes: [0x68, 0xf6],
  },
  {
    name: 'utf8 "a☃" -> latin1+utf16: grow to 2 * 4, shrink to 4, tagged',
    dst: 'latin1+utf16',
    v: { s: 'a☃', encoding: 'utf8', taggedCodeUnits: 4 },
    log: [
      [0, 0, 2, 4],
      [1024, 4, 2, 8],
      [1028, 8, 2, 4],
    ],
    result: [1028, T(2)],
    bytes: [0x61, 0x00, 0x03, 0x26],
  },

  // ---- lifted from a utf16 component
  {
    name: 'utf16 "hö☃🍰" -> utf8: like a host string',
    dst: 'utf8',
    v: { s: 'hö☃🍰', encoding: 'utf16', taggedCodeUnits: 5 },
    log: [
      [0, 0, 1, 5],
      [1024, 5, 1, 15],
      [1029, 15, 1, 10],
    ],
    result: [1029, 10],
    bytes: utf8('hö☃🍰'),
  },
  { name: 'utf16 "ok" -> utf16: exact copy', dst: 'utf16', v: { s: 'ok', encoding: 'utf16', taggedCodeUnits: 2 }, log: [[0, 0, 2, 4]], result: [1024, 2], bytes: utf16le('ok') },
  {
    name: 'utf16 "grün" -> latin1+utf16: Latin-1, no shrink',
    dst: 'latin1+utf16',
    v: { s: 'grün', encoding: 'utf16', taggedCodeUnits: 4 },
    log: [[0, 0, 2, 4]],
    result: [1024, 4],
    bytes: latin1('grün'),
  },

  // ---- lifted from a latin1+utf16 component, Latin-1 (untagged)
  {
    name: 'latin1 "höla" -> utf8: grow to 2 * 4, shrink to 5',
    dst: 'utf8',
    v: { s: 'höla', encoding: 'latin1+utf16', taggedCodeUnits: 4 },
    log: [
      [0, 0, 1, 4],
      [1024, 4, 1, 8],
      [1028, 8, 1, 5],
    ],
    result: [1028, 5],
    bytes: [0x68, 0xc3, 0xb6, 0x6c, 0x61],
  },
  { name: 'latin1 "abc" -> utf8: ASCII, one allocation', dst: 'utf8', v: { s: 'abc', encoding: 'latin1+utf16', taggedCodeUnits: 3 }, log: [[0, 0, 1, 3]], result: [1024, 3], bytes: utf8('abc') },
  {
    name: 'latin1 "ÿÿ" -> utf8: worst case exact, no shrink',
    dst: 'utf8',
    v: { s: 'ÿÿ', encoding: 'latin1+utf16', taggedCodeUnits: 2 },
    log: [
      [0, 0, 1, 2],
      [1024, 2, 1, 4],
    ],
    result: [1026, 4],
    bytes: [0xc3, 0xbf, 0xc3, 0xbf],
  },
  {
    name: 'latin1 "höla" -> utf16: copy, inflated',
    dst: 'utf16',
    v: { s: 'höla', encoding: 'latin1+utf16', taggedCodeUnits: 4 },
    log: [[0, 0, 2, 8]],
    result: [1024, 4],
    bytes: [0x68, 0x00, 0xf6, 0x00, 0x6c, 0x00, 0x61, 0x00],
  },
  {
    name: 'latin1 "øk" -> latin1+utf16: copy with alignment 2, untagged',
    dst: 'latin1+utf16',
    v: { s: 'øk', encoding: 'latin1+utf16', taggedCodeUnits: 2 },
    log: [[0, 0, 2, 2]],
    result: [1024, 2],
    bytes: [0xf8, 0x6b],
  },

  // ---- lifted from a latin1+utf16 component, UTF-16 (tagged)
  {
    name: 'utf16-tagged "☃🍰" -> utf8',
    dst: 'utf8',
    v: { s: '☃🍰', encoding: 'latin1+utf16', taggedCodeUnits: T(3) },
    log: [
      [0, 0, 1, 3],
      [1024, 3, 1, 9],
      [1027, 9, 1, 7],
    ],
    result: [1027, 7],
    bytes: [0xe2, 0x98, 0x83, 0xf0, 0x9f, 0x8d, 0xb0],
  },
  {
    name: 'utf16-tagged "n☃" -> utf16: copy, untagged length',
    dst: 'utf16',
    v: { s: 'n☃', encoding: 'latin1+utf16', taggedCodeUnits: T(2) },
    log: [[0, 0, 2, 4]],
    result: [1024, 2],
    bytes: utf16le('n☃'),
  },
  {
    name: 'utf16-tagged "AB" -> latin1+utf16: deflated, shrink with alignment 1 (transcode.wast)',
    dst: 'latin1+utf16',
    v: { s: 'AB', encoding: 'latin1+utf16', taggedCodeUnits: T(2) },
    log: [
      [0, 0, 2, 4],
      [1024, 4, 1, 2],
    ],
    result: [1024, 2],
    bytes: [0x41, 0x42],
  },
  {
    name: 'utf16-tagged "n☃" -> latin1+utf16: stays UTF-16, tagged',
    dst: 'latin1+utf16',
    v: { s: 'n☃', encoding: 'latin1+utf16', taggedCodeUnits: T(2) },
    log: [[0, 0, 2, 4]],
    result: [1024, T(2)],
    bytes: [0x6e, 0x00, 0x03, 0x26],
  },
  {
    name: 'utf16-tagged "" -> latin1+utf16: the deflating realloc happens even when empty',
    dst: 'latin1+utf16',
    v: { s: '', encoding: 'latin1+utf16', taggedCodeUnits: UTF16_TAG },
    log: [
      [0, 0, 2, 0],
      [1024, 0, 1, 0],
    ],
    result: [1024, 0],
    bytes: [],
  },
];

describe('storeStringIntoRange', () => {
  it.each(vectors)('should lower $name', ({ dst, v, alloc, log, result, bytes }) => {
    const f = fixture(dst, alloc);
    const got = storeStringIntoRange(f.cx, v);
    expect(f.log).toEqual(log);
    expect(got).toEqual(result);
    expect(f.bytes(got[0], bytes.length)).toEqual(bytes);
    // and it lifts back
    expect(loadStringFromRange(f.cx, got[0], got[1])).toBe(typeof v === 'string' ? v : v.s);
  });
});

describe('storeString', () => {
  it('should write the (pointer, tagged length) pair little-endian', () => {
    const f = fixture('latin1+utf16');
    storeString(f.cx, 'hö☃', 16);
    expect(f.bytes(16, 8)).toEqual([0x04, 0x04, 0x00, 0x00, 0x03, 0x00, 0x00, 0x80]);
  });

  it('should write the pair into memory grown by realloc', () => {
    const f = fixture('utf8', {
      result: (call) => {
        if (call[3] === 0) return undefined;
        f.memory.grow(1);
        return 65536;
      },
    });
    storeString(f.cx, 'grow', 8);
    expect(f.bytes(8, 8)).toEqual([0x00, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00]);
    expect(f.bytes(65536, 4)).toEqual(utf8('grow'));
  });
});

describe('storeStringIntoRange host-value errors', () => {
  it.each([
    ['lone high surrogate', 'a\uD800b'],
    ['lone low surrogate', '\uDC00'],
    ['high surrogate at the end', 'abc\uD83C'],
    ['reversed pair', '\uDF70\uD83C'],
  ])('should reject a host string with a %s before any realloc', (_name, s) => {
    for (const enc of ['utf8', 'utf16', 'latin1+utf16'] as const) {
      const f = fixture(enc);
      expect(hostErrorMessage(() => storeStringIntoRange(f.cx, s))).toContain('unpaired surrogate');
      expect(f.log).toEqual([]);
    }
  });

  it.each<[string, StringEncoding, CanonString]>([
    ['utf8 length that does not match', 'utf8', { s: 'hé', encoding: 'utf8', taggedCodeUnits: 2 }],
    ['utf16 length that does not match', 'utf16', { s: 'abc', encoding: 'utf16', taggedCodeUnits: 2 }],
    ['Latin-1 length that does not match', 'latin1+utf16', { s: 'abc', encoding: 'latin1+utf16', taggedCodeUnits: 4 }],
    ['utf16-tagged length that does not match', 'utf8', { s: 'abc', encoding: 'latin1+utf16', taggedCodeUnits: T(4) }],
  ])('should reject a LiftedString with a %s', (_name, dst, v) => {
    const f = fixture(dst);
    expect(hostErrorMessage(() => storeStringIntoRange(f.cx, v))).toContain('LiftedString');
  });

  it('should reject a value that is not a string', () => {
    const f = fixture('utf8');
    expect(hostErrorMessage(() => storeStringIntoRange(f.cx, 42 as unknown as string))).toContain('expected a string');
  });
});

// Trap vectors: a realloc that returns a bad pointer at its n-th call, or a
// string whose (claimed) size is too large.
interface StoreTrapVector {
  name: string;
  dst: StringEncoding;
  v: CanonString;
  result: (call: ReallocCall, n: number) => number | undefined;
  log: ReallocCall[];
  contains: string[];
}

const NOT_ALIGNED = ['realloc return: result not aligned', 'unaligned pointer'];
const BEYOND = ['realloc return: beyond end of memory', 'string content out-of-bounds'];
const at = (k: number, p: number) => (_c: ReallocCall, n: number) => (n === k ? p : undefined);

const storeTraps: StoreTrapVector[] = [
  { name: 'utf16 copy: odd pointer', dst: 'utf16', v: 'ab', result: at(1, 1025), log: [[0, 0, 2, 4]], contains: NOT_ALIGNED },
  { name: 'utf16 copy of "": odd pointer still traps', dst: 'utf16', v: '', result: at(1, 1), log: [[0, 0, 2, 0]], contains: NOT_ALIGNED },
  { name: 'utf16 copy: block past the end', dst: 'utf16', v: 'ab', result: at(1, 65534), log: [[0, 0, 2, 4]], contains: BEYOND },
  { name: 'utf8 copy: -1 for an empty string is out of bounds', dst: 'utf8', v: '', result: at(1, -1), log: [[0, 0, 1, 0]], contains: BEYOND },
  { name: 'utf8 copy: -4 (4-aligned) is out of bounds', dst: 'utf8', v: { s: 'ab', encoding: 'utf8', taggedCodeUnits: 2 }, result: at(1, -4), log: [[0, 0, 1, 2]], contains: BEYOND },
  { name: 'utf8: odd pointers are fine (alignment 1), bounds are not', dst: 'utf8', v: 'ab', result: at(1, 65535), log: [[0, 0, 1, 2]], contains: BEYOND },
  {
    name: 'utf8 growth: block past the end',
    dst: 'utf8',
    v: 'é',
    result: at(2, 65534),
    log: [
      [0, 0, 1, 1],
      [1024, 1, 1, 3],
    ],
    contains: BEYOND,
  },
  {
    name: 'utf8 shrink: block past the end',
    dst: 'utf8',
    v: 'é',
    result: at(3, 65535),
    log: [
      [0, 0, 1, 1],
      [1024, 1, 1, 3],
      [1025, 3, 1, 2],
    ],
    contains: BEYOND,
  },
  { name: 'latin1+utf16: odd first pointer', dst: 'latin1+utf16', v: 'ab', result: at(1, 1025), log: [[0, 0, 2, 2]], contains: NOT_ALIGNED },
  {
    name: 'latin1+utf16 growth: odd pointer',
    dst: 'latin1+utf16',
    v: 'a☃',
    result: at(2, 2001),
    log: [
      [0, 0, 2, 2],
      [1024, 2, 2, 4],
    ],
    contains: NOT_ALIGNED,
  },
  {
    name: 'latin1+utf16 growth: block past the end',
    dst: 'latin1+utf16',
    v: 'a☃',
    result: at(2, 65534),
    log: [
      [0, 0, 2, 2],
      [1024, 2, 2, 4],
    ],
    contains: BEYOND,
  },
  {
    name: 'latin1+utf16 from utf8, shrink after growth: odd pointer',
    dst: 'latin1+utf16',
    v: { s: 'a☃', encoding: 'utf8', taggedCodeUnits: 4 },
    result: at(3, 3),
    log: [
      [0, 0, 2, 4],
      [1024, 4, 2, 8],
      [1028, 8, 2, 4],
    ],
    contains: NOT_ALIGNED,
  },
  {
    name: 'latin1+utf16 from utf8, Latin-1 shrink: odd pointer',
    dst: 'latin1+utf16',
    v: { s: 'hö', encoding: 'utf8', taggedCodeUnits: 3 },
    result: at(2, 7),
    log: [
      [0, 0, 2, 3],
      [1024, 3, 2, 2],
    ],
    contains: NOT_ALIGNED,
  },
  {
    name: 'utf8 -> utf16: odd first pointer',
    dst: 'utf16',
    v: { s: 'hö', encoding: 'utf8', taggedCodeUnits: 3 },
    result: at(1, 9),
    log: [[0, 0, 2, 6]],
    contains: NOT_ALIGNED,
  },
  {
    name: 'utf8 -> utf16 shrink: odd pointer',
    dst: 'utf16',
    v: { s: 'hö', encoding: 'utf8', taggedCodeUnits: 3 },
    result: at(2, 9),
    log: [
      [0, 0, 2, 6],
      [1024, 6, 2, 4],
    ],
    contains: NOT_ALIGNED,
  },
  {
    name: 'utf8 -> utf16 shrink: block past the end',
    dst: 'utf16',
    v: { s: 'hö', encoding: 'utf8', taggedCodeUnits: 3 },
    result: at(2, 65534),
    log: [
      [0, 0, 2, 6],
      [1024, 6, 2, 4],
    ],
    contains: BEYOND,
  },
  {
    name: 'probably-utf16: odd first pointer',
    dst: 'latin1+utf16',
    v: { s: 'n☃', encoding: 'latin1+utf16', taggedCodeUnits: T(2) },
    result: at(1, 1),
    log: [[0, 0, 2, 4]],
    contains: NOT_ALIGNED,
  },
  {
    name: 'probably-utf16 deflate shrink: block past the end',
    dst: 'latin1+utf16',
    v: { s: 'AB', encoding: 'latin1+utf16', taggedCodeUnits: T(2) },
    result: at(2, 65535),
    log: [
      [0, 0, 2, 4],
      [1024, 4, 1, 2],
    ],
    contains: BEYOND,
  },
  {
    name: 'Latin-1 copy into latin1+utf16: odd pointer',
    dst: 'latin1+utf16',
    v: { s: 'øk', encoding: 'latin1+utf16', taggedCodeUnits: 2 },
    result: at(1, 3),
    log: [[0, 0, 2, 2]],
    contains: NOT_ALIGNED,
  },
  // REALLOC_I32_MAX (an assertion in the spec): only hand-built values reach it,
  // and the size is checked before realloc is called.
  {
    name: 'utf16 copy of 2^31 code units (2^32 bytes)',
    dst: 'utf16',
    v: { s: '', encoding: 'utf16', taggedCodeUnits: 0x8000_0000 },
    result: () => undefined,
    log: [],
    contains: ['REALLOC_I32_MAX'],
  },
  {
    name: 'utf8 -> utf16 worst case 2 * 2^31 bytes',
    dst: 'utf16',
    v: { s: '', encoding: 'utf8', taggedCodeUnits: 0x8000_0000 },
    result: () => undefined,
    log: [],
    contains: ['REALLOC_I32_MAX'],
  },
];

// storeString has a fast path (short ASCII host strings into UTF-8) that
// must make exactly the calls and writes of the general path.
describe('storeString and storeStringIntoRange agree', () => {
  it.each(vectors)('should lower $name through storeString', ({ dst, v, alloc, log, result, bytes }) => {
    const f = fixture(dst, alloc);
    storeString(f.cx, v, 8);
    expect(f.log).toEqual(log);
    const pair = f.bytes(8, 8);
    expect(pair).toEqual([...new Uint8Array(new Uint32Array(result).buffer)]);
    expect(f.bytes(result[0], bytes.length)).toEqual(bytes);
  });

  it.each(storeTraps)('should trap through storeString on $name', ({ dst, v, result, log, contains }) => {
    const f = fixture(dst, { result });
    const reason = trapReason(() => storeString(f.cx, v, 8));
    for (const phrase of contains) expect(reason).toContain(phrase);
    expect(f.log).toEqual(log);
  });

  it('should trap through storeString when the realloc option is missing', () => {
    const f = fixture('utf8');
    delete (f.cx.opts as { realloc?: unknown }).realloc;
    expect(trapReason(() => storeString(f.cx, 'x', 8))).toContain('realloc');
  });

  it('should write into the right memory when contexts with different memories alternate', () => {
    const a = fixture('utf8');
    const b = fixture('utf8', { start: 2048 });
    for (let i = 0; i < 3; i++) {
      storeString(a.cx, `a${i}`, 8 + 8 * i);
      storeString(b.cx, `b${i}`, 8 + 8 * i);
    }
    expect(a.bytes(1024, 6)).toEqual(utf8('a0a1a2'));
    expect(b.bytes(2048, 6)).toEqual(utf8('b0b1b2'));
    expect(a.bytes(2048, 6)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('should reject a short host string with an unpaired surrogate before any realloc call', () => {
    const f = fixture('utf8');
    expect(() => storeString(f.cx, 'ab\ud800', 8)).toThrow();
    expect(f.log).toEqual([]);
  });
});

describe('storeStringIntoRange traps', () => {
  it.each(storeTraps)('should trap on $name', ({ dst, v, result, log, contains }) => {
    const f = fixture(dst, { result });
    const reason = trapReason(() => storeStringIntoRange(f.cx, v));
    for (const phrase of contains) expect(reason).toContain(phrase);
    expect(f.log).toEqual(log);
  });

  it('should trap when the realloc option is missing', () => {
    const f = fixture('utf8');
    delete (f.cx.opts as { realloc?: unknown }).realloc;
    expect(trapReason(() => storeStringIntoRange(f.cx, 'x'))).toContain('realloc');
  });

  it('should check the worst case of store_string_to_utf8 after the first realloc, before the second', () => {
    const f = fixture('utf8');
    expect(trapReason(() => storeStringToUtf8(f.cx, 'é', 1, REALLOC_I32_MAX + 1))).toContain('REALLOC_I32_MAX');
    expect(f.log).toEqual([[0, 0, 1, 1]]);
  });

  it('should not limit lowered strings to MAX_STRING_BYTE_LENGTH (only lifting checks it)', () => {
    expect(MAX_STRING_BYTE_LENGTH).toBe(2 ** 28 - 1);
    expect(REALLOC_I32_MAX).toBe(2 ** 32 - 1);
  });
});

describe('transcoder entry points', () => {
  it('should copy Latin-1 with alignment 2 (store_string_copy(cx, src, n, 1, 2, latin-1))', () => {
    const f = fixture('latin1+utf16');
    expect(storeStringCopy(f.cx, 'ÿa', 2, 1, 2, 'latin1')).toEqual([1024, 2]);
    expect(f.log).toEqual([[0, 0, 2, 2]]);
    expect(f.bytes(1024, 2)).toEqual([0xff, 0x61]);
  });

  it('should transcode utf8 to utf16 (store_utf8_to_utf16)', () => {
    const f = fixture('utf16');
    expect(storeUtf8ToUtf16(f.cx, '🍰', 4)).toEqual([1024, 2]);
    expect(f.log).toEqual([
      [0, 0, 2, 8],
      [1024, 8, 2, 4],
    ]);
  });

  it('should deflate probable UTF-16 (store_probably_utf16_to_latin1_or_utf16)', () => {
    const f = fixture('latin1+utf16', { mode: 'move' });
    expect(storeProbablyUtf16ToLatin1OrUtf16(f.cx, 'ÿ', 1)).toEqual([1026, 1]);
    expect(f.bytes(1026, 1)).toEqual([0xff]);
  });

  it('should report UTF-8 byte lengths', () => {
    expect(['', 'a', 'ö', '☃', '🍰', 'hö☃🍰'].map(utf8ByteLength)).toEqual([0, 1, 2, 3, 4, 10]);
  });
});
