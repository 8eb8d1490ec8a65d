// The WASI 0.3-style async fixtures: paths, and for each one what to call, with which imports, and what it
// must return, so the runtime's async tests and the bench can run them without reading the C sources.
// See README.md for how each is built; build.mjs rebuilds them byte for byte.
import { fileURLToPath } from 'node:url';

const bin = (name) => fileURLToPath(new URL(`./bin/${name}`, import.meta.url));

/** Path of the WIT package all fixtures are built from (one world per fixture). */
export const WIT_PATH = fileURLToPath(new URL('./src/async-p3.wit', import.meta.url));

/** Byte i of every stream the fixtures produce, and of the streams the tests feed them. */
export const patternByte = (i) => i & 0xff;

/**
 * `n` bytes of the pattern starting at stream offset `from`.
 * @param {number} n
 * @param {number} [from]
 * @returns {Uint8Array}
 */
export function patternBytes(n, from = 0) {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (from + i) & 0xff;
  return out;
}

/**
 * An async iterable of `Uint8Array` chunks (at most `chunk` bytes each) that together hold `n` pattern
 * bytes: the host side of a `stream<u8>` argument. The chunks are fresh arrays.
 * @param {number} n
 * @param {number} [chunk]
 * @returns {AsyncIterable<Uint8Array>}
 */
export async function* patternChunks(n, chunk = 1 << 16) {
  for (let at = 0; at < n; at += chunk) yield patternBytes(Math.min(chunk, n - at), at);
}

/**
 * Imports for `callback` and `stackful`: `fixtures:async-p3/host.fetch(n)` resolves to `fetched <n>` after one
 * microtask (so the guest's async lower sees a subtask that has STARTED, not RETURNED, and must wait).
 * `calls` records every n asked for.
 * @returns {{ imports: Record<string, Record<string, Function>>, calls: number[] }}
 */
export function hostImports() {
  const calls = [];
  return {
    calls,
    imports: {
      'fixtures:async-p3/host': {
        fetch: async (n) => {
          calls.push(n);
          await Promise.resolve();
          return `fetched ${n}`;
        },
      },
    },
  };
}

/**
 * Imports for `streams` and `pipe`: `fixtures:async-p3/upstream.produce(n)` returns `n` pattern bytes as an
 * async iterable of `Uint8Array` chunks (the host-side form of a `stream<u8>` result).
 * @returns {Record<string, Record<string, Function>>}
 */
export function upstreamImports() {
  return { 'fixtures:async-p3/upstream': { produce: async (n) => patternChunks(Number(n)) } };
}

/**
 * The imports a fixture call needs, by the `imports` key of its {@link FixtureCall}.
 * @param {'host' | 'upstream' | 'qjs-text' | 'none'} which
 * @returns {Record<string, Record<string, Function>>}
 */
export function importsFor(which) {
  switch (which) {
    case 'host':
      return hostImports().imports;
    case 'upstream':
      return upstreamImports();
    case 'qjs-text':
      return { 'fixtures:qjs-text/host': { decorate: (name) => `[${name}]` } };
    default:
      return {};
  }
}

const hostImport = { 'fixtures:async-p3/host': { fetch: 'async' } };
const callExports = { run: 'async', ping: 'async', 'yield-once': 'async' };
const callCalls = (prefix) => [
  { export: 'run', jsName: 'run', args: [7], imports: 'host', result: `${prefix}: fetched 7`, what: 'lowers host.fetch(7) async, waits for the subtask, returns the prefixed string' },
  { export: 'ping', jsName: 'ping', args: [41], imports: 'host', result: 42, what: 'task.return at once: the cheapest async call' },
  { export: 'yield-once', jsName: 'yieldOnce', args: [1], imports: 'host', result: 2, what: 'returns after one yield to the scheduler' },
];

/** @type {readonly import('./index.d.mts').AsyncFixture[]} */
export const fixtures = Object.freeze([
  {
    name: 'callback',
    path: bin('callback.wasm'),
    world: 'callback',
    source: 'src/callback.c',
    builtBy: 'clang',
    lift: 'callback',
    needsStackSwitching: false,
    description:
      'async exports lifted with a callback: run lowers the async import host.fetch and waits for it via the callback (WAIT), ping returns from its first call, yield-once returns YIELD once',
    imports: hostImport,
    exports: callExports,
    calls: callCalls('callback'),
  },
  {
    name: 'stackful',
    path: bin('stackful.wasm'),
    world: 'stackful',
    source: 'src/stackful.c',
    builtBy: 'clang',
    lift: 'stackful',
    needsStackSwitching: true,
    description:
      'the same exports lifted stackful (canon lift async, no callback): run blocks in waitable-set.wait on the host.fetch subtask, yield-once calls thread.yield',
    imports: hostImport,
    exports: callExports,
    calls: callCalls('stackful'),
  },
  {
    name: 'streams',
    path: bin('streams.wasm'),
    world: 'streams',
    source: 'src/streams.c',
    builtBy: 'clang',
    lift: 'callback',
    needsStackSwitching: false,
    description:
      'stream<u8> both ways, callback-lifted, copying through a 64 KiB guest buffer: consume (host stream in, count out), echo (stream in, stream out), source.produce (n pattern bytes out), pull (reads the imported upstream.produce stream)',
    imports: { 'fixtures:async-p3/upstream': { produce: 'async' } },
    exports: { consume: 'async', echo: 'async', pull: 'async', 'fixtures:async-p3/source': { produce: 'async' } },
    calls: [
      { export: 'consume', jsName: 'consume', args: [{ stream: 'u8', length: 100000 }], imports: 'upstream', result: 100000n, what: 'reads the host stream to its end; returns the byte count (u64)' },
      { export: 'echo', jsName: 'echo', args: [{ stream: 'u8', length: 100000 }], imports: 'upstream', result: { stream: 'u8', length: 100000 }, what: 'returns a stream with the same bytes, in order' },
      { export: 'fixtures:async-p3/source#produce', jsName: 'produce', args: [100000n], imports: 'upstream', result: { stream: 'u8', length: 100000 }, what: 'a stream of n pattern bytes' },
      { export: 'pull', jsName: 'pull', args: [100000n], imports: 'upstream', result: 100000n, what: 'calls upstream.produce(n) (async lower), reads that stream to its end, returns the count' },
    ],
  },
  {
    name: 'pipe',
    path: bin('pipe.wasm'),
    world: 'streams (composed twice)',
    source: 'build.mjs (pipe)',
    builtBy: 'clang',
    lift: 'callback',
    needsStackSwitching: false,
    description:
      'two instances of streams.wasm in one component: b.pull(n) reads the stream a.source.produce(n) writes, guest to guest; the outer upstream import feeds a (unused by these calls)',
    imports: { 'fixtures:async-p3/upstream': { produce: 'async' } },
    exports: { pull: 'async', 'fixtures:async-p3/source': { produce: 'async' } },
    calls: [
      { export: 'pull', jsName: 'pull', args: [100000n], imports: 'upstream', result: 100000n, what: 'instance b reads instance a\'s stream: no host code on the byte path' },
    ],
  },
  {
    name: 'qjs-text',
    path: bin('qjs-text.wasm'),
    world: 'text',
    source: 'qjs/text.js, qjs/text.wit',
    builtBy: 'componentize-qjs',
    lift: 'callback',
    needsStackSwitching: false,
    description:
      'componentize-qjs 0.4.5 (QuickJS, WASI stubbed): async exports with stream<string> in and out, and a sync import called from an async export; also exports componentize-qjs\'s own sync `init`. Its core module uses extended-const (not in Node 20\'s V8)',
    imports: { 'fixtures:qjs-text/host': { decorate: 'sync' } },
    exports: { init: 'sync', greet: 'async', upper: 'async', 'count-words': 'async' },
    calls: [
      { export: 'greet', jsName: 'greet', args: ['ada'], imports: 'qjs-text', result: 'hello, [ada]', what: 'async export awaiting a microtask, calling the sync import decorate' },
      { export: 'upper', jsName: 'upper', args: [{ stream: 'string', items: ['hello world', 'wasi 0.3'] }], imports: 'qjs-text', result: { stream: 'string', items: ['HELLO WORLD', 'WASI 0.3'] }, what: 'stream<string> in, stream<string> out' },
      { export: 'count-words', jsName: 'countWords', args: [{ stream: 'string', items: ['one two', '  three  ', ''] }], imports: 'qjs-text', result: 3, what: 'reads a stream<string> to its end' },
    ],
  },
  {
    name: 'qjs-later',
    path: bin('qjs-later.wasm'),
    world: 'later',
    source: 'qjs/later.js, qjs/later.wit',
    builtBy: 'componentize-qjs',
    lift: 'callback',
    needsStackSwitching: false,
    description:
      'componentize-qjs 0.4.5 (QuickJS, WASI stubbed): future<u32> out (written after the call returned), future<string> in, stream<string> out; no imports; also exports the sync `init`',
    imports: {},
    exports: { init: 'sync', later: 'async', describe: 'async', countdown: 'async' },
    calls: [
      { export: 'later', jsName: 'later', args: [21], imports: 'none', result: { future: 'u32', value: 42 }, what: 'returns a future the guest writes later' },
      { export: 'describe', jsName: 'describe', args: [{ future: 'string', value: 'hi' }], imports: 'none', result: 'future gave: hi', what: 'reads a future<string> argument' },
      { export: 'countdown', jsName: 'countdown', args: [3], imports: 'none', result: { stream: 'string', items: ['3...', '2...', '1...', 'liftoff'] }, what: 'stream<string> out from an async generator' },
    ],
  },
]);

/**
 * The fixture with this name.
 * @param {string} name
 * @returns {import('./index.d.mts').AsyncFixture}
 */
export function fixture(name) {
  const found = fixtures.find((f) => f.name === name);
  if (!found) throw new Error(`no async fixture named '${name}'; known: ${fixtures.map((f) => f.name).join(', ')}`);
  return found;
}
