#!/usr/bin/env node
// Mutation fuzzer for @wasm-components/binary (the BUILT package: run `npm run build` first).
//
//   node tools/fuzz/run.mjs [--cases 100000] [--seed 1] [--case K] [--time-limit 1000] [--hang 10000]
//                           [--large] [--max-failures 20] [--quiet] [--api FILE] [--oracle]
//
// Each case mutates one corpus input (see corpus.mjs, lib.mjs) and decodes it with the default options
// and with { instructions: true }; it fails if anything but a DecodeError escapes, if an accepted input
// does not re-encode to the same bytes, if the outline pass disagrees, or if a case takes longer than
// --time-limit ms. The cases run in a worker thread watched by this one, so a real hang (a case making no
// progress for --hang ms) is caught and reported too. Failing mutants are written to failures/.
// --api FILE loads decode/encode/sections/isDecodeError from another module (e.g. an esbuild bundle of
// packages/binary/src) instead of the built package.
// --oracle also reads every mutant (under 64 KB) with wasm-tools 0.254 (`print` from jco-transpile) and
// reports where it and the decoder ({ instructions: true }) disagree on well-formedness. Disagreements are listed for review, not
// counted as failures: wasmparser leaves some malformations (section order, for one) to its validator,
// which print does not run, so "wasm-tools reads it, decode rejects it" is often the decoder being right.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { loadCorpus } from './corpus.mjs';
import { checkSeeds, createStats, makeCase, record, runCase } from './lib.mjs';

function parseArgs(argv) {
  const o = { cases: 100_000, seed: 1, case: undefined, timeLimit: 1000, hang: 10_000, large: false, maxFailures: 20, quiet: false, api: undefined, oracle: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v)) throw new Error(`${a} needs a number`);
      return v;
    };
    if (a === '--cases') o.cases = num();
    else if (a === '--seed') o.seed = num() >>> 0;
    else if (a === '--case') o.case = num();
    else if (a === '--time-limit') o.timeLimit = num();
    else if (a === '--hang') o.hang = num();
    else if (a === '--max-failures') o.maxFailures = num();
    else if (a === '--large') o.large = true;
    else if (a === '--quiet') o.quiet = true;
    else if (a === '--api') o.api = argv[++i];
    else if (a === '--oracle') o.oracle = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node tools/fuzz/run.mjs [--cases N] [--seed N] [--case K] [--time-limit MS] [--hang MS] [--large] [--max-failures N] [--quiet] [--api FILE] [--oracle]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

async function loadApi(file) {
  try {
    const m = await import(file ? pathToFileURL(resolve(file)).href : '@wasm-components/binary');
    return { decode: m.decode, encode: m.encode, sections: m.sections, isDecodeError: m.isDecodeError };
  } catch (e) {
    throw new Error(`cannot load @wasm-components/binary (run \`npm run build\` first): ${e.message}`, { cause: e });
  }
}

async function worker() {
  const { opts, progress } = workerData;
  const shared = new Int32Array(progress);
  const api = await loadApi(opts.api);
  const corpus = await loadCorpus({ large: opts.large });
  // shared[2] is the phase the watchdog reports: 0 loading, 1 unmutated inputs (index in [0]), 2 cases.
  Atomics.store(shared, 2, 1);
  const seedProblems = checkSeeds(api, corpus, (i) => Atomics.store(shared, 0, i));
  Atomics.store(shared, 2, 2);
  parentPort.postMessage({ type: 'seeds', count: corpus.length, problems: seedProblems });
  const stats = createStats();
  // A trap inside wasm-tools (a stack overflow on deep nesting, a panic) poisons its component instance
  // ("cannot enter component instance"); loading the vendored module again under a new URL gives a fresh one.
  let generation = 0;
  const loadWasmTools = async () => {
    const entry = import.meta.resolve('@bytecodealliance/jco-transpile/wasm-tools');
    const vendor = await import(`${new URL('../vendor/wasm-tools.js', entry).href}?instance=${generation++}`);
    await vendor.$init;
    return (bytes) => vendor.tools.print(bytes);
  };
  let print = opts.oracle ? await loadWasmTools() : undefined;
  // Disagreements grouped by reason: what our decoder expected, or wasm-tools' message without numbers.
  const oracle = { checked: 0, trapped: 0, onlyWasmTools: {}, onlyDecode: {}, onlyWasmToolsCount: 0, onlyDecodeCount: 0 };
  const first = opts.case ?? 0;
  const last = opts.case === undefined ? opts.cases : opts.case + 1;
  let failures = 0;
  for (let k = first; k < last; k++) {
    Atomics.store(shared, 0, k);
    const r = runCase(api, corpus, opts.seed, k, { timeLimitMs: opts.timeLimit });
    record(stats, r, k);
    if (print && r.bytes.length < 65_536 && r.failures.length === 0 && !r.input.startsWith('crafted/')) {
      let toolReads = true;
      let toolError = '';
      try {
        print(r.bytes);
      } catch (e) {
        toolReads = false;
        toolError = String(e?.message ?? e).split('\n')[0].slice(0, 120);
      }
      if (/wasm trap|cannot enter component instance|RuntimeError/.test(toolError)) {
        oracle.trapped++;
        print = await loadWasmTools();
        continue;
      }
      oracle.checked++;
      // Compared with the instruction-decoding mode: wasm-tools reads every function body.
      const weRead = r.instructions === 'accepted';
      if (toolReads !== weRead) {
        const which = toolReads ? 'onlyWasmTools' : 'onlyDecode';
        oracle[`${which}Count`]++;
        const reason = toolReads ? `decode expected ${r.instructionsExpected}` : `wasm-tools: ${toolError.replace(/\d+|0x[0-9a-f]+/g, 'N')}`;
        const group = (oracle[which][reason] ??= { count: 0, example: { caseIndex: k, input: r.input, edits: r.edits } });
        group.count++;
      }
    }
    if (r.failures.length > 0) {
      parentPort.postMessage({ type: 'failure', caseIndex: k, input: r.input, edits: r.edits, failures: r.failures, bytes: r.bytes });
      if (++failures >= opts.maxFailures) break;
    }
    if (!opts.quiet && k % 10_000 === 0 && k > first) parentPort.postMessage({ type: 'progress', caseIndex: k });
  }
  Atomics.store(shared, 1, 1);
  parentPort.postMessage({ type: 'done', stats, corpusSize: corpus.length, oracle: print ? oracle : undefined });
}

function describeInput(name, edits) {
  return `${name} with ${edits.join(', ')}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const progress = new SharedArrayBuffer(12);
  const shared = new Int32Array(progress);
  const failuresDir = fileURLToPath(new URL('./failures/', import.meta.url));
  const started = performance.now();
  const w = new Worker(fileURLToPath(import.meta.url), { workerData: { opts, progress } });
  let failed = 0;
  let seedFailures = 0;
  let hung = false;

  let lastCase = -1;
  let lastChange = performance.now();
  const watchdog = setInterval(() => {
    const k = Atomics.load(shared, 0);
    if (k !== lastCase) {
      lastCase = k;
      lastChange = performance.now();
    } else if (!hung && Atomics.load(shared, 1) === 0 && performance.now() - lastChange > opts.hang) {
      hung = true;
      void w.terminate();
      void reportHang(Atomics.load(shared, 2), k);
    }
  }, 250);

  const reportHang = async (phase, k) => {
    const corpus = await loadCorpus({ large: opts.large });
    if (phase === 0) {
      console.error(`HANG: loading the package and the corpus took over ${opts.hang} ms`);
    } else if (phase === 1) {
      console.error(`HANG: decoding the unmutated input ${corpus[k]?.name} made no progress for ${opts.hang} ms`);
    } else {
      const c = makeCase(corpus, opts.seed, k);
      mkdirSync(failuresDir, { recursive: true });
      const file = `${failuresDir}seed-${opts.seed}-case-${k}.wasm`;
      writeFileSync(file, c.bytes);
      console.error(`HANG: case ${k} made no progress for ${opts.hang} ms: ${describeInput(c.input.name, c.edits)}`);
      console.error(`  mutant saved to ${file}; reproduce with --seed ${opts.seed} --case ${k}`);
    }
    hangReported();
  };
  let hangReported;
  const hangDone = new Promise((r) => (hangReported = r));

  const done = new Promise((resolve, reject) => {
    w.on('message', (m) => {
      if (m.type === 'seeds') {
        console.log(`corpus: ${m.count} inputs (fixtures, their nested core modules, reference-suite components)`);
        for (const severity of ['failure', 'conformance']) {
          const list = m.problems.filter((p) => p.severity === severity);
          if (list.length === 0) continue;
          const what = severity === 'failure' ? 'FAIL' : 'conformance (reported, not counted)';
          console.log(`unmutated inputs, ${what}: ${list.length}`);
          for (const p of list.slice(0, 30)) console.log(`  ${p.name} [${p.mode}] ${p.result.kind} ${p.result.detail}`);
          if (list.length > 30) console.log(`  ... ${list.length - 30} more`);
        }
        seedFailures = m.problems.filter((p) => p.severity === 'failure').length;
        if (m.problems.length === 0) console.log('unmutated inputs: all as expected (accepted and round-tripping, malformed ones rejected)');
      } else if (m.type === 'progress') {
        console.log(`  ... ${m.caseIndex} cases`);
      } else if (m.type === 'failure') {
        failed++;
        mkdirSync(failuresDir, { recursive: true });
        const file = `${failuresDir}seed-${opts.seed}-case-${m.caseIndex}.wasm`;
        writeFileSync(file, m.bytes);
        console.log(`FAIL case ${m.caseIndex}: ${describeInput(m.input, m.edits)}`);
        for (const f of m.failures) console.log(`  [${f.mode}] ${f.kind}: ${f.detail}`);
        console.log(`  mutant saved to ${file}; reproduce with --seed ${opts.seed} --case ${m.caseIndex}`);
      } else if (m.type === 'done') {
        resolve(m);
      }
    });
    w.on('error', reject);
    w.on('exit', (code) => (hung ? resolve(undefined) : code !== 0 ? reject(new Error(`worker exited with ${code}`)) : undefined));
  });

  let result;
  try {
    result = await done;
    if (hung) await hangDone;
  } finally {
    clearInterval(watchdog);
  }
  const seconds = (performance.now() - started) / 1000;
  if (result) {
    const { stats } = result;
    const fmt = (o) => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`seed ${opts.seed}: ${stats.cases} cases in ${seconds.toFixed(1)} s`);
    console.log(`  default options:        ${fmt(stats.default)}`);
    console.log(`  { instructions: true }: ${fmt(stats.instructions)}`);
    console.log(`  rejected by default but accepted with instructions (inconsistent): ${stats.inconsistent}`);
    console.log(`  slowest case: ${stats.slowest.ms.toFixed(1)} ms (case ${stats.slowest.caseIndex})`);
    if (result.oracle) {
      const o = result.oracle;
      console.log(`  wasm-tools oracle: ${o.checked} mutants read by both (${o.trapped} trapped wasm-tools, skipped); wasm-tools reads but decode rejects: ${o.onlyWasmToolsCount}; decode accepts but wasm-tools rejects: ${o.onlyDecodeCount}`);
      for (const [label, groups] of [['wasm-tools reads, decode rejects', o.onlyWasmTools], ['decode accepts, wasm-tools rejects', o.onlyDecode]]) {
        for (const [reason, g] of Object.entries(groups).sort((a, b) => b[1].count - a[1].count)) {
          console.log(`    ${label} (${g.count}): ${reason}; e.g. case ${g.example.caseIndex}: ${describeInput(g.example.input, g.example.edits)}`);
        }
      }
    }
    if (seedFailures > 0) console.log(`unmutated inputs failing: ${seedFailures}`);
    console.log(`${stats.cases - stats.failures} passed, ${stats.failures} failed`);
  }
  if (hung || failed > 0 || seedFailures > 0 || !result) process.exitCode = 1;
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  worker().catch((e) => {
    console.error(e);
    process.exit(2);
  });
}
