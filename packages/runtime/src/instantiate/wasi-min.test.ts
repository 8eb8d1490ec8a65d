import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile, instantiate } from '../index.js';
import { minimalWasi, runCommand } from './wasi-min.js';

const bytes = readFileSync(fileURLToPath(new URL('../../../../tools/fixtures/bin/hello-p2.wasm', import.meta.url)));

describe('a WASI 0.2 command (hello-p2.wasm) under the minimal host', () => {
  const compiled = compile(bytes);
  const run = (env: Record<string, string>): { out: string; code: number } => {
    let out = '';
    const dec = new TextDecoder();
    const e = instantiate(compiled, minimalWasi({ env, stdout: (b) => (out += dec.decode(b)) }));
    const code = runCommand(e);
    return { out, code };
  };

  it('should print to stdout with the environment it is given', () => {
    const r = run({ HELLO_NAME: 'component' });
    expect(r.out).toBe('hello, component\n');
    expect(r.code).toBe(0);
  });

  it('should report a non-zero exit', () => {
    const r = run({ HELLO_NAME: 'x', HELLO_EXIT: '3' });
    expect(r.out).toBe('hello, x\n');
    expect(r.code).toBe(1);
  });
});

describe('a 1.6 MB WASI 0.2 command (mid.wasm: 4400 generated C functions) under the minimal host', () => {
  it('should print the checksum a native build of the same C source prints', () => {
    const mid = readFileSync(fileURLToPath(new URL('../../../../tools/fixtures/bin/mid.wasm', import.meta.url)));
    let out = '';
    const dec = new TextDecoder();
    const e = instantiate(compile(mid), minimalWasi({ stdout: (b) => (out += dec.decode(b)) }));
    expect(runCommand(e)).toBe(0);
    // `clang-14 -O1 mid.c && ./a.out` on x86_64 prints the same line (unsigned arithmetic only).
    expect(out).toBe('mid: 4400 functions, checksum 2245004368\n');
  });
});
