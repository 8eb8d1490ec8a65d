// Runs tools/fixtures threads.wasm on the engine running this script and prints how run(1) ended, as JSON.
// threads.test.ts runs it on an engine without JSPI (Node 20): switching threads must fail there with an
// error naming the missing engine feature.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, instantiate } from '../index.ts';

const bytes = readFileSync(fileURLToPath(new URL('../../../../tools/fixtures/bin/threads.wasm', import.meta.url)));
const e = instantiate(compile(bytes));
try {
  const v = await e.run(1);
  console.log(JSON.stringify({ ok: true, value: v }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err instanceof Error ? err.message : err) }));
}
