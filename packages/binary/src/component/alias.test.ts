import { describe, expect, it } from 'vitest';
import { type DecodeError, isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { type Alias, isAliasSortAllowed, readAlias, writeAlias } from './alias.js';

function bin(spec: string): Uint8Array {
  const out: number[] = [];
  for (const tok of spec.match(/"[^"]*"|\S+/g) ?? []) {
    if (tok.startsWith('"')) {
      const b = new TextEncoder().encode(tok.slice(1, -1));
      out.push(b.length, ...b);
    } else out.push(parseInt(tok, 16));
  }
  return new Uint8Array(out);
}

function roundTrip(bytes: Uint8Array): Alias {
  const r = new Reader(bytes);
  const m = r.beginPadding();
  const value = readAlias(r);
  const padding = r.endPadding(m);
  expect(r.pos).toBe(bytes.length);
  const w = new Writer();
  const wm = w.beginPadding(padding);
  writeAlias(w, value);
  w.endPadding(wm);
  expect(w.finish()).toEqual(bytes);
  return value;
}

function decodeError(bytes: Uint8Array): DecodeError {
  try {
    readAlias(new Reader(bytes));
  } catch (e) {
    expect(isDecodeError(e)).toBe(true);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('readAlias / writeAlias', () => {
  const cases: [string, string, Alias][] = [
    ['an instance export of a func', '01 00 02 "g"', { kind: 'instance-export', sort: 'func', instance: 2, name: 'g' }],
    ['an instance export of a value', '02 00 00 "v"', { kind: 'instance-export', sort: 'value', instance: 0, name: 'v' }],
    ['an instance export of a type', '03 00 00 "t"', { kind: 'instance-export', sort: 'type', instance: 0, name: 't' }],
    ['an instance export of a component', '04 00 00 "c"', { kind: 'instance-export', sort: 'component', instance: 0, name: 'c' }],
    ['an instance export of an instance', '05 00 00 "i"', { kind: 'instance-export', sort: 'instance', instance: 0, name: 'i' }],
    ['an instance export of a core module', '00 11 00 00 "m"', { kind: 'instance-export', sort: 'core module', instance: 0, name: 'm' }],
    ['a core export of a func', '00 00 01 00 "f"', { kind: 'core-instance-export', sort: 'core func', instance: 0, name: 'f' }],
    ['a core export of a table', '00 01 01 00 "tbl"', { kind: 'core-instance-export', sort: 'core table', instance: 0, name: 'tbl' }],
    ['a core export of a memory', '00 02 01 00 "mem"', { kind: 'core-instance-export', sort: 'core memory', instance: 0, name: 'mem' }],
    ['a core export of a global', '00 03 01 00 "glob"', { kind: 'core-instance-export', sort: 'core global', instance: 0, name: 'glob' }],
    ['a core export of a tag', '00 04 01 03 "t"', { kind: 'core-instance-export', sort: 'core tag', instance: 3, name: 't' }],
    ['a core export of an exact func', '00 20 01 00 "t"', { kind: 'core-instance-export', sort: 'core func-exact', instance: 0, name: 't' }],
    ['an outer core module', '00 11 02 00 00', { kind: 'outer', sort: 'core module', count: 0, index: 0 }],
    ['an outer core type', '00 10 02 01 05', { kind: 'outer', sort: 'core type', count: 1, index: 5 }],
    ['an outer type', '03 02 00 00', { kind: 'outer', sort: 'type', count: 0, index: 0 }],
    ['an outer component', '04 02 02 07', { kind: 'outer', sort: 'component', count: 2, index: 7 }],
    ['an outer type with padded count and index', '03 02 80 00 81 80 00', { kind: 'outer', sort: 'type', count: 0, index: 1 }],
    ['an instance export with a padded index', '01 00 80 80 80 80 00 "g"', { kind: 'instance-export', sort: 'func', instance: 0, name: 'g' }],
  ];
  it.each(cases)('should decode and re-encode %s', (_name, spec, expected) => {
    expect(roundTrip(bin(spec))).toEqual(expected);
  });

  const bad: [string, string, string][] = [
    ['an unknown alias target 0x03', '03 03 00 00', 'malformed'],
    ['a sort 0x06', '06 02 00 00', 'malformed'],
    ['a core sort 0x05', '00 05 02 00 00', 'malformed'],
    ['a core sort 0x13', '00 13 02 00 00', 'malformed'],
    ['an outer instance', '05 02 00 00', 'malformed'],
    ['an outer func', '01 02 00 00', 'malformed'],
    ['an outer core instance', '00 12 02 00 00', 'malformed'],
    ['an outer core func', '00 00 02 00 00', 'malformed'],
    ['an outer exact core func', '00 20 02 00 00', 'malformed'],
    ['an instance export of a core func', '00 00 00 00 "t"', 'malformed'],
    ['an instance export of a core type', '00 10 00 00 "t"', 'malformed'],
    ['a core export of a component func', '01 01 00 "t"', 'malformed'],
    ['a core export of a core module', '00 11 01 00 "t"', 'malformed'],
    ['a core export of a core type', '00 10 01 00 "t"', 'malformed'],
    ['a truncated export name', '01 00 00 05 61', 'unexpected-end'],
    ['a missing outer index', '03 02 00', 'unexpected-end'],
    ['nothing', '', 'unexpected-end'],
  ];
  it.each(bad)('should reject %s with a typed error', (_name, spec, code) => {
    expect(decodeError(bin(spec)).code).toBe(code);
  });

  it('should tell which sorts each target allows', () => {
    expect(isAliasSortAllowed('outer', 'type')).toBe(true);
    expect(isAliasSortAllowed('outer', 'instance')).toBe(false);
    expect(isAliasSortAllowed('core-instance-export', 'core tag')).toBe(true);
    expect(isAliasSortAllowed('instance-export', 'core func')).toBe(false);
  });

  it('should reject an unknown target when encoding', () => {
    expect(() => writeAlias(new Writer(), { kind: 'nope', sort: 'type' } as unknown as Alias)).toThrow(/unknown alias target/);
  });
});
