/**
 * The `name` custom section of core modules (core spec appendix 7.4 "Name
 * Section", plus the extended-name-section proposal's subsections 3-11).
 *
 * The section is decoded into a typed node only when it parses cleanly and
 * re-encodes to the same bytes (see `./decode.ts`); otherwise the module
 * keeps it as a raw custom section, since a broken name section does not
 * make a module invalid.
 *
 * @module
 */
import type { DecodeOptions, ResolvedDecodeOptions } from '../options.js';
import { Reader } from '../reader.js';
import { Writer } from '../writer.js';
import { EncodeError } from '../errors.js';
import {
  type IndirectNameMap,
  type IndirectNameMapKind,
  type Module,
  type NameMap,
  type NameMapKind,
  type NameSection,
  type NameSubsection,
  NameSubsectionId,
} from './ast.js';

const mapKinds: ReadonlyMap<number, NameMapKind> = new Map([
  [1, 'function'],
  [4, 'type'],
  [5, 'table'],
  [6, 'memory'],
  [7, 'global'],
  [8, 'elem'],
  [9, 'data'],
  [11, 'tag'],
]);
const indirectKinds: ReadonlyMap<number, IndirectNameMapKind> = new Map([
  [2, 'local'],
  [3, 'label'],
  [10, 'field'],
]);

function readNameMap(r: Reader): NameMap {
  const n = r.count('name map entries', 2);
  const out: { index: number; name: string }[] = [];
  for (let i = 0; i < n; i++) {
    const index = r.u32('name map index');
    out.push({ index, name: r.name('name') });
  }
  return out;
}

function readIndirectNameMap(r: Reader): IndirectNameMap {
  const n = r.count('indirect name map entries', 2);
  const out: { index: number; names: NameMap }[] = [];
  for (let i = 0; i < n; i++) {
    const index = r.u32('indirect name map index');
    out.push({ index, names: readNameMap(r) });
  }
  return out;
}

/**
 * Decode the contents of a `name` custom section (after its name). The
 * whole content is one padding scope, recorded on the result.
 *
 * @throws {@link DecodeError} if the bytes are not a well-formed name section
 */
export function readNameSection(bytes: Uint8Array, options?: Partial<DecodeOptions> | ResolvedDecodeOptions): NameSection {
  const r = new Reader(bytes, options);
  const pm = r.beginPadding();
  const subsections: NameSubsection[] = [];
  while (!r.atEnd()) {
    const id = r.u8('name subsection id');
    const size = r.u32('name subsection size');
    const saved = r.enter(size, 'name subsection');
    const mapKind = mapKinds.get(id);
    const indirectKind = indirectKinds.get(id);
    if (id === NameSubsectionId.module) subsections.push({ kind: 'module', name: r.name('module name') });
    else if (mapKind !== undefined) subsections.push({ kind: mapKind, names: readNameMap(r) });
    else if (indirectKind !== undefined) subsections.push({ kind: indirectKind, names: readIndirectNameMap(r) });
    else subsections.push({ kind: 'unknown', id, data: r.bytesN(r.end - r.pos, 'name subsection contents') });
    r.leave(saved, 'name subsection');
  }
  const padding = r.endPadding(pm);
  return padding === undefined ? { subsections } : { subsections, padding };
}

function writeNameMap(w: Writer, m: NameMap): void {
  w.u32(m.length);
  for (const e of m) w.u32(e.index).name(e.name);
}

/** Encode the contents of a `name` custom section (without the section header and the name `name`). */
export function writeNameSection(n: NameSection): Uint8Array {
  const w = new Writer(256);
  const pm = w.beginPadding(n.padding);
  for (const s of n.subsections) {
    const id = s.kind === 'unknown' ? s.id : NameSubsectionId[s.kind];
    if (id === undefined) throw new EncodeError(`unknown name subsection kind ${String((s as { kind?: unknown }).kind)}`);
    w.u8(id);
    const len = w.beginLength();
    switch (s.kind) {
      case 'module':
        w.name(s.name);
        break;
      case 'unknown':
        w.bytes(s.data);
        break;
      case 'local':
      case 'label':
      case 'field':
        w.u32(s.names.length);
        for (const e of s.names) {
          w.u32(e.index);
          writeNameMap(w, e.names);
        }
        break;
      default:
        writeNameMap(w, s.names);
    }
    w.endLength(len);
  }
  w.endPadding(pm);
  return w.finish();
}

/** Names of one module, by index space, as maps for lookup. */
export interface ModuleNames {
  module?: string;
  readonly function: Map<number, string>;
  readonly type: Map<number, string>;
  readonly table: Map<number, string>;
  readonly memory: Map<number, string>;
  readonly global: Map<number, string>;
  readonly elem: Map<number, string>;
  readonly data: Map<number, string>;
  readonly tag: Map<number, string>;
  /** Local names per function index. */
  readonly local: Map<number, Map<number, string>>;
  /** Label names per function index. */
  readonly label: Map<number, Map<number, string>>;
  /** Field names per type index. */
  readonly field: Map<number, Map<number, string>>;
}

/**
 * Collect the names of a module from its decoded `name` section(s), for
 * tools that print or look up by name. Later entries win over earlier ones,
 * as in wasmprinter; raw (undecodable) name sections are ignored.
 */
export function moduleNames(m: Module): ModuleNames {
  const out: ModuleNames = {
    function: new Map(),
    type: new Map(),
    table: new Map(),
    memory: new Map(),
    global: new Map(),
    elem: new Map(),
    data: new Map(),
    tag: new Map(),
    local: new Map(),
    label: new Map(),
    field: new Map(),
  };
  for (const sec of m.sections) {
    if (sec.kind !== 'name') continue;
    for (const s of sec.names.subsections) {
      switch (s.kind) {
        case 'module':
          out.module = s.name;
          break;
        case 'unknown':
          break;
        case 'local':
        case 'label':
        case 'field':
          for (const e of s.names) {
            const inner = out[s.kind].get(e.index) ?? new Map<number, string>();
            for (const n of e.names) inner.set(n.index, n.name);
            out[s.kind].set(e.index, inner);
          }
          break;
        default:
          for (const e of s.names) out[s.kind].set(e.index, e.name);
      }
    }
  }
  return out;
}
