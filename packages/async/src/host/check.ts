/**
 * Checks of the values the host writes into streams and futures, made when
 * the host hands them over.
 *
 * The values are lowered into guest memory only later, inside the guest's
 * `stream.read` / `future.read`: a wrong value found there would surface in
 * the guest's built-in call, with the guest holding exclusive access, and
 * leave the component waiting. So the host's values are checked up front
 * and a wrong one is a {@link HostValueError} for the host alone (its
 * stream ends, its future is dropped), as a wrong export argument is.
 *
 * Scalars, `char` and `string` are checked exactly; compound element types
 * (records, lists, variants...) are checked when they are lowered.
 *
 * @module
 */
import { badValue, type ValType } from '@wasm-components/canonical-abi';
import type { ElementValues } from '../streams/buffer.js';

const INT_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  u8: [0, 0xff],
  s8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  s16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  s32: [-0x80000000, 0x7fffffff],
};

const BIG_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  u64: [0n, 0xffffffffffffffffn],
  s64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

/** Throws a {@link HostValueError} unless `v` is a value of the scalar, `char` or `string` type `t`; other types pass. */
export function checkElement(t: ValType | undefined, v: unknown, path = ''): void {
  if (t === undefined) return;
  const k = t.kind;
  const ints = INT_RANGES[k];
  if (ints !== undefined) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < ints[0] || v > ints[1]) badValue(`a ${k} (an integer from ${ints[0]} to ${ints[1]})`, v, path);
    return;
  }
  const bigs = BIG_RANGES[k];
  if (bigs !== undefined) {
    if (typeof v !== 'bigint' || v < bigs[0] || v > bigs[1]) badValue(`a ${k} (a bigint from ${bigs[0]} to ${bigs[1]})`, v, path);
    return;
  }
  switch (k) {
    case 'f32':
    case 'f64':
      if (typeof v !== 'number') badValue(`a ${k} (a number)`, v, path);
      return;
    case 'bool':
      if (typeof v !== 'boolean') badValue('a bool (true or false)', v, path);
      return;
    case 'char': {
      const cp = typeof v === 'string' ? v.codePointAt(0) : undefined;
      if (typeof v !== 'string' || cp === undefined || String.fromCodePoint(cp) !== v || (cp >= 0xd800 && cp <= 0xdfff)) badValue('a char (a string of one Unicode scalar value)', v, path);
      return;
    }
    case 'string':
      if (typeof v !== 'string') badValue('a string', v, path);
      return;
    default:
      return;
  }
}

/** {@link checkElement} on every value of a chunk (typed arrays of the element's own kind are right by construction). */
export function checkElements(t: ValType | undefined, values: ElementValues, typed: boolean): void {
  if (t === undefined || typed) return;
  const vs = values as ArrayLike<unknown>;
  for (let i = 0; i < vs.length; i++) checkElement(t, vs[i], `[${i}]`);
}
