// The bench component: one core module (a bump allocator as `realloc`, and for each case a `take`, `keep` and
// `give` core function), lifted into component exports. Used identically by jco (through its transpiled
// bindings) and by @wasm-components/canonical-abi (directly on the same instantiated core module).
//
// Per case X of component type T:
//   take-X: func(x: T) -> u32   core: frees everything allocated since the last `keep` (hp = base), returns
//                               a number; so a call measures only the host's lowering of `x` (+ the call).
//   keep-X: func(x: list<T>) or func(x: T) (list cases)  core: stores the lowered argument's pointer (and
//                               length) in the case's slot and keeps the memory (base = hp); run once at setup.
//   give-X: func() -> T         core: returns a pointer to the value kept by keep-X, already in canonical
//                               layout in memory; so a call measures only the host's lifting of the result.

/** Byte address of case i's slot (8 bytes: ptr, len). The heap starts at HEAP. */
const slot = (i) => 16 + 8 * i;
export const HEAP = 1024;

/**
 * The deep variant: 10 nested levels of variant / option / result.
 * v0 variant{leaf(u32), text(string), empty}; v1 option<v0>; v2 result<v1, string>;
 * v3 variant{a(v2), b(f64), c(u64)}; v4 option<v3>; v5 result<v4, u32>; v6 variant{x(v5), y(s8)};
 * v7 option<v6>; v8 result<v7>; v9 variant{p(v8), q(string)}.
 * Flattened (CanonicalABI.md#flattening): 7 x i32, i64, 4 x i32 = 12 core params.
 */
const DEEP_FLAT = 'i32 i32 i32 i32 i32 i32 i32 i64 i32 i32 i32 i32';

/** The cases: name, component type (WAT), core params of `take`, and whether it is a list (slot holds ptr,len). */
export const CASES = [
  { name: 'bytes', type: '(list u8)', flat: 'i32 i32', list: true },
  { name: 'strings', type: '(list string)', flat: 'i32 i32', list: true },
  { name: 'records', type: '(list $rec)', flat: 'i32 i32', list: true },
  { name: 'deep', type: '$v9', flat: DEEP_FLAT, list: false },
  { name: 'deeps', type: '(list $v9)', flat: 'i32 i32', list: true },
];

function coreModule() {
  const fns = CASES.map((c, i) => {
    const s = slot(i);
    const keepParams = c.list ? c.flat : 'i32 i32'; // non-list cases are kept through a list<T> of one element
    const keepBody = c.list
      ? `(i32.store (i32.const ${s}) (local.get 0)) (i32.store (i32.const ${s + 4}) (local.get 1))`
      : `(i32.store (i32.const ${s}) (local.get 0))`;
    const give = c.list ? `(i32.const ${s})` : `(i32.load (i32.const ${s}))`;
    return `
    (func (export "take-${c.name}") (param ${c.flat}) (result i32) (global.set $hp (global.get $base)) (i32.const ${i}))
    (func (export "keep-${c.name}") (param ${keepParams}) ${keepBody} (global.set $base (global.get $hp)))
    (func (export "give-${c.name}") (result i32) ${give})`;
  }).join('');
  return `
  (core module $m
    (memory (export "memory") 1)
    (global $hp (export "hp") (mut i32) (i32.const ${HEAP}))
    (global $base (export "base") (mut i32) (i32.const ${HEAP}))
    (func $alloc (param $align i32) (param $size i32) (result i32)
      (local $ptr i32) (local $end i32) (local $have i32)
      (local.set $ptr (i32.and (i32.add (global.get $hp) (i32.sub (local.get $align) (i32.const 1)))
                               (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ptr) (local.get $size)))
      (local.set $have (i32.shl (memory.size) (i32.const 16)))
      (if (i32.gt_u (local.get $end) (local.get $have))
        (then (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535))
                                                  (i32.const 16)))
                          (i32.const -1))
                (then unreachable))))
      (global.set $hp (local.get $end))
      (local.get $ptr))
    ;; realloc: bump allocation; shrinking (or same size) keeps the block; growing copies.
    (func (export "realloc") (param $old i32) (param $oldsz i32) (param $align i32) (param $new i32) (result i32)
      (local $p i32)
      (if (i32.ne (local.get $old) (i32.const 0))
        (then (if (i32.le_u (local.get $new) (local.get $oldsz)) (then (return (local.get $old))))))
      (local.set $p (call $alloc (local.get $align) (local.get $new)))
      (if (i32.ne (local.get $old) (i32.const 0))
        (then (memory.copy (local.get $p) (local.get $old) (local.get $oldsz))))
      (local.get $p))
    ;; frees everything allocated since the last keep
    (func (export "reset") (global.set $hp (global.get $base)))${fns}
  )`;
}

function types() {
  return `
  (type $rec (record (field "a" u32) (field "b" string) (field "c" f64) (field "d" bool)))
  (type $v0 (variant (case "leaf" u32) (case "text" string) (case "empty")))
  (type $v1 (option $v0))
  (type $v2 (result $v1 (error string)))
  (type $v3 (variant (case "a" $v2) (case "b" f64) (case "c" u64)))
  (type $v4 (option $v3))
  (type $v5 (result $v4 (error u32)))
  (type $v6 (variant (case "x" $v5) (case "y" s8)))
  (type $v7 (option $v6))
  (type $v8 (result $v7))
  (type $v9 (variant (case "p" $v8) (case "q" string)))`;
}

/** The named types exported by the instance (jco needs nominal types named). */
const NAMED = ['rec', 'v0', 'v3', 'v6', 'v9'];

/** The whole component in WAT: the functions are exported in an instance `api` (a WIT interface). */
export function componentWat() {
  const opts = '(memory $mem) (realloc $realloc) string-encoding=utf8';
  const fns = CASES.map((c) => {
    const keepT = c.list ? c.type : `(list ${c.type})`;
    return `
  (func $take-${c.name} (param "x" ${c.type}) (result u32) (canon lift (core func $i "take-${c.name}") ${opts}))
  (func $keep-${c.name} (param "x" ${keepT}) (canon lift (core func $i "keep-${c.name}") ${opts}))
  (func $give-${c.name} (result ${c.type}) (canon lift (core func $i "give-${c.name}") ${opts}))`;
  }).join('');
  const exports = [
    ...NAMED.map((n) => `(export "${n}" (type $${n}))`),
    ...CASES.flatMap((c) => ['take', 'keep', 'give'].map((k) => `(export "${k}-${c.name}" (func $${k}-${c.name}))`)),
  ].join('\n    ');
  return `(component${coreModule()}
  (core instance $i (instantiate $m))
  (alias core export $i "memory" (core memory $mem))
  (alias core export $i "realloc" (core func $realloc))${types()}${fns}
  (instance $api
    ${exports})
  (export "api" (instance $api))
)
`;
}
