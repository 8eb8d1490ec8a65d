/**
 * Sorts, extern names and extern descriptors of the component binary format
 * (`Binary.md#import-and-export-definitions`, `Binary.md#instance-definitions`).
 *
 * These three small grammars are shared by the import, export, alias,
 * instance and type sections, and by component and instance type
 * declarations, so they live in one module that every section codec imports.
 *
 * The readers follow what wasmparser accepts (the practical reference of the
 * newest format): where the spec grammar is wider than what a given position
 * allows (a core sort in a component `sortidx` can only be `module`), the
 * reader rejects the rest as malformed, exactly as the reference test suite
 * (`test/binary/binary.wast`) expects.
 *
 * @module
 */
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import { EncodeError } from '../errors.js';
import { hex } from '../reader.js';
import { type ComponentValType, readComponentValType, writeComponentValType } from './types.js';

// ---------------------------------------------------------------------------
// Sorts
// ---------------------------------------------------------------------------

/**
 * Sorts of the core index spaces (`core:sort`), by their text-format names.
 * `func-exact` (`0x20`) is the custom-descriptors proposal's exact function
 * kind: wasmparser accepts it as the sort of a core instance export alias
 * (meaning a core func), so it is kept to round-trip those bytes.
 */
export type CoreSort = 'func' | 'table' | 'memory' | 'global' | 'tag' | 'type' | 'module' | 'instance' | 'func-exact';

/** Sorts of the component index spaces (`sort` without the `0x00` core prefix). */
export type ComponentSort = 'func' | 'value' | 'type' | 'component' | 'instance';

/**
 * A `sort`: a component sort, or a core sort written `core <sort>` (binary
 * `0x00` followed by the `core:sort` byte). A string union rather than an
 * object, because a sort carries no data beyond its name.
 */
export type Sort = ComponentSort | `core ${CoreSort}`;

/** Binary codes of the core sorts (`Binary.md#instance-definitions`, `core:sort`). */
export const CoreSortCode = {
  func: 0x00,
  table: 0x01,
  memory: 0x02,
  global: 0x03,
  tag: 0x04,
  type: 0x10,
  module: 0x11,
  instance: 0x12,
  'func-exact': 0x20,
} as const;

/** Binary codes of the component sorts (`Binary.md#instance-definitions`, `sort`). */
export const ComponentSortCode = {
  func: 0x01,
  value: 0x02,
  type: 0x03,
  component: 0x04,
  instance: 0x05,
} as const;

/** Prefix byte of a core sort inside a component `sort`. */
export const CORE_SORT_PREFIX = 0x00;

const coreSortByCode: ReadonlyMap<number, CoreSort> = new Map(
  Object.entries(CoreSortCode).map(([k, v]) => [v, k as CoreSort]),
);
const componentSortByCode: ReadonlyMap<number, ComponentSort> = new Map(
  Object.entries(ComponentSortCode).map(([k, v]) => [v, k as ComponentSort]),
);

/** The core sorts a core instance can export (wasmparser's `ExternalKind`): func, table, memory, global, tag. */
export const CORE_EXPORT_SORTS: readonly CoreSort[] = ['func', 'table', 'memory', 'global', 'tag'];

/**
 * Read a `core:sort` byte as it appears where a core instance export is
 * named: core instance inline exports (`core:sortidx`) and core export
 * aliases. Only the sorts a core module can export are accepted (func, table,
 * memory, global, tag), as in wasmparser; `type`, `module` and `instance`
 * are reserved for aliases and instantiation arguments.
 */
export function readCoreSort(r: Reader): CoreSort {
  const at = r.pos;
  const b = r.u8('core sort');
  if (b > 0x04) r.fail('core sort (func, table, memory, global or tag)', hex(b), at);
  return coreSortByCode.get(b)!;
}

/** Write the byte of a core sort (no `0x00` prefix). */
export function writeCoreSort(w: Writer, s: CoreSort): void {
  const code = CoreSortCode[s];
  if (code === undefined) throw new EncodeError(`unknown core sort ${String(s)}`);
  w.u8(code);
}

/**
 * Read a component `sort` as used in a component `sortidx` (exports,
 * instantiation arguments, instance export aliases): `0x00 0x11` (core
 * module) or `0x01`..`0x05`. wasmparser accepts no other core sort in these
 * positions (`ComponentExternalKind`), and neither do we.
 */
export function readSort(r: Reader): Sort {
  const at = r.pos;
  const b = r.u8('sort');
  if (b === CORE_SORT_PREFIX) {
    const c = r.u8('core sort');
    if (c !== CoreSortCode.module) r.fail('core module sort 0x11 after sort prefix 0x00', hex(c), at + 1);
    return 'core module';
  }
  const s = componentSortByCode.get(b);
  if (s === undefined) r.fail('sort (0x00 0x11 or 0x01..0x05)', hex(b), at);
  return s;
}

/** Split a {@link Sort} into whether it is core and its name. */
export function sortParts(s: Sort): { readonly core: true; readonly sort: CoreSort } | { readonly core: false; readonly sort: ComponentSort } {
  return s.startsWith('core ') ? { core: true, sort: s.slice(5) as CoreSort } : { core: false, sort: s as ComponentSort };
}

/** Write any {@link Sort}: a component sort byte, or `0x00` then the core sort byte. */
export function writeSort(w: Writer, s: Sort): void {
  const p = sortParts(s);
  if (p.core) {
    w.u8(CORE_SORT_PREFIX);
    writeCoreSort(w, p.sort);
    return;
  }
  const code = ComponentSortCode[p.sort];
  if (code === undefined) throw new EncodeError(`unknown sort ${String(s)}`);
  w.u8(code);
}

/** Read any sort the spec grammar allows (`0x00` + any core sort, or `0x01`..`0x05`); used for outer aliases before the alias reader restricts it. */
export function readAnySort(r: Reader, what = 'sort'): Sort {
  const at = r.pos;
  const b = r.u8(what);
  if (b === CORE_SORT_PREFIX) {
    const c = r.u8(`core ${what}`);
    const cs = coreSortByCode.get(c);
    if (cs === undefined) r.fail(`core ${what}`, hex(c), at + 1);
    return `core ${cs}`;
  }
  const s = componentSortByCode.get(b);
  if (s === undefined) r.fail(what, hex(b), at);
  return s;
}

// ---------------------------------------------------------------------------
// Extern names
// ---------------------------------------------------------------------------

/**
 * One attribute of an extern name (`Binary.md#import-and-export-definitions`):
 * - `implements` (`0x00`): the interface an instance import/export
 *   implements under a plain label, e.g. `a:b/c`;
 * - `versionsuffix` (`0x01`): a version suffix string;
 * - `external-id` (`0x02`): an opaque identifier for the host.
 *
 * The value is kept as the raw string; its validity (interface name syntax)
 * is a validation concern, not a decoding one.
 */
export interface NameAttribute {
  readonly kind: NameAttributeKind;
  readonly value: string;
}

/** Kinds of {@link NameAttribute}. */
export type NameAttributeKind = 'implements' | 'versionsuffix' | 'external-id';

/** Binary codes of the name attributes. */
export const NameAttributeCode = {
  implements: 0x00,
  versionsuffix: 0x01,
  'external-id': 0x02,
} as const;

const attributeByCode: ReadonlyMap<number, NameAttributeKind> = new Map(
  Object.entries(NameAttributeCode).map(([k, v]) => [v, k as NameAttributeKind]),
);

/**
 * An import or export name (`externname`). Binary forms:
 * - `0x00 name`: a plain name (`form: 'plain'`);
 * - `0x01 name`: the same meaning, an older prefix still accepted
 *   (`form: 'plain-01'`), kept so the bytes round-trip;
 * - `0x02 name vec(attribute)`: a name with attributes (`form: 'attributes'`,
 *   possibly zero of them, in input order).
 *
 * The attribute list is a plain `vec`, so the decoder keeps a repeated kind
 * (e.g. two `implements`) as read, duplicates included and in order, and the
 * encoder writes them back unchanged. At most one attribute of each kind is a
 * validation rule (the spec tests file a second `implements` under
 * `assert_invalid`): a validator must reject a name with a repeated kind.
 * wasmparser 0.254 rejects it earlier, while reading.
 *
 * The name string itself can be a kebab-case label, an interface name
 * (`ns:pkg/iface@1.0.0`), or one of the `url=<...>`, `relative-url=<...>`,
 * `integrity=<...>`, `locked-dep=<...>`, `unlocked-dep=<...>` forms, and
 * labels may carry `[method]`-style annotations; at the binary level all of
 * them are one UTF-8 string, so the decoder keeps it whole (see
 * {@link classifyExternName} to tell them apart).
 */
export type ExternName =
  | { readonly form: 'plain'; readonly name: string }
  | { readonly form: 'plain-01'; readonly name: string }
  | { readonly form: 'attributes'; readonly name: string; readonly attributes: readonly NameAttribute[] };

/** Binary prefixes of the {@link ExternName} forms. */
export const ExternNameFormCode = { plain: 0x00, 'plain-01': 0x01, attributes: 0x02 } as const;

/** Read an `externname`. */
export function readExternName(r: Reader): ExternName {
  const at = r.pos;
  const b = r.u8('extern name prefix');
  switch (b) {
    case 0x00:
      return { form: 'plain', name: r.name('extern name') };
    case 0x01:
      return { form: 'plain-01', name: r.name('extern name') };
    case 0x02: {
      const name = r.name('extern name');
      const n = r.count('name attributes', 2);
      const attributes: NameAttribute[] = [];
      for (let i = 0; i < n; i++) {
        const aat = r.pos;
        const code = r.u8('name attribute');
        const kind = attributeByCode.get(code);
        if (kind === undefined) r.fail('name attribute (0x00 implements, 0x01 versionsuffix, 0x02 external-id)', hex(code), aat);
        // A repeated kind is well-formed (the grammar is a plain vec) and only
        // invalid (binary.wast files it under assert_invalid); it is kept.
        attributes.push({ kind, value: r.name(`${kind} value`) });
      }
      return { form: 'attributes', name, attributes };
    }
    default:
      return r.fail('extern name prefix (0x00, 0x01 or 0x02)', hex(b), at);
  }
}

/** Write an `externname` in the form the node records. */
export function writeExternName(w: Writer, n: ExternName): void {
  switch (n.form) {
    case 'plain':
      w.u8(0x00).name(n.name);
      return;
    case 'plain-01':
      w.u8(0x01).name(n.name);
      return;
    case 'attributes':
      w.u8(0x02).name(n.name).u32(n.attributes.length);
      for (const a of n.attributes) {
        const code = NameAttributeCode[a.kind];
        if (code === undefined) throw new EncodeError(`unknown name attribute ${String(a.kind)}`);
        w.u8(code).name(a.value);
      }
      return;
    default:
      throw new EncodeError(`unknown extern name form ${String((n as { form?: unknown }).form)}`);
  }
}

/** Shorthand to build a plain extern name (the common case). */
export function plainName(name: string): ExternName {
  return { form: 'plain', name };
}

/**
 * The first attribute of kind `kind` on `n`, if any. Decoded names may repeat
 * a kind (only validation rejects that), so this is the first one in input
 * order.
 */
export function nameAttribute(n: ExternName, kind: NameAttributeKind): string | undefined {
  if (n.form !== 'attributes') return undefined;
  for (const a of n.attributes) if (a.kind === kind) return a.value;
  return undefined;
}

/**
 * What an extern name string looks like (`Explainer.md#import-and-export-definitions`):
 * a kebab `label` (possibly with a `[constructor]`/`[method]`/`[static]`
 * or `[async ...]` annotation), an `interface` name, or one of the dependency/URL forms. Only
 * the outer shape is classified (the prefix and the `<...>` brackets); full
 * validation of the inside is left to a validator.
 */
export type ExternNameShape =
  | { readonly kind: 'label'; readonly label: string }
  | { readonly kind: 'interface'; readonly name: string }
  | { readonly kind: 'url' | 'relative-url' | 'integrity' | 'locked-dep' | 'unlocked-dep'; readonly value: string }
  | { readonly kind: 'other'; readonly name: string };

const bracketForms = ['relative-url', 'url', 'integrity', 'locked-dep', 'unlocked-dep'] as const;

/**
 * Classify an extern name string by its outer shape. A tool that prints or
 * groups imports needs to know whether `wasi:http/types@0.2.0` is an
 * interface or `url=<https://...>` is a URL import, without re-implementing
 * the name grammar.
 */
export function classifyExternName(name: string): ExternNameShape {
  for (const form of bracketForms) {
    const prefix = `${form}=<`;
    if (name.startsWith(prefix) && name.endsWith('>')) {
      return { kind: form, value: name.slice(prefix.length, -1) };
    }
  }
  if (/^[a-z0-9-]+:[a-z0-9-]+\/[a-z0-9-]+(@.+)?$/i.test(name)) return { kind: 'interface', name };
  if (/^(\[(constructor|method|static|async|async method|async static)\])?[a-z0-9][a-z0-9-.]*$/i.test(name)) return { kind: 'label', label: name };
  return { kind: 'other', name };
}

// ---------------------------------------------------------------------------
// Extern descriptors
// ---------------------------------------------------------------------------

/** A `typebound`: `(eq i)` (`0x00 i`) or `(sub resource)` (`0x01`). */
export type TypeBound = { readonly kind: 'eq'; readonly type: number } | { readonly kind: 'sub-resource' };

/**
 * An `externdesc`: what an import or export is, by type
 * (`Binary.md#type-definitions`):
 * - `module` (`0x00 0x11 i`): a core module of core type `i`;
 * - `func` (`0x01 i`), `component` (`0x04 i`), `instance` (`0x05 i`): of type `i`;
 * - `value` (`0x02 t`): a value of value type `t`;
 * - `type` (`0x03 b`): a type import/export with its bound.
 */
export type ExternDesc =
  | { readonly kind: 'module'; readonly type: number }
  | { readonly kind: 'func'; readonly type: number }
  | { readonly kind: 'value'; readonly type: ComponentValType }
  | { readonly kind: 'type'; readonly bound: TypeBound }
  | { readonly kind: 'component'; readonly type: number }
  | { readonly kind: 'instance'; readonly type: number };

/** Read an `externdesc`. */
export function readExternDesc(r: Reader): ExternDesc {
  const at = r.pos;
  const b = r.u8('extern descriptor');
  switch (b) {
    case 0x00: {
      const c = r.u8('core module sort');
      if (c !== CoreSortCode.module) r.fail('core module sort 0x11 after extern descriptor 0x00', hex(c), at + 1);
      return { kind: 'module', type: r.u32('core type index') };
    }
    case 0x01:
      return { kind: 'func', type: r.u32('type index') };
    case 0x02:
      return { kind: 'value', type: readComponentValType(r) };
    case 0x03: {
      const bat = r.pos;
      const tb = r.u8('type bound');
      if (tb === 0x00) return { kind: 'type', bound: { kind: 'eq', type: r.u32('type index') } };
      if (tb === 0x01) return { kind: 'type', bound: { kind: 'sub-resource' } };
      return r.fail('type bound (0x00 eq or 0x01 sub resource)', hex(tb), bat);
    }
    case 0x04:
      return { kind: 'component', type: r.u32('type index') };
    case 0x05:
      return { kind: 'instance', type: r.u32('type index') };
    default:
      return r.fail('extern descriptor (0x00..0x05)', hex(b), at);
  }
}

/** Write an `externdesc`. */
export function writeExternDesc(w: Writer, d: ExternDesc): void {
  switch (d.kind) {
    case 'module':
      w.u8(0x00).u8(CoreSortCode.module).u32(d.type);
      return;
    case 'func':
      w.u8(0x01).u32(d.type);
      return;
    case 'value':
      w.u8(0x02);
      writeComponentValType(w, d.type);
      return;
    case 'type':
      w.u8(0x03);
      if (d.bound.kind === 'eq') w.u8(0x00).u32(d.bound.type);
      else if (d.bound.kind === 'sub-resource') w.u8(0x01);
      else throw new EncodeError(`unknown type bound ${String((d.bound as { kind?: unknown }).kind)}`);
      return;
    case 'component':
      w.u8(0x04).u32(d.type);
      return;
    case 'instance':
      w.u8(0x05).u32(d.type);
      return;
    default:
      throw new EncodeError(`unknown extern descriptor ${String((d as { kind?: unknown }).kind)}`);
  }
}
