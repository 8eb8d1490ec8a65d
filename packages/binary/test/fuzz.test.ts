/**
 * Mutation fuzzing in CI: a fixed, deterministic slice (2000 cases) of what `node tools/fuzz/run.mjs`
 * runs at length. Each case flips, inserts, deletes or truncates bytes of a real binary (the fixtures in
 * tools/fixtures, their nested core modules, the reference suite's components) and checks the decoder's
 * contract on hostile input: only a DecodeError may escape, an accepted input re-encodes to the same
 * bytes (with and without `instructions`), the outline pass agrees, a core module that
 * `WebAssembly.validate` accepts is not rejected, and no case is slow.
 *
 * A failure prints `--seed S --case K`: `node tools/fuzz/run.mjs --seed S --case K` reproduces it
 * against the built package and saves the mutant.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../tools/fuzz/corpus.mjs';
import { type CaseResult, checkSeeds, createStats, type FuzzApi, record, runCase } from '../../../tools/fuzz/lib.mjs';
import { decode, encode, isDecodeError, sections } from '../src/index.js';

const api: FuzzApi = {
  decode: (bytes, options) => decode(bytes, options),
  encode: encode as FuzzApi['encode'],
  sections: (bytes) => sections(bytes),
  isDecodeError,
};

const SEED = 0x5eed;
const CASES = 2000;
/** Generous for CI machines running other suites in parallel; the CLI uses 1000 ms. */
const TIME_LIMIT_MS = 2000;

const corpus = await loadCorpus();

function summary(k: number, r: CaseResult): string {
  const what = r.failures.map((f) => `[${f.mode}] ${f.kind}: ${f.detail}`).join('; ');
  return `--seed ${SEED} --case ${k}: ${r.input} with ${r.edits.join(', ')}: ${what}`;
}

describe('fuzz', () => {
  it('should accept and round-trip every fixture and keep the contract on every unmutated input', () => {
    const problems = checkSeeds(api, corpus);
    // Suite conformance (a suite component rejected, a malformed one accepted) is the conformance
    // runner's business; here it is only shown.
    const conformance = problems.filter((p) => p.severity === 'conformance');
    if (conformance.length > 0) console.warn(`fuzz corpus, conformance notes:\n${conformance.map((p) => `  ${p.name} [${p.mode}] ${p.result.kind}`).join('\n')}`);
    const failures = problems.filter((p) => p.severity === 'failure').map((p) => `${p.name} [${p.mode}] ${p.result.kind} ${p.result.detail}`);
    expect(failures).toEqual([]);
  });

  it(`should only throw DecodeError and keep round trips exact on ${CASES} mutants`, { timeout: 120_000 }, () => {
    const stats = createStats();
    const failures: string[] = [];
    for (let k = 0; k < CASES; k++) {
      const r = runCase(api, corpus, SEED, k, { timeLimitMs: TIME_LIMIT_MS });
      record(stats, r, k);
      if (r.failures.length > 0) failures.push(summary(k, r));
    }
    expect(failures).toEqual([]);
    expect(stats.cases).toBe(CASES);
  });

  it('should produce the same mutant for the same seed and case', () => {
    const a = runCase(api, corpus, SEED, 7);
    const b = runCase(api, corpus, SEED, 7);
    expect(a.input).toBe(b.input);
    expect(a.edits).toEqual(b.edits);
    expect(Array.from(a.bytes)).toEqual(Array.from(b.bytes));
  });
});
