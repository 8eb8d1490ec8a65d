/**
 * Find targets by triple or alias, for a rustc version.
 *
 * A triple can have several definitions (the facts change as rustc changes).
 * Without a `rustc` option the newest definition of each triple is used: the
 * registry's picture of the targets "as of now", including approved changes
 * that no released rustc has yet. Pass `rustc` to get the facts of a given
 * compiler.
 *
 * @module
 */
import { TargetError } from './errors.js';
import { DEFINITIONS, TRIPLES } from './registry.js';
import type { TargetDefinition } from './types.js';
import { formatRustcRange, inRustcRange, parseRustcVersion } from './version.js';

/** Options shared by the lookup functions. */
export interface LookupOptions {
  /** The rustc version (`1.95.0`, `1.97.0-nightly`) whose facts to use; default: the newest definition of each triple. */
  readonly rustc?: string;
}

/** The result of {@link lookup}: the definition, and a notice when the name was an alias. */
export interface LookupResult {
  /** The name that was asked for. */
  readonly requested: string;
  /** The definition found. */
  readonly target: TargetDefinition;
  /** Set when `requested` is an alias: says which target it resolved to and why. */
  readonly notice?: string;
}

/** Resolve a triple or alias to a triple, with the alias notice if any. */
function resolveName(name: string): { triple: string; notice?: string } | undefined {
  if (TRIPLES.includes(name)) return { triple: name };
  for (const d of DEFINITIONS) {
    const alias = d.aliases.find((a) => a.name === name);
    if (alias !== undefined) return { triple: d.triple, notice: alias.notice };
  }
  return undefined;
}

/** Pick the definition of `triple` for `rustc` (or the newest). */
function pick(triple: string, rustc: string | undefined): TargetDefinition | undefined {
  const defs = DEFINITIONS.filter((d) => d.triple === triple);
  if (rustc === undefined) return defs[defs.length - 1];
  return defs.find((d) => inRustcRange(rustc, d.rustc));
}

function checkVersion(name: string, rustc: string | undefined): void {
  if (rustc !== undefined && parseRustcVersion(rustc) === undefined) {
    throw new TargetError('bad-version', name, `expected a rustc version like 1.95.0, found ${JSON.stringify(rustc)}`);
  }
}

/**
 * Look a target up by triple or alias.
 *
 * @returns the definition (with a notice for an alias), or `undefined` when
 *   the name is unknown or the registry has no facts for the requested rustc
 * @throws {@link TargetError} (`bad-version`) when `options.rustc` is not a version
 */
export function lookup(name: string, options: LookupOptions = {}): LookupResult | undefined {
  checkVersion(name, options.rustc);
  const resolved = resolveName(name);
  if (resolved === undefined) return undefined;
  const target = pick(resolved.triple, options.rustc);
  if (target === undefined) return undefined;
  return resolved.notice === undefined ? { requested: name, target } : { requested: name, target, notice: resolved.notice };
}

/**
 * Like {@link lookup}, but throws a {@link TargetError} that says what exists
 * instead of returning `undefined`.
 */
export function getTarget(name: string, options: LookupOptions = {}): LookupResult {
  const found = lookup(name, options);
  if (found !== undefined) return found;
  const resolved = resolveName(name);
  if (resolved === undefined) {
    throw new TargetError('unknown-target', name, `unknown wasm target ${JSON.stringify(name)}; known targets: ${TRIPLES.join(', ')}`);
  }
  const ranges = DEFINITIONS.filter((d) => d.triple === resolved.triple).map((d) => formatRustcRange(d.rustc));
  throw new TargetError(
    'no-definition',
    name,
    `the registry has no facts for ${resolved.triple} with rustc ${options.rustc ?? '?'}; it covers ${ranges.join(', ')}`,
  );
}

/** Options of {@link listTargets}. */
export interface ListOptions extends LookupOptions {
  /** Include targets defined only by a proposal (default `true`). */
  readonly proposed?: boolean;
}

/**
 * One definition per triple, in display order, for the rustc version asked
 * for (or the newest of each).
 */
export function listTargets(options: ListOptions = {}): TargetDefinition[] {
  checkVersion('', options.rustc);
  const out: TargetDefinition[] = [];
  for (const triple of TRIPLES) {
    const d = pick(triple, options.rustc);
    if (d === undefined) continue;
    if (options.proposed === false && d.status === 'proposed') continue;
    out.push(d);
  }
  return out;
}

/** Every definition of the registry (all triples, all rustc ranges), or those of one triple. */
export function definitions(triple?: string): TargetDefinition[] {
  return DEFINITIONS.filter((d) => triple === undefined || d.triple === triple);
}
