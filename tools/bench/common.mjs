// Helpers shared by the bench scripts (runtime/run.mjs, async/run.mjs): timing basics, the forced GC, and the
// lines every RESULTS.md starts with (which machine, which Node, which jco), so the reports agree.
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** The load average when this module was loaded (the start of the run): the machine may be shared. */
export const LOAD_AT_START = loadavg();

/** Milliseconds, high resolution. */
export const now = () => performance.now();

/** The median (the upper one for an even count) of a list of numbers. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * `global.gc()`, exposed on demand so a plain `node run.mjs` has it too (a collection before each measurement
 * keeps one side's garbage from being collected during the other's).
 */
export const gc = (() => {
  if (!globalThis.gc) {
    setFlagsFromString('--expose-gc');
    globalThis.gc = runInNewContext('gc');
  }
  return globalThis.gc;
})();

/** The installed @bytecodealliance/jco-transpile version (its package.json sits one or two levels above its entry). */
export function jcoVersion() {
  const entry = import.meta.resolve('@bytecodealliance/jco-transpile');
  for (const up of ['../package.json', '../../package.json']) {
    try {
      return JSON.parse(readFileSync(new URL(up, entry), 'utf8')).version;
    } catch {}
  }
  return '?';
}

/** `Machine: <cpu> (<n> cores), <mem> GiB; Node <v> (V8 <v>), <platform>-<arch>; load average at start <l1 l5 l15>.` */
export function machineLine() {
  return (
    `Machine: ${cpus()[0]?.model ?? '?'} (${cpus().length} cores), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; ` +
    `Node ${process.version} (V8 ${process.versions.v8}), ${process.platform}-${process.arch}; ` +
    `load average at start ${LOAD_AT_START.map((x) => x.toFixed(2)).join(' ')}.`
  );
}
