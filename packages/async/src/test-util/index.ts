// Shared helpers of this package's tests (not exported from the package).
import {
  type CanonicalOptions,
  type ComponentInstanceState,
  createInstanceState,
  isTrap,
  LiftLowerContext,
  type AsyncHooks,
} from '@wasm-components/canonical-abi';
import type { ThreadLike } from '../thread.js';

/** Runs `f` and returns the reason of the trap it throws; fails if it returns or throws anything else. */
export function trapReason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isTrap(e)) return e.reason;
    throw e;
  }
  throw new Error('expected a trap, but the call returned');
}

/** A component instance stand-in with one page of memory and a bump allocator. */
export interface TestInstance extends ComponentInstanceState {
  readonly memory: WebAssembly.Memory;
  readonly opts: CanonicalOptions;
  u8(): Uint8Array;
}

/** A fresh instance with its own memory; `realloc` bumps from 1024 upwards. */
export function testInstance(pages = 1): TestInstance {
  const memory = new WebAssembly.Memory({ initial: pages });
  let next = 1024;
  const realloc = (old: number, oldSize: number, align: number, size: number): number => {
    if (old !== 0 && size <= oldSize) return old;
    next = Math.ceil(next / align) * align;
    const p = next;
    next += size;
    if (old !== 0) new Uint8Array(memory.buffer).copyWithin(p, old, old + oldSize);
    return p;
  };
  const st = createInstanceState();
  return Object.assign(st, {
    memory,
    opts: { memory, realloc, stringEncoding: 'utf8' } as CanonicalOptions,
    u8: () => new Uint8Array(memory.buffer),
  });
}

/** A lift/lower context over `inst`'s memory and table. */
export function cxOf(inst: TestInstance, hooks?: AsyncHooks): LiftLowerContext {
  return new LiftLowerContext(inst.opts, inst, undefined, hooks);
}

/** A calling thread of `inst` whose task may block (or not). */
export function threadOf(inst: ComponentInstanceState, mayBlock = true): ThreadLike {
  return { task: { inst, mayBlock: () => mayBlock } };
}

/** The instance's options with `async` set (the async forms of read/write). */
export function asyncOpts(inst: TestInstance): CanonicalOptions {
  return { ...inst.opts, async: true };
}

/** A fresh instance, a calling thread and the two ends of the stream or future `make` creates (`stream.new`/`future.new`: readable low, writable high). */
export function endsSetup(make: (inst: TestInstance) => bigint): { a: TestInstance; caller: ThreadLike; ri: number; wi: number } {
  const a = testInstance();
  const caller = threadOf(a);
  const packed = make(a);
  return { a, caller, ri: Number(packed & 0xffffffffn), wi: Number(packed >> 32n) };
}
