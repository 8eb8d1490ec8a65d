// Shared helpers of the canonical-abi core tests (not part of the package).
import { LiftLowerContext, type CanonicalOptions, type StringEncoding } from '../src/context.js';
import { isHostValueError, isTrap } from '../src/errors.js';
import { createInstanceState } from '../src/function.js';

/** One recorded `realloc` call: [originalPtr, originalSize, alignment, newSize] -> result. */
export type ReallocCall = [number, number, number, number, number];

/** A memory, a bump allocator written in JS, and a context using both. */
export interface Harness {
  readonly memory: WebAssembly.Memory;
  cx: LiftLowerContext;
  readonly calls: ReallocCall[];
  /** Next free byte of the bump allocator. */
  next: number;
}

/**
 * A harness with `pages` pages of memory. The allocator bumps from `start`
 * (default 16), grows memory when needed (exercising view refresh), and
 * shrinks in place; `override` replaces its result to provoke traps.
 */
export function harness(
  opts: Partial<CanonicalOptions> & { stringEncoding?: StringEncoding } = {},
  pages = 1,
  start = 16,
  override?: (call: [number, number, number, number]) => number | undefined,
): Harness {
  const memory = new WebAssembly.Memory({ initial: pages });
  const h: Harness = {
    memory,
    calls: [],
    next: start,
    cx: undefined as unknown as LiftLowerContext,
  };
  const realloc = (orig: number, origSize: number, align: number, newSize: number): number => {
    const o = override?.([orig, origSize, align, newSize]);
    if (o !== undefined) {
      h.calls.push([orig, origSize, align, newSize, o]);
      return o;
    }
    let p: number;
    if (orig !== 0 && newSize <= origSize) p = orig;
    else {
      p = Math.ceil(h.next / align) * align;
      h.next = p + newSize;
      const need = h.next - memory.buffer.byteLength;
      if (need > 0) memory.grow(Math.ceil(need / 65536));
      if (orig !== 0) {
        const u8 = new Uint8Array(memory.buffer);
        u8.copyWithin(p, orig, orig + Math.min(origSize, newSize));
      }
    }
    h.calls.push([orig, origSize, align, newSize, p]);
    return p;
  };
  const options: CanonicalOptions = { memory, realloc, stringEncoding: 'utf8', ...opts };
  h.cx = new LiftLowerContext(options, createInstanceState());
  return h;
}

/** Runs `f`, expecting a trap; returns its reason. */
export function trapReason(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isTrap(e)) return e.reason;
    throw e;
  }
  throw new Error('expected a trap, but the call returned');
}

/** Runs `f`, expecting a HostValueError; returns it. */
export function hostError(f: () => unknown): { message: string; path: string } {
  try {
    f();
  } catch (e) {
    if (isHostValueError(e)) return e;
    throw e;
  }
  throw new Error('expected a HostValueError, but the call returned');
}

/** Bytes of memory as lowercase hex, space-separated. */
export function hexAt(memory: WebAssembly.Memory, ptr: number, n: number): string {
  return Array.from(new Uint8Array(memory.buffer, ptr, n), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Writes hex bytes ("01 02 ff") into memory at `ptr`. */
export function writeHex(memory: WebAssembly.Memory, ptr: number, hex: string): void {
  const bytes = hex.split(/\s+/).filter((x) => x !== '').map((x) => parseInt(x, 16));
  new Uint8Array(memory.buffer).set(bytes, ptr);
}
