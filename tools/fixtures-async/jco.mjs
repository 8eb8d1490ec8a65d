// Loads a fixture through jco (@bytecodealliance/jco-transpile), the reference JS host for component-model
// async, for the fixtures' own behaviour checks and for tools/bench/async. jco maps every async import and
// export through JSPI (`asyncMode: 'jspi'`), so this needs an engine with WebAssembly.Suspending (Node >= 24).
// Transpiled output goes to .cache/jco-NAME/ (gitignored) and is reused within a process.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';
import { fixture } from './index.mjs';

const CACHE = fileURLToPath(new URL('./.cache/', import.meta.url));
const loaded = new Map();
let fresh = 0;

/** The asyncImports/asyncExports lists jco wants: every `async`-typed function of the fixture. */
function asyncNames(f) {
  const list = (externs) =>
    Object.entries(externs).flatMap(([name, v]) =>
      typeof v === 'string' ? (v === 'async' ? [name] : []) : Object.entries(v).filter(([, k]) => k === 'async').map(([fn]) => `${name}#${fn}`),
    );
  return { asyncImports: list(f.imports), asyncExports: list(f.exports) };
}

/**
 * Transpiles fixture `name` with jco (once per process) and returns `instantiate(imports)`, which imports a
 * fresh copy of the generated module and instantiates it (async instantiation mode).
 * @param {string} name
 * @returns {Promise<{ dir: string, jsBytes: number, instantiate: (imports: object) => Promise<any> }>}
 */
export async function loadJco(name) {
  const hit = loaded.get(name);
  if (hit) return hit;
  const f = fixture(name);
  const { files } = await transpileBytes(new Uint8Array(readFileSync(f.path)), {
    name,
    instantiation: 'async',
    asyncMode: 'jspi',
    ...asyncNames(f),
    emitTypescriptDeclarations: false,
  });
  const dir = join(CACHE, `jco-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(CACHE, '.gitignore'), '*\n');
  const cores = {};
  let jsBytes = 0;
  for (const [file, data] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), data);
    if (file.endsWith('.wasm')) cores[file] = new WebAssembly.Module(data);
    if (file.endsWith('.js')) jsBytes += data.length;
  }
  const url = pathToFileURL(join(dir, `${name}.js`)).href;
  const out = {
    dir,
    jsBytes,
    async instantiate(imports) {
      const mod = await import(`${url}?fresh=${++fresh}`);
      return mod.instantiate((p) => cores[p], imports);
    },
  };
  loaded.set(name, out);
  return out;
}
