/**
 * Natural alignment of memory instructions: the log2 of the bytes accessed.
 *
 * The text format omits `align=` when it equals the natural alignment, and
 * validation requires `align` not to exceed it (core spec
 * `valid/instructions#memory-instructions`), so printers and validators need
 * this per opcode. It follows from the name: the access width is the number
 * after `load`/`store`/`rmw`/`wait` (`i64.load32_u` reads 32 bits,
 * `v128.load8x8_s` reads 8x8), else the width of the value type.
 *
 * @module
 */
import type { OpNameOf } from './opcodes.js';

/** Names of the instructions that carry a `memarg`. */
export type MemoryOpName = OpNameOf<'memarg'> | OpNameOf<'memargLane'>;

const typeBits: Readonly<Record<string, number>> = { i32: 32, i64: 64, f32: 32, f64: 64, v128: 128, memory: 32 };
const widthInName = /\.(?:load|store|rmw|wait)(\d+)(?:x(\d+))?/;
const cache = new Map<string, number>();

/**
 * The natural alignment (log2 of the access size in bytes) of a memory
 * instruction, e.g. 2 for `i32.load`, 0 for `i64.load8_u`, 4 for `v128.load`,
 * 3 for `v128.load16x4_s` and `memory.atomic.wait64`.
 */
export function naturalAlignment(op: MemoryOpName): number {
  let a = cache.get(op);
  if (a === undefined) {
    const m = widthInName.exec(op);
    const bits = m === null ? (typeBits[op.slice(0, op.indexOf('.'))] ?? 32) : Number(m[1]) * (m[2] === undefined ? 1 : Number(m[2]));
    a = Math.log2(bits / 8);
    cache.set(op, a);
  }
  return a;
}
