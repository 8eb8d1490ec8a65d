import { describe, expect, it } from 'vitest';
import { type DecodeError, isDecodeError } from '../errors.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import {
  type CoreSort,
  type ExternDesc,
  type ExternName,
  type ExternNameShape,
  type Sort,
  classifyExternName,
  nameAttribute,
  plainName,
  readAnySort,
  readCoreSort,
  readExternDesc,
  readExternName,
  readSort,
  sortParts,
  writeCoreSort,
  writeExternDesc,
  writeExternName,
  writeSort,
} from './externs.js';

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

function roundTrip<T>(bytes: Uint8Array, read: (r: Reader) => T, write: (w: Writer, v: T) => void): T {
  const r = new Reader(bytes);
  const m = r.beginPadding();
  const value = read(r);
  const padding = r.endPadding(m);
  expect(r.pos).toBe(bytes.length);
  const w = new Writer();
  const wm = w.beginPadding(padding);
  write(w, value);
  w.endPadding(wm);
  expect(w.finish()).toEqual(bytes);
  return value;
}

function decodeError(bytes: Uint8Array, read: (r: Reader) => unknown): DecodeError {
  try {
    read(new Reader(bytes));
  } catch (e) {
    expect(isDecodeError(e)).toBe(true);
    return e as DecodeError;
  }
  throw new Error('expected a DecodeError');
}

describe('sorts', () => {
  const sorts: [string, Sort][] = [
    ['00 11', 'core module'],
    ['01', 'func'],
    ['02', 'value'],
    ['03', 'type'],
    ['04', 'component'],
    ['05', 'instance'],
  ];
  it.each(sorts)('should read and write the component sortidx sort %s', (spec, sort) => {
    expect(roundTrip(bin(spec), readSort, writeSort)).toBe(sort);
  });

  const badSorts: string[] = ['00 00', '00 10', '00 12', '00 20', '06', '00', ''];
  it.each(badSorts)('should reject %j as a component sortidx sort', (spec) => {
    expect(isDecodeError(decodeError(bin(spec), readSort))).toBe(true);
  });

  const anySorts: [string, Sort][] = [
    ['00 00', 'core func'],
    ['00 01', 'core table'],
    ['00 02', 'core memory'],
    ['00 03', 'core global'],
    ['00 04', 'core tag'],
    ['00 10', 'core type'],
    ['00 11', 'core module'],
    ['00 12', 'core instance'],
    ['00 20', 'core func-exact'],
    ['03', 'type'],
  ];
  it.each(anySorts)('should read and write any spec sort %s', (spec, sort) => {
    expect(roundTrip(bin(spec), (r) => readAnySort(r), writeSort)).toBe(sort);
  });
  it.each(['00 05', '00 13', '06', '00 7f'])('should reject %j as a spec sort', (spec) => {
    expect(decodeError(bin(spec), (r) => readAnySort(r)).code).toBe('malformed');
  });

  const coreSorts: [string, CoreSort][] = [
    ['00', 'func'],
    ['01', 'table'],
    ['02', 'memory'],
    ['03', 'global'],
    ['04', 'tag'],
  ];
  it.each(coreSorts)('should read and write the core export sort %s', (spec, sort) => {
    expect(roundTrip(bin(spec), readCoreSort, writeCoreSort)).toBe(sort);
  });
  it.each(['05', '10', '11', '12', '20'])('should reject %s as a core export sort', (spec) => {
    expect(decodeError(bin(spec), readCoreSort).code).toBe('malformed');
  });

  it('should split a sort into its core flag and name', () => {
    expect(sortParts('core module')).toEqual({ core: true, sort: 'module' });
    expect(sortParts('instance')).toEqual({ core: false, sort: 'instance' });
  });
});

describe('extern names', () => {
  const cases: [string, string, ExternName][] = [
    ['a plain kebab name', '00 "a"', { form: 'plain', name: 'a' }],
    ['a plain name with the 0x01 prefix', '01 "b"', { form: 'plain-01', name: 'b' }],
    ['a name with zero attributes', '02 "c" 00', { form: 'attributes', name: 'c', attributes: [] }],
    ['an interface name', '00 "wasi:http/types@0.2.0"', { form: 'plain', name: 'wasi:http/types@0.2.0' }],
    ['a url name', '00 "url=<https://x/y.wasm>"', { form: 'plain', name: 'url=<https://x/y.wasm>' }],
    ['a relative-url name', '00 "relative-url=<./y.wasm>"', { form: 'plain', name: 'relative-url=<./y.wasm>' }],
    ['an integrity name', '00 "integrity=<sha256-abc>"', { form: 'plain', name: 'integrity=<sha256-abc>' }],
    ['a locked-dep name', '00 "locked-dep=<a:b@1.2.3>"', { form: 'plain', name: 'locked-dep=<a:b@1.2.3>' }],
    ['an unlocked-dep name', '00 "unlocked-dep=<a:b@{>=1.2.3}>"', { form: 'plain', name: 'unlocked-dep=<a:b@{>=1.2.3}>' }],
    ['a method name', '00 "[method]r.m"', { form: 'plain', name: '[method]r.m' }],
    ['an empty name', '00 00', { form: 'plain', name: '' }],
    ['a non-ASCII name', '00 03 e2 98 83', { form: 'plain', name: '\u2603' }],
    ['a name with a padded length', '00 81 80 00 61', { form: 'plain', name: 'a' }],
    [
      'an implements attribute',
      '02 "i1" 01 00 "my:dep/iface"',
      { form: 'attributes', name: 'i1', attributes: [{ kind: 'implements', value: 'my:dep/iface' }] },
    ],
    ['a versionsuffix attribute', '02 "x" 01 01 "1.2.3"', { form: 'attributes', name: 'x', attributes: [{ kind: 'versionsuffix', value: '1.2.3' }] }],
    [
      'an external-id attribute',
      '02 "i2" 01 02 "some-external-id"',
      { form: 'attributes', name: 'i2', attributes: [{ kind: 'external-id', value: 'some-external-id' }] },
    ],
    [
      'every attribute, kept in input order',
      '02 "s" 03 02 "id" 00 "w:kv/s" 01 ""',
      {
        form: 'attributes',
        name: 's',
        attributes: [
          { kind: 'external-id', value: 'id' },
          { kind: 'implements', value: 'w:kv/s' },
          { kind: 'versionsuffix', value: '' },
        ],
      },
    ],
    [
      'a repeated implements attribute (binary.wast case 114: well-formed, invalid), duplicates kept in order',
      '02 "i" 02 00 "a:b/x" 00 "a:b/y"',
      {
        form: 'attributes',
        name: 'i',
        attributes: [
          { kind: 'implements', value: 'a:b/x' },
          { kind: 'implements', value: 'a:b/y' },
        ],
      },
    ],
    [
      'a repeated external-id attribute, duplicates kept in order',
      '02 "i" 03 02 "x" 00 "a:b/c" 02 "y"',
      {
        form: 'attributes',
        name: 'i',
        attributes: [
          { kind: 'external-id', value: 'x' },
          { kind: 'implements', value: 'a:b/c' },
          { kind: 'external-id', value: 'y' },
        ],
      },
    ],
  ];
  it.each(cases)('should decode and re-encode %s', (_name, spec, expected) => {
    expect(roundTrip(bin(spec), readExternName, writeExternName)).toEqual(expected);
  });

  const bad: [string, string, string][] = [
    ['an unknown name prefix', '03 "a"', 'malformed'],
    ['an unknown attribute', '02 "a" 01 03 "x"', 'malformed'],
    ['a name running past the end', '00 7f 61 62', 'unexpected-end'],
    ['invalid UTF-8', '00 02 ff fe', 'malformed'],
    ['an attribute count past the end', '02 "a" 05 00', 'unexpected-end'],
    ['nothing', '', 'unexpected-end'],
  ];
  it.each(bad)('should reject %s with a typed error', (_name, spec, code) => {
    expect(decodeError(bin(spec), readExternName).code).toBe(code);
  });

  it('should find the first attribute of a repeated kind, in input order', () => {
    const n: ExternName = {
      form: 'attributes',
      name: 'i',
      attributes: [
        { kind: 'implements', value: 'a:b/x' },
        { kind: 'implements', value: 'a:b/y' },
      ],
    };
    expect(nameAttribute(n, 'implements')).toBe('a:b/x');
  });

  it('should find attributes by kind', () => {
    const n: ExternName = { form: 'attributes', name: 'a', attributes: [{ kind: 'external-id', value: 'x' }] };
    expect(nameAttribute(n, 'external-id')).toBe('x');
    expect(nameAttribute(n, 'implements')).toBeUndefined();
    expect(nameAttribute(plainName('a'), 'implements')).toBeUndefined();
  });

  const shapes: [string, ExternNameShape][] = [
    ['a', { kind: 'label', label: 'a' }],
    ['my-func2', { kind: 'label', label: 'my-func2' }],
    ['[constructor]r', { kind: 'label', label: '[constructor]r' }],
    ['[method]r.m', { kind: 'label', label: '[method]r.m' }],
    ['[async method]r.m', { kind: 'label', label: '[async method]r.m' }],
    ['wasi:http/types', { kind: 'interface', name: 'wasi:http/types' }],
    ['wasi:http/types@0.2.0-rc.1+b', { kind: 'interface', name: 'wasi:http/types@0.2.0-rc.1+b' }],
    ['url=<https://x>', { kind: 'url', value: 'https://x' }],
    ['relative-url=<./x>', { kind: 'relative-url', value: './x' }],
    ['integrity=<sha256-x>', { kind: 'integrity', value: 'sha256-x' }],
    ['locked-dep=<a:b@1.0.0>', { kind: 'locked-dep', value: 'a:b@1.0.0' }],
    ['unlocked-dep=<a:b@{>=1.0.0}>', { kind: 'unlocked-dep', value: 'a:b@{>=1.0.0}' }],
    ['', { kind: 'other', name: '' }],
    ['no spaces allowed', { kind: 'other', name: 'no spaces allowed' }],
  ];
  it.each(shapes)('should classify %j', (name, shape) => {
    expect(classifyExternName(name)).toEqual(shape);
  });
});

describe('extern descriptors', () => {
  const cases: [string, string, ExternDesc][] = [
    ['a core module', '00 11 00', { kind: 'module', type: 0 }],
    ['a func', '01 02', { kind: 'func', type: 2 }],
    ['a value of primitive type', '02 7f', { kind: 'value', type: 'bool' }],
    ['a value of indexed type', '02 c0 00', { kind: 'value', type: { kind: 'index', index: 64 } }],
    ['a type with an eq bound', '03 00 02', { kind: 'type', bound: { kind: 'eq', type: 2 } }],
    ['a type with a sub resource bound', '03 01', { kind: 'type', bound: { kind: 'sub-resource' } }],
    ['a component', '04 00', { kind: 'component', type: 0 }],
    ['an instance', '05 01', { kind: 'instance', type: 1 }],
    ['an instance with a padded index', '05 81 00', { kind: 'instance', type: 1 }],
  ];
  it.each(cases)('should decode and re-encode %s', (_name, spec, expected) => {
    expect(roundTrip(bin(spec), readExternDesc, writeExternDesc)).toEqual(expected);
  });

  const bad: [string, string][] = [
    ['a core sort other than module', '00 00 00'],
    ['an unknown descriptor 0x06', '06 00'],
    ['an unknown type bound 0x02', '03 02'],
    ['a value whose type is a negative s33', '02 40'],
  ];
  it.each(bad)('should reject %s as malformed', (_name, spec) => {
    expect(decodeError(bin(spec), readExternDesc).code).toBe('malformed');
  });

  it('should reject unknown kinds when encoding', () => {
    expect(() => writeExternDesc(new Writer(), { kind: 'nope' } as unknown as ExternDesc)).toThrow(/unknown extern descriptor/);
    expect(() => writeExternName(new Writer(), { form: 'nope', name: '' } as unknown as ExternName)).toThrow(/unknown extern name form/);
    expect(() => writeSort(new Writer(), 'core nope' as Sort)).toThrow(/unknown core sort/);
  });
});
