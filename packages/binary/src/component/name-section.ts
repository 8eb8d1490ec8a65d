/**
 * The `component-name` custom section (`Binary.md#name-section`): debug names
 * for the component itself and for the items of each index space.
 *
 * ```
 * namesec    ::= section_0(namedata)              with name "component-name"
 * namedata   ::= n:<name>?   (subsection 0: the component's name)
 *                sn*:<sortnames>*  (subsection 1, once per sort)
 * sortnames  ::= sort:<sort> names:<namemap>
 * namemap    ::= vec(<u32> <name>)
 * ```
 *
 * Each subsection is `id:u8 size:u32 contents`. Subsections are kept as an
 * ordered list (tools are free to emit them in any order, and the round trip
 * must keep it); one with an unknown id, or a sort subsection with an unknown
 * sort, is kept raw. The section reader is strict otherwise: anything
 * malformed makes the whole section fall back to a raw custom section in the
 * component decoder, because a custom section need not be valid.
 *
 * @module
 */
import type { Reader } from '../reader.js';
import type { Writer } from '../writer.js';
import type { NameMap } from '../core/ast.js';
import { EncodeError } from '../errors.js';
import type { Component, ComponentSection } from './ast.js';
import { ComponentSortCode, CoreSortCode, type CoreSort, type ComponentSort, type Sort, writeSort } from './externs.js';

/** Name of the custom section this module decodes. */
export const COMPONENT_NAME_SECTION = 'component-name';

/** Subsection ids of the `component-name` section. */
export const ComponentNameSubsectionId = { component: 0, sort: 1 } as const;

/** One subsection of a `component-name` section. */
export type ComponentNameSubsection =
  /** Subsection 0: the component's own name. */
  | { readonly kind: 'component'; readonly name: string }
  /** Subsection 1: names of items of one sort (core sorts included). */
  | { readonly kind: 'sort'; readonly sort: Sort; readonly names: NameMap }
  /** A subsection this decoder does not know, raw. */
  | { readonly kind: 'unknown'; readonly id: number; readonly data: Uint8Array };

/** The decoded contents of a `component-name` section (after its name). */
export interface ComponentNameSection {
  readonly subsections: readonly ComponentNameSubsection[];
}

const coreSortByCode: ReadonlyMap<number, CoreSort> = new Map(Object.entries(CoreSortCode).map(([k, v]) => [v, k as CoreSort]));
const sortByCode: ReadonlyMap<number, ComponentSort> = new Map(Object.entries(ComponentSortCode).map(([k, v]) => [v, k as ComponentSort]));

/** Read a `namemap`: a vector of (index, name) pairs. */
export function readNameMap(r: Reader): NameMap {
  const n = r.count('name map entries', 2);
  const out: { index: number; name: string }[] = [];
  for (let i = 0; i < n; i++) {
    const index = r.u32('index');
    out.push({ index, name: r.name('debug name') });
  }
  return out;
}

/** Write a `namemap`. */
export function writeNameMap(w: Writer, m: NameMap): void {
  w.u32(m.length);
  for (const e of m) w.u32(e.index).name(e.name);
}

/**
 * Read the contents of a `component-name` section, from after its name to
 * `r.end`. Throws {@link DecodeError} on anything malformed; the component
 * decoder then keeps the section raw.
 */
export function readComponentNameSection(r: Reader): ComponentNameSection {
  const subsections: ComponentNameSubsection[] = [];
  while (!r.atEnd()) {
    const id = r.u8('name subsection id');
    const size = r.u32('name subsection size');
    const saved = r.enter(size, 'name subsection');
    const start = r.pos;
    if (id === ComponentNameSubsectionId.component) {
      subsections.push({ kind: 'component', name: r.name('component name') });
    } else if (id === ComponentNameSubsectionId.sort) {
      // Sort bytes carry no LEB128, so backing up over them is safe for padding.
      const b = r.u8('sort');
      let sort: Sort | undefined;
      if (b === 0x00) {
        const c = r.peek();
        const cs = coreSortByCode.get(c);
        if (cs !== undefined) {
          r.pos++;
          sort = `core ${cs}`;
        }
      } else {
        sort = sortByCode.get(b);
      }
      if (sort === undefined) {
        r.pos = start;
        subsections.push({ kind: 'unknown', id, data: r.bytesN(size, 'name subsection') });
      } else {
        subsections.push({ kind: 'sort', sort, names: readNameMap(r) });
      }
    } else {
      subsections.push({ kind: 'unknown', id, data: r.bytesN(size, 'name subsection') });
    }
    r.leave(saved, 'name subsection');
  }
  return { subsections };
}

/** Write the contents of a `component-name` section (everything after its name). */
export function writeComponentNameSection(w: Writer, s: ComponentNameSection): void {
  for (const sub of s.subsections) {
    switch (sub.kind) {
      case 'component': {
        w.u8(ComponentNameSubsectionId.component);
        const m = w.beginLength();
        w.name(sub.name);
        w.endLength(m);
        break;
      }
      case 'sort': {
        w.u8(ComponentNameSubsectionId.sort);
        const m = w.beginLength();
        writeSort(w, sub.sort);
        writeNameMap(w, sub.names);
        w.endLength(m);
        break;
      }
      case 'unknown': {
        w.u8(sub.id);
        const m = w.beginLength();
        w.bytes(sub.data);
        w.endLength(m);
        break;
      }
      default:
        throw new EncodeError(`unknown component-name subsection ${String((sub as { kind?: unknown }).kind)}`);
    }
  }
}

/** The debug names of a component, gathered for lookup. */
export interface ComponentNames {
  /** The component's own name, if named. */
  readonly component?: string;
  /** Names by sort (e.g. `'func'`, `'core instance'`), then by index. */
  readonly bySort: ReadonlyMap<Sort, ReadonlyMap<number, string>>;
}

/**
 * Gather the names of a decoded component from its `component-name`
 * section(s), so a printer or debugger can say `$run` instead of `func 3`.
 * Later entries win over earlier ones, as in wasmprinter. Returns
 * `undefined` when the component has no decoded `component-name` section.
 *
 * @param c - a decoded component (only its own sections are looked at, not nested components')
 */
export function readComponentNames(c: Component): ComponentNames | undefined {
  let component: string | undefined;
  const bySort = new Map<Sort, Map<number, string>>();
  let found = false;
  for (const s of c.sections as readonly ComponentSection[]) {
    if (s.kind !== 'component-name') continue;
    found = true;
    for (const sub of s.names.subsections) {
      if (sub.kind === 'component') component = sub.name;
      else if (sub.kind === 'sort') {
        let m = bySort.get(sub.sort);
        if (m === undefined) bySort.set(sub.sort, (m = new Map()));
        for (const e of sub.names) m.set(e.index, e.name);
      }
    }
  }
  if (!found) return undefined;
  return component === undefined ? { bySort } : { component, bySort };
}
