/** A `stream<u8>` argument or result: `length` pattern bytes (byte i is `i & 0xff`). */
export interface ByteStreamSpec {
  readonly stream: 'u8';
  readonly length: number;
}
/** A `stream<string>` argument or result: exactly these items, in order. */
export interface StringStreamSpec {
  readonly stream: 'string';
  readonly items: readonly string[];
}
/** A `future<T>` argument or result and its value. */
export interface FutureSpec {
  readonly future: 'u32' | 'string';
  readonly value: number | string;
}
export type StreamSpec = ByteStreamSpec | StringStreamSpec;
/** A value of a call: plain, or a stream or future described by its contents. */
export type CallValue = string | number | bigint | StreamSpec | FutureSpec;

/** One call to make on a fixture and what it must give back. */
export interface FixtureCall {
  /** The component-level export name (`name` or `interface#name`). */
  readonly export: string;
  /** Its camelCase JS name (on the interface object for `interface#name`). */
  readonly jsName: string;
  /** Arguments; a byte stream means "pass patternChunks(length)", a string stream "an async iterable of the items",
   * a future "a promise of the value". */
  readonly args: readonly CallValue[];
  /** Which import set to instantiate with: {@link importsFor}(imports). */
  readonly imports: 'host' | 'upstream' | 'qjs-text' | 'none';
  /** The awaited result; a stream or future spec means "one that yields exactly that". */
  readonly result: CallValue;
  /** What the call exercises. */
  readonly what: string;
}

/** One checked-in WASI 0.3-style component (see tools/fixtures-async/README.md). */
export interface AsyncFixture {
  readonly name: string;
  /** Absolute path of bin/NAME.wasm. */
  readonly path: string;
  /** The world of src/async-p3.wit it targets. */
  readonly world: string;
  /** Where it comes from, relative to tools/fixtures-async. */
  readonly source: string;
  /** The toolchain: our C build (build.mjs, byte-reproducible) or componentize-qjs (build-qjs.mjs, not). */
  readonly builtBy: 'clang' | 'componentize-qjs';
  /** How its async exports are lifted. */
  readonly lift: 'callback' | 'stackful';
  /** True when running it needs stack switching (JSPI in JS engines). */
  readonly needsStackSwitching: boolean;
  readonly description: string;
  /** Imported instances and whether each of their functions is `async`-typed. */
  readonly imports: Readonly<Record<string, Readonly<Record<string, 'async' | 'sync'>>>>;
  /** Exported functions (`async`-typed or not) and instances (their functions). */
  readonly exports: Readonly<Record<string, 'async' | 'sync' | Readonly<Record<string, 'async' | 'sync'>>>>;
  readonly calls: readonly FixtureCall[];
}

export declare const fixtures: readonly AsyncFixture[];
export declare function fixture(name: string): AsyncFixture;
/** Path of src/async-p3.wit. */
export declare const WIT_PATH: string;
export declare function patternByte(i: number): number;
export declare function patternBytes(n: number, from?: number): Uint8Array;
export declare function patternChunks(n: number, chunk?: number): AsyncIterable<Uint8Array>;
export declare function hostImports(): {
  imports: Record<string, Record<string, (...args: any[]) => Promise<unknown>>>;
  calls: number[];
};
export declare function importsFor(which: FixtureCall['imports']): Record<string, Record<string, (...args: any[]) => unknown>>;
export declare function upstreamImports(): Record<string, Record<string, (n: bigint) => Promise<AsyncIterable<Uint8Array>>>>;
