import { describe, expect, it } from 'vitest';
import type { StringEncoding } from '../context.js';
import { isHostValueError } from '../errors.js';
import { loadString, loadStringFromRange, loadStringFromRangeTagged, loadStringTagged, UTF16_TAG } from '../strings.js';
import { fixture, latin1, trapReason, utf16le, utf8 } from '../../test/strings/harness.js';

// Vectors: bytes placed at `ptr` in a one-page memory, then
// load_string_from_range(cx, ptr, tagged) in the given encoding.
interface LoadVector {
  name: string;
  enc: StringEncoding;
  bytes: number[];
  ptr?: number;
  tagged: number;
  expected: string;
}

const long = 'x'.repeat(40);

const loads: LoadVector[] = [
  { name: 'utf8 ASCII', enc: 'utf8', bytes: [0x61], tagged: 1, expected: 'a' },
  // strings.wast f2: "☃☺️öツ", 14 bytes
  {
    name: 'utf8 multibyte (strings.wast)',
    enc: 'utf8',
    bytes: [0xe2, 0x98, 0x83, 0xe2, 0x98, 0xba, 0xef, 0xb8, 0x8f, 0xc3, 0xb6, 0xe3, 0x83, 0x84],
    tagged: 14,
    expected: '☃☺️öツ',
  },
  { name: 'utf8 astral', enc: 'utf8', bytes: [0xf0, 0x9f, 0x8d, 0xb0], tagged: 4, expected: '🍰' },
  { name: 'utf8 empty at ptr 0', enc: 'utf8', bytes: [], ptr: 0, tagged: 0, expected: '' },
  { name: 'utf8 empty at an in-bounds ptr', enc: 'utf8', bytes: [], ptr: 100, tagged: 0, expected: '' },
  { name: 'utf8 empty exactly at the end of memory', enc: 'utf8', bytes: [], ptr: 65536, tagged: 0, expected: '' },
  { name: 'utf8 last two bytes of memory', enc: 'utf8', bytes: [0x6f, 0x6b], ptr: 65534, tagged: 2, expected: 'ok' },
  { name: 'utf8 keeps a leading BOM (short)', enc: 'utf8', bytes: [0xef, 0xbb, 0xbf, 0x41], tagged: 4, expected: '\uFEFFA' },
  { name: 'utf8 keeps a leading BOM (long)', enc: 'utf8', bytes: [0xef, 0xbb, 0xbf, ...utf8(long)], tagged: 43, expected: `\uFEFF${long}` },
  { name: 'utf8 long ASCII (bulk path)', enc: 'utf8', bytes: utf8(long), tagged: 40, expected: long },
  { name: 'utf8 long mixed (bulk path)', enc: 'utf8', bytes: utf8(`${long}é🍰`), tagged: 46, expected: `${long}é🍰` },
  { name: 'utf8 NUL is a character', enc: 'utf8', bytes: [0x00, 0x41], tagged: 2, expected: '\u0000A' },
  {
    name: 'utf16 "hö☃🍰" (transcode.wast)',
    enc: 'utf16',
    bytes: [0x68, 0x00, 0xf6, 0x00, 0x03, 0x26, 0x3c, 0xd8, 0x70, 0xdf],
    tagged: 5,
    expected: 'hö☃🍰',
  },
  { name: 'utf16 empty', enc: 'utf16', bytes: [], tagged: 0, expected: '' },
  { name: 'utf16 keeps a leading BOM (short)', enc: 'utf16', bytes: [0xff, 0xfe, 0x41, 0x00], tagged: 2, expected: '\uFEFFA' },
  {
    name: 'utf16 keeps a leading BOM (long)',
    enc: 'utf16',
    bytes: [0xff, 0xfe, ...utf16le(long)],
    tagged: 41,
    expected: `\uFEFF${long}`,
  },
  { name: 'utf16 long with astral (bulk path)', enc: 'utf16', bytes: utf16le(`${long}🍰`), tagged: 42, expected: `${long}🍰` },
  { name: 'utf16 a byte-swapped BOM is U+FFFE, not a BOM', enc: 'utf16', bytes: [0xfe, 0xff], tagged: 1, expected: '\uFFFE' },
  { name: 'latin1+utf16 Latin-1 "höla"', enc: 'latin1+utf16', bytes: [0x68, 0xf6, 0x6c, 0x61], tagged: 4, expected: 'höla' },
  {
    name: 'latin1+utf16 Latin-1 is ISO-8859-1, not windows-1252',
    enc: 'latin1+utf16',
    bytes: [0x80, 0x9f, 0xa0, 0xff],
    tagged: 4,
    expected: '\u0080\u009f\u00a0\u00ff',
  },
  { name: 'latin1+utf16 Latin-1 long (bulk path)', enc: 'latin1+utf16', bytes: latin1(`${long}ÿ`), tagged: 41, expected: `${long}ÿ` },
  {
    name: 'latin1+utf16 tagged UTF-16 "sn☃"',
    enc: 'latin1+utf16',
    bytes: [0x73, 0x00, 0x6e, 0x00, 0x03, 0x26],
    tagged: 0x8000_0003,
    expected: 'sn☃',
  },
  { name: 'latin1+utf16 tagged empty', enc: 'latin1+utf16', bytes: [], tagged: UTF16_TAG, expected: '' },
  { name: 'latin1+utf16 untagged empty', enc: 'latin1+utf16', bytes: [], tagged: 0, expected: '' },
];

describe('loadStringFromRange', () => {
  it.each(loads)('should load $name', ({ enc, bytes, ptr = 64, tagged, expected }) => {
    const f = fixture(enc);
    if (bytes.length > 0) f.write(ptr, bytes);
    expect(loadStringFromRange(f.cx, ptr, tagged)).toBe(expected);
    // Core wasm hands over i32s as signed numbers: the same bits must mean the same.
    expect(loadStringFromRange(f.cx, ptr | 0, tagged | 0)).toBe(expected);
  });

  it('should keep the encoding and the tagged length in the tagged form', () => {
    const f = fixture('latin1+utf16');
    f.write(64, [0x73, 0x00, 0x6e, 0x00]);
    expect(loadStringFromRangeTagged(f.cx, 64, 0x8000_0002 | 0)).toEqual({
      s: 'sn',
      encoding: 'latin1+utf16',
      taggedCodeUnits: 0x8000_0002,
    });
  });
});

describe('loadString', () => {
  it.each<[StringEncoding, number[], number, string]>([
    ['utf8', utf8('grün'), 5, 'grün'],
    ['utf16', utf16le('grün'), 4, 'grün'],
    ['latin1+utf16', latin1('grün'), 4, 'grün'],
    ['latin1+utf16', utf16le('n☃'), 0x8000_0002, 'n☃'],
  ])('should read the (pointer, length) pair at ptr in %s', (enc, bytes, tagged, expected) => {
    const f = fixture(enc);
    f.writeU32(8, 32);
    f.writeU32(12, tagged);
    f.write(32, bytes);
    expect(loadString(f.cx, 8)).toBe(expected);
    expect(loadStringTagged(f.cx, 8)).toEqual({ s: expected, encoding: enc, taggedCodeUnits: tagged });
  });
});

// Trap vectors. `contains` are phrases the message must include (the
// reference test suite's assert_trap texts where one applies).
interface TrapVector {
  name: string;
  enc: StringEncoding;
  bytes?: number[];
  ptr: number;
  tagged: number;
  contains: string[];
}

const OOB = ['string pointer/length out of bounds of memory', 'string content out-of-bounds'];
const TOO_LARGE = ['string too large', 'MAX_STRING_BYTE_LENGTH'];

const traps: TrapVector[] = [
  { name: 'utf8 range one byte past the end (strings.wast)', enc: 'utf8', bytes: [0x6f], ptr: 65535, tagged: 2, contains: OOB },
  { name: 'utf8 out-of-bounds pointer with length 0 (strings.wast)', enc: 'utf8', ptr: 0xdeadbeef, tagged: 0, contains: OOB },
  { name: 'utf8 pointer 0x80000000 (alignment.wast)', enc: 'utf8', ptr: 0x8000_0000, tagged: 1, contains: OOB },
  { name: 'utf8 pointer one past the end, length 0', enc: 'utf8', ptr: 65537, tagged: 0, contains: OOB },
  { name: 'utf8 length 0xffffffff', enc: 'utf8', ptr: 0, tagged: 0xffff_ffff, contains: TOO_LARGE },
  { name: 'utf8 length 2^28 (one past MAX_STRING_BYTE_LENGTH)', enc: 'utf8', ptr: 0, tagged: 2 ** 28, contains: TOO_LARGE },
  { name: 'utf8 length 2^28 - 1 (allowed, but out of bounds)', enc: 'utf8', ptr: 0, tagged: 2 ** 28 - 1, contains: OOB },
  {
    name: 'utf8 0xFF is never valid (strings.wast)',
    enc: 'utf8',
    bytes: [0xff],
    ptr: 8,
    tagged: 1,
    contains: ['invalid utf-8', 'invalid utf-8 sequence of 1 bytes from index 0'],
  },
  {
    name: 'utf8 truncated 0xC3 (strings.wast)',
    enc: 'utf8',
    bytes: [0xc3],
    ptr: 8,
    tagged: 1,
    contains: ['incomplete utf-8 byte sequence from index 0'],
  },
  { name: 'utf8 overlong NUL C0 80', enc: 'utf8', bytes: [0xc0, 0x80], ptr: 8, tagged: 2, contains: ['invalid utf-8 sequence of 1 bytes from index 0'] },
  { name: 'utf8 overlong E0 80 80', enc: 'utf8', bytes: [0xe0, 0x80, 0x80], ptr: 8, tagged: 3, contains: ['invalid utf-8 sequence of 1 bytes from index 0'] },
  {
    name: 'utf8 encoded surrogate ED A0 80',
    enc: 'utf8',
    bytes: [0x41, 0xed, 0xa0, 0x80],
    ptr: 8,
    tagged: 4,
    contains: ['invalid utf-8 sequence of 1 bytes from index 1'],
  },
  { name: 'utf8 above U+10FFFF F4 90 80 80', enc: 'utf8', bytes: [0xf4, 0x90, 0x80, 0x80], ptr: 8, tagged: 4, contains: ['invalid utf-8 sequence of 1 bytes'] },
  { name: 'utf8 truncated 3-byte E2 98', enc: 'utf8', bytes: [0xe2, 0x98], ptr: 8, tagged: 2, contains: ['incomplete utf-8 byte sequence from index 0'] },
  {
    name: 'utf8 4-byte sequence broken at its 4th byte',
    enc: 'utf8',
    bytes: [0xf0, 0x9f, 0x8d, 0x41],
    ptr: 8,
    tagged: 4,
    contains: ['invalid utf-8 sequence of 3 bytes from index 0'],
  },
  { name: 'utf8 lone continuation byte', enc: 'utf8', bytes: [0x80], ptr: 8, tagged: 1, contains: ['invalid utf-8 sequence of 1 bytes from index 0'] },
  {
    name: 'utf8 invalid byte in a long string (bulk path)',
    enc: 'utf8',
    bytes: [...utf8(long), 0xff],
    ptr: 8,
    tagged: 41,
    contains: ['invalid utf-8 sequence of 1 bytes from index 40'],
  },
  {
    name: 'utf8 truncated at the end of a long string (bulk path)',
    enc: 'utf8',
    bytes: [...utf8(long), 0xf0, 0x9f],
    ptr: 8,
    tagged: 42,
    contains: ['incomplete utf-8 byte sequence from index 40'],
  },
  { name: 'utf16 odd pointer, length 0 (alignment.wast)', enc: 'utf16', ptr: 1, tagged: 0, contains: ['unaligned pointer'] },
  { name: 'utf16 odd pointer', enc: 'utf16', bytes: [0x41, 0x00], ptr: 9, tagged: 1, contains: ['unaligned pointer'] },
  { name: 'utf16 range past the end', enc: 'utf16', ptr: 65534, tagged: 2, contains: OOB },
  { name: 'utf16 huge length (byte length above 2^32)', enc: 'utf16', ptr: 0, tagged: 0xffff_ffff, contains: TOO_LARGE },
  { name: 'utf16 2^27 code units (2^28 bytes)', enc: 'utf16', ptr: 0, tagged: 2 ** 27, contains: TOO_LARGE },
  { name: 'utf16 2^27 - 1 code units (allowed, but out of bounds)', enc: 'utf16', ptr: 0, tagged: 2 ** 27 - 1, contains: OOB },
  { name: 'utf16 too large is checked before alignment', enc: 'utf16', ptr: 1, tagged: 2 ** 27, contains: TOO_LARGE },
  { name: 'utf16 lone high surrogate at the end', enc: 'utf16', bytes: [0x00, 0xd8], ptr: 8, tagged: 1, contains: ['invalid utf-16', 'lone surrogate 0xD800 at code unit index 0'] },
  { name: 'utf16 lone low surrogate', enc: 'utf16', bytes: [0x41, 0x00, 0x00, 0xdc], ptr: 8, tagged: 2, contains: ['lone surrogate 0xDC00 at code unit index 1'] },
  { name: 'utf16 high surrogate followed by a non-surrogate', enc: 'utf16', bytes: [0x00, 0xd8, 0x41, 0x00], ptr: 8, tagged: 2, contains: ['lone surrogate 0xD800 at code unit index 0'] },
  { name: 'utf16 reversed pair', enc: 'utf16', bytes: [0x70, 0xdf, 0x3c, 0xd8], ptr: 8, tagged: 2, contains: ['lone surrogate 0xDF70 at code unit index 0'] },
  {
    name: 'utf16 lone surrogate in a long string (bulk path)',
    enc: 'utf16',
    bytes: [...utf16le(long), 0x00, 0xd8, 0x41, 0x00],
    ptr: 8,
    tagged: 42,
    contains: ['invalid utf-16', 'lone surrogate 0xD800 at code unit index 40'],
  },
  { name: 'latin1+utf16 untagged odd pointer, length 0 (alignment.wast)', enc: 'latin1+utf16', ptr: 1, tagged: 0, contains: ['unaligned pointer'] },
  { name: 'latin1+utf16 tagged odd pointer, length 0 (alignment.wast)', enc: 'latin1+utf16', ptr: 1, tagged: 0x8000_0000, contains: ['unaligned pointer'] },
  { name: 'latin1+utf16 Latin-1 range past the end', enc: 'latin1+utf16', ptr: 65534, tagged: 3, contains: OOB },
  { name: 'latin1+utf16 UTF-16 range past the end (the tag doubles the length)', enc: 'latin1+utf16', ptr: 65532, tagged: 0x8000_0003, contains: OOB },
  { name: 'latin1+utf16 largest tagged length', enc: 'latin1+utf16', ptr: 0, tagged: 0xffff_ffff, contains: TOO_LARGE },
  { name: 'latin1+utf16 largest untagged length', enc: 'latin1+utf16', ptr: 0, tagged: 0x7fff_ffff, contains: TOO_LARGE },
  { name: 'latin1+utf16 Latin-1 2^28 bytes', enc: 'latin1+utf16', ptr: 0, tagged: 2 ** 28, contains: TOO_LARGE },
  { name: 'latin1+utf16 Latin-1 2^28 - 1 bytes, odd pointer: alignment next', enc: 'latin1+utf16', ptr: 1, tagged: 2 ** 28 - 1, contains: ['unaligned pointer'] },
  { name: 'latin1+utf16 tagged 2^27 code units', enc: 'latin1+utf16', ptr: 0, tagged: 0x8000_0000 + 2 ** 27, contains: TOO_LARGE },
  { name: 'latin1+utf16 tagged lone surrogate', enc: 'latin1+utf16', bytes: [0x00, 0xdc], ptr: 8, tagged: 0x8000_0001, contains: ['invalid utf-16'] },
];

describe('loadStringFromRange traps', () => {
  it.each(traps)('should trap on $name', ({ enc, bytes, ptr, tagged, contains }) => {
    const f = fixture(enc);
    if (bytes !== undefined) f.write(ptr, bytes);
    const reason = trapReason(() => loadStringFromRange(f.cx, ptr, tagged));
    for (const phrase of contains) expect(reason).toContain(phrase);
  });

  it('should check alignment before bounds', () => {
    const f = fixture('utf16');
    expect(trapReason(() => loadStringFromRange(f.cx, 0xdead_beef, 1))).toContain('unaligned pointer');
  });

  it('should trap when the memory option is missing', () => {
    const f = fixture('utf8');
    delete (f.cx.opts as { memory?: WebAssembly.Memory }).memory;
    expect(trapReason(() => loadStringFromRange(f.cx, 0, 0))).toContain('memory');
  });

  it('should reject an unknown encoding as a host error, not a trap', () => {
    const f = fixture('utf8');
    (f.cx.opts as { stringEncoding: string }).stringEncoding = 'utf32';
    let err: unknown;
    try {
      loadStringFromRange(f.cx, 0, 0);
    } catch (e) {
      err = e;
    }
    expect(isHostValueError(err)).toBe(true);
  });

  it('should see memory that grew after the context was made', () => {
    const f = fixture('utf8');
    f.cx.u8();
    f.memory.grow(1);
    f.write(70000, utf8('grown'));
    expect(loadStringFromRange(f.cx, 70000, 5)).toBe('grown');
  });
});

// loadString has a fast path for short UTF-8 strings: it must give the same
// string, or the same trap, as loadStringFromRange on the pair it reads.
describe('loadString and loadStringFromRange agree on utf8', () => {
  const cases: [string, number[], number, number][] = [
    ['short ASCII', utf8('hello'), 64, 5],
    ['empty', [], 64, 0],
    ['short non-ASCII', utf8('hé☃'), 64, utf8('hé☃').length],
    ['invalid UTF-8', [0x61, 0xff, 0x62], 64, 3],
    ['truncated sequence', [0xe2, 0x98], 64, 2],
    ['long ASCII', utf8('x'.repeat(40)), 64, 40],
    ['range past the end of memory', [], 65530, 10],
    ['pointer past the end of memory', [], 0xfffffff0, 4],
  ];
  it.each(cases)('should agree on %s', (_name, bytes, ptr, n) => {
    const f = fixture('utf8');
    f.writeU32(8, ptr);
    f.writeU32(12, n);
    if (bytes.length > 0) f.write(ptr, bytes);
    const outcome = (g: () => string): { ok: string } | { trap: string } => {
      try {
        return { ok: g() };
      } catch {
        return { trap: trapReason(g) };
      }
    };
    expect(outcome(() => loadString(f.cx, 8))).toEqual(outcome(() => loadStringFromRange(f.cx, ptr, n)));
  });
});
