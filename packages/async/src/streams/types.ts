/**
 * Type predicates the stream and future built-ins need: structural equality
 * of element types (the spec's `e.shared.t != stream_t.t` checks) and the
 * "none or number" test behind the temporary same-instance rule.
 *
 * See `CanonicalABI.md#stream-state` and `#canon-streamfuturereadwrite`.
 *
 * @module
 */

import type { ValType } from '@wasm-components/canonical-abi';

/**
 * Structural equality of two (optional) element types, as the spec's `!=`
 * on type dataclasses: same shape, same labels, same nested types; resource
 * types compare by identity (two `resource` definitions are distinct types
 * even when they look alike). `undefined` (a `stream`/`future` without an
 * element type) equals only `undefined`.
 */
export function elemTypesEqual(a: ValType | undefined, b: ValType | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return typesEqual(a, b);
}

/** Structural equality of two value types (see {@link elemTypesEqual}). */
export function typesEqual(a: ValType, b: ValType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'list': {
      const o = b as typeof a;
      return a.length === o.length && typesEqual(a.elem, o.elem);
    }
    case 'map': {
      const o = b as typeof a;
      return typesEqual(a.key, o.key) && typesEqual(a.value, o.value);
    }
    case 'record': {
      const o = b as typeof a;
      return (
        a.fields.length === o.fields.length &&
        a.fields.every((f, i) => f.label === o.fields[i]?.label && typesEqual(f.type, (o.fields[i] as typeof f).type))
      );
    }
    case 'tuple': {
      const o = b as typeof a;
      return a.types.length === o.types.length && a.types.every((t, i) => typesEqual(t, o.types[i] as ValType));
    }
    case 'variant': {
      const o = b as typeof a;
      return (
        a.cases.length === o.cases.length &&
        a.cases.every((c, i) => {
          const d = o.cases[i];
          return d !== undefined && c.label === d.label && elemTypesEqual(c.type, d.type);
        })
      );
    }
    case 'enum':
    case 'flags': {
      const o = b as typeof a;
      return a.labels.length === o.labels.length && a.labels.every((l, i) => l === o.labels[i]);
    }
    case 'option': {
      const o = b as typeof a;
      return typesEqual(a.type, o.type);
    }
    case 'result': {
      const o = b as typeof a;
      return elemTypesEqual(a.ok, o.ok) && elemTypesEqual(a.err, o.err);
    }
    case 'own':
    case 'borrow': {
      const o = b as typeof a;
      return a.resource === o.resource;
    }
    case 'stream':
    case 'future': {
      const o = b as typeof a;
      return elemTypesEqual(a.elem, o.elem);
    }
    default:
      // Primitive types and error-context: equal kinds are equal types.
      return true;
  }
}

const NUMBER_KINDS: ReadonlySet<string> = new Set(['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64']);

/**
 * The spec's `none_or_number_type`: true for a missing element type and the
 * integer and float types. Copies between two ends held by the *same*
 * component instance are allowed only for these (a temporary rule of the
 * spec: copying values that own handles or need `realloc` within one
 * instance is not supported yet), and they are the types whose values are
 * plain bytes, so copies of them are byte copies (no per-element work).
 */
export function noneOrNumberType(t: ValType | undefined): boolean {
  return t === undefined || NUMBER_KINDS.has(t.kind);
}
