/**
 * Core WebAssembly modules: the typed AST, the decoder and the encoder,
 * the `name` section, and the value/reference/heap types shared with the
 * instruction and component codecs.
 *
 * @module
 */
export * from './types.js';
export * from './ast.js';
export * from './decode.js';
export * from './encode.js';
export * from './names.js';
