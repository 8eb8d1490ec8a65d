/**
 * Running a task's core code on its own JSPI stack *without* giving up
 * synchronous completion.
 *
 * In the spec every task runs on a thread that may block anywhere: a
 * callback-lifted function's core code may call `waitable-set.wait` or a
 * sync-lowered async import (`wait-during-callback.wast`), a sync-ABI lift
 * of an async function may wait for its callee (`async-calls-sync.wast`).
 * With JSPI a blocking import can only suspend a stack entered through
 * `WebAssembly.promising`, and only when no JS frame sits between the
 * two, so each such core entry needs its own `promising` stack.
 *
 * But `promising` always answers with a Promise, even when the core code
 * returned without suspending, and the spec observes the difference: a
 * callee that does not block has finished before its caller's `canon lower`
 * returns (`RETURNED` rather than `STARTED`). So the core function is
 * called through a tiny generated core module (the *trampoline*): its
 * export `r(id, ...params)` calls the core function and hands the results
 * to the JS import `d(id, ...results)`. When `d` ran before `promising`
 * returned, the call completed synchronously and its results are known at
 * once; otherwise the stack suspended (or trapped) and the Promise carries
 * the rest.
 *
 * Only core instances that can block need this (the runtime asks for it
 * when JSPI is present); the trampoline is made once per core function.
 *
 * @module
 */

import type { CoreValType } from '@wasm-components/canonical-abi';
import { hasJspi, promising, suspending } from './jspi.js';
import type { Store } from './scheduler.js';
import type { Thread } from './thread.js';

/** A core function's flat signature. */
export interface CoreSig {
  readonly params: readonly CoreValType[];
  readonly results: readonly CoreValType[];
}

/** A core function callable on a fresh JSPI stack: `run(id, ...params)` resolves when the stack finishes. */
export interface StackEntry {
  /** The `promising` trampoline. */
  readonly run: (...args: unknown[]) => Promise<unknown>;
  /** The number of core results (0 or 1 in every lift). */
  readonly results: number;
}

const VALTYPE: Record<CoreValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };

function leb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
}

function str(s: string): number[] {
  return [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

function section(id: number, body: number[]): number[] {
  return [id, ...leb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...leb(items.length), ...items.flat()];
}

function funcType(params: readonly number[], results: readonly number[]): number[] {
  return [0x60, ...leb(params.length), ...params, ...leb(results.length), ...results];
}

/** `WebAssembly.JSTag` (the tag of JS exceptions) when the engine has it. */
function jsTag(): unknown {
  return (WebAssembly as unknown as { JSTag?: unknown }).JSTag;
}

/**
 * The trampoline module for `sig` (binary format, `Binary.md` of core
 * wasm): imports `t.f` (the core function), `t.d` (the completion hook)
 * and, with `catching`, `t.x` and the JS exception tag `t.e`; exports `r`.
 * With `catching`, a JS exception thrown by an import (a built-in's trap)
 * is caught in `r` and handed to `t.x`, so the embedding learns of it
 * synchronously; wasm traps cannot be caught and reject the Promise.
 */
export function trampolineBytes(sig: CoreSig, catching = false): Uint8Array {
  const ps = sig.params.map((t) => VALTYPE[t]);
  const rs = sig.results.map((t) => VALTYPE[t]);
  const i32 = VALTYPE.i32;
  const externref = 0x6f;
  const typeList = [funcType(ps, rs), funcType([i32, ...rs], []), funcType([i32, ...ps], [])];
  const importList = [
    [...str('t'), ...str('f'), 0x00, 0],
    [...str('t'), ...str('d'), 0x00, 1],
  ];
  if (catching) {
    typeList.push(funcType([externref], []), funcType([externref, i32], []));
    importList.push([...str('t'), ...str('x'), 0x00, 4], [...str('t'), ...str('e'), 0x04, 0x00, 3]);
  }
  const self = importList.length - (catching ? 1 : 0);
  const types = section(1, vec(typeList));
  const imports = section(2, vec(importList));
  const funcs = section(3, vec([[2]]));
  const exports = section(7, vec([[...str('r'), 0x00, ...leb(self)]]));
  const call: number[] = [0x20, 0];
  for (let i = 0; i < ps.length; i++) call.push(0x20, ...leb(i + 1));
  call.push(0x10, 0, 0x10, 1);
  // block (result externref) try_table (catch tag0 -> 0) <call> end return end; local.get 0; call x
  const body: number[] = catching
    ? [0x00, 0x02, externref, 0x1f, 0x40, 1, 0x00, 0, 0, ...call, 0x0b, 0x0f, 0x0b, 0x20, 0, 0x10, 2, 0x0b]
    : [0x00, ...call, 0x0b];
  const code = section(10, vec([[...leb(body.length), ...body]]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

const modules = new Map<string, WebAssembly.Module>();
/**
 * One call on a stack, by id (its index in {@link calls}): how it ended, set
 * by the trampoline's `d` (results) or `x` (a JS exception), or who to tell
 * when it ends after the stack suspended. Ids and their objects are reused
 * (a call on a stack is made for every lifted call that may block, so it
 * allocates as little as possible).
 */
class StackCall {
  ended = false;
  ok = true;
  /** The result (`ok`: undefined, the one value, or the list of several) or the error. */
  value: unknown = undefined;
  settle: ((c: StackCall) => void) | null = null;
}
const calls: StackCall[] = [new StackCall()];
const freeIds: number[] = [];

function acquire(): number {
  const id = freeIds.pop();
  if (id !== undefined) return id;
  calls.push(new StackCall());
  return calls.length - 1;
}

function freeCall(id: number): void {
  const c = calls[id] as StackCall;
  c.ended = false;
  c.ok = true;
  c.value = undefined;
  c.settle = null;
  freeIds.push(id);
}

function end(id: number, ok: boolean, value: unknown): void {
  const c = calls[id];
  if (c === undefined || c.ended) return;
  c.ended = true;
  c.ok = ok;
  c.value = value;
  if (c.settle !== null) c.settle(c);
}

/** The completion hooks by number of core results: `value` is the call's result (undefined, the one value, or the list). */
function onDone0(id: number): void {
  end(id, true, undefined);
}

function onDone1(id: number, result: unknown): void {
  end(id, true, result);
}

function onDone(id: number, ...results: unknown[]): void {
  end(id, true, results);
}

function onThrow(error: unknown, id: number): void {
  end(id, false, error);
}

/**
 * Makes the stack entry of core function `core` with signature `sig`;
 * undefined without JSPI (the caller then calls `core` directly and may
 * not block).
 */
export function stackEntry(core: unknown, sig: CoreSig): StackEntry | undefined {
  if (!hasJspi()) return undefined;
  const tag = jsTag();
  const catching = tag !== undefined;
  const key = `${sig.params.join(',')}>${sig.results.join(',')}${catching ? '!' : ''}`;
  let m = modules.get(key);
  if (m === undefined) {
    m = new WebAssembly.Module(trampolineBytes(sig, catching) as Uint8Array<ArrayBuffer>);
    modules.set(key, m);
  }
  const n = sig.results.length;
  const t: Record<string, unknown> = { f: core, d: n === 0 ? onDone0 : n === 1 ? onDone1 : onDone };
  if (catching) {
    t['x'] = onThrow;
    t['e'] = tag;
  }
  const inst = new WebAssembly.Instance(m, { t } as unknown as WebAssembly.Imports);
  const run = promising(inst.exports['r']);
  if (run === undefined) return undefined;
  return { run, results: sig.results.length };
}

/**
 * The outcome of {@link runOnStack}: the results at once, or a Promise of
 * them. In the second case the caller must call `release()` once it has
 * handled the outcome (after its continuation ran): the store counts the
 * stack as live until then, so it resumes no other thread in between (a
 * callback lift's `task.exit` must free the instance before the scheduler
 * looks at who may enter).
 */
export type StackOutcome = { readonly sync: true; readonly value: unknown } | { readonly sync: false; readonly promise: Promise<unknown>; readonly release: () => void };


/**
 * Calls `entry` with `args` on a new stack for `thread`: the thread may
 * suspend (its `canSuspend` is set while its core code runs). Returns the
 * results synchronously when the core code did not suspend; otherwise a
 * Promise settled when the stack finishes (or traps). While a stack is
 * live `store.active` counts it, so the scheduler does not report a
 * deadlock too early. The embedding's frame is `thread.frame` while the core
 * code runs and is restored on return.
 */
export function runOnStack(thread: Thread, entry: StackEntry, args: readonly unknown[]): StackOutcome {
  const store = thread.task.store as Store;
  const outer = store.frames.get();
  const id = acquire();
  const call = calls[id] as StackCall;
  const wasSuspendable = thread.canSuspend;
  thread.canSuspend = true;
  store.active++;
  store.frames.set(thread.frame);
  let p: Promise<unknown>;
  try {
    p = entry.run(id, ...args);
  } catch (e) {
    freeCall(id);
    store.active--;
    thread.canSuspend = wasSuspendable;
    store.frames.set(outer);
    throw e;
  }
  store.frames.set(outer);
  if (call.ended) {
    const { ok, value } = call;
    freeCall(id);
    store.active--;
    thread.canSuspend = wasSuspendable;
    if (!ok) throw value;
    return { sync: true, value };
  }
  // Suspended (or hit a wasm trap before its first suspension): the rest arrives with the Promise.
  const promise = new Promise<unknown>((resolve, reject) => {
    call.settle = (c) => {
      // The stack's last act (the trampoline's `d`/`x`): it was resumed from a microtask, so the
      // host's top level is current again, before any continuation (e.g. the host's next call) runs.
      store.frames.set(undefined);
      const { ok, value } = c;
      freeCall(id);
      if (ok) resolve(value);
      else reject(value);
    };
    p.then(
      () => {
        // `d` or `x` ran (and settled) before the stack returned.
      },
      (e: unknown) => {
        if (!call.ended && call.settle !== null) {
          // A wasm trap: neither `d` nor `x` ran.
          freeCall(id);
          reject(e);
        }
      },
    );
  });
  const release = (): void => {
    store.active--;
    thread.canSuspend = wasSuspendable;
    // A settled stack is continued from a microtask: the host's top level.
    store.frames.set(undefined);
    store.release(thread);
  };
  return { sync: false, promise, release };
}

/**
 * The shim module of a blocking import with signature `sig`: its export
 * `f` calls `s.t(...params)` (the built-in, which answers 1 when it
 * completed and 0 when it has to wait), then `s.k()` (the stored results,
 * a plain import) or `s.b()` (the stored Promise, a `Suspending` import).
 */
export function shimBytes(sig: CoreSig): Uint8Array {
  const ps = sig.params.map((t) => VALTYPE[t]);
  const rs = sig.results.map((t) => VALTYPE[t]);
  if (rs.length > 1) throw new RangeError('a blocking import has at most one result');
  const i32 = VALTYPE.i32;
  const types = section(1, vec([funcType(ps, [i32]), funcType([], rs), funcType(ps, rs)]));
  const imports = section(2, vec([[...str('s'), ...str('t'), 0x00, 0], [...str('s'), ...str('k'), 0x00, 1], [...str('s'), ...str('b'), 0x00, 1]]));
  const funcs = section(3, vec([[2]]));
  const exports = section(7, vec([[...str('f'), 0x00, 3]]));
  const body: number[] = [0x00];
  for (let i = 0; i < ps.length; i++) body.push(0x20, ...leb(i));
  body.push(0x10, 0, 0x04, rs.length === 0 ? 0x40 : (rs[0] as number), 0x10, 1, 0x05, 0x10, 2, 0x0b, 0x0b);
  const code = section(10, vec([[...leb(body.length), ...body]]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

const shims = new Map<string, WebAssembly.Module>();

/**
 * A core import for a built-in that *may* block: `f` returns its result,
 * or a Promise of it when the calling thread has to wait. Under JSPI the
 * import is a small wasm shim that calls `f` as a plain import and only
 * when `f` answered a Promise enters a `Suspending` import. V8 suspends a
 * stack at *every* call of a `Suspending` import, even one answering a
 * plain value, so wrapping `f` itself would make every call asynchronous
 * (a callee that does not block would come back before finishing, and code
 * on no stack could not call it at all). Without JSPI `f` is returned as
 * it is (it never answers a Promise there: it traps first).
 */
export function blockingImport(f: (...args: never[]) => unknown, sig: CoreSig): unknown {
  if (!hasJspi() || sig.results.length > 1) return f;
  const key = `${sig.params.join(',')}>${sig.results.join(',')}`;
  let m = shims.get(key);
  if (m === undefined) {
    m = new WebAssembly.Module(shimBytes(sig) as Uint8Array<ArrayBuffer>);
    shims.set(key, m);
  }
  let slot: unknown;
  const g = f as (...args: unknown[]) => unknown;
  const s = {
    t: (...args: unknown[]): number => {
      const v = g(...args);
      slot = v;
      return v instanceof Promise ? 0 : 1;
    },
    k: (): unknown => {
      const v = slot;
      slot = undefined;
      return v;
    },
    b: suspending(() => {
      const v = slot;
      slot = undefined;
      return v;
    }),
  };
  return new WebAssembly.Instance(m, { s } as unknown as WebAssembly.Imports).exports['f'];
}
