/**
 * Which WebAssembly proposal introduced each instruction, for tools that
 * report what a module's code requires (an engine without SIMD, a target
 * without threads...). Grouped as wasmparser groups its operator list.
 *
 * This is a property of the opcode only. Some requirements show in the
 * immediates instead and are left to the caller: multi-value (a block type
 * that is a type index, a typed `select` with several types), multi-memory
 * (a memarg `memory` field or a memory index other than 0), memory64
 * (offsets above 2^32, 64-bit memories in the module).
 *
 * @module
 */
import type { OpName } from './opcodes.js';
import { ATOMIC_OPS, CORE_OPS, GC_OPS, MISC_OPS, type OpRow, SIMD_OPS } from './opcodes.js';

/** Proposal names (wasmparser's `for_each_operator` groups, kebab-cased). */
export type Proposal =
  | 'mvp'
  | 'sign-extension'
  | 'saturating-float-to-int'
  | 'bulk-memory'
  | 'reference-types'
  | 'tail-call'
  | 'function-references'
  | 'exceptions'
  | 'legacy-exceptions'
  | 'gc'
  | 'custom-descriptors'
  | 'simd'
  | 'relaxed-simd'
  | 'threads'
  | 'shared-everything-threads'
  | 'stack-switching'
  | 'wide-arithmetic'
  | 'memory-control';

/** Single-byte opcodes outside the MVP, by name. */
const coreExceptions: Readonly<Record<string, Proposal>> = {
  try: 'legacy-exceptions',
  catch: 'legacy-exceptions',
  rethrow: 'legacy-exceptions',
  delegate: 'legacy-exceptions',
  catch_all: 'legacy-exceptions',
  throw: 'exceptions',
  throw_ref: 'exceptions',
  try_table: 'exceptions',
  return_call: 'tail-call',
  return_call_indirect: 'tail-call',
  call_ref: 'function-references',
  return_call_ref: 'function-references',
  'ref.as_non_null': 'function-references',
  br_on_null: 'function-references',
  br_on_non_null: 'function-references',
  'table.get': 'reference-types',
  'table.set': 'reference-types',
  'ref.null': 'reference-types',
  'ref.is_null': 'reference-types',
  'ref.func': 'reference-types',
  'ref.eq': 'gc',
  'i32.extend8_s': 'sign-extension',
  'i32.extend16_s': 'sign-extension',
  'i64.extend8_s': 'sign-extension',
  'i64.extend16_s': 'sign-extension',
  'i64.extend32_s': 'sign-extension',
};

/** The proposal of each prefixed sub-opcode, as `[first code, proposal]` ranges in increasing order. */
const prefixedRanges: readonly (readonly [readonly OpRow[], readonly (readonly [number, Proposal])[]])[] = [
  [GC_OPS, [[0x00, 'gc'], [0x20, 'custom-descriptors']]],
  [MISC_OPS, [[0x00, 'saturating-float-to-int'], [0x08, 'bulk-memory'], [0x0f, 'reference-types'], [0x12, 'memory-control'], [0x13, 'wide-arithmetic']]],
  [SIMD_OPS, [[0x00, 'simd'], [0x100, 'relaxed-simd']]],
  [ATOMIC_OPS, [[0x00, 'threads'], [0x4f, 'shared-everything-threads']]],
];

const byName = new Map<string, Proposal>();
for (const [code, name] of CORE_OPS) {
  byName.set(name, coreExceptions[name] ?? (code >= 0xe0 && code <= 0xe6 ? 'stack-switching' : 'mvp'));
}
byName.set('select', 'mvp'); // typed select is reference-types; see proposalOfInstruction
for (const [rows, ranges] of prefixedRanges) {
  for (const [code, name] of rows) {
    let p: Proposal = ranges[0]![1];
    for (const [first, q] of ranges) if (code >= first) p = q;
    byName.set(name, p);
  }
}

/**
 * The proposal that introduced instruction `op` (`'mvp'` for the original
 * set). `select` is `'mvp'`; its typed form (a `types` field) is
 * `'reference-types'`, see {@link proposalOfInstruction}.
 */
export function proposalOf(op: OpName): Proposal {
  return byName.get(op) ?? 'mvp';
}

/** The proposal that introduced this instruction, looking at the node (typed `select` is reference-types). */
export function proposalOfInstruction(i: { readonly op: OpName; readonly types?: unknown }): Proposal {
  if (i.op === 'select' && i.types !== undefined) return 'reference-types';
  return proposalOf(i.op);
}
