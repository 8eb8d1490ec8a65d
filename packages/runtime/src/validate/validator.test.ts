import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { describe, expect, it } from 'vitest';
import { isValidationError } from '../errors.js';
import { validate, validateComponent } from './index.js';

/** `ok` means valid; a string is a fragment of the expected message. */
const cases: readonly (readonly [string, string, 'ok' | string])[] = [
  ['should accept an empty component', '(component)', 'ok'],
  ['should reject a borrow inside a result', '(component (type $r (resource (rep i32))) (type (func (result (list (borrow $r))))))', 'cannot contain a `borrow`'],
  ['should accept a borrow inside a parameter list', '(component (type $r (resource (rep i32))) (type (func (param "x" (list (borrow $r))))))', 'ok'],
  ['should reject own of a non-resource type', '(component (type $t u32) (type (own $t)))', 'not a resource type'],
  ['should reject resource.new of an imported resource', '(component (import "r" (type $r (sub resource))) (core func (canon resource.new $r)))', 'not a local resource'],
  ['should accept resource.drop of an imported resource', '(component (import "r" (type $r (sub resource))) (core func (canon resource.drop $r)))', 'ok'],
  ['should reject a resource defined in an instance type', '(component (type (instance (type (resource (rep i32))))))', 'concrete component'],
  ['should reject a zero-length fixed list', '(component (type (list u8 0)))', 'greater than zero'],
  ['should reject a value type over the size limit', '(component (type (list u32 67108864)))', 'exceeds maximum byte size'],
  ['should reject duplicate record fields up to case', '(component (type (record (field "a" u8) (field "A" u8))))', 'conflicts with previous field name'],
  ['should reject a non-kebab import', '(component (import "aB" (func)))', 'not in kebab case'],
  ['should accept an interface import with a version', '(component (import "wasi:io/streams@0.2.0" (instance)))', 'ok'],
  ['should reject an import name used twice up to case', '(component (import "a" (func)) (import "A" (func)))', 'conflicts with previous name'],
  ['should accept a url import', '(component (import "url=<https://example.com/x.wasm>" (func)))', 'ok'],
  ['should reject a [method] with no self', '(component (import "r" (type $r (sub resource))) (import "[method]r.m" (func (param "x" u32))))', 'self'],
  ['should accept a [static] function of a known resource', '(component (import "r" (type $r (sub resource))) (import "[static]r.m" (func)))', 'ok'],
  [
    'should require memory for a lowered function with a string',
    '(component (import "f" (func $f (param "s" string))) (core func (canon lower (func $f))))',
    'canonical option `memory` is required',
  ],
  [
    'should check the realloc signature',
    `(component
      (import "f" (func $f (result string)))
      (core module $m (memory (export "mem") 1) (func (export "r") (param i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (core func (canon lower (func $f) (memory (core memory $i "mem")) (realloc (core func $i "r")))))`,
    'incorrect signature',
  ],
  [
    'should check a lifted function against its core type',
    `(component
      (core module $m (func (export "f") (param i64)))
      (core instance $i (instantiate $m))
      (func (param "x" u32) (canon lift (core func $i "f"))))`,
    'do not match',
  ],
  [
    'should check core instantiation arguments against module imports',
    `(component
      (core module $a (func (export "f") (param i32)))
      (core module $b (import "a" "f" (func (param i64))))
      (core instance $x (instantiate $a))
      (core instance (instantiate $b (with "a" (instance $x)))))`,
    'type mismatch',
  ],
  [
    'should check component instantiation arguments by subtyping',
    `(component
      (component $c (import "f" (func (param "x" u32))))
      (import "g" (func $g (param "x" string)))
      (instance (instantiate $c (with "f" (func $g)))))`,
    'type mismatch',
  ],
  [
    'should give each import of an instance type its own resources',
    `(component
      (type $I (instance (export "r" (type (sub resource)))))
      (import "a" (instance $a (type $I)))
      (import "b" (instance $b (type $I)))
      (component $c (import "x" (type $x (sub resource))) (import "y" (type (eq $x))))
      (instance (instantiate $c (with "x" (type $a "r")) (with "y" (type $b "r")))))`,
    'resource types are not the same',
  ],
  [
    'should accept the same resource twice',
    `(component
      (type $I (instance (export "r" (type (sub resource)))))
      (import "a" (instance $a (type $I)))
      (component $c (import "x" (type $x (sub resource))) (import "y" (type (eq $x))))
      (instance (instantiate $c (with "x" (type $a "r")) (with "y" (type $a "r")))))`,
    'ok',
  ],
  [
    'should accept annotated names for a resource exported under two names',
    `(component
      (type $r (resource (rep i32)))
      (export $a "a" (type $r))
      (export $b "b" (type $r))
      (core func $d (canon resource.drop $r))
      (func $f (param "self" (borrow $b)) (canon lift (core func $d)))
      (export "[method]b.m" (func $f)))`,
    'ok',
  ],
  ['should accept a module type aliasing its own type', '(component (core type (module (type $f (func)) (alias outer 0 0 (type)) (import "a" "b" (func (type 1))))))', 'ok'],
  ['should accept a module type aliasing an enclosing core type', '(component $c (core type $f (func)) (core type (module (alias outer $c $f (type)) (export "x" (func (type 0))))))', 'ok'],
  ['should reject a module type alias reaching too far', '(component (core type (func)) (core type (module (alias outer 2 0 (type)))))', 'maximum count of 1'],
  [
    'should let an imported instance name the types it exports',
    '(component (import "i" (instance $i (export "r" (type $r (sub resource))) (export "f" (func (param "x" (own $r)))))) (alias export $i "f" (func $f)) (export "f" (func $f)))',
    'ok',
  ],
  ['should reject an outer alias past the root', '(component (alias outer 1 0 (type)))', 'invalid outer alias count'],
  ['should reject an export of an unexported record', '(component (type $r (record (field "a" u8))) (import "f" (func $f (result $r))))', 'not valid to be used as import'],
  ['should reject a core module that the engine rejects', '(component (core module (func (result i32))))', 'invalid core module'],
  ['should reject stream<char>', '(component (type (stream char)))', '`stream<char>` is not valid'],
  ['should reject implements on a func', '(component (import "a" (implements "a:b/c") (func)))', 'only instances'],
  // Streams and futures are i32 handles: no `memory` needed to pass them, whatever their element type.
  [
    'should accept task.return of a stream<string> without memory',
    '(component (type $s (stream string)) (core func (canon task.return (result $s))))',
    'ok',
  ],
  [
    'should accept a lift of future<list<u8>> parameters without memory',
    '(component (type $f (future (list u8))) (core module $m (func (export "f") (param i32))) (core instance $i (instantiate $m)) (func (param "x" $f) (canon lift (core func $i "f"))))',
    'ok',
  ],
  [
    'should still require memory for a list inside a record',
    '(component (core module $m (func (export "f") (param i32 i32))) (core instance $i (instantiate $m)) (func (param "x" (record (field "a" (list u8)))) (canon lift (core func $i "f"))))',
    'memory',
  ],
];

describe('validate', () => {
  it.each(cases)('%s', async (_name, wat, want) => {
    const bytes = await parse(wat);
    let error: unknown;
    try {
      validate(bytes);
    } catch (e) {
      error = e;
    }
    if (want === 'ok') {
      expect(error).toBeUndefined();
    } else {
      expect(isValidationError(error)).toBe(true);
      expect((error as Error).message).toContain(want);
    }
  });

  it('should say where: the section index and byte offset', async () => {
    const bytes = await parse('(component (type u8) (type (record)))'.replace('(record)', '(record (field "a" u8) (field "a" u8))'));
    try {
      validate(bytes);
      expect.unreachable();
    } catch (e) {
      expect(isValidationError(e)).toBe(true);
      const v = e as { section?: number; offset?: number; message: string };
      expect(v.section).toBe(0);
      expect(typeof v.offset).toBe('number');
      expect(v.message).toMatch(/^section 0 at byte \d+ \(0x[0-9a-f]+\): /);
    }
  });

  it('should name the nested component in which the error is', async () => {
    const bytes = await parse('(component (component (type (enum))))'.replace('(enum)', '(enum "a" "a")'));
    expect(() => validate(bytes)).toThrow(/in the nested component of section 0: section 0/);
  });

  it('should reject a type whose unfolding is exponential, quickly', async () => {
    let wat = '(component (type $t0 (tuple u8 u8))';
    for (let i = 1; i < 64; i++) wat += ` (type $t${i} (tuple $t${i - 1} $t${i - 1}))`;
    const bytes = await parse(`${wat})`);
    const t0 = Date.now();
    expect(() => validate(bytes)).toThrow(/effective type size exceeds/);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it.each([
    ['async', '(component (type (func async)))'],
    ['async', '(component (type (stream u8)))'],
    ['maps', '(component (type (map string u8)))'],
    ['fixedLengthLists', '(component (type (list u8 4)))'],
    ['errorContext', '(component (type (list error-context)))'],
  ] as const)('should reject a construct of the disabled %s feature', async (feature, wat) => {
    const bytes = await parse(wat);
    expect(() => validate(bytes)).not.toThrow();
    expect(() => validate(bytes, { features: { [feature]: false } })).toThrow(/feature, which is not enabled/);
  });

  it('should wrap a decode error as a validation error', () => {
    const bytes = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x07, 0x05]);
    expect(() => validate(bytes)).toThrow(/malformed component/);
  });

  it('should return the resolved index spaces', async () => {
    const info = validateComponent(
      await parse(`(component
        (import "r" (type $r (sub resource)))
        (import "f" (func (param "x" (borrow $r)) (result u32)))
        (core module $m (memory (export "mem") 1))
        (core instance $i (instantiate $m))
        (export "g" (func 0)))`),
    );
    expect(info.types.map((t) => t.kind)).toEqual(['resource', 'defined', 'func']);
    expect(info.funcs).toHaveLength(2);
    expect(info.coreInstances).toHaveLength(1);
    expect(info.coreModules[0]?.exports.get('mem')?.kind).toBe('memory');
    expect([...info.type.imports.keys()]).toEqual(['r', 'f']);
    expect([...info.type.exports.keys()]).toEqual(['g']);
    expect(info.type.imported).toHaveLength(1);
    expect(info.nested).toEqual([]);
  });
});
