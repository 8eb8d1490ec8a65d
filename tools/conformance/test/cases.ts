/**
 * The cases of the binary conformance run, computed from the reference suite:
 * which module forms must round-trip exactly and which must be rejected, and
 * the outcome of running one through `@wasm-components/binary`.
 *
 * Kept apart from the test file so the test stays a thin, data-driven loop.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as binary from '@wasm-components/binary';
import type { ModuleOccurrence } from '@wasm-components/wast';

/** The reference suite (WebAssembly/component-model `test/`); override with COMPONENT_MODEL_TESTS. */
export const suiteDir: string =
  process.env['COMPONENT_MODEL_TESTS'] ?? fileURLToPath(new URL('../../../../shared/component-model/test/', import.meta.url));

/** Every `.wast` file under `dir`, as paths relative to it, sorted. */
export function wastFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.wast'))
    .map((f) => f.split('\\').join('/'))
    .sort();
}

/** One entry of `expectations/binary.json`: a case known to fail, and why that is out of the codec's scope. */
export interface Expectation {
  /** Suite file, relative to the suite's `test/` directory. */
  readonly file: string;
  /** The case's `index` (ordinal of the module form in the file, see `modulesOf`). */
  readonly index: number;
  /** If set, the case must fail with exactly this cause (so a change in how it fails is noticed). */
  readonly cause?: FailureCause;
  readonly reason: string;
}

/** Read the checked-in expectations. */
export function loadExpectations(): Expectation[] {
  const path = fileURLToPath(new URL('../expectations/binary.json', import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as Expectation[];
}

/** What is checked for a module form. */
export type CaseKind =
  /** Bytes (from the binary form, or wasm-tools for text) must decode, and re-encode to the same bytes. */
  | 'roundtrip'
  /** A `binary` form under `assert_malformed`: decode must throw a DecodeError. */
  | 'malformed-binary'
  /** A text/quote form under `assert_malformed`: if wasm-tools rejects it, not our concern; if not, round-trip its bytes. */
  | 'malformed-text';

/** The kind of check for an occurrence. */
export function caseKind(o: ModuleOccurrence): CaseKind {
  if (o.directive.kind !== 'assert_malformed') return 'roundtrip';
  return o.module.form === 'binary' ? 'malformed-binary' : 'malformed-text';
}

/** Why a case failed: the lead routes each cause to whoever owns that layer. */
export type FailureCause =
  | 'wat-parse' // wasm-tools could not turn the text into bytes
  | 'decode-error' // decode threw a DecodeError on bytes wasm-tools considers well-formed
  | 'decode-crash' // decode threw something other than a DecodeError
  | 'encode-error' // encode threw
  | 'mismatch' // encode(decode(bytes)) differs from bytes
  | 'accepted-malformed'; // a malformed binary decoded without error

/** The result of one case. */
export type Outcome =
  | {
      readonly ok: true;
      readonly note: 'roundtrip' | 'rejected' | 'text-rejected' | 'text-accepted-roundtrip';
      /** For rejections: the suite's expected message and the error we (or wasm-tools) gave. */
      readonly detail?: string;
      /** For binary rejections: the DecodeError's offset. */
      readonly offset?: number;
    }
  | { readonly ok: false; readonly cause: FailureCause; readonly detail: string };

/** The text parser: wasm-tools' `parse` through jco-transpile. */
export type WatParser = (wat: string) => Promise<Uint8Array>;

function describeError(e: unknown): string {
  const s = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return s.length > 300 ? `${s.slice(0, 300)}...` : s;
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Undefined when equal, else where and how two byte arrays differ. */
export function firstDifference(expected: Uint8Array, actual: Uint8Array): string | undefined {
  const n = Math.min(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] !== actual[i]) {
      return `first difference at byte ${hex(i)}: expected ${hex(expected[i]!)}, got ${hex(actual[i]!)} (lengths ${expected.length} / ${actual.length})`;
    }
  }
  if (expected.length !== actual.length) return `lengths differ: expected ${expected.length}, got ${actual.length} (common prefix equal)`;
  return undefined;
}

/** Decode then encode `bytes` with the given instruction mode; undefined when exact. */
function roundTrip(bytes: Uint8Array, instructions: boolean): Outcome | undefined {
  const mode = instructions ? ' (instructions: true)' : '';
  let node: binary.Binary;
  try {
    node = binary.decode(bytes, { instructions });
  } catch (e) {
    return binary.isDecodeError(e)
      ? { ok: false, cause: 'decode-error', detail: `${describeError(e)}${mode}` }
      : { ok: false, cause: 'decode-crash', detail: `${describeError(e)}${mode}` };
  }
  let out: Uint8Array;
  try {
    out = binary.encode(node);
  } catch (e) {
    return { ok: false, cause: 'encode-error', detail: `${describeError(e)}${mode}` };
  }
  const diff = firstDifference(bytes, out);
  return diff === undefined ? undefined : { ok: false, cause: 'mismatch', detail: `${diff}${mode}` };
}

/**
 * Run one case. Round trips are checked twice: with function bodies kept raw
 * (the default) and with `instructions: true`, so both the outline codec and
 * the instruction codec are held to exact bytes. Malformed binaries are
 * decoded with `instructions: true`, the strictest reading (a bad opcode is
 * only seen when bodies are decoded).
 */
export async function runCase(o: ModuleOccurrence, parseWat: WatParser): Promise<Outcome> {
  const kind = caseKind(o);
  const m = o.module;
  if (kind === 'malformed-binary') {
    if (m.form !== 'binary') throw new Error('unreachable: malformed-binary case without bytes');
    try {
      binary.decode(m.bytes, { instructions: true });
    } catch (e) {
      return binary.isDecodeError(e)
        ? { ok: true, note: 'rejected', detail: `suite: "${messageOf(o)}"; decode: ${describeError(e)}`, offset: e.offset }
        : { ok: false, cause: 'decode-crash', detail: describeError(e) };
    }
    return { ok: false, cause: 'accepted-malformed', detail: `decoded without error; the suite expects "${messageOf(o)}"` };
  }
  let bytes: Uint8Array;
  if (m.form === 'binary') bytes = m.bytes;
  else {
    try {
      bytes = await parseWat(m.wat);
    } catch (e) {
      if (kind === 'malformed-text') return { ok: true, note: 'text-rejected', detail: `suite: "${messageOf(o)}"; wasm-tools: ${describeError(e)}` };
      return { ok: false, cause: 'wat-parse', detail: describeError(e) };
    }
  }
  const failure = roundTrip(bytes, false) ?? roundTrip(bytes, true);
  if (failure !== undefined) return failure;
  return { ok: true, note: kind === 'malformed-text' ? 'text-accepted-roundtrip' : 'roundtrip' };
}

function messageOf(o: ModuleOccurrence): string {
  const d = o.directive;
  return 'message' in d ? d.message : '';
}

/** Read a suite file's text. */
export function readSuiteFile(file: string): string {
  return readFileSync(join(suiteDir, file), 'utf8');
}

/** A binary printer that throws on bytes it cannot read: wasm-tools' `print`, whose reader is wasmparser's. */
export type WasmPrinter = (bytes: Uint8Array) => Promise<string>;

/** What wasmparser's reader says about bytes: accepted, or rejected with a message and (usually) an offset. */
export type ReaderVerdict = { readonly accepted: true } | { readonly accepted: false; readonly message: string; readonly offset?: number };

/**
 * Run bytes through wasm-tools' `print` (which reads but does not validate),
 * to compare where wasmparser's reader stops with where `decode` does. A
 * differential check, informational only: the two may report one error at
 * different offsets (start of an item vs. the bad byte), but a large gap is
 * worth a look (the decoder may have rejected for another reason than the
 * suite meant).
 */
export async function wasmparserVerdict(bytes: Uint8Array, printWasm: WasmPrinter): Promise<ReaderVerdict> {
  try {
    await printWasm(bytes);
    return { accepted: true };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /\(at offset 0x([0-9a-f]+)\)/.exec(message);
    return m === null ? { accepted: false, message } : { accepted: false, message, offset: parseInt(m[1]!, 16) };
  }
}
