/** Minimal typing of `@webassemblyjs/wasm-parser`, which ships none. */
declare module '@webassemblyjs/wasm-parser' {
  export function decode(buffer: ArrayBuffer | Uint8Array, options?: Record<string, unknown>): unknown;
}
