/**
 * Binary conformance: every component of the component-model reference suite
 * must decode and re-encode to the very same bytes, and every malformed binary
 * must be rejected with a typed DecodeError. Known failures that are outside a
 * binary codec's scope are listed, with a reason, in expectations/binary.json;
 * a listed case that starts passing fails the run, so the list stays true.
 */
import { existsSync } from 'node:fs';
import { parse, print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { type ModuleOccurrence, modulesOf, parseWast } from '@wasm-components/wast';
import { parseWithCancellable } from '../src/runner/cancellable.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Expectation,
  type Outcome,
  caseKind,
  loadExpectations,
  readSuiteFile,
  runCase,
  suiteDir,
  wasmparserVerdict,
  wastFiles,
} from './cases.js';

const present = existsSync(suiteDir);
const files = present ? wastFiles(suiteDir) : [];
const expectations = loadExpectations();
const expected = new Map<string, Expectation>(expectations.map((e) => [`${e.file}#${e.index}`, e]));
const seen = new Set<string>();

const tally = {
  passed: 0,
  failed: 0,
  expectedFailures: 0,
  malformedBinary: 0,
  malformedBinaryRejected: 0,
  malformedText: 0,
  malformedTextRejectedByParser: 0,
  malformedTextAccepted: 0,
  sameOffsetAsWasmparser: 0,
};
const offsetGaps: { key: string; ours: number; theirs: string }[] = [];
const lenient: { key: string; message: string }[] = [];
const failures: { key: string; cause: string; detail: string }[] = [];
const rejections: { key: string; detail: string }[] = [];
const verbose = process.env['CONFORMANCE_VERBOSE'] !== undefined;

function record(key: string, o: ModuleOccurrence, out: Outcome): void {
  const kind = caseKind(o);
  if (kind === 'malformed-binary') {
    tally.malformedBinary++;
    if (out.ok) tally.malformedBinaryRejected++;
  } else if (kind === 'malformed-text') {
    tally.malformedText++;
    if (out.ok && out.note === 'text-rejected') tally.malformedTextRejectedByParser++;
    if (out.ok && out.note === 'text-accepted-roundtrip') tally.malformedTextAccepted++;
  }
  if (out.ok && out.detail !== undefined) rejections.push({ key, detail: out.detail });
  if (out.ok) tally.passed++;
  else if (expected.has(key)) tally.expectedFailures++;
  else {
    tally.failed++;
    failures.push({ key, cause: out.cause, detail: out.detail });
  }
}

describe.skipIf(!present)('binary round trip of the component-model suite', () => {
  for (const file of files) {
    describe(file, () => {
      const script = parseWast(readSuiteFile(file), file);
      for (const o of modulesOf(script)) {
        const key = `${file}#${o.index}`;
        const exp = expected.get(key);
        const label = `#${o.index} line ${o.module.span.line}: ${o.directive.kind} ${o.module.kind} ${o.module.form}`;
        it(exp === undefined ? `should pass ${label}` : `should fail (expected) ${label}`, async () => {
          seen.add(key);
          // wasm-tools 0.254 dropped the `cancellable` immediate of spec 6d28164 (src/runner/cancellable.ts).
          const out = await runCase(o, (wat) => parseWithCancellable(wat, parse));
          record(key, o, out);
          if (out.ok && out.offset !== undefined && o.module.form === 'binary') {
            // Informational: does wasmparser's reader stop at the same byte?
            const v = await wasmparserVerdict(o.module.bytes, print);
            if (!v.accepted && v.offset === out.offset) tally.sameOffsetAsWasmparser++;
            else offsetGaps.push({ key, ours: out.offset, theirs: v.accepted ? 'accepted' : (v.offset?.toString() ?? v.message) });
          }
          if (out.ok && out.note === 'roundtrip' && o.module.form === 'binary') {
            // Informational: bytes decode accepts but wasmparser's reader rejects (decode is more lenient there).
            const v = await wasmparserVerdict(o.module.bytes, print);
            if (!v.accepted) lenient.push({ key, message: v.message });
          }
          if (exp !== undefined) {
            expect(out.ok, `listed in expectations/binary.json (${exp.reason}) but passed: remove the entry`).toBe(false);
            if (!out.ok && exp.cause !== undefined) {
              expect(out.cause, `expected to fail with ${exp.cause}: ${out.detail}`).toBe(exp.cause);
            }
          } else if (!out.ok) {
            expect.fail(`${out.cause}: ${out.detail}`);
          }
        });
      }
    });
  }

  it('should have no stale entries in expectations/binary.json', () => {
    // Runs after the file describes (vitest runs tests in definition order).
    const stale = expectations.filter((e) => !seen.has(`${e.file}#${e.index}`)).map((e) => `${e.file}#${e.index}`);
    expect(stale).toEqual([]);
  });

  afterAll(() => {
    const t = tally;
    console.log(`binary round trip: ${t.passed} passed, ${t.failed} failed, ${t.expectedFailures} expected failures`);
    console.log(
      `malformed: ${t.malformedBinaryRejected}/${t.malformedBinary} binary cases rejected by decode; ` +
        `${t.malformedText} text cases: ${t.malformedTextRejectedByParser} rejected by the text parser, ` +
        `${t.malformedTextAccepted} accepted by wasm-tools and round-tripped`,
    );
    console.log(`malformed binaries rejected at the same offset as wasmparser's reader (wasm-tools print): ${t.sameOffsetAsWasmparser}/${t.malformedBinaryRejected}`);
    console.log(`binary forms decode accepts but wasmparser's reader rejects: ${lenient.length}`);
    for (const l of lenient) console.log(`  ${l.key}: ${l.message}`);
    if (verbose) for (const g of offsetGaps) console.log(`  offset differs ${g.key}: decode ${g.ours}, wasmparser ${g.theirs}`);
    if (verbose) for (const r of rejections) console.log(`  rejected ${r.key}: ${r.detail}`);
    if (failures.length > 0) {
      const byCause = new Map<string, number>();
      for (const f of failures) byCause.set(f.cause, (byCause.get(f.cause) ?? 0) + 1);
      console.log(`failures by cause: ${[...byCause].map(([c, n]) => `${c} ${n}`).join(', ')}`);
      if (verbose) for (const f of failures) console.log(`  ${f.key} ${f.cause}: ${f.detail}`);
    }
  });
});
