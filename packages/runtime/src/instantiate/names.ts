/**
 * How component names map to JS property names.
 *
 * Component names are kebab-case labels (`get-value`), interface names
 * (`wasi:cli/stdout@0.2.0`) or annotated function names (`[method]blob.read`,
 * `[constructor]blob`, `[static]blob.merge`), see
 * `Explainer.md#import-and-export-definitions`. JS users expect camelCase
 * members and PascalCase classes (as jco generates), so exports carry those
 * names, while the raw names are accepted everywhere too (imports are
 * looked up under both, and exports have the raw name as a non-enumerable
 * alias).
 *
 * @module
 */

/** `get-value` -> `getValue`; acronym words (`HTTP`) are lower-cased: `get-HTTP` -> `getHttp`. */
export function camelCase(label: string): string {
  const words = label.split('-');
  let out = '';
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '') continue;
    const lower = w === w.toUpperCase() ? w.toLowerCase() : w;
    out += out === '' ? lower : (lower[0] as string).toUpperCase() + lower.slice(1);
  }
  return out;
}

/** `blob-store` -> `BlobStore` (the class name of a resource). */
export function pascalCase(label: string): string {
  const c = camelCase(label);
  return c === '' ? c : (c[0] as string).toUpperCase() + c.slice(1);
}

/** An interface name without its `@version` suffix (`wasi:cli/run@0.2.0` -> `wasi:cli/run`). */
export function unversioned(name: string): string {
  const at = name.indexOf('@');
  return at < 0 ? name : name.slice(0, at);
}

/** What a function name says about the function (`Explainer.md`, annotated names). */
export type FuncNameShape =
  | { readonly kind: 'plain'; readonly name: string }
  | { readonly kind: 'constructor'; readonly resource: string }
  | { readonly kind: 'method' | 'static'; readonly resource: string; readonly name: string };

/** Parses `[constructor]r`, `[method]r.m`, `[static]r.m`; anything else is plain. */
export function funcNameShape(name: string): FuncNameShape {
  if (name.startsWith('[constructor]')) return { kind: 'constructor', resource: name.slice(13) };
  for (const kind of ['method', 'static'] as const) {
    const prefix = `[${kind}]`;
    if (name.startsWith(prefix)) {
      const rest = name.slice(prefix.length);
      const dot = rest.indexOf('.');
      if (dot > 0) return { kind, resource: rest.slice(0, dot), name: rest.slice(dot + 1) };
    }
  }
  return { kind: 'plain', name };
}

/** True for interface names (`ns:pkg/iface`), which keep their raw spelling as JS keys. */
export function isInterfaceName(name: string): boolean {
  return name.includes(':') || name.includes('/');
}

/** The primary JS key of an export: camelCase for labels, the raw name for interface names and annotated names. */
export function jsKey(name: string): string {
  if (isInterfaceName(name) || name.startsWith('[')) return name;
  return camelCase(name);
}

/**
 * Looks up a component name in a host object: the raw name first, then the
 * camelCase form of a label, then (for interface names) the name without
 * version and any key with the same unversioned name. Members inherited
 * from a class prototype count (host instances may be class instances), but
 * `Object.prototype`'s own members (`toString`...) never satisfy an import.
 */
export function lookupName(obj: unknown, name: string): unknown {
  if (obj === null || (typeof obj !== 'object' && typeof obj !== 'function')) return undefined;
  const o = obj as Record<string, unknown>;
  const raw = member(o, name);
  if (raw !== undefined) return raw;
  if (!isInterfaceName(name)) return member(o, camelCase(name));
  const base = unversioned(name);
  const b = member(o, base);
  if (b !== undefined) return b;
  for (const k of Object.keys(o)) if (unversioned(k) === base) return o[k];
  return undefined;
}

const objectProto = Object.prototype as unknown as Record<string, unknown>;

function member(o: Record<string, unknown>, k: string): unknown {
  if (!(k in o)) return undefined;
  const v = o[k];
  return k in objectProto && v === objectProto[k] ? undefined : v;
}
