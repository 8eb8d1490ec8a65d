// Shared helpers of the string tests: a real WebAssembly.Memory, a JS bump
// `realloc` that logs its calls, and a reference model of the spec's string
// lowering (a deliberately naive transliteration of definitions.py, used as the
// oracle of the property tests).
import { LiftLowerContext, type StringEncoding } from '../../src/context.js';
import { isHostValueError, isTrap } from '../../src/errors.js';
import { HandleTable } from '../../src/resources/index.js';
import type { CanonString } from '../../src/strings.js';

/** One `realloc(originalPtr, originalSize, alignment, newSize)` call. */
export type ReallocCall = [originalPtr: number, originalSize: number, alignment: number, newSize: number];

/** How the logging realloc behaves. */
export interface AllocatorOptions {
  /** First address handed out (default 1024). */
  start?: number;
  /**
   * `inPlace` (default): a shrink (`newSize <= originalSize`) keeps the block,
   * like the allocators of the reference test suite; `move`: every call returns
   * a fresh block (contents copied), so a caller that ignores the new pointer is caught.
   */
  mode?: 'inPlace' | 'move';
  /** Fixed result instead of allocating (to provoke traps). */
  result?: (call: ReallocCall, n: number) => number | undefined;
}

/** A test fixture: memory, a logging bump allocator and a context using them. */
export interface Fixture {
  memory: WebAssembly.Memory;
  log: ReallocCall[];
  cx: LiftLowerContext;
  bytes(ptr: number, n: number): number[];
  write(ptr: number, bytes: readonly number[]): void;
  writeU32(ptr: number, v: number): void;
}

/** Builds a fixture with `pages` pages of memory (64 KiB each) in encoding `enc`. */
export function fixture(enc: StringEncoding, options: AllocatorOptions = {}, pages = 1): Fixture {
  const memory = new WebAssembly.Memory({ initial: pages });
  const log: ReallocCall[] = [];
  let next = options.start ?? 1024;
  const realloc = (op: number, os: number, align: number, ns: number): number => {
    const call: ReallocCall = [op, os, align, ns];
    log.push(call);
    const fixed = options.result?.(call, log.length);
    if (fixed !== undefined) return fixed;
    if (op !== 0 && ns <= os && options.mode !== 'move') return op;
    next = Math.ceil(next / align) * align;
    const r = next;
    next += ns;
    if (op !== 0) new Uint8Array(memory.buffer).copyWithin(r, op, op + Math.min(os, ns));
    return r;
  };
  const cx = new LiftLowerContext({ memory, stringEncoding: enc, realloc }, { handles: new HandleTable<unknown>(), mayLeave: true });
  return {
    memory,
    log,
    cx,
    bytes: (ptr, n) => Array.from(new Uint8Array(memory.buffer, ptr, n)),
    write: (ptr, bytes) => new Uint8Array(memory.buffer).set(bytes, ptr),
    writeU32: (ptr, v) => new DataView(memory.buffer).setUint32(ptr, v, true),
  };
}

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

/** Runs `f` and returns the message of the HostValueError it throws. */
export function hostErrorMessage(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isHostValueError(e)) return e.message;
    throw e;
  }
  throw new Error('expected a HostValueError, but the call returned');
}

/** `0x68, 0x00, ...`: the UTF-16LE bytes of a string. */
export function utf16le(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i) & 0xff, s.charCodeAt(i) >>> 8);
  return out;
}

/** The UTF-8 bytes of a string. */
export function utf8(s: string): number[] {
  return Array.from(new TextEncoder().encode(s));
}

/** The Latin-1 bytes of a string whose code units are all below 256. */
export function latin1(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

const UTF16_TAG = 0x8000_0000;
// REALLOC_I32_MAX: the spec asserts the transcoders stay below it.
const MAX = 2 ** 32 - 1;

/** Thrown by the model where the spec traps. */
export class ModelTrap extends Error {}

/**
 * Reference model of `store_string_into_range` (definitions.py) over a plain
 * byte array: returns the result pair and fills `log` with the realloc calls.
 * Written for obviousness, not speed, and independently of src/strings.
 */
export function modelStore(
  mem: () => Uint8Array,
  realloc: (a: number, b: number, c: number, d: number) => number,
  dst: StringEncoding,
  v: CanonString,
): [number, number] {
  const src = typeof v === 'string' ? v : v.s;
  const srcEncoding: StringEncoding = typeof v === 'string' ? 'utf16' : v.encoding;
  const tagged = typeof v === 'string' ? v.length : v.taggedCodeUnits;
  let simple: 'utf8' | 'utf16' | 'latin1';
  let units: number;
  if (srcEncoding === 'latin1+utf16') {
    simple = tagged & UTF16_TAG ? 'utf16' : 'latin1';
    units = tagged & UTF16_TAG ? tagged ^ UTF16_TAG : tagged;
    units >>>= 0;
  } else {
    simple = srcEncoding;
    units = tagged;
  }
  const cps = Array.from(src, (c) => c.codePointAt(0) as number);
  const enc = (e: 'utf8' | 'utf16' | 'latin1'): number[] => (e === 'utf8' ? utf8(src) : e === 'utf16' ? utf16le(src) : latin1(src));
  const call = (a: number, b: number, c: number, d: number, checkAlign: boolean): number => {
    const p = realloc(a, b, c, d) >>> 0;
    if (checkAlign && p % c !== 0) throw new ModelTrap('align');
    if (p + d > mem().length) throw new ModelTrap('bounds');
    return p;
  };
  const put = (p: number, bytes: number[]): void => mem().set(bytes, p);
  const copy = (size: number, align: number, e: 'utf8' | 'utf16' | 'latin1'): [number, number] => {
    const n = size * units;
    if (n > MAX) throw new ModelTrap('max');
    const p = call(0, 0, align, n, true);
    put(p, enc(e));
    return [p, units];
  };
  const toUtf8 = (worst: number): [number, number] => {
    let p = call(0, 0, 1, units, false);
    for (let i = 0; i < cps.length; i++) {
      if ((cps[i] as number) < 0x80) {
        mem()[p + i] = cps[i] as number;
        continue;
      }
      if (worst > MAX) throw new ModelTrap('max');
      p = call(p, units, 1, worst, false);
      const e = enc('utf8');
      put(p + i, e.slice(i));
      if (worst > e.length) p = call(p, worst, 1, e.length, false);
      return [p, e.length];
    }
    return [p, units];
  };
  const toLatin1OrUtf16 = (): [number, number] => {
    let p = call(0, 0, 2, units, true);
    let n = 0;
    for (const cp of cps) {
      if (cp < 256) {
        mem()[p + n++] = cp;
        continue;
      }
      const worst = 2 * units;
      if (worst > MAX) throw new ModelTrap('max');
      p = call(p, units, 2, worst, true);
      for (let j = n - 1; j >= 0; j--) {
        mem()[p + 2 * j] = mem()[p + j] as number;
        mem()[p + 2 * j + 1] = 0;
      }
      const e = enc('utf16');
      put(p + 2 * n, e.slice(2 * n));
      if (worst > e.length) p = call(p, worst, 2, e.length, true);
      return [p, (e.length / 2 + UTF16_TAG) >>> 0];
    }
    if (n < units) p = call(p, units, 2, n, true);
    return [p, n];
  };
  const probablyUtf16 = (): [number, number] => {
    const bl = 2 * units;
    if (bl > MAX) throw new ModelTrap('max');
    let p = call(0, 0, 2, bl, true);
    const e = enc('utf16');
    put(p, e);
    if (cps.some((c) => c >= 256)) return [p, (e.length / 2 + UTF16_TAG) >>> 0];
    const n = e.length / 2;
    for (let i = 0; i < n; i++) mem()[p + i] = mem()[p + 2 * i] as number;
    p = call(p, bl, 1, n, false);
    return [p, n];
  };
  switch (dst) {
    case 'utf8':
      return simple === 'utf8' ? copy(1, 1, 'utf8') : simple === 'utf16' ? toUtf8(units * 3) : toUtf8(units * 2);
    case 'utf16':
      return simple === 'utf8'
        ? (() => {
            const worst = 2 * units;
            if (worst > MAX) throw new ModelTrap('max');
            let p = call(0, 0, 2, worst, true);
            const e = enc('utf16');
            put(p, e);
            if (e.length < worst) p = call(p, worst, 2, e.length, true);
            return [p, e.length / 2] as [number, number];
          })()
        : copy(2, 2, 'utf16');
    case 'latin1+utf16':
      if (srcEncoding !== 'latin1+utf16') return toLatin1OrUtf16();
      return simple === 'latin1' ? copy(1, 2, 'latin1') : probablyUtf16();
  }
}
