#!/usr/bin/env node
// Async bench (issue 6): in one run, ours (@wasm-components/runtime, its built dist) against jco
// (@bytecodealliance/jco-transpile 0.15.0, asyncMode 'jspi') on the same WASI 0.3-style components from
// tools/fixtures-async, plus a plain Uint8Array copy-loop baseline:
//   - an async call that returns at once (ping), and one that yields once (yield-once), callback and stackful lifts;
//   - host-to-guest stream<u8> of 64 MiB (consume), in MB/s;
//   - guest-to-guest stream<u8> of 64 MiB between two instances (pipe.wasm: b.pull reads a.produce), and the
//     same two instances linked by the host (a.source.produce(n) handed to b.consume);
//   - the baseline: copying 64 MiB in 64 KiB chunks with Uint8Array.prototype.set, and with a byte loop.
// A side that cannot run a row reports why ("ours: not supported yet (<error>)") and the run goes on.
// Usage: npx node tools/bench/async/run.mjs [--quick] [--no-write] [--no-calls] [--no-streams]   (Node >= 24: jco needs JSPI)
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { jcoVersion, machineLine, median, now } from '../common.mjs';
import { instantiateAsync } from '@wasm-components/runtime';
import { fixture, hostImports, upstreamImports } from '../../fixtures-async/index.mjs';
import { loadJco } from '../../fixtures-async/jco.mjs';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');
// --child-json: ours only, rows printed as JSON (run.mjs starts itself this way on an engine without JSPI)
const CHILD = args.has('--child-json');
const SIDES = CHILD ? ['ours'] : ['ours', 'jco'];
const log = CHILD ? () => {} : (...xs) => console.log(...xs);
const STREAM_BYTES = (QUICK ? 16 : 64) * 2 ** 20;
const CHUNK = 2 ** 16;
const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const hasJspi = typeof WebAssembly.Suspending === 'function';

/** The first line of an error's message (traps and jco errors can be long). */
/** MB/s with sensible precision: 27878, 46.2, 0.0034 */
const rate = (x) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toPrecision(2));
const mib = (n) => (n >= 2 ** 20 ? `${n / 2 ** 20} MiB` : `${n / 1024} KiB`);
const why = (e) => String(e?.message ?? e).split('\n')[0].slice(0, 160);

// ---------- the two sides ----------

/** Exports of a fresh instance of fixture `name` on `side`, with the fixture's imports. */
async function instance(side, name) {
  const f = fixture(name);
  const imports = f.imports['fixtures:async-p3/host'] ? hostImports().imports : upstreamImports();
  if (side === 'ours') return instantiateAsync(new Uint8Array(readFileSync(f.path)), imports);
  if (!hasJspi) throw new Error('jco needs JSPI (WebAssembly.Suspending) for async components: run with Node >= 24');
  return (await loadJco(name)).instantiate(imports);
}

// ---------- timing ----------

/**
 * µs per awaited call for several callers measured together: each is checked and warmed up, its calls per
 * sample (~20 ms) are calibrated, then the samples are taken in turn (one of each per round), so every
 * caller runs under the same load (the machine may be shared); the median sample of each. `cells` maps a
 * key to `{ call(i), check(i) }`; the result maps each key to `{ value }` or `{ error }`.
 */
async function perCallInTurn(cells) {
  const SAMPLE_MS = 20;
  const loopOf = (call, check) => async (n) => {
    for (let i = 0; i < n; i++) {
      const r = await call(i);
      if (r !== check(i)) throw new Error(`wrong result ${r} for ${i}, expected ${check(i)}`);
    }
  };
  const out = {};
  const live = [];
  for (const [key, c] of Object.entries(cells)) {
    if (c.error !== undefined) {
      out[key] = { error: c.error };
      continue;
    }
    try {
      const loop = loopOf(c.call, c.check);
      await loop(1); // errors surface here
      const warmEnd = now() + (QUICK ? 100 : 300);
      while (now() < warmEnd) await loop(10);
      let n = 1;
      for (;;) {
        const t = now();
        await loop(n);
        if (now() - t > SAMPLE_MS / 2 || n >= 1 << 20) break;
        n *= 2;
      }
      live.push({ key, loop, n, samples: [] });
    } catch (e) {
      out[key] = { error: `fails (${why(e)})` };
    }
  }
  for (let round = 0; round < (QUICK ? 5 : 15); round++) {
    for (const m of live) {
      if (out[m.key] !== undefined) continue;
      try {
        const t = now();
        await m.loop(m.n);
        m.samples.push(((now() - t) * 1e3) / m.n);
      } catch (e) {
        out[m.key] = { error: `fails (${why(e)})` };
      }
    }
  }
  for (const m of live) out[m.key] ??= { value: median(m.samples), samples: m.samples };
  return out;
}

/**
 * MB/s (10^6 bytes per second) of `run(size)`, which moves `size` bytes. The size grows by 4x from 1 KiB up
 * to STREAM_BYTES, stopping early when the next size would take more than BUDGET_MS per run (jco moves some
 * streams one element per promise); then more runs at that size until WARM_MS have gone by at it (the
 * steady state: ours needs about a gigabyte moved before V8 has settled), then `count` timed runs (one when
 * a run takes over 2 s); the median. No forced GC: a full collection forced before a run makes ours'
 * next runs several times slower (4-10 GB/s instead of 35-40 on the reference machine, for about a
 * gigabyte), which is not how a stream runs in steady state. Returns { value, size }.
 */
const BUDGET_MS = 8000;
const WARM_MS = QUICK ? 500 : 2000;
async function throughput(run, count) {
  let size = 2 ** 10;
  let last;
  for (;;) {
    const t = now();
    await run(size);
    last = now() - t;
    if (size >= STREAM_BYTES || last * 4 > BUDGET_MS) break;
    size = Math.min(size * 4, STREAM_BYTES);
  }
  for (let warmEnd = now() + WARM_MS; now() < warmEnd && last < 2000; ) {
    const t = now();
    await run(size);
    last = now() - t;
  }
  const samples = [];
  for (let i = 0; i < (last > 2000 ? 1 : count); i++) {
    const t = now();
    await run(size);
    samples.push(size / 1e6 / ((now() - t) / 1e3));
  }
  return { value: median(samples), size };
}

/**
 * How many times longer `a(STREAM_BYTES)` takes than `b(STREAM_BYTES)` when they run in turn (`rounds`
 * pairs, after warming `b`): the median of the per-round ratios, so both sides of a ratio saw the
 * same load.
 */
async function inTurnRatio(a, b, rounds) {
  for (let i = 0; i < 3; i++) await b(STREAM_BYTES); // `a` is warm from its row; `b` gets warm here
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    let t = now();
    await a(STREAM_BYTES);
    const ta = now() - t;
    t = now();
    await b(STREAM_BYTES);
    ratios.push(ta / (now() - t));
  }
  return median(ratios);
}

/** Runs `measure()` for one side; a failure becomes a reason instead of a number. */
async function cell(side, measure) {
  try {
    const v = await measure();
    return typeof v === 'number' ? { value: v } : v;
  } catch (e) {
    return { error: `fails (${why(e)})` };
  }
}

// ---------- the host side of byte streams ----------

const source = new Uint8Array(STREAM_BYTES);
for (let i = 0; i < source.length; i += 4096) source[i] = i >> 12;
/** STREAM_BYTES as CHUNK-sized views of one buffer: no generation cost inside the timed region. */
const chunks = Array.from({ length: STREAM_BYTES / CHUNK }, (_, i) => source.subarray(i * CHUNK, (i + 1) * CHUNK));
/** The first `size` bytes (a multiple of CHUNK) as an async iterable of chunks: the host side of a stream<u8>. */
async function* hostStream(size = STREAM_BYTES) {
  if (size < CHUNK) yield source.subarray(0, size);
  else for (let i = 0; i < size / CHUNK; i++) yield chunks[i];
}
const expectBytes = (got, size) => {
  if (BigInt(got) !== BigInt(size)) throw new Error(`moved ${got} bytes, expected ${size}`);
};

// ---------- rows ----------

const rows = [];
function show(row) {
  const fmt = (c) =>
    c.value === undefined
      ? c.error
      : `${row.unit === 'MB/s' ? rate(c.value) : c.value.toFixed(2)} ${row.unit}${c.size !== undefined && c.size !== STREAM_BYTES ? ` (on ${mib(c.size)})` : ''}`;
  log(`${row.what.padEnd(46)} ours ${fmt(row.ours).padEnd(24)}${row.jco ? ` jco ${fmt(row.jco)}` : ''}`);
  rows.push(row);
}

async function callRows() {
  const exps = [
    ['ping', 'async call returning at once'],
    ['yieldOnce', 'async call with one yield'],
  ];
  for (const lift of ['callback', 'stackful']) {
    // Both exports on both sides sampled in turn: the ratios and the yield-minus-ping difference are taken
    // under the same load.
    const cells = {};
    for (const side of SIDES) {
      let e;
      let error;
      try {
        e = await instance(side, lift);
      } catch (err) {
        error = `fails (${why(err)})`;
      }
      for (const [exp] of exps) cells[`${side} ${exp}`] = error !== undefined ? { error } : { call: (i) => e[exp](i), check: (i) => i + 1 };
    }
    const got = await perCallInTurn(cells);
    for (const side of SIDES) {
      // The yield's own cost: yield-once minus ping, per round (sampled back to back), the median.
      const p = got[`${side} ping`];
      const y = got[`${side} yieldOnce`];
      if (p.samples !== undefined && y.samples !== undefined) y.overPing = median(y.samples.map((v, i) => v - p.samples[i]));
    }
    for (const [exp, what] of exps) {
      const row = { what: `${what} (${lift} lift)`, unit: 'µs', lift, exp };
      for (const side of SIDES) {
        const { samples: _, ...c } = got[`${side} ${exp}`];
        row[side] = c;
      }
      show(row);
    }
  }
}

async function streamRows() {
  const count = QUICK ? 3 : 5;
  const jcoCount = QUICK ? 1 : 3; // jco moves stream<u8> at a few tens of MB/s
  const host = { what: `host-to-guest stream<u8>, ${STREAM_BYTES / 2 ** 20} MiB (consume)`, unit: 'MB/s' };
  for (const side of SIDES)
    host[side] = await cell(side, async () => {
      const e = await instance(side, 'streams');
      const run = async (size) => expectBytes(await e.consume(hostStream(size)), size);
      const r = await throughput(run, side === 'jco' ? jcoCount : count);
      // For the aim: ours against the copy loop run in turn with it (same load), the median of the per-round ratios.
      if (side === 'ours' && r.size === STREAM_BYTES) host.oursOverCopy = await inTurnRatio(run, setLoop, QUICK ? 5 : 9);
      return r;
    });
  show(host);
  const pipe = { what: `guest-to-guest stream<u8>, ${STREAM_BYTES / 2 ** 20} MiB (pipe.wasm: b.pull <- a.produce)`, unit: 'MB/s' };
  for (const side of SIDES)
    pipe[side] = await cell(side, async () => {
      const e = await instance(side, 'pipe');
      return throughput(async (size) => expectBytes(await e.pull(BigInt(size)), size), side === 'jco' ? jcoCount : count);
    });
  show(pipe);
  const linked = { what: `guest-to-guest stream<u8>, ${STREAM_BYTES / 2 ** 20} MiB (host links a.produce -> b.consume)`, unit: 'MB/s' };
  for (const side of SIDES)
    linked[side] = await cell(side, async () => {
      const a = await instance(side, 'streams');
      const b = await instance(side, 'streams');
      return throughput(
        async (size) => expectBytes(await b.consume(await a['fixtures:async-p3/source'].produce(BigInt(size))), size),
        side === 'jco' ? jcoCount : count,
      );
    });
  show(linked);
}

/** The baseline: the same bytes copied in the same chunks within JS, with no component in between. */
/** The baseline's destination, and the baseline itself: each chunk copied into it with `set()`. */
const dst = new Uint8Array(CHUNK);
const setLoop = async (size) => {
  for (let k = 0; k < size; k += CHUNK) dst.set(size < CHUNK ? source.subarray(0, size) : chunks[k / CHUNK]);
};

async function baselineRows() {
  const byteLoop = async (size) => {
    for (let k = 0; k < size; k += CHUNK) {
      const c = size < CHUNK ? source.subarray(0, size) : chunks[k / CHUNK];
      for (let i = 0; i < c.length; i++) dst[i] = c[i];
    }
  };
  // the same, with an `await` per chunk as a stream's consumer has
  const awaitLoop = async (size) => {
    for await (const c of hostStream(size)) dst.set(c);
  };
  const out = [];
  for (const [what, run] of [
    ['Uint8Array copy loop: set() per 64 KiB chunk', setLoop],
    ['Uint8Array copy loop: for-await over chunks, set()', awaitLoop],
    ['Uint8Array copy loop: byte by byte', byteLoop],
  ]) {
    const { value, size } = await throughput(run, QUICK ? 3 : 9);
    if (size !== STREAM_BYTES) throw new Error(`baseline ${what} did not reach ${STREAM_BYTES} bytes`);
    console.log(`${what.padEnd(46)} ${value.toFixed(0)} MB/s`);
    out.push({ what, value });
  }
  return out;
}

// ---------- main ----------

log(`Node ${process.version}, JSPI ${hasJspi ? 'present' : 'absent'}; ${STREAM_BYTES / 2 ** 20} MiB streams`);
if (!args.has('--no-calls')) await callRows();
if (!args.has('--no-streams')) await streamRows();
if (CHILD) {
  process.stdout.write(JSON.stringify(rows));
  process.exit(0);
}
const noJspi = noJspiRun();
const baseline = await baselineRows();
if (!args.has('--no-write')) writeFileSync(here('RESULTS.md'), report(rows, baseline, noJspi));

/**
 * Ours again on an engine without JSPI (issue 6: callback lifts must run on Node 20; stackful ones must fail
 * with a clear error naming the missing feature): the first `node` on PATH outside node_modules/.bin (or
 * $NODE_NO_JSPI) that has no WebAssembly.Suspending runs this script with --child-json; its cells become
 * `row.oursNoJspi`. Returns that engine's version, or a reason it was not run.
 */
function noJspiRun() {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('node_modules'));
  const candidates = [process.env.NODE_NO_JSPI, ...dirs.map((d) => join(d, 'node'))].filter(Boolean);
  for (const node of candidates) {
    let probe;
    try {
      probe = execFileSync(node, ['-p', 'typeof WebAssembly.Suspending + " " + process.version'], { encoding: 'utf8' }).trim().split(' ');
    } catch {
      continue;
    }
    if (probe[0] !== 'undefined') continue;
    console.log(`ours again on Node ${probe[1]} (no JSPI): ${node}`);
    const childArgs = [fileURLToPath(import.meta.url), '--child-json', ...[...args].filter((a) => a !== '--child-json')];
    const out = JSON.parse(execFileSync(node, childArgs, { encoding: 'utf8', maxBuffer: 1 << 24 }));
    for (const r of out) {
      const mine = rows.find((x) => x.what === r.what);
      if (mine) mine.oursNoJspi = r.ours;
      show({ ...r, what: `${r.what} [Node ${probe[1]}]` });
      rows.pop();
    }
    return { version: probe[1] };
  }
  return { missing: 'no node without JSPI found on PATH (set NODE_NO_JSPI)' };
}

function report(rows, baseline, noJspi) {
  const num = (c, unit) => (c.value === undefined ? '' : unit === 'MB/s' ? rate(c.value) : c.value.toFixed(2));
  const note = (side, c) =>
    c.value === undefined
      ? `${side}: ${c.error}`
      : c.size !== undefined && c.size !== STREAM_BYTES
        ? `${side}: measured on ${mib(c.size)} (the next 4x size would take over ${BUDGET_MS / 1000} s per run)`
        : '';
  const ratio = (row) => {
    if (row.ours.value === undefined || row.jco.value === undefined) return '';
    const x = row.unit === 'MB/s' ? row.ours.value / row.jco.value : row.jco.value / row.ours.value;
    return `${x.toFixed(1)}x`;
  };
  const n20 = noJspi.version ? `ours, Node ${noJspi.version} (no JSPI)` : 'ours without JSPI';
  const notes = (r) =>
    [note('ours', r.ours), note('jco', r.jco), r.oursNoJspi ? note(`ours without JSPI`, r.oursNoJspi) : ''].filter(Boolean).join('; ');
  const base = baseline[0].value;
  const find = (lift, exp) => rows.find((r) => r.lift === lift && r.exp === exp);
  const aims = [];
  for (const lift of rows.some((r) => r.lift) ? ['callback', 'stackful'] : []) {
    const ping = find(lift, 'ping');
    const yieldRow = find(lift, 'yieldOnce');
    const yieldCost = (side) => yieldRow[side].overPing;
    const us = (x) => (x <= 0 ? `${x.toFixed(2)} µs (no slower than ping: within noise)` : `${x.toFixed(2)} µs`);
    const oy = yieldCost('ours');
    const jy = yieldCost('jco');
    aims.push(
      `- \`thread.yield\` round trip under 5 µs (${lift} lift; yield-once minus ping, median of per-round differences): ours ` +
        (oy === undefined ? `not measured (${yieldRow.ours.error ?? ping.ours.error})` : `${us(oy)}: **${oy < 5 ? 'met' : 'not met'}**`) +
        `; jco ${jy === undefined ? `not measured (${yieldRow.jco.error ?? ping.jco.error})` : `${jy.toFixed(1)} µs`}.`,
    );
    // jco cannot run stackful lifts: its cheapest async call (the callback lift's ping) is the comparison then.
    const jcoPing = ping.jco.value ?? find('callback', 'ping')?.jco.value;
    const against = ping.jco.value !== undefined ? '' : ` (jco cannot run this lift: ${ping.jco.error}; against jco's callback-lift call, ${jcoPing?.toFixed(2)} µs)`;
    aims.push(
      `- An immediate async call at least 5x faster than jco (${lift} lift): ` +
        (ping.ours.value === undefined
          ? `ours not measured (${ping.ours.error})`
          : jcoPing === undefined
            ? `jco not measured (${ping.jco.error}); ours ${ping.ours.value.toFixed(2)} µs`
            : `${(jcoPing / ping.ours.value).toFixed(1)}x${against}: **${jcoPing / ping.ours.value >= 5 ? 'met' : 'not met'}**`) +
        '.',
    );
  }
  const host = rows.find((r) => r.what.startsWith('host-to-guest'));
  if (host) aims.push(
    `- \`stream<u8>\` within 2x of a plain \`Uint8Array\` copy loop (host-to-guest vs \`set()\` per chunk, ${base.toFixed(0)} MB/s): ` +
      (host.ours.value === undefined
        ? `ours not measured (${host.ours.error})`
        : host.oursOverCopy !== undefined
          ? `${host.oursOverCopy.toFixed(2)}x slower, run in turn with the copy loop (median of per-round ratios; ${(base / host.ours.value).toFixed(2)}x from the table's medians): **${host.oursOverCopy <= 2 ? 'met' : 'not met'}**`
          : `${(base / host.ours.value).toFixed(2)}x slower: **${base / host.ours.value <= 2 ? 'met' : 'not met'}**`) +
      (host.jco.value === undefined ? '' : `; jco ${(base / host.jco.value).toFixed(0)}x slower`) +
      '.',
  );
  /** The rows of one unit as a Markdown table (header, rule, rows). */
  const table = (first, ratioHead, unit) => [
    `| ${first} | ours | jco | ${ratioHead} | ${n20} | notes |`,
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...rows
      .filter((r) => r.unit === unit)
      .map((r) => `| ${r.what} | ${num(r.ours, unit)} | ${num(r.jco, unit)} | ${ratio(r)} | ${r.oursNoJspi ? num(r.oursNoJspi, unit) : ''} | ${notes(r)} |`),
  ];
  const lines = [
    '# Async bench results',
    '',
    `Generated by \`npx node tools/bench/async/run.mjs\`${QUICK ? ' --quick' : ''} on ${new Date().toISOString().slice(0, 10)}.`,
    machineLine(),
    `jco: @bytecodealliance/jco-transpile ${jcoVersion()} (\`asyncMode: 'jspi'\`, every function listed in asyncImports/asyncExports); ours: @wasm-components/runtime from packages/runtime/dist (\`instantiateAsync\`). Components: tools/fixtures-async/bin. See README.md.`,
    '',
    '## Calls (µs per awaited call, median of samples of ~20 ms after warm-up; no forced GC)',
    '',
    ...table('call', 'jco / ours', 'µs'),
    '',
    `## Streams (MB/s = 10^6 bytes per second, ${STREAM_BYTES / 2 ** 20} MiB per run in ${CHUNK / 1024} KiB host chunks; median of runs in steady state, no forced GC)`,
    '',
    ...table('transfer', 'ours / jco', 'MB/s'),
    '',
    'Baseline, the same bytes in the same process with no component (MB/s):',
    '',
    '| copy | MB/s |',
    '| --- | ---: |',
    ...baseline.map((b) => `| ${b.what} | ${b.value.toFixed(0)} |`),
    '',
    '## Aims (issue 6)',
    '',
    ...aims,
    '',
    '## Notes',
    '',
    noJspi.version
      ? `- The \`${n20}\` column: the same rows for ours only, run by this script in a child process on an engine without JSPI (callback lifts must work there; stackful ones run until they would block, and blocking fails naming the missing feature).`
      : `- Ours without JSPI was not run: ${noJspi.missing}.`,
    '- The machine may be shared with other processes: compare ratios within one run.',
    '- Cells left empty could not be measured; the notes say why, with the first line of the error.',
    '',
  ];
  return lines.join('\n');
}
