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
 * The largest number of bytes a lowered string may occupy, `2^31 - 1`
 * (`MAX_STRING_BYTE_LENGTH` in `definitions.py`), so that every byte length
 * fits below the UTF-16 tag bit. Exceeding it traps.
 */
export const MAX_STRING_BYTE_LENGTH = 0x7fff_ffff;

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
