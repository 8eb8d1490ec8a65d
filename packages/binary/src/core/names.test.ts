import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../errors.js';
import type { Module, NameSubsection } from './ast.js';
import { moduleNames, readNameSection, writeNameSection } from './names.js';

function str(s: string): number[] {
  return [s.length, ...[...s].map((c) => c.charCodeAt(0))];
}

function sub(id: number, ...content: number[]): number[] {
  return [id, content.length, ...content];
}

const map = (...entries: [number, string][]): number[] => [entries.length, ...entries.flatMap(([i, n]) => [i, ...str(n)])];
const indirect = (...entries: [number, number[]][]): number[] => [entries.length, ...entries.flatMap(([i, m]) => [i, ...m])];

const cases: [string, number[], NameSubsection[]][] = [
  ['module', sub(0, ...str('m')), [{ kind: 'module', name: 'm' }]],
  ['function', sub(1, ...map([0, 'f'], [2, 'g'])), [{ kind: 'function', names: [{ index: 0, name: 'f' }, { index: 2, name: 'g' }] }]],
  ['local', sub(2, ...indirect([1, map([0, 'x'])])), [{ kind: 'local', names: [{ index: 1, names: [{ index: 0, name: 'x' }] }] }]],
  ['label', sub(3, ...indirect([0, map([0, 'l'])])), [{ kind: 'label', names: [{ index: 0, names: [{ index: 0, name: 'l' }] }] }]],
  ['type', sub(4, ...map([0, 't'])), [{ kind: 'type', names: [{ index: 0, name: 't' }] }]],
  ['table', sub(5, ...map([0, 't'])), [{ kind: 'table', names: [{ index: 0, name: 't' }] }]],
  ['memory', sub(6, ...map([0, 'm'])), [{ kind: 'memory', names: [{ index: 0, name: 'm' }] }]],
  ['global', sub(7, ...map([0, 'g'])), [{ kind: 'global', names: [{ index: 0, name: 'g' }] }]],
  ['elem', sub(8, ...map([0, 'e'])), [{ kind: 'elem', names: [{ index: 0, name: 'e' }] }]],
  ['data', sub(9, ...map([0, 'd'])), [{ kind: 'data', names: [{ index: 0, name: 'd' }] }]],
  ['field', sub(10, ...indirect([3, map([1, 'fld'])])), [{ kind: 'field', names: [{ index: 3, names: [{ index: 1, name: 'fld' }] }] }]],
  ['tag', sub(11, ...map([0, 'e'])), [{ kind: 'tag', names: [{ index: 0, name: 'e' }] }]],
  ['unknown', sub(42, 1, 2, 3), [{ kind: 'unknown', id: 42, data: Uint8Array.of(1, 2, 3) }]],
  ['unsorted and repeated', [...sub(1, ...map([5, 'b'], [1, 'a'])), ...sub(1, ...map([0, 'c']))], [
    { kind: 'function', names: [{ index: 5, name: 'b' }, { index: 1, name: 'a' }] },
    { kind: 'function', names: [{ index: 0, name: 'c' }] },
  ]],
  ['empty', [], []],
];

describe('name section', () => {
  it.each(cases)('should round-trip the %s subsection', (_n, bytes, expected) => {
    const input = Uint8Array.from(bytes);
    const n = readNameSection(input);
    expect(n.subsections).toEqual(expected);
    expect(writeNameSection(n)).toEqual(input);
  });

  it('should reproduce padded sizes, counts and indices', () => {
    const input = Uint8Array.of(1, 0x86, 0x00, 0x81, 0x00, 0x80, 0x00, ...str('f'));
    const n = readNameSection(input);
    expect(n.padding).toEqual([0, 2, 1, 2, 2, 2]);
    expect(writeNameSection(n)).toEqual(input);
  });

  const bad: [string, number[]][] = [
    ['a truncated subsection', [1, 5, 1]],
    ['trailing bytes in a subsection', [0, 3, ...str('m'), 0]],
    ['a bad UTF-8 name', [0, 2, 1, 0xff]],
    ['a huge count', [1, 2, 0xff, 0x01]],
  ];
  it.each(bad)('should reject %s with a DecodeError', (_n, bytes) => {
    let err: unknown;
    try {
      readNameSection(Uint8Array.from(bytes));
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
  });

  it('should collect names by index space with moduleNames', () => {
    const m: Module = {
      kind: 'module',
      sections: [
        { kind: 'custom', name: 'name', data: Uint8Array.of(0xff) },
        {
          kind: 'name',
          names: {
            subsections: [
              { kind: 'module', name: 'mod' },
              { kind: 'function', names: [{ index: 0, name: 'f' }] },
              { kind: 'local', names: [{ index: 0, names: [{ index: 1, name: 'x' }] }] },
              { kind: 'field', names: [{ index: 2, names: [{ index: 0, name: 'a' }] }] },
              { kind: 'unknown', id: 99, data: new Uint8Array() },
            ],
          },
        },
      ],
    };
    const n = moduleNames(m);
    expect(n.module).toBe('mod');
    expect(n.function.get(0)).toBe('f');
    expect(n.local.get(0)?.get(1)).toBe('x');
    expect(n.field.get(2)?.get(0)).toBe('a');
    expect(n.global.size).toBe(0);
  });
});
