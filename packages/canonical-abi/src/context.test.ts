import { describe, expect, it } from 'vitest';
import { trapReason } from '../test/helpers.js';
import { LiftLowerContext } from './context.js';
import { createInstanceState } from './function.js';

function cx(memory?: WebAssembly.Memory, realloc?: (a: number, b: number, c: number, d: number) => number): LiftLowerContext {
  const opts: ConstructorParameters<typeof LiftLowerContext>[0] = { stringEncoding: 'utf8' };
  if (memory !== undefined) opts.memory = memory;
  if (realloc !== undefined) opts.realloc = realloc;
  return new LiftLowerContext(opts, createInstanceState());
}

describe('LiftLowerContext', () => {
  it('should trap on memory access without the memory option', () => {
    expect(trapReason(() => cx().u8())).toMatch(/canonical option `memory` was not given/);
    expect(trapReason(() => cx().view())).toMatch(/`memory`/);
  });

  it('should cache views and refresh them after memory.grow detaches the buffer', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const c = cx(memory);
    const a = c.u8();
    expect(c.u8()).toBe(a);
    expect(c.view().byteLength).toBe(65536);
    memory.grow(1);
    expect(c.u8().length).toBe(131072);
    expect(c.view().byteLength).toBe(131072);
  });

  it('should refresh views of a shared memory after growth', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    const c = cx(memory);
    expect(c.u8().length).toBe(65536);
    memory.grow(1);
    expect(c.u8().length).toBe(131072);
    expect(c.view().byteLength).toBe(131072);
  });

  it.each([
    ['a missing realloc option', undefined, /canonical option `realloc` was not given/],
    ['a misaligned result', () => 6, /^realloc return: result not aligned: unaligned pointer: realloc returned pointer 6, which is not aligned to 4/],
    ['a block past the end', () => 65532, /^realloc return: beyond end of memory: list content out-of-bounds: realloc returned a block \[65532, 65540\) that is out of bounds/],
  ])('should trap on %s', (_name, realloc, reason) => {
    const c = cx(new WebAssembly.Memory({ initial: 1 }), realloc);
    expect(trapReason(() => c.realloc(0, 0, 4, 8))).toMatch(reason);
  });

  it('should accept an aligned in-bounds realloc result, read as unsigned', () => {
    const c = cx(new WebAssembly.Memory({ initial: 1 }), () => 64);
    expect(c.realloc(0, 0, 8, 16)).toBe(64);
  });

  it('should check ranges against the memory length', () => {
    const c = cx(new WebAssembly.Memory({ initial: 1 }));
    expect(() => c.checkRange(65530, 6, 'x')).not.toThrow();
    expect(trapReason(() => c.checkRange(65530, 7, 'string'))).toMatch(/string at 65530 \(7 bytes\) is out of bounds/);
  });
});
