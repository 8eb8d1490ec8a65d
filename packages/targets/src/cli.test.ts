import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    readFile: async (p) => new Uint8Array(await readFile(p)),
    out: (t) => void (out += t),
    err: (t) => void (err += t),
  });
  return { code, out, err };
}

describe('targets CLI', () => {
  it('should list every target with its tier and status', async () => {
    const r = await run('list');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TARGET\s+TIER\s+STATUS\s+ARTIFACT/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([
      'wasm32-wasip1',
      'wasm32-wasip1-threads',
      'wasm32-wasip2',
      'wasm32-wasip3',
      'wasm32-unknown-unknown',
      'wasm32v1-none',
      'wasm32-none-component',
      'wasm32-webp2',
    ]);
    expect(r.out).toMatch(/wasm32-wasip3\s+2\s+approved\s+component/);
  });

  it('should list the rustc 1.95 facts with --rustc', async () => {
    const r = await run('list', '--rustc', '1.95.0');
    expect(r.out).toMatch(/wasm32-wasip3\s+3\s+stable\s+component/);
  });

  it('should show a target by alias with the notice first', async () => {
    const r = await run('show', 'wasm32-component');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^note: `wasm32-component` .* renamed in review to `wasm32-none-component`/);
    expect(r.out).toContain('wasm32-none-component: Component without WASI');
    expect(r.out).toContain('linker         wasm-component-ld (wasm-lld)');
  });

  it('should print the spec JSON, the alias notice on stderr', async () => {
    const r = await run('spec', 'wasm32-component-web');
    expect(r.err).toMatch(/proposed as `wasm32-webp2`/);
    expect(JSON.parse(r.out)).toMatchObject({ os: 'web', env: 'p2', linker: 'wasm-component-ld' });
  });

  it('should print cfgs like rustc', async () => {
    const r = await run('cfg', 'wasm32-wasip1-threads', '--nightly');
    expect(r.out.split('\n')).toContain('target_feature="atomics"');
    expect((await run('cfg', 'wasm32-wasip1-threads')).out.split('\n')).not.toContain('target_feature="atomics"');
  });

  it.each([
    [['show'], /show needs a target/],
    [['show', 'wasm32-nope'], /unknown wasm target "wasm32-nope"/],
    [['show', 'wasm32-wasip2', '--rustc', '1.80.0'], /no facts for wasm32-wasip2 with rustc 1.80.0; it covers 1.95.0 <= rustc < 1.97.0, rustc >= 1.97.0/],
    [['show', 'wasm32-wasip2', '--rustc', 'soon'], /expected a rustc version/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['check'], /check needs a file/],
  ])('should exit 2 with a message for %j', async (argv, re) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(re);
  });

  it('should check a file against one target and exit 1 when it does not fit', async () => {
    const file = `${ROOT}tools/fixtures-rust/bin/p1-command.wasm`;
    const ok = await run('check', file, '--target', 'wasm32-wasip1');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('fits    wasm32-wasip1');
    const no = await run('check', file, '--target', 'wasm32-wasip2');
    expect(no.code).toBe(1);
    expect(no.out).toContain('- is a core module, but wasm32-wasip2 produces components');
  });

  it('should report a decode error with exit code 2', async () => {
    const r = await run('check', `${ROOT}tools/rustc-targets/capture.sh`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^targets: /);
  });
});
