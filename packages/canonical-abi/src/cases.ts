/**
 * How the JS values of variant-like types (`variant`, `enum`, `option`,
 * `result`) map to the despecialized `(case index, payload)` the Canonical
 * ABI stores. Built once per type and cached.
 *
 * JS representation (see the package README):
 * - `variant`: `{ tag: label, val? }`
 * - `enum`: the label string
 * - `option<T>`: `undefined`/`null` for none, the value for some; when `T` is
 *   itself an `option`, some is `{ tag: 'some', val }` so `some(none)` and
 *   `none` stay distinct
 * - `result<O, E>`: `{ tag: 'ok', val? }` or `{ tag: 'err', val? }`
 *
 * @module
 */

import { badValue } from './errors.js';
import { despecialize } from './layout.js';
import type { Case, EnumType, OptionType, ResultType, ValType, VariantType } from './types.js';
import { typeToString } from './types.js';

/** Variant-like types. */
export type VariantLike = VariantType | EnumType | OptionType | ResultType;

/** Converts between a variant-like JS value and its case index and payload. */
export interface CaseCodec {
  /** The despecialized cases. */
  readonly cases: readonly Case[];
  /** Index of the case `v` selects; HostValueError when `v` has the wrong shape. */
  indexOf(v: unknown): number;
  /** The payload of `v` (only called when the selected case has a payload type). */
  payloadOf(v: unknown): unknown;
  /** The JS value for case `index` with `payload` (`undefined` for a payload-less case). */
  make(index: number, payload: unknown): unknown;
}

const cache = new WeakMap<ValType, CaseCodec>();

/** The {@link CaseCodec} of a variant-like type (cached). */
export function caseCodec(ty: VariantLike): CaseCodec {
  let c = cache.get(ty);
  if (c === undefined) {
    c = build(ty);
    cache.set(ty, c);
  }
  return c;
}

function tagOf(v: unknown): unknown {
  return typeof v === 'object' && v !== null ? (v as { tag?: unknown }).tag : undefined;
}

function valOf(v: unknown): unknown {
  return (v as { val?: unknown }).val;
}

function build(ty: VariantLike): CaseCodec {
  const cases = (despecialize(ty) as VariantType).cases;
  switch (ty.kind) {
    case 'variant': {
      const index = new Map<string, number>();
      cases.forEach((c, i) => index.set(c.label, i));
      const expected = `a variant value { tag, val? } with tag one of ${cases.map((c) => JSON.stringify(c.label)).join(', ')}`;
      const made = cases.map((c) => (c.type === undefined ? Object.freeze({ tag: c.label }) : undefined));
      return {
        cases,
        indexOf(v) {
          const tag = tagOf(v);
          const i = typeof tag === 'string' ? index.get(tag) : undefined;
          return i === undefined ? badValue(expected, v) : i;
        },
        payloadOf: valOf,
        make(i, payload) {
          const m = made[i];
          return m !== undefined ? { tag: m.tag } : { tag: (cases[i] as Case).label, val: payload };
        },
      };
    }
    case 'enum': {
      const index = new Map<string, number>();
      ty.labels.forEach((l, i) => index.set(l, i));
      const labels = ty.labels;
      const expected = `an enum label, one of ${labels.map((l) => JSON.stringify(l)).join(', ')}`;
      return {
        cases,
        indexOf(v) {
          const i = typeof v === 'string' ? index.get(v) : undefined;
          return i === undefined ? badValue(expected, v) : i;
        },
        payloadOf: () => undefined,
        make: (i) => labels[i],
      };
    }
    case 'option': {
      if (ty.type.kind === 'option') {
        const expected = `${typeToString(ty)}: undefined/null for none or { tag: 'some', val } (the payload is itself an option)`;
        return {
          cases,
          indexOf(v) {
            if (v === undefined || v === null) return 0;
            const tag = tagOf(v);
            if (tag === 'some') return 1;
            if (tag === 'none') return 0;
            return badValue(expected, v);
          },
          payloadOf: valOf,
          make: (i, payload) => (i === 0 ? undefined : { tag: 'some', val: payload }),
        };
      }
      return {
        cases,
        indexOf: (v) => (v === undefined || v === null ? 0 : 1),
        payloadOf: (v) => v,
        make: (i, payload) => (i === 0 ? undefined : payload),
      };
    }
    case 'result': {
      const expected = `${typeToString(ty)}: { tag: 'ok', val? } or { tag: 'err', val? }`;
      const hasOk = ty.ok !== undefined;
      const hasErr = ty.err !== undefined;
      return {
        cases,
        indexOf(v) {
          const tag = tagOf(v);
          if (tag === 'ok') return 0;
          if (tag === 'err' || tag === 'error') return 1;
          return badValue(expected, v);
        },
        payloadOf: valOf,
        make(i, payload) {
          if (i === 0) return hasOk ? { tag: 'ok', val: payload } : { tag: 'ok' };
          return hasErr ? { tag: 'err', val: payload } : { tag: 'err' };
        },
      };
    }
  }
}
