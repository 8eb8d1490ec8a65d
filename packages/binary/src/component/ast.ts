/**
 * The AST of a component binary (`Binary.md#component-definitions`).
 *
 * A component is its preamble (fixed: `\0asm`, version `0x0d 0x00`, layer
 * `0x01 0x00`) followed by an ordered list of sections. The list keeps the
 * input's order and grouping exactly (the component model, unlike core wasm,
 * allows any section in any order and any number of times), so encoding it
 * back gives the same bytes.
 *
 * Every section node carries `padding?` (the padded LEB128s of its scope,
 * from the size field on; see `reader.ts`) and `offset?` (where its id byte
 * was, informative only).
 *
 * @module
 */
import type { Module } from '../core/ast.js';
import type { Padding } from '../reader.js';
import type { Alias } from './alias.js';
import type { CanonicalFunction } from './canon.js';
import type { ExternDesc, ExternName, Sort } from './externs.js';
import type { CoreInstance, Instance } from './instances.js';
import type { ComponentNameSection } from './name-section.js';
import type { ComponentValType, CoreTypeDef, TypeDef } from './types.js';

/** Fields every component section node has. */
export interface ComponentSectionBase {
  /** Padded LEB128s of this section's scope (from its size field on); absent when all are minimal. */
  readonly padding?: Padding;
  /** Input offset of the section id byte; informative, ignored by the encoder. */
  readonly offset?: number;
}

/** A custom section (id 0) kept raw: its name and contents. */
export interface ComponentCustomSection extends ComponentSectionBase {
  readonly kind: 'custom';
  readonly name: string;
  readonly data: Uint8Array;
}

/**
 * The `component-name` custom section, decoded. A `component-name` section
 * whose contents do not parse is kept as a {@link ComponentCustomSection}
 * instead (the spec does not require custom sections to be valid).
 */
export interface ComponentNameCustomSection extends ComponentSectionBase {
  readonly kind: 'component-name';
  readonly names: ComponentNameSection;
}

/**
 * A `component-type*` custom section (as wit-component emits to carry a WIT
 * world) whose contents are a whole component binary, decoded. See
 * `component-type-section.ts`.
 */
export interface ComponentTypeCustomSection extends ComponentSectionBase {
  readonly kind: 'component-type-custom';
  /** The full section name, e.g. `component-type:wit-bindgen:0.41.0:my:pkg:world:encoded world`. */
  readonly name: string;
  /** The component inside (a type-only component describing the world). */
  readonly component: Component;
}

/** Core module section (id 1): one nested core module. */
export interface CoreModuleSection extends ComponentSectionBase {
  readonly kind: 'core-module';
  readonly module: Module;
}

/** Core instance section (id 2). */
export interface CoreInstanceSection extends ComponentSectionBase {
  readonly kind: 'core-instance';
  readonly instances: readonly CoreInstance[];
}

/** Core type section (id 3). */
export interface CoreTypeSection extends ComponentSectionBase {
  readonly kind: 'core-type';
  readonly types: readonly CoreTypeDef[];
}

/** Component section (id 4): one nested component. */
export interface NestedComponentSection extends ComponentSectionBase {
  readonly kind: 'nested-component';
  readonly component: Component;
}

/** Instance section (id 5). */
export interface InstanceSection extends ComponentSectionBase {
  readonly kind: 'instance';
  readonly instances: readonly Instance[];
}

/** Alias section (id 6). */
export interface AliasSection extends ComponentSectionBase {
  readonly kind: 'alias';
  readonly aliases: readonly Alias[];
}

/** Type section (id 7). */
export interface ComponentTypeSection extends ComponentSectionBase {
  readonly kind: 'type';
  readonly types: readonly TypeDef[];
}

/** Canon section (id 8). */
export interface CanonSection extends ComponentSectionBase {
  readonly kind: 'canon';
  readonly functions: readonly CanonicalFunction[];
}

/** Start section (id 9): `f:<funcidx> arg*:vec(<valueidx>) r:<u32>`. */
export interface ComponentStartSection extends ComponentSectionBase {
  readonly kind: 'start';
  readonly func: number;
  readonly args: readonly number[];
  /** Number of results (values appended to the value index space). */
  readonly results: number;
}

/** One import: `importname externdesc`. */
export interface ComponentImport {
  readonly name: ExternName;
  readonly desc: ExternDesc;
}

/** Import section (id 10). */
export interface ComponentImportSection extends ComponentSectionBase {
  readonly kind: 'import';
  readonly imports: readonly ComponentImport[];
}

/** One export: `exportname sortidx externdesc?`. */
export interface ComponentExport {
  readonly name: ExternName;
  readonly sort: Sort;
  readonly index: number;
  /** The optional ascribed type (binary `0x01 ed`; absent is `0x00`). */
  readonly desc?: ExternDesc;
}

/** Export section (id 11). */
export interface ComponentExportSection extends ComponentSectionBase {
  readonly kind: 'export';
  readonly exports: readonly ComponentExport[];
}

/**
 * One value definition: a value type and the value's encoded bytes
 * (`value ::= t:<valtype> len:<u32> v:<val(t)>`). The bytes are kept raw; a
 * consumer that needs the value decodes them by its type.
 */
export interface ComponentValue {
  readonly type: ComponentValType;
  readonly bytes: Uint8Array;
}

/**
 * Value section (id 12, the 🪙 value-imports feature). wasmparser 0.254 no
 * longer reads it, but the spec grammar has it, so it is decoded for tools
 * that meet older or experimental binaries.
 */
export interface ComponentValueSection extends ComponentSectionBase {
  readonly kind: 'value';
  readonly values: readonly ComponentValue[];
}

/** Any section of a component, in input order. */
export type ComponentSection =
  | ComponentCustomSection
  | ComponentNameCustomSection
  | ComponentTypeCustomSection
  | CoreModuleSection
  | CoreInstanceSection
  | CoreTypeSection
  | NestedComponentSection
  | InstanceSection
  | AliasSection
  | ComponentTypeSection
  | CanonSection
  | ComponentStartSection
  | ComponentImportSection
  | ComponentExportSection
  | ComponentValueSection;

/**
 * Section id of each component section node `kind` (`Binary.md#component-definitions`).
 * Keyed by AST kind, so a nested component is `nested-component` here (the
 * outline pass names the same id `component`).
 */
export const ComponentSectionKindId = {
  custom: 0,
  'core-module': 1,
  'core-instance': 2,
  'core-type': 3,
  'nested-component': 4,
  instance: 5,
  alias: 6,
  type: 7,
  canon: 8,
  start: 9,
  import: 10,
  export: 11,
  value: 12,
} as const;

/** A component: its sections in input order. The preamble is implied. */
export interface Component {
  readonly kind: 'component';
  readonly sections: readonly ComponentSection[];
}
