/**
 * Command line: run some of the suite's `.wast` files through the runtime
 * and print each directive's outcome, for working on one file at a time
 * (the vitest run in `test/wast-run.test.ts` runs them all and checks the
 * expectations file).
 *
 * ```sh
 * npm run wast -w @wasm-components/conformance -- async/deadlock.wast     # failures only
 * npm run wast -w @wasm-components/conformance -- -v 'async/trap-if-.*'   # every directive
 * ```
 *
 * Arguments are regular expressions matched against `folder/file.wast`.
 * Runs on the packages' sources (vite-node with this folder's vitest
 * config), so no build is needed.
 *
 * @module
 */
import { parseWast } from '@wasm-components/wast';
import { readSuite, runScript, suiteFiles } from '../runner/index.js';
import { runtimeEngine } from '../runner/runtime-engine.js';

const args = process.argv.slice(2);
const verbose = args.includes('-v');
const patterns = args.filter((a) => a !== '-v' && a !== '--').map((a) => new RegExp(a));
const files = suiteFiles().filter((f) => patterns.length === 0 || patterns.some((p) => p.test(f)));
const engine = runtimeEngine();
let passed = 0;
let failed = 0;
for (const file of files) {
  const outcomes = await runScript(parseWast(readSuite(file), file), engine, {
    onOutcome(o) {
      if (o.ok && verbose) console.log(`  ok   ${file}:${o.line} ${o.kind}`);
      if (!o.ok) console.log(`  FAIL ${file}:${o.line} ${o.kind}: ${o.cause}: ${process.env['WAST_STACK'] ? (o.detail ?? '') : (o.detail ?? '').slice(0, 400)}`);
    },
  });
  const p = outcomes.filter((o) => o.ok).length;
  passed += p;
  failed += outcomes.length - p;
  console.log(`${file}: ${p} passed, ${outcomes.length - p} failed`);
}
console.log(`total: ${passed} passed, ${failed} failed`);
// Threads left waiting by a failed directive must not keep the process alive.
process.exit(0);
