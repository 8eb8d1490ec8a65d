/**
 * The component layer of `@wasm-components/binary`: the AST of component
 * binaries and the codecs of every section (`Binary.md`), re-exported in one
 * place so `src/index.ts` and tools import from here.
 *
 * @module
 */
export * from './ast.js';
export { COMPONENT_PREAMBLE, readComponent, readComponentPreamble, readComponentSection } from './decode.js';
export { writeComponent, writeComponentSection } from './encode.js';
export * from './canon.js';
export * from './instances.js';
export {
  COMPONENT_NAME_SECTION,
  ComponentNameSubsectionId,
  type ComponentNameSubsection,
  type ComponentNameSection,
  type ComponentNames,
  readComponentNameSection,
  writeComponentNameSection,
  readComponentNames,
} from './name-section.js';
export * from './component-type-section.js';
export * from './types.js';
export * from './externs.js';
export * from './alias.js';
