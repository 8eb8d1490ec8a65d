/**
 * Errors thrown by `@wasm-components/binary`.
 *
 * Every failure while decoding is a {@link DecodeError} carrying the byte
 * offset where the problem was seen and what the decoder expected there, so a
 * tool can point at the exact byte. Guards check the shape of the error rather
 * than `instanceof`, because two copies of this package may be installed side
 * by side in one application.
 *
 * @module
 */

/** Stable `name` of {@link DecodeError}. */
export const DECODE_ERROR_NAME = 'WasmDecodeError' as const;
/** Stable `name` of {@link EncodeError}. */
export const ENCODE_ERROR_NAME = 'WasmEncodeError' as const;

/**
 * Why decoding stopped, as a stable code a program can switch on.
 *
 * - `unexpected-end`: the input ended (or a section/length-prefixed item ended) before a value was complete.
 * - `malformed`: bytes are present but do not match the grammar (bad opcode, bad LEB128, bad UTF-8...).
 * - `limit`: a configurable limit (nesting depth, count, size) was exceeded.
 */
export const DecodeErrorCode = {
  UnexpectedEnd: 'unexpected-end',
  Malformed: 'malformed',
  Limit: 'limit',
} as const;
/** One of the values of {@link DecodeErrorCode}. */
export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

/** Options for constructing a {@link DecodeError}. */
export interface DecodeErrorInit {
  /** Stable code, see {@link DecodeErrorCode}. */
  readonly code: DecodeErrorCode;
  /** Absolute byte offset in the input where the problem was found. */
  readonly offset: number;
  /** What the decoder expected at `offset`, in words ("section id", "u32 LEB128"...). */
  readonly expected: string;
  /** What it found instead, when that helps ("0x7b", "end of input"). */
  readonly found?: string;
  /** The underlying error when this one wraps another. */
  readonly cause?: unknown;
}

/**
 * A binary could not be decoded: the message names the offset, what was
 * expected and what was found, e.g. `at byte 0x1f: expected u32 LEB128, found end of input`.
 */
export class DecodeError extends Error {
  override readonly name: typeof DECODE_ERROR_NAME = DECODE_ERROR_NAME;
  /** Stable code, see {@link DecodeErrorCode}. */
  readonly code: DecodeErrorCode;
  /** Absolute byte offset in the input where the problem was found. */
  readonly offset: number;
  /** What the decoder expected at {@link DecodeError.offset}. */
  readonly expected: string;
  /** What it found instead, if known. */
  readonly found: string | undefined;

  constructor(init: DecodeErrorInit) {
    const where = `at byte ${init.offset} (0x${init.offset.toString(16)})`;
    const found = init.found === undefined ? '' : `, found ${init.found}`;
    super(`${where}: expected ${init.expected}${found}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.offset = init.offset;
    this.expected = init.expected;
    this.found = init.found;
  }
}

/**
 * An AST could not be encoded because it breaks a rule of the format (a value
 * out of range, an unknown node kind...). `path` says where in the AST.
 */
export class EncodeError extends Error {
  override readonly name: typeof ENCODE_ERROR_NAME = ENCODE_ERROR_NAME;
  /** Where in the AST the bad value is, e.g. `sections[3].types[0].params`. */
  readonly path: string;

  constructor(message: string, path = '', options?: { cause?: unknown }) {
    super(path === '' ? message : `${path}: ${message}`, options);
    this.path = path;
  }
}

function hasName(e: unknown, name: string): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name;
}

/** True if `e` is a {@link DecodeError} (from any copy of this package). */
export function isDecodeError(e: unknown): e is DecodeError {
  return hasName(e, DECODE_ERROR_NAME) && typeof (e as { offset?: unknown }).offset === 'number';
}

/** True if `e` is an {@link EncodeError} (from any copy of this package). */
export function isEncodeError(e: unknown): e is EncodeError {
  return hasName(e, ENCODE_ERROR_NAME);
}
