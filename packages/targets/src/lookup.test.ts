import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cfgList, parseCfgOutput } from './cfg.js';
import { isTargetError, TargetError } from './errors.js';
import { definitions, getTarget, listTargets, lookup } from './lookup.js';
import { requirements } from './requirements.js';
import { formatTargetSpecJson, targetSpecJson } from './spec-json.js';
import { compareRustcVersions, formatRustcRange, inRustcRange, parseRustcVersion } from './version.js';

describe('rustc versions', () => {
  it.each([
    ['1.95.0', { major: 1, minor: 95, patch: 0 }],
    ['1.97.0-nightly', { major: 1, minor: 97, patch: 0 }],
    ['release: 1.100.2', { major: 1, minor: 100, patch: 2 }],
    ['1.95', { major: 1, minor: 95, patch: 0 }],
    ['soon', undefined],
    ['1', undefined],
  ])('should parse %s', (text, expected) => {
    expect(parseRustcVersion(text)).toEqual(expected);
  });

  it('should order 1.100 after 1.99 (numerically, not as text)', () => {
    expect(compareRustcVersions(parseRustcVersion('1.100.0')!, parseRustcVersion('1.99.9')!)).toBeGreaterThan(0);
  });

  it.each([
    ['1.95.0', true],
    ['1.96.9', true],
    ['1.97.0-nightly', false],
    ['1.94.0', false],
  ])('should say whether %s is in [1.95.0, 1.97.0): %s', (v, expected) => {
    expect(inRustcRange(v, { since: '1.95.0', until: '1.97.0' })).toBe(expected);
  });

  it('should format ranges for people', () => {
    expect(formatRustcRange({ since: '1.95.0', until: '1.97.0' })).toBe('1.95.0 <= rustc < 1.97.0');
    expect(formatRustcRange({ since: '1.100.0' })).toBe('rustc >= 1.100.0');
  });
});

describe('lookup', () => {
  it.each([
    ['wasm32-component', 'wasm32-none-component', /compiler-team#948/],
    ['wasm32-component-web', 'wasm32-webp2', /compiler-team#1037/],
    ['wasm32-wasi', 'wasm32-wasip1', /renamed/],
    ['wasm32-wasi-preview1-threads', 'wasm32-wasip1-threads', /renamed/],
  ])('should resolve the alias %s to %s with a notice', (alias, triple, notice) => {
    const r = lookup(alias)!;
    expect(r.target.triple).toBe(triple);
    expect(r.requested).toBe(alias);
    expect(r.notice).toMatch(notice);
  });

  it('should give no notice for a triple', () => {
    expect(lookup('wasm32-wasip2')).not.toHaveProperty('notice');
  });

  it('should pick the definition of the rustc asked for', () => {
    expect(lookup('wasm32-wasip3', { rustc: '1.95.0' })!.target).toMatchObject({ tier: 3, status: 'stable', threads: 'none' });
    expect(lookup('wasm32-wasip3', { rustc: '1.97.0-nightly' })!.target).toMatchObject({ tier: 3, status: 'stable' });
    expect(lookup('wasm32-wasip3', { rustc: '1.100.0' })!.target).toMatchObject({ tier: 2, status: 'approved', threads: 'cooperative' });
    expect(lookup('wasm32-wasip3')!.target.tier).toBe(2);
  });

  it('should link the tier-2 wasm32-wasip3 with --cooperative-threading', () => {
    expect(lookup('wasm32-wasip3')!.target.linker.preLinkArgs['wasm-lld']).toContain('--cooperative-threading');
    expect(lookup('wasm32-wasip3', { rustc: '1.95.0' })!.target.linker.preLinkArgs['wasm-lld']).not.toContain('--cooperative-threading');
  });

  it('should return undefined for an unknown name or an uncovered rustc', () => {
    expect(lookup('wasm32-nope')).toBeUndefined();
    expect(lookup('wasm32-wasip2', { rustc: '1.80.0' })).toBeUndefined();
  });

  it('should throw typed errors from getTarget', () => {
    const codes: string[] = [];
    for (const [name, rustc] of [
      ['wasm32-nope', undefined],
      ['wasm32-wasip2', '1.80.0'],
      ['wasm32-wasip2', 'x'],
    ] as const) {
      try {
        getTarget(name, rustc === undefined ? {} : { rustc });
      } catch (e) {
        expect(isTargetError(e)).toBe(true);
        expect(e).toBeInstanceOf(TargetError);
        codes.push((e as TargetError).code);
      }
    }
    expect(codes).toEqual(['unknown-target', 'no-definition', 'bad-version']);
  });

  it('should recognise a TargetError by shape, not class', () => {
    expect(isTargetError({ name: 'WasmTargetError', code: 'unknown-target', target: 'x', message: '' })).toBe(true);
    expect(isTargetError(new Error('x'))).toBe(false);
    expect(isTargetError(null)).toBe(false);
  });

  it('should list one definition per triple, optionally without proposals', () => {
    expect(listTargets().length).toBe(8);
    expect(listTargets({ proposed: false }).map((t) => t.triple)).not.toContain('wasm32-none-component');
    expect(listTargets({ rustc: '1.80.0' })).toEqual([]);
    expect(definitions('wasm32-wasip3').length).toBe(3);
  });
});

describe('facts of the proposed targets', () => {
  it('should define wasm32-none-component as in compiler-team#948 / rust-lang/rust#162615', () => {
    const t = getTarget('wasm32-none-component').target;
    expect(t).toMatchObject({ status: 'proposed', tier: 3, artifact: 'component', wasi: 'none', std: 'no_std+alloc', linker: { linker: 'wasm-component-ld' } });
    expect(t.cfg.os).toBe('none');
    expect(t.linker.preLinkArgs['wasm-lld']).toContain('--no-entry');
    expect(t.imports.wasi).toEqual([]);
  });

  it('should define wasm32-webp2 as in compiler-team#1037', () => {
    const t = getTarget('wasm32-webp2').target;
    expect(t).toMatchObject({ status: 'proposed', artifact: 'component', std: 'std' });
    expect(cfgList(t)).toEqual(expect.arrayContaining(['target_os="web"', 'target_env="p2"', 'target_family="wasm"']));
  });

  const rustc = spawnSync('rustc', ['-vV'], { encoding: 'utf8' });
  const hasRustc = rustc.status === 0;
  it.skipIf(!hasRustc).each(['wasm32-none-component', 'wasm32-webp2'])(
    'should emit a spec JSON for %s that the local rustc loads, with the cfgs the registry lists',
    (triple) => {
      const t = getTarget(triple).target;
      const dir = mkdtempSync(join(tmpdir(), 'targets-'));
      try {
        const file = join(dir, `${triple}.json`);
        writeFileSync(file, formatTargetSpecJson(t));
        const r = spawnSync('rustc', ['-Z', 'unstable-options', '--print', 'cfg', '--target', file], {
          encoding: 'utf8',
          env: { ...process.env, RUSTC_BOOTSTRAP: '1' },
        });
        expect(r.stderr).toBe('');
        const printed = parseCfgOutput(r.stdout).filter((l) => l !== 'debug_assertions');
        // A nightly prints more keys than we model; compare the modelled ones.
        const modelled = /^(panic|target_abi|target_arch|target_endian|target_env|target_family|target_feature|target_has_atomic|target_os|target_pointer_width|target_vendor)=/;
        expect(cfgList(t)).toEqual(printed.filter((l) => modelled.test(l)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('requirements', () => {
  it.each([
    ['wasm32-wasip1', ['wasi-preview1'], []],
    ['wasm32-wasip1-threads', ['wasi-preview1', 'shared-memory', 'wasi-threads'], []],
    ['wasm32-wasip2', ['component-model', 'wasi-0.2'], []],
    ['wasm32-wasip3', ['component-model', 'wasi-0.3', 'async-builtins'], ['wasi-0.2', 'stackful-lift', 'threading-builtins']],
    ['wasm32-unknown-unknown', [], []],
    ['wasm32-none-component', ['component-model'], ['async-builtins', 'stackful-lift']],
  ])('should say what a host needs for %s', (triple, required, optional) => {
    const r = requirements(getTarget(triple).target);
    expect(r.required.map((x) => x.feature)).toEqual(required);
    expect(r.optional.map((x) => x.feature)).toEqual(optional);
    for (const x of [...r.required, ...r.optional]) expect(x.description.length).toBeGreaterThan(20);
  });
});

describe('targetSpecJson', () => {
  it('should sort keys like rustc', () => {
    const keys = Object.keys(targetSpecJson(getTarget('wasm32-wasip2').target));
    expect(keys).toEqual([...keys].sort());
  });

  it('should end the text form with a newline', () => {
    expect(formatTargetSpecJson(getTarget('wasm32v1-none').target).endsWith('}\n')).toBe(true);
  });
});
