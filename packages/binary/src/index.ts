/**
 * `@wasm-components/binary`: decode and encode WebAssembly component and
 * core-module binaries, byte-exact, with a typed AST.
 *
 * Start with {@link decode}, {@link encode}, {@link sections} and {@link walk};
 * the section-level readers and writers are exported for tools that build or
 * patch binaries piece by piece.
 *
 * @module
 */
export * from './errors.js';
export { Reader, type Padding, type PaddingMark } from './reader.js';
export { Writer, type LengthMark, type WriterPaddingMark } from './writer.js';
export { type DecodeOptions, type ResolvedDecodeOptions, defaultDecodeOptions, resolveDecodeOptions } from './options.js';
export { type Binary, decode, decodeComponent, decodeModule, encode } from './api.js';
export {
  ComponentSectionId,
  ModuleSectionId,
  type Outline,
  type OutlineSection,
  sections,
} from './outline.js';
export { COMPONENT_VERSION, CORE_VERSION, Layer, type LayerName, MAGIC, type Preamble, readPreamble } from './preamble.js';
export { modules, type Visitor, type WalkPath, walk } from './walk.js';
export * from './core/index.js';
export * from './core/instructions/index.js';
export * from './component/index.js';
