// The call-overhead component, in WAT: one core module exporting `add` (i32.add) and `echo` (returns its
// string argument), a bump allocator as `realloc` and a `post-return` that frees everything; lifted as
// `add: func(a: u32, b: u32) -> u32` and `echo: func(s: string) -> string` (utf8).
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';

export const WAT = `
(component
  (core module $m
    (memory (export "memory") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "add") (param i32 i32) (result i32)
      local.get 0 local.get 1 i32.add)
    ;; realloc(old, old_size, align, new_size): bump allocation, never frees (post-return resets)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32) (local $end i32)
      global.get $bump local.get 2 i32.add i32.const 1 i32.sub
      i32.const 0 local.get 2 i32.sub i32.and
      local.tee $p local.get 3 i32.add local.tee $end global.set $bump
      ;; grow the memory if the block does not fit
      (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
        (then (drop (memory.grow
          (i32.add (i32.shr_u (i32.sub (local.get $end) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))))))
      (if (local.get 1) (then (memory.copy (local.get $p) (local.get 0) (local.get 1))))
      local.get $p)
    ;; echo(ptr, len) -> pointer to (ptr, len) in the return area at 16
    (func (export "echo") (param i32 i32) (result i32)
      i32.const 16 local.get 0 i32.store
      i32.const 16 local.get 1 i32.store offset=4
      i32.const 16)
    (func (export "free-all") (param i32)
      i32.const 1024 global.set $bump)
  )
  (core instance $i (instantiate $m))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $i "add")))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory (core memory $i "memory")) (realloc (core func $i "realloc"))
      string-encoding=utf8 (post-return (core func $i "free-all"))))
)`;

/** The component's bytes. */
export async function componentBytes() {
  return parse(WAT);
}
