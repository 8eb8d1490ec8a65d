import { describe, expect, it } from 'vitest';
import { NameError, NameSet, isKebab, parseExternName } from './names.js';

describe('isKebab', () => {
  it.each([
    ['a', true],
    ['a-b', true],
    ['ABC-def', true],
    ['a1-b2', true],
    ['a-1', true],
    ['', false],
    ['1', false],
    ['aB', false],
    ['a--b', false],
    ['-a', false],
    ['a-', false],
    ['a_b', false],
  ] as const)('should say %j is kebab case: %s', (s, want) => {
    expect(isKebab(s)).toBe(want);
  });
});

describe('parseExternName', () => {
  it.each([
    ['foo-bar', { kind: 'label', label: 'foo-bar', async: false }],
    ['[async]f', { kind: 'label', label: 'f', async: true }],
    ['[constructor]r', { kind: 'constructor', resource: 'r' }],
    ['[method]r.m', { kind: 'method', resource: 'r', name: 'm', async: false }],
    ['[static]r.m', { kind: 'static', resource: 'r', name: 'm', async: false }],
    ['wasi:http/types', { kind: 'interface', namespace: 'wasi', package: 'http', iface: 'types' }],
    ['a:b/c@1.2.3-rc.1+build.5', { kind: 'interface', namespace: 'a', package: 'b', iface: 'c', version: '1.2.3-rc.1+build.5' }],
    ['url=<https://x>', { kind: 'url', value: 'https://x' }],
    ['integrity=<sha256-abc>', { kind: 'integrity', value: 'sha256-abc' }],
    ['url=<https://x/y.wasm>,integrity=<sha384-Zm9v>', { kind: 'url', value: 'https://x/y.wasm', integrity: 'sha384-Zm9v' }],
    ['locked-dep=<a:b/c@1.0.0>', { kind: 'locked-dep', value: 'a:b/c@1.0.0' }],
    ['locked-dep=<a:b:c>', { kind: 'locked-dep', value: 'a:b:c' }],
    ['unlocked-dep=<a:b@{>=1.0.0 <2.0.0}>', { kind: 'unlocked-dep', value: 'a:b@{>=1.0.0 <2.0.0}' }],
    ['unlocked-dep=<a:b@*>', { kind: 'unlocked-dep', value: 'a:b@*' }],
  ] as const)('should parse %j', (s, want) => {
    expect(parseExternName(s)).toEqual(want);
  });

  it.each([
    ['', 'not in kebab case'],
    ['[method]a', 'failed to find `.`'],
    ['[method]a.b.c', 'not in kebab case'],
    ['[bogus]a', 'unknown annotation'],
    ['a:b/c@', 'empty string'],
    ['a:b/c@1.', 'unexpected end of input'],
    ['a:b/c@2.0.0+', 'empty identifier segment'],
    ['foo:bar:baz/qux', 'expected `/` after package name'],
    ['foo:bar/baz/qux', 'trailing characters found: `/qux`'],
    ['A:b/c', 'not lowercase'],
    ['url=<x', 'is not a valid extern name'],
    ['url=<x>y', 'trailing characters'],
    ['integrity=<md5-abc>', 'invalid integrity hash'],
    ['locked-dep=<ab>', 'expected `:`'],
    ['unlocked-dep=<a:b@{1.0.0}>', 'invalid version range'],
  ] as const)('should reject %j', (s, want) => {
    expect(() => parseExternName(s)).toThrow(NameError);
    expect(() => parseExternName(s)).toThrow(want);
  });
});

describe('NameSet', () => {
  it.each([
    [['a', 'A'], 'conflicts'],
    [['a', '[method]a.a'], 'conflicts'],
    [['[static]a.a', 'a'], 'conflicts'],
    [['f', '[async]f'], 'conflicts'],
    [['a', '[constructor]a'], undefined],
    [['[method]a.get', '[method]b.get'], undefined],
    [['a:b/c', 'a:b/c@1.0.0'], undefined],
  ] as const)('should check %j for strong uniqueness', (names, want) => {
    const set = new NameSet();
    const add = (): void => {
      for (const n of names) set.add(n, parseExternName(n), 'import');
    };
    if (want === undefined) expect(add).not.toThrow();
    else expect(add).toThrow(want);
  });
});
