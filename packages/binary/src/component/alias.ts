/**
 * Alias definitions (`Binary.md#alias-definitions`): one entry of an alias
 * section, also used as the alias declarator of component and instance types.
 *
 * ```
 * alias       ::= s:<sort> t:<aliastarget>
 * aliastarget ::= 0x00 i:<instanceidx> n:<name>       export i n
 *               | 0x01 i:<core:instanceidx> n:<name>  core export i n
 *               | 0x02 ct:<u32> idx:<u32>             outer ct idx
 * ```
 *
 * The sort comes first on the wire but which sorts are allowed depends on the
 * target that follows. The reader checks the pair as wasmparser does (and as
 * the reference tests in `test/binary/binary.wast` expect):
 * - instance export: a component sort or `core module`;
 * - core instance export: `core func|table|memory|global|tag`, or
 *   `core func-exact` (`0x00 0x20`, custom-descriptors), which wasmparser
 *   accepts there and reads as a core func;
 * - outer: `core type`, `core module`, `type` or `component`.
 *
 * @module
 */
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { EncodeError } from '../errors.js';
import { hex } from '../reader.js';
import { type Sort, readAnySort, writeSort } from './externs.js';

/**
 * One alias. `sort` is the sort of the aliased item, in the spec's own
 * {@link Sort} vocabulary for every target, so a consumer reads it the same
 * way whatever the target.
 */
export type Alias =
  | { readonly kind: 'instance-export'; readonly sort: Sort; readonly instance: number; readonly name: string }
  | { readonly kind: 'core-instance-export'; readonly sort: Sort; readonly instance: number; readonly name: string }
  | { readonly kind: 'outer'; readonly sort: Sort; readonly count: number; readonly index: number };

/** Binary codes of the alias targets. */
export const AliasTargetCode = { 'instance-export': 0x00, 'core-instance-export': 0x01, outer: 0x02 } as const;

const INSTANCE_EXPORT_SORTS: ReadonlySet<Sort> = new Set<Sort>(['core module', 'func', 'value', 'type', 'component', 'instance']);
const CORE_INSTANCE_EXPORT_SORTS: ReadonlySet<Sort> = new Set<Sort>(['core func', 'core table', 'core memory', 'core global', 'core tag', 'core func-exact']);
const OUTER_SORTS: ReadonlySet<Sort> = new Set<Sort>(['core type', 'core module', 'type', 'component']);

/** True if `sort` may be aliased through `kind` (the same pairs the reader accepts). */
export function isAliasSortAllowed(kind: Alias['kind'], sort: Sort): boolean {
  const set = kind === 'instance-export' ? INSTANCE_EXPORT_SORTS : kind === 'core-instance-export' ? CORE_INSTANCE_EXPORT_SORTS : OUTER_SORTS;
  return set.has(sort);
}

/** Read one `alias`. */
export function readAlias(r: Reader): Alias {
  const sortAt = r.pos;
  const sort = readAnySort(r, 'alias sort');
  const tat = r.pos;
  const t = r.u8('alias target');
  switch (t) {
    case 0x00:
      if (!INSTANCE_EXPORT_SORTS.has(sort)) r.fail('sort of an instance export alias (core module, func, value, type, component, instance)', sort, sortAt);
      return { kind: 'instance-export', sort, instance: r.u32('instance index'), name: r.name('export name') };
    case 0x01:
      if (!CORE_INSTANCE_EXPORT_SORTS.has(sort)) r.fail('sort of a core instance export alias (core func, table, memory, global, tag)', sort, sortAt);
      return { kind: 'core-instance-export', sort, instance: r.u32('core instance index'), name: r.name('export name') };
    case 0x02:
      if (!OUTER_SORTS.has(sort)) r.fail('sort of an outer alias (core type, core module, type, component)', sort, sortAt);
      return { kind: 'outer', sort, count: r.u32('outer alias count'), index: r.u32('outer alias index') };
    default:
      return r.fail('alias target (0x00 export, 0x01 core export, 0x02 outer)', hex(t), tat);
  }
}

/** Write one `alias`. The sort/target pair is not re-checked: the writer writes what the node says. */
export function writeAlias(w: Writer, a: Alias): void {
  writeSort(w, a.sort);
  switch (a.kind) {
    case 'instance-export':
      w.u8(0x00).u32(a.instance).name(a.name);
      return;
    case 'core-instance-export':
      w.u8(0x01).u32(a.instance).name(a.name);
      return;
    case 'outer':
      w.u8(0x02).u32(a.count).u32(a.index);
      return;
    default:
      throw new EncodeError(`unknown alias target ${String((a as { kind?: unknown }).kind)}`);
  }
}
