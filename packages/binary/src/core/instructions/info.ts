/**
 * Lookup structures built once from the opcode tables: arrays indexed by
 * opcode for decoding, a map by name for encoding. Internal to the
 * instruction codec.
 *
 * @module
 */
import type { Instruction } from './ast.js';
import { ATOMIC_OPS, CORE_OPS, GC_OPS, Imm, MISC_OPS, type OpRow, Prefix, SIMD_OPS } from './opcodes.js';

/** How an instruction affects block nesting (for {@link readExpr}'s frame tracking). */
export const Ctl = {
  none: 0,
  /** Opens a frame: block, loop, if, try, try_table. */
  open: 1,
  /** Closes a frame: end. */
  end: 2,
  /** else. */
  else: 3,
  /** Legacy catch. */
  catch: 4,
  /** Legacy catch_all. */
  catchAll: 5,
  /** Legacy delegate (closes a try). */
  delegate: 6,
} as const;
/** One of the values of {@link Ctl}. */
export type Ctl = (typeof Ctl)[keyof typeof Ctl];

/** Everything the codec needs to know about one opcode. */
export interface OpInfo {
  /** Text-format name. */
  readonly name: string;
  /** Prefix byte, or 0 for single-byte opcodes. */
  readonly prefix: number;
  /** Opcode (or sub-opcode after the prefix). */
  readonly code: number;
  /** Immediate shape. */
  readonly imm: Imm;
  /** Nesting effect. */
  readonly ctl: Ctl;
  /** For `heapNullable` rows: true on the nullable variant. */
  readonly nullable: boolean;
  /** Shared frozen node for instructions without immediates (no allocation per decode). */
  readonly node: Instruction | undefined;
  /** The other encoding of the same name (typed `select`, nullable cast), set on the first row. */
  alt: OpInfo | undefined;
}

const ctlOf: Readonly<Record<string, Ctl>> = {
  block: Ctl.open,
  loop: Ctl.open,
  if: Ctl.open,
  try: Ctl.open,
  try_table: Ctl.open,
  end: Ctl.end,
  else: Ctl.else,
  catch: Ctl.catch,
  catch_all: Ctl.catchAll,
  delegate: Ctl.delegate,
};

/** Infos of single-byte opcodes, indexed by opcode. */
export const CORE: readonly (OpInfo | undefined)[] = [];
/** Infos of prefixed opcodes: index `prefix - 0xfb`, then sub-opcode. */
export const PREFIXED: readonly (readonly (OpInfo | undefined)[])[] = [[], [], [], []];
/** Infos by name (the first row of a name; see {@link OpInfo.alt}). */
export const BY_NAME: ReadonlyMap<string, OpInfo> = new Map();

function build(rows: readonly OpRow[], prefix: number, into: (OpInfo | undefined)[]): void {
  const byName = BY_NAME as Map<string, OpInfo>;
  for (const [code, name, immName] of rows) {
    const first = byName.get(name);
    const imm = Imm[immName];
    const info: OpInfo = {
      name,
      prefix,
      code,
      imm,
      ctl: ctlOf[name] ?? Ctl.none,
      nullable: first !== undefined && imm === Imm.heapNullable,
      node: imm === Imm.none || imm === Imm.fence ? (Object.freeze({ op: name }) as Instruction) : undefined,
      alt: undefined,
    };
    into[code] = info;
    if (first === undefined) byName.set(name, info);
    else first.alt = info;
  }
}

build(CORE_OPS, 0, CORE as (OpInfo | undefined)[]);
build(GC_OPS, Prefix.gc, PREFIXED[0] as (OpInfo | undefined)[]);
build(MISC_OPS, Prefix.misc, PREFIXED[1] as (OpInfo | undefined)[]);
build(SIMD_OPS, Prefix.simd, PREFIXED[2] as (OpInfo | undefined)[]);
build(ATOMIC_OPS, Prefix.atomic, PREFIXED[3] as (OpInfo | undefined)[]);
