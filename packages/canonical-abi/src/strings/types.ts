/**
 * Constants and value shapes shared by string lifting and lowering.
 *
 * @module
 */

import type { StringEncoding } from '../context.js';

/**
 * The high bit of a `latin1+utf16` string length: set when the string is
 * stored as UTF-16 (the length then counts 16-bit code units), clear when it
 * is stored as Latin-1 (the length counts bytes).
 * `CanonicalABI.md#loading` (`UTF16_TAG`).
 */
export const UTF16_TAG = 0x8000_0000;

/**
 * The largest byte length of a string in memory, `2^28 - 1`
 * (`MAX_STRING_BYTE_LENGTH`, `CanonicalABI.md#loading`). Lifting a longer
 * string traps before anything else is checked. The bound keeps every
 * transcoder's worst case (3 bytes per source unit) below
 * {@link REALLOC_I32_MAX}, so lowering needs no size trap of its own.
 *
 * Older revisions of the spec had `2^31 - 1` here and checked it when
 * lowering instead; this follows the revision with memory64 and
 * `MAX_LIST_BYTE_LENGTH`, like the rest of this package.
 */
export const MAX_STRING_BYTE_LENGTH: number = (1 << 28) - 1;

/**
 * The largest size a 32-bit `realloc` can be asked for, `2^32 - 1`
 * (`REALLOC_I32_MAX`). The spec asserts the transcoders stay below it; here
 * it is a trap, reachable only with a hand-built {@link LiftedString} whose
 * length was never checked by a lift.
 */
export const REALLOC_I32_MAX: number = 2 ** 32 - 1;

/**
 * A string lifted out of a component together with how it was stored there:
 * the spec's string value `(s, encoding, tagged_code_units)`.
 *
 * Why it exists: when a string goes from one component straight into another,
 * the exact `realloc` sizes the callee sees depend on the *source* encoding
 * and length (for example a UTF-8 source of 10 bytes lowered into UTF-16
 * first allocates `2 * 10` bytes, then shrinks). A runtime that wants those
 * sequences bit-for-bit keeps this record between lift and lower
 * ({@link loadStringTagged}). A JavaScript host string is simply a `string`,
 * which this package treats as `(s, 'utf16', s.length)`: its code units are
 * UTF-16 code units.
 */
export interface LiftedString {
  /** The decoded string (always well-formed: lifting traps on invalid encodings). */
  readonly s: string;
  /** The encoding of the memory it was lifted from. */
  readonly encoding: StringEncoding;
  /**
   * The length as stored: bytes for `utf8` and Latin-1, code units for
   * `utf16`; for `latin1+utf16` with {@link UTF16_TAG} set when UTF-16.
   */
  readonly taggedCodeUnits: number;
}

/** What string lowering accepts: a host string or a string lifted from another component. */
export type CanonString = string | LiftedString;

/** The simple encodings a string's bytes can be in (`latin1+utf16` resolves to one of the last two). */
export type SimpleEncoding = 'utf8' | 'utf16' | 'latin1';
