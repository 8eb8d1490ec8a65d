// One cold instantiation in a fresh process (no V8 code cache of an earlier compilation): prints the ms.
// Started by run.mjs: node cold.mjs COMPONENT_PATH JCO_DIR SIDE   (JCO_DIR: jco's output for that component,
// .cache/inst-NAME-{sync,async}/ without the suffix). Files are read and modules loaded before timing.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compile, instantiate, instantiateAsync } from '@wasm-components/runtime';
import { anyImports } from './stubs.mjs';

const [file, jcoDir, side] = process.argv.slice(2);
const bytes = new Uint8Array(readFileSync(file));
const core = (mode) => {
  const dir = `${jcoDir}-${mode}`;
  const files = Object.fromEntries(
    readdirSync(dir).filter((f) => f.endsWith('.wasm')).map((f) => [f, new Uint8Array(readFileSync(join(dir, f)))]),
  );
  const js = pathToFileURL(join(dir, readdirSync(dir).find((f) => f.endsWith('.js')))).href;
  return { files, js };
};
const sides = {
  'ours instantiateAsync(bytes)': () => instantiateAsync(bytes, anyImports),
  'ours compile+instantiate': () => instantiate(compile(bytes), anyImports),
  'jco import+instantiate (async)': () => {
    const { files, js } = core('async');
    return async () => (await import(js)).instantiate((p) => WebAssembly.compile(files[p]), anyImports);
  },
  'jco import+instantiate (sync)': () => {
    const { files, js } = core('sync');
    return async () => (await import(js)).instantiate((p) => new WebAssembly.Module(files[p]), anyImports);
  },
};
let fn = sides[side];
if (side.startsWith('jco')) fn = fn();
const t = performance.now();
await fn();
console.log(performance.now() - t);
