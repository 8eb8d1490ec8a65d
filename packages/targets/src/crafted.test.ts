import { parse } from '@bytecodealliance/jco-transpile/wasm-tools';
import { decode, isDecodeError } from '@wasm-components/binary';
import { describe, expect, it } from 'vitest';
import { binaryFacts } from './ast-facts.js';
import { type Classification, classifyFacts } from './classify.js';


async function classifyWat(wat: string): Promise<Classification> {
  const bytes = await parse(wat);
  return classifyFacts(binaryFacts(decode(bytes, { instructions: true })));
}

function errorsOf(c: Classification, triple: string): string[] {
  return c.verdicts
    .find((v) => v.triple === triple)!
    .reasons.filter((r) => r.severity === 'error')
    .map((r) => r.message);
}

const P2_TYPE = `(type (instance (export "x" (func))))`;

describe('classify on crafted binaries', () => {
  it('should refuse every target for a core module that mixes WASI preview 1 with a non-shared memory and thread-spawn', async () => {
    const c = await classifyWat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
      (import "wasi" "thread-spawn" (func (param i32) (result i32)))
      (memory 1))`);
    expect(c.fits).toEqual([]);
    expect(c.best).toBeUndefined();
    expect(errorsOf(c, 'wasm32-wasip1')).toEqual([
      "imports `wasi.thread-spawn`, outside wasm32-wasip1's WASI worlds (it allows wasi_snapshot_preview1)",
      'does not export `memory`, which wasm32-wasip1 binaries must (WASI preview 1 functions read and write the memory exported as `memory`)',
    ]);
    expect(errorsOf(c, 'wasm32-wasip1-threads')).toEqual([
      'does not export `memory`, which wasm32-wasip1-threads binaries must (WASI preview 1 functions read and write the memory exported as `memory`)',
      'does not export `wasi_thread_start`, which wasm32-wasip1-threads binaries must (wasi-threads starts every new thread at this export)',
      'defines a non-shared memory; wasm32-wasip1-threads binaries import a shared memory (--import-memory --shared-memory)',
    ]);
  });

  it('should see SIMD, sign-ext, multivalue and bulk memory in instructions and types, and refuse wasm32v1-none', async () => {
    const c = await classifyWat(`(module
      (memory 1)
      (func (export "f") (param i32) (result i32 i32)
        local.get 0 i32.extend8_s
        i32.const 0 i32.const 0 i32.const 0 memory.copy
        i32.const 0 v128.load i32x4.extract_lane 0))`);
    const errs = errorsOf(c, 'wasm32v1-none');
    expect(errs).toEqual([
      'uses multivalue (type 0 returns 2 values), which wasm32v1-none does not enable',
      'uses sign-ext (instruction i32.extend8_s in function 0), which wasm32v1-none does not enable',
      'uses bulk-memory (instruction memory.copy in function 0), which wasm32v1-none does not enable',
      'uses simd128 (instruction v128.load in function 0, instruction i32x4.extract_lane in function 0), which wasm32v1-none does not enable',
    ]);
    // The others enable everything but SIMD by default: a note, not an error.
    const notes = c.verdicts.find((v) => v.triple === 'wasm32-unknown-unknown')!.reasons;
    expect(notes).toEqual([
      {
        code: 'wasm-feature',
        severity: 'note',
        message:
          'uses simd128 (instruction v128.load in function 0, instruction i32x4.extract_lane in function 0), which wasm32-unknown-unknown does not enable by default (-C target-feature=+simd128)',
      },
    ]);
    expect(c.best).toBe('wasm32-unknown-unknown');
  });

  it('should refuse wasm32-wasip2 for a component importing WASI 0.3 and exporting a WASI 0.2 run', async () => {
    const c = await classifyWat(`(component
      (import "wasi:cli/stdout@0.3.0" (instance ${P2_TYPE}))
      (import "wasi:cli/stdin@0.2.0" (instance ${P2_TYPE}))
      (import "wasi:cli/foo@0.2.0" (instance $run ${P2_TYPE}))
      (export "wasi:cli/run@0.2.0" (instance $run)))`);
    expect(errorsOf(c, 'wasm32-wasip2')).toEqual(["imports `wasi:cli/stdout@0.3.0`, outside wasm32-wasip2's WASI worlds (it allows wasi:*@0.2.*)"]);
    expect(c.fits).toEqual(['wasm32-wasip3']);
  });

  it('should refuse wasm32-wasip3 for a WASI 1.0 run export and wasm32-wasip2 for a 0.3 one', async () => {
    const c = await classifyWat(`(component
      (import "a" (instance $a ${P2_TYPE}))
      (export "wasi:cli/run@0.3.0" (instance $a))
      (export "wasi:cli/run@1.0.0" (instance $a)))`);
    expect(errorsOf(c, 'wasm32-wasip2')).toEqual([
      'exports `wasi:cli/run@0.3.0`, but wasm32-wasip2 commands export `wasi:cli/run@0.2.*`',
      'exports `wasi:cli/run@1.0.0`, but wasm32-wasip2 commands export `wasi:cli/run@0.2.*`',
    ]);
    expect(errorsOf(c, 'wasm32-wasip3')).toEqual(['exports `wasi:cli/run@1.0.0`, but wasm32-wasip3 commands export `wasi:cli/run@0.3.*` or `wasi:cli/run@0.2.*`']);
    // wasm32-none-component leaves exports to the code.
    expect(c.fits).toEqual(['wasm32-none-component', 'wasm32-webp2']);
  });

  it('should see a stackful async lift in a nested component', async () => {
    const c = await classifyWat(`(component
      (component
        (core module $m (func (export "f")))
        (core instance $i (instantiate $m))
        (func (export "f") (canon lift (core func $i "f") async))))`);
    expect(c.facts.host.map((h) => h.feature)).toEqual(['async-builtins', 'stackful-lift']);
    expect(c.facts.host[1]!.evidence).toBe('nested component: async lift of core func 0 without a callback');
    expect(errorsOf(c, 'wasm32-wasip2')).toEqual([
      'uses the async built-ins (nested component: async lift of core func 0), which wasm32-wasip2 binaries do not use',
      'uses stackful async lifts (nested component: async lift of core func 0 without a callback), which wasm32-wasip2 binaries do not use',
    ]);
  });

  it('should throw the typed decode error of @wasm-components/binary on bytes that are not wasm', () => {
    let caught: unknown;
    try {
      decode(new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));
    } catch (e) {
      caught = e;
    }
    expect(isDecodeError(caught)).toBe(true);
  });
});
