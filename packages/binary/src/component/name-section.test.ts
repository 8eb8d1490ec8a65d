import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { readComponent } from './decode.js';
import { type ComponentNameSection, readComponentNameSection, readComponentNames, writeComponentNameSection } from './name-section.js';

function run(bytes: number[]): ComponentNameSection {
  const r = new Reader(new Uint8Array(bytes));
  return readComponentNameSection(r);
}

function bytesOf(s: ComponentNameSection): number[] {
  const w = new Writer();
  writeComponentNameSection(w, s);
  return [...w.finish()];
}

const cases: readonly [string, number[], ComponentNameSection][] = [
  ['an empty section', [], { subsections: [] }],
  ['the component name', [0x00, 0x02, 0x01, 0x63], { subsections: [{ kind: 'component', name: 'c' }] }],
  [
    'func names',
    [0x01, 0x07, 0x01, 0x02, 0x00, 0x01, 0x61, 0x03, 0x00],
    {
      subsections: [
        {
          kind: 'sort',
          sort: 'func',
          names: [
            { index: 0, name: 'a' },
            { index: 3, name: '' },
          ],
        },
      ],
    },
  ],
  ['core func names', [0x01, 0x06, 0x00, 0x00, 0x01, 0x00, 0x01, 0x66], { subsections: [{ kind: 'sort', sort: 'core func', names: [{ index: 0, name: 'f' }] }] }],
  ['core instance names', [0x01, 0x06, 0x00, 0x12, 0x01, 0x02, 0x01, 0x69], { subsections: [{ kind: 'sort', sort: 'core instance', names: [{ index: 2, name: 'i' }] }] }],
  ['an unknown subsection id, kept raw', [0x07, 0x02, 0xaa, 0xbb], { subsections: [{ kind: 'unknown', id: 7, data: new Uint8Array([0xaa, 0xbb]) }] }],
  ['an unknown sort, kept raw', [0x01, 0x03, 0x09, 0x00, 0x00], { subsections: [{ kind: 'unknown', id: 1, data: new Uint8Array([0x09, 0x00, 0x00]) }] }],
  ['an unknown core sort, kept raw', [0x01, 0x03, 0x00, 0x30, 0x00], { subsections: [{ kind: 'unknown', id: 1, data: new Uint8Array([0x00, 0x30, 0x00]) }] }],
];

describe('component-name section', () => {
  it.each(cases)('should decode and re-encode %s', (_n, bytes, node) => {
    expect(run(bytes)).toEqual(node);
    expect(bytesOf(node)).toEqual(bytes);
  });

  const bad: readonly [string, number[]][] = [
    ['a subsection past the end', [0x00, 0x05, 0x01]],
    ['a component name with trailing bytes', [0x00, 0x03, 0x01, 0x63, 0x00]],
    ['a name map count past the end', [0x01, 0x03, 0x01, 0x09, 0x00]],
  ];
  it.each(bad)('should reject %s with a DecodeError', (_n, bytes) => {
    let err: unknown;
    try {
      run(bytes);
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
  });

  it('should gather names by sort with readComponentNames', async () => {
    const bytes = await parse(`(component $top
  (import "a" (func $a))
  (import "b" (func $b))
  (core module $m)
  (type $t (list u8))
)`);
    const c = readComponent(new Reader(bytes));
    const names = readComponentNames(c)!;
    expect(names.component).toBe('top');
    expect(names.bySort.get('func')).toEqual(
      new Map([
        [0, 'a'],
        [1, 'b'],
      ]),
    );
    expect(names.bySort.get('core module')?.get(0)).toBe('m');
    expect([...(names.bySort.get('type')?.values() ?? [])]).toContain('t');
  });

  it('should say there are no names when the section is absent', async () => {
    const c = readComponent(new Reader(await parse('(component (type (list u8)))')));
    expect(readComponentNames(c)).toBeUndefined();
  });
});
