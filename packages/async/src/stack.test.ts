import { describe, expect, it } from 'vitest';
import { Store } from './scheduler.js';
import { blockingImport, type CoreSig, runOnStack, shimBytes, stackEntry, trampolineBytes } from './stack.js';
import { Thread, type ThreadTask } from './thread.js';

const hasJspi = typeof (WebAssembly as { Suspending?: unknown }).Suspending === 'function';

const SIGS: readonly CoreSig[] = [
  { params: [], results: [] },
  { params: ['i32'], results: ['i32'] },
  { params: ['i32', 'i64', 'f32', 'f64'], results: ['f64'] },
  { params: Array.from({ length: 17 }, () => 'i32' as const), results: ['i64'] },
];

/** A thread whose task only answers what `runOnStack` asks. */
function threadIn(store: Store): Thread {
  const task = { store, deliverPendingCancel: () => false, mayBlock: () => true } as unknown as ThreadTask;
  return new Thread(task);
}

/** A core module with one exported function `f` of type (i32) -> i32 that calls its import `m.g` with its argument. */
function callerOf(g: unknown): (x: number) => number {
  // (module (import "m" "g" (func (param i32) (result i32))) (func (export "f") (param i32) (result i32) local.get 0 call 0))
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x02, 0x07, 0x01, 0x01, 0x6d,
    0x01, 0x67, 0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01, 0x0a, 0x08, 0x01, 0x06, 0x00, 0x20,
    0x00, 0x10, 0x00, 0x0b,
  ]);
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { g } } as unknown as WebAssembly.Imports);
  return inst.exports['f'] as (x: number) => number;
}

describe('trampolineBytes and shimBytes', () => {
  it('should make valid core modules for every signature shape', () => {
    for (const sig of SIGS) {
      expect(WebAssembly.validate(trampolineBytes(sig) as Uint8Array<ArrayBuffer>)).toBe(true);
      expect(WebAssembly.validate(shimBytes(sig) as Uint8Array<ArrayBuffer>)).toBe(true);
    }
  });

  it('should make a valid catching trampoline where the engine has exception references', () => {
    if ((WebAssembly as { JSTag?: unknown }).JSTag === undefined) return;
    for (const sig of SIGS) expect(WebAssembly.validate(trampolineBytes(sig, true) as Uint8Array<ArrayBuffer>)).toBe(true);
  });

  it('should refuse a blocking import with more than one result', () => {
    expect(() => shimBytes({ params: [], results: ['i32', 'i32'] })).toThrow(RangeError);
  });
});

describe('blockingImport', () => {
  it('should answer a plain result synchronously, even to code on no stack', () => {
    const f = callerOf(blockingImport((x: number) => x + 1, { params: ['i32'], results: ['i32'] }));
    expect(f(41)).toBe(42);
  });

  it.runIf(hasJspi)('should suspend the calling stack only when the built-in answers a Promise', async () => {
    const store = new Store();
    const thread = threadIn(store);
    const core = callerOf(blockingImport((x: number) => (x > 0 ? Promise.resolve(x * 2) : 7), { params: ['i32'], results: ['i32'] }));
    const entry = stackEntry(core, { params: ['i32'], results: ['i32'] });
    expect(entry).toBeDefined();
    const now = runOnStack(thread, entry!, [0]);
    expect(now).toEqual({ sync: true, value: 7 });
    const later = runOnStack(thread, entry!, [21]);
    expect(later.sync).toBe(false);
    if (!later.sync) {
      expect(await later.promise).toBe(42);
      later.release();
    }
    expect(store.active).toBe(0);
  });
});

describe('runOnStack', () => {
  it.runIf(hasJspi)('should throw a JS exception of the core code synchronously and restore the thread', () => {
    const store = new Store();
    const thread = threadIn(store);
    const core = callerOf(() => {
      throw new Error('built-in trap');
    });
    const entry = stackEntry(core, { params: ['i32'], results: ['i32'] })!;
    expect(() => runOnStack(thread, entry, [1])).toThrow('built-in trap');
    expect(thread.canSuspend).toBe(false);
    expect(store.active).toBe(0);
  });

  it.runIf(hasJspi)('should make the thread suspendable only while its core code runs', () => {
    const store = new Store();
    const thread = threadIn(store);
    let seen = false;
    const core = callerOf((x: number) => {
      seen = thread.canSuspend;
      return x;
    });
    const entry = stackEntry(core, { params: ['i32'], results: ['i32'] })!;
    expect(runOnStack(thread, entry, [5])).toEqual({ sync: true, value: 5 });
    expect(seen).toBe(true);
    expect(thread.canSuspend).toBe(false);
  });
});
