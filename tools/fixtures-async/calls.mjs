// Runs the described `calls` of the fixtures (index.mjs) through a component runtime's `instantiateAsync` and
// checks each result against its description, the way a JS host uses the async API of issue 6: stream<u8>
// arguments as async iterables of Uint8Array chunks, stream<string> as async iterables of strings, futures
// as Promises; stream results read with `for await` (stream<u8> must arrive as Uint8Array chunks), future
// results awaited.
//
// `runCall(instantiateAsync, fixture, call)`; run-calls.mjs is the command-line form (for Node 20).
import { readFileSync } from 'node:fs';
import { fixture, importsFor, patternBytes, patternChunks } from './index.mjs';

/** A described argument as a JS host passes it. */
export function toArg(a) {
  if (typeof a !== 'object') return a;
  if ('future' in a) return Promise.resolve(a.value);
  if (a.stream === 'u8') return patternChunks(a.length);
  return (async function* () {
    yield* a.items;
  })();
}

const same = (a, b) => a === b || (typeof a === typeof b && typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b));
const show = (v) => (typeof v === 'bigint' ? `${v}n` : JSON.stringify(v));

/** The chunks joined into one Uint8Array. */
export function concatBytes(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Why `got` does not match the description `want`, or undefined when it does. Streams are read to their
 * end; a stream<u8> must come as Uint8Array chunks.
 */
export async function mismatch(got, want) {
  if (typeof want !== 'object') return same(got, want) ? undefined : `got ${show(got)}, expected ${show(want)}`;
  if ('future' in want) {
    // A future is Promise-like, so when it is an async export's whole result the call's Promise adopts it:
    // awaiting the call already gives the future's value. Nested futures stay Promise-likes.
    const v = typeof got?.then === 'function' ? await got : got;
    return same(v, want.value) ? undefined : `future gave ${show(v)}, expected ${show(want.value)}`;
  }
  if (typeof got?.[Symbol.asyncIterator] !== 'function') return `expected an async iterable stream, got ${typeof got}`;
  const items = [];
  for await (const x of got) items.push(x);
  if (want.stream === 'string') return same(items, want.items) ? undefined : `stream gave ${show(items)}, expected ${show(want.items)}`;
  const notBytes = items.find((c) => !(c instanceof Uint8Array));
  if (notBytes !== undefined) return `stream<u8> chunk is not a Uint8Array: ${typeof notBytes}`;
  const bytes = concatBytes(items);
  const expected = patternBytes(want.length);
  if (bytes.length !== expected.length) return `stream gave ${bytes.length} bytes, expected ${expected.length}`;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== expected[i]) return `stream byte ${i} is ${bytes[i]}, expected ${expected[i]}`;
  return undefined;
}

/** The export a call names (`name` or `interface#name`, by its JS name). */
export function exportOf(exports, call) {
  const target = call.export.includes('#') ? exports[call.export.slice(0, call.export.indexOf('#'))] : exports;
  const fn = target?.[call.jsName];
  if (typeof fn !== 'function') throw new Error(`no export ${call.export} (${call.jsName})`);
  return fn;
}

/** Instantiates `f` with the call's imports, makes the call, checks the result: `{ ok, error? }`. */
export async function runCall(instantiateAsync, f, call) {
  try {
    const exports = await instantiateAsync(new Uint8Array(readFileSync(f.path)), importsFor(call.imports));
    const result = exportOf(exports, call)(...call.args.map(toArg));
    if (typeof result?.then !== 'function') return { ok: false, error: 'an async export must return a Promise' };
    const why = await mismatch(await result, call.result);
    return why === undefined ? { ok: true } : { ok: false, error: why };
  } catch (e) {
    return { ok: false, error: String(e?.stack ?? e) };
  }
}
