import type { AsyncFixture, CallValue, FixtureCall } from './index.d.mts';

/** The chunks joined into one Uint8Array. */
export declare function concatBytes(chunks: readonly Uint8Array[]): Uint8Array;
/** A described argument as a JS host passes it (async iterables for streams, a Promise for a future). */
export declare function toArg(a: CallValue): unknown;
/** Why `got` does not match the description `want`, or undefined when it does (streams are read to their end). */
export declare function mismatch(got: unknown, want: CallValue): Promise<string | undefined>;
/** The function a call names on an exports object (`name` or `interface#name`, by its JS name). */
export declare function exportOf(exports: unknown, call: FixtureCall): (...args: unknown[]) => unknown;
/** Instantiates the fixture with the call's imports, makes the call and checks the result. */
export declare function runCall(
  instantiateAsync: (bytes: Uint8Array, imports: never) => Promise<unknown>,
  f: AsyncFixture,
  call: FixtureCall,
): Promise<{ ok: boolean; error?: string }>;
