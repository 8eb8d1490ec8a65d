// The bench's named cases: real binaries from ~50 KB to ~12 MB. Fixtures come from tools/fixtures; the
// biggest core modules are ones that this repository's own dependencies ship in node_modules (found by
// package resolution, skipped if absent). Core modules nested in components are benched as their own
// cases, so the peers that cannot read components (@webassemblyjs/wasm-parser, WebAssembly.validate)
// run on exactly the same bytes.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixture, largeComponent, nestedCoreModules } from '../fixtures/index.mjs';
import { SUITE_PACK } from '../fuzz/corpus.mjs';
import { isInvalidInput, isMalformedInput } from '../fuzz/lib.mjs';
import { unpack } from '../fuzz/pack.mjs';

function fromPackage(specifier, relative) {
  try {
    const file = fileURLToPath(new URL(relative, import.meta.resolve(specifier)));
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

const read = (path) => new Uint8Array(readFileSync(path));

/**
 * @param {{ large: boolean }} options
 * @returns {Promise<{ name: string, kind: 'component' | 'module' | 'many', inputs: Uint8Array[], source: string }[]>}
 */
export async function loadCases({ large }) {
  const cases = [];
  const seen = new Set();
  // The same bytes are benched once (hello-p2's main core module is hello-p1, for one).
  const fresh = (bytes) => {
    const h = createHash('sha256').update(bytes).digest('hex');
    if (seen.has(h)) return false;
    seen.add(h);
    return true;
  };
  const component = (name, bytes, source) => {
    cases.push({ name, kind: 'component', inputs: [bytes], source });
    nestedCoreModules(bytes).forEach((m, i) => {
      if (m.length >= 50_000 && fresh(m)) cases.push({ name: `${name}#core${i}`, kind: 'module', inputs: [m.slice()], source: `core module ${i} nested in ${name}` });
    });
  };
  const module = (name, path, source) => {
    if (!path) return;
    const bytes = read(path);
    if (fresh(bytes)) cases.push({ name, kind: 'module', inputs: [bytes], source });
  };

  const suite = unpack(read(SUITE_PACK)).filter((e) => !isMalformedInput(e.name) && !isInvalidInput(e.name)).map((e) => e.bytes);
  cases.push({ name: 'suite-components', kind: 'many', inputs: suite, source: `all ${suite.length} valid reference-suite components (tools/fuzz/corpus), one after another` });
  module('wasi-adapter', fromPackage('@bytecodealliance/jco', '../lib/wasi_snapshot_preview1.command.wasm'), 'jco: wasi_snapshot_preview1.command.wasm (Rust)');
  module('hello-p1', fixture('hello-p1').path, 'fixture: C + wasi-libc, clang 14');
  component('hello-p2', read(fixture('hello-p2').path), 'fixture: WASI 0.2 command, wasm-component-ld');
  module('wasm-tools', fromPackage('@bytecodealliance/jco-transpile', '../vendor/wasm-tools.core.wasm'), 'jco-transpile: wasm-tools.core.wasm (Rust)');
  module('js-component-bindgen', fromPackage('@bytecodealliance/jco-transpile', '../vendor/js-component-bindgen-component.core.wasm'), 'jco-transpile: js-component-bindgen-component.core.wasm (Rust)');
  module('splicer', fromPackage('@bytecodealliance/componentize-js', '../lib/spidermonkey-embedding-splicer.core.wasm'), 'componentize-js: spidermonkey-embedding-splicer.core.wasm (Rust)');
  if (large) component('large', read(await largeComponent()), 'fixture: componentize-js 0.23.0 (StarlingMonkey, C++)');
  return cases;
}
