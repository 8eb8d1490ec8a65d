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
  | { readonly kind: 'url' | 'relative-url' | 'integrity' | 'locked-dep' | 'unlocked-dep'; readonly value: string };

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
    if (s.startsWith(p)) {
      if (!s.endsWith('>')) throw new NameError(`\`${s}\` is not a valid extern name: missing closing \`>\``);
      const value = s.slice(p.length, -1);
      if (value.includes('<') || value.includes('>')) throw new NameError(`\`${s}\` is not a valid extern name`);
      return { kind: form, value };
    }
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
