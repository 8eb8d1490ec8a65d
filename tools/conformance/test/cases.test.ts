import { modulesOf, parseWast } from '@wasm-components/wast';
import { describe, expect, it } from 'vitest';
import { caseKind, firstDifference, runCase } from './cases.js';

const preamble = '"\\00asm" "\\0d\\00\\01\\00"';
const noParse = (): Promise<Uint8Array> => Promise.reject(new Error('no text parser in this test'));

async function outcome(src: string, parseWat = noParse): Promise<Awaited<ReturnType<typeof runCase>>> {
  const [o] = modulesOf(parseWast(src));
  if (o === undefined) throw new Error('no module form');
  return runCase(o, parseWat);
}

describe('runCase', () => {
  it('should round-trip a minimal component binary', async () => {
    expect(await outcome(`(component binary ${preamble})`)).toEqual({ ok: true, note: 'roundtrip' });
  });

  it('should accept a malformed binary only when decode rejects it with a DecodeError', async () => {
    expect(await outcome(`(assert_malformed (component binary "\\00asm") "eof")`)).toMatchObject({ ok: true, note: 'rejected' });
    expect(await outcome(`(assert_malformed (component binary ${preamble}) "should not decode")`)).toMatchObject({
      ok: false,
      cause: 'accepted-malformed',
    });
  });

  it('should count text the parser rejects under assert_malformed as not our concern', async () => {
    expect(await outcome('(assert_malformed (component quote "(bogus)") "x")')).toMatchObject({ ok: true, note: 'text-rejected' });
  });

  it('should report a text component the parser rejects outside assert_malformed as wat-parse', async () => {
    expect(await outcome('(component)')).toMatchObject({ ok: false, cause: 'wat-parse' });
  });

  it('should report bytes that do not decode as decode-error', async () => {
    expect(await outcome(`(assert_invalid (component binary ${preamble} "\\0d\\00") "x")`)).toMatchObject({
      ok: false,
      cause: 'decode-error',
    });
  });

  it.each([
    ['(component)', 'roundtrip'],
    ['(assert_invalid (component) "x")', 'roundtrip'],
    ['(assert_malformed (component binary "") "x")', 'malformed-binary'],
    ['(assert_malformed (component quote "") "x")', 'malformed-text'],
  ])('should classify %s as %s', (src, kind) => {
    expect(caseKind(modulesOf(parseWast(src))[0]!)).toBe(kind);
  });
});

describe('firstDifference', () => {
  it.each([
    [[1, 2, 3], [1, 2, 3], undefined],
    [[1, 2, 3], [1, 9, 3], 'first difference at byte 0x1: expected 0x2, got 0x9 (lengths 3 / 3)'],
    [[1, 2], [1, 2, 3], 'lengths differ: expected 2, got 3 (common prefix equal)'],
  ])('should compare %j and %j', (a, b, d) => {
    expect(firstDifference(Uint8Array.from(a), Uint8Array.from(b))).toBe(d);
  });
});
