#!/usr/bin/env node
// Lift/lower throughput of @wasm-components/canonical-abi against jco and a raw typed-array copy, in one run.
//
//   node tools/bench/canonical-abi/run.mjs [--quick] [--filter REGEX] [--out FILE] [--no-write] [--ours FILE] [--runs N]
//                                          [--no-malloc-tuning]
//
// One component (component.mjs, built from WAT with wasm-tools) exports, per case X of type T,
// take-X: func(x: T) -> u32 (the core function ignores x and frees it: the call measures lowering),
// give-X: func() -> T (the core function returns a pointer to T already in memory: the call measures lifting),
// and keep-X (setup: puts the value in memory for give-X). It is transpiled by jco
// (@bytecodealliance/jco-transpile) to .cache/ and instantiated once; its core instance is captured, and
// the other two sides run on that same instance (same memory, same realloc, same core functions):
//
//   jco   api.takeX(v) / api.giveX(): jco's generated bindings (its per-call task bookkeeping included,
//         since that is what calling a jco export costs).
//   ours  the package's sync canon-lift wrapper liftFunction(ft, opts, createInstanceState(), coreFn), made
//         once; per call: borrow scope + LiftLowerContext, lowerParams(cx, [v]), the core take-X,
//         liftResults(cx, [ret]) / the core give-X, liftResults(cx, [ptr]) (ours.mjs).
//   raw   the floor of any copy-based ABI: lowering = realloc + one Uint8Array.set of the value's bytes in
//         canonical layout (pre-encoded once) + the core take-X call; lifting = the core give-X call + one
//         Uint8Array.slice of those bytes. For list<u8> that is exactly the job; for the other cases it is
//         the memcpy of the same number of bytes (no encoding, no object building), a lower bound.
//
// Every measurement is the median of samples after warm-up; the three sides of one case/direction are
// sampled in turn (A B C A B C ...), so a change of machine load hits all of them alike. Results (ns/op,
// MB/s of canonical bytes in linear memory, ratios) go to tools/bench/canonical-abi/RESULTS.md.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { execFileSync, spawnSync } from 'node:child_process';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { CASES, componentWat } from './component.mjs';
import { buildJco } from './jco.mjs';
import { makeBytes, makeDeep, makeDeeps, makeRecords, makeStrings, same } from './data.mjs';
import { DEFAULT_DIST, loadOurs, makeOurs } from './ours.mjs';

// glibc malloc settings that make the cost of large allocations stable. Lifting a list<u8> of 1 MB allocates
// a fresh 1 MB buffer per call (on every side); with glibc's defaults whether the pages of the last freed
// buffer went back to the OS (so the next allocation page-faults them in again) depends on the heap's
// history, and list<u8> lift varied 50 to 360 µs from one run to the next on the same side. So unless
// --no-malloc-tuning is given, the bench re-runs itself with: no mmap for blocks under 64 MiB, no trimming
// of the heap top below 1 GiB, 256 MiB of top padding. They change the allocator, not the code measured.
const MALLOC_ENV = { MALLOC_MMAP_THRESHOLD_: '67108864', MALLOC_TRIM_THRESHOLD_: '1073741824', MALLOC_TOP_PAD_: '268435456' };
if (!process.argv.includes('--no-malloc-tuning') && Object.entries(MALLOC_ENV).some(([k, v]) => process.env[k] !== v)) {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ...MALLOC_ENV },
  });
  process.exit(r.status ?? 1);
}

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const HERE = fileURLToPath(new URL('.', import.meta.url));

function parseArgs(argv) {
  const o = { quick: false, filter: undefined, out: join(HERE, 'RESULTS.md'), write: true, ours: DEFAULT_DIST, runs: undefined, mallocTuning: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') o.quick = true;
    else if (a === '--filter') o.filter = new RegExp(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--no-write') o.write = false;
    else if (a === '--ours') o.ours = argv[++i];
    else if (a === '--runs') o.runs = Math.max(1, Number(argv[++i]) | 0);
    else if (a === '--no-malloc-tuning') o.mallocTuning = false;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node tools/bench/canonical-abi/run.mjs [--quick] [--filter REGEX] [--out FILE] [--no-write] [--ours FILE] [--runs N] [--no-malloc-tuning]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  o.runs ??= o.quick ? 1 : 5;
  return o;
}

const camel = (s) => s.replace(/-(\w)/g, (_, c) => c.toUpperCase());

let sink;

/**
 * Median ns per call for each of `fns` (name -> fn), sampled in turn. Warm-up: 300 ms per function (100
 * with --quick). A sample is a batch of calls lasting >= ~20 ms, so garbage-collection pauses are paid by
 * the calls that cause them rather than dropped as outliers; a minor GC (untimed) runs before each sample,
 * so a side never pays for the garbage the side sampled before it left (a full GC there would shrink the
 * young generation and make allocation-heavy calls 2-3x slower; one runs before each case's warm-up).
 */
function measureTogether(fns, { quick, warmMs, budgetMs }) {
  const names = Object.keys(fns);
  const perSample = {};
  for (const n of names) {
    const f = fns[n];
    gc();
    const w = performance.now();
    let calls = 0;
    while (performance.now() - w < warmMs || calls < 3) {
      sink = f();
      calls++;
    }
    const t = performance.now();
    sink = f();
    perSample[n] = Math.max(1, Math.ceil(20 / Math.max(performance.now() - t, 0.0005)));
  }
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const minSamples = quick ? 5 : 7;
  const budget = budgetMs;
  const start = performance.now();
  while (samples[names[0]].length < minSamples || (performance.now() - start < budget && samples[names[0]].length < 31)) {
    for (const n of names) {
      const f = fns[n];
      const k = perSample[n];
      gc({ type: 'minor' }); // each sample starts with an empty young generation: it pays for its own garbage, not the previous side's
      const t = performance.now();
      for (let i = 0; i < k; i++) sink = f();
      samples[n].push(((performance.now() - t) * 1e6) / k);
    }
  }
  const out = {};
  for (const n of names) out[n] = median(samples[n]);
  return out;
}

const fmtNs = (ns) => (ns === undefined ? '-' : ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e4 ? `${(ns / 1e3).toFixed(1)} µs` : `${Math.round(ns)} ns`);
const fmtRate = (bytes, ns) => {
  if (ns === undefined || !bytes) return '-';
  const r = bytes / 1e6 / (ns / 1e9);
  return r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2);
};
const fmtX = (r) => (r === undefined || !Number.isFinite(r) ? '-' : `${r.toFixed(r >= 10 ? 0 : 2)}x`);
const fmtSize = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} KB` : `${n} B`);

function machine() {
  const c = cpus();
  const model = c[0]?.model?.trim() ?? 'unknown CPU';
  return `${model} (${c.length} cores), ${Math.round(totalmem() / 2 ** 30)} GiB, ${osType()} ${release()}`;
}

/** The last commit touching packages/canonical-abi and the build time of the dist that was loaded (compare the two). */
function oursProvenance(distPath, builtAt) {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['log', '-1', '--format=%h %cI', '--', '../../../packages/canonical-abi'], { cwd: HERE, encoding: 'utf8' }).trim();
  } catch {}
  let built = builtAt ?? 'unknown';
  if (builtAt === undefined) {
    try {
      built = statSync(distPath).mtime.toISOString();
    } catch {}
  }
  return `last package commit ${commit}, dist built ${built}`;
}

/** What each case is, for the table. */
const LABEL = {
  bytes: 'list<u8>, 1 MB',
  strings: 'list<string>, 10k short ASCII strings',
  records: 'list<record{a: u32, b: string, c: f64, d: bool}>, 10k',
  deep: 'deep variant (10 levels), one value',
  deeps: 'list<deep variant>, 1k values of varied shapes',
  empty: 'call overhead: take-bytes(list<u8> of length 0)',
};

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cases = CASES.filter((c) => !opts.filter || opts.filter.test(c.name));
  const values = { bytes: makeBytes(), strings: makeStrings(), records: makeRecords(), deep: makeDeep(0), deeps: makeDeeps() };

  const wat = componentWat();
  const component = await parse(wat);
  const { api, core } = await buildJco(component);
  const ours = await loadOurs(opts.ours);
  const our = ours.lib ? makeOurs(ours.lib, core, CASES) : undefined;
  if (ours.error) console.warn(`@wasm-components/canonical-abi: ${ours.error}; measuring jco and raw only`);

  let u8 = new Uint8Array(core.memory.buffer);
  const mem = () => (u8.buffer === core.memory.buffer ? u8 : (u8 = new Uint8Array(core.memory.buffer)));
  const base = () => core.base.value;

  const notes = [];
  const jobs = [];
  for (const c of cases) {
    const v = values[c.name];
    const jTake = api[camel(`take-${c.name}`)];
    const jKeep = api[camel(`keep-${c.name}`)];
    const jGive = api[camel(`give-${c.name}`)];
    const keepArg = c.list ? v : [v];

    // Correctness first: what we time must be right. jco round trip; ours lowering (read back by jco and
    // by ours); then jco's lowering again, which the lift rows lift (so all three lift the same bytes).
    if (!same(jGiveAfter(jKeep, jGive, keepArg), v)) throw new Error(`${c.name}: jco's give does not return what keep was given`);
    let ourCheck = 'n/a';
    let oursFootprint;
    if (our) {
      try {
        const b0 = base();
        our[c.name].keep(v);
        oursFootprint = base() - b0;
        const byJco = jGive();
        const byOurs = our[c.name].give();
        if (!same(byJco, v)) throw new Error('jco lifts something else from what ours lowered');
        if (!same(byOurs, v)) throw new Error('ours lifts something else from what ours lowered');
        if (our[c.name].take(v) !== CASES.indexOf(c)) throw new Error('take returned a wrong u32');
        ourCheck = 'ok';
      } catch (e) {
        ourCheck = `FAILED: ${e instanceof Error ? e.message.split('\n')[0] : e}`;
        notes.push(`${c.name}: ours disabled: ${ourCheck}`);
        console.warn(`${c.name}: ours ${ourCheck}`);
      }
    }
    const before = base();
    jKeep(keepArg);
    const after = base();
    const footprint = after - before; // canonical bytes of the value in memory (incl. alignment padding)
    const blob = mem().slice(before, after);
    if (c.name === 'bytes' && footprint !== v.length) throw new Error('list<u8> footprint is not its length');
    if (oursFootprint !== undefined && oursFootprint !== footprint) {
      notes.push(`${c.name}: ours' lowering used ${oursFootprint} bytes of linear memory, jco's ${footprint} (different allocation sizes or order)`);
    }

    const rawAlign = c.name === 'bytes' ? 1 : 8;
    const takeCore = core[`take-${c.name}`];
    const giveCore = core[`give-${c.name}`];
    const count = c.list ? v.length : 1;
    const raw =
      c.list
        ? {
            take: () => {
              const p = core.realloc(0, 0, rawAlign, footprint);
              mem().set(blob, p);
              return takeCore(p, count) >>> 0;
            },
            give: () => {
              giveCore();
              return mem().slice(before, after);
            },
          }
        : undefined;
    const useOurs = our && ourCheck === 'ok';
    for (const dir of ['lower', 'lift']) {
      const fns = {};
      if (dir === 'lower') {
        fns.jco = () => jTake(v);
        if (useOurs) fns.ours = () => our[c.name].take(v);
        if (raw) fns.raw = raw.take;
      } else {
        fns.jco = () => jGive();
        if (useOurs) fns.ours = () => our[c.name].give();
        if (raw) fns.raw = raw.give;
      }
      jobs.push({ name: c.name, dir, footprint, count, fns });
    }
  }

  // Per-call overhead: an empty list<u8>.
  if (!opts.filter || opts.filter.test('empty')) {
    const empty = new Uint8Array(0);
    const fns = { jco: () => api.takeBytes(empty) };
    if (our) fns.ours = () => our.bytes.take(empty);
    fns.raw = () => core['take-bytes'](core.realloc(0, 0, 1, 0), 0) >>> 0;
    jobs.push({ name: 'empty', dir: 'lower', footprint: 0, count: 0, fns });
  }

  // Rounds over all jobs; the result of a job is the median of its per-round medians.
  const perRound = jobs.map(() => []);
  for (let round = 0; round < opts.runs; round++) {
    console.log(`round ${round + 1}/${opts.runs}`);
    const m = {
      quick: opts.quick,
      warmMs: opts.quick ? 100 : round === 0 ? 300 : 100,
      budgetMs: opts.quick ? 600 : 1500,
    };
    jobs.forEach((j, k) => {
      const r = measureTogether(j.fns, m);
      perRound[k].push(r);
      console.log(`  ${j.name} ${j.dir}: ${Object.entries(r).map(([side, ns]) => `${side} ${fmtNs(ns)}`).join(', ')}`);
    });
  }
  const rows = jobs.map((j, k) => {
    const rounds = perRound[k];
    const ns = {};
    const spread = {};
    for (const side of Object.keys(j.fns)) {
      const xs = rounds.map((r) => r[side]);
      ns[side] = median(xs);
      spread[side] = Math.max(...xs) / Math.min(...xs);
    }
    // Ratios per round (the sides of a round were sampled in turn, under the same load), then the median.
    const ratio = (a, b) => (ns[a] === undefined || ns[b] === undefined ? undefined : median(rounds.map((r) => r[a] / r[b])));
    return { name: j.name, dir: j.dir, footprint: j.footprint, count: j.count, ns, spread, vsJco: ratio('jco', 'ours'), vsRaw: ratio('ours', 'raw') };
  });

  const md = report(rows, { opts, ours, notes });
  console.log('\n' + md);
  if (opts.write) {
    writeFileSync(opts.out, md);
    console.log(`written to ${opts.out}`);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function jGiveAfter(keep, give, arg) {
  keep(arg);
  return give();
}

function report(rows, { opts, ours, notes }) {
  const jcoVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.resolve('@bytecodealliance/jco-transpile')), 'utf8')).version;
  let oursVersion = '-';
  try {
    oursVersion = JSON.parse(readFileSync(new URL('../../../packages/canonical-abi/package.json', import.meta.url), 'utf8')).version;
  } catch {}
  const L = [];
  L.push('## Canonical ABI: lift/lower throughput (`@wasm-components/canonical-abi` vs jco vs raw copy)');
  L.push('');
  L.push('Made by `node tools/bench/canonical-abi/run.mjs` (see the header of that file and the README for what each side does).');
  L.push('');
  L.push(`- Date: ${new Date().toISOString()}`);
  L.push(`- Machine: ${machine()}; load average at the end ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  L.push(
    `- glibc malloc: ${opts.mallocTuning ? Object.entries(MALLOC_ENV).map(([k, v]) => `${k}=${v}`).join(' ') + ' (so the cost of the fresh 1 MB buffer a list<u8> lift allocates does not depend on heap history; see run.mjs)' : 'defaults (--no-malloc-tuning)'}`,
  );
  L.push(`- Node ${process.version}, V8 ${process.versions.v8}; jco: @bytecodealliance/jco-transpile ${jcoVersion}; ours: @wasm-components/canonical-abi ${oursVersion} (${oursProvenance(opts.ours, ours.builtAt)}${ours.error ? `; NOT MEASURED: ${ours.error}` : ''})`);
  L.push(
    `- ${opts.runs} round(s) over all cases; in each, per case and direction: warm-up, then samples of >= 20 ms each (${opts.quick ? '>= 5, quick mode' : '>= 7, up to 1.5 s'}), the three sides sampled in turn; the median sample per round, then the median over rounds. MB/s counts the value's canonical bytes in linear memory (1 MB = 10^6 bytes). Ratios are computed per round (the sides of a round ran under the same load) and their median is shown. \`spread\`: the largest over the smallest round median of a side (a noise indicator; the machine is shared).`,
  );
  L.push('- lower = a call of take-X(value) (host -> linear memory; the core function ignores the value); lift = a call of give-X() (linear memory -> host value). Both include one core call; jco also includes its per-call task bookkeeping (see the call-overhead row).');
  L.push('');
  L.push('| case | dir | bytes in memory | jco | ours | raw copy | jco MB/s | ours MB/s | raw MB/s | ours faster than jco | ours time / raw time | spread jco / ours |');
  L.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    const { jco, ours: o, raw } = r.ns;
    const rate = (ns) => (r.name === 'empty' || r.name === 'deep' ? '-' : fmtRate(r.footprint, ns));
    L.push(
      `| ${LABEL[r.name]} | ${r.dir} | ${r.footprint ? fmtSize(r.footprint) : '-'} | ${fmtNs(jco)} | ${fmtNs(o)} | ${fmtNs(raw)} | ${rate(jco)} | ${rate(o)} | ${rate(raw)} | ${fmtX(r.vsJco)} | ${fmtX(r.vsRaw)} | ${fmtX(r.spread.jco)} / ${r.spread.ours ? fmtX(r.spread.ours) : '-'} |`,
    );
  }
  L.push('');
  L.push('### Aims (issue 3)');
  L.push('');
  const measured = rows.filter((r) => r.name !== 'empty' && r.ns.ours !== undefined);
  if (measured.length === 0) {
    L.push('- Not evaluated: ours was not measured in this run.');
  } else {
    const speed = measured.map((r) => ({ r, x: r.vsJco }));
    const miss = speed.filter((s) => s.x < 3);
    L.push(
      `- At least 3x faster than jco on each case: ${miss.length === 0 ? 'met' : `NOT met on ${miss.map((s) => `${s.r.name} ${s.r.dir} (${fmtX(s.x)})`).join(', ')}`} (lowest ${fmtX(Math.min(...speed.map((s) => s.x)))}).`,
    );
    const capped = miss.filter((s) => s.r.ns.raw !== undefined && s.r.ns.jco / s.r.ns.raw < 3);
    if (capped.length > 0) {
      L.push(
        `  - Out of reach for any implementation on ${capped.map((s) => `${s.r.name} ${s.r.dir} (jco's time is only ${fmtX(s.r.ns.jco / s.r.ns.raw)} the bare raw copy's)`).join(', ')}: jco already moves a list<u8> with one \`Uint8Array.set\` / \`ArrayBuffer.slice\`, plus its ~2 µs per-call overhead.`,
      );
    }
    const b = measured.filter((r) => r.name === 'bytes' && r.ns.raw !== undefined);
    for (const r of b) {
      const x = r.vsRaw;
      L.push(`- list<u8> ${r.dir} within 1.5x of the raw copy: ${x <= 1.5 ? 'met' : 'NOT met'} (${fmtX(x)} the raw copy's time).`);
    }
  }
  for (const n of notes) L.push(`- ${n}`);
  L.push('');
  return L.join('\n');
}

await main();
