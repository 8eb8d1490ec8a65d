/**
 * Errors thrown by `@wasm-components/runtime`.
 *
 * Three kinds of failure are kept apart, as the spec's test suite does
 * (`assert_invalid`, `assert_unlinkable`, `assert_trap`):
 *
 * - {@link ValidationError}: the component is not valid (`Explainer.md`,
 *   `Binary.md`); it is rejected before any code runs.
 * - {@link LinkError}: the component is valid but the imports given to
 *   `instantiate` do not satisfy its import types (missing, wrong sort, wrong
 *   type), or a nested instantiation's arguments do not.
 * - `Trap` (re-exported from `@wasm-components/canonical-abi`): a component
 *   faulted while running (an `unreachable`, a Canonical ABI check, a
 *   reentrance or `may_leave` violation). A trap poisons the instance.
 *
 * Guards check the shape of the error rather than `instanceof`, because two
 * copies of this package may be installed side by side.
 *
 * @module
 */

export { isTrap, Trap, TRAP_NAME } from '@wasm-components/canonical-abi';

/** Stable `name` of {@link ValidationError}. */
export const VALIDATION_ERROR_NAME = 'ComponentValidationError' as const;
/** Stable `name` of {@link LinkError}. */
export const LINK_ERROR_NAME = 'ComponentLinkError' as const;

/** Where in a component a {@link ValidationError} was found, as far as known. */
export interface ValidationErrorInit {
  /** Index of the section (in the component's section list) where the problem is. */
  readonly section?: number;
  /** Absolute byte offset of the offending item or section, when known. */
  readonly offset?: number;
  /** The underlying error when this one wraps another (e.g. a DecodeError). */
  readonly cause?: unknown;
}

/**
 * A component is invalid: the message says what rule was broken and where
 * (`section 3 at byte 0x2a: ...`). Thrown by `validate` and by `compile`.
 */
export class ValidationError extends Error {
  override readonly name: typeof VALIDATION_ERROR_NAME = VALIDATION_ERROR_NAME;
  /** The rule that was broken, without the location prefix. */
  readonly reason: string;
  /** Index of the section where the problem was found, if known. */
  readonly section: number | undefined;
  /** Absolute byte offset, if known. */
  readonly offset: number | undefined;

  constructor(reason: string, init: ValidationErrorInit = {}) {
    const where: string[] = [];
    if (init.section !== undefined) where.push(`section ${init.section}`);
    if (init.offset !== undefined) where.push(`at byte ${init.offset} (0x${init.offset.toString(16)})`);
    super(where.length === 0 ? reason : `${where.join(' ')}: ${reason}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.reason = reason;
    this.section = init.section;
    this.offset = init.offset;
  }
}

/** True when `e` is a {@link ValidationError} from any copy of this package. */
export function isValidationError(e: unknown): e is ValidationError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === VALIDATION_ERROR_NAME &&
    typeof (e as { reason?: unknown }).reason === 'string'
  );
}

/**
 * Imports do not satisfy a component's import types. `path` names the import
 * (`wasi:cli/stdout.get-stdout`, `nested component 2 arg "a"`).
 */
export class LinkError extends Error {
  override readonly name: typeof LINK_ERROR_NAME = LINK_ERROR_NAME;
  /** Which import (or instantiation argument) is wrong. */
  readonly path: string;
  /** What was wrong with it. */
  readonly reason: string;

  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(path === '' ? reason : `${path}: ${reason}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = path;
    this.reason = reason;
  }
}

/** True when `e` is a {@link LinkError} from any copy of this package. */
export function isLinkError(e: unknown): e is LinkError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === LINK_ERROR_NAME &&
    typeof (e as { path?: unknown }).path === 'string'
  );
}
