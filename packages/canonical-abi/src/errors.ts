/**
 * Errors thrown by `@wasm-components/canonical-abi`.
 *
 * Two kinds of failure are kept apart on purpose:
 *
 * - {@link Trap}: the Canonical ABI says "trap" (`trap_if` in `definitions.py`).
 *   A trap is a fault of a component (bad pointer, misaligned `realloc`
 *   result, invalid char, unknown handle...). After a trap the component
 *   instance must not be entered again; the runtime decides how to report it.
 * - {@link HostValueError}: a JavaScript host passed a value of the wrong shape
 *   for its type (a string where a `u32` was expected, `300` for a `u8`).
 *   The spec never sees such values because its host values are already typed;
 *   for a JS host they are a programming error on the host side, not a fault
 *   of the component, so they are a `TypeError`, not a trap.
 *
 * Guards check the shape of the error rather than `instanceof`, because two
 * copies of this package may be installed side by side.
 *
 * @module
 */

/** Stable `name` of {@link Trap}. */
export const TRAP_NAME = 'ComponentTrap' as const;
/** Stable `name` of {@link HostValueError}. */
export const HOST_VALUE_ERROR_NAME = 'ComponentHostValueError' as const;
/** Stable `name` of {@link InvalidTypeError}. */
export const INVALID_TYPE_ERROR_NAME = 'ComponentInvalidTypeError' as const;

/**
 * A Canonical ABI trap (`trap()` / `trap_if()` in `definitions.py`).
 * `reason` is the bare explanation ("pointer 0x11 is not aligned to 4"); the
 * message prefixes it with "trap: " so logs read naturally.
 */
export class Trap extends Error {
  override readonly name: typeof TRAP_NAME = TRAP_NAME;
  /** Why the trap happened, in words, without the "trap: " prefix. */
  readonly reason: string;

  constructor(reason: string, options?: { cause?: unknown }) {
    super(`trap: ${reason}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
  }
}

/** True when `e` is a {@link Trap} from any copy of this package. */
export function isTrap(e: unknown): e is Trap {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === TRAP_NAME &&
    typeof (e as { reason?: unknown }).reason === 'string'
  );
}

/** Throws a {@link Trap}. The spec's `trap()`. */
export function trap(message: string): never {
  throw new Trap(message);
}

/**
 * The spec's `trap_if(cond)`, with a message. Keep `message` a constant string
 * on hot paths (build dynamic messages only after the check fails).
 */
export function trapIf(cond: boolean, message: string): void {
  if (cond) throw new Trap(message);
}

/**
 * A host (JavaScript) value does not have the shape its component type needs.
 * `path` says where inside the value (`params[1].items[3].name`), `expected`
 * what the type needs and `found` a short description of what came instead.
 */
export class HostValueError extends TypeError {
  override readonly name: typeof HOST_VALUE_ERROR_NAME = HOST_VALUE_ERROR_NAME;
  /** What the type needs ("u8 (an integer in 0..255)"). */
  readonly expected: string;
  /** Short description of what came instead ("300", "a string"). */
  readonly found: string;
  /** Where in the value, when known; empty for the top level. */
  readonly path: string;

  constructor(expected: string, found: string, path = '') {
    super(`${path === '' ? '' : `at ${path}: `}expected ${expected}, found ${found}`);
    this.expected = expected;
    this.found = found;
    this.path = path;
  }
}

/** True when `e` is a {@link HostValueError} from any copy of this package. */
export function isHostValueError(e: unknown): e is HostValueError {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === HOST_VALUE_ERROR_NAME &&
    typeof (e as { expected?: unknown }).expected === 'string'
  );
}

/** Describes a JS value briefly for error messages (never its whole content). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'undefined':
      return 'undefined';
    case 'number':
    case 'bigint':
    case 'boolean':
      return `${typeof v} ${String(v)}${typeof v === 'bigint' ? 'n' : ''}`;
    case 'string':
      return v.length > 20 ? `a string of length ${v.length}` : `string ${JSON.stringify(v)}`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      if (Array.isArray(v)) return `an array of length ${v.length}`;
      if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
      return v.constructor === Object || v.constructor === undefined ? 'an object' : `a ${v.constructor.name}`;
  }
}

/** Throws a {@link HostValueError}. */
export function badValue(expected: string, found: unknown, path = ''): never {
  throw new HostValueError(expected, describeValue(found), path);
}

/**
 * A value type breaks a validation rule the Canonical ABI relies on (a
 * `flags` with no labels or more than 32, a `variant` without cases, an empty
 * `record`, a fixed-length list of length 0). Component validation rejects
 * such types; a hand-built type may still contain them, so the layout
 * functions check instead of computing a wrong layout.
 */
export class InvalidTypeError extends TypeError {
  override readonly name: typeof INVALID_TYPE_ERROR_NAME = INVALID_TYPE_ERROR_NAME;
}

/** True when `e` is an {@link InvalidTypeError} from any copy of this package. */
export function isInvalidTypeError(e: unknown): e is InvalidTypeError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === INVALID_TYPE_ERROR_NAME;
}

/**
 * Re-throws `e` with `segment` prepended to its path when it is a
 * {@link HostValueError} (so a deep error says `[3].name`), unchanged otherwise.
 * Only called on the error path, so the happy path pays nothing.
 */
export function rethrowAt(e: unknown, segment: string): never {
  if (isHostValueError(e)) {
    const p = e.path;
    const path = p === '' ? segment : p.charCodeAt(0) === 0x5b /* [ */ ? segment + p : `${segment}.${p}`;
    throw new HostValueError(e.expected, e.found, path);
  }
  throw e;
}
