// Builds corpus/: the components of the Component Model reference suite (shared/component-model/test,
// beside this repository) as binaries, via wasm-tools 0.254's `parse` from @bytecodealliance/jco-transpile.
// Includes the components of `assert_invalid` and `assert_malformed` (marked in their names) and skips
// `quote` forms. The output (corpus/suite.pack, see pack.mjs, and a readable
// corpus/INDEX) is checked in so the fuzzer and its CI test need neither the suite nor the text parser.
// Usage: node tools/fuzz/make-corpus.mjs [SUITE_DIR]
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pack } from './pack.mjs';

const suite = process.argv[2] ?? fileURLToPath(new URL('../../../shared/component-model/test/', import.meta.url));
const out = fileURLToPath(new URL('./corpus/', import.meta.url));

function* wastFiles(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* wastFiles(p);
    else if (name.endsWith('.wast')) yield p;
  }
}

/**
 * Yields every `(component ...)` form that is not inside another one, with the head of the top-level
 * command around it (`assert_malformed`, `assert_invalid`, or `component` itself).
 */
function* components(text) {
  let command = '';
  let i = 0;
  const n = text.length;
  const stack = []; // start offsets of open forms that are components
  let depthInComponent = 0;
  while (i < n) {
    const c = text[i];
    if (c === ';' && text[i + 1] === ';') {
      while (i < n && text[i] !== '\n') i++;
    } else if (c === '(' && text[i + 1] === ';') {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text[i] === '(' && text[i + 1] === ';') { depth++; i += 2; }
        else if (text[i] === ';' && text[i + 1] === ')') { depth--; i += 2; }
        else i++;
      }
    } else if (c === '"') {
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      if (stack.length === 0) command = /^\(\s*([A-Za-z_]+)/.exec(text.slice(i, i + 40))?.[1] ?? '';
      const head = /^\(\s*component\b/.exec(text.slice(i, i + 32));
      stack.push(head ? i : -1);
      if (head) depthInComponent++;
      i++;
    } else if (c === ')') {
      const start = stack.pop();
      i++;
      if (start !== undefined && start >= 0) {
        depthInComponent--;
        if (depthInComponent === 0) yield { form: text.slice(start, i), command };
      }
    } else i++;
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const seen = new Set();
let tried = 0;
let failed = 0;
const index = [];
const entries = [];
for (const file of wastFiles(suite)) {
  let k = 0;
  for (let { form, command } of components(readFileSync(file, 'utf8'))) {
    if (/^\(\s*component\s+(quote|instance)\b/.test(form)) continue;
    form = form.replace(/^\(\s*component\s+definition\b/, '(component');
    tried++;
    let bytes;
    try {
      bytes = await parse(form);
    } catch {
      failed++;
      continue;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    // Inputs the suite asserts to be malformed are kept (good mutation seeds) but marked, since a decoder
    // must reject them; so are invalid ones, which a decoder may accept or reject (some "invalid" cases
    // are caught by wasmparser's reader, e.g. a nested core module type).
    const tag = command === 'assert_malformed' ? '.malformed' : command === 'assert_invalid' ? '.invalid' : '';
    const name = `${relative(suite, file).replace(/\.wast$/, '').replace(/[\\/]/g, '__')}.${k++}${tag}.wasm`;
    entries.push({ name, bytes });
    index.push(`${name} ${bytes.length} ${hash.slice(0, 16)}`);
  }
}
writeFileSync(join(out, 'suite.pack'), pack(entries));
writeFileSync(join(out, 'INDEX'), `# name size sha256-prefix (made by make-corpus.mjs)\n${index.join('\n')}\n`);
console.log(`${index.length} unique components from ${tried} forms (${failed} not parsed) in corpus/suite.pack`);
