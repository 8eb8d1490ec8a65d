/**
 * Import and export names (`Explainer.md#import-and-export-definitions`):
 * kebab-case labels, annotated labels (`[constructor]r`, `[method]r.m`,
 * `[static]r.m`, `[async]f`...), interface names (`ns:pkg/iface@1.2.3`),
 * the dependency and URL forms, and the strongly-unique rule.
 *
 * @module
 */

/** What a valid extern name is, after parsing. */
export type ParsedName =
  | { readonly kind: 'label'; readonly label: string; readonly async: boolean }
  | { readonly kind: 'constructor'; readonly resource: string }
  | { readonly kind: 'method' | 'static'; readonly resource: string; readonly name: string; readonly async: boolean }
  | { readonly kind: 'interface'; readonly namespace: string; readonly package: string; readonly iface: string; readonly version?: string }
  | { readonly kind: 'url' | 'relative-url' | 'integrity' | 'locked-dep' | 'unlocked-dep'; readonly value: string; readonly integrity?: string };

/** A broken name rule: the message of the eventual validation error. */
export class NameError extends Error {
  override readonly name = 'NameError';
}

const WORD = /^(?:[a-z][a-z0-9]*|[A-Z][A-Z0-9]*)$/;

/** True when `s` is a kebab-case label (`Explainer.md#import-and-export-definitions`: words of all-lower or all-upper letters and digits, the first a letter). */
export function isKebab(s: string): boolean {
  if (s === '') return false;
  const words = s.split('-');
  return WORD.test(words[0]!) && words.slice(1).every((w) => WORD.test(w) || /^[0-9]+$/.test(w) || /^[0-9][a-z0-9]*$/.test(w) || /^[0-9][A-Z0-9]*$/.test(w));
}

/** Throws unless `s` is kebab case; `what` names the thing in the message. */
export function checkKebab(s: string, what: string): void {
  if (s === '') throw new NameError(what === 'name' || what.endsWith(' name') && !what.includes(' field') && !what.includes('case') && !what.includes('parameter') && !what.includes('flag') && !what.includes('tag') ? `\`\` is not in kebab case (${what} cannot be empty)` : `${what} cannot be empty`);
  if (!isKebab(s)) throw new NameError(`${what} \`${s}\` is not in kebab case`);
}

/** Parse a semver version (`@1.2.3-pre+build`), throwing with the wording of a semver parser. */
function checkSemver(v: string): void {
  if (v === '') throw new NameError('empty string, expected a semver version');
  let i = 0;
  const num = (): void => {
    const start = i;
    while (i < v.length && /[0-9]/.test(v[i]!)) i++;
    if (i === start) {
      if (i >= v.length) throw new NameError('unexpected end of input while parsing version');
      throw new NameError(`unexpected character '${v[i]}' while parsing version`);
    }
    if (i - start > 1 && v[start] === '0') throw new NameError('invalid leading zero in version');
  };
  const dot = (): void => {
    if (i >= v.length) throw new NameError('unexpected end of input while parsing version');
    if (v[i] !== '.') throw new NameError(`unexpected character '${v[i]}' after version number`);
    i++;
  };
  num();
  dot();
  num();
  dot();
  num();
  const idents = (what: string): void => {
    const end = what === 'pre-release' ? v.indexOf('+', i) : v.length;
    const part = v.slice(i, end === -1 ? v.length : end);
    for (const seg of part.split('.')) {
      if (seg === '') throw new NameError(`empty identifier segment in ${what} version`);
      if (!/^[0-9A-Za-z-]+$/.test(seg)) throw new NameError(`unexpected character in ${what} version`);
    }
    i += part.length;
  };
  if (i < v.length && v[i] === '-') {
    i++;
    idents('pre-release');
  }
  if (i < v.length && v[i] === '+') {
    i++;
    idents('build metadata');
  }
  if (i < v.length) throw new NameError(`unexpected character '${v[i]}' after version`);
}

/** Lowercase kebab words only (namespaces and package names of interface names). */
function checkLowerKebab(s: string, what: string): void {
  if (s === '') throw new NameError(`\`\` is not in kebab case (${what} cannot be empty)`);
  checkKebab(s, what);
  for (const c of s) if (c >= 'A' && c <= 'Z') throw new NameError(`character \`${c}\` is not lowercase in ${what}`);
}

/** Parse an interface name `ns:pkg/iface(@version)?`. */
export function parseInterfaceName(s: string): ParsedName & { kind: 'interface' } {
  const colon = s.indexOf(':');
  if (colon < 0) throw new NameError(`\`${s}\` is not a valid extern name: expected an interface name`);
  const namespace = s.slice(0, colon);
  checkLowerKebab(namespace, 'package namespace');
  const rest = s.slice(colon + 1);
  const slash = rest.indexOf('/');
  const at = rest.indexOf('@');
  const pkgEnd = slash >= 0 ? slash : rest.length;
  const pkg = rest.slice(0, pkgEnd);
  if (pkg === '') checkLowerKebab(pkg, 'package name');
  if (pkg.includes(':')) throw new NameError(`expected \`/\` after package name in \`${s}\``);
  if (slash < 0 || (at >= 0 && at < slash)) throw new NameError(`expected \`/\` after package name in \`${s}\``);
  checkLowerKebab(pkg, 'package name');
  const afterSlash = rest.slice(slash + 1);
  const vat = afterSlash.indexOf('@');
  const ifacePart = vat >= 0 ? afterSlash.slice(0, vat) : afterSlash;
  const inner = ifacePart.indexOf('/');
  if (inner >= 0) throw new NameError(`trailing characters found: \`${ifacePart.slice(inner)}\``);
  checkKebab(ifacePart, 'interface name');
  if (vat >= 0) {
    const version = afterSlash.slice(vat + 1);
    checkSemver(version);
    return { kind: 'interface', namespace, package: pkg, iface: ifacePart, version };
  }
  return { kind: 'interface', namespace, package: pkg, iface: ifacePart };
}

const BRACKET_FORMS = ['relative-url', 'url', 'integrity', 'locked-dep', 'unlocked-dep'] as const;

/**
 * The dependency and URL forms (`Explainer.md#import-and-export-definitions`):
 * `url=<...>`, `relative-url=<...>`, `locked-dep=<pkg@ver>`,
 * `unlocked-dep=<pkg@{>=v <w}>`, each optionally followed by
 * `,integrity=<...>`, and a bare `integrity=<...>`.
 */
function parseBracketName(s: string, form: (typeof BRACKET_FORMS)[number], start: number): ParsedName {
  // A version range (`@{>=1.0.0 <2.0.0}`) contains `>` and `<` of its own.
  const range = form === 'unlocked-dep' ? s.indexOf('@{', start) : -1;
  const from = range < 0 ? start : s.indexOf('}', range);
  const close = from < 0 ? -1 : s.indexOf('>', from);
  if (close < 0) throw new NameError('missing closing `>`');
  const value = s.slice(start, close);
  if (range < 0 && value.includes('<')) throw new NameError('unexpected `<` inside `<...>`');
  let integrity: string | undefined;
  const rest = s.slice(close + 1);
  if (rest !== '') {
    const p = ',integrity=<';
    if (form === 'integrity' || form === 'unlocked-dep' || !rest.startsWith(p) || !rest.endsWith('>')) throw new NameError(`trailing characters found: \`${rest}\``);
    integrity = rest.slice(p.length, -1);
    checkIntegrity(integrity);
  }
  switch (form) {
    case 'integrity':
      checkIntegrity(value);
      break;
    case 'locked-dep': {
      const at = value.indexOf('@');
      checkPackagePath(at < 0 ? value : value.slice(0, at));
      if (at >= 0) checkSemver(value.slice(at + 1));
      break;
    }
    case 'unlocked-dep': {
      const at = value.indexOf('@');
      checkPackagePath(at < 0 ? value : value.slice(0, at));
      if (at >= 0) checkVersionRange(value.slice(at + 1));
      break;
    }
    default:
      if (value.includes('>')) throw new NameError('unexpected `>` in a URL');
  }
  return integrity === undefined ? { kind: form, value } : { kind: form, value, integrity };
}

/** `pkgpath ::= (label ':')+ label ('/' label)*`. */
function checkPackagePath(p: string): void {
  const slash = p.indexOf('/');
  const head = slash < 0 ? p : p.slice(0, slash);
  const parts = head.split(':');
  if (parts.length < 2) throw new NameError(`expected \`:\` in package name \`${p}\``);
  for (const x of parts) checkLowerKebab(x, 'package name');
  if (slash >= 0) for (const x of p.slice(slash + 1).split('/')) checkKebab(x, 'projection');
}

/** `verrange ::= '*' | '{' '>=' semver? (' ')? ('<' semver)? '}'` (the `@` already consumed). */
function checkVersionRange(r: string): void {
  if (r === '*') return;
  if (!r.startsWith('{') || !r.endsWith('}')) throw new NameError(`invalid version range \`${r}\``);
  const inner = r.slice(1, -1);
  const parts = inner.split(' ');
  if (parts.length > 2 || inner === '') throw new NameError(`invalid version range \`${r}\``);
  const [a, b] = parts as [string, string | undefined];
  if (b !== undefined) {
    if (!a.startsWith('>=') || !b.startsWith('<')) throw new NameError(`invalid version range \`${r}\``);
    checkSemver(a.slice(2));
    checkSemver(b.slice(1));
  } else if (a.startsWith('>=')) checkSemver(a.slice(2));
  else if (a.startsWith('<')) checkSemver(a.slice(1));
  else throw new NameError(`invalid version range \`${r}\``);
}

/** Subresource-integrity metadata: whitespace-separated `alg-base64` hashes. */
function checkIntegrity(v: string): void {
  const hashes = v.trim().split(/[ \t\n]+/);
  if (v.trim() === '') throw new NameError('empty integrity hash');
  for (const h of hashes) {
    if (!/^(sha256|sha384|sha512)-[A-Za-z0-9+/]+=*(\?[\x21-\x7e]*)?$/.test(h)) throw new NameError(`invalid integrity hash \`${h}\``);
  }
}

/** Parse an extern name (any form), throwing a {@link NameError} when it is not valid. */
export function parseExternName(s: string): ParsedName {
  try {
    return parseExternNameInner(s);
  } catch (e) {
    if (e instanceof NameError && !e.message.includes('is not a valid extern name')) throw new NameError(`\`${s}\` is not a valid extern name: ${e.message}`);
    throw e;
  }
}

function parseExternNameInner(s: string): ParsedName {
  for (const form of BRACKET_FORMS) {
    const p = `${form}=<`;
    if (s.startsWith(p)) return parseBracketName(s, form, p.length);
  }
  if (s.includes(':')) return parseInterfaceName(s);
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) throw new NameError(`\`${s}\` is not a valid extern name`);
    const ann = s.slice(1, close);
    const rest = s.slice(close + 1);
    const dotted = (kind: 'method' | 'static', async: boolean): ParsedName => {
      const dot = rest.indexOf('.');
      if (dot < 0) throw new NameError(`failed to find \`.\` character in \`${s}\``);
      const resource = rest.slice(0, dot);
      const name = rest.slice(dot + 1);
      checkKebab(resource, 'resource name');
      checkKebab(name, 'method name');
      return { kind, resource, name, async };
    };
    switch (ann) {
      case 'constructor':
        checkKebab(rest, 'name');
        return { kind: 'constructor', resource: rest };
      case 'method':
        return dotted('method', false);
      case 'static':
        return dotted('static', false);
      case 'async':
        checkKebab(rest, 'name');
        return { kind: 'label', label: rest, async: true };
      case 'async method':
        return dotted('method', true);
      case 'async static':
        return dotted('static', true);
      default:
        throw new NameError(`\`${s}\` is not a valid extern name: unknown annotation \`[${ann}]\``);
    }
  }
  if (!isKebab(s)) throw new NameError(s === '' ? '`` is not in kebab case' : `\`${s}\` is not in kebab case`);
  return { kind: 'label', label: s, async: false };
}

/**
 * The keys under which a name must be strongly unique (`Explainer.md`:
 * names are compared case-insensitively; annotations other than the
 * resource prefix do not make names distinct; `[method]r.m`/`[static]r.m`
 * count as `r.m`, and also as `m` when `r` is `m`). Interface and URL forms
 * keep their exact text.
 */
export function uniquenessKeys(p: ParsedName, original: string): string[] {
  switch (p.kind) {
    case 'label':
      return [p.label.toLowerCase()];
    case 'constructor':
      return [`[constructor]${p.resource.toLowerCase()}`];
    case 'method':
    case 'static': {
      const r = p.resource.toLowerCase();
      const n = p.name.toLowerCase();
      return r === n ? [`${r}.${n}`, n] : [`${r}.${n}`];
    }
    case 'interface':
      return [`${p.namespace}:${p.package}/${p.iface}${p.version === undefined ? '' : `@${p.version}`}`.toLowerCase()];
    default:
      return [original];
  }
}

/** Tracks the names of one import or export list for the strongly-unique rule. */
export class NameSet {
  private readonly keys = new Map<string, string>();

  /** Adds a name; throws a {@link NameError} when it conflicts with one already added. */
  add(original: string, parsed: ParsedName, what: string): void {
    const keys = uniquenessKeys(parsed, original);
    for (const k of keys) {
      const prev = this.keys.get(k);
      if (prev !== undefined) throw new NameError(`${what} name \`${original}\` conflicts with previous name \`${prev}\``);
    }
    for (const k of keys) this.keys.set(k, original);
  }
}
