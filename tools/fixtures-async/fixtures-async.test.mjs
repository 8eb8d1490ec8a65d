// Checks that the checked-in WASI 0.3-style fixtures are what index.mjs and README.md say: the recorded
// hashes, valid components for @wasm-components/runtime's validator with the described imports and
// exports (all functions `async`), and the canon definitions each one is meant to exercise (read back with
// wasm-tools 0.254). Their behaviour (the `calls` of index.mjs) is checked against jco on Node >= 24 (jco
// needs JSPI for any async component). Our runtime runs them in packages/runtime/src/instantiate/async-host.test.ts.
import { print } from '@bytecodealliance/jco-transpile/wasm-tools';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateComponent } from '@wasm-components/runtime';
import { fixtures, importsFor, patternBytes, patternChunks } from './index.mjs';

// Known differences, each with its reason (see expectations.json): asserted exactly, so a fix shows up.
const expectations = JSON.parse(readFileSync(new URL('./expectations.json', import.meta.url), 'utf8'));

const sums = new Map(
  readFileSync(new URL('./bin/SHA256SUMS', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(/\s+/).reverse()),
);

const expectedText = {
  callback: [
    'canon lift (core func $"[async-lift]run") (memory $memory) string-encoding=utf8 async (callback $"[callback][async-lift]run")',
    'async (callback $"[callback][async-lift]yield-once")',
    'canon lower (func $fetch) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 async',
    'canon task.return (result string)',
    'canon waitable-set.new',
    'canon waitable.join',
    'canon subtask.drop',
    'canon context.get i32 0',
  ],
  stackful: [
    'canon lift (core func $"[async-lift-stackful]run") (memory $memory) string-encoding=utf8 async)',
    'canon lift (core func $"[async-lift-stackful]yield-once") async)',
    'canon lower (func $fetch) (memory $memory) (realloc $cabi_realloc) string-encoding=utf8 async',
    'canon waitable-set.wait (memory $memory)',
    'canon thread.yield',
    'canon task.return (result string)',
  ],
  streams: [
    'async (callback $"[callback][async-lift]consume")',
    'async (callback $"[callback][async-lift]fixtures:async-p3/source#produce")',
    'canon stream.new',
    'canon stream.read 1 (memory $memory) async',
    'canon stream.write 1 (memory $memory) async',
    'canon stream.drop-readable',
    'canon stream.drop-writable',
    'canon lower (func $produce) (memory $memory) async',
    'canon task.return (result u64)',
  ],
  'qjs-text': [
    'canon lift (core func $"[async-lift]upper")',
    'canon stream.new',
    'canon stream.read',
    'canon task.return (result string)',
  ],
  'qjs-later': ['canon future.new', 'canon future.write', 'canon future.read', 'canon stream.write'],
  pipe: ['(component $streams', '(instance $a (;1;) (instantiate $streams', '(instance $b (;3;) (instantiate $streams', '(export (;1;) "pull" (func 0))'],
};

describe('fixtures-async', () => {
  it('should list exactly the checked-in binaries', () => {
    expect([...sums.keys()].sort()).toEqual(fixtures.map((f) => `${f.name}.wasm`).sort());
  });

  it.each(fixtures.map((f) => [f.name, f]))('should match the recorded hash: %s', (_, f) => {
    const bytes = readFileSync(f.path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sums.get(`${f.name}.wasm`));
  });

  it.each(fixtures.map((f) => [f.name, f]))('should validate with the described imports and exports: %s', async (_, f) => {
    const bytes = new Uint8Array(readFileSync(f.path));
    const known = expectations.validate[f.name];
    if (known) {
      // still rejected for the recorded reason; the names are then read from the printed component
      expect(() => validateComponent(bytes)).toThrow(known.error);
      const top = (await print(bytes)).split('\n').filter((l) => /^ {2}\((import|export) /.test(l));
      const names = (kind) => top.filter((l) => l.startsWith(`  (${kind} `)).map((l) => /"([^"]+)"/.exec(l)[1]);
      expect(names('import').sort()).toEqual(Object.keys(f.imports).sort());
      expect(names('export').sort()).toEqual(Object.keys(f.exports).sort());
      return;
    }
    const info = validateComponent(bytes);
    const kind = (ft) => (ft.async ? 'async' : 'sync');
    const shape = (externs) =>
      Object.fromEntries(
        [...externs].map(([name, ext]) => {
          if (ext.sort === 'func') return [name, kind(ext.type)];
          expect(ext.sort).toBe('instance');
          const funcs = [...ext.type.exports].filter(([, e]) => e.sort === 'func');
          return [name, Object.fromEntries(funcs.map(([n, e]) => [n, kind(e.type)]))];
        }),
      );
    expect(shape(info.type.imports)).toEqual(f.imports);
    expect(shape(info.type.exports)).toEqual(f.exports);
  });

  it.each(Object.entries(expectedText))('should contain the canon definitions it is meant to exercise: %s', async (name, needles) => {
    const f = fixtures.find((x) => x.name === name);
    const text = await print(readFileSync(f.path));
    for (const needle of needles) expect(text).toContain(needle);
    // a stackful lift has no callback option; a callback lift always has one
    if (f.lift === 'stackful') expect(text).not.toContain('(callback');
    else expect(text).not.toContain('async-lift-stackful');
  });

  it('should list a reason for every expectation, and only for fixtures that exist', () => {
    for (const [name, e] of Object.entries(expectations.validate)) {
      expect(fixtures.map((f) => f.name)).toContain(name);
      expect(e.reason.length).toBeGreaterThan(20);
    }
  });

  it('should describe stream arguments with the pattern helpers', async () => {
    let n = 0;
    const seen = [];
    for await (const chunk of patternChunks(70000, 65536)) {
      seen.push(chunk.length);
      expect(chunk).toEqual(patternBytes(chunk.length, n));
      n += chunk.length;
    }
    expect(seen).toEqual([65536, 4464]);
  });
});

// jco (the one other JS host with component-model async) as an independent check that the described calls
// give the described results. jco turns every async component into JSPI code, so this needs Node >= 24.
const hasJspi = typeof WebAssembly.Suspending === 'function';
describe.skipIf(!hasJspi)('fixtures-async under jco (needs JSPI: Node >= 24)', async () => {
  const { loadJco } = await import('./jco.mjs');
  const collect = async (iterable) => {
    const items = [];
    for await (const x of iterable) items.push(x);
    return items;
  };
  /** A described argument as a JS host passes it (the same shapes our runtime's async host API takes). */
  const toArg = (a) => {
    if (typeof a !== 'object') return a;
    if ('future' in a) return Promise.resolve(a.value);
    if (a.stream === 'u8') return patternChunks(a.length);
    return (async function* () {
      yield* a.items;
    })();
  };
  /** Checks a result against its description. */
  const check = async (got, want) => {
    if (typeof want !== 'object') return expect(got).toEqual(want);
    if ('future' in want) return expect(await got).toEqual(want.value);
    const items = await collect(got);
    if (want.stream === 'string') return expect(items).toEqual(want.items);
    // jco yields a stream<u8> one number per byte; a Uint8Array chunk per read is what our runtime will do
    const bytes = Uint8Array.from(items.flatMap((x) => (typeof x === 'number' ? [x] : [...x])));
    return expect(bytes).toEqual(patternBytes(want.length));
  };
  // jco 0.15 cannot run stackful lifts (it resolves the task twice: "task ... is already resolved"): the
  // stackful fixture is checked by the minimal host below instead.
  for (const f of fixtures.filter((x) => x.lift === 'callback')) {
    it.each(f.calls.map((c) => [`${f.name} ${c.export}`, c]))('should give the described result: %s', async (_, c) => {
      const jco = await loadJco(f.name);
      const exports = await jco.instantiate(importsFor(c.imports));
      const target = c.export.includes('#') ? exports[c.export.slice(0, c.export.indexOf('#'))] : exports;
      await check(await target[c.jsName](...c.args.map(toArg)), c.result);
    }, 30_000);
  }
});

// The C fixtures' logic against a minimal host of exactly the built-ins they import (minihost.mjs): the only
// check of the stackful fixture's behaviour until the runtime runs it (jco cannot). Stackful needs JSPI.
describe('fixtures-async under a minimal host of their built-ins', async () => {
  const { mainCoreModule, miniHost } = await import('./minihost.mjs');
  const { fixture } = await import('./index.mjs');
  const fetch = async (n) => {
    await Promise.resolve();
    return `fetched ${n}`;
  };
  for (const name of ['callback', 'stackful']) {
    const f = fixture(name);
    it.skipIf(f.needsStackSwitching && !hasJspi).each(f.calls.map((c) => [`${name} ${c.export}`, c]))(
      'should give the described result: %s',
      async (_, c) => {
        const host = miniHost(mainCoreModule(new Uint8Array(readFileSync(f.path))), fetch);
        expect(await host.call(c.export, ...c.args)).toEqual(c.result);
        expect([...host.handles.keys()]).toEqual([]); // every subtask and waitable set dropped
      },
    );
  }
});
