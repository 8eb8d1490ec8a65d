/**
 * The core instruction codec: function bodies and constant expressions as
 * {@link Instruction} nodes, decoded and re-encoded byte for byte.
 *
 * Opt-in: the module decoder keeps bodies as raw bytes unless
 * `DecodeOptions.instructions` is set, because most tools never look inside
 * code and raw bodies decode far faster. Constant expressions (globals,
 * element and data offsets) always go through {@link readExpr}.
 *
 * @module
 */
export type { BlockType, Catch, Expr, Handler, Instruction, MemArgFields, MemOffset, Ordering, ShapeFields } from './ast.js';
export { readBlockType, readExpr, readInstruction } from './decode.js';
export { writeBlockType, writeExpr, writeInstruction } from './encode.js';
export { ATOMIC_OPS, CORE_OPS, GC_OPS, Imm, type ImmName, MISC_OPS, type OpName, type OpNameOf, type OpRow, Prefix, SIMD_OPS } from './opcodes.js';
export { type Proposal, proposalOf, proposalOfInstruction } from './proposals.js';
export { type MemoryOpName, naturalAlignment } from './align.js';
