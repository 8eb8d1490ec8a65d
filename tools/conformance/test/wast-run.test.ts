/**
 * The component-model suite run through `@wasm-components/runtime`: every
 * directive of binary/, values/, resources/, validation/, linking/ and
 * async/ is executed (a directive gets DIRECTIVE_TIMEOUT_MS, so an async call
 * that never settles fails alone); failures must be listed in expectations/wast.json with
 * a reason, and a listed directive that passes fails the run, so the list
 * stays true. `UPDATE_EXPECTATIONS=1` rewrites the list instead of checking it.
 */
import { existsSync } from 'node:fs';
import { parseWast } from '@wasm-components/wast';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type DirectiveOutcome,
  EXPECTATIONS_PATH,
  ExpectationIndex,
  type FileVerdict,
  FOLDERS,
  SUITE_DIR,
  deriveReason,
  judgeFile,
  loadExpectations,
  readSuite,
  runScript,
  staleFiles,
  suiteFiles,
  updateExpectations,
  updateRequested,
} from '../src/runner/index.js';
import { runtimeEngine } from '../src/runner/runtime-engine.js';

const present = existsSync(SUITE_DIR);
const files = present ? suiteFiles() : [];
const update = updateRequested();
const index = new ExpectationIndex(loadExpectations(EXPECTATIONS_PATH));
const engine = runtimeEngine();
const results = new Map<string, DirectiveOutcome[]>();
const verdicts = new Map<string, FileVerdict>();
const verbose = process.env['CONFORMANCE_VERBOSE'] !== undefined;

describe.skipIf(!present)('the component-model suite through @wasm-components/runtime', () => {
  for (const file of files) {
    const label = index.files.has(file) ? `${file} (listed: ${index.files.get(file)!.reason})` : file;
    it(`should run ${label} with only listed failures`, async () => {
      const script = parseWast(readSuite(file), file);
      const outcomes = await runScript(script, engine);
      results.set(file, outcomes);
      const v = judgeFile(file, outcomes, index);
      verdicts.set(file, v);
      if (!update) expect(v.problems).toEqual([]);
    });
  }

  it('should have no entries for files that were not run', () => {
    if (!update) expect(staleFiles(index, new Set(files))).toEqual([]);
  });

  afterAll(() => {
    const lines: string[] = [];
    const total = { passed: 0, failed: 0, expected: 0 };
    const folders = new Map<string, { passed: number; failed: number; expected: number }>();
    const notes = new Map<string, number>();
    for (const file of files) {
      const v = verdicts.get(file);
      if (v === undefined) continue;
      lines.push(`${file}: ${v.passed} passed, ${v.failed + v.expected} failed${v.expected > 0 ? ` (${v.expected} expected)` : ''}`);
      total.passed += v.passed;
      total.failed += v.failed;
      total.expected += v.expected;
      const folder = file.slice(0, file.indexOf('/'));
      const f = folders.get(folder) ?? { passed: 0, failed: 0, expected: 0 };
      f.passed += v.passed;
      f.failed += v.failed;
      f.expected += v.expected;
      folders.set(folder, f);
      for (const o of results.get(file) ?? []) {
        if (o.note !== undefined) notes.set(o.note, (notes.get(o.note) ?? 0) + 1);
        if (o.messageMatches !== undefined) notes.set(`${o.note}-${o.messageMatches}`, (notes.get(`${o.note}-${o.messageMatches}`) ?? 0) + 1);
      }
    }
    for (const folder of FOLDERS) {
      const f = folders.get(folder);
      if (f !== undefined) lines.push(`${folder}/: ${f.passed} passed, ${f.failed} failed, ${f.expected} expected failures`);
    }
    lines.push(
      `rejections (assert_invalid/assert_malformed passed): ${notes.get('validation-rejected') ?? 0} by the validator, ` +
        `${notes.get('decode-rejected') ?? 0} by decode, ${notes.get('text-rejected') ?? 0} by the text parser (wasm-tools); ` +
        `messages containing the suite's text: validator ${notes.get('validation-rejected-true') ?? 0}/${notes.get('validation-rejected') ?? 0}, ` +
        `decode ${notes.get('decode-rejected-true') ?? 0}/${notes.get('decode-rejected') ?? 0} (informational)`,
    );
    const causes = new Map<string, number>();
    const byCause = new Map<string, number>();
    for (const [file, outcomes] of results) {
      if (file.startsWith('async/')) continue;
      for (const o of outcomes) {
        if (o.ok) continue;
        // The list's reason where it has one (curated), else the derived one.
        const reason = index.lines.get(file)?.get(o.line)?.reason ?? deriveReason(o);
        causes.set(reason, (causes.get(reason) ?? 0) + 1);
        byCause.set(o.cause!, (byCause.get(o.cause!) ?? 0) + 1);
      }
    }
    if (byCause.size > 0) {
      lines.push(`failures by cause (outside async/): ${[...byCause].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    }
    const top = [...causes].sort((a, b) => b[1] - a[1]).slice(0, verbose ? 100 : 12);
    if (top.length > 0) lines.push('top failure causes (outside async/):', ...top.map(([r, n]) => `  ${n}  ${r}`));
    if (verbose) {
      for (const [file, outcomes] of results) {
        for (const o of outcomes) if (!o.ok) lines.push(`  ${file}:${o.line} ${o.kind} ${o.cause}: ${o.detail}`);
      }
    }
    lines.push(`wast: ${total.passed} passed, ${total.failed} failed, ${total.expected} expected failures`);
    if (update && results.size === files.length) {
      const next = updateExpectations(results);
      lines.push(`wrote ${EXPECTATIONS_PATH}: ${next.files.length} file entries, ${next.directives.length} directive groups`);
    }
    console.log(lines.join('\n'));
  });
});
