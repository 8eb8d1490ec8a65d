#!/usr/bin/env node
// `npm start`: decode a real component and print its structure: sections,
// imports, exports, nested core modules and their sizes; then instantiate the
// bundled import-free component (tools/fixtures/bin/pure.wasm) with
// @wasm-components/runtime and call its exports.
// Usage: node tools/example/outline.mjs [file.wasm]   (default: the WASI 0.2 command fixture)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, encode, sections, walk, isDecodeError } from '@wasm-components/binary';
import { instantiate } from '@wasm-components/runtime';

const file = process.argv[2] ?? fileURLToPath(new URL('../fixtures/bin/hello-p2.wasm', import.meta.url));
const bytes = new Uint8Array(readFileSync(file));
const kb = (n) => (n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

let outline;
let ast;
try {
  outline = sections(bytes);
  ast = decode(bytes);
} catch (e) {
  if (isDecodeError(e)) {
    console.error(`${file}: not a well-formed binary: ${e.message}`);
    process.exit(1);
  }
  throw e;
}

console.log(`${file}`);
console.log(`  ${outline.kind}, ${kb(bytes.length)}, round trip ${sameBytes(encode(ast), bytes) ? 'byte-exact' : 'DIFFERS'}`);

console.log('\nSections');
printSections(outline, '  ');

if (ast.kind === 'component') {
  const imports = ast.sections.flatMap((s) => (s.kind === 'import' ? s.imports : []));
  const exports = ast.sections.flatMap((s) => (s.kind === 'export' ? s.exports : []));
  console.log(`\nImports (${imports.length})`);
  for (const i of imports) console.log(`  ${i.desc.kind.padEnd(9)} ${i.name.name}`);
  console.log(`\nExports (${exports.length})`);
  for (const e of exports) console.log(`  ${e.sort.padEnd(9)} ${e.name.name}`);
}

console.log('\nCore modules');
walk(ast, {
  module(m, path) {
    const count = (kind, field) => m.sections.filter((s) => s.kind === kind).reduce((n, s) => n + s[field].length, 0);
    const at = locate(outline, path);
    console.log(
      `  [${path.join('/') || 'root'}] ${kb(at?.size ?? bytes.length).padStart(10)}  ` +
        `${count('function', 'types')} functions, ${count('import', 'imports')} imports, ${count('export', 'exports')} exports`,
    );
  },
});

// Run a component: pure.wasm needs no imports (the WASI command above would need a WASI host).
const purePath = fileURLToPath(new URL('../fixtures/bin/pure.wasm', import.meta.url));
const pure = instantiate(new Uint8Array(readFileSync(purePath)), {});
console.log(`\nRun ${purePath} with @wasm-components/runtime`);
console.log(`  exports: ${Object.keys(pure).join(', ')}`);
console.log(`  add(2, 3) = ${pure.add(2, 3)}`);
console.log(`  greet("npm start") = ${JSON.stringify(pure.greet('npm start'))}`);

function printSections(o, indent) {
  for (const s of o.sections) {
    const label = s.name === 'custom' ? `custom "${s.customName}"` : s.name;
    const count = s.count === undefined ? '' : `  ${s.count} item${s.count === 1 ? '' : 's'}`;
    console.log(`${indent}${label.padEnd(28)} ${kb(s.size).padStart(10)}  @${s.offset}${count}`);
    if (s.nested) printSections(s.nested, indent + '    ');
  }
}

function locate(o, path) {
  let cur = { size: o.size, nested: o };
  for (const i of path) cur = cur.nested?.sections[i];
  return cur;
}

function sameBytes(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
