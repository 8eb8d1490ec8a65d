/**
 * The handle types (`own`, `borrow`, `stream`, `future`, `error-context`):
 * all are one `i32` table index in memory and in flat form. Resources go to
 * `src/resources`; the async types go through {@link AsyncHooks} so this
 * package does not depend on the async implementation.
 *
 * @module
 */

import type { AsyncHooks, LiftLowerContext } from './context.js';
import { badValue, trap } from './errors.js';
import { liftBorrow, liftOwn, lowerBorrow, lowerOwn } from './resources/index.js';
import type { BorrowType, ErrorContextType, FutureType, OwnType, StreamType } from './types.js';

/** The handle value types. */
export type HandleValType = OwnType | BorrowType | StreamType | FutureType | ErrorContextType;

/** Lifts a handle index to its host value. */
export type HandleLifter = (cx: LiftLowerContext, i: number) => unknown;
/** Lowers a host value to a handle index. */
export type HandleLowerer = (cx: LiftLowerContext, v: unknown) => number;

function hooks(cx: LiftLowerContext, what: string): AsyncHooks {
  const h = cx.hooks;
  if (h === undefined) {
    return trap(`${what} values need the async support (@wasm-components/async): no AsyncHooks were given to this LiftLowerContext`);
  }
  return h;
}

function checkRep(v: unknown, kind: string): number {
  if (typeof v === 'number' && v >>> 0 === v) return v;
  return badValue(`${kind} handle value: a resource representation (an integer in 0..2^32-1)`, v);
}

/** The function lifting handles of type `ty` (index -> host value). */
export function handleLifter(ty: HandleValType): HandleLifter {
  switch (ty.kind) {
    case 'own': {
      const rt = ty.resource;
      return (cx, i) => liftOwn(cx, i, rt);
    }
    case 'borrow': {
      const rt = ty.resource;
      return (cx, i) => liftBorrow(cx, i, rt);
    }
    case 'stream':
      return (cx, i) => hooks(cx, 'stream').liftStream(cx, i, ty);
    case 'future':
      return (cx, i) => hooks(cx, 'future').liftFuture(cx, i, ty);
    case 'error-context':
      return (cx, i) => hooks(cx, 'error-context').liftErrorContext(cx, i, ty);
  }
}

/** The function lowering host values of type `ty` to a handle index. */
export function handleLowerer(ty: HandleValType): HandleLowerer {
  switch (ty.kind) {
    case 'own': {
      const rt = ty.resource;
      return (cx, v) => lowerOwn(cx, checkRep(v, 'own'), rt);
    }
    case 'borrow': {
      const rt = ty.resource;
      return (cx, v) => lowerBorrow(cx, checkRep(v, 'borrow'), rt);
    }
    case 'stream':
      return (cx, v) => hooks(cx, 'stream').lowerStream(cx, v, ty);
    case 'future':
      return (cx, v) => hooks(cx, 'future').lowerFuture(cx, v, ty);
    case 'error-context':
      return (cx, v) => hooks(cx, 'error-context').lowerErrorContext(cx, v, ty);
  }
}
