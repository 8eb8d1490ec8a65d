#!/usr/bin/env node
// CPU profile of one side of one bench case, for whoever optimises it: the functions with the most self time.
//
//   node tools/bench/canonical-abi/profile.mjs CASE DIR [SIDE] [--seconds N] [--ours FILE] [--save FILE.cpuprofile]
//
// CASE: bytes | strings | records | deep | deeps; DIR: lower | lift; SIDE: ours (default) | jco.
// Runs the same calls as run.mjs (same component, same instance, same values) for N seconds (default 3)
// after a warm-up, under the inspector's sampling profiler, and prints the top 20 functions by self time.
// --save writes the whole profile (open it in Chrome DevTools > Performance or VS Code).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { CASES, componentWat } from './component.mjs';
import { makeBytes, makeDeep, makeDeeps, makeRecords, makeStrings } from './data.mjs';
import { buildJco } from './jco.mjs';
import { DEFAULT_DIST, loadOurs, makeOurs } from './ours.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i === -1) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const seconds = Number(opt('--seconds', '3'));
const oursPath = opt('--ours', DEFAULT_DIST);
const save = opt('--save', undefined);
const [name, dir, side = 'ours'] = args;
const c = CASES.find((x) => x.name === name);
if (!c || (dir !== 'lower' && dir !== 'lift') || (side !== 'ours' && side !== 'jco')) {
  console.error('usage: node tools/bench/canonical-abi/profile.mjs bytes|strings|records|deep|deeps lower|lift [ours|jco] [--seconds N] [--ours FILE] [--save FILE]');
  process.exit(2);
}
const make = { bytes: makeBytes, strings: makeStrings, records: makeRecords, deep: () => makeDeep(0), deeps: makeDeeps }[name];
const v = make();

const { api, core } = await buildJco(await parse(componentWat()));
const camel = (s) => s.replace(/-(\w)/g, (_, ch) => ch.toUpperCase());
api[camel(`keep-${name}`)](c.list ? v : [v]);
let f;
if (side === 'jco') {
  f = dir === 'lower' ? () => api[camel(`take-${name}`)](v) : () => api[camel(`give-${name}`)]();
} else {
  const ours = await loadOurs(oursPath);
  if (!ours.lib) throw new Error(`@wasm-components/canonical-abi: ${ours.error}`);
  const our = makeOurs(ours.lib, core, CASES)[name];
  f = dir === 'lower' ? () => our.take(v) : () => our.give();
}

let sink;
const warm = performance.now();
while (performance.now() - warm < 500) sink = f();
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 100 });
await session.post('Profiler.start');
const t0 = performance.now();
let calls = 0;
while (performance.now() - t0 < seconds * 1000) {
  sink = f();
  calls++;
}
const elapsed = performance.now() - t0;
const { profile } = await session.post('Profiler.stop');
session.disconnect();
void sink;
if (save) writeFileSync(save, JSON.stringify(profile));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const cf = n.callFrame;
  const where = cf.url ? `${cf.url.split('/').slice(-2).join('/')}:${cf.lineNumber + 1}` : '';
  const key = `${cf.functionName || '(anonymous)'} ${where}`.trim();
  const dt = profile.timeDeltas[i] ?? 0;
  selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
  total += dt;
}
console.log(`${side} ${name} ${dir}: ${((elapsed * 1e3) / calls).toFixed(1)} µs per call (${calls} calls in ${(elapsed / 1000).toFixed(1)} s)`);
console.log('self time:');
for (const [k, us] of [...selfUs].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`${((100 * us) / total).toFixed(1).padStart(6)}%  ${k}`);
}
