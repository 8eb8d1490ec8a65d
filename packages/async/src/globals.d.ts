// The part of the WebAssembly JS API (https://webassembly.github.io/spec/js-api/) this
// browser-neutral package uses: modules and instances for the small generated stack
// trampolines and shims (stack.ts), memories for copies. It exists in every supported
// engine (Node >= 20, browsers, Deno, Bun); declared here so the package needs no DOM or
// Node typings. JSPI (`Suspending`, `promising`) and `JSTag` are looked up at run time
// (jspi.ts, stack.ts), since older engines lack them.
// TextDecoder/TextEncoder: used by @wasm-components/canonical-abi, whose sources the test
// type check reads through `paths` (tsconfig.test.json).
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: ArrayBufferView | ArrayBufferLike): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare namespace WebAssembly {
  type ImportValue = Function | Memory | number | bigint | object;
  type ModuleImports = Record<string, ImportValue>;
  type Imports = Record<string, ModuleImports>;
  class Module {
    constructor(bytes: ArrayBufferView | ArrayBuffer);
  }
  class Instance {
    constructor(module: Module, imports?: Imports);
    readonly exports: Record<string, unknown>;
  }
  interface MemoryDescriptor {
    initial: number;
    maximum?: number;
    shared?: boolean;
  }
  class Memory {
    constructor(descriptor: MemoryDescriptor);
    readonly buffer: ArrayBuffer;
    grow(delta: number): number;
  }
  function validate(bytes: ArrayBufferView | ArrayBuffer): boolean;
}
