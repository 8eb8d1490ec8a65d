export * from './errors.js';
export { Reader, type Padding, type PaddingMark } from './reader.js';
export { Writer, type LengthMark, type WriterPaddingMark } from './writer.js';
export { type DecodeOptions, type ResolvedDecodeOptions, defaultDecodeOptions, resolveDecodeOptions } from './options.js';
