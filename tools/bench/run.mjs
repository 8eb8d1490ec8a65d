#!/usr/bin/env node
// Throughput bench for @wasm-components/binary (the BUILT package: `npm run bench` builds first).
//
//   node tools/bench/run.mjs [--filter REGEX] [--no-large] [--quick] [--out FILE] [--no-write] [--api FILE]
//
// For each named case (cases.mjs) it measures, in the same run, the median time of:
//   decode            decode(bytes)                       (function bodies kept as byte ranges)
//   decode+instr      decode(bytes, { instructions: true })
//   encode            encode(decode(bytes))               (the AST is made once, outside the timing)
//   sections          sections(bytes)                     (the outline pass)
//   wasm-parser       @webassemblyjs/wasm-parser decode   (core modules only; it cannot read components)
//   validate          WebAssembly.validate                (core modules; for a component, all its nested
//                                                        core modules, since V8 rejects components)
// and writes a Markdown table with MB/s (1 MB = 10^6 bytes) and ratios to tools/bench/RESULTS.md.
// --api FILE loads decode/encode/sections from another module instead of the built package.
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem, type as osType, release } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createRequire } from 'node:module';
import { nestedCoreModules } from '../fixtures/index.mjs';
import { loadCases } from './cases.mjs';
import { otherBenchesSection } from './other-results.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const o = { filter: undefined, large: true, quick: false, out: fileURLToPath(new URL('./RESULTS.md', import.meta.url)), write: true, api: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--filter') o.filter = new RegExp(argv[++i]);
    else if (a === '--no-large') o.large = false;
    else if (a === '--quick') o.quick = true;
    else if (a === '--out') o.out = argv[++i];
    else if (a === '--no-write') o.write = false;
    else if (a === '--api') o.api = argv[++i];
    else if (a === '--help' || a === '-h') {
      console.log('usage: node tools/bench/run.mjs [--filter REGEX] [--no-large] [--quick] [--out FILE] [--no-write] [--api FILE]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return o;
}

let sink;

/**
 * Median time of one call of `fn`, in ms. Calls are grouped in samples of at least ~50 ms each (a call
 * slower than that is a sample by itself), so that garbage-collection pauses are spread over the calls
 * that caused them instead of being dropped by the median as outliers. Warm-up calls run first so the
 * JIT has compiled the hot paths; then samples run until both a minimum count and a time budget are
 * reached. A slow peer (over 1.5 s a call) gets one warm-up call and two timed ones, so the whole bench
 * stays within minutes.
 */
function measure(fn, { quick }) {
  const budget = quick ? 300 : 1500;
  const minSamples = quick ? 3 : 7;
  const maxSamples = quick ? 15 : 100;
  const sampleMs = 50;
  gc();
  let t = performance.now();
  sink = fn();
  const first = performance.now() - t;
  const slow = first > 1500;
  if (!slow) {
    const warm = performance.now();
    while (performance.now() - warm < (quick ? 100 : 300)) sink = fn();
  }
  t = performance.now();
  sink = fn();
  const one = Math.max(performance.now() - t, 0.001);
  const perSample = slow ? 1 : Math.max(1, Math.ceil(sampleMs / one));
  const samples = [];
  const start = performance.now();
  while (samples.length < (slow ? 2 : minSamples) || (!slow && samples.length < maxSamples && performance.now() - start < budget)) {
    t = performance.now();
    for (let i = 0; i < perSample; i++) sink = fn();
    samples.push((performance.now() - t) / perSample);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  return samples.length % 2 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
}

function tryMeasure(fn, opts) {
  try {
    return { ms: measure(fn, opts) };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0].slice(0, 80) : String(e) };
  }
}

async function loadApi(file) {
  try {
    return await import(file ? pathToFileURL(resolve(file)).href : '@wasm-components/binary');
  } catch (e) {
    console.warn(`@wasm-components/binary not loadable (run \`npm run build\`): ${e.message}`);
    return {};
  }
}

const mbps = (bytes, ms) => (ms === undefined ? undefined : bytes / 1e6 / (ms / 1000));
const fmtRate = (r) => (r === undefined ? '-' : r >= 100 ? r.toFixed(0) : r >= 10 ? r.toFixed(1) : r.toFixed(2));
const fmtRatio = (a, b) => (a === undefined || b === undefined ? '-' : `${(b / a).toFixed(b / a >= 10 ? 0 : 1)}x`);
const fmtSize = (n) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} MB` : `${(n / 1e3).toFixed(1)} KB`);

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const api = await loadApi(opts.api);
  const { decode: wpDecode } = require('@webassemblyjs/wasm-parser');
  const wpVersion = require('@webassemblyjs/wasm-parser/package.json').version;
  let cases = await loadCases({ large: opts.large });
  if (opts.filter) cases = cases.filter((c) => opts.filter.test(c.name));

  const rows = [];
  for (const c of cases) {
    const bytes = c.inputs.reduce((s, b) => s + b.length, 0);
    const each = (f) => () => {
      let last;
      for (const b of c.inputs) last = f(b);
      return last;
    };
    const row = { name: c.name, kind: c.kind, bytes, source: c.source, r: {} };
    process.stdout.write(`${c.name} (${fmtSize(bytes)}):`);
    if (api.decode) {
      row.r.decode = tryMeasure(each((b) => api.decode(b)), opts);
      row.r.instr = tryMeasure(each((b) => api.decode(b, { instructions: true })), opts);
      if (api.encode) {
        let asts;
        try {
          asts = c.inputs.map((b) => api.decode(b));
        } catch (e) {
          row.r.encode = { error: `decode failed: ${e.message.slice(0, 60)}` };
        }
        if (asts) {
          row.r.encode = tryMeasure(() => {
            let last;
            for (const a of asts) last = api.encode(a);
            return last;
          }, opts);
          const same = asts.every((a, i) => {
            const out = api.encode(a);
            const inp = c.inputs[i];
            return out.length === inp.length && out.every((x, j) => x === inp[j]);
          });
          if (!same) row.roundTripMismatch = true;
        }
      }
    }
    if (api.sections) row.r.sections = tryMeasure(each((b) => api.sections(b)), opts);
    if (c.kind === 'module') {
      row.r.wasmParser = tryMeasure(each((b) => wpDecode(b)), opts);
      row.r.validate = tryMeasure(each((b) => WebAssembly.validate(b)), opts);
      row.valid = c.inputs.every((b) => WebAssembly.validate(b));
    } else {
      const cores = c.inputs.flatMap((b) => nestedCoreModules(b));
      row.componentRejected = c.inputs.every((b) => b[6] !== 1 || !WebAssembly.validate(b));
      row.r.validate = tryMeasure(() => cores.map((b) => WebAssembly.validate(b)), opts);
      row.validateNested = true;
    }
    for (const [k, v] of Object.entries(row.r)) process.stdout.write(` ${k} ${v.ms === undefined ? 'error' : `${fmtRate(mbps(bytes, v.ms))} MB/s`}`);
    process.stdout.write('\n');
    rows.push(row);
  }

  const md = report(rows, { wpVersion, api, opts });
  console.log(`\n${md}`);
  if (opts.write) {
    writeFileSync(opts.out, md);
    console.log(`written to ${opts.out}`);
  }
}

function report(rows, { wpVersion, opts }) {
  const cpu = cpus();
  const lines = [];
  lines.push('# Bench results', '');
  lines.push('Made by `node tools/bench/run.mjs` (`npm run bench`); see the header of that file for what each column measures.');
  lines.push('');
  lines.push(`- Date: ${new Date().toISOString()}`);
  lines.push(`- Machine: ${cpu[0]?.model ?? 'unknown CPU'} (${cpu.length} cores), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${osType()} ${release()}`);
  lines.push(`- Load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(', ')} (other work on the machine makes numbers noisy)`);
  lines.push(`- Node ${process.version}, V8 ${process.versions.v8}; peer: @webassemblyjs/wasm-parser ${wpVersion}`);
  lines.push(`- Median over samples of >= 50 ms each (so GC pauses count), after warm-up${opts.quick ? ' (--quick: fewer samples)' : ''}; 1 MB = 10^6 bytes; a peer taking over 1.5 s a call is timed twice.`);
  lines.push('- `decode` keeps function bodies as byte ranges (the default); `decode+instr` decodes every instruction, as wasm-parser does, so it is the like-for-like column against wasm-parser.');
  lines.push('');
  lines.push('## Throughput (MB/s)', '');
  lines.push('| case | kind | size | decode | decode+instr | encode | sections | wasm-parser | WebAssembly.validate |');
  lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const cell = (row, k) => {
    const v = row.r[k];
    if (!v) return '-';
    if (v.error) return `error: ${v.error.replace(/\|/g, '/')}`;
    return fmtRate(mbps(row.bytes, v.ms));
  };
  for (const row of rows) {
    const validate = row.validateNested ? `${cell(row, 'validate')} (nested cores; rejects the component)` : cell(row, 'validate');
    lines.push(`| ${row.name} | ${row.kind} | ${fmtSize(row.bytes)} | ${cell(row, 'decode')} | ${cell(row, 'instr')} | ${cell(row, 'encode')} | ${cell(row, 'sections')} | ${row.kind === 'module' ? cell(row, 'wasmParser') : 'n/a'} | ${validate} |`);
  }
  lines.push('');
  lines.push('## Ratios', '');
  lines.push('Speed of ours divided by the peer\'s on the same bytes (higher is better for us).', '');
  lines.push('| case | decode vs wasm-parser | decode+instr vs wasm-parser | sections vs WebAssembly.validate |');
  lines.push('| --- | ---: | ---: | ---: |');
  const ms = (row, k) => row.r[k]?.ms;
  const aims = { decode: [], instr: [], outline: [] };
  for (const row of rows) {
    const wp = ms(row, 'wasmParser');
    const d = ms(row, 'decode');
    const ratioDecode = row.kind === 'module' ? fmtRatio(d, wp) : 'n/a';
    const ratioInstr = row.kind === 'module' ? fmtRatio(ms(row, 'instr'), wp) : 'n/a';
    const ratioOutline = fmtRatio(ms(row, 'sections'), ms(row, 'validate'));
    if (row.kind === 'module' && d !== undefined && wp !== undefined) aims.decode.push([row.name, wp / d]);
    if (row.kind === 'module' && ms(row, 'instr') !== undefined && wp !== undefined) aims.instr.push([row.name, wp / ms(row, 'instr')]);
    if (ms(row, 'sections') !== undefined && ms(row, 'validate') !== undefined) aims.outline.push([row.name, ms(row, 'validate') / ms(row, 'sections')]);
    lines.push(`| ${row.name} | ${ratioDecode} | ${ratioInstr} | ${ratioOutline} |`);
  }
  lines.push('');
  lines.push('## Aims (from the issue)', '');
  const minOf = (list) => list.reduce((m, [, r]) => Math.min(m, r), Infinity);
  if (aims.decode.length > 0) {
    const m = minOf(aims.decode);
    lines.push(`- decode at least 20x faster than wasm-parser on the same core modules: ${m >= 20 ? 'met' : 'NOT met'} (lowest ${m.toFixed(1)}x, ${aims.decode.map(([n, r]) => `${n} ${r.toFixed(0)}x`).join(', ')})`);
  } else lines.push('- decode vs wasm-parser: not measured');
  if (aims.instr.length > 0) {
    const m = minOf(aims.instr);
    lines.push(`- like for like, every instruction decoded (decode+instr vs wasm-parser): ${m >= 20 ? 'also at least 20x' : 'under 20x'} (lowest ${m.toFixed(1)}x, ${aims.instr.map(([n, r]) => `${n} ${r.toFixed(0)}x`).join(', ')})`);
  }
  if (aims.outline.length > 0) {
    const m = minOf(aims.outline);
    lines.push(`- sections() faster than WebAssembly.validate: ${m > 1 ? 'met' : 'NOT met'} (lowest ${m.toFixed(1)}x)`);
  } else lines.push('- sections() vs WebAssembly.validate: not measured');
  const mismatches = rows.filter((r) => r.roundTripMismatch).map((r) => r.name);
  if (mismatches.length > 0) lines.push(`- round trip NOT exact on: ${mismatches.join(', ')}`);
  else if (rows.some((r) => r.r.encode?.ms !== undefined)) lines.push('- encode(decode(bytes)) gave back the same bytes on every case measured');
  lines.push('');
  lines.push('## Cases', '');
  for (const row of rows) lines.push(`- \`${row.name}\` (${fmtSize(row.bytes)}): ${row.source}${row.kind === 'module' && row.valid === false ? ' (WebAssembly.validate says invalid)' : ''}`);
  lines.push('');
  lines.push(...otherBenchesSection());
  return lines.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
