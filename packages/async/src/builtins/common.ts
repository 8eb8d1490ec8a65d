/**
 * Pieces shared by the stream, future and error-context built-ins: the
 * `may_leave` check, the BLOCKED sentinel, and typed table lookups.
 *
 * @module
 */

import {
  type ComponentInstanceState,
  describeTableEntry,
  trap,
  trapWrongHandleKind,
} from '@wasm-components/canonical-abi';

/**
 * What an async copy or cancel returns when it could not finish at once
 * (the spec's `BLOCKED = 0xffff_ffff`, `-1` as a core `i32`). The
 * built-ins of this package also return it to a *synchronous* caller
 * (see {@link BlockedCopy}); the runtime then waits and calls `finish`.
 */
export const BLOCKED: number = 0xffff_ffff;

/** The trap when an instance that may not be left (e.g. during post-return) calls a built-in. */
export const CANNOT_LEAVE: string = 'cannot leave component instance';

/** The spec's `trap_if(not thread.task.inst.may_leave)`. */
export function checkMayLeave(inst: ComponentInstanceState): void {
  if (!inst.mayLeave) trap(CANNOT_LEAVE);
}

/**
 * The trap of a synchronous operation that would block in a task that may
 * not block (`trap_if(not thread.task.may_block() and not async_)`); the
 * reference tests' wording.
 */
export const CANNOT_BLOCK: string = 'cannot block a synchronous task before returning';

/** Looks up `i` and checks that it is a `Ctor` (`trap_if(not isinstance(e, EndT))`). */
export function getAs<T>(inst: ComponentInstanceState, i: number, Ctor: abstract new (...args: never[]) => T, what: string): T {
  const e = inst.handles.get(i);
  if (!(e instanceof Ctor)) return trapWrongHandleKind(i, what, describeTableEntry(e));
  return e;
}

/** Removes `i` and checks that it was a `Ctor`. */
export function removeAs<T>(inst: ComponentInstanceState, i: number, Ctor: abstract new (...args: never[]) => T, what: string): T {
  const e = inst.handles.remove(i);
  if (!(e instanceof Ctor)) return trapWrongHandleKind(i, what, describeTableEntry(e));
  return e;
}
