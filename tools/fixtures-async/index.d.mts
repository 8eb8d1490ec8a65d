/** A `stream<u8>` argument or result: `length` pattern bytes (byte i is `i & 0xff`). */
export interface StreamSpec {
  readonly stream: 'u8';
  readonly length: number;
}

/** One call to make on a fixture and what it must give back. */
export interface FixtureCall {
  /** The component-level export name (`name` or `interface#name`). */
  readonly export: string;
  /** Its camelCase JS name (on the interface object for `interface#name`). */
  readonly jsName: string;
  /** Arguments; a {@link StreamSpec} means "pass patternChunks(length)". */
  readonly args: readonly (number | bigint | StreamSpec)[];
  /** Which import set to instantiate with: hostImports() or upstreamImports(). */
  readonly imports: 'host' | 'upstream';
  /** The awaited result; a {@link StreamSpec} means "a stream that yields exactly those bytes". */
  readonly result: string | number | bigint | StreamSpec;
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
  /** How its async exports are lifted. */
  readonly lift: 'callback' | 'stackful';
  /** True when running it needs stack switching (JSPI in JS engines). */
  readonly needsStackSwitching: boolean;
  readonly description: string;
  /** Imported instances and their functions. */
  readonly imports: Readonly<Record<string, readonly string[]>>;
  /** Exported functions ('func') and instances (their functions). */
  readonly exports: Readonly<Record<string, 'func' | readonly string[]>>;
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
export declare function upstreamImports(): Record<string, Record<string, (n: bigint) => Promise<AsyncIterable<Uint8Array>>>>;
