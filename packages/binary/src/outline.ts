/**
 * The outline pass: list the sections of a module or component, and those of
 * every nested module and component, without decoding section contents.
 *
 * Tools that only need to know what is where (a size report, a bundler
 * extracting core modules, a quick "is this a component?") pay one LEB128
 * read per section instead of a full decode. The pass still checks every
 * section size against the bytes that remain, so it is as safe on hostile
 * input as {@link decode}.
 *
 * @module
 */
import { type DecodeOptions, resolveDecodeOptions } from './options.js';
import { type LayerName, readPreamble } from './preamble.js';
import { Reader } from './reader.js';

/** Names of core module section ids (core spec 5.5.2). */
export const ModuleSectionId = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  datacount: 12,
  tag: 13,
} as const;

/** Names of component section ids (`Binary.md#component-definitions`). */
export const ComponentSectionId = {
  custom: 0,
  'core-module': 1,
  'core-instance': 2,
  'core-type': 3,
  component: 4,
  instance: 5,
  alias: 6,
  type: 7,
  canon: 8,
  start: 9,
  import: 10,
  export: 11,
  value: 12,
} as const;

const moduleNames: readonly string[] = Object.keys(ModuleSectionId);
const componentNames: readonly string[] = Object.keys(ComponentSectionId);
/** Section ids whose content is not a vector, so they have no item count. */
const noCountModule = new Set<number>([0, 8, 12]);
const noCountComponent = new Set<number>([0, 1, 4, 9]);

/** One section in an {@link Outline}. */
export interface OutlineSection {
  /** The section id byte. */
  readonly id: number;
  /** The section's name (`'import'`, `'core-module'`...), or `'unknown'` for an id the format does not define. */
  readonly name: string;
  /** For custom sections: the custom section's own name. */
  readonly customName?: string;
  /** Byte offset of the section id. */
  readonly offset: number;
  /** Byte offset of the section content (after the size LEB128). */
  readonly contentOffset: number;
  /** Size of the content in bytes. */
  readonly size: number;
  /** For vector sections: the item count (the first LEB128 of the content). */
  readonly count?: number;
  /** For a component's core-module and component sections: the nested binary's outline. */
  readonly nested?: Outline;
}

/** The outline of one module or component. */
export interface Outline {
  /** Core module or component. */
  readonly kind: LayerName;
  /** Version field of the preamble. */
  readonly version: number;
  /** Byte offset of the preamble. */
  readonly offset: number;
  /** Size in bytes, preamble included. */
  readonly size: number;
  /** Sections in binary order. */
  readonly sections: readonly OutlineSection[];
}

/**
 * List the sections of a module or component (nested ones included) without
 * decoding their contents.
 *
 * @param bytes - a core module or component binary
 * @param options - limits; only `maxDepth` and `maxItems` matter here
 * @throws {@link DecodeError} if the preamble or a section header is malformed
 */
export function sections(bytes: Uint8Array, options?: Partial<DecodeOptions>): Outline {
  const r = new Reader(bytes, resolveDecodeOptions(options));
  return outlineAt(r, 0, bytes.length);
}

function outlineAt(r: Reader, start: number, end: number): Outline {
  const pre = readPreamble(r.bytes.subarray(0, end), start);
  const isComponent = pre.layer === 'component';
  const names = isComponent ? componentNames : moduleNames;
  const noCount = isComponent ? noCountComponent : noCountModule;
  r.pos = start + 8;
  r.end = end;
  const out: OutlineSection[] = [];
  while (r.pos < end) {
    const offset = r.pos;
    const id = r.u8('section id');
    const size = r.u32('section size');
    const saved = r.enter(size, 'section');
    const contentOffset = r.pos;
    const name = names[id] ?? 'unknown';
    let section: OutlineSection;
    if (id === 0) {
      const customName = r.name('custom section name');
      section = { id, name, customName, offset, contentOffset, size };
    } else if (isComponent && (id === 1 || id === 4)) {
      r.push(id === 1 ? 'core module' : 'component');
      const nested = outlineAt(r, contentOffset, contentOffset + size);
      r.pop();
      section = { id, name, offset, contentOffset, size, nested };
    } else if (!noCount.has(id) && size > 0 && name !== 'unknown') {
      section = { id, name, offset, contentOffset, size, count: r.u32('section item count') };
    } else {
      section = { id, name, offset, contentOffset, size };
    }
    out.push(section);
    r.pos = contentOffset + size;
    r.end = saved;
  }
  return { kind: pre.layer, version: pre.version, offset: start, size: end - start, sections: out };
}
