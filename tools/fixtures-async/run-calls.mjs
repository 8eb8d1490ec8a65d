#!/usr/bin/env node
// Runs every described call of the named fixtures through a runtime and prints one JSON line:
// [{ fixture, export, ok, error? }]; exits 0 (the caller judges). For engines without JSPI: Node 20 runs the
// callback-lifted fixtures this way (packages/runtime/src/instantiate/async-host.test.ts spawns it).
//   node run-calls.mjs [--runtime <module or path>] <fixture name>...
// The runtime defaults to '@wasm-components/runtime' (its built dist); to run the TypeScript sources on any
// Node, go through vite-node with the runtime's config (its aliases point at the sibling packages' sources):
//   node node_modules/vite-node/vite-node.mjs --config packages/runtime/vitest.config.ts \
//     tools/fixtures-async/run-calls.mjs -- --runtime $PWD/packages/runtime/src/index.ts callback streams pipe
import { pathToFileURL } from 'node:url';
import { runCall } from './calls.mjs';
import { fixture } from './index.mjs';

// Under plain node argv[1] is this file; under vite-node it is vite-node itself: the arguments follow either way.
async function main(argv) {
  let runtime = '@wasm-components/runtime';
  const names = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runtime') runtime = argv[++i];
    else names.push(argv[i]);
  }
  const spec = runtime.startsWith('.') || runtime.startsWith('/') ? pathToFileURL(runtime).href : runtime;
  const { instantiateAsync } = await import(spec);
  const out = [];
  for (const name of names) {
    const f = fixture(name);
    for (const call of f.calls) out.push({ fixture: name, export: call.export, ...(await runCall(instantiateAsync, f, call)) });
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main(process.argv.slice(2).filter((a) => a !== '--'));
