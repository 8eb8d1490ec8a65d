/** Test helper: WAT text to component bytes through wasm-tools (jco-transpile). */
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';

/** Parses a component in WAT. */
export async function wat(text: string): Promise<Uint8Array> {
  return (await parse(text)) as Uint8Array;
}
