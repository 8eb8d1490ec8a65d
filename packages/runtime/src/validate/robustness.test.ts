import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { isValidationError } from '../errors.js';
import { validate } from './index.js';

// Seeds touching every family of rules; mutants of them exercise the
// validator on odd but decodable components.
const SEEDS = [
  `(component
    (import "r" (type $r (sub resource)))
    (import "i" (instance $i (export "t" (type (sub resource))) (export "f" (func (param "x" string) (result (list u8))))))
    (type $rec (record (field "a" u8) (field "b" (own $r))))
    (export $rec2 "rec" (type $rec))
    (core module $m
      (memory (export "mem") 1)
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
      (func (export "f") (param i32 i32) (result i32) unreachable))
    (core instance $ci (instantiate $m))
    (alias export $i "f" (func $f))
    (core func (canon lower (func $f) (memory (core memory $ci "mem")) (realloc (core func $ci "realloc"))))
    (func $g (param "s" string) (result u32) (canon lift (core func $ci "f") (memory (core memory $ci "mem")) (realloc (core func $ci "realloc"))))
    (export "g" (func $g))
    (component $c (import "x" (type $x (sub resource))) (export "y" (type $x)))
    (instance $n (instantiate $c (with "x" (type $r))))
    (export "n" (instance $n)))`,
  `(component
    (type $R (resource (rep i32)))
    (type (variant (case "a") (case "b" u64) (case "c" f32)))
    (type (flags "x" "y"))
    (type (enum "p" "q"))
    (type (tuple u8 (option string) (result u32 (error s64))))
    (core func (canon resource.new $R))
    (core func (canon resource.rep $R))
    (core func (canon resource.drop $R))
    (type (component (import "a:b/c@1.0.0" (instance)) (export "r" (type $rr (sub resource))) (export "[constructor]r" (func (result (own $rr))))))
    (type (instance (export "x" (type (sub resource))) (export "[method]x.go" (func (param "self" (borrow 0)))))))`,
];

describe('validate on mutated components', () => {
  const seeds: Uint8Array[] = [];
  beforeAll(async () => {
    for (const s of SEEDS) seeds.push(await parse(s));
  });

  it('should accept the seeds', () => {
    for (const s of seeds) expect(() => validate(s)).not.toThrow();
  });

  it('should throw nothing but a ValidationError on byte mutations', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (which, edits) => {
          const bytes = seeds[which % seeds.length]!.slice();
          for (const [at, v] of edits) bytes[8 + (at % (bytes.length - 8))] = v;
          try {
            validate(bytes, { validateCoreModules: false });
          } catch (e) {
            if (!isValidationError(e)) throw e;
          }
        },
      ),
      { numRuns: 3000, seed: 4 },
    );
  });
});
