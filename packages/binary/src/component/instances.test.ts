import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { type CoreInstance, type Instance, readCoreInstance, readInstance, writeCoreInstance, writeInstance } from './instances.js';

function run<T>(bytes: number[], read: (r: Reader) => T): T {
  const r = new Reader(new Uint8Array(bytes));
  const v = read(r);
  expect(r.pos).toBe(bytes.length);
  return v;
}

function bytesOf<T>(v: T, write: (w: Writer, v: T) => void): number[] {
  const w = new Writer();
  write(w, v);
  return [...w.finish()];
}

const coreCases: readonly [string, number[], CoreInstance][] = [
  ['instantiate without args', [0x00, 0x02, 0x00], { kind: 'instantiate', module: 2, args: [] }],
  ['instantiate with an arg', [0x00, 0x00, 0x01, 0x01, 0x69, 0x12, 0x03], { kind: 'instantiate', module: 0, args: [{ name: 'i', instance: 3 }] }],
  ['empty inline exports', [0x01, 0x00], { kind: 'exports', exports: [] }],
  [
    'inline exports of every core sort',
    [0x01, 0x05, 0x01, 0x61, 0x00, 0x00, 0x01, 0x62, 0x01, 0x01, 0x01, 0x63, 0x02, 0x02, 0x01, 0x64, 0x03, 0x03, 0x01, 0x65, 0x04, 0x04],
    {
      kind: 'exports',
      exports: [
        { name: 'a', sort: 'func', index: 0 },
        { name: 'b', sort: 'table', index: 1 },
        { name: 'c', sort: 'memory', index: 2 },
        { name: 'd', sort: 'global', index: 3 },
        { name: 'e', sort: 'tag', index: 4 },
      ],
    },
  ],
];

const cases: readonly [string, number[], Instance][] = [
  ['instantiate without args', [0x00, 0x01, 0x00], { kind: 'instantiate', component: 1, args: [] }],
  [
    'instantiate with args of several sorts',
    [0x00, 0x00, 0x02, 0x01, 0x61, 0x01, 0x05, 0x01, 0x62, 0x00, 0x11, 0x00],
    {
      kind: 'instantiate',
      component: 0,
      args: [
        { name: 'a', sort: 'func', index: 5 },
        { name: 'b', sort: 'core module', index: 0 },
      ],
    },
  ],
  ['inline exports with a plain name', [0x01, 0x01, 0x00, 0x01, 0x67, 0x01, 0x00], { kind: 'exports', exports: [{ name: { form: 'plain', name: 'g' }, sort: 'func', index: 0 }] }],
  [
    'inline exports with the legacy 0x01 name prefix',
    [0x01, 0x01, 0x01, 0x01, 0x67, 0x05, 0x02],
    { kind: 'exports', exports: [{ name: { form: 'plain-01', name: 'g' }, sort: 'instance', index: 2 }] },
  ],
];

describe('instances', () => {
  it.each(coreCases)('should decode and re-encode a core instance: %s', (_n, bytes, node) => {
    expect(run(bytes, readCoreInstance)).toEqual(node);
    expect(bytesOf(node, writeCoreInstance)).toEqual(bytes);
  });

  it.each(cases)('should decode and re-encode an instance: %s', (_n, bytes, node) => {
    expect(run(bytes, readInstance)).toEqual(node);
    expect(bytesOf(node, writeInstance)).toEqual(bytes);
  });

  const bad: readonly [string, number[], (r: Reader) => unknown][] = [
    ['core instance expression 0x02', [0x02, 0x00, 0x00], readCoreInstance],
    ['a core instantiation arg that is not an instance', [0x00, 0x00, 0x01, 0x01, 0x69, 0x00, 0x00], readCoreInstance],
    ['a core inline export of sort type', [0x01, 0x01, 0x01, 0x61, 0x10, 0x00], readCoreInstance],
    ['instance expression 0x02', [0x02, 0x00, 0x00], readInstance],
    ['an instantiation arg with a bad sort', [0x00, 0x00, 0x01, 0x01, 0x61, 0x06, 0x00], readInstance],
    ['a truncated inline export', [0x01, 0x01, 0x00, 0x01], readInstance],
  ];
  it.each(bad)('should reject %s with a DecodeError', (_n, bytes, read) => {
    let err: unknown;
    try {
      run(bytes, read);
    } catch (e) {
      err = e;
    }
    expect(isDecodeError(err)).toBe(true);
  });

  it('should refuse to encode an unknown instance kind', () => {
    expect(() => bytesOf({ kind: 'x' } as unknown as Instance, writeInstance)).toThrow(/unknown instance kind/);
    expect(() => bytesOf({ kind: 'x' } as unknown as CoreInstance, writeCoreInstance)).toThrow(/unknown core instance kind/);
  });
});
