/**
 * Error contexts (`error-context`, `CanonicalABI.md#canon-error-contextnew`):
 * immutable values carrying a debug message, passed by handle. Unlike a
 * stream or future end, lifting an error context does not move it out of
 * the sender's table: both instances then hold a handle to the same value
 * and each drops its own.
 *
 * For JS an error context is an {@link ErrorContext} object (the host reads
 * {@link ErrorContext.debugMessage}; it may create one with
 * {@link ErrorContext.fromHost} to pass to a component).
 *
 * @module
 */

import type { CanonString, LiftedString } from '@wasm-components/canonical-abi';

/**
 * One error context (the spec's `ErrorContext`). The debug message keeps the
 * encoding it was lifted with (a {@link LiftedString}) so lowering it into
 * another component makes exactly the spec's `realloc` calls.
 */
export class ErrorContext {
  /** Kind tag (also what the handle table's trap messages print). */
  readonly kind: 'error-context' = 'error-context';
  /** The message as lifted, or as given by the host. */
  readonly message: CanonString;

  constructor(message: CanonString) {
    this.message = message;
  }

  /** An error context created by the host with a debug message. */
  static fromHost(message: string): ErrorContext {
    return new ErrorContext(message);
  }

  /** The debug message as a JS string. */
  get debugMessage(): string {
    const m = this.message;
    return typeof m === 'string' ? m : (m as LiftedString).s;
  }

  /** For `String(e)` and template literals. */
  toString(): string {
    return `error-context: ${this.debugMessage}`;
  }
}

/** True when `e` is an {@link ErrorContext} (checks shape, so two copies of the package agree). */
export function isErrorContext(e: unknown): e is ErrorContext {
  return typeof e === 'object' && e !== null && (e as { kind?: unknown }).kind === 'error-context' && 'message' in e;
}
