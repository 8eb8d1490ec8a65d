#!/usr/bin/env node
// Rebuilds the two componentize-qjs fixtures in bin/ (qjs-text.wasm, qjs-later.wasm) from qjs/*.js and
// qjs/*.wit, and rewrites bin/SHA256SUMS:
//   node tools/fixtures-async/build-qjs.mjs
// Needs the npm package `componentize-qjs` (0.4.5; its prebuilt native binding comes as an optional
// dependency), a pinned dev dependency of this workspace; COMPONENTIZE_QJS=<dir of another copy> overrides it.
//
// Not byte-reproducible: the Wizer snapshot of QuickJS holds per-build random state (about 135 bytes
// differ between two builds of the same sources), so the checked-in files are the record (SHA256SUMS) and
// a rebuild gives equivalent, not identical, binaries.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeSums } from './sums.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const from = process.env.COMPONENTIZE_QJS;
const { componentize } = await import(from ? pathToFileURL(join(from, 'index.js')).href : 'componentize-qjs').catch((e) => {
  console.error(`componentize-qjs is not installed (${e.message}); see the comment at the top of build-qjs.mjs`);
  process.exit(1);
});

/** Every componentize-qjs fixture: bin/NAME.wasm from qjs/SOURCE.{wit,js}. */
export const QJS_FIXTURES = [
  { name: 'qjs-text', source: 'text' },
  { name: 'qjs-later', source: 'later' },
];

for (const { name, source } of QJS_FIXTURES) {
  const jsPath = join(here, 'qjs', `${source}.js`);
  const { component } = await componentize({
    witPath: join(here, 'qjs', `${source}.wit`),
    jsSource: readFileSync(jsPath, 'utf8'),
    jsPath,
    moduleRoot: join(here, 'qjs'),
    // WASI imports become trapping stubs: the fixtures need no WASI host (their JS uses none)
    stubWasi: true,
  });
  writeFileSync(join(here, 'bin', `${name}.wasm`), component);
  console.log(`${`${name}.wasm`.padEnd(15)} ${String(component.length).padStart(8)} bytes`);
}
writeSums(join(here, 'bin'));
