#!/usr/bin/env node
// Runtime bench: call overhead of @wasm-components/runtime (its built dist) against the raw core-wasm call
// and against jco's transpiled bindings of the same component; instantiation time of real components
// (ours vs importing and instantiating jco's generated module). One run; writes RESULTS.md.
// Usage: node tools/bench/runtime/run.mjs [--quick] [--no-write] [--no-large]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, instantiate, instantiateAsync } from '@wasm-components/runtime';
import { gc, jcoVersion, machineLine, median, now } from '../common.mjs';
import { componentBytes } from './component.mjs';
import { CACHE, transpile } from './jco.mjs';
import { join } from 'node:path';
import { anyImports } from './stubs.mjs';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
const here = (p) => fileURLToPath(new URL(p, import.meta.url));

// ---------- call overhead ----------

/** ns per call of loop(n): warm-up, then samples of ~20 ms each; the median sample. */
function perCall(loop) {
  const SAMPLE_MS = 20;
  let n = 1000;
  const warmEnd = now() + (QUICK ? 100 : 400);
  while (now() < warmEnd) loop(n);
  for (;;) {
    const t = now();
    loop(n);
    const dt = now() - t;
    if (dt > SAMPLE_MS / 2) break;
    n *= 2;
  }
  gc();
  const samples = [];
  for (let i = 0; i < (QUICK ? 5 : 15); i++) {
    const t = now();
    loop(n);
    samples.push(((now() - t) * 1e6) / n);
  }
  return median(samples);
}

// A separately compiled loop per side, so each call site keeps its own type feedback.
const addLoop = (f) =>
  new Function('f', 'return function loop(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + f(i, 7)) >>> 0; return s; }')(f);
const strLoop = (f, s) =>
  new Function('f', 's', 'return function loop(n) { let k = 0; for (let i = 0; i < n; i++) k += f(s).length; return k; }')(f, s);

/** Ratios ours/raw of each `add` round, sorted (the median round is the one reported). */
let addRounds = [];

async function callBench() {
  const bytes = await componentBytes();
  // raw core: the component's one core module, instantiated by hand
  const { nestedCoreModules } = await import('../../fixtures/index.mjs');
  const [coreBytes] = nestedCoreModules(bytes);
  const core = new WebAssembly.Instance(new WebAssembly.Module(coreBytes), {}).exports;
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  // the least JS glue a hand-written binding needs for echo: encode into realloc'd memory, call, decode, free
  const glueEcho = (s) => {
    const max = s.length * 3;
    const p = core.realloc(0, 0, 1, max);
    const { written } = enc.encodeInto(s, new Uint8Array(core.memory.buffer, p, max));
    const r = core.echo(p, written);
    const dv = new DataView(core.memory.buffer);
    const out = dec.decode(new Uint8Array(core.memory.buffer, dv.getUint32(r, true), dv.getUint32(r + 4, true)));
    core['free-all'](r);
    return out;
  };
  const coreEcho = (s) => {
    const r = core.echo(1024, s.length);
    core['free-all'](r);
    return s;
  };
  const ours = instantiate(compile(bytes), {});
  const j = await transpile(bytes, 'calls', 'sync');
  const jmod = await j.importFresh();
  const jco = jmod.instantiate((p) => new WebAssembly.Module(j.coreFiles[p]), {});

  const short = 'hello, world! 0123456789';
  const long = 'x'.repeat(1000);
  for (const [name, f] of [['ours', ours], ['jco', jco]]) {
    if (f.add(2, 3) !== 5 || f.add(0xffffffff, 1) !== 0) throw new Error(`${name}: add is wrong`);
    if (f.echo(short) !== short || f.echo('héllo ✓') !== 'héllo ✓') throw new Error(`${name}: echo is wrong`);
  }
  if (glueEcho('héllo ✓') !== 'héllo ✓') throw new Error('glue echo is wrong');

  const rows = [];
  const row = (what, cells) => {
    rows.push({ what, ...cells });
    console.log(what.padEnd(34), Object.entries(cells).map(([k, v]) => `${k} ${v.toFixed(1)} ns`).join('  '));
  };
  // add: the aim is a ratio near 2x of two few-ns numbers, so it is measured in rounds (core and ours
  // alternating, each with its own freshly compiled loop) and the median ratio of the rounds is reported.
  const rounds = [];
  for (let i = 0; i < (QUICK ? 3 : 7); i++) {
    const c = perCall(addLoop(core.add));
    const o = perCall(addLoop(ours.add));
    rounds.push({ core: c, ours: o, ratio: o / c });
  }
  rounds.sort((a, b) => a.ratio - b.ratio);
  const mid = rounds[rounds.length >> 1];
  const add = { core: mid.core, ours: mid.ours, jco: perCall(addLoop(jco.add)) };
  addRounds = rounds.map((x) => x.ratio);
  row('add(u32, u32) -> u32', add);
  for (const [label, s] of [['echo(string) -> string, 24 B', short], ['echo(string) -> string, 1000 B', long]]) {
    row(label, {
      core: perCall(strLoop(coreEcho, s)),
      glue: perCall(strLoop(glueEcho, s)),
      ours: perCall(strLoop(ours.echo, s)),
      jco: perCall(strLoop(jco.echo, s)),
    });
  }
  return rows;
}

// ---------- instantiation ----------

/** ms of one async or sync run of fn: 2 warm-up runs, then `count` timed runs; the median. */
async function perRun(fn, count) {
  for (let i = 0; i < 2; i++) await fn();
  const samples = [];
  for (let i = 0; i < count; i++) {
    gc();
    const t = now();
    await fn();
    samples.push(now() - t);
  }
  return median(samples);
}

async function instBench(name, path, count) {
  const bytes = new Uint8Array(readFileSync(path));
  const sync = await transpile(bytes, `inst-${name}`, 'sync');
  const asyn = await transpile(bytes, `inst-${name}`, 'async');
  const esm = name === 'large' ? await transpile(bytes, `inst-${name}`, 'esm') : undefined;
  const compiled = compile(bytes);
  const coreCompiled = Object.fromEntries(Object.entries(sync.coreFiles).map(([p, b]) => [p, new WebAssembly.Module(b)]));
  const cells = {
    'ours instantiateAsync(bytes)': () => instantiateAsync(bytes, anyImports),
    'ours compile+instantiate': () => instantiate(compile(bytes), anyImports),
    'ours instantiate(compiled)': () => instantiate(compiled, anyImports),
    'jco import+instantiate (async)': async () =>
      (await asyn.importFresh()).instantiate((p) => WebAssembly.compile(asyn.coreFiles[p]), anyImports),
    'jco import+instantiate (sync)': async () =>
      (await sync.importFresh()).instantiate((p) => new WebAssembly.Module(sync.coreFiles[p]), anyImports),
    'jco instantiate(precompiled)': async () => (await sync.importFresh()).instantiate((p) => coreCompiled[p], anyImports),
  };
  // jco's default output reads its .core.wasm files from disk itself: not bytes in memory like the others
  if (esm) cells['jco default ESM import (reads disk)'] = () => esm.importFresh();
  const out = { name, size: bytes.length, jsBytes: sync.jsBytes, cold: {} };
  for (const [k, fn] of Object.entries(cells)) {
    out[k] = await perRun(fn, count);
    console.log(`${name.padEnd(9)} ${k.padEnd(38)} ${out[k].toFixed(2)} ms`);
  }
  // cold: the first instantiation in a fresh process (median of several processes)
  for (const side of ['ours instantiateAsync(bytes)', 'ours compile+instantiate', 'jco import+instantiate (async)', 'jco import+instantiate (sync)']) {
    const runs = [];
    for (let i = 0; i < (QUICK ? 1 : 5); i++) {
      const ms = execFileSync(process.execPath, [here('cold.mjs'), path, join(CACHE, `inst-${name}`), side], { encoding: 'utf8' });
      runs.push(Number(ms.trim()));
    }
    out.cold[side] = median(runs);
    console.log(`${name.padEnd(9)} cold ${side.padEnd(33)} ${out.cold[side].toFixed(2)} ms`);
  }
  return out;
}

// ---------- main ----------

const calls = await callBench();
const insts = [];
insts.push(await instBench('hello-p2', here('../../fixtures/bin/hello-p2.wasm'), QUICK ? 5 : 15));
insts.push(await instBench('mid', here('../../fixtures/bin/mid.wasm'), QUICK ? 5 : 15));
if (!args.has('--no-large')) {
  const { largeComponent } = await import('../../fixtures/index.mjs');
  insts.push(await instBench('large', await largeComponent(), QUICK ? 3 : 9));
}

if (!args.has('--no-write')) writeFileSync(here('RESULTS.md'), report(calls, insts));

function report(calls, insts) {
  const f1 = (x) => x.toFixed(1);
  const r = (a, b) => `${(a / b).toFixed(2)}x`;
  const add = calls[0];
  const lines = [
    '# Runtime bench results',
    '',
    `Generated by \`node tools/bench/runtime/run.mjs\`${QUICK ? ' --quick' : ''} on ${new Date().toISOString().slice(0, 10)}.`,
    machineLine(),
    `jco: @bytecodealliance/jco-transpile ${jcoVersion()}; ours: @wasm-components/runtime from packages/runtime/dist. See README.md for what each column does.`,
    '',
    '## Call overhead (ns per call, median of samples of ~20 ms after warm-up)',
    '',
    '| call | raw core | hand-written glue | ours | jco | ours / raw | jco / raw | ours / glue | jco / glue |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...calls.map(
      (c) =>
        `| ${c.what} | ${f1(c.core)} | ${c.glue === undefined ? '' : f1(c.glue)} | ${f1(c.ours)} | ${f1(c.jco)} | ${r(c.ours, c.core)} | ${r(c.jco, c.core)} | ${c.glue === undefined ? '' : r(c.ours, c.glue)} | ${c.glue === undefined ? '' : r(c.jco, c.glue)} |`,
    ),
    '',
    'raw core: the core export called directly (for `echo`: the core function and `free-all` on a string already in memory, no',
    'transcoding); hand-written glue: `TextEncoder.encodeInto` into a `realloc`ed block, the core call, `TextDecoder`, `free-all`.',
    '',
    '## Instantiation (ms, median after 2 warm-up runs)',
    '',
    `| component | size | ${Object.keys(insts[0]).filter((k) => !['name', 'size', 'jsBytes', 'cold'].includes(k)).join(' | ')} |`,
    `| --- | ---: | ${Object.keys(insts[0]).filter((k) => !['name', 'size', 'jsBytes', 'cold'].includes(k)).map(() => '---:').join(' | ')} |`,
  ];
  const keys = [...new Set(insts.flatMap((i) => Object.keys(i)))].filter((k) => !['name', 'size', 'jsBytes', 'cold'].includes(k));
  lines[lines.length - 2] = `| component | size | ${keys.join(' | ')} |`;
  lines[lines.length - 1] = `| --- | ---: | ${keys.map(() => '---:').join(' | ')} |`;
  for (const i of insts) lines.push(`| ${i.name} | ${(i.size / 1e6).toFixed(2)} MB | ${keys.map((k) => (i[k] === undefined ? '' : i[k].toFixed(2))).join(' | ')} |`);
  lines.push('');
  for (const i of insts)
    lines.push(
      `- ${i.name}: ours \`instantiateAsync\` / jco import+instantiate (async) = ${r(i['ours instantiateAsync(bytes)'], i['jco import+instantiate (async)'])}; ` +
        `ours compile+instantiate / jco import+instantiate (sync) = ${r(i['ours compile+instantiate'], i['jco import+instantiate (sync)'])}; ` +
        `ours instantiate(compiled) / jco instantiate(precompiled) = ${r(i['ours instantiate(compiled)'], i['jco instantiate(precompiled)'])}` +
        (i['jco default ESM import (reads disk)'] === undefined ? '' : `; ours instantiateAsync / jco default ESM import = ${r(i['ours instantiateAsync(bytes)'], i['jco default ESM import (reads disk)'])}`) +
        ` (jco's generated JS: ${(i.jsBytes / 1000).toFixed(0)} KB).`,
    );
  const coldKeys = Object.keys(insts[0].cold);
  lines.push(
    '',
    'Cold: the first instantiation in a fresh Node process (modules loaded and files read before timing; median of the processes):',
    '',
    `| component | ${coldKeys.join(' | ')} | ours async / jco async | ours sync / jco sync |`,
    `| --- | ${coldKeys.map(() => '---:').join(' | ')} | ---: | ---: |`,
    ...insts.map(
      (i) =>
        `| ${i.name} | ${coldKeys.map((k) => i.cold[k].toFixed(2)).join(' | ')} | ${r(i.cold['ours instantiateAsync(bytes)'], i.cold['jco import+instantiate (async)'])} | ${r(i.cold['ours compile+instantiate'], i.cold['jco import+instantiate (sync)'])} |`,
    ),
  );
  const worstCold = Math.max(...insts.map((i) => i.cold['ours instantiateAsync(bytes)'] / i.cold['jco import+instantiate (async)']));
  const worstInst = Math.max(...insts.map((i) => i['ours instantiateAsync(bytes)'] / i['jco import+instantiate (async)']));
  const worstPre = Math.max(...insts.map((i) => i['ours instantiate(compiled)'] / i['jco instantiate(precompiled)']));
  const mid = insts.find((i) => i.name === 'mid');
  const midWarm = mid && mid['ours instantiateAsync(bytes)'] / mid['jco import+instantiate (async)'];
  const midSync = mid && mid['ours compile+instantiate'] / mid['jco import+instantiate (sync)'];
  const midCold = mid && mid.cold['ours instantiateAsync(bytes)'] / mid.cold['jco import+instantiate (async)'];
  const met = (x) => (x <= 1 ? 'met' : 'not met');
  lines.push(
    '',
    '## Aims (issue 4)',
    '',
    `- \`add\` under 2x the raw core call: ours ${r(add.ours, add.core)} (${f1(add.ours)} vs ${f1(add.core)} ns; median of ${addRounds.length} rounds, ` +
      `each round's ratio: ${addRounds.map((x) => x.toFixed(2)).join(', ')}): **${add.ours < 2 * add.core ? 'met' : 'not met'}**; jco ${r(add.jco, add.core)}.`,
    ...(mid === undefined
      ? []
      : [
          `- The 1.6 MB component (\`mid\`, ${(mid.size / 1e6).toFixed(2)} MB) instantiated at least as fast as jco's generated module import, from the ` +
            `component's bytes (ours decodes and validates it on every \`compile\`; jco did that ahead of time, in \`transpile\`): ` +
            `async ${midWarm.toFixed(2)}x jco: **${met(midWarm)}**; sync ${midSync.toFixed(2)}x: **${met(midSync)}**; cold (first in a fresh process) ` +
            `${midCold.toFixed(2)}x: **${met(midCold)}**.`,
        ]),
    `- Every component, from bytes (ours \`instantiateAsync\` / jco import+instantiate (async)): at most ${worstInst.toFixed(2)}x: **${met(worstInst)}**; ` +
      `cold: at most ${worstCold.toFixed(2)}x: **${met(worstCold)}**.`,
    `- Instantiation of an already compiled component (ours \`instantiate(compiled)\`) against jco's bindings with precompiled core ` +
      `modules: at most ${worstPre.toFixed(2)}x: **${met(worstPre)}**.`,
    '',
    '## Notes',
    '',
    "- Ours' `compile` decodes the component (core modules for their interface only: code and data stay raw, see the binary",
    "  package's `interfaceOnly`), validates it and compiles its core modules, every time: work jco does once, in `transpile`,",
    '  ahead of time. `compileAsync` starts the engine compiling the core modules first and decodes and validates meanwhile.',
    '  `instantiate(compiled)` is the like-for-like run-time step (a host that loads the same component more than once keeps',
    '  the `CompiledComponent`). Cold, our decoder and validator also run before V8 has optimised them.',
    "- jco's numbers include importing its generated JS as a new module record each time (parse and evaluation).",
    '- The machine may be shared with other processes: absolute numbers move by tens of percent between runs; compare the',
    '  ratios within one run.',
    '',
  );
  return lines.join('\n');
}
