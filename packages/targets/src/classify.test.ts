import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Classification, classifyFacts, matchesImportPattern } from './classify.js';
import type { ArtifactFacts, ImportFact } from './facts.js';

const core = (over: Partial<ArtifactFacts> = {}): ArtifactFacts => ({
  artifact: 'core-module',
  imports: [],
  exports: [],
  features: [],
  host: [],
  instructionsScanned: true,
  memory: { imported: false, shared: false, memory64: false },
  ...over,
});
const component = (over: Partial<ArtifactFacts> = {}): ArtifactFacts => ({
  artifact: 'component',
  imports: [],
  exports: [],
  features: [],
  host: [],
  instructionsScanned: true,
  ...over,
});
const p1 = (name: string): ImportFact => ({ module: 'wasi_snapshot_preview1', name, sort: 'func' });
const iface = (name: string): ImportFact => ({ name, sort: 'instance' });

function verdict(c: Classification, triple: string) {
  const v = c.verdicts.find((x) => x.triple === triple);
  if (v === undefined) throw new Error(`no verdict for ${triple}`);
  return v;
}
function errors(c: Classification, triple: string): string[] {
  return verdict(c, triple)
    .reasons.filter((r) => r.severity === 'error')
    .map((r) => r.message);
}

describe('matchesImportPattern', () => {
  it.each([
    [iface('wasi:cli/environment@0.2.6'), 'wasi:*@0.2.*', true],
    [iface('wasi:cli/environment@0.3.0-rc-2025-09-16'), 'wasi:*@0.2.*', false],
    [iface('wasi:cli/environment@0.3.0-rc-2025-09-16'), 'wasi:*@0.3.*', true],
    [p1('fd_write'), 'wasi_snapshot_preview1', true],
    [{ module: 'wasi', name: 'thread-spawn', sort: 'func' }, 'wasi::thread-spawn', true],
    [{ module: 'wasi', name: 'other', sort: 'func' }, 'wasi::thread-spawn', false],
    [iface('wasi_snapshot_preview1'), 'wasi_snapshot_preview1::fd_write', false],
  ] as const)('should match %o against %s: %s', (i, pattern, expected) => {
    expect(matchesImportPattern(i, pattern)).toBe(expected);
  });
});

describe('classifyFacts', () => {
  it('should pick wasm32-wasip1 for a core module importing wasi_snapshot_preview1 and exporting _start', () => {
    const c = classifyFacts(core({ imports: [p1('fd_write'), p1('proc_exit')], exports: [{ name: '_start', sort: 'func' }, { name: 'memory', sort: 'memory' }] }));
    expect(c.best).toBe('wasm32-wasip1');
    expect(c.fits).toEqual(['wasm32-wasip1']);
    expect(errors(c, 'wasm32-wasip2')).toEqual(['is a core module, but wasm32-wasip2 produces components']);
    expect(errors(c, 'wasm32-unknown-unknown')[0]).toMatch(/imports `wasi_snapshot_preview1.fd_write`, `wasi_snapshot_preview1.proc_exit`, outside wasm32-unknown-unknown's WASI worlds \(it imports no WASI\)/);
    expect(errors(c, 'wasm32-wasip1-threads')).toEqual(['defines a non-shared memory; wasm32-wasip1-threads binaries import a shared memory (--import-memory --shared-memory)']);
  });

  it('should pick wasm32-wasip1-threads for a module importing a shared memory and wasi.thread-spawn', () => {
    const c = classifyFacts(
      core({
        imports: [p1('fd_write'), { module: 'wasi', name: 'thread-spawn', sort: 'func' }, { module: 'env', name: 'memory', sort: 'memory' }],
        exports: [{ name: 'memory', sort: 'memory' }, { name: 'wasi_thread_start', sort: 'func' }],
        memory: { imported: true, shared: true, memory64: false },
        features: [{ feature: 'atomics', evidence: 'imported memory env.memory is shared' }],
      }),
    );
    expect(c.best).toBe('wasm32-wasip1-threads');
    expect(c.fits).toEqual(['wasm32-wasip1-threads']);
    expect(errors(c, 'wasm32-wasip1')).toEqual([
      'imports `wasi.thread-spawn`, outside wasm32-wasip1\'s WASI worlds (it allows wasi_snapshot_preview1)',
      'uses atomics (imported memory env.memory is shared), which wasm32-wasip1 does not enable',
    ]);
  });

  it('should require the exports WASI preview 1 and wasi-threads rely on', () => {
    const c = classifyFacts(
      core({
        imports: [p1('fd_write'), { module: 'wasi', name: 'thread-spawn', sort: 'func' }],
        memory: { imported: true, shared: true, memory64: false },
      }),
    );
    expect(errors(c, 'wasm32-wasip1-threads')).toEqual([
      'does not export `memory`, which wasm32-wasip1-threads binaries must (WASI preview 1 functions read and write the memory exported as `memory`)',
      'does not export `wasi_thread_start`, which wasm32-wasip1-threads binaries must (wasi-threads starts every new thread at this export)',
    ]);
    // Without WASI imports nothing is required.
    expect(errors(classifyFacts(core()), 'wasm32-wasip1')).toEqual([]);
  });

  it('should pick wasm32-unknown-unknown for a module with only its own imports, and refuse it for wasm32v1-none when it uses SIMD', () => {
    const c = classifyFacts(core({ imports: [{ module: 'env', name: 'log', sort: 'func' }], features: [{ feature: 'simd128', evidence: 'instruction v128.load in function 3' }] }));
    expect(c.best).toBe('wasm32-unknown-unknown');
    expect(errors(c, 'wasm32v1-none')).toEqual(['uses simd128 (instruction v128.load in function 3), which wasm32v1-none does not enable']);
    const notes = verdict(c, 'wasm32-unknown-unknown').reasons.filter((r) => r.severity === 'note');
    expect(notes.map((n) => n.message)).toEqual([
      'uses simd128 (instruction v128.load in function 3), which wasm32-unknown-unknown does not enable by default (-C target-feature=+simd128)',
    ]);
  });

  it('should refuse wasm32v1-none for sign-ext and multivalue but accept mutable globals', () => {
    const c = classifyFacts(
      core({
        features: [
          { feature: 'sign-ext', evidence: 'instruction i32.extend8_s in function 0' },
          { feature: 'multivalue', evidence: 'type 2 returns 2 values' },
          { feature: 'mutable-globals', evidence: 'exports mutable global 0' },
        ],
      }),
    );
    expect(errors(c, 'wasm32v1-none')).toEqual([
      'uses sign-ext (instruction i32.extend8_s in function 0), which wasm32v1-none does not enable',
      'uses multivalue (type 2 returns 2 values), which wasm32v1-none does not enable',
    ]);
    expect(verdict(c, 'wasm32-unknown-unknown').fits).toBe(true);
  });

  it('should pick wasm32-wasip2 for a WASI 0.2 command and refuse the core targets', () => {
    const c = classifyFacts(
      component({
        imports: [iface('wasi:cli/environment@0.2.6'), iface('wasi:io/streams@0.2.6'), iface('wasi:cli/stdout@0.2.6')],
        exports: [{ name: 'wasi:cli/run@0.2.6', sort: 'instance' }],
      }),
    );
    expect(c.best).toBe('wasm32-wasip2');
    expect(c.fits).toEqual(['wasm32-wasip2', 'wasm32-wasip3']);
    expect(errors(c, 'wasm32-wasip1')).toEqual(['is a component, but wasm32-wasip1 produces core modules']);
    expect(errors(c, 'wasm32-none-component')[0]).toMatch(/^imports `wasi:cli\/environment@0.2.6`, `wasi:io\/streams@0.2.6`, `wasi:cli\/stdout@0.2.6`, outside wasm32-none-component's WASI worlds/);
  });

  it('should refuse wasm32-wasip2 for WASI 0.3 imports and a 0.3 run export, and pick wasm32-wasip3', () => {
    const c = classifyFacts(
      component({
        imports: [iface('wasi:cli/stdout@0.3.0-rc-2025-09-16')],
        exports: [{ name: 'wasi:cli/run@0.3.0-rc-2025-09-16', sort: 'instance' }],
        host: [{ feature: 'async-builtins', evidence: 'canon task.return' }],
      }),
    );
    expect(c.best).toBe('wasm32-wasip3');
    expect(errors(c, 'wasm32-wasip2')).toEqual([
      "imports `wasi:cli/stdout@0.3.0-rc-2025-09-16`, outside wasm32-wasip2's WASI worlds (it allows wasi:*@0.2.*)",
      'exports `wasi:cli/run@0.3.0-rc-2025-09-16`, but wasm32-wasip2 commands export `wasi:cli/run@0.2.*`',
      'uses the async built-ins (canon task.return), which wasm32-wasip2 binaries do not use',
    ]);
  });

  it('should pick wasm32-none-component (alias wasm32-component) for a component with no imports', () => {
    const c = classifyFacts(component({ exports: [{ name: 'add', sort: 'func' }] }));
    expect(c.best).toBe('wasm32-none-component');
    expect(c.fits).toEqual(['wasm32-wasip2', 'wasm32-wasip3', 'wasm32-none-component', 'wasm32-webp2']);
  });

  it('should accept cooperative threads only on the tier-2 wasm32-wasip3 (rustc 1.100+)', () => {
    const facts = component({ host: [{ feature: 'threading-builtins', evidence: 'canon thread.new-indirect' }] });
    expect(classifyFacts(facts).fits).toEqual(['wasm32-wasip3']);
    const old = classifyFacts(facts, { rustc: '1.95.0' });
    expect(old.fits).toEqual([]);
    expect(old.best).toBeUndefined();
    expect(errors(old, 'wasm32-wasip3')).toEqual(['uses the cooperative threading built-ins (canon thread.new-indirect), which wasm32-wasip3 binaries do not use']);
  });

  it('should judge only the targets asked for, resolving aliases', () => {
    const c = classifyFacts(component(), { targets: ['wasm32-component', 'wasm32-wasip1'] });
    expect(c.verdicts.map((v) => v.triple)).toEqual(['wasm32-wasip1', 'wasm32-none-component']);
  });

  it('should leave proposed targets out when asked', () => {
    const c = classifyFacts(component(), { proposed: false });
    expect(c.verdicts.map((v) => v.triple)).toEqual(['wasm32-wasip1', 'wasm32-wasip1-threads', 'wasm32-wasip2', 'wasm32-wasip3', 'wasm32-unknown-unknown', 'wasm32v1-none']);
  });

  it('should throw a typed error for an unknown target name', () => {
    expect(() => classifyFacts(component(), { targets: ['wasm32-nope'] })).toThrowError(/unknown wasm target "wasm32-nope"/);
  });

  it('should refuse stackful lifts outside the targets whose binaries may use them', () => {
    const c = classifyFacts(component({ host: [{ feature: 'stackful-lift', evidence: 'async lift of core func 2 without a callback' }] }));
    expect(c.fits).toEqual(['wasm32-wasip3', 'wasm32-none-component', 'wasm32-webp2']);
    expect(errors(c, 'wasm32-wasip2')[0]).toMatch(/stackful async lifts/);
  });

  it("should treat a core import module named like a WASI interface as one of the code's own imports", () => {
    const c = classifyFacts(core({ imports: [{ module: 'wasi:cli/stdout@0.2.0', name: 'get-stdout', sort: 'func' }] }));
    // Not WASI by core-module rules (the module is not a WASI core module), so the bare targets accept it as the code's own import.
    expect(c.fits).toContain('wasm32-unknown-unknown');
  });
});

describe('classifyFacts properties', () => {
  const name = fc.oneof(
    fc.constantFrom('wasi:cli/run@0.2.6', 'wasi:cli/run@0.3.0', 'wasi:io/streams@0.2.0', 'wasi:clocks/now@0.3.0-rc', '_start', 'memory', 'wasi_thread_start', 'thread-spawn', 'fd_write'),
    fc.string(),
  );
  const imp = fc.record({ name, module: fc.option(fc.constantFrom('wasi_snapshot_preview1', 'wasi', 'env', 'wasi_unstable'), { nil: undefined }), sort: fc.constantFrom('func', 'memory', 'instance') }).map((i): ImportFact =>
    i.module === undefined ? { name: i.name, sort: i.sort } : { name: i.name, module: i.module, sort: i.sort },
  );
  const facts = fc.record({
    artifact: fc.constantFrom('core-module' as const, 'component' as const),
    imports: fc.array(imp, { maxLength: 6 }),
    exports: fc.array(fc.record({ name, sort: fc.constantFrom('func', 'instance', 'memory') }), { maxLength: 4 }),
    features: fc.array(fc.record({ feature: fc.constantFrom('atomics', 'simd128', 'sign-ext', 'gc', 'multivalue'), evidence: fc.string() }), { maxLength: 4 }),
    host: fc.array(fc.record({ feature: fc.constantFrom('async-builtins' as const, 'stackful-lift' as const, 'threading-builtins' as const), evidence: fc.string() }), { maxLength: 3 }),
    instructionsScanned: fc.boolean(),
  });

  it('should give one verdict per target, fit exactly when no reason is an error, and pick best among the fitting', () => {
    fc.assert(
      fc.property(facts, fc.constantFrom(undefined, '1.95.0', '1.97.0', '1.100.0'), (f, rustc) => {
        const c = classifyFacts(f, rustc === undefined ? {} : { rustc });
        expect(c.verdicts.length).toBe(8);
        for (const v of c.verdicts) {
          expect(v.fits).toBe(v.reasons.every((r) => r.severity === 'note'));
          for (const r of v.reasons) expect(r.message.length).toBeGreaterThan(0);
        }
        expect(c.fits).toEqual(c.verdicts.filter((v) => v.fits).map((v) => v.triple));
        if (c.best === undefined) expect(c.fits).toEqual([]);
        else expect(c.fits).toContain(c.best);
      }),
      { numRuns: 300 },
    );
  });
});
