// The jco side: transpile the bench component with @bytecodealliance/jco-transpile, write the files to
// .cache/ (ignored by git), import the generated bindings and instantiate them, capturing the core instance
// (through the `instantiateCore` argument) so the other sides can run on the very same instance.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transpileBytes } from '@bytecodealliance/jco-transpile';

export const CACHE = fileURLToPath(new URL('./.cache/', import.meta.url));

/** Transpiles the component with jco into .cache/, imports the bindings, instantiates; returns the api and the core exports. */
export async function buildJco(bytes) {
  const { files } = await transpileBytes(bytes, { name: 'bench', instantiation: 'sync', emitTypescriptDeclarations: false });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(join(CACHE, '.gitignore'), '*\n');
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(join(CACHE, name, '..'), { recursive: true });
    writeFileSync(join(CACHE, name), data);
  }
  const mod = await import(pathToFileURL(join(CACHE, 'bench.js')).href);
  let core;
  const root = mod.instantiate(
    (path) => new WebAssembly.Module(readFileSync(join(CACHE, path))),
    {},
    (module, imports) => {
      const instance = new WebAssembly.Instance(module, imports);
      if (instance.exports.memory && instance.exports['give-bytes']) core = instance.exports;
      return instance;
    },
  );
  if (!core) throw new Error('jco did not instantiate the bench core module through instantiateCore');
  return { api: root.api, core };
}

