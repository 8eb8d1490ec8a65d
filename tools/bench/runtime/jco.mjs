// The jco side: transpile a component with @bytecodealliance/jco-transpile into .cache/NAME-MODE/ (ignored by
// git) and return how to load it, the same approach as ../canonical-abi/jco.mjs.
//   mode 'sync':  bindings exporting instantiate(getCoreModule, imports, instantiateCore?) (sync)
//   mode 'async': the same, async
//   mode 'esm':   jco's default output: an ES module that reads, compiles and instantiates its core
//                 modules itself (top-level await) when imported
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';

export const CACHE = fileURLToPath(new URL('./.cache/', import.meta.url));

let fresh = 0;

/** Transpiles `bytes` with jco in `mode`; returns { dir, url, coreFiles, importFresh() }. */
export async function transpile(bytes, name, mode) {
  const opts = { name, emitTypescriptDeclarations: false };
  if (mode !== 'esm') opts.instantiation = mode;
  const { files } = await transpileBytes(bytes, opts);
  const dir = join(CACHE, `${name}-${mode}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(CACHE, '.gitignore'), '*\n');
  const coreFiles = {};
  let jsBytes = 0;
  for (const [file, data] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), data);
    if (file.endsWith('.wasm')) coreFiles[file] = new Uint8Array(readFileSync(join(dir, file)));
    if (file.endsWith('.js')) jsBytes += data.length;
  }
  const url = pathToFileURL(join(dir, `${name}.js`)).href;
  return {
    dir,
    url,
    coreFiles,
    jsBytes,
    /** Imports the generated module as a new module record (a query string defeats the ESM cache). */
    importFresh: () => import(`${url}?fresh=${++fresh}`),
  };
}
