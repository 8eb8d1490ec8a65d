// The fuzzer's inputs: the checked-in fixtures (tools/fixtures/bin), the core modules nested in them,
// the Component Model reference suite's components (corpus/suite.pack, made by make-corpus.mjs) and
// hand-made inputs at the nesting limits (craftedInputs in lib.mjs).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixtures, largeComponent, nestedCoreModules } from '../fixtures/index.mjs';
import { craftedInputs } from './lib.mjs';
import { unpack } from './pack.mjs';

export const SUITE_PACK = fileURLToPath(new URL('./corpus/suite.pack', import.meta.url));

export async function loadCorpus({ large = false } = {}) {
  const out = [];
  const add = (name, bytes) => {
    out.push({ name, bytes });
    if (bytes[6] === 1) {
      nestedCoreModules(bytes).forEach((m, i) => out.push({ name: `${name}#core${i}`, bytes: m.slice() }));
    }
  };
  for (const f of fixtures) add(`fixtures/${f.name}`, new Uint8Array(readFileSync(f.path)));
  if (large) add('fixtures/large', new Uint8Array(readFileSync(await largeComponent())));
  const seen = new Set();
  for (const { name, bytes } of unpack(new Uint8Array(readFileSync(SUITE_PACK)))) {
    out.push({ name: `suite/${name}`, bytes });
    if (name.includes('.malformed.')) continue;
    // The distinct core modules inside the suite's components are inputs too: mutants of bare core
    // modules reach the core decoder (and the WebAssembly.validate oracle in lib.mjs) directly.
    let cores = [];
    try {
      cores = nestedCoreModules(bytes);
    } catch {
      continue;
    }
    cores.forEach((m, i) => {
      const key = Array.from(m).join(',');
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ name: `suite/${name}#core${i}`, bytes: m.slice() });
    });
  }
  out.push(...craftedInputs());
  return out;
}
