#!/usr/bin/env node
// Rebuilds the checked-in WASI 0.3-style fixtures in bin/ from src/ (see README.md), byte for byte:
//   node tools/fixtures-async/build.mjs          rebuild bin/*.wasm and bin/SHA256SUMS
//   node tools/fixtures-async/build.mjs --check  rebuild into a temporary directory and compare with bin/
// Needs Debian 12's clang-14 and lld-14 (CLANG, WASM_LD override the paths) and this repository's
// node_modules for wasm-tools 0.254 inside @bytecodealliance/jco-transpile (componentEmbed, componentNew,
// parse, print).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { componentEmbed, componentNew, parse, print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { readSums, sha256, writeSums } from './sums.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const src = join(here, 'src');
const check = process.argv.includes('--check');
const tmp = mkdtempSync(join(tmpdir(), 'fixtures-async-'));
const bin = check ? join(tmp, 'bin') : join(here, 'bin');
mkdirSync(bin, { recursive: true });
const CLANG = process.env.CLANG ?? 'clang-14';
const WASM_LD = process.env.WASM_LD ?? '/usr/bin/wasm-ld-14';
const wit = readFileSync(join(src, 'async-p3.wit'), 'utf8');

/** C source -> core module (freestanding, no libc, exports from export_name) -> component of `world`. */
async function cComponent(name, world) {
  const core = join(tmp, `${name}.core.wasm`);
  // -fdebug-prefix-map is not needed: no debug info is emitted at -O2 without -g
  execFileSync(CLANG, ['--target=wasm32-unknown-unknown', '-nostdlib', '-O2', '-Wall', '-Werror', '-Wl,--no-entry',
    `-fuse-ld=${WASM_LD}`, '-o', core, join(src, `${name}.c`)], { stdio: 'inherit' });
  const embedded = await componentEmbed({ binary: readFileSync(core), witSource: wit, world });
  return componentNew(embedded);
}

try {
  const out = {};
  out['callback.wasm'] = await cComponent('callback', 'callback');
  out['stackful.wasm'] = await cComponent('stackful', 'stackful');
  out['streams.wasm'] = await cComponent('streams', 'streams');
  out['pipe.wasm'] = await pipe(out['streams.wasm']);
  for (const [file, bytes] of Object.entries(out)) writeFileSync(join(bin, file), bytes);
  if (check) {
    const want = readSums(join(here, 'bin'));
    const bad = Object.entries(out).filter(([file, bytes]) => want.get(file) !== sha256(bytes));
    if (bad.length > 0) {
      console.error(`rebuilt fixtures differ from bin/SHA256SUMS: ${bad.map(([f]) => f).join(', ')}`);
      process.exitCode = 1;
    } else console.log(`rebuilt fixtures match bin/SHA256SUMS: ${Object.keys(out).join(', ')}`);
  } else {
    writeSums(bin); // also lists the componentize-qjs binaries (build-qjs.mjs), which are left as they are
    for (const [file, bytes] of Object.entries(out)) console.log(`${file.padEnd(14)} ${String(bytes.length).padStart(7)} bytes`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

/**
 * pipe.wasm: two instances of streams.wasm chained guest-to-guest. Instance `a` gets the outer
 * `upstream` import; instance `b` gets a's exported `source` as its `upstream`, so `b.pull(n)` reads the
 * stream<u8> that `a.produce(n)` writes, with no host code between them. Exports b's `pull` and a's
 * `source`. Written as component text around the printed streams component, then parsed by wasm-tools.
 */
async function pipe(streams) {
  const inner = (await print(streams)).trim();
  if (!inner.startsWith('(component')) throw new Error('unexpected print output');
  const named = `(component $streams${inner.slice('(component'.length)}`;
  const text = `(component
  (import "fixtures:async-p3/upstream" (instance $up
    (type $s (stream u8))
    (export "produce" (func async (param "n" u64) (result $s)))))
  ${named}
  (instance $a (instantiate $streams (with "fixtures:async-p3/upstream" (instance $up))))
  (instance $b (instantiate $streams (with "fixtures:async-p3/upstream" (instance $a "fixtures:async-p3/source"))))
  (export "pull" (func $b "pull"))
  (export "fixtures:async-p3/source" (instance $a "fixtures:async-p3/source"))
)`;
  return parse(text);
}
