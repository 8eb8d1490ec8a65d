import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode } from '@wasm-components/binary';
import { describe, expect, it } from 'vitest';
import { binaryFacts } from './ast-facts.js';
import { type Classification, classifyFacts } from './classify.js';
import type { ArtifactFacts } from './facts.js';
import { formatTargetSpecJson } from './spec-json.js';
import { lookup } from './lookup.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUST_BIN = `${ROOT}tools/fixtures-rust/bin/`;
const C_BIN = `${ROOT}tools/fixtures/bin/`;

async function factsOf(path: string): Promise<ArtifactFacts> {
  return binaryFacts(decode(new Uint8Array(readFileSync(path)), { instructions: true }));
}

interface Case {
  readonly file: string;
  readonly best: string | undefined;
  readonly fits: readonly string[];
  /** rustc version to judge with; default: newest definitions. */
  readonly rustc?: string;
  /** A target that must not fit, with a regex its first error must match. */
  readonly not?: readonly (readonly [string, RegExp])[];
}

const RUST: readonly Case[] = [
  {
    file: 'p1-command.wasm',
    best: 'wasm32-wasip1',
    fits: ['wasm32-wasip1'],
    not: [
      ['wasm32-wasip2', /^is a core module, but wasm32-wasip2 produces components$/],
      ['wasm32-wasip1-threads', /defines a non-shared memory/],
      ['wasm32-unknown-unknown', /imports `wasi_snapshot_preview1.fd_write`, `wasi_snapshot_preview1.proc_exit`, outside/],
    ],
  },
  { file: 'p1-threads-command.wasm', best: 'wasm32-wasip1-threads', fits: ['wasm32-wasip1-threads'], not: [['wasm32-wasip1', /uses atomics/]] },
  {
    file: 'p2-command.wasm',
    best: 'wasm32-wasip2',
    fits: ['wasm32-wasip2', 'wasm32-wasip3'],
    not: [
      ['wasm32-wasip1', /^is a component, but wasm32-wasip1 produces core modules$/],
      ['wasm32-none-component', /^imports `wasi:cli\/exit@0.2.6`, .* outside wasm32-none-component's WASI worlds \(it imports no WASI\)$/],
    ],
  },
  // rustc 1.95's wasm32-wasip3 std still goes through the preview1 adapter to WASI 0.2, so its output is a WASI 0.2 command.
  { file: 'p3-command.wasm', best: 'wasm32-wasip2', fits: ['wasm32-wasip2', 'wasm32-wasip3'], rustc: '1.95.0' },
  {
    file: 'p3-async-command.wasm',
    best: 'wasm32-wasip3',
    fits: ['wasm32-wasip3'],
    not: [
      ['wasm32-wasip2', /^imports `wasi:clocks\/monotonic-clock@0.3.0`, outside wasm32-wasip2's WASI worlds/],
      ['wasm32-none-component', /^imports `wasi:clocks\/monotonic-clock@0.3.0`, outside wasm32-none-component's WASI worlds \(it imports no WASI\)$/],
    ],
  },
  { file: 'p3-async-command.wasm', best: 'wasm32-wasip3', fits: ['wasm32-wasip3'], rustc: '1.95.0' },
  // A module that imports no WASI fits wasm32-wasip1 too (a preview1 reactor need not call WASI); evidence ranks it lower.
  { file: 'unknown-add.wasm', best: 'wasm32-unknown-unknown', fits: ['wasm32-wasip1', 'wasm32-unknown-unknown'], not: [['wasm32v1-none', /uses (bulk-memory|multivalue|nontrapping-fptoint|reference-types|sign-ext) .*which wasm32v1-none does not enable$/]] },
  { file: 'v1-none-add.wasm', best: 'wasm32v1-none', fits: ['wasm32-wasip1', 'wasm32-unknown-unknown', 'wasm32v1-none'] },
  {
    file: 'none-component-add.wasm',
    best: 'wasm32-none-component',
    fits: ['wasm32-wasip2', 'wasm32-wasip3', 'wasm32-none-component', 'wasm32-webp2'],
    not: [['wasm32-unknown-unknown', /^is a component, but wasm32-unknown-unknown produces core modules$/]],
  },
];

const C: readonly Case[] = [
  { file: 'hello-p1.wasm', best: 'wasm32-wasip1', fits: ['wasm32-wasip1'] },
  { file: 'hello-p2.wasm', best: 'wasm32-wasip2', fits: ['wasm32-wasip2', 'wasm32-wasip3'] },
  { file: 'pure.wasm', best: 'wasm32-none-component', fits: ['wasm32-wasip2', 'wasm32-wasip3', 'wasm32-none-component', 'wasm32-webp2'] },
  {
    file: 'async.wasm',
    best: 'wasm32-none-component',
    fits: ['wasm32-wasip3', 'wasm32-none-component', 'wasm32-webp2'],
    not: [['wasm32-wasip2', /^uses the async built-ins \(.*\), which wasm32-wasip2 binaries do not use$/]],
  },
  { file: 'async-wcld.wasm', best: 'wasm32-none-component', fits: ['wasm32-wasip3', 'wasm32-none-component', 'wasm32-webp2'] },
  { file: 'threads.wasm', best: 'wasm32-wasip3', fits: ['wasm32-wasip3'], not: [['wasm32-none-component', /cooperative threading built-ins/]] },
  { file: 'threads.wasm', best: undefined, fits: [], rustc: '1.95.0', not: [['wasm32-wasip3', /cooperative threading built-ins/]] },
];

function check(c: Classification, kase: Case): void {
  expect(c.fits).toEqual(kase.fits);
  expect(c.best).toBe(kase.best);
  for (const [triple, re] of kase.not ?? []) {
    const v = c.verdicts.find((x) => x.triple === triple)!;
    expect(v.fits).toBe(false);
    expect(v.reasons.find((r) => r.severity === 'error')?.message).toMatch(re);
  }
}

function suite(name: string, dir: string, cases: readonly Case[]): void {
  describe(name, () => {
    for (const kase of cases) {
      const path = `${dir}${kase.file}`;
      const present = existsSync(path);
      it.skipIf(!present)(`should classify ${kase.file}${kase.rustc === undefined ? '' : ` with rustc ${kase.rustc}`} as ${kase.best ?? 'nothing'}`, async () => {
        const facts = await factsOf(path);
        check(classifyFacts(facts, kase.rustc === undefined ? {} : { rustc: kase.rustc }), kase);
      });
    }
  });
}

suite('classify on the Rust fixtures (tools/fixtures-rust)', RUST_BIN, RUST);
suite('classify on the C fixtures (tools/fixtures)', C_BIN, C);

describe('the Rust fixtures', () => {
  it('should have been built by the rustc the registry was checked with', () => {
    expect(readFileSync(`${RUST_BIN}RUSTC_VERSION`, 'utf8')).toMatch(/^release: 1\.95\.0$/m);
  });

  it.each(['wasm32-none-component', 'wasm32-webp2'])('should build %s from the spec JSON the registry emits', (triple) => {
    const file = readFileSync(`${ROOT}tools/fixtures-rust/targets/${triple}.json`, 'utf8');
    expect(file).toBe(formatTargetSpecJson(lookup(triple)!.target));
  });

  it('should see the target_features section of a wasm32v1-none build', async () => {
    const facts = await factsOf(`${RUST_BIN}v1-none-add.wasm`);
    expect(facts.declaredFeatures).toEqual(['mutable-globals']);
  });
});
