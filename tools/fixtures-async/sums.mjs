// bin/SHA256SUMS: one line per checked-in binary ("<sha256>  <file>"), sorted by file name. Shared by
// build.mjs (the C fixtures, byte-reproducible) and build-qjs.mjs (the componentize-qjs ones, not).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 hex of some bytes. */
export const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** Rewrites dir/SHA256SUMS from every .wasm file in dir. */
export function writeSums(dir) {
  const lines = readdirSync(dir)
    .filter((f) => f.endsWith('.wasm'))
    .sort()
    .map((f) => `${sha256(readFileSync(join(dir, f)))}  ${f}\n`);
  writeFileSync(join(dir, 'SHA256SUMS'), lines.join(''));
}

/** dir/SHA256SUMS as a Map from file name to hash. */
export function readSums(dir) {
  return new Map(
    readFileSync(join(dir, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/).reverse()),
  );
}
