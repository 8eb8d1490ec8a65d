import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cfgList, parseCfgOutput } from './cfg.js';
import { DEFINITIONS, TRIPLES } from './registry.js';
import { lookup } from './lookup.js';
import { targetSpecJson } from './spec-json.js';
import { inRustcRange, parseRustcVersion } from './version.js';

const CAPTURED = fileURLToPath(new URL('../../../tools/rustc-targets/captured/', import.meta.url));

interface Capture {
  readonly release: string;
  readonly dir: string;
  readonly triples: readonly string[];
  readonly targetList: readonly string[];
}

const captures: Capture[] = readdirSync(CAPTURED).map((name) => {
  const dir = `${CAPTURED}${name}/`;
  const version = readFileSync(`${dir}rustc-version.txt`, 'utf8');
  const release = /^release: (.+)$/m.exec(version)?.[1] ?? '';
  const triples = readdirSync(dir)
    .filter((f) => f.endsWith('.spec.json'))
    .map((f) => f.slice(0, -'.spec.json'.length));
  const targetList = parseCfgOutput(readFileSync(`${dir}target-list.txt`, 'utf8'));
  return { release, dir, triples, targetList };
});

/** The cfg keys whose lines the registry models; a nightly prints more (`ub_checks`, `target_has_atomic_load_store`...). */
const MODELLED = /^(panic|target_abi|target_arch|target_endian|target_env|target_family|target_feature|target_has_atomic|target_os|target_pointer_width|target_vendor)=/;

describe('registry facts against rustc', () => {
  it('should have captures of rustc 1.95.0, the rustc of this machine', () => {
    expect(captures.map((c) => c.release)).toContain('1.95.0');
  });

  for (const cap of captures) {
    describe(`rustc ${cap.release}`, () => {
      it.each(cap.triples)('should emit exactly the target-spec JSON rustc prints for %s', (triple) => {
        const found = lookup(triple, { rustc: cap.release });
        expect(found, `no definition of ${triple} for ${cap.release}`).toBeDefined();
        const captured: unknown = JSON.parse(readFileSync(`${cap.dir}${triple}.spec.json`, 'utf8'));
        expect(targetSpecJson(found!.target)).toEqual(captured);
      });

      it.each(cap.triples)('should list the cfgs rustc prints for %s', (triple) => {
        const target = lookup(triple, { rustc: cap.release })!.target;
        const nightly = cap.release.includes('nightly');
        const captured = parseCfgOutput(readFileSync(`${cap.dir}${triple}.cfg`, 'utf8'));
        if (nightly) {
          expect(cfgList(target, { nightly: true })).toEqual(captured.filter((l) => MODELLED.test(l)));
        } else {
          // Stable rustc prints nothing we do not model, except the profile's debug_assertions.
          expect(cfgList(target)).toEqual(captured.filter((l) => l !== 'debug_assertions'));
        }
      });

      it.each(cap.triples)('should agree with rustc on the typed facts of %s', (triple) => {
        const t = lookup(triple, { rustc: cap.release })!.target;
        const spec = JSON.parse(readFileSync(`${cap.dir}${triple}.spec.json`, 'utf8')) as Record<string, unknown>;
        const meta = spec['metadata'] as Record<string, unknown>;
        expect(t.tier).toBe(meta['tier']);
        expect(t.std === 'std').toBe(meta['std']);
        expect(t.linker.linker).toBe(spec['linker']);
        expect(t.panicStrategy).toBe(spec['panic-strategy']);
        expect(t.dataLayout).toBe(spec['data-layout']);
        expect(t.threads === 'none').toBe(spec['singlethread'] === true);
        // rustc's linker decides the artifact: wasm-component-ld makes components.
        expect(t.artifact).toBe(spec['linker'] === 'wasm-component-ld' ? 'component' : 'core-module');
        expect(t.status).toBe('stable');
        expect(t.provenance.verifiedWith).toContain(cap.release);
      });

      it('should mark as proposed every registry triple this rustc does not know', () => {
        for (const triple of TRIPLES) {
          const d = lookup(triple, { rustc: cap.release })?.target;
          if (d === undefined) continue;
          expect(cap.targetList.includes(triple)).toBe(d.status !== 'proposed');
        }
      });
    });
  }

  it('should say for every definition which rustc it was verified with, or cite a proposal', () => {
    for (const d of DEFINITIONS) {
      if (d.status === 'stable') expect(d.provenance.verifiedWith.length, d.triple).toBeGreaterThan(0);
      else expect(d.provenance.references.length, d.triple).toBeGreaterThan(0);
    }
  });

  it('should keep the rustc ranges of one triple disjoint and ordered', () => {
    for (const triple of TRIPLES) {
      const defs = DEFINITIONS.filter((d) => d.triple === triple);
      for (let i = 1; i < defs.length; i++) {
        const prev = defs[i - 1]!;
        expect(prev.rustc.until, `${triple} #${i - 1}`).toBe(defs[i]!.rustc.since);
      }
      expect(defs[defs.length - 1]!.rustc.until).toBeUndefined();
    }
  });

  it('should cover each captured rustc version by a definition range', () => {
    for (const cap of captures) {
      expect(parseRustcVersion(cap.release)).toBeDefined();
      for (const triple of cap.triples) {
        expect(DEFINITIONS.some((d) => d.triple === triple && inRustcRange(cap.release, d.rustc))).toBe(true);
      }
    }
  });
});
