import { describe, expect, it } from 'vitest';
import { instantiate } from '../index.js';
import { wat } from './test-util.js';

/**
 * Every value type makes a round trip host -> component -> host -> component -> host:
 * the component exports `run(x: T) -> T`, implemented by core code that passes its
 * flat arguments straight to the imported `echo(x: T) -> T` (canon lower) and returns
 * what it got (canon lift). So the value is lowered and lifted twice. The type is
 * imported and exported by name, as validation requires for records, variants,
 * enums and flags in imports and exports.
 */
interface Case {
  readonly type: string;
  /** Core params of the flattened type. */
  readonly flat: readonly string[];
  /** The single core result type, or undefined when results go through memory. */
  readonly single?: string;
  readonly values: readonly unknown[];
}

const CASES: readonly Case[] = [
  { type: 'bool', flat: ['i32'], single: 'i32', values: [true, false] },
  { type: 's8', flat: ['i32'], single: 'i32', values: [-128, 0, 127] },
  { type: 'u8', flat: ['i32'], single: 'i32', values: [0, 255] },
  { type: 's16', flat: ['i32'], single: 'i32', values: [-32768, 32767] },
  { type: 'u16', flat: ['i32'], single: 'i32', values: [0, 65535] },
  { type: 's32', flat: ['i32'], single: 'i32', values: [-2147483648, 2147483647] },
  { type: 'u32', flat: ['i32'], single: 'i32', values: [0, 4294967295] },
  { type: 's64', flat: ['i64'], single: 'i64', values: [-(2n ** 63n), 2n ** 63n - 1n] },
  { type: 'u64', flat: ['i64'], single: 'i64', values: [0n, 2n ** 64n - 1n] },
  { type: 'f32', flat: ['f32'], single: 'f32', values: [1.5, -0, Infinity] },
  { type: 'f64', flat: ['f64'], single: 'f64', values: [Math.PI, -1e300] },
  { type: 'char', flat: ['i32'], single: 'i32', values: ['a', '€', '😀'] },
  { type: 'string', flat: ['i32', 'i32'], values: ['', 'hello', 'héllo wörld 😀'] },
  { type: '(list u8)', flat: ['i32', 'i32'], values: [new Uint8Array([]), new Uint8Array([1, 2, 255])] },
  { type: '(list string)', flat: ['i32', 'i32'], values: [[], ['a', 'bc', '']] },
  { type: '(list (tuple u8 u32))', flat: ['i32', 'i32'], values: [[[1, 2], [3, 4]]] },
  { type: '(record (field "first-name" string) (field "age" u32))', flat: ['i32', 'i32', 'i32'], values: [{ firstName: 'Ada', age: 36 }] },
  { type: '(tuple u32 string)', flat: ['i32', 'i32', 'i32'], values: [[7, 'seven']] },
  {
    type: '(variant (case "a" u32) (case "b" string) (case "c"))',
    flat: ['i32', 'i32', 'i32'],
    values: [{ tag: 'a', val: 5 }, { tag: 'b', val: 'bee' }, { tag: 'c' }],
  },
  { type: '(variant (case "x" f32) (case "y" u64))', flat: ['i32', 'i64'], values: [{ tag: 'x', val: 2.5 }, { tag: 'y', val: 2n ** 40n }] },
  { type: '(enum "red" "green" "blue")', flat: ['i32'], single: 'i32', values: ['red', 'blue'] },
  { type: '(flags "read" "write-all" "exec")', flat: ['i32'], single: 'i32', values: [{ read: true, writeAll: false, exec: true }] },
  { type: '(option u32)', flat: ['i32', 'i32'], values: [undefined, 0, 42] },
  { type: '(option string)', flat: ['i32', 'i32', 'i32'], values: [undefined, 'some'] },
  { type: '(option (option u8))', flat: ['i32', 'i32', 'i32'], values: [undefined, { tag: 'some', val: undefined }, { tag: 'some', val: 3 }] },
  { type: '(result u32 (error string))', flat: ['i32', 'i32', 'i32'], values: [{ tag: 'ok', val: 1 }, { tag: 'err', val: 'bad' }] },
  { type: '(result)', flat: ['i32'], single: 'i32', values: [{ tag: 'ok' }, { tag: 'err' }] },
];

function component(c: Case): string {
  const params = c.flat.map((p) => `(param ${p})`).join(' ');
  const gets = c.flat.map((_, i) => `local.get ${i}`).join(' ');
  const main =
    c.single === undefined
      ? `(import "host" "echo" (func $echo ${params} (param i32)))
         (func (export "run") ${params} (result i32) ${gets} i32.const 8 call $echo i32.const 8)`
      : `(import "host" "echo" (func $echo ${params} (result ${c.single})))
         (func (export "run") ${params} (result ${c.single}) ${gets} call $echo)`;
  return `(component
    (type $T0 ${c.type})
    (import "t" (type $T (eq $T0)))
    (import "echo" (func $echo (param "x" $T) (result $T)))
    (core module $Mem
      (memory (export "mem") 4)
      (global $bump (mut i32) (i32.const 4096))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
        ;; shrinking in place keeps the block; otherwise bump-allocate and copy
        (if (i32.and (i32.ne (local.get 0) (i32.const 0)) (i32.le_u (local.get 3) (local.get 1)))
          (then (return (local.get 0))))
        global.get $bump local.get 2 i32.add i32.const 1 i32.sub
        i32.const 0 local.get 2 i32.sub i32.and local.set $p
        local.get $p local.get 3 i32.add global.set $bump
        (memory.copy (local.get $p) (local.get 0) (local.get 1))
        local.get $p))
    (core instance $mem (instantiate $Mem))
    (alias core export $mem "mem" (core memory $memory))
    (alias core export $mem "realloc" (core func $realloc))
    (core func $echo_lowered (canon lower (func $echo) (memory $memory) (realloc $realloc)))
    (core module $Main
      (import "mem" "mem" (memory 1))
      ${main})
    (core instance $main (instantiate $Main
      (with "mem" (instance $mem))
      (with "host" (instance (export "echo" (func $echo_lowered))))))
    (export $TE "t" (type $T))
    (func (export "run") (param "x" $TE) (result $TE)
      (canon lift (core func $main "run") (memory $memory) (realloc $realloc))))`;
}

describe('values', () => {
  it.each(CASES)('should round-trip $type through lower and lift', async (c) => {
    const received: unknown[] = [];
    const e = instantiate(await wat(component(c)), {
      echo: (x: unknown) => {
        received.push(x);
        return x;
      },
    });
    const run = e.run as (x: unknown) => unknown;
    for (const v of c.values) {
      const out = run(v);
      expect(received.at(-1)).toEqual(v);
      if (typeof v === 'number' && Number.isNaN(v)) expect(Number.isNaN(out)).toBe(true);
      else expect(out).toEqual(v);
    }
  });
});

describe('field names', () => {
  it('should spell record fields and flags as written when asked to', async () => {
    const c = CASES.find((x) => x.type.startsWith('(record')) as Case;
    const f = CASES.find((x) => x.type.startsWith('(flags')) as Case;
    for (const [k, value] of [
      [c, { 'first-name': 'Ada', age: 36 }],
      [f, { read: true, 'write-all': true, exec: false }],
    ] as const) {
      const e = instantiate(await wat(component(k)), { echo: (x: unknown) => x }, { fieldNames: 'as-written' });
      expect((e.run as (x: unknown) => unknown)(value)).toEqual(value);
    }
  });
});
